"""The snapshot store: raw responses in WARC files, indexed in a database.

Layout under the data root::

    warc/<source>/<year>.warc.gz   request/response records, one gzip member each
    index.sqlite                   captures, extractions, change events, runs (unless a DB URL is set)
    reports/                       one Markdown report per tracking run
    .lock, locks/<source>.lock     write locks (`snapshots.locks`; advisory locks on PostgreSQL)

Why it is safe to kill: a capture's records are built in memory, appended to the WARC file
and fsynced, and only then indexed in one transaction. Whatever a killed process appended
without indexing is a tail past the last indexed record; `recover()` (run under the lock
before every write session, for the files that lock covers) cuts it off, so every WARC file stays readable record by record,
and says so once in the run log with the bytes cut.
A payload equal to the URL's previous one is written as a WARC revisit record, without body.

When the disk is full or the data dir read-only, every write raises a `StoreError` whose
message is one line naming the data dir (and the free space); a store opened with
`readonly=True` never writes, so the query commands keep working in both cases.
"""

from __future__ import annotations

import base64
import errno
import functools
import hashlib
import io
import json
import logging
import os
import shutil
import threading
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator, Protocol

from sqlalchemy import and_, delete, func, insert, select, update
from sqlalchemy.exc import OperationalError
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.utils import Digester
from warcio.warcwriter import WARCWriter

from snapshots import index
from snapshots.index import captures, changes, derivations, extraction_text, extractions, failures, runs
from snapshots.locks import AdvisoryLocks, FileLocks, LockTimeout

PROFILE_IDENTICAL = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
PROFILE_NOT_MODIFIED = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
LOW_SPACE = 1 << 20  # below this much free space, SQLite's "disk I/O error" means a full disk

log = logging.getLogger(__name__)


_WRITE_QUEUES: dict[tuple[Path, str | None], threading.Lock] = {}
_WRITE_QUEUES_GUARD = threading.Lock()


def _write_queue(root: Path, source: str | None) -> threading.Lock:
    """The threads of one process wait for a write lock (a source's, or the data root's) here,
    in turn, rather than polling the lock itself (a poll sleeps; on a run of many sources the
    sleeps were most of its time)."""
    key = (root.resolve(), source)
    with _WRITE_QUEUES_GUARD:
        return _WRITE_QUEUES.setdefault(key, threading.Lock())


class StoreBusy(RuntimeError):
    """Another run holds the write lock wanted (a source's, or the data root's)."""


class StoreError(RuntimeError):
    """The store cannot do what was asked (missing record, unreadable file, full disk, ...)."""


def storage_error(root: Path, exc: BaseException) -> StoreError:
    """One line for a failed write under `root`: full disk (with the free space), read-only, or other."""
    code = getattr(exc, "errno", None)
    reason = str(getattr(exc, "orig", None) or getattr(exc, "strerror", None) or exc).splitlines()[0]
    free = _free_bytes(root)
    full = code in (errno.ENOSPC, errno.EDQUOT) or "full" in reason or ("disk I/O error" in reason and free < LOW_SPACE)
    if full:
        return StoreError(
            f"data dir {root} is full ({_size(free)} free on its disk): free some space or move it (--data-dir); "
            "nothing stored was lost, and the query commands still work"
        )
    if code in (errno.EROFS, errno.EACCES, errno.EPERM) or "readonly" in reason or not os.access(root, os.W_OK):
        return StoreError(
            f"data dir {root} is read-only ({reason}): run track, reextract and backfill where it can be written; "
            "the query commands still work"
        )
    return StoreError(f"cannot write to data dir {root} ({reason}): check its disk; nothing stored was lost")


def _free_bytes(root: Path) -> int:
    for path in (root, *root.parents):
        try:
            return shutil.disk_usage(path).free
        except OSError:
            continue
    return 0


