"""The stages wired together as plain functions; `flows.track` wraps them in Prefect tasks.

Processing is driven by the store, not by the fetch: after anything is stored, every capture
of the source that has no extraction by the current extractor version is extracted, and the
source's history is derived again from its stored extractions in time order with the rules
of `outputs.rules`. So a run killed between storing and extracting is finished by the next
run, a copy that arrives late lands where it belongs in time, and replay, backfill and
re-extraction all reuse the same path.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

from extractors import EXTRACTOR_VERSION, extract
from extractors.model import Extraction
from flows.config import Source
from flows.inputs import html_files, read_copy
from outputs.compare import CaptureRef
from outputs.events import ChangeEvent
from outputs.rules import derive
from outputs.report import SourceOutcome
from outputs.reviewed import Reviewed, load_reviewed
from snapshots.charset import choose_charset, decode
from snapshots.fetch import FetchError, FetchPolicy, FetchResult, fetch
from snapshots.outcome import Away, attempts, away
from snapshots.store import Capture, SnapshotStore, sha256_hex

HostSlot = Callable[[str], AbstractContextManager] | None  # host -> held while fetching from it
_REPLAY_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T_ ](\d{2})[:-]?(\d{2})(?:[:-]?(\d{2}))?)?(Z)?$")


class ReplayError(ValueError):
    """A replay directory or file name that cannot be used."""


def fetch_capture(
    store: SnapshotStore, source: Source, policy: FetchPolicy, wait_lock: float = 60.0, host_slot: HostSlot = None
) -> Capture:
    """Fetch a source (conditionally, from its last good capture) and store what came back.

    `host_slot(host)` is held around the fetch (every request it makes to the source's host):
    the politeness of `flows.politeness`. The source's write lock is taken only to store the
    answer, never while waiting on the network.
    """
    last = store.last_body_capture(source.url)
    if last is not None and not last.ok:
        last = None  # validators of an error page would turn the next answer into a false 304
    with host_slot(source.host) if host_slot else nullcontext():
        result = fetch(
            source.url,
            allowed_hosts=source.allowed_hosts,
            etag=last.etag if last else None,
            last_modified=last.last_modified if last else None,
            policy=replace(policy, allow_private=source.allow_private),
        )
    with store.writing(wait_lock, source=source.id):
        return store.add_capture(source.id, result, origin="fetch")


@dataclass(frozen=True)
class Fetched:
    """What fetching a source came to: the capture stored (any status) or None, and whether
    the page is away (its latest fetches all failed) after this attempt."""

    capture: Capture | None
    away: Away | None


def fetch_source(
    store: SnapshotStore, source: Source, policy: FetchPolicy, wait_lock: float = 60.0, host_slot: HostSlot = None
) -> Fetched:
    """Fetch and store a source; a fetch that fails is a recorded outcome, never an exception."""
    try:
        capture = fetch_capture(store, source, policy, wait_lock, host_slot)
    except FetchError as error:
        with store.writing(wait_lock, source=source.id):
            store.record_failure(source.id, source.url, error.kind, str(error), datetime.now(timezone.utc))
        capture = None
    return Fetched(capture, away_now(store, source.id))


def away_now(store: SnapshotStore, source_id: str) -> Away | None:
    """Whether a source's latest fetches all failed, and since when."""
    return away(source_id, attempts(store.captures(source_id), store.failures(source_id)))


@dataclass(frozen=True)
class ReplayLayout:
    """What a directory of archived copies holds for the sources asked about."""

    copies: dict[str, list[tuple[datetime, Path]]]  # source id -> its copies, oldest first
    skipped: list[str]  # one line per file left out, saying why
    missing: list[str]  # sources asked about with no folder of copies


def replay_layout(directory: Path, source_ids: list[str], option: str = "--replay") -> ReplayLayout:
    """`DIR/<source-id>/<ISO date or datetime>.html` for each source (or, for a single source,
    `DIR/<ISO date>.html`), checked before anything is stored: a directory in which no source
    has copies is an error that shows what it holds and what was expected; a file whose name
    is no date is left out and said, and the other copies are read.

    Shared by `track --replay` and `backfill --html`: one way in for dated copies.
    """
    if not directory.is_dir():
        raise ReplayError(f"{option} {directory}: not a directory; it must hold <source-id>/<ISO date>.html files")
    folders = {sid: directory / sid for sid in source_ids if (directory / sid).is_dir()}
    if not folders:
        if len(source_ids) == 1 and any(directory.glob("*.html")):
            folders = {source_ids[0]: directory}
        else:
            raise ReplayError(_layout_problem(directory, source_ids, option))
    copies, skipped = {}, []
    for source_id, folder in folders.items():
        found = []
        for path in html_files(directory, folder):
            try:
                found.append((parse_replay_time(path), path))
            except ReplayError as exc:
                skipped.append(f"skipped {exc}")
        copies[source_id] = sorted(found)
    return ReplayLayout(copies, skipped, [sid for sid in source_ids if sid not in folders])


def _layout_problem(directory: Path, source_ids: list[str], option: str) -> str:
    entries = sorted(directory.iterdir(), key=lambda p: p.name)
    seen = ", ".join(p.name + ("/" if p.is_dir() else "") for p in entries[:6]) or "nothing"
    if len(entries) > 6:
        seen += f" and {len(entries) - 6} more"
    hint = ""
    if any(p.suffix == ".html" for p in entries) and len(source_ids) > 1:
        hint = f", or name the one source these copies are of with --source ID"
    return (
        f"{option} {directory}: no folder named after a source ({', '.join(s + '/' for s in source_ids)}); it holds: "
        f"{seen}. Put each source's copies in {directory}/<source-id>/<ISO date or datetime>.html "
        f"(e.g. {directory}/{source_ids[0]}/2024-05-28.html){hint}"
    )


def replay_files(directory: Path, source_id: str) -> list[tuple[datetime, Path]]:
    """The copies of one source in its folder of a replay directory, oldest first (see `replay_layout`)."""
    if not (directory / source_id).is_dir():
        return []
    return replay_layout(directory, [source_id]).copies[source_id]


def parse_replay_time(path: Path) -> datetime:
    """The time an archived copy was taken, from its name: an ISO date or datetime, UTC."""
    match = _REPLAY_NAME.match(path.stem)
    problem = "must be an ISO date or datetime"
    if match:
        day, hour, minute, second, _ = match.groups()
        try:
            return datetime.fromisoformat(day).replace(
                hour=int(hour or 0), minute=int(minute or 0), second=int(second or 0), tzinfo=timezone.utc
            )
        except ValueError:
            problem = "is no real date and time"
    raise ReplayError(f"{path}: the file name {problem}, e.g. 2024-05-28.html or 2024-05-28T06-00.html")


def replay_capture(store: SnapshotStore, source: Source, when: datetime, path: Path) -> Capture | None:
    """Store an archived copy as if fetched at `when`; None if that exact copy is stored already.

    An archived copy has no headers, so its charset is what the bytes say (BOM, `<meta>`) or detection.
    """
    body = read_copy(path)
    if store.has_capture(source.id, when, sha256_hex(body)):
        return None
    charset, _ = choose_charset(None, body)
    result = FetchResult(
        url=source.url,
        final_url=source.url,
        status=200,
        reason="OK",
        headers=(("Content-Type", "text/html"),),
        request_headers=(),
        body=body,
        fetched_at=when,
        redirects=(),
        content_type="text/html",
        charset=charset,
        http_version="HTTP/1.1",
    )
    return store.add_capture(source.id, result, origin="replay")


@dataclass
class Processed:
    """The result of extracting and comparing the pending captures of one source."""

    events: list[ChangeEvent]
    captures: int
    baseline_at: str | None  # set when this processing made the source's first (baseline) extraction
    suspect: bool


def process_pending(
    store: SnapshotStore,
    source: Source,
    extractor_version: str = EXTRACTOR_VERSION,
    reviewed: Reviewed | None = None,
) -> Processed:
    """Extract every capture of `source` not yet extracted by this version, then derive the
    source's history again over every capture in time order, and store it where it changed.

    So a copy that arrives late (a replay or backfill of older pages) lands where it belongs in
    time, and a run killed between the two writes is made good by the next. `reviewed` is the
    reviewed people file (default: `--people` / ROSTERWATCH_PEOPLE / people.toml). The events
    returned are those the stored history did not have yet.
    """
    reviewed = load_reviewed() if reviewed is None else reviewed
    pending = store.unextracted(source.id, extractor_version)
    done: dict[tuple, tuple[str | None, int, int | None]] = {}
    rows, shared = [], {}
    for capture in pending:
        extraction_json, count = None, 0
        if capture.ok:
            key = (capture.payload_sha256, capture.final_url, capture.charset)
            if key not in done:
                known = store.shared_extraction(capture, extractor_version)
                if known:  # unchanged content: the stored extraction, by reference; no parsing, no NER model
                    done[key] = (known[1], known[2], known[0])
                else:
                    html = decode(store.read_body(capture), capture.charset)
                    extraction = extract(html, source.id, url=capture.final_url, language=source.language)
                    done[key] = (extraction.to_json(), extraction.member_count, None)
            extraction_json, count, same_as = done[key]
            if same_as is not None:
                shared[capture.id] = same_as
        rows.append((capture.id, extraction_json, count))
    store.add_extractions(extractor_version, rows, shared)
    fingerprint = reviewed_fingerprint(reviewed)
    repeats = _repeats_of_accepted(store, source, extractor_version, pending, fingerprint)
    if repeats:  # the page again, as last accepted: the history stands, whatever its length
        store.record_derivation(source.id, extractor_version, fingerprint, pending[-1].id,
                                accept=tuple(c.id for c in pending))
        return Processed(events=[], captures=len(pending), baseline_at=None, suspect=False)
    stored = store.history_rows(source.id, extractor_version)
    history = derive_history(store, source, extractor_version, reviewed)
    store_history(store, source, extractor_version, history)
    if history.accepted:
        store.record_derivation(source.id, extractor_version, fingerprint, _newest_capture(store, source.id, history))
    unseen = Counter(map(_meaning, stored))
    new = [row for row in history.events if not _take(unseen, _meaning(row))]
    baseline = next((c for c in pending if history.baseline == c.id), None)
    return Processed(
        events=[ChangeEvent.from_json(row[3]) for row in new],
        captures=len(pending),
        baseline_at=baseline.fetched_at if baseline else None,
        suspect=any(c.ok and not history.accepted[c.id] for c in pending),
    )


def reviewed_fingerprint(reviewed: Reviewed) -> str:
    """The reviewed people file as derivation saw it: a changed file derives the history again."""
    return hashlib.sha256(repr(reviewed).encode("utf-8")).hexdigest()[:32]


def _newest_capture(store: SnapshotStore, source_id: str, history: "History") -> int:
    """The capture, newest in time, that the history was derived over."""
    ordered = [c.id for c in store.captures(source_id) if c.id in history.accepted]
    return ordered[-1]


def _repeats_of_accepted(store: SnapshotStore, source: Source, version: str, pending: list[Capture],
                         fingerprint: str) -> bool:
    """Every new capture repeats, later in time, the very page of the newest capture the history
    was derived over, with the same reviewed people file, and that capture was accepted: then no
    rule can find anything new (an identical composition is no change, and a repeat confirms
    only a drop, which an accepted capture is not)."""
    if not pending:
        return False
    derived = store.derivation(source.id, version)
    if derived is None or derived[0] != fingerprint:
        return False
    extracted = store.extracted(source.id, version)
    if not extracted.get(derived[1], (False, ""))[0]:
        return False
    by_id = {c.id: c for c in store.captures(source.id)}
    last = by_id.get(derived[1])
    pending_ids = {c.id for c in pending}
    if last is None or not last.ok or any(
            c.id in extracted and c.id not in pending_ids and c.fetched_at > last.fetched_at for c in by_id.values()):
        return False  # a capture derived since (or the record is stale): derive again
    key = (last.payload_sha256, last.final_url, last.charset)
    return all(c.ok and c.fetched_at > last.fetched_at and (c.payload_sha256, c.final_url, c.charset) == key
               for c in pending)


@dataclass
class History:
    """A source's change history by one extractor version, as derived from its extractions."""

    accepted: dict[int, bool]
    events: list[tuple[int, str, str, str]]  # (to_capture, kind, at, json), in order
    baseline: int | None = None  # the capture the history starts from


def derive_history(store: SnapshotStore, source: Source, version: str, reviewed: Reviewed | None = None) -> History:
    """`derive` over every capture of a source that has an extraction by `version`, oldest first.

    Only the stored extractions are read (the page status and text the rules need are in them),
    never the bodies.
    """
    reviewed = load_reviewed() if reviewed is None else reviewed
    done = store.extracted(source.id, version)
    captures = [c for c in store.captures(source.id) if c.id in done]
    parsed: dict[str, Extraction] = {}
    items = []
    for capture in captures:
        extraction = None
        if capture.ok:
            text = done[capture.id][1]
            extraction = parsed.get(text) or parsed.setdefault(text, Extraction.from_json(text))
        items.append((CaptureRef(id=capture.id, at=capture.fetched_at, url=capture.final_url), extraction))
    history = History(accepted={}, events=[])
    for capture, step in zip(captures, derive(source.id, items, reviewed)):
        history.accepted[capture.id] = step.accepted
        history.events.extend((capture.id, e.kind, e.at, e.to_json()) for e in step.events)
        if step.baseline:
            history.baseline = capture.id
    return history


def store_history(store: SnapshotStore, source: Source, version: str, history: History) -> bool:
    """Store a derived history where it differs from the stored one; True when something was written."""
    stored_accepted = {cid: accepted for cid, (accepted, _) in store.extracted(source.id, version).items()}
    if history.events == store.history_rows(source.id, version) and history.accepted == stored_accepted:
        return False
    store.replace_history(source.id, version, history.accepted, history.events)
    return True


def _meaning(row: tuple[int, str, str, str]) -> tuple:
    """What a stored event says, not what it was compared with (a late copy changes only that)."""
    event = ChangeEvent.from_json(row[3])
    return (row[0], event.kind, event.group, event.person, repr(event.before), repr(event.after), event.diff)


def _take(counter: Counter, key) -> bool:
    if counter[key] > 0:
        counter[key] -= 1
        return True
    return False


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
