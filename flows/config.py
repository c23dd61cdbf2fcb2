"""Configuration in one place: what is tracked (sources.toml) and where data lives.

Everything is validated when a command starts, and every error is one line that names the
file, the source and the key, so a typo in sources.toml never surfaces mid-run.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from snapshots.addresses import host_entry, parse_entry, private_host

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCES = PROJECT_ROOT / "sources.toml"
LANGUAGES = ("nb", "nn")
SOURCE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
KEYS = {"name", "url", "language", "allowed_hosts", "notify", "allow_private"}
DEFAULT_FETCH_DEADLINE = 30.0
DEFAULT_HOST_REQUESTS = 1  # fetches at once from one host
DEFAULT_HOST_DELAY = 1.0  # seconds between the starts of two fetches from one host
NOTIFY_URL = re.compile(r"^[a-z][a-z0-9+.-]*://\S+$")


def default_data_dir() -> Path:
    """`$XDG_DATA_HOME/rosterwatch`, else `~/.local/share/rosterwatch`: data never sits in the code tree."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "rosterwatch"


class ConfigError(ValueError):
    """A configuration problem, worded for the person who has to fix it."""


@dataclass(frozen=True)
class Source:
    id: str
    name: str
    url: str
    language: str
    allowed_hosts: tuple[str, ...]
    notify: tuple[str, ...] = ()  # Apprise URLs told about this source's changes after a track run
    allow_private: bool = False  # may fetch from private, loopback and link-local addresses

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""


@dataclass(frozen=True)
class Politeness:
    """How hard rosterwatch may hit one host, whatever the number of workers (`flows.politeness`)."""

    requests_per_host: int = DEFAULT_HOST_REQUESTS
    delay: float = DEFAULT_HOST_DELAY

    @classmethod
    def resolve(cls, requests_per_host: int | None = None, delay: float | None = None) -> "Politeness":
        """Flags win over environment (ROSTERWATCH_HOST_REQUESTS, ROSTERWATCH_HOST_DELAY) over defaults."""
        if requests_per_host is None:
            requests_per_host = int(_number("ROSTERWATCH_HOST_REQUESTS", DEFAULT_HOST_REQUESTS, 1, 100, whole=True))
        if delay is None:
            delay = _number("ROSTERWATCH_HOST_DELAY", DEFAULT_HOST_DELAY, 0, 3600)
        return cls(requests_per_host, delay)


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    sources_file: Path
    db_url: str | None = None
    fetch_deadline: float = DEFAULT_FETCH_DEADLINE
    data_dir_from: str = "--data-dir"  # where the data dir came from, for messages about it
    politeness: Politeness = Politeness()

    @classmethod
    def resolve(
        cls,
        data_dir: str | None = None,
        sources_file: str | None = None,
        fetch_deadline: float | None = None,
        host_requests: int | None = None,
        host_delay: float | None = None,
    ) -> "Settings":
        """Flags win over environment (ROSTERWATCH_DATA, ROSTERWATCH_SOURCES, ROSTERWATCH_DB_URL,
        ROSTERWATCH_FETCH_DEADLINE, ROSTERWATCH_HOST_REQUESTS, ROSTERWATCH_HOST_DELAY) over defaults.
        A data dir that exists as anything but a folder stops every command at start."""
        if data_dir:
            data, origin = data_dir, "--data-dir"
        elif os.environ.get("ROSTERWATCH_DATA"):
            data, origin = os.environ["ROSTERWATCH_DATA"], "$ROSTERWATCH_DATA"
        else:
            data, origin = default_data_dir(), "the default data dir"
        path = Path(data).expanduser()
        if path.exists() and not path.is_dir():
            raise ConfigError(
                f"data dir {path} (from {origin}) is a file, not a folder; give the folder that holds "
                "a store, or a new one for 'rosterwatch track' to create"
            )
        sources = sources_file or os.environ.get("ROSTERWATCH_SOURCES") or DEFAULT_SOURCES
        return cls(
            data_dir=path,
            sources_file=Path(sources).expanduser(),
            db_url=os.environ.get("ROSTERWATCH_DB_URL") or None,
            fetch_deadline=fetch_deadline if fetch_deadline is not None else _deadline_from_environment(),
            data_dir_from=origin,
            politeness=Politeness.resolve(host_requests, host_delay),
        )


def _number(variable: str, default: float, low: float, high: float, whole: bool = False) -> float:
    """A number from the environment, or `default`; out of [low, high] is an error naming the variable."""
    text = os.environ.get(variable, "").strip()
    if not text:
        return default
    try:
        value = int(text) if whole else float(text)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        kind = "a whole number" if whole else "a number"
        raise ConfigError(f"{variable}={text!r}: give {kind} from {low:g} to {high:g} (default {default:g})")
    return value


def _deadline_from_environment() -> float:
    text = os.environ.get("ROSTERWATCH_FETCH_DEADLINE", "").strip()
    if not text:
        return DEFAULT_FETCH_DEADLINE
    try:
        seconds = float(text)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds <= 600:
        raise ConfigError(
            f"ROSTERWATCH_FETCH_DEADLINE={text!r}: give the seconds one fetch may take, more than 0 and at most 600 "
            f"(default {DEFAULT_FETCH_DEADLINE:g})"
        )
    return seconds


