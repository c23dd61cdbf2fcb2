"""Backfill: import historical copies of the tracked pages, then derive the history again.

Copies come from a directory of dated HTML files, from WARC / WACZ files (another crawler's,
or a web archive's export), or from the Internet Archive's CDX API. Each becomes a capture
with origin "backfill", dated when the copy was taken; an exact copy already stored for that
time is skipped, and copies go in in time order. Because old captures land before ones
already compared, the change history is derived again afterwards (`flows.history`).
"""

from __future__ import annotations

import logging
import os
import time
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from http import HTTPStatus
from pathlib import Path
from typing import IO, Iterator
from urllib.parse import urlencode, urlsplit

import flows.runlog  # noqa: E402,F401  (logging settings, before Prefect is imported)

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

import json  # noqa: E402
from prefect import flow  # noqa: E402
from warcio.archiveiterator import ArchiveIterator  # noqa: E402

from extractors import EXTRACTOR_VERSION, extract  # noqa: E402
from flows import history  # noqa: E402
from flows.config import Settings, Source, load_sources, select_sources  # noqa: E402
from flows.inputs import read_copy  # noqa: E402
from flows.pipeline import ReplayError, replay_layout  # noqa: E402
from flows.reextract import progress_bar  # noqa: E402
from flows.runner import InProcess, PrefectRunner, Stage, prefect_tasks  # noqa: E402
from outputs.reviewed import load_reviewed, people_path  # noqa: E402
from snapshots.addresses import private_host  # noqa: E402
from snapshots.charset import choose_charset  # noqa: E402
from snapshots.fetch import FetchError, FetchPolicy, FetchResult, fetch, header_value, parse_content_type  # noqa: E402
from snapshots.store import SnapshotStore, sha256_hex  # noqa: E402

logger = logging.getLogger(__name__)

IA_BASE = "https://web.archive.org"


class BackfillError(ValueError):
    """An input that cannot be imported; the message names it and says what to do."""


@dataclass(frozen=True)
class Copy:
    """One historical copy of a tracked page, wherever it was found."""

    source: str
    when: datetime
    body: bytes
    url: str  # the URL the copy was taken from
    headers: tuple[tuple[str, str], ...]
    via: str  # "html", "warc" or "cdx": counted in the summary


# ------------------------------------------------------------------------------ dated HTML


def from_html_dir(directory: Path, sources: list[Source]) -> list[Copy]:
    """`DIR/<source-id>/<ISO date>.html`, or `DIR/<ISO date>.html` when one source is given, as
    `track --replay` reads them (`pipeline.replay_layout`: a file named for no date is left out
    and said; regular files inside DIR only: `flows.inputs`)."""
    try:
        layout = replay_layout(directory, [s.id for s in sources], option="--html")
    except ReplayError as exc:
        raise BackfillError(str(exc)) from None
    for line in layout.skipped:
        logger.warning("%s", line)
    by_id = {s.id: s for s in sources}
    return [
        Copy(source_id, when, read_copy(path), by_id[source_id].url, (), "html")
        for source_id, copies in layout.copies.items()
        for when, path in copies
    ]


# ------------------------------------------------------------------------------ WARC / WACZ