def _size(count: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if count < 1000 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1000
    return f"{count} B"


def _writes(method):
    """A write of the store: an OS or database failure becomes one StoreError line."""

    @functools.wraps(method)
    def guarded(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except (OSError, OperationalError) as exc:
            raise storage_error(self.root, exc) from exc

    return guarded


class Response(Protocol):
    """What the store needs of a fetched (or replayed) response; `snapshots.fetch.FetchResult` fits."""

    url: str
    final_url: str
    status: int
    reason: str
    headers: tuple[tuple[str, str], ...]
    request_headers: tuple[tuple[str, str], ...]
    body: bytes
    fetched_at: datetime
    content_type: str | None
    charset: str | None
    http_version: str

    @property
    def etag(self) -> str | None: ...

    @property
    def last_modified(self) -> str | None: ...


@dataclass(frozen=True)
class Capture:
    """One row of the capture index: a dated observation of a URL."""

    id: int
    source: str
    url: str
    final_url: str
    fetched_at: str
    status: int
    reason: str | None
    etag: str | None
    last_modified: str | None
    content_type: str | None
    charset: str | None
    payload_sha256: str | None
    body_bytes: int
    record_type: str
    revisit_of: int | None
    warc_file: str
    warc_offset: int
    warc_length: int
    origin: str

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300 or self.status == 304


@dataclass(frozen=True)
class Failure:
    """One row of the failure index: a fetch that stored nothing, and why."""

    id: int
    source: str
    url: str
    at: str
    kind: str
    message: str


def iso_utc(moment: datetime) -> str:
    """The one timestamp format of the index: UTC, seconds, trailing Z (sorts as text)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class SnapshotStore:
    def __init__(self, root: Path | str, db_url: str | None = None, readonly: bool = False):
        """The store under `root`; `readonly` opens the index only to read and creates nothing."""
        self.root = Path(root).expanduser()
        self.readonly = readonly
        self.repairs: list[str] = []  # WARC tails cut by recover() in this process
        self.db_url = db_url or f"sqlite:///{self.root / 'index.sqlite'}"
        try:
            if not readonly:
                self.root.mkdir(parents=True, exist_ok=True)
            self.engine = index.connect(self.db_url, readonly=readonly)
        except (OSError, OperationalError) as exc:
            if readonly:
                raise StoreError(f"cannot read the index in {self.root} ({exc}); check --data-dir") from exc
            raise storage_error(self.root, exc) from exc
        self._write_lock = threading.Lock()

    # ---------------------------------------------------------------- locking and recovery

    @contextmanager
    def writing(self, wait_seconds: float = 60.0, source: str | None = None) -> Iterator["SnapshotStore"]:
        """Hold a write lock (waiting up to `wait_seconds`) and recover what it covers first.

        With `source`, the lock of that source alone: writers of other sources go on at the
        same time. Without, the whole data root (`reextract`, `backfill`). Hold it only around
        writes, never while waiting on the network: a slow site must not keep another run, or
        `reextract`, out of the data dir.
        """
        started = time.monotonic()
        queue = _write_queue(self.root, source)
        if not queue.acquire(timeout=max(wait_seconds, 0)):
            what = f"data dir {self.root}" if source is None else f"source {source} in data dir {self.root}"
            raise StoreBusy(
                f"{what} is in use by another stage of this run; raise --wait-lock (waited {wait_seconds:g}s)"
            )
        try:
            held = ExitStack()
            try:
                held.enter_context(self._locks().hold(source, max(0.0, wait_seconds - (time.monotonic() - started))))
                self._recover_noting(source)
            except LockTimeout as busy:
                held.close()
                where = f"data dir {self.root}" if busy.what == "the data dir" else f"{busy.what} in data dir {self.root}"
                raise StoreBusy(
                    f"{where} is in use by {busy.holder}; wait for that run to finish "
                    f"or raise --wait-lock (waited {wait_seconds:g}s)"
                ) from None
            except OSError as exc:
                held.close()
                raise storage_error(self.root, exc) from exc
            except BaseException:
                held.close()
                raise
            with held:
                yield self
        finally:
            queue.release()

    def _locks(self) -> FileLocks | AdvisoryLocks:
        if self.engine.dialect.name == "postgresql":
            return AdvisoryLocks(self.engine)
        return FileLocks(self.root)

    @_writes
    def _recover_noting(self, source: str | None = None) -> None:
        for note in self.recover(source):
            log.warning("repaired %s", note)
            self.repairs.append(note)

    def recover(self, source: str | None = None) -> list[str]:
        """Cut WARC tails that no index row covers (left by a process killed mid-write): of one
        source's files, or of every file. Call it holding the lock that covers them."""
        warc_dir = self.root / "warc"
        pattern = f"{_safe_name(source)}/*.warc.gz" if source else "*/*.warc.gz"
        paths = sorted(warc_dir.glob(pattern)) if warc_dir.exists() else []
        ends = self._indexed_ends(source=source) if paths else {}
        notes = []
        for path in paths:
            rel = path.relative_to(self.root).as_posix()
            cut = _cut_to(path, ends.get(rel, 0))
            if cut:
                notes.append(f"{rel}: cut {cut} unindexed bytes left by an interrupted run")
        return notes

    def _indexed_ends(self, rel: str | None = None, source: str | None = None) -> dict[str, int]:
        """Where the last indexed record of each WARC file (or of `rel`, or of a source's files) ends."""
        query = select(captures.c.warc_file, func.max(captures.c.warc_offset + captures.c.warc_length)).group_by(
            captures.c.warc_file
        )
        if rel is not None:
            query = query.where(captures.c.warc_file == rel)
        if source is not None:
            query = query.where(captures.c.source == source)
        with self.engine.connect() as conn:
            return dict(conn.execute(query).all())

    def _cut_unindexed(self, rel: str) -> None:
        try:
            _cut_to(self.root / rel, self._indexed_ends(rel).get(rel, 0))
        except (OSError, OperationalError):
            pass  # recover() cuts it under the next lock

    # ---------------------------------------------------------------- captures

    @_writes
    def add_capture(self, source: str, response: Response, origin: str = "fetch") -> Capture:
        """Store one response (its body only if new for this URL) and index it."""
        fetched_at = iso_utc(response.fetched_at)
        with self._write_lock:
            previous = self.last_body_capture(response.url, at_or_before=fetched_at)
            not_modified = response.status == 304
            if not_modified and previous is None:
                raise StoreError(f"{response.url}: server said 304 Not Modified but nothing is stored for it yet")
            payload_sha = previous.payload_sha256 if not_modified else sha256_hex(response.body)
            # a 304 stands for the stored payload: it has that payload's status, type and validators
            payload_of = self.capture(previous.revisit_of) if previous is not None and previous.status == 304 else previous
            if not_modified:
                profile = PROFILE_NOT_MODIFIED
            elif previous is not None and previous.payload_sha256 == payload_sha and payload_of.status == response.status:
                profile = PROFILE_IDENTICAL
            else:
                profile = None
            records = _build_records(response, fetched_at, payload_sha, profile, previous)
            rel = f"warc/{_safe_name(source)}/{fetched_at[:4]}.warc.gz"
            offset = self._append(rel, records)
            row = dict(
                source=source,
                url=response.url,
                final_url=response.final_url,
                fetched_at=fetched_at,
                status=response.status,
                reason=response.reason,
                etag=response.etag or (previous.etag if not_modified else None),
                last_modified=response.last_modified or (previous.last_modified if not_modified else None),
                content_type=response.content_type or (previous.content_type if not_modified else None),
                charset=response.charset or (previous.charset if not_modified else None),
                payload_sha256=payload_sha,
                body_bytes=0 if profile else len(response.body),
                record_type="revisit" if profile else "response",
                revisit_of=(previous.revisit_of or previous.id) if profile else None,
                warc_file=rel,
                warc_offset=offset,
                warc_length=len(records),
                origin=origin,
            )
            try:
                with self.engine.begin() as conn:
                    new_id = conn.execute(insert(captures).values(**row)).inserted_primary_key[0]
            except (OSError, OperationalError):
                self._cut_unindexed(rel)  # not indexed (full disk, read-only index): take the bytes back now
                raise
            return Capture(id=new_id, **row)

    def _append(self, rel: str, data: bytes) -> int:
        """Append and fsync; a failed append (full disk) is cut off again at once."""
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "ab", buffering=0) as fh:  # unbuffered: a failed write leaves nothing to flush
            offset = fh.seek(0, os.SEEK_END)
            try:
                rest = memoryview(data)
                while rest:
                    rest = rest[fh.write(rest) :]
                os.fsync(fh.fileno())
            except OSError:
                os.ftruncate(fh.fileno(), offset)
                raise
        return offset

    def capture(self, capture_id: int) -> Capture:
        with self.engine.connect() as conn:
            row = conn.execute(select(captures).where(captures.c.id == capture_id)).mappings().first()
        if row is None:
            raise StoreError(f"no capture with id {capture_id}")
        return Capture(**row)

    def captures(self, source: str | None = None, since: str | None = None) -> list[Capture]:
        """Captures in time order (ties by id), optionally of one source and from a time on."""
        query = select(captures).order_by(captures.c.fetched_at, captures.c.id)
        if source:
            query = query.where(captures.c.source == source)
        if since:
            query = query.where(captures.c.fetched_at >= since)
        with self.engine.connect() as conn:
            return [Capture(**row) for row in conn.execute(query).mappings()]

    def last_capture(self, source: str) -> Capture | None:
        found = self.captures(source)
        return found[-1] if found else None

    def last_body_capture(self, url: str, at_or_before: str | None = None) -> Capture | None:
        """The latest capture of `url` that carries content (for conditional GET and dedup).

        `at_or_before` (ISO UTC) looks back from a point in time, so a backfilled old capture is
        deduplicated against what preceded it, not against today's page.
        """
        query = (
            select(captures)
            .where(and_(captures.c.url == url, captures.c.payload_sha256.is_not(None)))
            .order_by(captures.c.fetched_at.desc(), captures.c.id.desc())
            .limit(1)
        )
        if at_or_before:
            query = query.where(captures.c.fetched_at <= at_or_before)
        with self.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        return Capture(**row) if row else None

    def has_capture(self, source: str, fetched_at: datetime, payload_sha256: str) -> bool:
        """Whether this exact content was already stored for this source at this time (replay/backfill dedup)."""
        query = select(func.count()).where(
            and_(
                captures.c.source == source,
                captures.c.fetched_at == iso_utc(fetched_at),
                captures.c.payload_sha256 == payload_sha256,
            )
        )
        with self.engine.connect() as conn:
            return conn.execute(query).scalar_one() > 0

    def read_body(self, capture: Capture) -> bytes:
        """The payload a capture saw, following revisit records to the record that holds it."""
        holder = self.capture(capture.revisit_of) if capture.revisit_of else capture
        return read_payload(self.root / holder.warc_file, holder.warc_offset)

    # ---------------------------------------------------------------- extractions and changes

    def extraction_json(self, capture_id: int, extractor_version: str) -> str | None:
        query = select(extraction_text).where(
            and_(extractions.c.capture_id == capture_id, extractions.c.extractor_version == extractor_version)
        )
        with self.engine.connect() as conn:
            return conn.execute(query).scalar()

    def shared_extraction(self, capture: Capture, extractor_version: str) -> tuple[int, str, int] | None:
        """(id, json, member count) of the extraction this version made of the payload `capture` repeats, if any.

        A revisit (unchanged content, or a 304) of a 2xx capture at the same final URL and
        charset gets the same extraction, since extraction is a pure function of those:
        reusing it costs no parsing and no NER model, and storing it costs a reference.
        """
        if not capture.revisit_of:
            return None
        holder = self.capture(capture.revisit_of)
        same = (holder.source, holder.final_url, holder.charset) == (capture.source, capture.final_url, capture.charset)
        if not same or not 200 <= holder.status < 300:
            return None
        query = select(extractions.c.id, extractions.c.same_as, extraction_text, extractions.c.member_count).where(
            and_(extractions.c.capture_id == holder.id, extractions.c.extractor_version == extractor_version)
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return (row[1] or row[0], row[2], row[3]) if row else None

    def unextracted(self, source: str, extractor_version: str) -> list[Capture]:
        """Captures of `source` with no extraction by this version yet, oldest first."""
        done = select(extractions.c.capture_id).where(extractions.c.extractor_version == extractor_version)
        query = (
            select(captures)
            .where(and_(captures.c.source == source, captures.c.id.not_in(done)))
            .order_by(captures.c.fetched_at, captures.c.id)
        )
        with self.engine.connect() as conn:
            return [Capture(**row) for row in conn.execute(query).mappings()]

    def last_accepted(self, source: str, extractor_version: str, until: str | None = None) -> tuple[Capture, str] | None:
        """The latest accepted extraction of a source (at or before `until`): the composition then current."""
        query = (
            select(captures, extraction_text.label("extraction_json"))
            .join(extractions, extractions.c.capture_id == captures.c.id)
            .where(
                and_(
                    captures.c.source == source,
                    extractions.c.extractor_version == extractor_version,
                    extractions.c.accepted == 1,
                )
            )
            .order_by(captures.c.fetched_at.desc(), captures.c.id.desc())
            .limit(1)
        )
        if until:
            query = query.where(captures.c.fetched_at <= until)
        with self.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        if row is None:
            return None
        data = dict(row)
        extraction = data.pop("extraction_json")
        return Capture(**data), extraction

    @_writes
    def add_extractions(
        self, extractor_version: str, rows: list[tuple[int, str | None, int]], shared: dict[int, int] | None = None
    ) -> None:
        """Store a batch of (capture_id, json, member_count) in one transaction, without events.

        Every path stores extractions this way and derives the history afterwards
        (`replace_history`); until then each row counts as accepted. A capture that could not
        be extracted (an error status) is stored with json None as "{}", so it is not retried.
        Rows with the same JSON (the captures that share a payload) store it once and refer to
        it; `shared` maps a capture to a stored extraction it refers to (`shared_extraction`).
        """
        if not rows:
            return
        shared = shared or {}
        first: dict[str, int] = {}  # JSON -> the capture whose row holds it
        originals, copies, referring = [], [], []
        for cid, js, count in rows:
            row = dict(capture_id=cid, extractor_version=extractor_version, member_count=count, accepted=1)
            if cid in shared:
                referring.append(dict(row, json="", same_as=shared[cid]))
                continue
            text = compact_json(js) if js else "{}"
            if text == "{}" or text not in first:
                first.setdefault(text, cid)
                originals.append(dict(row, json=text, same_as=None))
            else:
                copies.append((row, first[text]))
        with self.engine.begin() as conn:
            for batch in (originals, referring):
                if batch:
                    conn.execute(insert(extractions), batch)
            if copies:
                holders = {holder for _, holder in copies}
                ids = dict(
                    conn.execute(
                        select(extractions.c.capture_id, extractions.c.id).where(
                            and_(extractions.c.extractor_version == extractor_version, extractions.c.capture_id.in_(holders))
                        )
                    ).all()
                )
                conn.execute(insert(extractions), [dict(row, json="", same_as=ids[holder]) for row, holder in copies])

    def extracted(self, source: str, extractor_version: str) -> dict[int, tuple[bool, str]]:
        """capture id -> (accepted, json) of every extraction of a source by one version."""
        query = (
            select(extractions.c.capture_id, extractions.c.accepted, extraction_text)
            .join(captures, captures.c.id == extractions.c.capture_id)
            .where(and_(captures.c.source == source, extractions.c.extractor_version == extractor_version))
        )
        with self.engine.connect() as conn:
            return {cid: (bool(accepted), js) for cid, accepted, js in conn.execute(query)}

    def history_rows(self, source: str, extractor_version: str) -> list[tuple[int, str, str, str]]:
        """(to_capture, kind, at, json) of a source's stored change events by one version, as stored."""
        query = (
            select(changes.c.to_capture, changes.c.kind, changes.c.at, changes.c.json)
            .where(and_(changes.c.source == source, changes.c.extractor_version == extractor_version))
            .order_by(changes.c.id)
        )
        with self.engine.connect() as conn:
            return [tuple(row) for row in conn.execute(query)]

    @_writes
    def replace_history(
        self,
        source: str,
        extractor_version: str,
        accepted: dict[int, bool],
        events: list[tuple[int, str, str, str]],
    ) -> None:
        """Swap in a recomputed history (accepted flags, change events) in one transaction.

        Change events and accepted flags are derived from the stored extractions; when a capture
        lands before ones already compared (backfill), they are derived again. Captures and
        extraction JSON are never touched.
        """
        with self.engine.begin() as conn:
            conn.execute(
                delete(changes).where(and_(changes.c.source == source, changes.c.extractor_version == extractor_version))
            )
            conn.execute(delete(derivations).where(
                and_(derivations.c.source == source, derivations.c.extractor_version == extractor_version)))
            for flag in (True, False):
                ids = [cid for cid, ok in accepted.items() if ok is flag]
                for start in range(0, len(ids), 500):
                    conn.execute(
                        update(extractions)
                        .where(
                            and_(
                                extractions.c.extractor_version == extractor_version,
                                extractions.c.capture_id.in_(ids[start : start + 500]),
                            )
                        )
                        .values(accepted=int(flag))
                    )
            if events:
                conn.execute(
                    insert(changes),
                    [
                        dict(source=source, extractor_version=extractor_version, to_capture=cid, kind=kind, at=at, json=js)
                        for cid, kind, at, js in events
                    ],
                )

    def derivation(self, source: str, extractor_version: str) -> tuple[str, int] | None:
        """(reviewed fingerprint, newest capture) the stored history was last derived over."""
        query = select(derivations.c.reviewed, derivations.c.last_capture).where(
            and_(derivations.c.source == source, derivations.c.extractor_version == extractor_version))
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return (row[0], row[1]) if row else None

    @_writes
    def record_derivation(self, source: str, extractor_version: str, reviewed: str, last_capture: int,
                          accept: tuple[int, ...] = ()) -> None:
        """Say what the stored history is derived over; `accept` marks repeats of an accepted page."""
        with self.engine.begin() as conn:
            if accept:
                conn.execute(update(extractions).where(and_(
                    extractions.c.extractor_version == extractor_version, extractions.c.capture_id.in_(accept))
                ).values(accepted=1))
            conn.execute(delete(derivations).where(
                and_(derivations.c.source == source, derivations.c.extractor_version == extractor_version)))
            conn.execute(insert(derivations).values(source=source, extractor_version=extractor_version,
                                                    reviewed=reviewed, last_capture=last_capture))

    def extractor_versions(self) -> list[str]:
        """Every extractor version with stored extractions, the most recently used last."""
        query = (
            select(extractions.c.extractor_version)
            .group_by(extractions.c.extractor_version)
            .order_by(func.max(extractions.c.id))
        )
        with self.engine.connect() as conn:
            return list(conn.execute(query).scalars())

    def change_rows(
        self, extractor_version: str, source: str | None = None, since: str | None = None
    ) -> list[str]:
        """Change events (as JSON) in time order."""
        query = (
            select(changes.c.json)
            .where(changes.c.extractor_version == extractor_version)
            .order_by(changes.c.at, changes.c.to_capture, changes.c.id)
        )
        if source:
            query = query.where(changes.c.source == source)
        if since:
            query = query.where(changes.c.at >= since)
        with self.engine.connect() as conn:
            return list(conn.execute(query).scalars())

    # ---------------------------------------------------------------- failures and runs

    @_writes
    def record_failure(self, source: str, url: str, kind: str, message: str, at: datetime) -> None:
        with self.engine.begin() as conn:
            conn.execute(insert(failures).values(source=source, url=url, at=iso_utc(at), kind=kind, message=message))

    def failures(self, source: str | None = None) -> list[Failure]:
        """Fetches that got no answer worth storing (DNS, time-out, refused, robots, ...), in time order."""
        query = select(failures).order_by(failures.c.at, failures.c.id)
        if source:
            query = query.where(failures.c.source == source)
        with self.engine.connect() as conn:
            return [Failure(**row) for row in conn.execute(query).mappings()]

    @_writes
    def record_run(self, started_at: datetime, finished_at: datetime, report_md: str, summary: str) -> Path:
        """Write the run's Markdown report under reports/ and index it.

        Runs of different sources finish at the same time and hold no common lock, so the
        file name is claimed atomically (a hard link fails if the name is taken).
        """
        reports = self.root / "reports"
        reports.mkdir(exist_ok=True)
        stamp = iso_utc(started_at).replace(":", "")
        tmp = reports / f".{stamp}.{os.getpid()}.{threading.get_ident()}.md.tmp"
        try:
            tmp.write_text(report_md, encoding="utf-8")
            path = _claim(tmp, reports, stamp)
        finally:
            tmp.unlink(missing_ok=True)  # a full disk leaves no half-written file behind
        with self.engine.begin() as conn:
            conn.execute(
                insert(runs).values(
                    started_at=iso_utc(started_at),
                    finished_at=iso_utc(finished_at),
                    report_path=path.relative_to(self.root).as_posix(),
                    summary=summary,
                )
            )
        return path


def compact_json(text: str) -> str:
    """Stored JSON without indentation or spaces (an extraction is about a third smaller); same keys, same order."""
    return json.dumps(json.loads(text), ensure_ascii=False, separators=(",", ":"))


def _claim(tmp: Path, folder: Path, stamp: str) -> Path:
    """Link `tmp` as `folder/<stamp>.md`, else `<stamp>-2.md`, ...: the first name nobody has taken."""
    counter = 1
    while True:
        path = folder / (f"{stamp}.md" if counter == 1 else f"{stamp}-{counter}.md")
        try:
            os.link(tmp, path)
            return path
        except FileExistsError:
            counter += 1


def _cut_to(path: Path, end: int) -> int:
    """Truncate `path` to `end` bytes if it is longer; returns the bytes cut."""
    size = path.stat().st_size
    if size <= end:
        return 0
    with open(path, "r+b", buffering=0) as fh:
        fh.truncate(end)
        os.fsync(fh.fileno())
    return size - end


def read_payload(path: Path, offset: int) -> bytes:
    """The payload of the response record at `offset` (a plain function: extraction workers call it)."""
    try:
        with open(path, "rb") as fh:
            fh.seek(offset)
            for record in ArchiveIterator(fh):
                if record.rec_type != "response":
                    raise StoreError(f"{path}@{offset} is a {record.rec_type} record")
                return record.content_stream().read()
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {exc.strerror}") from exc
    raise StoreError(f"{path}@{offset}: no record there")


def _safe_name(source: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in source)


class _Sha256WARCWriter(WARCWriter):
    """warcio writes sha1 digests; the index keys content by sha256, so the WARC should too.

    A revisit record gets no WARC-Block-Digest (an optional header): its block is the HTTP
    headers alone, which the gzip member's CRC already guards, and the 60 bytes it costs are
    an eighth of an unchanged capture's record.
    """

    def _create_digester(self):
        return Digester("sha256")

    def ensure_digest(self, record, block=True, payload=True):
        super().ensure_digest(record, block=block and record.rec_type != "revisit", payload=payload)


def warc_digest(payload_sha256_hex: str) -> str:
    """The WARC form (`sha256:` + base32) of a hex sha256, as in WARC-Payload-Digest."""
    return "sha256:" + base64.b32encode(bytes.fromhex(payload_sha256_hex)).decode("ascii")


def _archived_headers(response: Response) -> list[tuple[str, str]]:
    """Response headers as they describe the stored payload.

    requests hands us the body already de-chunked and decompressed, so headers that describe
    the wire encoding are kept under an X-Archive-Orig- name and Content-Length is restated.
    """
    wire = {"content-encoding", "transfer-encoding", "content-length"}
    headers = [(f"X-Archive-Orig-{k}" if k.lower() in wire else k, v) for k, v in response.headers]
    if response.status != 304:
        headers.append(("Content-Length", str(len(response.body))))
    return headers


def _build_records(
    response: Response, fetched_at: str, payload_sha: str, profile: str | None, previous: Capture | None
) -> bytes:
    """The WARC bytes of one capture: the response record, then the request record; or a revisit record."""
    buf = io.BytesIO()
    writer = _Sha256WARCWriter(buf, gzip=True, warc_version="1.1")
    status_line = f"{response.status} {response.reason or ''}".strip()
    http_headers = StatusAndHeaders(status_line, _archived_headers(response), protocol=response.http_version or "HTTP/1.1")
    warc_headers = {"WARC-Date": fetched_at}
    if profile:
        warc_headers["WARC-Payload-Digest"] = warc_digest(payload_sha)
        record = writer.create_warc_record(
            response.final_url, "revisit", http_headers=http_headers, warc_headers_dict=warc_headers
        )
        record.rec_headers.add_header("WARC-Profile", profile)
        record.rec_headers.add_header("WARC-Refers-To-Target-URI", previous.url)
        record.rec_headers.add_header("WARC-Refers-To-Date", previous.fetched_at)
    else:
        record = writer.create_warc_record(
            response.final_url,
            "response",
            payload=io.BytesIO(response.body),
            length=None,
            http_headers=http_headers,
            warc_headers_dict=warc_headers,
        )
    writer.write_record(record)
    # An unchanged capture is its revisit record alone (~450 bytes): its request repeats the
    # stored one's but for the validators, which the index keeps (etag, last_modified).
    if response.request_headers and not profile:
        path = response.final_url.split("://", 1)[-1]
        path = "/" + path.split("/", 1)[1] if "/" in path else "/"
        request = writer.create_warc_record(
            response.final_url,
            "request",
            http_headers=StatusAndHeaders(f"GET {path} HTTP/1.1", list(response.request_headers), is_http_request=True),
            warc_headers_dict={"WARC-Date": fetched_at},
        )
        request.rec_headers.add_header("WARC-Concurrent-To", record.rec_headers.get_header("WARC-Record-ID"))
        writer.write_record(request)
    return buf.getvalue()
