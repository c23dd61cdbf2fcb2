"""The operations commands of `rosterwatch`: reextract, backfill, serve, bench.

`flows.cli` registers them (`add_ops_commands`) and dispatches to the `cmd_*` functions here;
Prefect and the heavy modules are imported only when a command runs.
"""

from __future__ import annotations

import sys
from pathlib import Path


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


def _usage(message: str) -> Exception:
    from flows.cli import UsageError

    return UsageError(message)


def _settings(args):
    from flows.config import Settings

    return Settings.resolve(args.data_dir, args.sources)


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
    from flows.reextract import reextract
    from snapshots.store import StoreBusy, StoreError

    try:
        result = reextract(
            data_dir=str(settings.data_dir),
            sources_file=str(settings.sources_file),
            source_ids=args.source,
            since=args.since,
            until=args.until,
            workers=args.workers,
            against=args.against,
            wait_lock=args.wait_lock,
        )
    except (StoreBusy, StoreError) as exc:
        raise _usage(str(exc)) from None
    print(result.report())
    return 0
