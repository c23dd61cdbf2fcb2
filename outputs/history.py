"""What the analyst outputs read: every accepted composition of every body, and the events.

`flows.analyst.load_history` fills a `History` from the store; the writers in `outputs/`
(timeline, exports, reports, feed) only ever see this, so they stay pure and testable
without a store. Identities are resolved here, over everything known, each time the history
is read: so an edit of the reviewed file applies to all past events at once, with no
re-extraction, and every output shows the same person id for the same person.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Protocol

from extractors.model import Extraction
from outputs.events import ChangeEvent
from outputs.identity import Mention, Organisations, People
from outputs.reviewed import EMPTY, Reviewed


@dataclass(frozen=True)
class Body:
    """A tracked source, as sources.toml names it."""

    id: str
    name: str
    url: str


@dataclass(frozen=True)
class Observation:
    """One accepted extraction of a source, with the capture it came from (provenance)."""

    source: str
    capture_id: int
    at: str  # capture time, ISO UTC
    url: str | None
    sha256: str | None
    extraction: Extraction


class Away(Protocol):
    """A source whose latest fetches failed (`snapshots.outcome.Away`): reported, never an event."""

    source: str
    since: str
    last: str
    kind: str
    message: str

    @property
    def headline(self) -> str: ...


@dataclass
class History:
    bodies: dict[str, Body]
    observations: list[Observation]  # oldest first
    events: list[ChangeEvent] = field(default_factory=list)  # oldest first, as stored
    reviewed: Reviewed = EMPTY
    away: dict[str, Away] = field(default_factory=dict)  # sources whose page is gone or not reachable now
    captured: dict[str, int] = field(default_factory=dict)  # stored captures per source, believed or not

    @cached_property
    def organisations(self) -> Organisations:
        names = [m.organisation for o in self.observations for g in o.extraction.groups for m in g.members]
        return Organisations(names, self.reviewed)

    @cached_property
    def people(self) -> People:
        return People(self.mentions(), self.reviewed, self.organisations)

    def mentions(self) -> list[Mention]:
        first: dict[Mention, str] = {}
        for observation in self.observations:
            for group in observation.extraction.groups:
                for member in group.members:
                    mention = Mention(member.name, observation.source, group.name, member.organisation, member.region)
                    first.setdefault(mention, observation.at)
        return [replace(m, first_seen=at) for m, at in first.items()]

    @cached_property
    def resolved_events(self) -> list[ChangeEvent]:
        """The stored events with the person ids of the current identity resolution."""
        return [
            replace(e, person_id=self.people.id_of(e.person, e.source, e.group)) if e.person else e for e in self.events
        ]

    def of_source(self, source: str) -> list[Observation]:
        return [o for o in self.observations if o.source == source]

    def current(self, source: str) -> Observation | None:
        found = self.of_source(source)
        return found[-1] if found else None

    def body_name(self, source: str) -> str:
        body = self.bodies.get(source)
        return body.name if body else source
