"""Notifications: after a track run, each source with changes tells its Apprise URLs.

Apprise (https://github.com/caronc/apprise) speaks e-mail, Slack, Teams, Matrix, ntfy,
plain JSON webhooks and ~100 more, each chosen by a URL in sources.toml (`notify = [...]`),
so rosterwatch needs no code per service. A failed notification is reported, never fatal:
the changes are stored and in the report either way.
"""

from __future__ import annotations

from dataclasses import dataclass

from outputs.events import ChangeEvent
from outputs.report import describe
from outputs.safe import clean


@dataclass(frozen=True)
class Sent:
    source: str
    ok: bool
    message: str


def _plain(text) -> str:
    return "—" if text is None else " ".join(clean(str(text)).split())


def message(name: str, events: list[ChangeEvent]) -> tuple[str, str]:
    """(title, body) of one source's notification; plain text, one line per event."""
    count = f"{len(events)} change" + ("" if len(events) == 1 else "s")
    lines = [f"- {e.at[:10]}: {describe(e, escape=_plain, code=_plain)}" for e in events]
    return f"rosterwatch: {count} in {_plain(name)}", "\n".join(lines)


def send(source: str, name: str, urls: tuple[str, ...], events: list[ChangeEvent]) -> Sent | None:
    """Tell `urls` about `events`; None when there is nothing to send or nowhere to send it."""
    if not urls or not events:
        return None
    import apprise

    notifier = apprise.Apprise()
    bad = [url for url in urls if not notifier.add(url)]
    if bad:
        return Sent(source, False, f"{source}: notify URL {bad[0]!r} is not one Apprise knows; check sources.toml")
    title, body = message(name, events)
    if notifier.notify(title=title, body=body, body_format=apprise.NotifyFormat.TEXT):
        return Sent(source, True, f"{source}: {len(events)} changes sent to {len(urls)} notify URL(s)")
    return Sent(source, False, f"{source}: notification failed for at least one of {len(urls)} notify URL(s); the changes are stored")
