"""Local copies of pages (replay, backfill --html): regular files inside the given directory only.

A replay or backfill directory may come from elsewhere (an old crawl, a colleague's export),
so it is read like untrusted input: a symbolic link is never followed (it could point at
any file on the machine, which would then be archived as a page), nor is a folder that leads
out of the directory; FIFOs and devices are not read (they could block or never end), and a
file over the fetcher's size cap is left out. Each copy left out is named once in the run log.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

from snapshots.fetch import FetchPolicy

log = logging.getLogger(__name__)
MAX_BYTES = FetchPolicy().max_bytes


class UnsafeCopy(ValueError):
    """A path in a copies directory that is not a regular file inside it."""


def html_files(directory: Path, folder: Path) -> list[Path]:
    """The `*.html` regular files directly in `folder`, which must lie inside `directory`."""
    root = directory.resolve()
    if folder.is_symlink() or not folder.resolve().is_relative_to(root):
        log.warning("skipped %s: it leads out of %s (copies are read from regular files inside it only)", folder, root)
        return []
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob("*.html")):
        try:
            _check(path)
        except UnsafeCopy as exc:
            log.warning("skipped %s", exc)
            continue
        found.append(path)
    return found


def read_copy(path: Path) -> bytes:
    """The bytes of a regular file, opened without following a link (checked again on open)."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise UnsafeCopy(f"{path}: cannot be opened as a regular file ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeCopy(f"{path}: not a regular file")
        if info.st_size > MAX_BYTES:
            raise UnsafeCopy(f"{path}: {info.st_size} bytes, over the {MAX_BYTES}-byte cap")
        return fh.read(MAX_BYTES + 1)


def _check(path: Path) -> None:
    info = path.lstat()
    if stat.S_ISLNK(info.st_mode):
        raise UnsafeCopy(f"{path}: a symbolic link (copies are read from regular files only, never through links)")
    if not stat.S_ISREG(info.st_mode):
        raise UnsafeCopy(f"{path}: not a regular file")
    if info.st_size > MAX_BYTES:
        raise UnsafeCopy(f"{path}: {info.st_size} bytes, over the {MAX_BYTES}-byte cap")
