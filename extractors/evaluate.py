"""Quality report: extraction scored against hand-written gold, the way CONVENTIONS.md says.

A *set* is a directory of pages with a ``gold/`` directory beside them: ``<stem>.txt`` page
texts (the ``../shared/pages`` format: ``URL:``/``CUT:`` header, ``---``, the text), each
rendered into every CMS template of :mod:`extractors.cms`, and/or ``<stem>[.<variant>].html``
pages used as they are; ``gold/<stem>.json`` says what a correct extractor returns.

Scoring (``../shared/pages/real/CONVENTIONS.md``): the members of all groups of a page are
pooled and matched on their normalised name (NFC, no-break spaces as spaces, runs of white
space as one, a trailing full stop dropped, lower case); precision, recall and F1 over the
names. On matched members, organisation and role are right when one contains the other,
region only when equal; only fields the gold fills are counted (a ``null`` in the gold
accepts anything). The chair is right when any chair the extraction gives equals the gold
chair; with ``acceptable_alternatives: {"chair": [null]}`` only when none is given; a page
whose gold names no chair and has no such alternative is not scored for the chair. A page
whose gold lists no member must yield none (``negatives``). Mandate bullets are compared in
order where the gold lists some.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from extractors import extract
from extractors.cms import TEMPLATES, parse_page_text, render
from extractors.model import Extraction, Member
from extractors.text import clean

ROOT = Path(__file__).resolve().parents[1]
SHARED_PAGES = ROOT.parent / "shared" / "pages"
SCORED_FIELDS = ("organisation", "role", "region")
DESCRIPTION = (
    "Score extraction against gold. Each SET is a directory of page texts (<stem>.txt, rendered "
    "into every CMS template) and/or HTML pages (<stem>[.<variant>].html), with gold/<stem>.json "
    "beside them. Members of all groups are pooled and matched by normalised name; organisation "
    "and role count as right when one contains the other, region when equal; the chair when any "
    "extracted chair is the gold chair (../shared/pages/real/CONVENTIONS.md). Prints a line per "
    "page with its mismatches, a total per set, and last the total of all sets."
)


def norm(value: str | None) -> str | None:
    """The scoring key of CONVENTIONS.md: NFC, one plain space, no trailing full stop, lower case."""
    if value is None:
        return None
    text = unicodedata.normalize("NFC", value).replace("\u00a0", " ").replace("\u202f", " ")
    text = re.sub(r"\s+", " ", text).strip()
    return text.removesuffix(".").strip().lower()


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    fields_ok: int = 0
    fields_total: int = 0
    chair_ok: int = 0
    chair_total: int = 0
    mandate_ok: int = 0
    mandate_total: int = 0
    negatives_ok: int = 0
    negatives_total: int = 0
    problems: list[str] = field(default_factory=list)

    def add(self, other: "Score") -> None:
        for name in ("tp", "fp", "fn", "fields_ok", "fields_total", "chair_ok", "chair_total",
                     "mandate_ok", "mandate_total", "negatives_ok", "negatives_total"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def precision(self) -> float:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def fields(self) -> float:
        return _ratio(self.fields_ok, self.fields_total)

    @property
    def chair(self) -> float:
        return _ratio(self.chair_ok, self.chair_total)

    @property
    def mandate(self) -> float:
        return _ratio(self.mandate_ok, self.mandate_total)

    def line(self) -> str:
        text = (
            f"F1={self.f1:.3f} P={self.precision:.3f} R={self.recall:.3f} "
            f"fields={self.fields:.3f} chair={self.chair:.3f}"
        )
        if self.mandate_total:
            text += f" mandate={self.mandate:.3f}"
        if self.negatives_total:
            text += f" negatives={self.negatives_ok}/{self.negatives_total}"
        return text


def _ratio(num: int, den: int) -> float:
    """Nothing to find and nothing found is a perfect score, not a division by zero."""
    return num / den if den else 1.0


def gold_members(gold: dict) -> list[dict]:
    """Every member of the gold page, pooled over its groups, once per name."""
    groups = gold.get("groups") or [{"members": gold.get("members", [])}]
    pooled: dict[str, dict] = {}
    for group in groups:
        for member in group.get("members", ()):
            pooled.setdefault(norm(member["name"]), member)
    return list(pooled.values())


def extracted_members(ex: Extraction) -> dict[str, Member]:
    found: dict[str, Member] = {}
    for group in ex.groups:
        for member in group.members:
            found.setdefault(norm(member.name), member)
    return found


def score(ex: Extraction, gold: dict) -> Score:
    result = Score()
    found = extracted_members(ex)
    wanted = {norm(m["name"]): m for m in gold_members(gold)}
    for name, want in wanted.items():
        got = found.get(name)
        if got is None:
            result.fn += 1
            result.problems.append(f"missing {want['name']!r}")
            continue
        result.tp += 1
        for key in SCORED_FIELDS:
            if want.get(key) is None:
                continue
            result.fields_total += 1
            if _field_right(key, getattr(got, key), want[key]):
                result.fields_ok += 1
            else:
                result.problems.append(f"{key} of {want['name']!r}: got {getattr(got, key)!r}, want {want[key]!r}")
    for name in sorted(found.keys() - wanted.keys()):
        result.fp += 1
        result.problems.append(f"extra {found[name].name!r} (from {found[name].text[:70]!r})")
    if not wanted:
        result.negatives_total = 1
        result.negatives_ok = int(not found)
    _score_chair(result, ex, gold)
    want_mandate = [clean(b) for b in gold.get("mandate", ())]
    if want_mandate:
        _score_mandate(result, want_mandate, list(ex.mandate))
    return result


def _field_right(key: str, got: str | None, want: str) -> bool:
    if got is None:
        return False
    got_n, want_n = norm(got), norm(want)
    if key == "region":
        return got_n == want_n
    return got_n in want_n or want_n in got_n


def _score_chair(result: Score, ex: Extraction, gold: dict) -> None:
    chairs = {norm(g.chair) for g in ex.groups if g.chair}
    only_none = (gold.get("acceptable_alternatives") or {}).get("chair") == [None]
    want = gold.get("chair")
    if want is None and not only_none:
        return
    result.chair_total = 1
    right = not chairs if want is None else norm(want) in chairs
    result.chair_ok = int(right)
    if not right:
        result.problems.append(f"chair: got {sorted(c for c in chairs if c)!r}, want {want!r}")


def _score_mandate(result: Score, want: list[str], got: list[str]) -> None:
    result.mandate_total += max(len(want), len(got))
    for n in range(max(len(want), len(got))):
        w = want[n] if n < len(want) else None
        g = got[n] if n < len(got) else None
        if w == g:
            result.mandate_ok += 1
        else:
            result.problems.append(f"mandate bullet {n + 1}: got {g!r}, want {w!r}")


@dataclass(frozen=True)
class Fixture:
    """One page in one markup: a page text rendered in a template, or an HTML file."""

    stem: str
    variant: str
    html: str
    url: str | None


def fixtures(set_dir: Path, stem: str, templates: tuple[str, ...]) -> list[Fixture]:
    found: list[Fixture] = []
    text_path = set_dir / f"{stem}.txt"
    if text_path.is_file():
        doc = parse_page_text(text_path.read_text(encoding="utf-8"))
        found.extend(Fixture(stem, t, render(doc, t), doc.url or None) for t in templates)
    for path in sorted(set_dir.glob(f"{stem}.html")) + sorted(set_dir.glob(f"{stem}.*.html")):
        variant = path.name[len(stem):].removesuffix(".html").lstrip(".") or "html"
        found.append(Fixture(stem, variant, path.read_text(encoding="utf-8"), None))
    return found


OWN_SETS = ROOT / "tests" / "fixtures"


def default_sets() -> list[Path]:
    """Every gold set under ../shared/pages (the pages themselves and each subdirectory), then
    the project's own hand-written sets under tests/fixtures (unseen, realistic, …)."""
    shared = [SHARED_PAGES, *sorted(p for p in SHARED_PAGES.iterdir() if p.is_dir())] if SHARED_PAGES.is_dir() else []
    own = sorted(p for p in OWN_SETS.iterdir() if p.is_dir()) if OWN_SETS.is_dir() else []
    return [p for p in (*shared, *own) if (p / "gold").is_dir()]


