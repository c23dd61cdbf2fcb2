"""The HTML report: one file an analyst can open, mail or archive, and the captured pages beside it.

Per body: a chart of the composition over time (inline SVG: members per group, joins and
leaves per capture, suspect captures) with its legend as HTML under it, the current
composition, and the changes in time order, each linked to the archived copies of the pages
it was read from (`outputs.archive`: scripts removed, strict CSP), not to today's page. No scripts,
no external resources, and a Content-Security-Policy that forbids both, so a page that
smuggled markup into a member's name could not run anything even if escaping failed; and
escaping does not fail: every scraped string goes through `html.escape`, after its control
characters are removed (`outputs.safe`).
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from datetime import datetime
from urllib.parse import urlsplit

from outputs.events import ChangeEvent
from outputs.history import History, Observation
from outputs.report import describe
from outputs.safe import clean

PALETTE = ("#1f77b4", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22")
JOINED, LEFT, SUSPECT = "#2ca02c", "#d62728", "#b00000"
CHART_W, PAD_L, PAD_R, PAD_T = 720, 44, 16, 12
PLOT_H = 150  # the member counts
BAND_H = 84  # joined (up) and left (down) per capture, under the counts
CHART_H = PAD_T + PLOT_H + 14 + BAND_H + 22

STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#222}
h1{font-size:1.6em}h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;width:100%;margin:.5em 0 1em}th,td{border:1px solid #ddd;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f4f4f4}.muted{color:#666;font-size:.9em}ol.changes li{margin:.3em 0}
.kind{display:inline-block;min-width:10em;font-family:monospace;font-size:.85em;color:#555}
.suspect{color:#a00}td.id{white-space:nowrap}code{background:#f6f6f6;padding:0 .2em}svg.chart{width:100%;max-width:900px;height:auto}
ul.legend{list-style:none;padding:0;margin:.3em 0 1em;display:flex;flex-wrap:wrap;gap:.2em 1.4em;font-size:.9em}
ul.legend li{display:flex;align-items:center;gap:.4em;overflow-wrap:anywhere}ul.legend svg{flex:none}
"""


def e(text) -> str:
    return html.escape("" if text is None else clean(str(text)), quote=True)


def _link(url: str | None, label: str) -> str:
    """A link only to an http(s) address; anything else is shown as text."""
    if url and urlsplit(url).scheme in ("http", "https"):
        return f'<a href="{e(url)}" rel="noopener noreferrer">{e(label)}</a>'
    return e(label)


def _capture_link(pages: Mapping[int, str], capture_id: int | None, label: str) -> str:
    """A link to the archived copy of a capture written beside the report; text where there is none."""
    href = pages.get(capture_id) if capture_id is not None else None
    return f'<a href="{e(href)}">{e(label)}</a>' if href else e(label)


def render_html_report(
    history: History, generated_at: str, since: str | None = None, pages: Mapping[int, str] | None = None
) -> str:
    """The report; `pages` maps a capture id to the relative address of its archived copy
    (`outputs.archive`), which the changes and the current composition link to."""
    pages = pages or {}
    sections = [_body_section(history, source, since, pages) for source in history.bodies]
    sections = [s for s in sections if s]
    nav = " · ".join(f'<a href="#body-{e(source)}">{e(body.name)}</a>' for source, body in history.bodies.items())
    scope = f"Changes since {e(since)}." if since else "All changes since the first capture of each body."
    archived = (
        " Each change links to the page as captured before and after it (archived copies beside this file, "
        "scripts removed)."
        if pages
        else ""
    )
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>rosterwatch report, {e(generated_at)}</title><style>{STYLE}</style></head><body>\n"
        f"<h1>rosterwatch report</h1><p class=\"muted\">Generated {e(generated_at)}. {scope}{archived}</p>\n"
        f"<nav>{nav}</nav>\n" + "\n".join(sections) + "\n</body></html>\n"
    )


