"""The stages wired together as plain functions; `flows.track` wraps them in Prefect tasks.

Processing is driven by the store, not by the fetch: after anything is stored, every capture
of the source that has no extraction by the current extractor version is extracted and
compared, oldest first. So a run killed between storing and extracting is finished by the
next run, and replay, backfill and re-extraction all reuse the same path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from extractors import EXTRACTOR_VERSION, extract
from extractors.model import Extraction
from flows.config import Source
from outputs.compare import CaptureRef, compare, error_page_reason, is_suspect, suspect_event
from outputs.events import ChangeEvent, normalise_name
from outputs.report import SourceOutcome
from outputs.reviewed import Reviewed, load_reviewed
from snapshots.fetch import FetchPolicy, FetchResult, fetch
from snapshots.store import Capture, SnapshotStore, sha256_hex

_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_REPLAY_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T_ ](\d{2})[:-]?(\d{2})(?:[:-]?(\d{2}))?)?(Z)?$")


class ReplayError(ValueError):
    """A replay directory or file name that cannot be used."""


def fetch_capture(store: SnapshotStore, source: Source, policy: FetchPolicy) -> Capture:
    """Fetch a source (conditionally, from the last stored capture) and store what came back."""
    last = store.last_body_capture(source.url)
    result = fetch(
        source.url,
        allowed_hosts=source.allowed_hosts,
        etag=last.etag if last else None,
        last_modified=last.last_modified if last else None,
        policy=policy,
    )
    return store.add_capture(source.id, result, origin="fetch")


def replay_files(directory: Path, source_id: str) -> list[tuple[datetime, Path]]:
    """`DIR/<source-id>/<ISO date or datetime>.html`, in time order."""
    folder = directory / source_id
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob("*.html"):
        found.append((parse_replay_time(path), path))
    return sorted(found)


def parse_replay_time(path: Path) -> datetime:
    match = _REPLAY_NAME.match(path.stem)
    if not match:
        raise ReplayError(
            f"{path}: file name must be an ISO date or datetime, e.g. 2024-05-28.html or 2024-05-28T06-00.html"
        )
    day, hour, minute, second, _ = match.groups()
    stamp = datetime.fromisoformat(day).replace(
        hour=int(hour or 0), minute=int(minute or 0), second=int(second or 0), tzinfo=timezone.utc
    )
    return stamp


def replay_capture(store: SnapshotStore, source: Source, when: datetime, path: Path) -> Capture | None:
    """Store an archived copy as if fetched at `when`; None if that exact copy is stored already."""
    body = path.read_bytes()
    if store.has_capture(source.id, when, sha256_hex(body)):
        return None
    charset = sniff_charset(body)
    result = FetchResult(
        url=source.url,
        final_url=source.url,
        status=200,
        reason="OK",
        headers=(("Content-Type", f"text/html; charset={charset}"),),
        request_headers=(),
        body=body,
        fetched_at=when,
        redirects=(),
        content_type="text/html",
        charset=charset,
        http_version="HTTP/1.1",
    )
    return store.add_capture(source.id, result, origin="replay")


def sniff_charset(body: bytes) -> str:
    match = _META_CHARSET.search(body[:4096])
    return match.group(1).decode("ascii").lower() if match else "utf-8"


def decode_body(body: bytes, charset: str | None) -> str:
    try:
        return body.decode(charset or sniff_charset(body), errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")


@dataclass
class Processed:
    """The result of extracting and comparing the pending captures of one source."""

    events: list[ChangeEvent]
    captures: int
    baseline_at: str | None  # set when this processing made the source's first (baseline) extraction
    suspect: bool


@dataclass(frozen=True)
class Step:
    """What one capture does to a source's history: its events and whether it is believed."""

    events: list[ChangeEvent]
    accepted: bool
    baseline: bool = False

    @property
    def suspect(self) -> bool:
        return any(e.kind == "suspect_extraction" for e in self.events)


