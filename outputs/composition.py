"""Who sat in a body on a date: the composition `members` prints, read from the history.

The composition on a date is the latest accepted capture at or before the end of that day
(a suspect capture never replaces the one before it). Each member's organisation is shown as
the page wrote it, with the resolved (canonical) name and id beside it.
"""

from __future__ import annotations

from dataclasses import dataclass

from outputs.history import History, Observation


class NoComposition(LookupError):
    """No composition of the source on that date; the message says why and what to do."""


@dataclass(frozen=True)
class Composition:
    source: str
    observation: Observation
    rows: list[dict]


def composition_on(history: History, source: str, on: str | None = None) -> Composition:
    """The composition of `source` as of the end of day `on` (YYYY-MM-DD), or the latest one."""
    observations = history.of_source(source)
    found = [o for o in observations if on is None or o.at[:10] <= on]
    if not found:
        raise NoComposition(_why_none(history, source, on, observations))
    observation = found[-1]
    return Composition(source, observation, _rows(history, observation))


def _why_none(history: History, source: str, on: str | None, observations: list[Observation]) -> str:
    if observations:
        first = observations[0].at
        return (
            f"{source} has no composition on or before {on}: its first believed capture is of {first[:10]} "
            f"({first}); give --at {first[:10]} or later"
        )
    if history.captured.get(source):
        return (
            f"{source} has {history.captured[source]} stored captures, but none was believed (each was suspect "
            f"or an error page); see 'rosterwatch changes --source {source}'"
        )
    return f"no capture of {source} is stored yet; run 'rosterwatch track --source {source}' first"


def _rows(history: History, observation: Observation) -> list[dict]:
    rows = []
    for group in observation.extraction.groups:
        for member in group.members:
            person = history.people.get(member.name, observation.source, group.name)
            organisation = history.organisations.get(member.organisation)
            rows.append(
                {
                    "source": observation.source,
                    "group": group.name,
                    "name": member.name,
                    "organisation": member.organisation,
                    "organisation_canonical": organisation.name if organisation else None,
                    "organisation_id": organisation.id if organisation else None,
                    "role": member.role,
                    "region": member.region,
                    "chair": group.chair is not None and group.chair == member.name,
                    "as_of": observation.at,
                    "capture": observation.capture_id,
                    "person_id": person.id if person else None,
                }
            )
    return rows