def url_key(url: str) -> str:
    """A URL as archives vary it: scheme, `www.`, a trailing slash and the fragment do not count."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = parts.path.rstrip("/") or "/"
    return f"{host}{path}" + (f"?{parts.query}" if parts.query else "")


def from_archives(paths: list[Path], sources: list[Source]) -> list[Copy]:
    """HTML responses (status 200) to a tracked URL in WARC (.warc, .warc.gz) or WACZ files.

    A revisit record takes the body of the earlier response with the same payload digest.
    """
    by_key = {url_key(s.url): s for s in sources}
    found = []
    for path in paths:
        with _warc_streams(path) as streams:
            for name, stream in streams:
                found.extend(_copies_in(stream, f"{path}{'!' + name if name else ''}", by_key))
    return found


@contextmanager
def _warc_streams(path: Path) -> Iterator[list[tuple[str, IO[bytes]]]]:
    if not path.is_file():
        raise BackfillError(f"--warc {path}: no such file; give .warc, .warc.gz or .wacz files")
    if path.suffix.lower() != ".wacz":
        with open(path, "rb") as fh:
            yield [("", fh)]
        return
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise BackfillError(f"--warc {path}: not a WACZ (zip) file; give .warc, .warc.gz or .wacz files") from None
    with archive:
        names = [n for n in archive.namelist() if n.startswith("archive/") and n.endswith((".warc", ".warc.gz"))]
        if not names:
            raise BackfillError(f"--warc {path}: no archive/*.warc(.gz) inside; is it a WACZ file?")
        handles = [(name, archive.open(name)) for name in sorted(names)]
        try:
            yield handles
        finally:
            for _, handle in handles:
                handle.close()


def _copies_in(stream: IO[bytes], where: str, by_key: dict[str, Source]) -> list[Copy]:
    bodies: dict[str, bytes] = {}
    found = []
    try:
        for record in ArchiveIterator(stream):
            if record.rec_type not in ("response", "revisit") or record.http_headers is None:
                continue
            source = by_key.get(url_key(record.rec_headers.get_header("WARC-Target-URI") or ""))
            digest = record.rec_headers.get_header("WARC-Payload-Digest")
            if record.rec_type == "response":
                body = record.content_stream().read()
                if digest:
                    bodies[digest] = body
            else:
                body = bodies.get(digest)
            status = record.http_headers.get_statuscode()
            media, _ = parse_content_type(record.http_headers.get_header("Content-Type"))
            if source is None or body is None or status != "200" or media not in (None, "text/html", "application/xhtml+xml"):
                continue
            when = datetime.fromisoformat(record.rec_headers.get_header("WARC-Date").replace("Z", "+00:00"))
            headers = tuple((k, v) for k, v in record.http_headers.headers)
            found.append(Copy(source.id, when, body, record.rec_headers.get_header("WARC-Target-URI"), headers, "warc"))
    except Exception as exc:  # warcio raises plain exceptions for damaged input
        if isinstance(exc, BackfillError):
            raise
        raise BackfillError(f"{where}: not a readable WARC file ({exc}); check the file") from None
    return found


# ------------------------------------------------------------------------------ Internet Archive


def cdx_query(url: str, since: str | None = None, until: str | None = None) -> str:
    """The CDX API path and query for the distinct 200 captures of `url` (tests serve exactly this)."""
    params = [
        ("url", url),
        ("output", "json"),
        ("fl", "timestamp,original,statuscode,mimetype,digest"),
        ("filter", "statuscode:200"),
        ("collapse", "digest"),
    ]
    if since:
        params.append(("from", since.replace("-", "")))
    if until:
        params.append(("to", until.replace("-", "")))
    return "/cdx/search/cdx?" + urlencode(params)


def playback_path(timestamp: str, original: str) -> str:
    """`id_` asks the archive for the page as it was served, without its own banner and links."""
    return f"/web/{timestamp}id_/{original}"


def from_cdx(
    source: Source,
    base_url: str = IA_BASE,
    since: str | None = None,
    until: str | None = None,
    delay: float = 1.0,
    policy: FetchPolicy | None = None,
) -> list[Copy]:
    """The distinct captures the archive holds of a source's URL, fetched one by one, `delay` apart."""
    base = base_url.rstrip("/")
    host = urlsplit(base).hostname or ""
    # The archive is the operator's --cdx-url: a local one (127.0.0.1, an intranet address) is
    # meant, and every playback request stays on its host and port.
    policy = policy or FetchPolicy(respect_robots=False, allow_private=private_host(host) is not None)
    query = base + cdx_query(source.url, since, until)
    try:  # the same guarded fetch as every page: deadline, size cap, redirects only on the archive's host
        answer = fetch(query, policy=policy, require_html=False)
        if answer.status != 200:
            raise BackfillError(f"CDX API {base}: HTTP {answer.status}; check --cdx-url")
        rows = json.loads(answer.body) if answer.body.strip() else []
    except FetchError as exc:
        raise BackfillError(f"CDX API {base}: {exc}; check --cdx-url and the network") from None
    except ValueError as exc:
        raise BackfillError(f"CDX API {base}: not a CDX answer ({exc}); check --cdx-url") from None
    if rows and rows[0][:1] == ["timestamp"]:
        rows = rows[1:]
    found = []
    for index, (timestamp, original, *_rest) in enumerate(rows):
        if index and delay:
            time.sleep(delay)
        try:
            result = fetch(base + playback_path(timestamp, original), policy=policy)
        except FetchError as exc:
            raise BackfillError(f"{source.id}: archived copy {timestamp}: {exc}") from None
        if result.status != 200:
            continue
        when = datetime.strptime(timestamp[:14].ljust(14, "0"), "%Y%m%d%H%M%S").replace(tzinfo=timezone.utc)
        found.append(Copy(source.id, when, result.body, original, result.headers, "cdx"))
    return found


# ------------------------------------------------------------------------------ storing


@dataclass
class Imported:
    source: str
    stored: dict[str, int]  # per kind of input
    skipped: int  # already stored


def import_copies(store: SnapshotStore, sources: list[Source], copies: list[Copy]) -> list[Imported]:
    """Store the copies oldest first; an exact copy already stored for that time is skipped."""
    by_id = {s.id: s for s in sources}
    results = {s.id: Imported(s.id, {}, 0) for s in sources}
    for copy in sorted(copies, key=lambda c: (c.when, c.source, c.via)):
        source, result = by_id[copy.source], results[copy.source]
        if store.has_capture(copy.source, copy.when, sha256_hex(copy.body)):
            result.skipped += 1
            continue
        store.add_capture(copy.source, _as_response(source, copy), origin="backfill")
        result.stored[copy.via] = result.stored.get(copy.via, 0) + 1
    return list(results.values())


