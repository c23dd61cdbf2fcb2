"""`rosterwatch`: the command line. Its shape is a contract (DESIGN.md, "Command line").

Commands that only read the store never import Prefect, so they start fast. `track` is a
Prefect flow run when a Prefect API is configured, and otherwise runs the same stages in this
process (`flows.runner`), without starting a temporary Prefect server.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import threading
import traceback
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from pathlib import Path

from flows.cli_analyst import (  # noqa: F401  (dispatched by name)
    add_analyst_commands,
    cmd_export,
    cmd_feed,
    cmd_history,
    cmd_people,
    cmd_report,
    prepare_people,
)
from flows.cli_ops import add_ops_commands, add_run_arguments, cmd_backfill, cmd_bench, cmd_reextract, cmd_serve  # noqa: F401  (dispatched by name)
from flows import runlog
from flows.cli_sources import add_sources_command, cmd_sources  # noqa: F401  (dispatched by name)
from flows.config import ConfigError, Settings, Source, load_sources
from flows.errors import FAILED, INTERRUPTED, OK, USAGE, Failed, UsageError, one_line, printable_streams
from outputs.safe import clean

EPILOG = """\
examples:
  rosterwatch track                                  fetch every page in sources.toml, print the report
  rosterwatch --data-dir demo track --replay tests/fixtures/history
                                                     rebuild history offline from archived copies
  rosterwatch changes --source fagrad-pm --since 2024-01-01
  rosterwatch members norprem --at 2023-06-01
  rosterwatch extract page.html --source fagrad-pm --json

