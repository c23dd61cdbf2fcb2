"""Write locks of the store: one per source, and the whole data root.

A writer of one source (a track run storing a capture, extracting and comparing) holds that
source's lock exclusively and the data root's lock shared, so runs of different sources never
wait for each other while two writers of one source do. `reextract` and `backfill` hold the
data root's lock exclusively, which waits for every source writer and keeps them out.

On SQLite (one machine) the locks are `flock`s on files under the data root: `.lock` for the
root, `locks/<source>.lock` for a source; the holder writes its pid there, so a writer that
gives up can say who holds it. With the index on PostgreSQL the locks are the database's own
session advisory locks, which every machine sharing the index sees and which end with the
holder's connection (a killed worker leaves no lock behind).

Locks are held only around writes, never while waiting on the network.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

POLL_SECONDS = 0.05  # how often a waiting writer tries again


class LockTimeout(Exception):
    """A lock was not free within the wait; `what` names it, `holder` says who holds it."""

    def __init__(self, what: str, holder: str):
        super().__init__(f"{what} is in use by {holder}")
        self.what = what
        self.holder = holder


def holder_note() -> str:
    """What a holder writes where a waiting writer can read it."""
    moment = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"pid {os.getpid()} since {moment}"


class FileLocks:
    """`flock` on files under the data root; one machine (the SQLite index)."""

    def __init__(self, root: Path):
        self.root = root

    @contextmanager
    def hold(self, source: str | None, wait_seconds: float) -> Iterator[None]:
        deadline = time.monotonic() + wait_seconds
        root = self._take(self.root / ".lock", fcntl.LOCK_SH if source else fcntl.LOCK_EX, deadline, "the data dir")
        try:
            if source is None:
                _note(root)
                yield
                return
            folder = self.root / "locks"
            folder.mkdir(exist_ok=True)
            own = self._take(folder / f"{source}.lock", fcntl.LOCK_EX, deadline, f"source {source!r}")
            try:
                _note(own)
                yield
            finally:
                _release(own)
        finally:
            _release(root)

    @staticmethod
    def _take(path: Path, mode: int, deadline: float, what: str):
        handle = open(path, "a+b", buffering=0)  # unbuffered: nothing left to flush on a full disk
        while True:
            try:
                fcntl.flock(handle, mode | fcntl.LOCK_NB)
                return handle
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().decode("utf-8", errors="replace").strip()
                    handle.close()
                    raise LockTimeout(what, holder or "another run") from None
                time.sleep(POLL_SECONDS)


def _note(handle) -> None:
    try:  # who holds it, for a waiter's message; the flock is the lock, so a full disk may skip this
        handle.seek(0)
        handle.truncate()
        handle.write(holder_note().encode())
    except OSError:
        pass


def _release(handle) -> None:
    fcntl.flock(handle, fcntl.LOCK_UN)
    handle.close()


class AdvisoryLocks:
    """PostgreSQL session advisory locks: every machine that shares the index sees them."""

    ROOT = "data root"

    def __init__(self, engine: Engine):
        self.engine = engine

    @contextmanager
    def hold(self, source: str | None, wait_seconds: float) -> Iterator[None]:
        deadline = time.monotonic() + wait_seconds
        conn = self.engine.connect()
        taken: list[tuple[str, int]] = []
        try:
            conn.execute(text("SELECT set_config('application_name', :note, false)"), {"note": f"rosterwatch {holder_note()}"})
            conn.commit()
            if source is None:
                wanted = [("", key(self.ROOT), "the data dir")]
            else:
                wanted = [("_shared", key(self.ROOT), "the data dir"), ("", key(f"source {source}"), f"source {source!r}")]
            for mode, lock_key, what in wanted:
                self._take(conn, mode, lock_key, deadline, what)
                taken.append((mode, lock_key))
            yield
        finally:
            try:
                for mode, lock_key in reversed(taken):
                    conn.execute(text(f"SELECT pg_advisory_unlock{mode}(:k)"), {"k": lock_key})
                conn.commit()
                conn.close()
            except Exception:
                conn.invalidate()  # closing the session is what frees a session lock for sure
                conn.close()

    @staticmethod
    def _take(conn: Connection, mode: str, lock_key: int, deadline: float, what: str) -> None:
        while True:
            got = conn.execute(text(f"SELECT pg_try_advisory_lock{mode}(:k)"), {"k": lock_key}).scalar()
            conn.commit()
            if got:
                return
            if time.monotonic() >= deadline:
                raise LockTimeout(what, _pg_holder(conn, lock_key))
            time.sleep(POLL_SECONDS)


def key(name: str) -> int:
    """A lock's 64-bit advisory key: the first 8 bytes of sha256("rosterwatch " + name), signed."""
    return int.from_bytes(hashlib.sha256(f"rosterwatch {name}".encode()).digest()[:8], "big", signed=True)


def _pg_holder(conn: Connection, lock_key: int) -> str:
    """The application name of the session that holds an advisory lock, as its holder set it."""
    classid, objid = (lock_key >> 32) & 0xFFFFFFFF, lock_key & 0xFFFFFFFF
    found = conn.execute(
        text(
            "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'advisory' AND l.granted AND l.classid::bigint = :c AND l.objid::bigint = :o LIMIT 1"
        ),
        {"c": classid, "o": objid},
    ).scalar()
    conn.commit()
    return (found or "").removeprefix("rosterwatch ") or "another run"