def decide(
    source_id: str,
    capture: Capture,
    html: str | None,
    extraction: Extraction | None,
    current: tuple[Capture, Extraction] | None,
    previous_suspect: Extraction | None,
    reviewed: Reviewed,
) -> Step:
    """The history rules for one capture, oldest first; pure, so tracking and re-derivation share them.

    `extraction` is None for a capture with an error status; `current` is the last accepted
    capture and its extraction; `previous_suspect` is the extraction of the capture just before,
    if that one was not believed (two in a row showing the same drop confirm it).
    """
    before_ref = _ref(current[0]) if current else None
    if extraction is None:
        reason = f"HTTP {capture.status} {capture.reason or ''}".strip()
        return Step([suspect_event(source_id, reason, before_ref, _ref(capture))], accepted=False)
    error_page = error_page_reason(html or "", extraction)
    if current is None:
        if error_page:
            return Step([suspect_event(source_id, error_page, None, _ref(capture))], accepted=False)
        return Step([], accepted=True, baseline=True)
    before = current[1]
    reason = error_page or is_suspect(before, extraction)
    confirmed = previous_suspect is not None and _member_keys(previous_suspect) == _member_keys(extraction)
    if reason and (error_page or not confirmed):
        return Step([suspect_event(source_id, reason, before_ref, _ref(capture))], accepted=False)
    return Step(compare(before, extraction, before_ref, _ref(capture), reviewed), accepted=True)


def suspect_state(state: tuple[bool, str] | None) -> Extraction | None:
    """The extraction of a stored (accepted, json) state if it was a suspect one with content."""
    if state is None or state[0] or state[1] == "{}":
        return None
    return Extraction.from_json(state[1])


def process_pending(
    store: SnapshotStore,
    source: Source,
    extractor_version: str = EXTRACTOR_VERSION,
    reviewed: Reviewed | None = None,
) -> Processed:
    """Extract and compare every capture of `source` not yet extracted by this version, oldest first.

    `reviewed` is the reviewed people file (default: `--people` / ROSTERWATCH_PEOPLE / people.toml).
    """
    reviewed = load_reviewed() if reviewed is None else reviewed
    events: list[ChangeEvent] = []
    pending = store.unextracted(source.id, extractor_version)
    ordered = store.captures(source.id)
    before_of = {c.id: p for p, c in zip([None, *ordered], ordered)}
    baseline_at: str | None = None
    suspect = False
    for capture in pending:
        stored = store.last_accepted(source.id, extractor_version)
        current = (stored[0], Extraction.from_json(stored[1])) if stored else None
        html = extraction = None
        if capture.ok:
            html = decode_body(store.read_body(capture), capture.charset)
            extraction = extract(html, source.id, url=capture.final_url, language=source.language)
        previous = before_of.get(capture.id)
        previous_suspect = suspect_state(store.extraction_state(previous.id, extractor_version)) if previous else None
        step = decide(source.id, capture, html, extraction, current, previous_suspect, reviewed)
        store.save_extraction(
            capture,
            extractor_version,
            extraction.to_json() if extraction else None,
            extraction.member_count if extraction else 0,
            step.accepted,
            [(e.kind, e.at, e.to_json()) for e in step.events],
        )
        events.extend(step.events)
        suspect = suspect or step.suspect
        if step.baseline:
            baseline_at = capture.fetched_at
    return Processed(events=events, captures=len(pending), baseline_at=baseline_at, suspect=suspect)


def _member_keys(extraction: Extraction) -> set[tuple[str, str]]:
    return {(normalise_name(g.name), normalise_name(m.name)) for g in extraction.groups for m in g.members}


def _ref(capture: Capture) -> CaptureRef:
    return CaptureRef(id=capture.id, at=capture.fetched_at, url=capture.final_url)


def outcome_for(
    store: SnapshotStore, source: Source, processed: Processed, since: str | None, extractor_version: str = EXTRACTOR_VERSION
) -> SourceOutcome:
    """Summarise a source after processing, for the report."""
    current = store.last_accepted(source.id, extractor_version)
    if processed.baseline_at and not processed.events:
        status = "baseline"
    elif processed.suspect:
        status = "suspect"
    elif processed.events:
        status = "changed"
    else:
        status = "unchanged"
    return SourceOutcome(
        source=source.id,
        name=source.name,
        url=source.url,
        status=status,
        events=processed.events,
        current=Extraction.from_json(current[1]) if current else None,
        current_at=current[0].fetched_at if current else None,
        since=since,
        baseline_at=processed.baseline_at,
        captures=processed.captures,
    )
