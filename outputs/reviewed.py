"""The reviewed file (`people.toml`): the hard identity cases, decided by a maintainer.

The rules in `outputs.identity` merge spelling variants on their own; this file is for what
rules cannot know: two spellings that are one person after all (`[[person]]`), two names
that must never merge (`[[apart]]`), organisation aliases (`[[organisation]]`) and renames
with the day they took effect (`[[rename]]`). It is validated when a command starts; every
error is one line naming the file, the entry and the key.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PEOPLE = PROJECT_ROOT / "people.toml"
ENTRY_KEYS = {
    "person": {"name", "variants", "id", "note"},
    "apart": {"names", "note"},
    "organisation": {"name", "aliases", "note"},
    "rename": {"from", "to", "date", "note"},
}


class ReviewedError(ValueError):
    """A problem in the reviewed file, worded for the maintainer who has to fix it."""


@dataclass(frozen=True)
class PinnedPerson:
    name: str  # the name to show
    variants: tuple[str, ...]
    id: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.variants)


@dataclass(frozen=True)
class Apart:
    names: tuple[str, ...]


@dataclass(frozen=True)
class OrganisationAlias:
    name: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Rename:
    old: str
    new: str
    date: str  # ISO date the new name took effect

    @property
    def last_day_of_old(self) -> str:
        return (date.fromisoformat(self.date) - timedelta(days=1)).isoformat()


@dataclass(frozen=True)
class Reviewed:
    persons: tuple[PinnedPerson, ...] = ()
    apart: tuple[Apart, ...] = ()
    organisations: tuple[OrganisationAlias, ...] = ()
    renames: tuple[Rename, ...] = ()
    path: str | None = None


EMPTY = Reviewed()


def people_path(flag: str | None = None) -> Path:
    """`--people FILE`, else `$ROSTERWATCH_PEOPLE`, else `people.toml` of the project."""
    return Path(flag or os.environ.get("ROSTERWATCH_PEOPLE") or DEFAULT_PEOPLE).expanduser()


def load_reviewed(path: Path | None = None) -> Reviewed:
    """Read and validate the reviewed file; raise ReviewedError naming file, entry and key."""
    path = path or people_path()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ReviewedError(f"{path}: reviewed people file not found; pass --people FILE or set ROSTERWATCH_PEOPLE") from None
    except tomllib.TOMLDecodeError as exc:
        raise ReviewedError(f"{path}: not valid TOML ({exc}); fix the syntax") from None
    unknown = set(raw) - set(ENTRY_KEYS)
    if unknown:
        raise ReviewedError(
            f"{path}: unknown table {sorted(unknown)[0]!r}; use [[person]], [[apart]], [[organisation]] or [[rename]]"
        )
    entries = {kind: _entries(path, kind, raw.get(kind, [])) for kind in ENTRY_KEYS}
    return Reviewed(
        persons=tuple(
            PinnedPerson(_text(path, w, e, "name"), _names(path, w, e, "variants", 1), _id(path, w, e))
            for w, e in entries["person"]
        ),
        apart=tuple(Apart(_names(path, w, e, "names", 2, required=True)) for w, e in entries["apart"]),
        organisations=tuple(
            OrganisationAlias(_text(path, w, e, "name"), _names(path, w, e, "aliases", 1)) for w, e in entries["organisation"]
        ),
        renames=tuple(
            Rename(_text(path, w, e, "from"), _text(path, w, e, "to"), _date(path, w, e)) for w, e in entries["rename"]
        ),
        path=str(path),
    )


def _entries(path: Path, kind: str, value: object) -> list[tuple[str, dict]]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ReviewedError(f"{path}: {kind!r} must be written as [[{kind}]] tables")
    found = []
    for number, entry in enumerate(value, start=1):
        label = entry.get("name") or entry.get("from") or entry.get("names")
        where = f"{kind} {number}" + (f" ({label!r})" if isinstance(label, str) else "")
        unknown = set(entry) - ENTRY_KEYS[kind]
        if unknown:
            raise ReviewedError(
                f"{path}: {where}: unknown key {sorted(unknown)[0]!r} (known: {', '.join(sorted(ENTRY_KEYS[kind]))})"
            )
        found.append((where, entry))
    return found


def _text(path: Path, where: str, entry: dict, key: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ReviewedError(f"{path}: {where}: key {key!r} is missing or not a non-empty string")
    return value.strip()


def _names(path: Path, where: str, entry: dict, key: str, at_least: int, required: bool = False) -> tuple[str, ...]:
    if key not in entry and not required:
        return ()
    value = entry.get(key)
    if not isinstance(value, list) or len(value) < at_least or not all(isinstance(v, str) and v.strip() for v in value):
        raise ReviewedError(f"{path}: {where}: key {key!r} must be a list of at least {at_least} non-empty names")
    return tuple(v.strip() for v in value)


def _id(path: Path, where: str, entry: dict) -> str | None:
    value = entry.get("id")
    if value is None:
        return None
    if not isinstance(value, str) or not value.startswith("p-") or len(value) < 4:
        raise ReviewedError(f"{path}: {where}: key 'id' must be a person id like \"p-3f2a9c0d1e\", got {value!r}")
    return value


def _date(path: Path, where: str, entry: dict) -> str:
    value = entry.get("date")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            pass
    raise ReviewedError(f"{path}: {where}: key 'date' must be a date like 2024-01-01, got {value!r}")
