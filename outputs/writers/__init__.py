"""Output formats, chosen from a registry (as urlwatch chooses its reporters).

Each format is one module in this package with one `Writer` subclass; defining the class
registers it under its command (`report`, `export`, `feed`) and `--format` name, and the
command line offers what is registered, with each writer's summary in its help. So a new
format is one new module here, and nothing else changes.

A writer is pure: it gets a `Request` (the history, the time, the options) and returns a
`Written` (the main text or bytes, and any files to put beside it), and the command line
decides where they go. Heavy libraries (pandas, pyarrow) are imported inside `write`, so
the help and the other commands start fast; the modules here import their
renderers inside `write` for the same reason.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, ClassVar

if TYPE_CHECKING:  # the registry is read to build the command line's help: it imports nothing heavy
    from outputs.archive import CapturedPage
    from outputs.history import History


@dataclass(frozen=True)
class Request:
    """What a writer may use: the stored history with identities resolved, and the options given."""

    history: History
    generated_at: str
    since: str | None = None
    limit: int | None = None
    out: Path | None = None  # the file the main output goes to; None: standard output
    pages: Callable[[list[int]], dict[int, CapturedPage]] | None = None  # captured pages, by capture id


@dataclass
class Written:
    main: str | bytes
    beside: dict[str, str | bytes] = field(default_factory=dict)  # path relative to the main file's folder


class Writer:
    """One output format of one command. Subclasses set the class attributes and `write`."""

    command: ClassVar[str]  # report | export | feed
    format: ClassVar[str]  # the --format value
    summary: ClassVar[str]  # one line in the command's --help
    default: ClassVar[bool] = False  # the command's format when --format is not given
    needs_out: ClassVar[str | None] = None  # why it cannot go to standard output, if it cannot
    better_with_out: ClassVar[str | None] = None  # what standard output leaves out, if anything

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        _REGISTRY.setdefault(cls.command, {})[cls.format] = cls

    def write(self, request: Request) -> Written:
        raise NotImplementedError


_REGISTRY: dict[str, dict[str, type[Writer]]] = {}


def formats(command: str) -> dict[str, type[Writer]]:
    """The registered formats of a command, by name, in the order their modules sort."""
    _load()
    return dict(_REGISTRY.get(command, {}))


def default_format(command: str) -> str:
    found = formats(command)
    return next((name for name, cls in found.items() if cls.default), next(iter(found)))


def writer(command: str, name: str) -> Writer:
    return formats(command)[name]()


def _load() -> None:
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        importlib.import_module(f"{__name__}.{module.name}")
