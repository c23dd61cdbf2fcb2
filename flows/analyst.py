"""Read the store into an `outputs.history.History`, the one input of every analyst output, and
the captured pages the HTML report archives beside it."""

from __future__ import annotations

from sqlalchemy import and_, func, select

from extractors import EXTRACTOR_VERSION
from extractors.model import Extraction
from flows.config import Source
from outputs.archive import CapturedPage
from outputs.events import ChangeEvent
from outputs.history import Body, History, Observation
from outputs.reviewed import Reviewed
from snapshots import outcome
from snapshots.index import captures, extraction_text, extractions
from snapshots.charset import decode
from snapshots.store import SnapshotStore, StoreError


def load_history(
    store: SnapshotStore,
    sources: dict[str, Source],
    reviewed: Reviewed,
    extractor_version: str = EXTRACTOR_VERSION,
    since: str | None = None,
) -> History:
    """Every accepted extraction (oldest first), the change events (those at or after `since`), and
    the sources whose latest fetches failed."""
    query = (
        select(
            captures.c.id, captures.c.source, captures.c.fetched_at, captures.c.final_url,
            captures.c.payload_sha256, extraction_text,
        )
        .join(extractions, extractions.c.capture_id == captures.c.id)
        .where(and_(extractions.c.extractor_version == extractor_version, extractions.c.accepted == 1))
        .order_by(captures.c.fetched_at, captures.c.id)
    )
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
    observations = [
        Observation(source, capture_id, at, url, sha256, Extraction.from_json(payload))
        for capture_id, source, at, url, sha256, payload in rows
    ]
    events = [ChangeEvent.from_json(r) for r in store.change_rows(extractor_version, since=since)]
    with store.engine.connect() as conn:
        captured = dict(conn.execute(select(captures.c.source, func.count()).group_by(captures.c.source)).all())
    bodies = {s.id: Body(s.id, s.name, s.url) for s in sources.values()}
    for observation in observations:
        bodies.setdefault(observation.source, Body(observation.source, observation.source, observation.url or ""))
    away = {}
    for source in bodies:
        found = outcome.away(source, outcome.attempts(store.captures(source), store.failures(source)))
        if found is not None:
            away[source] = found
    return History(bodies, observations, events, reviewed, away, captured)


def captured_pages(store: SnapshotStore, capture_ids: list[int]) -> dict[int, CapturedPage]:
    """The decoded page of each capture that holds one (an unchanged capture reads the copy it
    points to); a capture with no body (a 304, a failure) is left out."""
    pages = {}
    for capture_id in capture_ids:
        try:
            capture = store.capture(capture_id)
        except StoreError:
            continue
        if capture.payload_sha256 is None:
            continue
        text = decode(store.read_body(capture), capture.charset)
        pages[capture_id] = CapturedPage(capture_id, capture.source, capture.final_url, capture.fetched_at, text)
    return pages
