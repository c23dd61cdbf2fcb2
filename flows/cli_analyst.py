"""The analyst commands of `rosterwatch`: people, history, report, export, feed.

`flows.cli` registers them (`add_analyst_commands`), validates the reviewed people file at
start (`prepare_people`) and dispatches to the `cmd_*` functions here. They only read the
store; identities are resolved over everything stored, each time, with the reviewed file.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime, timezone
from pathlib import Path

from outputs.safe import clean

EXPORT_HELP = """\
csv      one row per membership interval (the timeline: person, body, group, role, organisation,
         region, first_seen, last_seen, ended_at = first capture without them); stdout or --out
parquet  the same table as Parquet (needs --out)
popolo   Popolo JSON: persons with other_names, organizations, areas, memberships with
         start_date/end_date and sources; stdout or --out
"""


def add_analyst_commands(command, date_arg) -> None:
    """Add the subcommands to the parser; `command` is `flows.cli`'s subparser helper."""
    people = command(
        "people",
        "every person seen, with spelling variants and seats",
        "List each identity: the stable person id, the name, every spelling printed, and each seat "
        "(body, group, first and last seen). Spelling variants are merged by rules and the reviewed "
        "people file (--people, ROSTERWATCH_PEOPLE, default people.toml); close names the rules did "
        "not merge are listed as near-misses for review. --json prints the people JSON of DESIGN.md.",
        "  rosterwatch people\n  rosterwatch people --json\n",
    )
    people.add_argument("--json", action="store_true")

    history = command(
        "history",
        "every seat a person held, in every tracked body",
        "Show one person's seats (body, group, role, organisation, region, first and last seen, "
        "when they were first missing) and the change events about them. PERSON is a name in any "
        "printed spelling, or a person id from 'rosterwatch people'.",
        '  rosterwatch history "Grethe Foss"\n  rosterwatch history p-84e4bfc6c3 --json\n',
    )
    history.add_argument("person", metavar="PERSON")
    history.add_argument("--json", action="store_true")

    report = command(
        "report",
        "the change report over everything stored (Markdown or HTML)",
        "Write the change report over the whole stored history: per body the changes in time order "
        "(with the captures they come from) and the current composition. --format html gives one "
        "self-contained HTML file with a chart of the composition over time.",
        "  rosterwatch report --since 2024-01-01\n  rosterwatch report --format html --out report.html\n",
    )
    report.add_argument("--since", metavar="DATE", type=date_arg, help="only changes at or after DATE (YYYY-MM-DD)")
    report.add_argument("--format", choices=("md", "html"), default="md", help="md (default) or html")
    report.add_argument("--out", metavar="FILE", help="write here instead of stdout")

    export = command(
        "export",
        "membership intervals as CSV or Parquet, or Popolo JSON",
        "Export who sat where and when, with resolved identities.\n\n" + EXPORT_HELP,
        "  rosterwatch export --format csv > memberships.csv\n"
        "  rosterwatch export --format parquet --out memberships.parquet\n"
        "  rosterwatch export --format popolo --out popolo.json\n",
    )
    export.add_argument("--format", choices=("csv", "parquet", "popolo"), default="csv")
    export.add_argument("--out", metavar="PATH", help="write here instead of stdout")

    feed = command(
        "feed",
        "an Atom feed of the change events",
        "Write an Atom feed of the change events, newest first, one entry per event with a stable id "
        "(the same event keeps its id when the history is rebuilt).",
        "  rosterwatch feed --out /var/www/rosterwatch.atom\n",
    )
    feed.add_argument("--out", metavar="FILE", help="write here instead of stdout")
    feed.add_argument("--limit", type=int, metavar="N", help="only the newest N events")


def prepare_people(args) -> None:
    """Validate the reviewed people file at start, so a typo stops the command before any work."""
    from flows.cli import UsageError
    from outputs.reviewed import ReviewedError, load_reviewed, people_path

    path = people_path(getattr(args, "people", None))
    try:
        load_reviewed(path)
    except ReviewedError as exc:
        raise UsageError(str(exc)) from None


def load(args, since: str | None = None):
    """The stored history with identities resolved (a `History`)."""
    from flows.analyst import load_history
    from flows.cli import _sources, _store
    from outputs.reviewed import load_reviewed, people_path

    return load_history(_store(args, current=True), _sources(args), load_reviewed(people_path(getattr(args, "people", None))), since=since)


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _write(text: str, out: str | None) -> None:
    if out:
        Path(out).write_text(text, encoding="utf-8")
        print(f"written to {out}", file=sys.stderr)
    else:
        sys.stdout.write(text)