def evaluate_set(set_dir: Path, templates: tuple[str, ...], out, verbose: bool = False,
                 only: str | None = None) -> tuple[Score, int, int]:
    """Score one set; print one line per page (and its mismatches) and the set's total."""
    total, pages, count = Score(), 0, 0
    for gold_path in sorted((set_dir / "gold").glob("*.json")):
        stem = gold_path.stem
        if only and only not in stem:
            continue
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        page_fixtures = fixtures(set_dir, stem, templates)
        if not page_fixtures:
            print(f"  {stem}: no page text or HTML in {set_dir}", file=out)
            continue
        page = Score()
        problems: dict[str, list[str]] = defaultdict(list)
        for fx in page_fixtures:
            ex = extract(fx.html, stem, url=fx.url or gold.get("url"))
            result = score(ex, gold)
            if verbose:
                print(f"    {fx.variant:12} {result.line()}", file=out)
            for problem in result.problems:
                problems[problem].append(fx.variant)
            page.add(result)
            count += 1
        print(f"  {stem:58} {page.line()}", file=out)
        for problem, variants in problems.items():
            where = "all" if len(variants) == len(page_fixtures) else ", ".join(variants)
            print(f"      {problem}  [{where}]", file=out)
        total.add(page)
        pages += 1
    return total, pages, count


