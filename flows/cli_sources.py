"""`rosterwatch sources add` and `rosterwatch sources import`: bodies added without editing TOML by hand.

`add` fetches the page once, shows what rosterwatch reads from it, and writes its table;
`import` reads a CSV (url, name, language; id optional) and writes a table per row, all or
nothing, without fetching (the next `track` does). Both write where the sources file keeps
its bodies: one file per body in the first directory its `include` lists, else at the end of
the sources file itself. Every table is validated as `track` would read it before anything
is written, and each file is replaced whole (written aside, then renamed), so a failure
leaves the configuration as it was.
"""

from __future__ import annotations

import csv
import json
import os
import re
import sys
import tempfile
import tomllib
import unicodedata
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

from flows.config import LANGUAGES, SOURCE_ID, ConfigError, Source, load_sources, source_from_table

CSV_COLUMNS = ("url", "name", "language")  # required; "id" may be given too
_FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "ae", "Ø": "o", "Å": "a"})


def add_sources_command(command) -> None:
    """Add `sources add` and `sources import` to the parser; `command` is `flows.cli`'s subparser helper."""
    sources = command(
        "sources",
        "add bodies to track: one URL (fetched and shown first), or many from a CSV file",
        "Add bodies to the sources file without editing TOML by hand. 'add' fetches the page once, "
        "prints what rosterwatch reads from it (title, groups and members) and writes its table. "
        "'import' reads a CSV file with the columns url, name, language (nb or nn) and optionally id, "
        "checks every row, and writes all of them or, on any mistake, none. Bodies go where the sources "
        "file keeps them: one file each in the first directory of its include = [...] list, else at its end. "
        "An id is made from the URL's last path segment unless given.",
        "  rosterwatch sources add https://www.example.no/om-oss/eldreradet --language nb\n"
        "  rosterwatch sources add https://www.example.no/radet --name 'Rådet for ...' --id example-radet\n"
        "  rosterwatch sources import bodies.csv            # url,name,language[,id]\n",
    )
    actions = sources.add_subparsers(
        dest="action", metavar="ACTION", required=True, help="add (one page, fetched and shown) or import (a CSV file)"
    )
    add = actions.add_parser("add", help="fetch one page, show what it reads, add its table")
    add.add_argument("url", metavar="URL", help="the page that lists the body's members")
    add.add_argument("--name", help="the body's name as reports print it (default: the page's title)")
    add.add_argument("--id", dest="source_id", metavar="ID", help="the source id (default: from the URL)")
    add.add_argument("--language", choices=LANGUAGES, help="nb or nn (default: as the page reads)")
    add.add_argument("--allow-private", action="store_true", help="the page is on a private or loopback address")
    bulk = actions.add_parser("import", help="add a table for each row of a CSV file (url, name, language[, id])")
    bulk.add_argument("csv_file", metavar="FILE.csv", help="UTF-8 CSV with a header line: url,name,language[,id]")
    bulk.add_argument("--allow-private", action="store_true", help="the pages are on private or loopback addresses")


def cmd_sources(args) -> int:
    from flows.cli import UsageError, _settings

    sources_file = _settings(args).sources_file
    known = load_sources(sources_file)
    try:
        if args.action == "add":
            tables = [_fetched_table(args, known)]
        else:
            tables = _csv_tables(Path(args.csv_file), known, args.allow_private)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    written = write_tables(sources_file, tables)
    where = written[0] if len(written) == 1 else f"{len(written)} files in {written[0].parent}"
    ids = ", ".join(source_id for source_id, _ in tables[:5]) + (", ..." if len(tables) > 5 else "")
    print(f"added {len(tables)} source{'s' if len(tables) != 1 else ''} to {where}: {ids}")
    return 0


def _fetched_table(args, known: dict[str, Source]) -> tuple[str, str]:
    """Fetch the page, print what extraction reads, and make its table."""
    from extractors import extract
    from flows.cli import Failed, _settings
    from outputs.extraction_text import render_extraction
    from outputs.safe import clean
    from snapshots.fetch import FetchError, FetchPolicy, fetch

    url = args.url.strip()
    _not_tracked(url, {s.url: s.id for s in known.values()}, url)
    source_id = args.source_id or derive_id(url, set(known))
    probe = source_from_table(Path("URL"), source_id, _entry(url, args.name or "-", args.language or "nb", args.allow_private))
    policy = replace(FetchPolicy(), deadline=_settings(args).fetch_deadline, allow_private=args.allow_private)
    try:
        result = fetch(url, allowed_hosts=probe.allowed_hosts, policy=policy)
    except FetchError as exc:
        raise Failed(f"{exc}; nothing was added") from None
    if result.status != 200:
        raise Failed(f"{url}: HTTP {result.status} {clean(result.reason)}; nothing was added")
    extraction = extract(result.text(), source_id, url=result.final_url, language=args.language)
    sys.stdout.write(render_extraction(extraction))
    if not any(group.members for group in extraction.groups):
        print("note: no member list was read from this page; added anyway, check it with 'rosterwatch extract'")
    language = args.language or extraction.language
    if language not in LANGUAGES:
        raise ConfigError(f"{url}: the page reads as language {language!r}; give --language nb or --language nn")
    name = args.name or clean(extraction.title or "").strip()
    if not name:
        raise ConfigError(f"{url}: the page has no title; give the body's name with --name")
    return source_id, table(source_id, url, name, language, args.allow_private)


