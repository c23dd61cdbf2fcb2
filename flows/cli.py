"""`rosterwatch`: the command line. Its shape is a contract (DESIGN.md, "Command line").

Commands that only read the store never import Prefect, so they start fast. `track` is a
Prefect flow run when a Prefect API is configured, and otherwise runs the same stages in this
process (`flows.runner`), without starting a temporary Prefect server.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from flows.cli_analyst import (  # noqa: F401  (dispatched by name)
    add_analyst_commands,
    cmd_export,
    cmd_feed,
    cmd_history,
    cmd_people,
    cmd_report,
    prepare_people,
)
from flows.cli_ops import add_ops_commands, cmd_backfill, cmd_bench, cmd_reextract, cmd_serve  # noqa: F401  (dispatched by name)
from flows.config import ConfigError, Settings, Source, load_sources

EPILOG = """\
examples:
  rosterwatch track                                  fetch every page in sources.toml, print the report
  rosterwatch --data-dir demo track --replay tests/fixtures/history
                                                     rebuild history offline from archived copies
  rosterwatch changes --source fagrad-pm --since 2024-01-01
  rosterwatch members norprem --at 2023-06-01
  rosterwatch extract page.html --source fagrad-pm --json

data:    --data-dir, else $ROSTERWATCH_DATA, else ~/.local/share/rosterwatch
sources: --sources, else $ROSTERWATCH_SOURCES, else sources.toml of the project
people:  --people, else $ROSTERWATCH_PEOPLE, else people.toml of the project (reviewed identities)
"""


class UsageError(Exception):
    """Bad input from the user: printed as one line, exit status 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rosterwatch",
        description="Track the published member lists and mandates of official bodies, "
        "keep every version, and report who joined, left or changed role.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--data-dir", metavar="DIR", help="where snapshots, the index and reports live")
    parser.add_argument("--sources", metavar="FILE", help="the sources file (TOML) listing what to track")
    parser.add_argument("--people", metavar="FILE", help="the reviewed people file (TOML): pinned and split identities")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str, summary: str, description: str, examples: str = ""):
        sub = commands.add_parser(
            name,
            help=summary,
            description=description,
            epilog=("examples:\n" + examples) if examples else None,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        return sub

    track = command(
        "track",
        "fetch the tracked pages, store new versions, report changes",
        "Fetch each source (politely: robots.txt, conditional GET, retries), store what changed as a "
        "dated snapshot, extract the members and mandate, compare with the previous version and print "
        "the change report (also saved under DATA_DIR/reports/). A Prefect flow run when PREFECT_API_URL "
        "is set, otherwise run in this process. Exit status 1 "
        "when a source could not be tracked (nothing stored is lost).",
        "  rosterwatch track\n  rosterwatch track --source fagrad-pm\n"
        "  rosterwatch track --replay tests/fixtures/history   # DIR/<source-id>/<ISO date>.html, oldest first\n",
    )
    track.add_argument("--source", action="append", metavar="ID", help="only this source (repeatable)")
    track.add_argument(
        "--replay",
        metavar="DIR",
        help="read archived copies DIR/<source-id>/<ISO date or datetime>.html in time order instead of fetching",
    )
    track.add_argument(
        "--wait-lock", type=float, default=60.0, metavar="SECONDS", help="how long to wait for another run to finish (60)"
    )

    extract = command(
        "extract",
        "print what rosterwatch reads from a page (no storing)",
        "Extract title, dates, mandate and groups with members from a local .html file or a URL, "
        "and print them readably: each group, each member's seat and the text it was read from, or "
        "plainly that no member list was found. Nothing is stored. --json prints the extraction JSON "
        "of DESIGN.md.",
        "  rosterwatch extract saved.html --source fagrad-pm --json\n  rosterwatch extract https://www.helsedirektoratet.no/... --json\n",
    )
    extract.add_argument("target", metavar="PATH_OR_URL")
    extract.add_argument("--source", metavar="ID", help="the source the page belongs to (sets id and language)")
    extract.add_argument("--json", action="store_true", help="print the extraction JSON")

    changes = command(
        "changes",
        "list change events, oldest first",
        "List the change events found so far (joined, left, role/organisation/region changes, chair, "
        "mandate, suspect extractions), oldest first. --json prints the change event JSON of DESIGN.md.",
        "  rosterwatch changes\n  rosterwatch changes --source fagrad-pm --since 2024-01-01 --json\n",
    )
    changes.add_argument("--source", metavar="ID")
    changes.add_argument("--since", metavar="DATE", type=_date_arg, help="only events at or after DATE (YYYY-MM-DD)")
    changes.add_argument("--json", action="store_true")

    members = command(
        "members",
        "who sits in a body now, or on a date",
        "Print the composition of SOURCE as of the latest capture, or as it stood on DATE.",
        "  rosterwatch members fagrad-pm\n  rosterwatch members norprem --at 2023-06-01 --json\n",
    )
    members.add_argument("source", metavar="SOURCE")
    members.add_argument("--at", metavar="DATE", type=_date_arg, help="composition as of this date (YYYY-MM-DD)")
    members.add_argument("--json", action="store_true")

    snapshots = command(
        "snapshots",
        "list the stored captures of a source",
        "List every capture of SOURCE: when, HTTP status, whether new content was stored or it was "
        "unchanged (a WARC revisit record, no body bytes), content hash and origin.",
        "  rosterwatch snapshots fagrad-pm\n",
    )
    snapshots.add_argument("source", metavar="SOURCE")
    snapshots.add_argument("--json", action="store_true")

    ner_eval = command(
        "ner-eval",
        "score the Norwegian NER model on NorNE and on the tracked pages",
        "Evaluate the shipped NER model on NorNE (Bokmål dev and test, Nynorsk test): precision, "
        "recall and F1 per label, speed and size, beside spaCy's published figures; and the recall of "
        "gold member names on the pages in ../shared/pages.",
    )
    ner_eval.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)

    from extractors.evaluate import DESCRIPTION as EVAL_DESCRIPTION, EXAMPLES as EVAL_EXAMPLES, add_arguments

    eval_extraction = command(
        "eval-extraction",
        "score extraction against gold files",
        EVAL_DESCRIPTION,
        EVAL_EXAMPLES.removeprefix("examples:\n"),
    )
    add_arguments(eval_extraction)
    add_ops_commands(command, _date_arg)
    add_analyst_commands(command, _date_arg)
    return parser