EXAMPLES = (
    "examples:\n"
    "  rosterwatch eval-extraction                          # every set: ../shared/pages, tests/fixtures\n"
    "  rosterwatch eval-extraction ../shared/pages/real     # one set\n"
    "  rosterwatch eval-extraction tests/fixtures/unseen    # hand-written HTML pages\n"
    "  rosterwatch eval-extraction ../shared/pages/real --page molde -v\n"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options, shared by ``rosterwatch eval-extraction`` and ``python -m extractors.evaluate``."""
    parser.add_argument("sets", nargs="*", type=Path, metavar="SET",
                        help="directories with pages and gold/ (default: every set under ../shared/pages, "
                             "then the hand-written ones under tests/fixtures)")
    parser.add_argument("--templates", default=",".join(TEMPLATES),
                        help=f"CMS templates a page text is rendered in (default: {','.join(TEMPLATES)})")
    parser.add_argument("--page", metavar="TEXT", help="score only pages whose name contains TEXT")
    parser.add_argument("-v", "--verbose", action="store_true", help="also print each template's scores")
    parser.add_argument("--min-f1", type=float, default=0.0, metavar="F",
                        help="exit with status 1 when the total member F1 is below F (a floor for CI)")
    parser.add_argument("--min-precision", type=float, default=0.0, metavar="P",
                        help="exit with status 1 when the total member precision is below P")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="rosterwatch eval-extraction", description=DESCRIPTION, epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_arguments(parser)
    return run(parser.parse_args(argv))


def run(args: argparse.Namespace) -> int:
    templates = tuple(t.strip() for t in args.templates.split(",") if t.strip())
    unknown = [t for t in templates if t not in TEMPLATES]
    if unknown or not templates:
        print(f"eval-extraction: --templates: unknown {', '.join(unknown) or '(none)'}; "
              f"choose from {', '.join(TEMPLATES)}", file=sys.stderr)
        return 2
    sets = args.sets or default_sets()
    if not sets:
        print(f"eval-extraction: no gold set found under {SHARED_PAGES}; name a SET directory", file=sys.stderr)
        return 2
    for set_dir in sets:
        if not (set_dir / "gold").is_dir():
            print(f"eval-extraction: {set_dir} has no gold/ directory of <stem>.json files", file=sys.stderr)
            return 2
    grand, pages, count = Score(), 0, 0
    for set_dir in sets:
        print(f"{set_dir}", file=sys.stdout)
        total, set_pages, set_count = evaluate_set(set_dir, templates, sys.stdout, args.verbose, args.page)
        print(f"  total {set_dir.name}: {total.line()} pages={set_pages} fixtures={set_count}")
        grand.add(total)
        pages += set_pages
        count += set_count
    if not pages:
        print("eval-extraction: no page matched", file=sys.stderr)
        return 2
    print(f"members {grand.line()} pages={pages} fixtures={count}")
    if grand.f1 < args.min_f1 or grand.precision < args.min_precision:
        print(f"eval-extraction: below the floor (F1 {grand.f1:.3f} < {args.min_f1} "
              f"or precision {grand.precision:.3f} < {args.min_precision})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
