"""The noise suite's builder: a page, edited the ways real sites change, captured in sequence.

Every case starts from a shared page text (`../shared/pages/*.txt`, `../shared/pages/real/*.txt`)
rendered as a CMS page (`extractors.cms`), captured once as the baseline. Then:

* a **cosmetic** edit (markup, whitespace, order, chrome, encoding, a bad capture) is captured
  three times in a row (the edit, then kept for two more identical captures), and then the
  original page comes back; none of it may give a composition event. A broken capture (an
  empty body, an error page, a page nested too deep, the member list missing) gives exactly
  one `suspect_extraction`; any other edit at most one (markup extraction reads badly: the
  people are still on the page, so nobody leaves), and an HTTP error status none;
* a **real** edit (a member joins, leaves, changes role; a heading, a mandate bullet changes)
  is captured twice; it must give exactly the planted events, once.

`run_case` feeds the captures through the pipeline's own ways in (replayed archived copies;
captures with an HTTP status or a Content-Type header go through a real local HTTP server)
and returns every event after the baseline. `false_events` and `exact` say how a case went.
"""

from __future__ import annotations

import html as html_lib
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from extractors import extract
from extractors.cms import Block, PageDoc, edit, parse_page_text, render

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "pages"
TRACKED = {"fagrad-pm": "fagrad-pm-2024-full", "norprem": "norprem-om-nettverket-full"}
# Pages of other bodies (../shared/pages/real) the suite edits: one list per kind of member
# list the real pages use (v/-lists, "Name, role" lines, tables of names and roles).
REAL = (
    "helse-sorost-brukerutvalg-2017",
    "molde-eldreradet",
    "kvalitetsregistre-interregional-arbeidsgruppe-2024",
    "stolav-brukerutvalget-2024",
    "legeforeningen-spesialitetsradet",
    "regjeringen-kommunereform-ekspertutvalget-2014",
)
COMPOSITION = frozenset(
    {
        "joined", "left", "role_changed", "organisation_changed", "region_changed", "chair_changed",
        "name_variant", "group_added", "group_removed", "group_renamed",
        "mandate_added", "mandate_removed", "mandate_edited",
    }
)
START = datetime(2024, 6, 1, 6, 0, tzinfo=timezone.utc)
NEW_PERSON = "Ingrid Solheim Bakke"
MAINTENANCE = (
    "<!DOCTYPE html><html lang=\"nb\"><head><meta charset=\"utf-8\"><title>Vi utfører vedlikehold</title></head>"
    "<body><h1>Vi utfører vedlikehold</h1><p>Nettstedet er midlertidig utilgjengelig. Prøv igjen om litt.</p></body></html>"
)


@dataclass(frozen=True)
class Shot:
    """One capture: the bytes a server (or an archived copy) gave.

    `content_type` None means an archived copy with no headers (replayed); otherwise the
    capture is fetched from a local server answering `status` with that Content-Type.
    """

    body: bytes
    status: int = 200
    content_type: str | None = None


@dataclass(frozen=True)
class Case:
    page: str
    edit: str
    cosmetic: bool
    shots: tuple[Shot, ...]  # the baseline first
    expected: tuple[tuple[str, str | None], ...] = ()  # (kind, person or group) of a real edit
    broken: bool = False  # a bad capture: exactly one suspect_extraction

    @property
    def allowed_suspects(self) -> int:
        if not self.cosmetic or any(s.status >= 300 for s in self.shots):
            return 0
        return 1

    @property
    def id(self) -> str:
        return f"{self.page}:{self.edit}"


@dataclass
class Outcome:
    case: Case
    events: list = field(default_factory=list)

    @property
    def false_events(self) -> list:
        """Events a user would be wrongly told about."""
        if self.case.cosmetic:
            return [e for e in self.events if e.kind != "suspect_extraction"] + self.suspects[self.case.allowed_suspects :]
        wanted = Counter(self.case.expected)
        return [e for e in self.events if not _take(wanted, subject(e))]

    @property
    def suspects(self) -> list:
        return [e for e in self.events if e.kind == "suspect_extraction"]

    @property
    def exact(self) -> bool:
        return not self.case.cosmetic and Counter(map(subject, self.events)) == Counter(self.case.expected)


def subject(event) -> tuple[str, str | None]:
    if event.kind.startswith("group_"):
        return (event.kind, event.group)
    return (event.kind, event.person)


