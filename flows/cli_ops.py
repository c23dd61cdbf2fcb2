"""The operations commands of `rosterwatch`: reextract, backfill, serve, bench.

`flows.cli` registers them (`add_ops_commands`) and dispatches to the `cmd_*` functions here;
Prefect and the heavy modules are imported only when a command runs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _whole(low: int, high: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = low - 1
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text!r}: give a whole number from {low} to {high}")
        return value

    return parse


def _delay(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 3600:
        raise argparse.ArgumentTypeError(f"{text!r}: give seconds from 0 to 3600")
    return value


def add_run_arguments(sub) -> None:
    """How hard a run may work: sources at once in this run, and the politeness per host across all runs."""
    sub.add_argument(
        "--parallel", type=_whole(1, 256), default=8, metavar="N", help="sources this run tracks at once (8)"
    )
    sub.add_argument(
        "--host-requests",
        type=_whole(1, 100),
        metavar="N",
        help="fetches at once from one host, across every worker ($ROSTERWATCH_HOST_REQUESTS, else 1)",
    )
    sub.add_argument(
        "--host-delay",
        type=_delay,
        metavar="SECONDS",
        help="seconds between the starts of two fetches from one host ($ROSTERWATCH_HOST_DELAY, else 1)",
    )


def add_ops_commands(command, date_arg) -> None:
    """Add the subcommands to the parser; `command` is `flows.cli`'s subparser helper."""
    reextract = command(
        "reextract",
        "re-run extraction over stored captures and show how the history changed",
        "Run the current extractor over the stored captures (no fetching), store the new extractions "
        "beside the old ones (nothing is overwritten), recompute the change history under the new "
        "extractor version and print how it differs from the previous version's history: events "
        "corrected, added and removed. Uses every core; shows a progress bar on a terminal. Safe to "
        "kill and run again: it carries on where it stopped, and a run with nothing left to do "
        "writes nothing. --since/--until limit the captures (the one just before --since is "
        "extracted too, as the baseline the window is compared with).",
        "  rosterwatch reextract                       # every source, every capture\n"
        "  rosterwatch reextract --source fagrad-pm --since 2024-01-01\n"
        "  rosterwatch reextract --until 2023-12-31 --workers 2\n",
    )
    reextract.add_argument("--source", action="append", metavar="ID", help="only this source (repeatable)")
    reextract.add_argument("--since", type=date_arg, metavar="DATE", help="captures from DATE (YYYY-MM-DD)")
    reextract.add_argument("--until", type=date_arg, metavar="DATE", help="captures up to the end of DATE")
    reextract.add_argument("--workers", type=int, metavar="N", help="extraction processes (default: every core)")
    reextract.add_argument(
        "--against", metavar="VERSION", help="extractor version to compare with (default: the one used before)"
    )
    reextract.add_argument(
        "--wait-lock", type=float, default=60.0, metavar="SECONDS", help="how long to wait for another run (60)"
    )

    backfill = command(
        "backfill",
        "import historical copies of the pages (HTML files, WARC/WACZ, Internet Archive)",
        "Import old copies of the tracked pages as dated captures, oldest first, then extract them and "
        "derive the change history again (old captures may land before ones already compared). Inputs, "
        "any mix: --html DIR of dated HTML files (DIR/<source-id>/<ISO date>.html, or DIR/<ISO date>.html "
        "with one --source); --warc FILE of WARC or WACZ archives (responses to a tracked URL are taken, "
        "scheme and www. aside); --cdx to ask the Internet Archive's CDX API for every distinct capture of "
        "each source URL and fetch them, --delay seconds apart. A copy already stored for the same time "
        "is skipped, so running it twice imports nothing the second time.",
        "  rosterwatch backfill --html old-pages/\n"
        "  rosterwatch backfill --source fagrad-pm --warc crawl-2021.warc.gz --warc site.wacz\n"
        "  rosterwatch backfill --source norprem --cdx --since 2019-01-01 --delay 2\n",
    )
    backfill.add_argument("--source", action="append", metavar="ID", help="only this source (repeatable)")
    backfill.add_argument("--html", metavar="DIR", help="dated HTML copies: DIR/<source-id>/<ISO date or datetime>.html")
    backfill.add_argument("--warc", action="append", default=[], metavar="FILE", help="a .warc, .warc.gz or .wacz file (repeatable)")
    backfill.add_argument("--cdx", action="store_true", help="fetch the captures the Internet Archive holds of each source URL")
    backfill.add_argument(
        "--cdx-url", default="https://web.archive.org", metavar="URL", help="the archive's base URL (https://web.archive.org)"
    )
    backfill.add_argument("--since", type=date_arg, metavar="DATE", help="only copies taken on or after DATE")
    backfill.add_argument("--until", type=date_arg, metavar="DATE", help="only copies taken on or before DATE")
    backfill.add_argument("--delay", type=float, default=1.0, metavar="SECONDS", help="pause between archive requests (1)")
    backfill.add_argument("--workers", type=int, metavar="N", help="extraction processes (default: every core)")
    backfill.add_argument(
        "--wait-lock", type=float, default=60.0, metavar="SECONDS", help="how long to wait for another run (60)"
    )

    serve = command(
        "serve",
        "run track every day on a schedule (a Prefect deployment)",
        "Register a deployment of the track flow with a daily cron schedule (06:00 Europe/Oslo unless "
        "told otherwise) on the Prefect server named by PREFECT_API_URL. Without --pool this process "
        "then runs every scheduled or manually triggered run itself until you stop it (Ctrl-C). With "
        "--pool it registers the deployment for that process work pool and returns; start workers with "
        "'prefect worker start --pool NAME --limit 1'. A run with more sources than --batch (25) starts one "
        "flow run per batch of sources instead, so the workers track them side by side, each fetch holding "
        "its host's slot on the Prefect server (--host-requests, --host-delay). --data-dir, --sources, "
        "--people and these settings given here are fixed in the deployment, so every run uses them. See "
        "docs/operations.md for the whole setup.",
        "  prefect server start &                      # UI and API on http://127.0.0.1:4200\n"
        "  export PREFECT_API_URL=http://127.0.0.1:4200/api\n"
        "  rosterwatch --data-dir /srv/rosterwatch serve\n"
        "  prefect deployment run track/daily          # a run now, besides the schedule\n"
        "  rosterwatch --data-dir /shared/rosterwatch serve --pool rosterwatch --cron '30 5 * * 1-5'\n",
    )
    serve.add_argument("--name", default="daily", help="deployment name (daily): runs are track/NAME")
    serve.add_argument("--cron", default="0 6 * * *", metavar="EXPR", help="when to run, cron syntax ('0 6 * * *')")
    serve.add_argument("--timezone", default="Europe/Oslo", metavar="TZ", help="time zone of --cron (Europe/Oslo)")
    serve.add_argument("--pool", metavar="NAME", help="register for this process work pool and return, instead of serving")
    serve.add_argument(
        "--batch", type=_whole(1, 100000), default=25, metavar="N", help="sources per flow run when a run has more (25)"
    )
    add_run_arguments(serve)

    bench = command(
        "bench",
        "time re-extraction and tracking against trafilatura and urlwatch",
        "Build a temporary archive of N captures of realistic pages (the page texts of ../shared/pages and "
        "../shared/pages/real in every CMS template, members replaced over time by people with Norwegian "
        "names, one capture in ten unchanged). In one warm pool of worker processes, bare trafilatura.extract "
        "(with extract()'s settings) and the full re-extraction take turns; worker start-up is timed apart. "
        "Then serve K of the pages from 127.0.0.1 and time 'rosterwatch track' with nothing changed and "
        "with one page changed, taking turns with urlwatch on the same pages when it is installed "
        "(pip install -e '.[bench]'). Prints rates, ratios, peak memory of the whole process tree and the "
        "bytes an unchanged capture adds; the last two lines are machine-readable. Needs a source checkout "
        "and ../shared/pages. Stores nothing in your data dir.",
        "  rosterwatch bench\n  rosterwatch bench --pages 2000 --workers 2 --track-pages 20\n",
    )
    bench.add_argument("--pages", type=int, default=500, metavar="N", help="captures in the archive (500)")
    bench.add_argument("--workers", type=int, metavar="N", help="worker processes (default: every core)")
    bench.add_argument("--track-pages", type=int, default=10, metavar="K", help="pages served to the track timing (10)")
    bench.add_argument("--keep", metavar="DIR", help="build the archive in DIR and keep it (must not exist yet)")


