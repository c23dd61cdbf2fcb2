"""Notifications: a source's Apprise URLs (sources.toml `notify`) are told about its changes
after a track run; here a json:// URL posts to a local HTTP endpoint."""

from __future__ import annotations

import json

import pytest

from flows.config import ConfigError, load_sources
from outputs.events import ChangeEvent
from outputs.notify import message, send
from tests.http_server import Reply

EVENT = ChangeEvent(
    kind="joined", source="fagrad-pm", group="Representantar", person="Lilly Ann Elvestad", person_id="p-1",
    before=None, after={"name": "Lilly Ann Elvestad", "organisation": "FFO", "role": None, "region": None},
    from_capture=1, to_capture=2, at="2024-05-28T00:00:00Z",
)


def sources_file(tmp_path, notify: str):
    path = tmp_path / "sources.toml"
    path.write_text(
        '[sources.fagrad-pm]\nname = "Fagråd"\nurl = "https://www.helsedirektoratet.no/fagrad"\n'
        f'language = "nn"\nnotify = {notify}\n',
        encoding="utf-8",
    )
    return path


def test_changes_are_posted_to_the_sources_notify_url(tmp_path, http_server):
    http_server.route("/hook", Reply(body="ok", content_type="text/plain"))
    source = load_sources(sources_file(tmp_path, f'["json://127.0.0.1:{http_server.port}/hook"]'))["fagrad-pm"]
    sent = send(source.id, source.name, source.notify, [EVENT])
    assert send(source.id, source.name, source.notify, []) is None, "no changes, nothing sent"
    (request,) = http_server.requests_to("/hook")
    assert request.method == "POST"
    payload = json.loads(request.body)
    assert payload["title"] == "rosterwatch: 1 change in Fagråd"
    assert payload["message"] == "- 2024-05-28: Lilly Ann Elvestad joined Representantar (FFO)"
    assert sent.ok and sent.message == "fagrad-pm: 1 changes sent to 1 notify URL(s)"


def test_a_failing_endpoint_is_reported_not_fatal(http_server):
    http_server.route("/hook", Reply(status=500, body="down", content_type="text/plain"))
    sent = send("fagrad-pm", "Fagråd", (f"json://127.0.0.1:{http_server.port}/hook",), [EVENT])
    assert not sent.ok and "notification failed" in sent.message
    assert send("fagrad-pm", "Fagråd", (), [EVENT]) is None and send("fagrad-pm", "Fagråd", ("json://x/",), []) is None


def test_bad_notify_key_names_file_source_and_key(tmp_path):
    path = sources_file(tmp_path, '"json://x/"')
    with pytest.raises(ConfigError) as error:
        load_sources(path)
    assert str(error.value) == (
        f"{path}: source 'fagrad-pm': key 'notify' must be a list of Apprise URLs like \"json://host:port/path\""
    )


def test_message_lists_one_line_per_event():
    title, body = message("Fagråd", [EVENT, EVENT])
    assert title == "rosterwatch: 2 changes in Fagråd" and body.count("\n") == 1
