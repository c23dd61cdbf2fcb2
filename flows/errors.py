"""How a command ends: a documented exit status, and one line on stderr for every failure.

    0    done: every source tracked, or the question answered
    1    the work could not be done, for a reason outside the command line: a source could not
         be tracked (unreachable, page gone, refused), or the data dir could not take it (full,
         read-only, in use by another run). Nothing stored was lost; run again once it is fixed.
    2    usage or configuration error (a flag, sources.toml, people.toml): nothing was done
    130  interrupted (Ctrl-C); what was stored is consistent

An unforeseen error is one line too (exit 1), with its traceback in the debug log
(`flows.runlog`) and, with `--verbose`, on the terminal. Everything a command writes to the
terminal passes through `Printable`, so no control character (a page's escape sequence above
all) reaches it, whichever path printed it.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Iterator, TextIO

from outputs.safe import printable

OK, FAILED, USAGE, INTERRUPTED = 0, 1, 2, 130


class UsageError(Exception):
    """Bad input from the user: printed as one line, exit status 2."""


class Failed(Exception):
    """The work could not be done (network, data dir): printed as one line, exit status 1."""


def one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


class Printable:
    """A text stream that drops control characters other than tab, newline and carriage return."""

    def __init__(self, stream: TextIO):
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(printable(text))
        return len(text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


@contextmanager
def printable_streams() -> Iterator[None]:
    """stdout and stderr as `Printable` streams for the length of one command."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = Printable(sys.stdout), Printable(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