def _usage(message: str) -> Exception:
    from flows.cli import UsageError

    return UsageError(message)


def _quiet(args) -> None:
    """Prefect set up its console handlers when the flow module imported it: keep them quiet."""
    if not args.verbose:
        from flows import runlog

        runlog.quiet_console()


def _settings(args):
    from flows.config import Settings

    return Settings.resolve(args.data_dir, args.sources)


def _people(args) -> str:
    """The reviewed people file (`--people`, ROSTERWATCH_PEOPLE, people.toml), absolute: every path
    that derives history uses the same one, and a deployment keeps it whatever its worker's directory."""
    from outputs.reviewed import people_path

    return str(people_path(args.people).resolve())


def _has_store(settings) -> bool:
    return settings.db_url is not None or (settings.data_dir / "index.sqlite").exists()


# ------------------------------------------------------------------------------------ reextract


def cmd_reextract(args) -> int:
    from flows.config import load_sources, select_sources

    settings = _settings(args)
    select_sources(load_sources(settings.sources_file), args.source)
    if not _has_store(settings):
        raise _usage(f"no data in {settings.data_dir}; nothing to re-extract (run 'rosterwatch track' or 'backfill' first)")
    if args.since and args.until and args.since > args.until:
        raise _usage(f"--since {args.since} is after --until {args.until}; swap them")
    if args.workers is not None and args.workers < 1:
        raise _usage(f"--workers {args.workers}: give 1 or more")
    from flows.runner import prefect_api_url

    if prefect_api_url():
        from flows.reextract import reextract

        _quiet(args)
    else:
        from flows.reextract import reextract_in_process as reextract

    result = reextract(
        data_dir=str(settings.data_dir),
        sources_file=str(settings.sources_file),
        source_ids=args.source,
        since=args.since,
        until=args.until,
        workers=args.workers,
        against=args.against,
        wait_lock=args.wait_lock,
        people_file=_people(args),
    )
    print(result.report())
    return 0


