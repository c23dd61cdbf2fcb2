"""Where a run's log goes: a debug log file under the data dir, and the terminal only with --verbose.

The terminal is for results (the report on stdout) and for one line per failure (stderr).
Everything else a run logs (its stages, retries, repairs, Prefect's flow and task logs in a
flow run, and any traceback) goes to `DATA_DIR/logs/rosterwatch.log`, and, inside a Prefect
flow run, to the run's log on the Prefect server too (`PREFECT_LOGGING_EXTRA_LOGGERS` below).
`--verbose` shows it on the terminal as well.

Import this module before Prefect: Prefect reads its logging settings when it is imported.
"""

from __future__ import annotations

import logging
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

os.environ.setdefault("PREFECT_LOGGING_EXTRA_LOGGERS", "snapshots,flows")
os.environ.setdefault("PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW", "ignore")  # outside a flow run: the debug log only

LOG_NAME = "rosterwatch.log"
FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
_PREFECT_QUIET = {
    "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL": "CRITICAL",
    "PREFECT_LOGGING_HANDLERS_DEBUG_LEVEL": "CRITICAL",
}


class DebugLogHandler(logging.FileHandler):
    """A file handler that stays silent when it cannot write (full or read-only disk): the
    command then fails with its own one-line message, not with a logging traceback."""

    def handleError(self, record: logging.LogRecord) -> None:
        pass

    def flush(self) -> None:
        try:
            super().flush()
        except OSError:
            pass

    def close(self) -> None:
        try:
            super().close()
        except OSError:
            pass


def debug_log(data_dir: Path) -> Path:
    return data_dir / "logs" / LOG_NAME


@contextmanager
def session(data_dir: Path, verbose: bool, create: bool = True) -> Iterator[Path | None]:
    """Log to the debug log for one command; yields its path, or None where it cannot be written
    (or, unless `create`, where the data dir does not exist yet: a query never makes one).

    Without `verbose`, Prefect's console output is turned off (before Prefect is imported by
    the environment, afterwards by raising the level of its console handlers) and put back
    when the command ends, so a command run in-process (the tests) leaves logging as it was.
    """
    root = logging.getLogger()
    added: list[logging.Handler] = []
    path = _open(debug_log(data_dir)) if create or data_dir.is_dir() else None
    if path is not None:
        added.append(path)
    if verbose:
        added.append(logging.StreamHandler(sys.stderr))
    elif path is None:
        added.append(logging.NullHandler())  # else Python's last-resort handler prints warnings on stderr
    for handler in added:
        handler.setFormatter(logging.Formatter(FORMAT))
        handler.setLevel(logging.INFO)
        root.addHandler(handler)
    old_root_level = root.level
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
    chatty = logging.getLogger("httpx")  # one line per request to the Prefect API: noise in a run's log
    old_chatty_level = chatty.level
    chatty.setLevel(logging.WARNING)
    saved_env = {name: os.environ.get(name) for name in _PREFECT_QUIET}
    if not verbose:
        os.environ.update(_PREFECT_QUIET)
        quiet_console()
    try:
        yield Path(path.baseFilename) if path is not None else None
    finally:
        while _silenced:
            handler, level = _silenced.pop()
            handler.setLevel(level)
        for name, value in saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        for handler in added:
            root.removeHandler(handler)
            handler.close()
        root.setLevel(old_root_level)
        chatty.setLevel(old_chatty_level)


_silenced: list[tuple[logging.Handler, int]] = []  # (handler, level) to restore when the session ends


def quiet_console() -> None:
    """Silence the terminal handlers set up so far (Prefect's, once imported) until the session ends."""
    loggers = [logging.getLogger(), *(logging.getLogger(name) for name in list(logging.root.manager.loggerDict))]
    for logger in loggers:
        for handler in getattr(logger, "handlers", []):
            if _to_terminal(handler) and handler.level <= logging.CRITICAL:
                _silenced.append((handler, handler.level))
                handler.setLevel(logging.CRITICAL + 1)


def _to_terminal(handler: logging.Handler) -> bool:
    if isinstance(handler, logging.FileHandler):
        return False
    return type(handler).__name__ in ("PrefectConsoleHandler", "_SafeStreamHandler") or getattr(
        handler, "stream", None
    ) in (sys.stderr, sys.stdout, sys.__stderr__, sys.__stdout__)


def _open(path: Path) -> DebugLogHandler | None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return DebugLogHandler(path, encoding="utf-8", delay=False)
    except OSError:
        return None