def captures_to_archive(history: History, since: str | None = None) -> list[int]:
    """The captures the report links to: before and after each change shown, and each current composition."""
    wanted: dict[int, None] = {}
    for event in history.resolved_events:
        if since and event.at < since:
            continue
        if event.from_capture is not None:
            wanted[event.from_capture] = None
        wanted[event.to_capture] = None
    for source in history.bodies:
        current = history.current(source)
        if current is not None:
            wanted[current.capture_id] = None
    return list(wanted)


def _body_section(history: History, source: str, since: str | None, pages: Mapping[int, str]) -> str:
    body = history.bodies[source]
    observations = history.of_source(source)
    events = [ev for ev in history.resolved_events if ev.source == source and (not since or ev.at >= since)]
    away = history.away.get(source)
    if not observations and not events and away is None:
        return ""
    parts = [
        f'<section id="body-{e(source)}"><h2>{e(body.name)} <span class="muted">({e(source)})</span></h2>',
        f"<p>Live page: {_link(body.url, body.url)}</p>",
    ]
    if away is not None:
        parts.append(f'<p class="suspect"><strong>{e(away.headline)}</strong> <span class="muted">({e(away.message)})</span></p>')
    parts += [
        "<h3>Composition over time</h3>",
        composition_chart(observations, [ev for ev in history.resolved_events if ev.source == source]),
    ]
    current = history.current(source)
    if current is not None:
        parts.append(
            f"<h3>Current composition</h3><p class=\"muted\">As of {e(current.at)}, "
            f"{_capture_link(pages, current.capture_id, f'capture {current.capture_id}')}, "
            f"sha256 {e((current.sha256 or '')[:12])}.</p>"
        )
        parts.append(_composition_table(history, current))
    parts.append("<h3>Changes</h3>")
    parts.append(_changes(events, pages) if events else '<p class="muted">No change recorded.</p>')
    parts.append("</section>")
    return "\n".join(parts)


def _composition_table(history: History, current: Observation) -> str:
    rows = []
    for group in current.extraction.groups:
        for member in group.members:
            person = history.people.get(member.name, current.source, group.name)
            other = [v for v in (person.variants if person else []) if v != member.name]
            also = f'<br><span class="muted">also printed: {e(", ".join(other))}</span>' if other else ""
            chair = " (chair)" if group.chair and group.chair == member.name else ""
            rows.append(
                f"<tr><td>{e(group.name)}</td><td>{e(member.name)}{e(chair)}{also}</td>"
                f"<td class=\"muted id\">{e(person.id if person else '')}</td><td>{e(member.organisation or '—')}</td>"
                f"<td>{e(member.role or '—')}</td><td>{e(member.region or '—')}</td></tr>"
            )
    head = "<tr><th>Group</th><th>Name</th><th>Person id</th><th>Organisation</th><th>Role</th><th>Region</th></tr>"
    return f"<table>{head}{''.join(rows)}</table>"


def _changes(events: list[ChangeEvent], pages: Mapping[int, str]) -> str:
    items = []
    for ev in events:
        text = describe(ev, escape=lambda t: "—" if t is None else e(" ".join(str(t).split())), code=lambda t: f"<code>{e(t)}</code>")
        provenance = []
        if ev.from_capture is not None:
            before = f"capture {ev.from_capture}, {(ev.from_at or '')[:10]}"
            provenance.append("before: " + _capture_link(pages, ev.from_capture, before))
        provenance.append("after: " + _capture_link(pages, ev.to_capture, f"capture {ev.to_capture}, {ev.at[:10]}"))
        span = f'<br><span class="muted">read from: “{e(ev.text)}”</span>' if ev.text else ""
        css = ' class="suspect"' if ev.kind == "suspect_extraction" else ""
        items.append(
            f"<li{css}><time datetime=\"{e(ev.at)}\">{e(ev.at[:10])}</time> <span class=\"kind\">{e(ev.kind)}</span> "
            f"{text} <span class=\"muted\">[{' · '.join(provenance)}]</span>{span}</li>"
        )
    return f'<ol class="changes">{"".join(items)}</ol>'


