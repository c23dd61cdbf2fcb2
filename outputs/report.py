"""The Markdown change report of a tracking run, and one-line descriptions of events.

Scraped text is untrusted: everything that came from a page goes through `md_escape`, so a
name cannot inject links, HTML or table structure into the report, nor control characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractors.model import Extraction
from outputs.events import ChangeEvent
from outputs.history import History
from outputs.safe import clean

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def md_escape(text: str | None) -> str:
    if text is None:
        return "—"
    text = " ".join(clean(str(text)).split())
    return _MD_SPECIAL.sub(r"\\\1", text.replace("&", "&amp;"))


def md_code(text: str | None) -> str:
    """Scraped text shown literally (a code span renders nothing inside it as Markdown or HTML)."""
    return "`" + " ".join(clean(str(text or "")).replace("`", "'").split()) + "`"


@dataclass
class SourceOutcome:
    """What one run did for one source: the input of the report."""

    source: str
    name: str
    url: str
    status: str  # baseline | changed | unchanged | suspect | failed | interrupted
    events: list[ChangeEvent] = field(default_factory=list)
    current: Extraction | None = None
    current_at: str | None = None  # capture time of the current composition
    since: str | None = None  # capture time the run compared against
    baseline_at: str | None = None  # first capture of the source, when this run made it
    captures: int = 0  # captures processed in this run
    message: str | None = None  # why it failed: one line
    away: str | None = None  # "page gone: HTTP 404 since …" or "page not reachable since …"


def _seat_text(seat: dict | None, escape=md_escape) -> str:
    if not seat:
        return ""
    parts = [seat.get("organisation"), seat.get("role"), seat.get("region")]
    shown = [escape(p) for p in parts if p]
    return f" ({', '.join(shown)})" if shown else ""


def describe(event: ChangeEvent, escape=md_escape, code=md_code) -> str:
    """One sentence an analyst can read without knowing the JSON.

    `escape` and `code` make scraped text safe for the output format (Markdown by default;
    the HTML report passes HTML escaping).
    """
    who = escape(event.person)
    group = escape(event.group)
    match event.kind:
        case "joined":
            return f"{who} joined {group}{_seat_text(event.after, escape)}"
        case "left":
            return f"{who} left {group}{_seat_text(event.before, escape)}"
        case "role_changed" | "organisation_changed" | "region_changed":
            what = event.kind.split("_")[0]
            old = escape((event.before or {}).get(what))
            new = escape((event.after or {}).get(what))
            note = f" ({escape(event.note)})" if event.note else ""
            return f"{who} in {group}: {what} {old} → {new}{note}"
        case "chair_changed":
            return f"{group}: chair {escape(event.before)} → {escape(event.after)}"
        case "name_variant":
            return f"{escape((event.before or {}).get('name'))} in {group} is now spelled {who} (the same person)"
        case "group_renamed" | "group_added" if event.before:  # group_added: histories from before group_renamed
            return f"group {escape(event.before)} renamed to {group}"
        case "group_added":
            return f"new group {group}"
        case "group_removed":
            return f"group {group} is no longer on the page"
        case "mandate_added":
            return f"mandate bullet added: “{escape(event.after)}”"
        case "mandate_removed":
            return f"mandate bullet removed: “{escape(event.before)}”"
        case "mandate_edited":
            return f"mandate bullet edited: {code(event.diff)}"
        case "page_dates_changed":
            old, new = event.before or {}, event.after or {}
            return f"page dates: updated {escape(old.get('updated'))} → {escape(new.get('updated'))}"
        case "suspect_extraction":
            return f"suspect extraction, not believed: {escape(event.diff)}; the previous composition stays current"
    return event.kind


def composition_table(extraction: Extraction) -> list[str]:
    lines = ["| Group | Name | Organisation | Role | Region |", "|---|---|---|---|---|"]
    for group in extraction.groups:
        for member in group.members:
            cells = [group.name, member.name, member.organisation, member.role, member.region]
            lines.append("| " + " | ".join(md_escape(c) for c in cells) + " |")
    return lines


def render_report(outcomes: list[SourceOutcome], generated_at: str) -> str:
    lines = [f"# rosterwatch report, {generated_at}", ""]
    for outcome in outcomes:
        lines += [f"## {md_escape(outcome.name)} ({outcome.source})", "", f"<{outcome.url}>", ""]
        if outcome.status in ("failed", "interrupted"):
            what = "Not tracked this run" if outcome.status == "failed" else "Not finished this run"
            lines += [f"**{what}:** {md_escape(outcome.message)}", ""]
            if outcome.current_at:
                lines += [f"The last known composition is from {outcome.current_at}.", ""]
            continue
        if outcome.status == "baseline":
            lines += [f"First capture ({outcome.current_at}): baseline composition, nothing to compare yet.", ""]
        elif outcome.since is None and outcome.current_at is None and not outcome.events:
            lines += ["Nothing stored for this source yet.", ""]
        elif not outcome.events:
            lines += [f"No change since {outcome.since}.", ""]
        else:
            since = outcome.since or f"the first capture ({outcome.baseline_at}, the baseline)"
            lines += [f"Changes since {since}:", ""]
            for event in outcome.events:
                lines.append(f"- {event.at[:10]}: {describe(event)}")
            lines.append("")
        if outcome.current is not None and outcome.status in ("baseline", "changed", "suspect"):
            when = outcome.current_at or ""
            lines += [f"Current composition (as of {when}):", ""] + composition_table(outcome.current) + [""]
    return "\n".join(lines).rstrip() + "\n"


def render_history_report(history: History, generated_at: str, since: str | None = None) -> str:
    """The Markdown report over everything stored: per body the changes (since `since`) and the current composition."""
    lines = [f"# rosterwatch report, {generated_at}", ""]
    if since:
        lines += [f"Changes since {since}.", ""]
    for source, body in history.bodies.items():
        current = history.current(source)
        events = [e for e in history.resolved_events if e.source == source and (not since or e.at >= since)]
        if current is None and not events and source not in history.away:
            continue
        lines += [f"## {md_escape(body.name)} ({source})", "", f"<{body.url}>", ""]
        if source in history.away:
            lines += [f"**{md_escape(history.away[source].headline)}** ({md_escape(history.away[source].message)})", ""]
        if events:
            lines += [f"- {e.at[:10]}: {describe(e)} (capture {e.to_capture})" for e in events] + [""]
        else:
            lines += ["No change" + (f" since {since}." if since else " recorded yet."), ""]
        if current is not None:
            lines += [f"Current composition (as of {current.at}, capture {current.capture_id}):", ""]
            lines += composition_table(current.extraction) + [""]
    return "\n".join(lines).rstrip() + "\n"
