"""Exports for analysts: the membership intervals as CSV or Parquet, and Popolo JSON.

Popolo (https://www.popoloproject.com/specs/) is the open data standard for people in
organisations: persons (spelling variants as `other_names`), organizations (each tracked
body, its groups, and the organisations members sit for, with former names from recorded
renames), areas (health regions) and memberships with `start_date`, `end_date` and the
captures they were read from as `sources`.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pandas as pd

from outputs.history import History
from outputs.safe import cell, clean, clean_json
from outputs.timeline import membership_intervals


def write_csv(frame: pd.DataFrame, out: Path | io.TextIOBase) -> None:
    """CSV with ISO UTC times and empty cells for unknowns (pandas.read_csv(parse_dates=...) reads it back).

    Text cells are cleaned of control characters, and one starting with = + - @ gets a leading
    ' so that a spreadsheet shows it instead of running it as a formula.
    """
    _text_cells(frame, cell).to_csv(out, index=False, date_format="%Y-%m-%dT%H:%M:%SZ")


def write_parquet(frame: pd.DataFrame, out: Path) -> None:
    _text_cells(frame, clean).to_parquet(out, index=False)


def _text_cells(frame: pd.DataFrame, fix) -> pd.DataFrame:
    frame = frame.copy()
    for column in frame.columns:
        if pd.api.types.is_string_dtype(frame[column]) or pd.api.types.is_object_dtype(frame[column]):
            frame[column] = frame[column].map(lambda v: fix(v) if isinstance(v, str) else v)
    return frame


def _date(value) -> str | None:
    return None if pd.isna(value) else value.strftime("%Y-%m-%d")


def _slug_id(prefix: str, *parts: str) -> str:
    return prefix + hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:10]


def popolo(history: History, intervals: pd.DataFrame | None = None) -> dict:
    """The whole history as one Popolo document (a dict ready for json.dump)."""
    intervals = membership_intervals(history) if intervals is None else intervals
    persons = [
        {
            "id": person.id,
            "name": person.name,
            "other_names": [{"name": v, "note": "spelling as printed"} for v in person.variants if v != person.name],
        }
        for person in history.people.persons
    ]
    organizations: dict[str, dict] = {}
    areas: dict[str, dict] = {}
    memberships = []
    for source, body in sorted(history.bodies.items()):
        if not history.of_source(source):
            continue
        organizations[f"body:{source}"] = {
            "id": f"body:{source}",
            "name": body.name,
            "classification": "body",
            "sources": [{"url": body.url}],
        }
    for organisation in history.organisations.all:
        former = dict(organisation.former_names)
        organizations[organisation.id] = {
            "id": organisation.id,
            "name": organisation.name,
            "classification": "organisation",
            "other_names": [
                {"name": v, **({"end_date": former[v]} if v in former else {})}
                for v in organisation.variants
                if v != organisation.name
            ],
        }
    for row in intervals.itertuples(index=False):
        group_id = _slug_id("group:", row.source, row.group)
        organizations.setdefault(
            group_id,
            {"id": group_id, "name": row.group, "classification": "group", "parent_id": f"body:{row.source}"},
        )
        membership = {
            "id": _slug_id("m-", row.person_id or "", row.source, row.group, str(row.first_capture)),
            "person_id": row.person_id,
            "organization_id": group_id,
            "label": row.name_as_printed,
            "start_date": _date(row.first_seen),
            "sources": [{"url": row.url, "note": f"captures {row.first_capture} to {row.last_capture}"}],
        }
        if not pd.isna(row.ended_at):
            membership["end_date"] = _date(row.last_seen)
        if isinstance(row.role, str):
            membership["role"] = row.role
        if isinstance(row.organisation_id, str):
            membership["on_behalf_of_id"] = row.organisation_id
        if isinstance(row.region, str):
            area_id = _slug_id("area:", row.region.casefold())
            areas.setdefault(area_id, {"id": area_id, "name": row.region, "classification": "region"})
            membership["area_id"] = area_id
        memberships.append(membership)
    return clean_json(
        {
            "persons": persons,
            "organizations": list(organizations.values()),
            "areas": list(areas.values()),
            "memberships": memberships,
        }
    )
