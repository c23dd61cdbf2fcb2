"""The extraction types: what `extract()` returns and what every later stage reads.

The JSON shape is the contract of DESIGN.md ("Extraction JSON"); other tools parse it, so
field names here never change and new fields are only ever added. Serialisation is
deterministic (fixed key order, no floats, no timestamps) so that the same bytes and the
same extractor version give byte-identical JSON.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Member:
    """One person's seat in a group, as the page states it."""

    name: str
    organisation: str | None = None
    role: str | None = None
    region: str | None = None
    text: str = ""  # the source span the member was read from (provenance)
    affiliation: str | None = None  # e.g. "(NTNU)" after a sector representative
    title: str | None = None  # job title when the page gives one
    party: str | None = None  # "(Ap)", ", H", a Parti column
    status: str | None = None  # "(ny)", "(gjenvalgt)"
    place: str | None = None  # a town or county the page gives ("Drammen"), never a region
    proposed_by: str | None = None  # "Foreslått av FFO"
    deputy_for: str | None = None  # a personal deputy's principal
    label: str | None = None  # a generic seat label the page gives ("Medlem", "Representant")


@dataclass(frozen=True)
class Group:
    """A named body on the page (the council itself, a working group, ...)."""

    name: str
    chair: str | None = None
    members: tuple[Member, ...] = ()


@dataclass(frozen=True)
class RelatedLink:
    """A link to a related body's page, so a maintainer can add it as a source."""

    title: str
    url: str


@dataclass(frozen=True)
class Extraction:
    source: str
    url: str | None
    extractor_version: str
    title: str | None = None
    language: str | None = None
    published: str | None = None  # ISO date, "Først publisert"
    updated: str | None = None  # ISO date, "Sist (fagleg) oppdatert" / "Sist endret"
    mandate: tuple[str, ...] = ()
    groups: tuple[Group, ...] = ()
    related: tuple[RelatedLink, ...] = field(default=())
    # What the history rules read instead of the raw page (see extractors.page_status):
    page_status: str = "ok"  # ok | empty | truncated | error
    page_status_reason: str | None = None
    page_text: str | None = None  # every word a reader sees; None in extractions made before it was kept

    def to_dict(self) -> dict:
        return asdict(self)

    def to_json(self, indent: int | None = 2) -> str:
        """Canonical JSON: same extraction, same bytes."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, data: dict) -> "Extraction":
        groups = tuple(
            Group(
                name=g["name"],
                chair=g.get("chair"),
                members=tuple(Member(**_known(Member, m)) for m in g.get("members", ())),
            )
            for g in data.get("groups", ())
        )
        related = tuple(RelatedLink(**_known(RelatedLink, r)) for r in data.get("related", ()))
        scalars = _known(cls, data)
        scalars.update(mandate=tuple(data.get("mandate", ())), groups=groups, related=related)
        return cls(**scalars)

    @classmethod
    def from_json(cls, text: str) -> "Extraction":
        return cls.from_dict(json.loads(text))

    @property
    def member_count(self) -> int:
        return sum(len(g.members) for g in self.groups)


def _known(cls, data: dict) -> dict:
    """Keep only the fields `cls` knows, so JSON written by a newer version still loads."""
    names = cls.__dataclass_fields__.keys()
    return {k: v for k, v in data.items() if k in names}
