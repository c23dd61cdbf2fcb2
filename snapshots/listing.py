"""The capture listing of a source (`rosterwatch snapshots`): what each fetch stored, in time order.

Captures (a page, an unchanged page as a revisit record, a 304, an error page) and failures
(a fetch that stored nothing) side by side, as rows for JSON and as a text table, and
whether the page is away now. `describe_stored` is also what a run logs of each fetch.
"""

from __future__ import annotations

from dataclasses import asdict

from snapshots.outcome import Away, attempts, away
from snapshots.store import Capture, Failure


def describe_stored(capture: Capture) -> str:
    """What a capture put in the store, in a few words."""
    if capture.status == 304:
        return "not modified (304)"
    if not capture.ok:
        return f"error page, {capture.body_bytes} B" if capture.record_type == "response" else "error page (revisit)"
    if capture.record_type == "revisit":
        return "unchanged (revisit)"
    return f"new content, {capture.body_bytes} B"


def rows(captures: list[Capture], failures: list[Failure]) -> list[dict]:
    """Captures and failures as JSON-ready dicts, oldest first (a failure: record_type "failure")."""
    found = [asdict(c) for c in captures] + [
        {"id": None, "source": f.source, "url": f.url, "fetched_at": f.at, "status": None,
         "record_type": "failure", "kind": f.kind, "message": f.message}
        for f in failures
    ]
    return sorted(found, key=lambda row: row["fetched_at"])


def lines(captures: list[Capture], failures: list[Failure]) -> list[str]:
    """The text table: a header, then one line per capture or failure, oldest first."""
    found = [
        (c.fetched_at, f"{c.id:>5}  {c.fetched_at:<20}  {c.status:>6}  {describe_stored(c):<24}  "
                       f"{(c.payload_sha256 or '')[:12]:<12}  {c.origin}")
        for c in captures
    ]
    found += [(f.at, f"{'-':>5}  {f.at:<20}  {'failed':>6}  {f.kind + ': nothing stored':<24}  {f.message}") for f in failures]
    header = f"{'id':>5}  {'fetched (UTC)':<20}  {'status':>6}  {'stored':<24}  {'sha256':<12}  origin"
    return [header] + [line for _, line in sorted(found, key=lambda item: item[0])]


def away_now(source: str, captures: list[Capture], failures: list[Failure]) -> Away | None:
    """Whether the source's latest fetches all failed, and since when."""
    return away(source, attempts(captures, failures))