def load_sources(path: Path) -> dict[str, Source]:
    """Read and validate sources.toml and the files it includes; raise ConfigError naming file, source and key.

    `include = ["sources.d"]` at the top of the file adds the `[sources.<id>]` tables of each
    listed file, or of every `*.toml` in a listed directory (paths relative to the file), so a
    thousand bodies can be a thousand small files (`rosterwatch sources add`/`import` write them).
    """
    raw = _read_toml(path)
    unknown_top = set(raw) - {"sources", "include"}
    if unknown_top:
        raise ConfigError(
            f"{path}: unknown top-level key {sorted(unknown_top)[0]!r}; only include = [...] and [sources.<id>] tables belong here"
        )
    found = _tables(path, raw)
    for part in included_files(path, raw.get("include", [])):
        included = _read_toml(part)
        if set(included) - {"sources"}:
            raise ConfigError(f"{part}: included sources file may hold only [sources.<id>] tables (no include, no other keys)")
        for source_id, source in _tables(part, included).items():
            if source_id in found:
                raise ConfigError(f"{part}: source {source_id!r} is defined twice (also in {found[source_id][0]}); rename one")
            found[source_id] = source
    if not found:
        raise ConfigError(f"{path}: no [sources.<id>] tables; add at least one source")
    return {source_id: source for source_id, (_, source) in found.items()}


def included_files(path: Path, include: object) -> list[Path]:
    """The files an `include` list names: each file, and the `*.toml` of each directory, in order."""
    if not isinstance(include, list) or not all(isinstance(entry, str) and entry.strip() for entry in include):
        raise ConfigError(f'{path}: key \'include\' must be a list of file or directory paths, like include = ["sources.d"]')
    files = []
    for entry in include:
        target = (path.parent / entry).expanduser()
        if target.is_dir():
            files += sorted(target.glob("*.toml"))
        elif target.is_file():
            files.append(target)
        else:
            raise ConfigError(f"{path}: include {entry!r}: no such file or directory ({target}); create it or remove the entry")
    return files


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: sources file not found; pass --sources FILE or set ROSTERWATCH_SOURCES") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc}); fix the syntax") from None


def _tables(path: Path, raw: dict) -> dict[str, tuple[Path, Source]]:
    tables = raw.get("sources", {})
    if not isinstance(tables, dict):
        raise ConfigError(f"{path}: 'sources' must be tables [sources.<id>]")
    return {source_id: (path, source_from_table(path, source_id, entry)) for source_id, entry in tables.items()}


def source_from_table(path: Path, source_id: str, entry: object) -> Source:
    """One [sources.<id>] table, validated; errors name `path`, the source and the key."""
    where = f"{path}: source {source_id!r}"
    if not SOURCE_ID.match(source_id):
        raise ConfigError(f"{where}: id must be lower-case letters, digits, '-' or '_'")
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: must be a table [sources.{source_id}]")
    unknown = set(entry) - KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown key {sorted(unknown)[0]!r} (known: {', '.join(sorted(KEYS))})")
    for key in ("name", "url", "language"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise ConfigError(f"{where}: key {key!r} is missing or not a non-empty string")
    url = entry["url"].strip()
    parts = urlsplit(url)
    try:
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        port_ok = False
    if parts.scheme not in ("http", "https") or not parts.hostname or not port_ok:
        raise ConfigError(f"{where}: key 'url' must be an http(s) URL with a host, got {url!r}")
    if entry["language"] not in LANGUAGES:
        raise ConfigError(f"{where}: key 'language' must be one of {', '.join(LANGUAGES)}, got {entry['language']!r}")
    allow_private = entry.get("allow_private", False)
    if not isinstance(allow_private, bool):
        raise ConfigError(f"{where}: key 'allow_private' must be true or false, got {allow_private!r}")
    why = private_host(parts.hostname)
    if why and not allow_private:
        raise ConfigError(
            f"{where}: key 'url': {why}; rosterwatch fetches only public addresses unless the source says "
            "allow_private = true"
        )
    hosts = entry.get("allowed_hosts", [])
    if not isinstance(hosts, list) or not all(isinstance(h, str) and parse_entry(h) for h in hosts):
        raise ConfigError(f"{where}: key 'allowed_hosts' must be a list of host names, each with an optional :port")
    for host in hosts:
        why = private_host(parse_entry(host)[0])
        if why and not allow_private:
            raise ConfigError(
                f"{where}: key 'allowed_hosts': {why}; rosterwatch fetches only public addresses unless the "
                "source says allow_private = true"
            )
    allowed = tuple(dict.fromkeys([host_entry(url), *(h.strip().lower().rstrip(".") for h in hosts)]))
    notify = entry.get("notify", [])
    if not isinstance(notify, list) or not all(isinstance(n, str) and NOTIFY_URL.match(n.strip()) for n in notify):
        raise ConfigError(f"{where}: key 'notify' must be a list of Apprise URLs like \"json://host:port/path\"")
    return Source(
        id=source_id,
        name=entry["name"].strip(),
        url=url,
        language=entry["language"],
        allowed_hosts=allowed,
        notify=tuple(n.strip() for n in notify),
        allow_private=allow_private,
    )


def select_sources(sources: dict[str, Source], wanted: list[str] | None) -> list[Source]:
    """The sources a command works on; an unknown id is an error that lists the known ones."""
    if not wanted:
        return list(sources.values())
    unknown = [w for w in wanted if w not in sources]
    if unknown:
        raise ConfigError(f"unknown source {unknown[0]!r}; known sources: {', '.join(sources)}")
    return [sources[w] for w in wanted]