def _take(counter: Counter, key) -> bool:
    if counter[key] > 0:
        counter[key] -= 1
        return True
    return False


# ------------------------------------------------------------------------------ pages


@lru_cache(maxsize=None)
def page_doc(slug: str) -> PageDoc:
    path = SHARED / f"{slug}.txt"
    if not path.exists():
        path = SHARED / "real" / f"{slug}.txt"
    return parse_page_text(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def members(slug: str, html: str | None = None) -> tuple:
    """(group, member) pairs the extractor reads from the page as rendered (the standard template)."""
    extraction = extract(html or render(page_doc(slug)), slug)
    return tuple((g, m) for g in extraction.groups for m in g.members)


def _text(doc: PageDoc) -> str:
    return "\n".join([doc.title] + [b.text for b in doc.blocks] + [i for b in doc.blocks for i in b.items])


def _named_once(doc: PageDoc, name: str) -> bool:
    return _text(doc).count(name) == 1


def _own_item(doc: PageDoc, name: str, everyone: set[str]) -> str | None:
    """The list item that names `name` and nobody else, if there is one."""
    for block in doc.blocks:
        for item in block.items:
            if name in item and not any(other in item for other in everyone - {name}):
                return item
    return None


def _utf8(html: str) -> bytes:
    return html.encode("utf-8")


# ------------------------------------------------------------------------------ markup edits


def div_strong(html: str) -> str:
    """A redesign: headings as <div><strong>, lists as paragraphs of typed "•" bullets."""
    html = re.sub(r"<h([2-6])>(.*?)</h\1>", r"<div><strong>\2</strong></div>", html)
    html = re.sub(r"<ul>\s*", "<div class=\"list\">\n", html)
    html = re.sub(r"\s*</ul>", "\n</div>", html)
    return re.sub(r"<li>(.*?)</li>", r"<div>• \1</div>", html)


def definition_lists(html: str) -> str:
    """Member lists as <dl>: `Org v/Person` -> <dt>Org</dt><dd>Person</dd>, `Person (x)` -> <dt>x</dt><dd>Person</dd>."""

    def item(match: re.Match) -> str:
        text = match.group(1)
        via = re.match(r"(.+?)\s+v/\s*(.+)$", text)
        paren = re.match(r"(.+?)\s*\(([^()]+)\)\.?$", text)
        if via:
            return f"<dt>{via.group(1)}</dt><dd>{via.group(2)}</dd>"
        if paren:
            return f"<dt>{paren.group(2)}</dt><dd>{paren.group(1)}</dd>"
        return f"<dd>{text}</dd>"

    def listing(match: re.Match) -> str:
        items = re.findall(r"<li>(.*?)</li>", match.group(0), re.DOTALL)
        if not items or not all(re.search(r"\sv/|\([^()]+\)\.?$", i) for i in items):
            return match.group(0)
        return "<dl>\n" + "\n".join(item(re.match(r"(.*)", i, re.DOTALL)) for i in items) + "\n</dl>"

    return re.sub(r"<ul>.*?</ul>", listing, html, flags=re.DOTALL)


def deep(html: str, depth: int = 300) -> str:
    """The article wrapped in `depth` nested <div>s (a page builder gone wild)."""
    open_tags, close_tags = "<div>" * depth, "</div>" * depth
    return re.sub(r"(<article\b[^>]*>)(.*)(</article>)", lambda m: m.group(1) + open_tags + m.group(2) + close_tags + m.group(3), html, flags=re.DOTALL)


def whitespace(html: str) -> str:
    html = re.sub(r"<li>", "<li>\n    ", html)
    html = re.sub(r"</(p|h[1-6])>", r"\n</\1>\n\n", html)
    return html.replace(" v/", "  v/\n")


def banner(html: str) -> str:
    notice = '<div class="notice"><p>Viktig: Nettstaden blir oppgradert 12. juni. Nokre tenester kan vere utilgjengelege.</p></div>'
    return html.replace("<body>", "<body>\n" + notice, 1).replace('<body class="theme-2025">', '<body class="theme-2025">\n' + notice, 1)


def footer(html: str) -> str:
    return html.replace("Postboks 220 Skøyen, 0213 Oslo", "Postboks 7000 St. Olavs plass, 0130 Oslo · © 2025")


def entities(html: str) -> str:
    """Every non-ASCII letter as a numeric character reference."""
    head, sep, body = html.partition("<body")
    return head + sep + "".join(c if ord(c) < 128 else f"&#{ord(c)};" for c in body)


def undeclared(html: str) -> str:
    return re.sub(r'<meta charset="utf-8">\s*', "", html)


def latin1(html: str) -> bytes:
    """No charset declared anywhere, and the bytes in ISO-8859-1 (dashes and quotes written plainly)."""
    text = undeclared(html).translate(str.maketrans({"–": "-", "—": "-", "’": "'", "“": '"', "”": '"', "…": "..."}))
    return text.encode("latin-1", errors="xmlcharrefreplace")


def windows1252(html: str) -> bytes:
    return undeclared(html).encode("cp1252", errors="xmlcharrefreplace")


def bad_utf8(html: str, after: str) -> bytes:
    """Stray invalid bytes (a broken CMS plugin) after `after` wherever it occurs."""
    return _utf8(html).replace(after.encode("utf-8"), after.encode("utf-8") + b"\xff\xfe\x81", 1)


def bom(html: str) -> bytes:
    return b"\xef\xbb\xbf" + _utf8(undeclared(html))


def missing_list(html: str, doc: PageDoc, names: set[str]) -> str:
    """The page with every list that names a member gone (a CMS block that failed to render)."""
    return re.sub(
        r"<(ul|table|dl)\b.*?</\1>",
        lambda m: "" if any(html_lib.escape(n) in m.group(0) or n in m.group(0) for n in names) else m.group(0),
        html,
        flags=re.DOTALL,
    )


def add_item(doc: PageDoc, after: str, item: str) -> PageDoc:
    """A new list item right after `after`."""
    blocks = tuple(
        replace(b, items=tuple(x for i in b.items for x in ((i, item) if i == after else (i,)))) for b in doc.blocks
    )
    if blocks == doc.blocks:
        raise ValueError(f"no list item {after!r}")
    return replace(doc, blocks=blocks)


def rename_heading(doc: PageDoc, old: str, new: str) -> PageDoc:
    blocks = tuple(replace(b, text=new) if b.kind == "heading" and b.text == old else b for b in doc.blocks)
    if blocks == doc.blocks:
        raise ValueError(f"no heading {old!r}")
    return replace(doc, blocks=blocks)


def reorder(doc: PageDoc) -> PageDoc:
    return replace(doc, blocks=tuple(replace(b, items=tuple(reversed(b.items))) if b.kind == "list" else b for b in doc.blocks))


# ------------------------------------------------------------------------------ cases


def _cosmetic(slug: str, name: str, base: bytes, variant: bytes | Shot, broken: bool = False) -> Case:
    shot = variant if isinstance(variant, Shot) else Shot(variant)
    return Case(slug, name, True, (Shot(base), shot, shot, shot, Shot(base)), broken=broken)


def _real(slug: str, name: str, base: bytes, after: bytes, expected) -> Case:
    return Case(slug, name, False, (Shot(base), Shot(after), Shot(after)), tuple(expected))


def cosmetic_cases(slug: str) -> list[Case]:
    doc = page_doc(slug)
    standard = render(doc, "standard")
    base = _utf8(standard)
    names = {m.name for _, m in members(slug)}
    cases = [
        _cosmetic(slug, f"template-{t}", base, _utf8(render(doc, t)))
        for t in ("paragraphs", "bold", "table", "redesign")
    ]
    cases += [
        _cosmetic(slug, "reorder", base, _utf8(render(reorder(doc), "standard"))),
        _cosmetic(slug, "whitespace", base, _utf8(whitespace(standard))),
        _cosmetic(slug, "banner", base, _utf8(banner(standard))),
        _cosmetic(slug, "footer", base, _utf8(footer(standard))),
        _cosmetic(slug, "entities", base, _utf8(entities(standard))),
        _cosmetic(slug, "latin-1", base, latin1(standard)),
        _cosmetic(slug, "windows-1252", base, windows1252(standard)),
        _cosmetic(slug, "bom", base, bom(standard)),
        _cosmetic(slug, "header-charset", base, Shot(standard.encode("latin-1", errors="xmlcharrefreplace"), 200, "text/html; charset=ISO-8859-1")),
        # a redesign that stays
        _cosmetic(slug, "div-strong", base, _utf8(div_strong(standard))),
        _cosmetic(slug, "dl", base, _utf8(definition_lists(standard))),
        # bad captures, three in a row, then the page is back
        _cosmetic(slug, "empty-200", base, b"", broken=True),
        _cosmetic(slug, "deep-nesting", base, _utf8(deep(standard)), broken=True),
        _cosmetic(slug, "maintenance", base, _utf8(MAINTENANCE), broken=True),
        _cosmetic(slug, "http-503", base, Shot(b"<h1>Service Unavailable</h1>", 503, "text/html")),
        _cosmetic(slug, "http-404", base, Shot(_utf8(MAINTENANCE.replace("Vi utfører vedlikehold", "Siden finnes ikke")), 404, "text/html; charset=utf-8")),
    ]
    without_list = missing_list(standard, doc, names)
    if without_list != standard:
        cases.append(_cosmetic(slug, "list-missing", base, _utf8(without_list), broken=True))
    organisation = next((m.organisation for _, m in members(slug) if m.organisation and m.organisation in standard), None)
    if organisation:
        cases.append(_cosmetic(slug, "invalid-utf8", base, bad_utf8(standard, organisation)))
    hyphenated = next((n for n in sorted(names) if "-" in n.split()[-1] and _named_once(doc, n)), None)
    if hyphenated:
        dashed = hyphenated[::-1].replace("-", "–", 1)[::-1]
        cases.append(_cosmetic(slug, "en-dash", base, _utf8(render(edit(doc, hyphenated, dashed)))))
    for title in ("Fagråd for drift og vedlikehold", "Maintenance and operations council"):
        renamed = replace(doc, title=title)
        cases.append(
            _cosmetic(slug, f"title-{title.split()[-1]}", _utf8(render(renamed)), _utf8(whitespace(render(renamed))))
        )
    return cases


# Letter variants of one name: (pattern, replacement), tried in order until one applies to a surname.
VARIANTS = (
    ("x", "ks"), ("ph", "f"), ("th", "t"), ("ss", "s"), ("nn", "n"), ("ll", "l"), ("tt", "t"),
    ("æ", "ae"), ("ø", "oe"), ("å", "aa"), ("ck", "k"),
)


def letter_variant(name: str) -> str | None:
    """The name with one letter variant in the surname (else the first given name), or None."""
    *given, surname = name.split()
    for index in [len(given)] + ([0] if given else []):
        word = (given + [surname])[index]
        for old, new in VARIANTS:
            at = word.lower().find(old)
            if at < 0:
                continue
            swapped = new.capitalize() if at == 0 and word[:1].isupper() else new
            words = given + [surname]
            words[index] = word[:at] + swapped + word[at + len(old) :]
            return " ".join(words)
    return None


def real_cases(slug: str) -> list[Case]:
    doc = page_doc(slug)
    base = _utf8(render(doc))
    found = members(slug)
    names = {m.name for _, m in found}
    chairs = {g.chair for g, _ in found if g.chair}
    # a plain member: named once, no chair, and not the only one of their group (removing the
    # only secretary removes the 'Sekretær' group too, which is then reported as well)
    plain = [m for g, m in found if _named_once(doc, m.name) and m.name not in chairs and len(g.members) > 1]
    cases = []
    if plain:
        target = plain[-1]
        cases.append(_real(slug, "replace-member", base, _utf8(render(edit(doc, target.name, NEW_PERSON))),
                           [("joined", NEW_PERSON), ("left", target.name)]))
        item = _own_item(doc, target.name, names)
        if item is not None:
            dropped = replace(doc, blocks=tuple(replace(b, items=tuple(i for i in b.items if i != item)) for b in doc.blocks))
            cases.append(_real(slug, "remove-member", base, _utf8(render(dropped)), [("left", target.name)]))
            added = replace(
                doc,
                blocks=tuple(
                    replace(b, items=b.items + (item.replace(target.name, NEW_PERSON),)) if item in b.items else b
                    for b in doc.blocks
                ),
            )
            cases.append(_real(slug, "add-member", base, _utf8(render(added)), [("joined", NEW_PERSON)]))
    for member in plain:
        variant = letter_variant(member.name)
        if variant:
            cases.append(_real(slug, "letter-variant", base, _utf8(render(edit(doc, member.name, variant))),
                               [("name_variant", variant)]))
            break
    mandate = extract(render(doc), slug).mandate
    if mandate:
        bullet = mandate[0]
        source_item = next((i for b in doc.blocks for i in b.items if bullet.rstrip(".") in i), None)
        if source_item:
            edited = edit(doc, source_item, source_item.rstrip(". ") + " og rapportere årleg til departementet.")
            cases.append(_real(slug, "mandate-edited", base, _utf8(render(edited)), [("mandate_edited", None)]))
    cases.append(_real(slug, "page-dates", base, _utf8(render(doc, updated="2025-03-14")), [("page_dates_changed", None)]))
    return cases


def tracked_real_cases() -> list[Case]:
    """Real edits of every event kind on the two tracked pages, written by hand."""
    fagrad, norprem = page_doc("fagrad-pm-2024-full"), page_doc("norprem-om-nettverket-full")
    f_base, n_base = _utf8(render(fagrad)), _utf8(render(norprem))

    def f(edits, expected, name, doc=None):
        doc = doc or fagrad
        for old, new in edits:
            doc = edit(doc, old, new)
        return _real("fagrad-pm", name, f_base, _utf8(render(doc)), expected)

    def n(edits, expected, name, doc=None, before=None):
        doc = doc or norprem
        for old, new in edits:
            doc = edit(doc, old, new)
        base = _utf8(render(before)) if before is not None else n_base
        return _real("norprem", name, base, _utf8(render(doc)), expected)

    cases = [
        f([("Abelia v/Stephen McAdam", "Abelia v/Stephen McAdam (nestleiar)")], [("role_changed", "Stephen McAdam")], "role"),
        f([("Datatilsynet v/Susanne Lie", "Forbrukarrådet v/Susanne Lie")], [("organisation_changed", "Susanne Lie")], "organisation"),
        f([("Gunnar Douzgos Houge (Helse Vest)", "Gunnar Douzgos Houge (Helse Nord)")], [("region_changed", "Gunnar Douzgos Houge")], "region"),
        f([("Ole Alexander Opdalshei", "Ole Aleksander Opdalshei")], [("name_variant", "Ole Aleksander Opdalshei")], "x-ks"),
        f([("Hans-Johnny Schjelderup-Nilsen", "Hans-Johnny Schelderup-Nilsen")], [("name_variant", "Hans-Johnny Schelderup-Nilsen")], "sch-schj"),
        f([("Torstein Baade Rø", "Thorstein Baade Rø")], [("name_variant", "Thorstein Baade Rø")], "th-t"),
        f([("Stephen McAdam", "Stefen McAdam")], [("name_variant", "Stefen McAdam")], "ph-f"),
        f([("Mari Trommald", "Mari Tromald")], [("name_variant", "Mari Tromald")], "double-letter"),
        f([("Kreftregisteret v/Giske Ursin", "Kreftregisteret v/Marit Bakken")], [("joined", "Marit Bakken"), ("left", "Giske Ursin")], "replace"),
        f([], [("joined", "Per Olav Lunde")], "add",
          doc=add_item(fagrad, "Legemiddelindustrien v/Ina Dahlsveen", "Apotekforeningen v/Per Olav Lunde")),
        f([("Fagrådet kan gje faglege innspel knytt til oppfølging av strategien, både til departementet og andre aktørar.",
            "Fagrådet skal rapportere årleg til departementet om korleis arbeidet med persontilpassa medisin går.")],
          [("mandate_added", None), ("mandate_removed", None)], "mandate-replaced"),
        n([("Lars Ødegård", "Lars Oedegaard")], [("name_variant", "Lars Oedegaard")], "oe-aa"),
        n([("Henrik Næss", "Henrik Naess")], [("name_variant", "Henrik Naess")], "ae"),
        n([("Matthias Baaske (prosjektadministrator)", "Matthias Baaske (prosjektleder)")], [("role_changed", "Matthias Baaske")], "role"),
        n([("Rita Halvorsen (Kreftforeningen)", "Rita Halvorsen (Kreftregisteret)")], [("organisation_changed", "Rita Halvorsen")], "organisation"),
        n([], [("group_renamed", "Koordineringsgruppen")], "heading-typo-fixed",
          before=rename_heading(norprem, "Koordineringsgruppen", "Kooridneringsgruppen")),
        n([], [("group_renamed", "Styringsgruppen for nettverket")], "group-renamed",
          doc=rename_heading(norprem, "Koordineringsgruppen", "Styringsgruppen for nettverket")),
        n([("skal styrke samarbeidet mellom klinisk og basalmedisinsk forskning", "skal styrke samarbeidet mellom klinisk forskning og basalforskning")],
          [("mandate_edited", None)], "mandate-edited"),
    ]
    new_group = (
        Block("heading", text="Referansegruppe for pasientar"),
        Block("list", items=("Kari Nordmann (Kreftforeningen)", "Per Hansen (Norges handikapforbund)", "Ola Berntsen (FFO)")),
    )
    grown = replace(norprem, blocks=norprem.blocks + new_group)
    cases.append(
        _real("norprem", "group-added", n_base, _utf8(render(grown)),
              [("group_added", "Referansegruppe for pasientar"), ("joined", "Kari Nordmann"), ("joined", "Per Hansen"), ("joined", "Ola Berntsen")])
    )
    cases.append(
        _real("norprem", "group-removed", _utf8(render(grown)), n_base,
              [("group_removed", "Referansegruppe for pasientar"), ("left", "Kari Nordmann"), ("left", "Per Hansen"), ("left", "Ola Berntsen")])
    )
    return cases


def all_cases() -> list[Case]:
    cases = []
    for source, slug in TRACKED.items():
        cases += [replace(c, page=source) for c in cosmetic_cases(slug)]
    cases += tracked_real_cases()
    for slug in REAL:
        cases += cosmetic_cases(slug) + real_cases(slug)
    return cases


def capture_times(count: int) -> list[datetime]:
    return [START + timedelta(days=7 * i) for i in range(count)]


# ------------------------------------------------------------------------------ running


def run_case(case: Case, workdir: Path, server=None) -> Outcome:
    """Capture the case's shots in order into a fresh store, processing after each, like daily runs."""
    from flows.config import Source
    from flows.pipeline import fetch_capture, process_pending, replay_capture
    from snapshots.fetch import FetchPolicy
    from snapshots.store import SnapshotStore
    from tests.http_server import Reply

    fetched = any(s.content_type is not None for s in case.shots)
    if fetched and server is None:
        raise ValueError(f"{case.id}: needs a local HTTP server")
    path = f"/{case.page}/{case.edit}"
    url = server.url(path) if fetched else page_doc(TRACKED.get(case.page, case.page)).url
    host = "127.0.0.1" if fetched else urlsplit(url).hostname
    source = Source(case.page, case.page, url, "nb", (host,), allow_private=fetched)  # the local test server
    store = SnapshotStore(workdir / "data")
    outcome = Outcome(case)
    for number, (shot, when) in enumerate(zip(case.shots, capture_times(len(case.shots)))):
        if fetched:
            content_type = shot.content_type or "text/html; charset=utf-8"
            server.route(path, Reply(status=shot.status, body=shot.body, content_type=content_type))
            fetch_capture(store, source, FetchPolicy(max_retries=0, respect_robots=False))
        else:
            copy = workdir / f"{when:%Y-%m-%d}.html"
            copy.write_bytes(shot.body)
            replay_capture(store, source, when, copy)
        processed = process_pending(store, source)
        if number:
            outcome.events.extend(processed.events)
    return outcome


def main() -> None:
    """`python -m tests.noise`: every case, its false events, and the totals (the figures in commits)."""
    import sys
    import tempfile

    from tests.http_server import ScriptedServer

    cases = all_cases()
    if len(sys.argv) > 1:
        cases = [c for c in cases if any(a in c.id for a in sys.argv[1:])]
    false_total = false_cases = exact = real = misreads = 0
    with ScriptedServer() as server, tempfile.TemporaryDirectory() as tmp:
        for number, case in enumerate(cases):
            workdir = Path(tmp) / str(number)
            workdir.mkdir()
            outcome = run_case(case, workdir, server)
            wrong = outcome.false_events
            if case.cosmetic and not case.broken and outcome.suspects and not wrong:
                misreads += 1
                print(f"{case.id}: extraction misread, one suspect_extraction: {outcome.suspects[0].diff[:150]}")
            false_total += len(wrong)
            false_cases += bool(wrong)
            if not case.cosmetic:
                real += 1
                exact += outcome.exact
            if wrong or (not case.cosmetic and not outcome.exact):
                shown = ", ".join(f"{e.kind}:{e.person or e.group or ''}" for e in wrong[:8])
                print(f"{case.id}: {len(wrong)} false [{shown}]" + ("" if case.cosmetic else f" exact={outcome.exact}"))
    cosmetic = len(cases) - real
    print(f"cosmetic cases={cosmetic} real cases={real}; cosmetic cases extraction misread (one suspect_extraction)={misreads}")
    print(f"false events={false_total} in {false_cases} cases; real exact={exact}/{real}")


if __name__ == "__main__":
    main()
