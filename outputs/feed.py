"""An Atom feed (RFC 4287) of change events, for feed readers and chat bridges.

Each event is one entry. Its id is a tag URI made from what the event says (source, kind,
time, group, names, before and after), not from database row numbers, so the same event
keeps its id when the history is rebuilt in another store and a reader never shows it twice.
A source whose page is gone or not reachable gets one entry too ("page gone: HTTP 404 since
…"), identified by the source and the start of the outage: a fetch outcome, not an event.

Every text passes through `outputs.safe.clean`: a control character from a page would make
the feed invalid XML (ElementTree escapes markup but writes control characters as they are).
"""

from __future__ import annotations

import hashlib
import json
import xml.etree.ElementTree as ET

from outputs.events import ChangeEvent
from outputs.history import History
from outputs.report import describe
from outputs.safe import clean

ATOM = "http://www.w3.org/2005/Atom"
FEED_ID = "tag:rosterwatch.invalid,2024:feed"


def entry_id(event: ChangeEvent) -> str:
    content = [event.source, event.kind, event.at, event.group, event.person, event.before, event.after, event.diff]
    digest = hashlib.sha256(json.dumps(content, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()[:24]
    return f"tag:rosterwatch.invalid,2024:event/{event.source}/{digest}"


def away_entry_id(source: str, since: str) -> str:
    return f"tag:rosterwatch.invalid,2024:away/{source}/{since}"


def _plain(text) -> str:
    return "—" if text is None else " ".join(clean(str(text)).split())


def render_feed(history: History, generated_at: str, limit: int | None = None) -> str:
    """The feed, newest entry first; ElementTree escapes all text, so scraped names stay text."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}id").text = FEED_ID
    ET.SubElement(feed, f"{{{ATOM}}}title").text = "rosterwatch: changes in tracked bodies"
    entries = [(e.at, "event", e) for e in reversed(history.resolved_events)]
    entries += [(a.since, "away", a) for a in history.away.values()]
    entries = sorted(entries, key=lambda item: item[0], reverse=True)[:limit]
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = entries[0][0] if entries else generated_at
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = "rosterwatch"
    ET.SubElement(feed, f"{{{ATOM}}}generator").text = "rosterwatch"
    for _, what, item in entries:
        if what == "away":
            _away_entry(feed, history, item)
        else:
            _event_entry(feed, history, item)
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def _event_entry(feed: ET.Element, history: History, event: ChangeEvent) -> None:
    body = history.bodies.get(event.source)
    entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
    ET.SubElement(entry, f"{{{ATOM}}}id").text = entry_id(event)
    title = describe(event, escape=_plain, code=_plain)
    ET.SubElement(entry, f"{{{ATOM}}}title").text = f"{_plain(history.body_name(event.source))}: {title}"
    ET.SubElement(entry, f"{{{ATOM}}}updated").text = event.at
    ET.SubElement(entry, f"{{{ATOM}}}category", term=event.kind)
    link = event.url or (body.url if body else None)
    if link:
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=_plain(link))
    summary = [f"{event.kind} in {event.source}" + (f", {_plain(event.group)}" if event.group else "")]
    if event.person_id:
        summary.append(f"person {event.person_id}")
    summary.append(f"capture {event.to_capture} at {event.at}")
    if event.from_capture is not None:
        summary.append(f"compared with capture {event.from_capture} at {event.from_at}")
    if event.note:
        summary.append(_plain(event.note))
    if event.text:
        summary.append(f"read from: {_plain(event.text)}")
    ET.SubElement(entry, f"{{{ATOM}}}summary").text = "; ".join(summary)


def _away_entry(feed: ET.Element, history: History, away) -> None:
    body = history.bodies.get(away.source)
    entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
    ET.SubElement(entry, f"{{{ATOM}}}id").text = away_entry_id(away.source, away.since)
    ET.SubElement(entry, f"{{{ATOM}}}title").text = f"{_plain(history.body_name(away.source))}: {_plain(away.headline)}"
    ET.SubElement(entry, f"{{{ATOM}}}updated").text = away.since
    ET.SubElement(entry, f"{{{ATOM}}}category", term="fetch_failed")
    if body and body.url:
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=body.url)
    ET.SubElement(entry, f"{{{ATOM}}}summary").text = f"latest attempt {away.last}: {_plain(away.message)}"
