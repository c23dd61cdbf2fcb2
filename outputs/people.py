"""People as analysts query them: identities with their variants and seats, and one person's history."""

from __future__ import annotations

import pandas as pd

from outputs.events import ChangeEvent
from outputs.history import History
from outputs.identity import Person, match_names
from outputs.timeline import iso_z, membership_intervals


def people_records(history: History, intervals: pd.DataFrame | None = None) -> list[dict]:
    """The people JSON of DESIGN.md: id, name, variants, and one seat per body and group."""
    intervals = membership_intervals(history) if intervals is None else intervals
    records = []
    for person in history.people.persons:
        rows = intervals[intervals["person_id"] == person.id]
        seats = []
        for (source, group), seat in rows.groupby(["source", "group"], sort=False):
            current = seat["ended_at"].isna().any()
            seats.append(
                {
                    "source": source,
                    "group": group,
                    "first_seen": iso_z(seat["first_seen"].min()),
                    "last_seen": iso_z(seat["last_seen"].max()),
                    "current": bool(current),
                    "names_as_printed": sorted(set(seat["name_as_printed"])),
                }
            )
        seats.sort(key=lambda s: (s["first_seen"] or "", s["source"], s["group"]))
        records.append({"id": person.id, "name": person.name, "variants": person.variants, "seats": seats})
    return records


class PersonNotFound(LookupError):
    """No person, or more than one, answers to what the user typed."""


def find_person(history: History, query: str) -> Person:
    """A person by id, by any printed spelling, or by a compatible name (one answer, or an error)."""
    people = history.people
    by_id = [p for p in people.persons if p.id == query.strip()]
    if by_id:
        return by_id[0]
    exact = people.get(query)
    if exact is not None:
        return exact
    found = [p for p in people.persons if any(match_names(query, v).compatible for v in p.variants)]
    if len(found) == 1:
        return found[0]
    if found:
        names = "; ".join(f"{p.name} ({p.id})" for p in found)
        raise PersonNotFound(f"{query!r} matches several people: {names}; give the id")
    close = [p.name for p in people.persons if any(match_names(query, v).near for v in p.variants)]
    hint = f"; did you mean {', '.join(close)}?" if close else "; 'rosterwatch people' lists everyone"
    raise PersonNotFound(f"no person called {query!r}{hint}")


def person_events(history: History, person: Person) -> list[ChangeEvent]:
    return [e for e in history.resolved_events if e.person_id == person.id]