# ------------------------------------------------------------------------------------ backfill


def cmd_backfill(args) -> int:
    from flows.config import load_sources, select_sources

    settings = _settings(args)
    selected = select_sources(load_sources(settings.sources_file), args.source)
    if not (args.html or args.warc or args.cdx):
        raise _usage("nothing to import; give --html DIR, --warc FILE or --cdx (see 'rosterwatch backfill --help')")
    if args.html:
        from flows.pipeline import ReplayError, replay_layout

        try:
            layout = replay_layout(Path(args.html), [s.id for s in selected], option="--html")
        except ReplayError as exc:
            raise _usage(str(exc)) from None
        for line in layout.skipped:
            print(f"rosterwatch: --html: {line}", file=sys.stderr)
    for path in args.warc:
        if not Path(path).is_file():
            raise _usage(f"--warc {path}: no such file; give .warc, .warc.gz or .wacz files")
    from flows.runner import prefect_api_url

    if prefect_api_url():
        from flows.backfill import BackfillError, backfill

        _quiet(args)
    else:
        from flows.backfill import BackfillError, backfill_in_process as backfill

    try:
        result = backfill(
            data_dir=str(settings.data_dir),
            sources_file=str(settings.sources_file),
            source_ids=args.source,
            html_dir=str(Path(args.html).resolve()) if args.html else None,
            archives=[str(Path(p).resolve()) for p in args.warc],
            cdx=args.cdx,
            cdx_url=args.cdx_url,
            since=args.since,
            until=args.until,
            delay=args.delay,
            workers=args.workers,
            wait_lock=args.wait_lock,
            people_file=_people(args),
        )
    except BackfillError as exc:
        raise _usage(str(exc)) from None
    print(result.report())
    return 0


# ------------------------------------------------------------------------------------ serve


def cmd_serve(args) -> int:
    import os
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from flows.config import load_sources

    settings = _settings(args)
    load_sources(settings.sources_file)
    try:
        ZoneInfo(args.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise _usage(f"--timezone {args.timezone!r}: unknown time zone; use an IANA name such as Europe/Oslo") from None
    from prefect.schedules import Cron

    try:
        Cron(args.cron)
    except ValueError:
        raise _usage(f"--cron {args.cron!r}: not a cron expression; e.g. '0 6 * * *' is 06:00 every day") from None
    if not os.environ.get("PREFECT_API_URL"):
        print(
            "rosterwatch: PREFECT_API_URL is not set: using a temporary local Prefect server that stops with this "
            "process; see docs/operations.md to run a lasting one",
            file=sys.stderr,
        )
    from flows.serve import Schedule, register, run_parameters, serve

    schedule = Schedule(args.name, args.cron, args.timezone)
    data_dir, sources_file = str(settings.data_dir.resolve()), str(settings.sources_file.resolve())
    politeness = settings.politeness
    if args.host_requests is not None or args.host_delay is not None:
        from flows.config import Politeness

        politeness = Politeness.resolve(args.host_requests, args.host_delay)
    parameters = run_parameters(data_dir, sources_file, _people(args), args.batch, args.parallel, politeness)
    if args.pool:
        deployment_id = register(schedule, args.pool, parameters)
        print(
            f"deployment track/{args.name} ({deployment_id}) registered for work pool {args.pool!r}: "
            f"{args.cron} {args.timezone}, flow runs of up to {args.batch} sources"
        )
        return 0
    serve(schedule, parameters)
    return 0


# ------------------------------------------------------------------------------------ bench


def cmd_bench(args) -> int:
    if args.pages < 1:
        raise _usage(f"--pages {args.pages}: give 1 or more")
    if args.workers is not None and args.workers < 1:
        raise _usage(f"--workers {args.workers}: give 1 or more")
    if args.track_pages < 1:
        raise _usage(f"--track-pages {args.track_pages}: give 1 or more")
    if args.keep and Path(args.keep).exists():
        raise _usage(f"--keep {args.keep}: already exists; give a new directory")
    from flows.bench import BenchError, run

    try:
        result = run(args.pages, args.workers, Path(args.keep) if args.keep else None, args.track_pages)
    except BenchError as exc:
        raise _usage(str(exc)) from None
    print(result.report())
    return 0
