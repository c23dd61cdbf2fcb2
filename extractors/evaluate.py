"""Quality report: extraction on HTML fixtures scored against gold JSON.

``eval-extraction [GOLD_DIR] [--pages DIR]`` pairs every fixture ``<stem>.<variant>.html``
(or ``<stem>.html``) with ``GOLD_DIR/<stem>.json`` and prints, per fixture and in total,
member precision / recall / F1 (members match on whitespace-normalised name), the
accuracy of organisation, role, region and chair on matched members (affiliation and
title too where the gold gives them), and mandate bullet accuracy. Each mismatch is
printed under its fixture. The last line is the total, e.g.
``members F1=1.000 fields=1.000 mandate=1.000 pages=8``.

Gold is the format of ``../shared/pages/gold``: either ``groups`` (each named by ``body``)
or one flat ``members`` list with a top-level ``chair``.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz

from extractors import extract
from extractors.model import Extraction, Group
from extractors.text import clean

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_GOLD = ROOT.parent / "shared" / "pages" / "gold"
DEFAULT_PAGES = ROOT / "tests" / "fixtures" / "pages"
MEMBER_FIELDS = ("organisation", "role", "region")
OPTIONAL_FIELDS = ("affiliation", "title")


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    fields_ok: int = 0
    fields_total: int = 0
    mandate_ok: int = 0
    mandate_total: int = 0
    problems: list[str] = field(default_factory=list)

    def add(self, other: "Score") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.fields_ok += other.fields_ok
        self.fields_total += other.fields_total
        self.mandate_ok += other.mandate_ok
        self.mandate_total += other.mandate_total

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
    def mandate(self) -> float:
        return _ratio(self.mandate_ok, self.mandate_total)

    def line(self) -> str:
        return (
            f"P={self.precision:.3f} R={self.recall:.3f} F1={self.f1:.3f} "
            f"fields={self.fields:.3f} ({self.fields_ok}/{self.fields_total}) "
            f"mandate={self.mandate:.3f} ({self.mandate_ok}/{self.mandate_total})"
        )


def _ratio(num: int, den: int) -> float:
    """Nothing to find and nothing found is a perfect score, not a division by zero."""
    return num / den if den else 1.0


def _norm(value) -> str | None:
    return clean(value) if isinstance(value, str) else value


@dataclass(frozen=True)
class _GoldGroup:
    name: str
    chair: str | None
    members: tuple[dict, ...]


def gold_groups(gold: dict) -> tuple[list[_GoldGroup], bool]:
    """The gold's groups, and whether it was one flat list for the whole page."""
    if "groups" in gold:
        return [
            _GoldGroup(g.get("body") or g.get("name") or "", g.get("chair"), tuple(g.get("members", ())))
            for g in gold["groups"]
        ], False
    return [_GoldGroup(gold.get("body") or "", gold.get("chair"), tuple(gold.get("members", ())))], True


def score(ex: Extraction, gold: dict) -> Score:
    result = Score()
    groups, flat = gold_groups(gold)
    if flat:
        pairs = [(groups[0], _pooled(ex.groups))]
        used: set[int] = {id(g) for g in ex.groups}
    else:
        pairs, used = _match_groups(groups, ex.groups)
    for gold_group, group in pairs:
        _score_group(result, gold_group, group)
    for group in ex.groups:
        if id(group) not in used:
            for member in group.members:
                result.fp += 1
                result.problems.append(f"extra member {member.name!r} in unmatched group {group.name!r}")
            if group.chair and not group.members:
                result.fields_total += 1
                result.problems.append(f"extra group {group.name!r} chaired by {group.chair!r}")
    _score_mandate(result, [clean(b) for b in gold.get("mandate", ())], list(ex.mandate))
    return result


def _pooled(groups: tuple[Group, ...]) -> Group:
    members, seen = [], set()
    for group in groups:
        for member in group.members:
            if _norm(member.name) not in seen:
                seen.add(_norm(member.name))
                members.append(member)
    with_members = [g.chair for g in groups if g.members and g.chair]
    chairs = with_members or [g.chair for g in groups if g.chair]
    return Group("(all groups)", chairs[0] if chairs else None, tuple(members))