def composition_chart(observations: list[Observation], events: list[ChangeEvent]) -> str:
    """Members per group at each accepted capture as step lines; under them, per capture, how
    many joined (up) and left (down), so six leaving and six joining is not a flat line; suspect
    captures as dashed lines. The legend is HTML under the chart, so it wraps instead of clipping.

    Groups that never list a member (a page naming only a chair) are not charted: a line at 0
    says nothing, and they are named under the legend instead.
    """
    if not observations:
        return '<p class="muted">No accepted capture yet.</p>'
    named = list(dict.fromkeys(g.name for o in observations for g in o.extraction.groups))
    groups = [n for n in named if any(g.name == n and g.members for o in observations for g in o.extraction.groups)]
    times = [_seconds(o.at) for o in observations]
    suspects = [(_seconds(ev.at), ev) for ev in events if ev.kind == "suspect_extraction"]
    moves = _moves(events)
    t0 = min(times + [t for t, _ in suspects])
    t1 = max(times + [t for t, _ in suspects])
    span = max(t1 - t0, 1)
    top = max([1] + [len(g.members) for o in observations for g in o.extraction.groups])
    plot_w = CHART_W - PAD_L - PAD_R
    axis = PAD_T + PLOT_H
    band_mid = axis + 14 + BAND_H / 2
    most = max([1] + [n for m in moves.values() for n in m[1:]])

    def x(t: float) -> float:
        # one point in time: it starts the chart, and its line runs on to the right edge ("since")
        return PAD_L + (t - t0) / span * plot_w if t1 > t0 else PAD_L

    def y(n: int) -> float:
        return axis - n / top * PLOT_H

    def bar(n: int) -> float:
        return (BAND_H / 2 - 12) * n / most

    shapes = [
        f'<line x1="{PAD_L}" y1="{axis}" x2="{PAD_L + plot_w}" y2="{axis}" stroke="#999"/>',
        f'<line x1="{PAD_L}" y1="{PAD_T}" x2="{PAD_L}" y2="{axis}" stroke="#999"/>',
        f'<text x="{PAD_L - 6}" y="{y(top) + 4:.1f}" text-anchor="end" font-size="11">{top}</text>',
        f'<text x="{PAD_L - 6}" y="{axis + 4:.1f}" text-anchor="end" font-size="11">0</text>',
        f'<line x1="{PAD_L}" y1="{band_mid:.1f}" x2="{PAD_L + plot_w}" y2="{band_mid:.1f}" stroke="#ccc"/>',
        f'<text x="{PAD_L - 6}" y="{band_mid - 6:.1f}" text-anchor="end" font-size="11" fill="{JOINED}">joined</text>',
        f'<text x="{PAD_L - 6}" y="{band_mid + 14:.1f}" text-anchor="end" font-size="11" fill="{LEFT}">left</text>',
        f'<text x="{PAD_L}" y="{CHART_H - 6}" font-size="11">{e(observations[0].at[:10])}</text>',
    ]
    if t1 > t0:
        shapes.append(
            f'<text x="{PAD_L + plot_w}" y="{CHART_H - 6}" text-anchor="end" font-size="11">'
            f"{e(max(o.at for o in observations)[:10])}</text>"
        )
    legend = []
    for number, name in enumerate(groups):
        colour = PALETTE[number % len(PALETTE)]
        counts = [next((len(g.members) for g in o.extraction.groups if g.name == name), 0) for o in observations]
        points, previous = [], None
        for t, n in zip(times, counts):
            if previous is not None:
                points.append(f"{x(t):.1f},{y(previous):.1f}")
            points.append(f"{x(t):.1f},{y(n):.1f}")
            previous = n
        points.append(f"{PAD_L + plot_w:.1f},{y(previous):.1f}")
        shapes.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{" ".join(points)}">'
            f"<title>{e(name)}</title></polyline>"
        )
        for t, n, o in zip(times, counts, observations):
            shapes.append(
                f'<circle cx="{x(t):.1f}" cy="{y(n):.1f}" r="3" fill="{colour}"><title>{e(name)}: {n} members, '
                f"{e(o.at[:10])} (capture {o.capture_id})</title></circle>"
            )
        legend.append(_legend_item(_swatch_line(colour), f"{name} ({counts[-1]} members at the latest capture)"))
    for capture_id, (at, joined, left) in moves.items():
        cx = x(_seconds(at))
        title = f"{e(at[:10])} (capture {capture_id}): {joined} joined, {left} left"
        if joined:
            shapes.append(
                f'<rect x="{cx - 5:.1f}" y="{band_mid - bar(joined):.1f}" width="10" height="{bar(joined):.1f}" '
                f'fill="{JOINED}"><title>{title}</title></rect>'
                f'<text x="{cx:.1f}" y="{band_mid - bar(joined) - 3:.1f}" text-anchor="middle" font-size="11" '
                f'fill="{JOINED}">+{joined}</text>'
            )
        if left:
            shapes.append(
                f'<rect x="{cx - 5:.1f}" y="{band_mid:.1f}" width="10" height="{bar(left):.1f}" '
                f'fill="{LEFT}"><title>{title}</title></rect>'
                f'<text x="{cx:.1f}" y="{band_mid + bar(left) + 11:.1f}" text-anchor="middle" font-size="11" '
                f'fill="{LEFT}">−{left}</text>'
            )
    if not moves:
        shapes.append(
            f'<text x="{PAD_L + 8}" y="{band_mid + 4:.1f}" font-size="11" fill="#666">no one joined or left</text>'
        )
    for t, ev in suspects:
        shapes.append(
            f'<line x1="{x(t):.1f}" y1="{PAD_T}" x2="{x(t):.1f}" y2="{axis}" stroke="{SUSPECT}" stroke-dasharray="4 3">'
            f"<title>{e(ev.at[:10])}: suspect extraction, not believed: {e(ev.diff)}</title></line>"
        )
    if any(m[1] for m in moves.values()):
        legend.append(_legend_item(_swatch_bar(JOINED), "people who joined, at the capture that shows it"))
    if any(m[2] for m in moves.values()):
        legend.append(_legend_item(_swatch_bar(LEFT), "people who left, at the capture that shows it"))
    if suspects:
        legend.append(_legend_item(
            _swatch_dashed(SUSPECT), "a suspect capture: not believed, the composition before it stays current"
        ))
    label = "Members per group at each accepted capture, and how many joined and left"
    chart = (
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {CHART_W} {CHART_H}" width="{CHART_W}" '
        f'height="{CHART_H}" role="img" aria-label="{label}"><title>{label}</title>{"".join(shapes)}</svg>'
    )
    unlisted = [n for n in named if n not in groups]
    note = (
        f'<p class="muted">Not charted, no members listed: {e(", ".join(unlisted))}.</p>' if unlisted else ""
    )
    return f'{chart}<ul class="legend">{"".join(legend)}</ul>{note}'