def cmd_people(args) -> int:
    from outputs.people import people_records

    history = load(args)
    records = people_records(history)
    if args.json:
        print(json.dumps(records, ensure_ascii=False, indent=2))
        return 0
    for record in records:
        variants = [clean(v) for v in record["variants"] if v != record["name"]]
        print(f"{clean(record['name'])}  [{record['id']}]" + (f"  also printed: {', '.join(variants)}" if variants else ""))
        for seat in record["seats"]:
            until = "now" if seat["current"] else seat["last_seen"][:10]
            print(f"    {seat['source']:<12} {clean(seat['group'])}  {seat['first_seen'][:10]} – {until}")
    misses = history.people.near_misses
    print(f"\n{len(records)} people.", end="")
    if misses:
        print(f" {len(misses)} near-misses not merged (decide in {history.reviewed.path or 'people.toml'}):")
        for miss in misses:
            print(f"    {clean(miss.a)}  ~  {clean(miss.b)}: {clean(miss.reason)}")
    else:
        print()
    return 0


def cmd_history(args) -> int:
    from flows.cli import UsageError
    from outputs.people import PersonNotFound, find_person, person_events
    from outputs.report import describe
    from outputs.timeline import membership_intervals

    history = load(args)
    try:
        person = find_person(history, args.person)
    except PersonNotFound as exc:
        raise UsageError(str(exc)) from None
    intervals = membership_intervals(history)
    seats = intervals[intervals["person_id"] == person.id]
    events = person_events(history, person)
    if args.json:
        rows = json.loads(seats.to_json(orient="records", date_format="iso"))
        print(json.dumps(
            {"id": person.id, "name": person.name, "variants": person.variants, "seats": rows,
             "events": [json.loads(e.to_json()) for e in events]},
            ensure_ascii=False, indent=2,
        ))
        return 0
    print(f"{clean(person.name)}  [{person.id}]")
    if len(person.variants) > 1:
        print(f"printed as: {', '.join(map(clean, person.variants))}")
    print("\nseats:")
    for row in seats.itertuples(index=False):
        details = ", ".join(clean(x) for x in (row.organisation, row.role, row.region) if isinstance(x, str))
        until = f"last seen {row.last_seen:%Y-%m-%d}, gone {row.ended_at:%Y-%m-%d}" if row.end_reason == "left" else (
            f"until {row.ended_at:%Y-%m-%d} (seat changed)" if isinstance(row.end_reason, str) else "current")
        print(f"  {clean(row.body)} — {clean(row.group)}" + (f" ({details})" if details else ""))
        print(f"      from {row.first_seen:%Y-%m-%d}, {until}; printed {clean(row.name_as_printed)!r}")
    print("\nchanges:")
    for event in events:
        print(f"  {event.at[:10]}  {event.source:<12} {describe(event)}")
    if not events:
        print("  none recorded (present since the first capture of each body)")
    return 0


def cmd_report(args) -> int:
    history = load(args)
    if args.format == "html":
        from outputs.html_report import render_html_report

        text = render_html_report(history, _now(), args.since)
    else:
        from outputs.report import render_history_report

        text = render_history_report(history, _now(), args.since)
    _write(text, args.out)
    return 0


def cmd_export(args) -> int:
    from flows.cli import UsageError
    from outputs.export import popolo, write_csv, write_parquet
    from outputs.timeline import membership_intervals

    if args.format == "parquet" and not args.out:
        raise UsageError("export --format parquet writes a binary file; pass --out FILE.parquet")
    history = load(args)
    intervals = membership_intervals(history)
    if args.format == "popolo":
        _write(json.dumps(popolo(history, intervals), ensure_ascii=False, indent=2) + "\n", args.out)
    elif args.format == "parquet":
        write_parquet(intervals, Path(args.out))
        print(f"written to {args.out}", file=sys.stderr)
    elif args.out:
        write_csv(intervals, Path(args.out))
        print(f"written to {args.out}", file=sys.stderr)
    else:
        write_csv(intervals, sys.stdout)
    return 0


def cmd_feed(args) -> int:
    from outputs.feed import render_feed

    _write(render_feed(load(args), _now(), args.limit), args.out)
    return 0


def resolved_events(args, source: str | None, since: str | None):
    """The stored change events with the person ids of the current identity resolution."""
    history = load(args, since=since)
    return [e for e in history.resolved_events if source is None or e.source == source]


def person_ids(args):
    """A function (name, source, group) -> person id, for tables of members."""
    return load(args).people.id_of