global options (--data-dir, --sources, --people, --verbose) go before or after COMMAND.
data:    --data-dir, else $ROSTERWATCH_DATA, else ~/.local/share/rosterwatch
sources: --sources, else $ROSTERWATCH_SOURCES, else sources.toml of the project
people:  --people, else $ROSTERWATCH_PEOPLE, else people.toml of the project (reviewed identities)
log:     DATA_DIR/logs/rosterwatch.log (Prefect's log and any traceback; --verbose shows them here)

exit status: 0 done; 1 a source could not be tracked, or the data dir is full, read-only or
in use (nothing stored is lost); 2 usage or configuration error; 130 interrupted
"""
WRITING_COMMANDS = frozenset({"track", "reextract", "backfill", "serve", "bench"})
log = logging.getLogger("flows.cli")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rosterwatch",
        description="Track the published member lists and mandates of official bodies, "
        "keep every version, and report who joined, left or changed role.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _global_options(parser, None)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    everywhere = argparse.ArgumentParser(add_help=False)
    _global_options(everywhere.add_argument_group("global options (before or after COMMAND)"), argparse.SUPPRESS)
    everywhere_but_verbose = argparse.ArgumentParser(add_help=False)
    _global_options(
        everywhere_but_verbose.add_argument_group("global options (before or after COMMAND)"), argparse.SUPPRESS, verbose=False
    )

    def command(name: str, summary: str, description: str, examples: str, own_verbose: bool = False):
        """A subcommand that teaches: its description, its examples, and the global options it also takes."""
        return commands.add_parser(
            name,
            help=summary,
            description=description,
            epilog="examples:\n" + examples,
            formatter_class=argparse.RawDescriptionHelpFormatter,
            parents=[everywhere_but_verbose if own_verbose else everywhere],
        )

    track = command(
        "track",
        "fetch the tracked pages, store new versions, report changes",
        "Fetch each source (politely: robots.txt, conditional GET, retries), store what changed as a "
        "dated snapshot, extract the members and mandate, compare with the previous version and print "
        "the change report (also saved under DATA_DIR/reports/). A Prefect flow run when PREFECT_API_URL "
        "is set, otherwise run in this process. A source that cannot be fetched (no answer, a time-out, "
        "page gone) gets one line on stderr naming it, the URL and what to do, and the run exits with "
        "status 1 (nothing stored is lost). Each fetch ends within its deadline (--deadline, "
        "$ROSTERWATCH_FETCH_DEADLINE, 30 s). --parallel sources are tracked at once, never more than "
        "--host-requests fetches at a time from one host, their starts --host-delay seconds apart.",
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
    track.add_argument(
        "--deadline",
        type=_seconds_arg,
        metavar="SECONDS",
        help="the longest one fetch may take, retries included ($ROSTERWATCH_FETCH_DEADLINE, else 30)",
    )
    add_run_arguments(track)

    extract = command(
        "extract",
        "print what rosterwatch reads from a page (no storing)",
        "Extract title, dates, mandate and groups with members from a local .html file or a URL, "
        "and print them readably: each group, each member's seat and the text it was read from, or "
        "plainly that no member list was found (with --json, said on stderr). Nothing is stored. --json "
        "prints the extraction JSON of DESIGN.md. What is not an HTML page (an empty file, an image, a PDF, "
        "plain text) is refused with one line saying what it is (exit status 2).",
        "  rosterwatch extract saved.html --source fagrad-pm --json\n  rosterwatch extract https://www.helsedirektoratet.no/... --json\n",
    )
    extract.add_argument("target", metavar="PATH_OR_URL", help="a web page saved as .html, or its http(s) address")
    extract.add_argument("--source", metavar="ID", help="the source the page belongs to (sets id and language)")
    extract.add_argument("--json", action="store_true", help="print the extraction JSON")

    changes = command(
        "changes",
        "list change events, oldest first",
        "List the change events found so far (joined, left, role/organisation/region changes, chair, "
        "mandate, suspect extractions), oldest first. --json prints the change event JSON of DESIGN.md.",
        "  rosterwatch changes\n  rosterwatch changes --source fagrad-pm --since 2024-01-01 --json\n",
    )
    changes.add_argument("--source", metavar="ID", help="only the events of this source (an id in the sources file)")
    changes.add_argument("--since", metavar="DATE", type=_date_arg, help="only events at or after DATE (YYYY-MM-DD)")
    changes.add_argument("--json", action="store_true", help="print the change event JSON (an array, oldest first)")

    members = command(
        "members",
        "who sits in a body now, or on a date",
        "Print the composition of SOURCE as of the latest capture, or as it stood on DATE.",
        "  rosterwatch members fagrad-pm\n  rosterwatch members norprem --at 2023-06-01 --json\n",
    )
    members.add_argument("source", metavar="SOURCE", help="a source id from the sources file, e.g. fagrad-pm")
    members.add_argument("--at", metavar="DATE", type=_date_arg, help="composition as of this date (YYYY-MM-DD)")
    members.add_argument("--json", action="store_true", help="print one JSON object per member, with person and organisation ids")

    snapshots = command(
        "snapshots",
        "list the stored captures of a source",
        "List every capture of SOURCE: when, HTTP status, whether new content was stored or it was "
        "unchanged (a WARC revisit record, no body bytes), content hash and origin.",
        "  rosterwatch snapshots fagrad-pm\n",
    )
    snapshots.add_argument("source", metavar="SOURCE", help="a source id from the sources file, e.g. norprem")
    snapshots.add_argument("--json", action="store_true", help="print the captures and failed fetches as JSON")

    ner_eval = command(
        "ner-eval",
        "score the Norwegian NER model on NorNE and on the tracked pages",
        "Evaluate the shipped NER model on NorNE (Bokmål dev and test, Nynorsk test): precision, "
        "recall and F1 per label, speed and size, beside spaCy's published figures; and the recall of "
        "gold member names on the pages in ../shared/pages.",
        "  rosterwatch ner-eval\n  rosterwatch ner-eval --norne ../shared/data/norne --pages ../shared/pages\n",
    )
    from extractors.ner.evaluate import add_arguments as add_ner_arguments

    add_ner_arguments(ner_eval)

    from extractors.evaluate import DESCRIPTION as EVAL_DESCRIPTION, EXAMPLES as EVAL_EXAMPLES, add_arguments

    eval_extraction = command(
        "eval-extraction",
        "score extraction against gold files",
        EVAL_DESCRIPTION,
        EVAL_EXAMPLES.removeprefix("examples:\n"),
        own_verbose=True,  # its -v prints each template's scores
    )
    add_arguments(eval_extraction)
    add_ops_commands(command, _date_arg)
    add_sources_command(command)
    add_analyst_commands(command, _date_arg)
    return parser


def _global_options(parser, default, verbose: bool = True) -> None:
    """--data-dir, --sources, --people, --verbose: on the command line before COMMAND, and after it
    too (there with no default, so a value given before is kept)."""
    parser.add_argument("--data-dir", metavar="DIR", default=default, help="where snapshots, the index and reports live")
    parser.add_argument("--sources", metavar="FILE", default=default, help="the sources file (TOML) listing what to track")
    parser.add_argument(
        "--people", metavar="FILE", default=default, help="the reviewed people file (TOML): pinned and split identities"
    )
    if verbose:
        parser.add_argument(
            "--verbose", action="store_true", default=default if default is not None else False,
            help="also show the run's log (Prefect's, tracebacks) on the terminal",
        )


def _seconds_arg(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds <= 600:
        raise argparse.ArgumentTypeError(f"{text!r}: give seconds, more than 0 and at most 600")
    return seconds


def _date_arg(text: str) -> str:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; use YYYY-MM-DD") from None


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns its exit status (see `flows.errors`)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = globals()[f"cmd_{args.command.replace('-', '_')}"]
    with printable_streams():
        try:
            data_dir = _settings(args).data_dir
        except ConfigError as exc:
            return _say(exc, USAGE)
        create = args.command in WRITING_COMMANDS
        verbose = args.verbose or args.command == "serve"  # a long-running service shows its log
        with runlog.session(data_dir, verbose, create) as log_path:
            return _run(handler, args, log_path)


def _run(handler, args, log_path: Path | None) -> int:
    try:
        prepare_people(args)
        return handler(args)
    except (ConfigError, UsageError) as exc:
        return _say(exc, USAGE)
    except Failed as exc:
        return _say(exc, FAILED)
    except KeyboardInterrupt:
        print("rosterwatch: interrupted; stored data is consistent, run again to carry on", file=sys.stderr)
        return INTERRUPTED
    except BrokenPipeError:
        # the reader went away (`rosterwatch people | head`): not an error worth a traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return OK
    except Exception as exc:
        from snapshots.store import StoreBusy, StoreError

        log.warning("%s failed", args.command, exc_info=True)
        if isinstance(exc, (StoreError, StoreBusy)):
            return _say(exc, FAILED)
        if args.verbose:
            traceback.print_exc()
        where = f"the traceback is in {log_path}" if log_path else "rerun with --verbose for the traceback"
        return _say(f"{type(exc).__name__}: {one_line(exc)} (unexpected: {where})", FAILED)


def _say(problem, status: int) -> int:
    print(f"rosterwatch: {one_line(problem)}", file=sys.stderr)
    return status


def _settings(args) -> Settings:
    return Settings.resolve(args.data_dir, args.sources)


def _sources(args) -> dict[str, Source]:
    return load_sources(_settings(args).sources_file)


def _store(args, must_exist: bool = True, current: bool = False):
    """The store of `--data-dir`, opened read-only (queries work on a full disk or a read-only
    data dir); with `current`, one whose history the current extractor made."""
    from snapshots.store import SnapshotStore

    settings = _settings(args)
    if must_exist and not (settings.data_dir / "index.sqlite").exists() and not settings.db_url:
        raise UsageError(
            f"no data in {settings.data_dir} (from {settings.data_dir_from}); run 'rosterwatch track' there first, "
            "or pass --data-dir DIR of a store (after 'make demo': --data-dir demo-data)"
        )
    store = SnapshotStore(settings.data_dir, settings.db_url, readonly=True)
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
    from flows.config import select_sources
    from flows.pipeline import ReplayError, replay_layout
    from flows.runner import prefect_api_url

    settings = _settings(args)
    selected = select_sources(load_sources(settings.sources_file), args.source)
    if args.replay:
        try:
            layout = replay_layout(Path(args.replay), [s.id for s in selected])
        except ReplayError as exc:
            raise UsageError(str(exc)) from None
        for line in layout.skipped:
            print(f"rosterwatch: --replay: {line}", file=sys.stderr)
        for source_id in (m for m in layout.missing if m in (args.source or ())):
            print(f"rosterwatch: --replay: no folder {Path(args.replay) / source_id}/, so {source_id} is not replayed", file=sys.stderr)

    if prefect_api_url():
        from flows.track import track_flow_run as track  # a flow run on that Prefect server

        if not args.verbose:
            runlog.quiet_console()  # Prefect set up its console handlers on import
    else:
        from flows.tracking import track_in_process as track  # no Prefect server to start or leave behind

    try:
        with _stop_at_once_on_ctrl_c():
            result = track(
                data_dir=str(settings.data_dir),
                sources_file=str(settings.sources_file),
                source_ids=args.source,
                replay_dir=str(Path(args.replay).resolve()) if args.replay else None,
                wait_lock=args.wait_lock,
                people_file=args.people,
                fetch_deadline=args.deadline,
                parallel=args.parallel,
                host_requests=args.host_requests,
                host_delay=args.host_delay,
            )
    except ReplayError as exc:
        raise UsageError(str(exc)) from None
    print(result.report)
    print(f"(report saved to {result.report_path})", file=sys.stderr)
    for outcome in result.failed:
        print(f"rosterwatch: {outcome.source}: {outcome.message}", file=sys.stderr)
    return FAILED if result.failed else OK


@contextmanager
def _stop_at_once_on_ctrl_c():
    """Ctrl-C during a run: print the report of what finished, one line saying what did not, and
    end the process now (status 130), without waiting for a fetch or an extraction in flight:
    Prefect's task runner would wait for its threads, up to a whole fetch deadline. Ending here
    is as safe as a kill (the store is consistent at any point; the next run carries on), and
    a Prefect flow run is marked Cancelled first. Outside a run, Ctrl-C is as usual."""
    from flows.tracking import interrupt

    def stop(signum, frame):
        stopped = interrupt()
        if stopped is None:
            raise KeyboardInterrupt
        sys.stdout.write(stopped.report)
        sys.stderr.write(f"rosterwatch: {stopped.summary}\n")  # not print(): a flow run with log_prints logs it
        log.warning("%s", stopped.summary)
        logs = [h for h in logging.getLogger().handlers if isinstance(h, logging.FileHandler)]
        for stream in (sys.stdout, sys.stderr, *(h.stream for h in logs if h.stream is not None)):
            stream.flush()
        os._exit(INTERRUPTED)

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


# ------------------------------------------------------------------------------------ extract


def cmd_extract(args) -> int:
    from extractors import extract
    from snapshots.charset import decode
    from snapshots.sniff import not_html

    sources = _sources(args)
    target = args.target
    source = sources.get(args.source) if args.source else None
    if args.source and source is None:
        raise UsageError(f"unknown source {args.source!r}; known sources: {', '.join(sources)}")
    if target.startswith(("http://", "https://")):
        from snapshots.fetch import FetchError, FetchPolicy, fetch

        source = source or next((s for s in sources.values() if s.url == target), None)
        policy = replace(
            FetchPolicy(),
            deadline=_settings(args).fetch_deadline,
            allow_private=source.allow_private if source else False,
        )
        try:
            result = fetch(target, allowed_hosts=source.allowed_hosts if source else (), policy=policy)
        except FetchError as exc:
            raise Failed(str(exc)) from None
        except ValueError as exc:
            raise UsageError(f"{target}: {exc}") from None
        if result.status != 200:
            raise Failed(f"{target}: HTTP {result.status} {clean(result.reason)}; nothing to extract")
        problem = not_html(result.body)
        if problem:
            raise UsageError(f"{target} {problem}; give the address of the web page itself")
        html, url = result.text(), result.final_url
    else:
        path = Path(target)
        if not path.is_file():
            raise UsageError(f"{target}: no such file; give a saved .html page or an http(s) URL")
        body = path.read_bytes()
        problem = not_html(body)
        if problem:
            raise UsageError(f"{target} {problem}; give a web page saved as .html, or its http(s) URL")
        html, url = decode(body, None), (source.url if source else None)
    extraction = extract(
        html, source.id if source else (args.source or "adhoc"), url=url, language=source.language if source else None
    )
    if args.json:
        print(extraction.to_json())
        if not extraction.member_count:
            print(f"rosterwatch: no member list found in {target} (the JSON has no members)", file=sys.stderr)
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
    from flows.cli_analyst import load, organisation_text
    from outputs.composition import NoComposition, composition_on

    _check_source(args, args.source)
    try:
        composition = composition_on(load(args), args.source, args.at)
    except NoComposition as exc:
        raise UsageError(str(exc)) from None
    if args.json:
        print(json.dumps(composition.rows, ensure_ascii=False, indent=2))
        return 0
    observation = composition.observation
    print(f"{args.source} as of {observation.at} (capture {observation.capture_id}): {len(composition.rows)} members")
    for group in observation.extraction.groups:
        print(f"\n{clean(group.name)}" + (f"  (chair: {clean(group.chair)})" if group.chair else ""))
        for row in (r for r in composition.rows if r["group"] == group.name):
            organisation = organisation_text(row["organisation"], row["organisation_canonical"])
            extra = ", ".join(clean(x) for x in (organisation, row["role"], row["region"]) if x)
            print(f"  {clean(row['name'])}" + (f"  — {extra}" if extra else ""))
    return 0


def cmd_snapshots(args) -> int:
    from snapshots import listing

    _check_source(args, args.source)
    store = _store(args)
    captures, failures = store.captures(args.source), store.failures(args.source)
    if args.json:
        print(json.dumps(listing.rows(captures, failures), ensure_ascii=False, indent=2))
        return OK
    if not captures and not failures:
        print(f"no captures of {args.source} yet")
        return OK
    print("\n".join(listing.lines(captures, failures)))
    gone = listing.away_now(args.source, captures, failures)
    if gone is not None:
        print(f"\n{gone.headline} ({gone.count} failed fetch{'es' if gone.count > 1 else ''}, the latest at {gone.last})")
    return OK


def _check_source(args, source_id: str) -> None:
    sources = _sources(args)
    if source_id not in sources:
        raise UsageError(f"unknown source {source_id!r}; known sources: {', '.join(sources)}")


# ------------------------------------------------------------------------------------ evaluation


def cmd_ner_eval(args) -> int:
    from extractors.ner.evaluate import run

    return run(args)


def cmd_eval_extraction(args) -> int:
    from extractors.evaluate import run

    return run(args)


if __name__ == "__main__":
    sys.exit(main())