def _as_response(source: Source, copy: Copy) -> FetchResult:
    """A copy as the store takes it; an archived Content-Type charset counts as a server's would."""
    charset, _ = choose_charset(parse_content_type(header_value(copy.headers, "Content-Type"))[1], copy.body)
    headers = copy.headers or (("Content-Type", "text/html"),)
    return FetchResult(
        url=source.url,
        final_url=copy.url,
        status=200,
        reason=HTTPStatus.OK.phrase,
        headers=headers,
        request_headers=(),
        body=copy.body,
        fetched_at=copy.when,
        redirects=(),
        content_type="text/html",
        charset=charset,
        http_version="HTTP/1.1",
    )


# ------------------------------------------------------------------------------ the flow


@dataclass
class BackfillResult:
    imported: list[Imported]
    histories: list[history.SourceResult]

    def report(self) -> str:
        lines = []
        for imported, result in zip(self.imported, self.histories):
            kinds = ", ".join(f"{n} from {via}" for via, n in sorted(imported.stored.items())) or "nothing new"
            lines.append(
                f"{imported.source}: {sum(imported.stored.values())} captures imported ({kinds}), "
                f"{imported.skipped} already stored; {result.extracted} extracted, "
                f"history {'recomputed' if result.history_written else 'unchanged'}"
            )
        return "\n".join(lines)


def collect_stage(
    log,
    sources: list[Source],
    html_dir: str | None,
    archives: list[str],
    cdx: bool,
    cdx_url: str,
    since: str | None,
    until: str | None,
    delay: float,
) -> list[Copy]:
    copies: list[Copy] = []
    if html_dir:
        copies += from_html_dir(Path(html_dir), sources)
    if archives:
        copies += from_archives([Path(a) for a in archives], sources)
    if cdx:
        for source in sources:
            copies += from_cdx(source, cdx_url, since, until, delay)
    copies = [c for c in copies if (not since or c.when.date().isoformat() >= since) and (not until or c.when.date().isoformat() <= until)]
    log.info("found %d historical copies", len(copies))
    return copies


COLLECT = Stage("collect-copies", collect_stage)
TASKS = prefect_tasks([COLLECT])


def run_backfill(
    runner,
    data_dir: str | None = None,
    sources_file: str | None = None,
    source_ids: list[str] | None = None,
    html_dir: str | None = None,
    archives: list[str] | None = None,
    cdx: bool = False,
    cdx_url: str = IA_BASE,
    since: str | None = None,
    until: str | None = None,
    delay: float = 1.0,
    workers: int | None = None,
    wait_lock: float = 60.0,
    people_file: str | None = None,
) -> BackfillResult:
    """Import historical copies from the given inputs, then extract them and derive the history again
    (with the reviewed identities of `people_file`, default $ROSTERWATCH_PEOPLE, else people.toml)."""
    settings = Settings.resolve(data_dir, sources_file)
    sources = select_sources(load_sources(settings.sources_file), source_ids)
    reviewed = load_reviewed(people_path(people_file))
    copies = runner.result(runner.submit(COLLECT, sources, html_dir, archives or [], cdx, cdx_url, since, until, delay))
    store = SnapshotStore(settings.data_dir, settings.db_url)
    with store.writing(wait_lock):
        imported = import_copies(store, sources, copies)
        histories = history.reextract_sources(
            store, sources, EXTRACTOR_VERSION, extract, workers or history.default_workers(),
            progress_factory=progress_bar, compare=False, reviewed=reviewed,
        )
    return BackfillResult(imported, histories)


def backfill_in_process(**parameters) -> BackfillResult:
    """`run_backfill` in this process, without a Prefect server (the CLI's embedded default)."""
    return run_backfill(InProcess(), **parameters)


@flow(name="backfill", log_prints=True)
def backfill(
    data_dir: str | None = None,
    sources_file: str | None = None,
    source_ids: list[str] | None = None,
    html_dir: str | None = None,
    archives: list[str] | None = None,
    cdx: bool = False,
    cdx_url: str = IA_BASE,
    since: str | None = None,
    until: str | None = None,
    delay: float = 1.0,
    workers: int | None = None,
    wait_lock: float = 60.0,
    people_file: str | None = None,
) -> BackfillResult:
    """`run_backfill` as a Prefect flow run."""
    return run_backfill(
        PrefectRunner(TASKS), data_dir, sources_file, source_ids, html_dir, archives, cdx, cdx_url, since, until,
        delay, workers, wait_lock, people_file,
    )
