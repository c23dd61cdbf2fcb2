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
    people.add_argument("--json", action="store_true", help="print the people JSON of DESIGN.md: ids, spellings, seats")

    history = command(
        "history",
        "every seat a person held, in every tracked body",
        "Show one person's seats (body, group, role, organisation, region, first and last seen, "
        "when they were first missing) and the change events about them. PERSON is a name in any "
        "printed spelling, or a person id from 'rosterwatch people'.",
        '  rosterwatch history "Grethe Foss"\n  rosterwatch history p-84e4bfc6c3 --json\n',
    )
    history.add_argument("person", metavar="PERSON", help='a name in any printed spelling ("Grete Foss"), or a person id')
    history.add_argument("--json", action="store_true", help="print the person, every seat and the events about them as JSON")

    report = command(
        "report",
        "the change report over everything stored (Markdown or HTML)",
        "Write the change report over the whole stored history: per body the changes in time order "
        "(with the captures they come from) and the current composition.\n\nformats (--format):\n"
        + _format_help("report"),
        "  rosterwatch report --since 2024-01-01\n  rosterwatch report --format html --out report.html\n",
    )
    report.add_argument("--since", metavar="DATE", type=date_arg, help="only changes at or after DATE (YYYY-MM-DD)")
    _format_arguments(report, "report", "FILE")

    export = command(
        "export",
        "membership intervals as CSV or Parquet, or Popolo JSON",
        "Export who sat where and when, with resolved identities.\n\nformats (--format):\n" + _format_help("export"),
        "  rosterwatch export > memberships.csv\n"
        "  rosterwatch export --format parquet --out memberships.parquet\n"
        "  rosterwatch export --format popolo --out popolo.json\n",
    )
    _format_arguments(export, "export", "PATH")

    feed = command(
        "feed",
        "an Atom feed of the change events",
        "Write a feed of the change events, newest first, one entry per event with a stable id "
        "(the same event keeps its id when the history is rebuilt).\n\nformats (--format):\n" + _format_help("feed"),
        "  rosterwatch feed --out /var/www/rosterwatch.atom\n  rosterwatch feed --limit 20\n",
    )
    _format_arguments(feed, "feed", "FILE")
    feed.add_argument("--limit", type=int, metavar="N", help="only the newest N events")


def _format_help(command: str) -> str:
    """The registered formats of a command (`outputs.writers`), one paragraph each, the default marked."""
    import textwrap

    from outputs.writers import default_format, formats

    default = default_format(command)
    lines = []
    for name, writer in formats(command).items():
        label = f"{name} (default)" if name == default else name
        lines.append(textwrap.fill(writer.summary, 96, initial_indent=f"  {label:<17}", subsequent_indent=" " * 19))
    return "\n".join(lines) + "\n"


def _format_arguments(parser, command: str, metavar: str) -> None:
    from outputs.writers import default_format, formats

    names = list(formats(command))
    parser.add_argument(
        "--format", choices=names, default=default_format(command),
        help=f"{' | '.join(names)} (default {default_format(command)}; see formats above)",
    )
    parser.add_argument("--out", metavar=metavar, help="write here instead of standard output")


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
    reviewed = history.reviewed.path or "people.toml"
    open_misses = [m for m in history.people.near_misses if not m.decided]
    decided = [m for m in history.people.near_misses if m.decided]
    print(f"\n{len(records)} people.")
    if open_misses:
        print(f"{_pairs(len(open_misses))} of close names not merged, to review (merge or keep apart in {reviewed}):")
        for miss in open_misses:
            print(f"    {clean(miss.a)}  ~  {clean(miss.b)}: {clean(miss.reason)}")
    if decided:
        pairs = "; ".join(f"{clean(m.a)} ~ {clean(m.b)}" for m in decided)
        print(f"{_pairs(len(decided))} of close names kept apart as {reviewed} says (nothing to decide): {pairs}")
    return 0


def _pairs(count: int) -> str:
    return f"{count} pair" + ("" if count == 1 else "s")


