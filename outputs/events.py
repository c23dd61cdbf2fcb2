"""Change events: the unit of everything rosterwatch reports.

The JSON shape is the contract of DESIGN.md ("Change event JSON"). Field names are fixed;
fields are only ever added.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass

from outputs.names import normalise_name

KINDS = (
    "joined",
    "left",
    "role_changed",
    "organisation_changed",
    "region_changed",
    "chair_changed",
    "name_variant",
    "group_added",
    "group_removed",
    "mandate_added",
    "mandate_removed",
    "mandate_edited",
    "page_dates_changed",
    "suspect_extraction",
    "group_renamed",
)


@dataclass(frozen=True)
class ChangeEvent:
    kind: str
    source: str
    group: str | None
    person: str | None
    person_id: str | None
    before: dict | str | None
    after: dict | str | None
    from_capture: int | None  # capture id of the earlier version; None for the first capture
    to_capture: int
    at: str  # time of the capture that shows the change, ISO UTC
    from_at: str | None = None
    url: str | None = None
    diff: str | None = None  # word diff for mandate_edited, reason for suspect_extraction
    text: str | None = None  # the source span the fact was read from (in the later capture; the earlier for `left`)
    from_url: str | None = None  # URL of the earlier capture
    from_text: str | None = None  # the source span in the earlier capture, when the fact was there too
    note: str | None = None  # e.g. a recorded organisation rename, a renamed group

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown change kind {self.kind!r}")

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=False)

    @classmethod
    def from_json(cls, text: str) -> "ChangeEvent":
        data = json.loads(text)
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


def person_id(name: str) -> str:
    """The id of a printed name; `outputs.identity.People` gives every variant of a person the id of the first seen."""
    return "p-" + hashlib.sha1(normalise_name(name).encode("utf-8")).hexdigest()[:10]