def _moves(events: list[ChangeEvent]) -> dict[int, tuple[str, int, int]]:
    """Per capture (oldest first): its time, how many joined and how many left there."""
    found: dict[int, list] = {}
    for ev in events:
        if ev.kind in ("joined", "left"):
            entry = found.setdefault(ev.to_capture, [ev.at, 0, 0])
            entry[1 if ev.kind == "joined" else 2] += 1
    return {cid: (at, j, l) for cid, (at, j, l) in sorted(found.items(), key=lambda item: item[1][0])}


def _legend_item(swatch: str, label: str) -> str:
    return f"<li>{swatch}<span>{e(label)}</span></li>"


def _swatch_line(colour: str) -> str:
    return (
        f'<svg width="22" height="10" aria-hidden="true"><line x1="1" y1="5" x2="21" y2="5" stroke="{colour}" '
        f'stroke-width="2"/><circle cx="11" cy="5" r="3" fill="{colour}"/></svg>'
    )


def _swatch_bar(colour: str) -> str:
    return f'<svg width="22" height="12" aria-hidden="true"><rect x="6" y="0" width="10" height="12" fill="{colour}"/></svg>'


def _swatch_dashed(colour: str) -> str:
    return (
        f'<svg width="22" height="14" aria-hidden="true"><line x1="11" y1="0" x2="11" y2="14" stroke="{colour}" '
        f'stroke-dasharray="4 3" stroke-width="1.5"/></svg>'
    )


def _seconds(stamp: str) -> float:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()
