"""The HTML report: one self-contained file an analyst can open, mail or archive.

Per body: a chart of the composition over time (inline SVG), the current composition and
the changes in time order, each with links to the captures it was read from. No scripts,
no external resources, and a Content-Security-Policy that forbids both, so a page that
smuggled markup into a member's name could not run anything even if escaping failed; and
escaping does not fail: every scraped string goes through `html.escape`, after its control
characters are removed (`outputs.safe`).
"""

from __future__ import annotations

import html
from datetime import datetime
from urllib.parse import urlsplit

from outputs.events import ChangeEvent
from outputs.history import History, Observation
from outputs.report import describe
from outputs.safe import clean

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2")
CHART_W, CHART_H, PAD_L, PAD_B, PAD_T, PAD_R = 720, 220, 40, 30, 10, 190

STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#222}
h1{font-size:1.6em}h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;width:100%;margin:.5em 0 1em}th,td{border:1px solid #ddd;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f4f4f4}.muted{color:#666;font-size:.9em}ol.changes li{margin:.3em 0}
.kind{display:inline-block;min-width:10em;font-family:monospace;font-size:.85em;color:#555}
.suspect{color:#a00}td.id{white-space:nowrap}code{background:#f6f6f6;padding:0 .2em}svg{max-width:100%;height:auto}
"""


def e(text) -> str:
    return html.escape("" if text is None else clean(str(text)), quote=True)


def _link(url: str | None, label: str) -> str:
    """A link only to an http(s) address; anything else is shown as text."""
    if url and urlsplit(url).scheme in ("http", "https"):
        return f'<a href="{e(url)}" rel="noopener noreferrer">{e(label)}</a>'
    return e(label)


def render_html_report(history: History, generated_at: str, since: str | None = None) -> str:
    sections = [_body_section(history, source, since) for source in history.bodies]
    sections = [s for s in sections if s]
    nav = " · ".join(f'<a href="#body-{e(source)}">{e(body.name)}</a>' for source, body in history.bodies.items())
    scope = f"Changes since {e(since)}." if since else "All changes since the first capture of each body."
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>rosterwatch report, {e(generated_at)}</title><style>{STYLE}</style></head><body>\n"
        f"<h1>rosterwatch report</h1><p class=\"muted\">Generated {e(generated_at)}. {scope}</p>\n"
        f"<nav>{nav}</nav>\n" + "\n".join(sections) + "\n</body></html>\n"
    )


def _body_section(history: History, source: str, since: str | None) -> str:
    body = history.bodies[source]
    observations = history.of_source(source)
    events = [ev for ev in history.resolved_events if ev.source == source and (not since or ev.at >= since)]
    away = history.away.get(source)
    if not observations and not events and away is None:
        return ""
    parts = [
        f'<section id="body-{e(source)}"><h2>{e(body.name)} <span class="muted">({e(source)})</span></h2>',
        f"<p>{_link(body.url, body.url)}</p>",
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
            f"{_link(current.url, f'capture {current.capture_id}')}, sha256 {e((current.sha256 or '')[:12])}.</p>"
        )
        parts.append(_composition_table(history, current))
    parts.append("<h3>Changes</h3>")
    parts.append(_changes(events) if events else '<p class="muted">No change recorded.</p>')
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


def _changes(events: list[ChangeEvent]) -> str:
    items = []
    for ev in events:
        text = describe(ev, escape=lambda t: "—" if t is None else e(" ".join(str(t).split())), code=lambda t: f"<code>{e(t)}</code>")
        provenance = [_link(ev.url, f"capture {ev.to_capture}")]
        if ev.from_capture is not None:
            provenance.append("compared with " + _link(ev.from_url or ev.url, f"capture {ev.from_capture}") + f" ({e((ev.from_at or '')[:10])})")
        span = f'<br><span class="muted">read from: “{e(ev.text)}”</span>' if ev.text else ""
        css = ' class="suspect"' if ev.kind == "suspect_extraction" else ""
        items.append(
            f"<li{css}><time datetime=\"{e(ev.at)}\">{e(ev.at[:10])}</time> <span class=\"kind\">{e(ev.kind)}</span> "
            f"{text} <span class=\"muted\">[{'; '.join(provenance)}]</span>{span}</li>"
        )
    return f'<ol class="changes">{"".join(items)}</ol>'


def composition_chart(observations: list[Observation], events: list[ChangeEvent]) -> str:
    """Members per group at each accepted capture, as step lines; suspect captures as red marks."""
    if not observations:
        return '<p class="muted">No accepted capture yet.</p>'
    groups = list(dict.fromkeys(g.name for o in observations for g in o.extraction.groups))
    times = [_seconds(o.at) for o in observations]
    suspects = [(_seconds(ev.at), ev) for ev in events if ev.kind == "suspect_extraction"]
    t0 = min(times + [t for t, _ in suspects])
    t1 = max(times + [t for t, _ in suspects])
    span = max(t1 - t0, 1)
    top = max([1] + [len(g.members) for o in observations for g in o.extraction.groups])
    plot_w, plot_h = CHART_W - PAD_L - PAD_R, CHART_H - PAD_T - PAD_B

    def x(t: float) -> float:
        # one point in time: it starts the chart, and its line runs on to the right edge ("since")
        return PAD_L + (t - t0) / span * plot_w if t1 > t0 else PAD_L

    def y(n: int) -> float:
        return PAD_T + plot_h - n / top * plot_h

    shapes = [
        f'<line x1="{PAD_L}" y1="{y(0):.1f}" x2="{PAD_L + plot_w}" y2="{y(0):.1f}" stroke="#999"/>',
        f'<line x1="{PAD_L}" y1="{PAD_T}" x2="{PAD_L}" y2="{y(0):.1f}" stroke="#999"/>',
        f'<text x="{PAD_L - 6}" y="{y(top) + 4:.1f}" text-anchor="end" font-size="11">{top}</text>',
        f'<text x="{PAD_L - 6}" y="{y(0) + 4:.1f}" text-anchor="end" font-size="11">0</text>',
        f'<text x="{PAD_L}" y="{CHART_H - 8}" font-size="11">{e(observations[0].at[:10])}</text>',
    ]
    if t1 > t0:
        shapes.append(
            f'<text x="{PAD_L + plot_w}" y="{CHART_H - 8}" text-anchor="end" font-size="11">'
            f"{e(max(o.at for o in observations)[:10])}</text>"
        )
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
        legend_y = PAD_T + 14 * number + 10
        shapes.append(f'<rect x="{CHART_W - PAD_R + 12}" y="{legend_y - 8}" width="10" height="10" fill="{colour}"/>')
        shapes.append(f'<text x="{CHART_W - PAD_R + 28}" y="{legend_y + 1}" font-size="11">{e(_short(name))}</text>')
    for t, ev in suspects:
        shapes.append(
            f'<line x1="{x(t):.1f}" y1="{PAD_T}" x2="{x(t):.1f}" y2="{y(0):.1f}" stroke="#d00" stroke-dasharray="4 3">'
            f"<title>{e(ev.at[:10])}: suspect extraction, not believed: {e(ev.diff)}</title></line>"
        )
    label = "Members per group at each accepted capture"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {CHART_W} {CHART_H}" width="{CHART_W}" '
        f'height="{CHART_H}" role="img" aria-label="{label}"><title>{label}</title>{"".join(shapes)}</svg>'
    )


def _short(name: str, limit: int = 28) -> str:
    """Elide the middle: group names often differ only at the end ("Regionalt fagnettverk Helse Nord")."""
    if len(name) <= limit:
        return name
    tail = limit // 2
    return name[: limit - tail - 1].rstrip() + "…" + name[-tail:].lstrip()


def _seconds(stamp: str) -> float:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()