def _csv_tables(path: Path, known: dict[str, Source], allow_private: bool) -> list[tuple[str, str]]:
    """A table per row; the first mistake stops it with the file, line and column named."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.DictReader(fh))
            header = [h.strip().lower() for h in (rows[0].keys() if rows else [])]
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file; give a CSV file with the columns url, name, language") from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise ConfigError(f"{path}: not a readable UTF-8 CSV file ({exc})") from None
    missing = [c for c in CSV_COLUMNS if c not in header]
    if not rows or missing:
        raise ConfigError(f"{path}: needs a header line with the columns url, name, language (missing: {', '.join(missing) or 'rows'})")
    taken, urls, tables = set(known), {s.url: s.id for s in known.values()}, []
    for line, row in enumerate(rows, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        where = Path(f"{path} line {line}")
        _not_tracked(row["url"], urls, where)
        source_id = row.get("id") or derive_id(row["url"], taken)
        if source_id in taken:
            raise ConfigError(f"{where}: id {source_id!r} is taken already; give another in the id column")
        entry = _entry(row["url"], row["name"], row["language"], allow_private)
        source_from_table(where, source_id, entry)
        taken.add(source_id)
        urls[row["url"]] = source_id
        tables.append((source_id, table(source_id, row["url"], row["name"], row["language"], allow_private)))
    return tables


def _not_tracked(url: str, urls: dict[str, str], where) -> None:
    if url in urls:
        raise ConfigError(f"{where}: {url} is tracked already, as source {urls[url]!r}")


def _entry(url: str, name: str, language: str, allow_private: bool) -> dict:
    entry = {"name": name, "url": url, "language": language}
    if allow_private:
        entry["allow_private"] = True
    return entry


def derive_id(url: str, taken: set[str]) -> str:
    """An id from the URL's last path segment (else its host): lower-case ASCII, digits and '-',
    with -2, -3, ... if taken."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    base = _slug(segments[-1].rsplit(".", 1)[0] if segments else "") or _slug(parts.hostname or "") or "source"
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base[: 60 - len(str(number))]}-{number}"
    return candidate


def _slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.translate(_FOLD)).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:60].strip("-")
    return slug if SOURCE_ID.match(slug or "-") else ""


def table(source_id: str, url: str, name: str, language: str, allow_private: bool) -> str:
    """The TOML of one source (JSON strings are TOML basic strings)."""
    lines = [f"[sources.{source_id}]", f"name = {json.dumps(name, ensure_ascii=False)}", f"url = {json.dumps(url)}"]
    lines.append(f'language = "{language}"')
    if allow_private:
        lines.append("allow_private = true")
    return "\n".join(lines) + "\n"


def write_tables(sources_file: Path, tables: list[tuple[str, str]]) -> list[Path]:
    """Write the (validated) tables where the sources file keeps bodies; every file is written
    aside and parsed before any is renamed into place."""
    raw = tomllib.loads(sources_file.read_text(encoding="utf-8"))
    folder = next((p for p in (sources_file.parent / e for e in raw.get("include", [])) if p.is_dir()), None)
    if folder is None:
        text = sources_file.read_text(encoding="utf-8")
        new = {sources_file: text + ("" if text.endswith("\n") or not text else "\n") + "".join("\n" + t for _, t in tables)}
    else:
        new = {folder / f"{source_id}.toml": text for source_id, text in tables}
        clash = next((p for p in new if p.exists()), None)
        if clash:
            raise ConfigError(f"{clash} exists already; give another id")
    staged = {path: _stage(path, text) for path, text in new.items()}
    try:
        for path, aside in staged.items():
            tomllib.loads(aside.read_text(encoding="utf-8"))
        for path, aside in staged.items():
            os.replace(aside, path)
    finally:
        for aside in staged.values():
            aside.unlink(missing_ok=True)
    return list(new)


def _stage(path: Path, text: str) -> Path:
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    with os.fdopen(handle, "w", encoding="utf-8") as fh:
        fh.write(text)
    return Path(name)