def _date_arg(text: str) -> str:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; use YYYY-MM-DD") from None


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = globals()[f"cmd_{args.command.replace('-', '_')}"]
    try:
        prepare_people(args)
        return handler(args)
    except (ConfigError, UsageError) as exc:
        print(f"rosterwatch: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("rosterwatch: interrupted; stored data is consistent, run again to carry on", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader went away (`rosterwatch people | head`): not an error worth a traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _settings(args) -> Settings:
    return Settings.resolve(args.data_dir, args.sources)


def _sources(args) -> dict[str, Source]:
    return load_sources(_settings(args).sources_file)


def _store(args, must_exist: bool = True, current: bool = False):
    """The store of `--data-dir`; with `current`, one whose history the current extractor made."""
    from snapshots.store import SnapshotStore

    settings = _settings(args)
    if must_exist and not (settings.data_dir / "index.sqlite").exists() and not settings.db_url:
        raise UsageError(f"no data in {settings.data_dir}; run 'rosterwatch track' first or pass --data-dir")
    store = SnapshotStore(settings.data_dir, settings.db_url)
    if current:
        from extractors import EXTRACTOR_VERSION

        versions = store.extractor_versions()
        if versions and EXTRACTOR_VERSION not in versions:
            raise UsageError(
                f"the stored history was extracted by {versions[-1]}, the extractor is now {EXTRACTOR_VERSION}; "
                "run 'rosterwatch reextract' to bring it up to date (nothing is fetched)"
            )
    return store


# ------------------------------------------------------------------------------------ track


def cmd_track(args) -> int:
    settings = _settings(args)
    sources = load_sources(settings.sources_file)
    if args.source:
        from flows.config import select_sources

        select_sources(sources, args.source)
    if args.replay and not Path(args.replay).is_dir():
        raise UsageError(f"--replay {args.replay}: not a directory; it must hold <source-id>/<ISO date>.html files")
    from flows.runner import prefect_api_url
    from snapshots.store import StoreBusy, StoreError

    if prefect_api_url():
        from flows.track import track  # a flow run on that Prefect server
    else:
        from flows.tracking import track_in_process as track  # no Prefect server to start or leave behind

    try:
        result = track(
            data_dir=str(settings.data_dir),
            sources_file=str(settings.sources_file),
            source_ids=args.source,
            replay_dir=str(Path(args.replay).resolve()) if args.replay else None,
            wait_lock=args.wait_lock,
            people_file=args.people,
        )
    except (StoreBusy, StoreError) as exc:
        raise UsageError(str(exc)) from None
    print(result.report)
    print(f"(report saved to {result.report_path})", file=sys.stderr)
    for outcome in result.failed:
        print(f"rosterwatch: {outcome.source}: {outcome.message}", file=sys.stderr)
    return 1 if result.failed else 0


# ------------------------------------------------------------------------------------ extract


def cmd_extract(args) -> int:
    from extractors import extract
    from snapshots.charset import decode

    sources = _sources(args)
    target = args.target
    source = sources.get(args.source) if args.source else None
    if args.source and source is None:
        raise UsageError(f"unknown source {args.source!r}; known sources: {', '.join(sources)}")
    if target.startswith(("http://", "https://")):
        from snapshots.fetch import FetchError, fetch

        source = source or next((s for s in sources.values() if s.url == target), None)
        hosts = source.allowed_hosts if source else (urlsplit(target).hostname,)
        try:
            result = fetch(target, allowed_hosts=hosts)
        except FetchError as exc:
            raise UsageError(str(exc)) from None
        if result.status != 200:
            raise UsageError(f"{target}: HTTP {result.status} {result.reason}; nothing to extract")
        html, url = result.text(), result.final_url
    else:
        path = Path(target)
        if not path.is_file():
            raise UsageError(f"{target}: no such file; give a saved .html page or an http(s) URL")
        html, url = decode(path.read_bytes(), None), (source.url if source else None)
    extraction = extract(
        html, source.id if source else (args.source or "adhoc"), url=url, language=source.language if source else None
    )
    if args.json:
        print(extraction.to_json())
        return 0
    from outputs.extraction_text import render_extraction

    sys.stdout.write(render_extraction(extraction))
    return 0


# ------------------------------------------------------------------------------------ queries


def cmd_changes(args) -> int:
    from flows.cli_analyst import resolved_events
    from outputs.report import describe

    _store(args, current=True)
    if args.source:
        _check_source(args, args.source)
    events = resolved_events(args, args.source, args.since)
    if args.json:
        print(json.dumps([json.loads(e.to_json()) for e in events], ensure_ascii=False, indent=2))
        return 0
    if not events:
        print("no change events" + (f" since {args.since}" if args.since else ""))
    for event in events:
        print(f"{event.at[:10]}  {event.source:<12} {describe(event)}")
    return 0


def cmd_members(args) -> int:
    from extractors import EXTRACTOR_VERSION
    from extractors.model import Extraction
    from flows.cli_analyst import person_ids

    _check_source(args, args.source)
    store = _store(args, current=True)
    found = store.last_accepted(args.source, EXTRACTOR_VERSION, until=f"{args.at}T23:59:59Z" if args.at else None)
    if found is None:
        when = f" on or before {args.at}" if args.at else ""
        raise UsageError(f"no extracted capture of {args.source}{when}; run 'rosterwatch track' first")
    capture, extraction = found[0], Extraction.from_json(found[1])
    person_id_of = person_ids(args)
    rows = [
        {
            "source": args.source,
            "group": g.name,
            "name": m.name,
            "organisation": m.organisation,
            "role": m.role,
            "region": m.region,
            "chair": g.chair is not None and g.chair == m.name,
            "as_of": capture.fetched_at,
            "capture": capture.id,
            "person_id": person_id_of(m.name, args.source, g.name),
        }
        for g in extraction.groups
        for m in g.members
    ]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    print(f"{args.source} as of {capture.fetched_at} (capture {capture.id}): {len(rows)} members")
    for group in extraction.groups:
        print(f"\n{group.name}" + (f"  (chair: {group.chair})" if group.chair else ""))
        for m in group.members:
            extra = ", ".join(x for x in (m.organisation, m.role, m.region) if x)
            print(f"  {m.name}" + (f"  — {extra}" if extra else ""))
    return 0


def cmd_snapshots(args) -> int:
    _check_source(args, args.source)
    store = _store(args)
    caps = store.captures(args.source)
    if args.json:
        from dataclasses import asdict

        print(json.dumps([asdict(c) for c in caps], ensure_ascii=False, indent=2))
        return 0
    if not caps:
        print(f"no captures of {args.source} yet")
        return 0
    print(f"{'id':>5}  {'fetched (UTC)':<20}  {'status':>6}  {'stored':<24}  {'sha256':<12}  origin")
    for c in caps:
        if c.status == 304:
            what = "not modified (304)"
        elif c.record_type == "revisit":
            what = "unchanged (revisit)"
        else:
            what = f"new content, {c.body_bytes} B"
        print(f"{c.id:>5}  {c.fetched_at:<20}  {c.status:>6}  {what:<24}  {(c.payload_sha256 or '')[:12]:<12}  {c.origin}")
    return 0


def _check_source(args, source_id: str) -> None:
    sources = _sources(args)
    if source_id not in sources:
        raise UsageError(f"unknown source {source_id!r}; known sources: {', '.join(sources)}")


# ------------------------------------------------------------------------------------ evaluation


def cmd_ner_eval(args) -> int:
    from extractors.ner.evaluate import main as ner_main

    return ner_main(args.rest)


def cmd_eval_extraction(args) -> int:
    from extractors.evaluate import run

    return run(args)


if __name__ == "__main__":
    sys.exit(main())
