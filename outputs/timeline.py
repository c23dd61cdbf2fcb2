"""Membership intervals: who sat where, from when to when, as one pandas DataFrame."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from outputs.events import normalise_name
from outputs.history import History, Observation
from outputs.identity import words_match

COLUMNS = [
    "person_id",
    "name",
    "name_as_printed",
    "source",
    "body",
    "group",
    "role",
    "organisation",
    "organisation_canonical",
    "organisation_id",
    "region",
    "first_seen",
    "last_seen",
    "ended_at",
    "end_reason",
    "first_capture",
    "last_capture",
    "end_capture",
    "url",
]
TIME_COLUMNS = ["first_seen", "last_seen", "ended_at"]


@dataclass
class _Open:
    row: dict
    seat: tuple


def membership_intervals(history: History) -> pd.DataFrame:
    """One row per continuous seat of one person in one group of one body.

    A seat runs from the first accepted capture that lists the person in the group
    (`first_seen`) to the last one that does (`last_seen`); `ended_at` is the time of the
    first capture without them (`end_reason` "left"), or with another role, organisation or
    region (`end_reason` "seat changed": the next row holds the new seat); both are empty
    while the seat is current. Suspect captures are not compositions and are skipped.
    Spelling variants and renamed organisations do not end a seat: `person_id` and
    `organisation_id` are resolved identities, `name` the person's current name and
    `name_as_printed` the spelling of the seat's last capture; `organisation` is as that
    capture wrote it (as every other output shows it), `organisation_canonical` the resolved
    name of the same organisation. Times are UTC timestamps.
    """
    rows: list[dict] = []
    for source in sorted({o.source for o in history.observations}):
        rows.extend(_source_intervals(history, history.of_source(source)))
    frame = pd.DataFrame(rows, columns=COLUMNS)
    for column in TIME_COLUMNS:
        frame[column] = pd.to_datetime(frame[column], utc=True)
    for column in ("first_capture", "last_capture", "end_capture"):
        frame[column] = frame[column].astype("Int64")
    return frame.sort_values(["source", "group", "first_seen", "name"], kind="stable").reset_index(drop=True)


def _source_intervals(history: History, observations: list[Observation]) -> list[dict]:
    people, organisations = history.people, history.organisations
    open_seats: dict[tuple[str, str], _Open] = {}
    done: list[dict] = []

    def close(key, observation: Observation, reason: str) -> None:
        seat = open_seats.pop(key)
        seat.row.update(ended_at=observation.at, end_reason=reason, end_capture=observation.capture_id)
        done.append(seat.row)

    for observation in observations:
        present = set()
        for group in observation.extraction.groups:
            for member in group.members:
                person = people.get(member.name, observation.source, group.name)
                key = (person.id if person else member.name, normalise_name(group.name))
                if key in present:
                    continue
                present.add(key)
                organisation = organisations.get(member.organisation)
                seat = (organisation.id if organisation else None, member.role, member.region)
                current = open_seats.get(key)
                if current is not None and not _same_seat(current.seat, seat):
                    close(key, observation, "seat changed")
                    current = None
                if current is None:
                    open_seats[key] = current = _Open(
                        {
                            "person_id": person.id if person else None,
                            "name": person.name if person else member.name,
                            "source": observation.source,
                            "body": history.body_name(observation.source),
                            "group": group.name,
                            "role": member.role,
                            "organisation_canonical": organisation.name if organisation else None,
                            "organisation_id": organisation.id if organisation else None,
                            "region": member.region,
                            "first_seen": observation.at,
                            "first_capture": observation.capture_id,
                            "ended_at": None,
                            "end_reason": None,
                            "end_capture": None,
                        },
                        seat,
                    )
                current.row.update(
                    name_as_printed=member.name,
                    organisation=member.organisation,
                    last_seen=observation.at,
                    last_capture=observation.capture_id,
                    url=observation.url,
                )
        for key in [k for k in open_seats if k not in present]:
            close(key, observation, "left")
    return done + [seat.row for seat in open_seats.values()]


def _same_seat(a: tuple, b: tuple) -> bool:
    return a[0] == b[0] and words_match(a[1], b[1]) and words_match(a[2], b[2])


def interval_records(frame: pd.DataFrame) -> list[dict]:
    """The rows as JSON-ready dicts: times as YYYY-MM-DDTHH:MM:SSZ (the one format of every JSON
    output), unknowns as None."""
    records = []
    for row in frame.to_dict(orient="records"):
        for column, value in row.items():
            if pd.isna(value):
                row[column] = None
            elif column in TIME_COLUMNS:
                row[column] = iso_z(value)
            elif hasattr(value, "item"):  # a numpy or pandas scalar
                row[column] = value.item()
        records.append(row)
    return records


def seat_end(row) -> str:
    """How a seat ended, in words: when the person was last seen and first missing, or that the
    seat changed (the next interval holds the new one), or that it is current."""
    if row.end_reason == "left":
        return f"last seen {row.last_seen:%Y-%m-%d}, gone {row.ended_at:%Y-%m-%d}"
    if isinstance(row.end_reason, str):
        return f"until {row.ended_at:%Y-%m-%d} (seat changed)"
    return "current"


def iso_z(value) -> str | None:
    """A timestamp as YYYY-MM-DDTHH:MM:SSZ (UTC), the one time format of every JSON output."""
    return None if pd.isna(value) else pd.Timestamp(value).tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%SZ")
