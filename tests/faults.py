"""Fault-harness helpers: a small full disk, a read-only data dir, and a check that a store is whole.

A full disk is a tmpfs of a few hundred KB (needs root, as in CI's container); a read-only
data dir a read-only bind mount (root) or, for other users, a directory without write
permission. Where neither can be had, `small_disk` yields None and the tests that need a
real full disk simulate one instead (`simulated_full_disk`) or skip, saying why.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import stat
import subprocess
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import event
from warcio.archiveiterator import ArchiveIterator

from snapshots.store import SnapshotStore


def _mount(*argv: str) -> bool:
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    return subprocess.run(["mount", *argv], capture_output=True).returncode == 0


def _umount(path: Path) -> None:
    subprocess.run(["umount", "-l", str(path)], capture_output=True)


@contextmanager
def small_disk(path: Path, size_kb: int) -> Iterator[Path | None]:
    """A tmpfs of `size_kb` KB at `path`, or None where one cannot be mounted."""
    path.mkdir(parents=True, exist_ok=True)
    if not _mount("-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(path)):
        yield None
        return
    try:
        yield path
    finally:
        _umount(path)


def fill(disk: Path) -> Path:
    """Fill a disk to the last byte with one file; remove it to free the space again."""
    filler = disk / "filler"
    with open(filler, "wb", buffering=0) as fh:
        for chunk in (b"\0" * 4096, b"\0"):
            try:
                while fh.write(chunk):
                    pass
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
    return filler


@contextmanager
def read_only(path: Path) -> Iterator[str]:
    """`path` made read-only for this process: a read-only bind mount as root, else chmod.

    Yields how ("mount" or "chmod").
    """
    if os.geteuid() == 0:
        if not _mount("--bind", "-o", "ro", str(path), str(path)):
            import pytest

            pytest.skip("running as root without mount permission: cannot make a read-only data dir")
        try:
            yield "mount"
        finally:
            _umount(path)
        return
    modes = {p: p.stat().st_mode for p in [path, *path.rglob("*")]}
    for p in modes:
        p.chmod(stat.S_IMODE(modes[p]) & ~0o222)
    try:
        yield "chmod"
    finally:
        for p, mode in modes.items():
            p.chmod(stat.S_IMODE(mode))


@contextmanager
def simulated_full_disk(store: SnapshotStore) -> Iterator[None]:
    """ENOSPC from every WARC append and SQLITE_FULL from every index write of `store`."""
    def no_space(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def full(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            raise sqlite3.OperationalError("database or disk is full")

    original = store._append
    store._append = no_space
    event.listen(store.engine, "before_cursor_execute", full)
    try:
        yield
    finally:
        event.remove(store.engine, "before_cursor_execute", full)
        store._append = original


def whole(root: Path) -> dict[str, bytes]:
    """Every WARC file of a store read back record by record (ends exactly at the last indexed
    record), with its bytes: what a fault must leave as it was."""
    store = SnapshotStore(root, readonly=True)
    ends: dict[str, int] = {}
    for capture in store.captures():
        ends[capture.warc_file] = max(ends.get(capture.warc_file, 0), capture.warc_offset + capture.warc_length)
        store.read_body(capture)
    files = {}
    for rel, end in ends.items():
        data = (root / rel).read_bytes()
        assert len(data) == end, f"{rel}: {len(data) - end} bytes past the last indexed record"
        with open(root / rel, "rb") as fh:
            assert all(record.rec_type for record in ArchiveIterator(fh))
        files[rel] = data
    store.engine.dispose()
    return files
