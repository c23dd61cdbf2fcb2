"""Every path that derives history reads the reviewed people file given with --people: track,
reextract and backfill (serve fixes it in the deployment: tests/test_serve.py). Without it,
re-derivation would silently use the project's people.toml."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from extractors import EXTRACTOR_VERSION
from extractors.cms import Block, PageDoc, render
from outputs.events import ChangeEvent
from snapshots.store import SnapshotStore

URL = "https://www.helsedirektoratet.no/om-oss/rad-og-utvalg/fagrad-for-persontilpassa-medisin"
OTHERS = ("Abelia v/Stephen McAdam", "Datatilsynet v/Susanne Lie", "Kreftregisteret v/Giske Ursin")


def copy(name: str) -> str:
    """The Fagråd page with `name` for Helse Sør-Øst: the project's people.toml keeps
    Lars Eikvar and Lars Eikvam apart, a maintainer's file may say they are one person."""
    items = OTHERS + (f"Dei regionale helseføretaka v/{name} (Helse Sør-Øst)",)
    doc = PageDoc(URL, "Fagråd for persontilpassa medisin", (Block("heading", text="Representantar"), Block("list", items=items)))
    return render(doc)


def pinned(tmp_path: Path) -> Path:
    path = tmp_path / "reviewed.toml"
    path.write_text('[[person]]\nname = "Lars Eikvar"\nvariants = ["Lars Eikvam"]\n', encoding="utf-8")
    return path


def kinds(data: Path) -> list[str]:
    rows = SnapshotStore(data).change_rows(EXTRACTOR_VERSION, source="fagrad-pm")
    return sorted(ChangeEvent.from_json(r).kind for r in rows)


def run(*argv: str) -> str:
    from flows.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(list(argv)) == 0
    return out.getvalue()


def test_track_and_reextract_derive_the_history_with_the_given_people_file(prefect_harness, tmp_path):
    replay = tmp_path / "replay" / "fagrad-pm"
    replay.mkdir(parents=True)
    (replay / "2024-01-01.html").write_text(copy("Lars Eikvam"), encoding="utf-8")
    (replay / "2024-02-01.html").write_text(copy("Lars Eikvar"), encoding="utf-8")
    data = tmp_path / "data"
    run("--data-dir", str(data), "track", "--source", "fagrad-pm", "--replay", str(tmp_path / "replay"))
    assert kinds(data) == ["joined", "left"], "people.toml keeps them apart"

    assert "history recomputed" in run("--data-dir", str(data), "--people", str(pinned(tmp_path)), "reextract")
    assert kinds(data) == ["name_variant"]
    assert "history recomputed" in run("--data-dir", str(data), "reextract")
    assert kinds(data) == ["joined", "left"], "and back with the project's file"


def test_backfill_derives_the_history_with_the_given_people_file(prefect_harness, tmp_path):
    warc = tmp_path / "old.warc.gz"
    with open(warc, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for when, name in (("2024-01-01T00:00:00Z", "Lars Eikvam"), ("2024-02-01T00:00:00Z", "Lars Eikvar")):
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            payload = io.BytesIO(copy(name).encode("utf-8"))
            writer.write_record(writer.create_warc_record(URL, "response", payload=payload, http_headers=headers, warc_headers_dict={"WARC-Date": when}))
    data = tmp_path / "data"
    run("--data-dir", str(data), "--people", str(pinned(tmp_path)), "backfill", "--source", "fagrad-pm", "--warc", str(warc))
    assert kinds(data) == ["name_variant"]


def test_an_archived_content_type_charset_is_honoured(prefect_harness, tmp_path):
    """A latin-1 copy without a <meta> charset, archived with its Content-Type header, reads
    like the UTF-8 one: no mojibake, no event."""
    warc = tmp_path / "old.warc.gz"
    page = copy("Lars Eikvar").replace('<meta charset="utf-8">', "")
    with open(warc, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for when, body, charset in (("2024-01-01T00:00:00Z", page.encode("utf-8"), "utf-8"),
                                    ("2024-02-01T00:00:00Z", page.encode("iso-8859-1", errors="xmlcharrefreplace"), "iso-8859-1")):
            headers = StatusAndHeaders("200 OK", [("Content-Type", f"text/html; charset={charset}")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(URL, "response", payload=io.BytesIO(body), http_headers=headers, warc_headers_dict={"WARC-Date": when}))
    data = tmp_path / "data"
    run("--data-dir", str(data), "backfill", "--source", "fagrad-pm", "--warc", str(warc))
    assert [c.charset for c in SnapshotStore(data).captures("fagrad-pm")] == ["utf-8", "windows-1252"]
    assert kinds(data) == []