def _match_groups(gold: list[_GoldGroup], groups: tuple[Group, ...]):
    """Pair gold groups with extracted ones: by name first, then by shared members."""
    pairs, used = [], set()
    for g in gold:
        best, best_score = None, 0.0
        for group in groups:
            if id(group) in used:
                continue
            by_name = fuzz.token_sort_ratio(g.name.casefold(), group.name.casefold())
            shared = {_norm(m["name"]) for m in g.members} & {_norm(m.name) for m in group.members}
            value = by_name if by_name >= 80 else (50 + len(shared) if shared else 0)
            if value > best_score:
                best, best_score = group, value
        if best is not None:
            used.add(id(best))
        pairs.append((g, best))
    return pairs, used


def _score_group(result: Score, gold: _GoldGroup, group: Group | None) -> None:
    found = {_norm(m.name): m for m in group.members} if group else {}
    wanted = {_norm(m["name"]): m for m in gold.members}
    label = gold.name or "(page)"
    for name, want in wanted.items():
        got = found.get(name)
        if got is None:
            result.fn += 1
            result.problems.append(f"missing member {name!r} in {label!r}")
            continue
        result.tp += 1
        checks = list(MEMBER_FIELDS) + [f for f in OPTIONAL_FIELDS if f in want]
        for key in checks:
            result.fields_total += 1
            if _norm(getattr(got, key)) == _norm(want.get(key)):
                result.fields_ok += 1
            else:
                result.problems.append(
                    f"{key} of {name!r} in {label!r}: got {getattr(got, key)!r}, want {want.get(key)!r}"
                )
    for name in sorted(found.keys() - wanted.keys()):
        result.fp += 1
        result.problems.append(f"extra member {name!r} in {label!r}")
    result.fields_total += 1
    chair = group.chair if group else None
    if _norm(chair) == _norm(gold.chair):
        result.fields_ok += 1
    else:
        result.problems.append(f"chair of {label!r}: got {chair!r}, want {gold.chair!r}")


def _score_mandate(result: Score, want: list[str], got: list[str]) -> None:
    result.mandate_total += max(len(want), len(got))
    for n in range(max(len(want), len(got))):
        w = want[n] if n < len(want) else None
        g = got[n] if n < len(got) else None
        if w == g:
            result.mandate_ok += 1
        else:
            result.problems.append(f"mandate bullet {n + 1}: got {g!r}, want {w!r}")


def fixtures_for(stem: str, pages: Path) -> list[Path]:
    return sorted(pages.glob(f"{stem}.html")) + sorted(pages.glob(f"{stem}.*.html"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="eval-extraction", description="Score extraction on HTML fixtures against gold JSON."
    )
    parser.add_argument("gold_dir", nargs="?", type=Path, default=DEFAULT_GOLD,
                        help=f"directory of gold JSON (default: {DEFAULT_GOLD})")
    parser.add_argument("--pages", type=Path, default=DEFAULT_PAGES,
                        help="directory of HTML fixtures <stem>.<variant>.html (default: tests/fixtures/pages)")
    args = parser.parse_args(argv)
    gold_files = sorted(args.gold_dir.glob("*.json"))
    if not gold_files:
        print(f"eval-extraction: no gold JSON in {args.gold_dir}")
        return 2
    total, pages, fixtures = Score(), 0, 0
    for gold_path in gold_files:
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        paths = fixtures_for(gold_path.stem, args.pages)
        if not paths:
            print(f"{gold_path.stem}: no HTML fixture in {args.pages}")
            continue
        page = Score()
        for path in paths:
            ex = extract(path.read_text(encoding="utf-8"), gold_path.stem, url=gold.get("url"))
            result = score(ex, gold)
            print(f"  {path.name:55} {result.line()}")
            for problem in result.problems:
                print(f"      {problem}")
            page.add(result)
            fixtures += 1
        print(f"{gold_path.stem:57} {page.line()}")
        total.add(page)
        pages += 1
    if not pages:
        print(f"eval-extraction: no fixture in {args.pages} matches a gold page")
        return 2
    print(f"total: {total.line()} fixtures={fixtures}")
    print(f"members F1={total.f1:.3f} fields={total.fields:.3f} mandate={total.mandate:.3f} pages={pages}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