def cmd_history(args) -> int:
    from flows.cli import UsageError
    from outputs.people import PersonNotFound, find_person, person_events
    from outputs.report import describe
    from outputs.timeline import interval_records, membership_intervals, seat_end

    history = load(args)
    try:
        person = find_person(history, args.person)
    except PersonNotFound as exc:
        raise UsageError(str(exc)) from None
    intervals = membership_intervals(history)
    seats = intervals[intervals["person_id"] == person.id]
    events = person_events(history, person)
    if args.json:
        print(json.dumps(
            {"id": person.id, "name": person.name, "variants": person.variants, "seats": interval_records(seats),
             "events": [json.loads(e.to_json()) for e in events]},
            ensure_ascii=False, indent=2,
        ))
        return 0
    print(f"{clean(person.name)}  [{person.id}]")
    if len(person.variants) > 1:
        print(f"printed as: {', '.join(map(clean, person.variants))}")
    print("\nseats:")
    for row in seats.itertuples(index=False):
        organisation = organisation_text(row.organisation, row.organisation_canonical)
        details = ", ".join(clean(x) for x in (organisation, row.role, row.region) if isinstance(x, str))
        print(f"  {clean(row.body)} — {clean(row.group)}" + (f" ({details})" if details else ""))
        print(f"      from {row.first_seen:%Y-%m-%d}, {seat_end(row)}; printed {clean(row.name_as_printed)!r}")
    print("\nchanges:")
    for event in events:
        print(f"  {event.at[:10]}  {event.source:<12} {describe(event)}")
    if not events:
        print("  none recorded (present since the first capture of each body)")
    return 0


def organisation_text(as_printed, canonical) -> str | None:
    """An organisation as the page wrote it, with the resolved name beside it where they differ."""
    if not isinstance(as_printed, str):
        return None
    if isinstance(canonical, str) and canonical != as_printed:
        return f"{as_printed} [= {canonical}]"
    return as_printed


def cmd_report(args) -> int:
    return _write_format(args, "report")


def cmd_export(args) -> int:
    return _write_format(args, "export")


def cmd_feed(args) -> int:
    return _write_format(args, "feed")


def _write_format(args, command: str) -> int:
    """Run the writer of `--format` (`outputs.writers`) and put what it wrote where --out says."""
    from flows.cli import UsageError
    from outputs.writers import Request, writer

    chosen = writer(command, args.format)
    out = Path(args.out) if args.out else None
    if out is None and chosen.needs_out:
        raise UsageError(f"{command} --format {args.format}: {chosen.needs_out}")
    if out is None and chosen.better_with_out:
        print(f"rosterwatch: {command} --format {args.format}: {chosen.better_with_out}", file=sys.stderr)
    if out is not None and out.is_dir():
        raise UsageError(f"--out {out}: is a directory; give a file name")
    request = Request(
        history=load(args),
        generated_at=_now(),
        since=getattr(args, "since", None),
        limit=getattr(args, "limit", None),
        out=out,
        pages=lambda ids: captured_pages(args, ids),
    )
    written = chosen.write(request)
    if out is None:
        sys.stdout.write(written.main)
        return 0
    _save(out, written.main)
    for relative, content in written.beside.items():
        _save(out.parent / relative, content)
    folders = sorted({str(out.parent / Path(relative).parent) for relative in written.beside})
    extra = f", and {len(written.beside)} files in {', '.join(folders)}" if written.beside else ""
    print(f"written to {out}{extra}", file=sys.stderr)
    return 0


def _save(path: Path, content: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")


def captured_pages(args, capture_ids: list[int]):
    """The stored pages of these captures, decoded, for writers that archive them beside their output."""
    from flows.analyst import captured_pages as read
    from flows.cli import _store

    return read(_store(args), capture_ids)


def resolved_events(args, source: str | None, since: str | None):
    """The stored change events with the person ids of the current identity resolution."""
    history = load(args, since=since)
    return [e for e in history.resolved_events if source is None or e.source == source]
