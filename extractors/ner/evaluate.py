"""Score the shipped NER model: NorNE exact-span P/R/F, speed, size, and gold member-name recall.

Called by `rosterwatch ner-eval`; also `python -m extractors.ner.evaluate [--norne DIR] [--pages DIR]`.
Gold tokenisation is kept for NorNE (as in spaCy's own benchmarks), so scores are exact-span
over the corpus tokens; speed is measured on raw text, tokeniser included, on one process.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

from . import MODEL_DIR, register, tag
from .data import LABELS, REPO_ROOT, VARIANTS, default_norne_dir, iob_spans, read_variant, to_doc

# Published NorNE Bokmål test figures of spaCy's own pipelines (overall F, PER F).
PUBLISHED = {"nb_core_news_sm": (0.748, 0.814), "nb_core_news_md": (0.816, 0.898), "nb_core_news_lg": (0.839, 0.922)}
SPLITS = (("nob", "dev"), ("nob", "test"), ("nno", "test"))
SPEED_PASSES = 5


def predict(nlp, refs) -> list:
    """The model's Docs over the gold tokens of `refs` (no tokeniser mismatch in the scores)."""
    from spacy.tokens import Doc

    return list(nlp.pipe(Doc(nlp.vocab, words=[t.text for t in d], spaces=[bool(t.whitespace_) for t in d]) for d in refs))


def score(nlp, refs, preds) -> dict:
    """Exact-span P/R/F per label and overall, by spaCy's Scorer."""
    from spacy.scorer import Scorer
    from spacy.training import Example

    return Scorer(nlp).score([Example(p, r) for p, r in zip(preds, refs)])


def seen_unseen_recall(refs, preds, seen: set[str]) -> tuple[float, float, float]:
    """Recall of entities whose text occurs in the train split and of the others, and the share seen.

    A model without pretrained vectors knows the names it was trained on; this says how much
    of a split's score rests on them (NorNE's test split has far fewer than its dev split).
    """
    hits = {True: 0, False: 0}
    counts = {True: 0, False: 0}
    for ref, pred in zip(refs, preds):
        found = {(e.start, e.end, e.label_) for e in pred.ents}
        for e in ref.ents:
            known = e.text in seen
            counts[known] += 1
            hits[known] += (e.start, e.end, e.label_) in found
    total = max(counts[True] + counts[False], 1)
    return hits[True] / max(counts[True], 1), hits[False] / max(counts[False], 1), counts[True] / total


def entity_texts(sentences) -> set[str]:
    """Texts of every entity in `sentences` (the train splits: what the model has seen)."""
    return {" ".join(s.words[a:b]) for s in sentences for a, b, _ in iob_spans(s.tags)}


def words_per_second(nlp, texts: list[str], n_words: int, passes: int = SPEED_PASSES) -> float:
    """Throughput of nlp.pipe on raw text in this one process: the fastest of `passes` passes.

    One pass varies by a third from run to run on a shared machine; the fastest is the
    figure that repeats.
    """
    list(nlp.pipe(texts[:200]))
    best = float("inf")
    for _ in range(passes):
        start = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=256):
            pass
        best = min(best, time.perf_counter() - start)
    return n_words / best


def model_size_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def page_text(path: Path) -> str:
    """The reader-visible text of a saved page, without its URL/CUT header."""
    text = path.read_text(encoding="utf-8")
    head, sep, body = text.partition("\n---\n")
    return body if sep else text


def gold_names(gold: dict) -> list[str]:
    """Member names of a gold file: top-level `members` and every `groups[].members`."""
    members = list(gold.get("members") or [])
    for group in gold.get("groups") or []:
        members += group.get("members") or []
    return [m["name"] for m in members if m.get("name")]


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def member_recall(nlp, pages: Path) -> tuple[int, int, list[str]]:
    """(found, total, missed) gold member names tagged exactly as PER, the way extraction tags them."""
    found, total, missed = 0, 0, []
    for gold_path in sorted((pages / "gold").glob("*.json")):
        names = gold_names(json.loads(gold_path.read_text(encoding="utf-8")))
        text_path = pages / f"{gold_path.stem}.txt"
        if not names or not text_path.exists():
            continue
        pers = {_norm(t) for _, _, label, t in tag(nlp, page_text(text_path)) if label == "PER"}
        for name in names:
            total += 1
            if _norm(name) in pers:
                found += 1
            else:
                missed.append(f"{gold_path.stem}: {name}")
    return found, total, missed


def _cell(result: dict, label: str) -> str:
    """'P R F' of one label (or ALL) in one split, '-' where the split has no such entity."""
    if label == "ALL":
        prf = (result["ents_p"], result["ents_r"], result["ents_f"])
    elif label in (result["ents_per_type"] or {}):
        prf = tuple(result["ents_per_type"][label][k] for k in "prf")
    else:
        return f"{'-':>5} {'-':>5} {'-':>5}"
    return " ".join(f"{x:.3f}" for x in prf)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options, shared by ``rosterwatch ner-eval`` and ``python -m extractors.ner.evaluate``."""
    parser.add_argument("--norne", type=Path, default=default_norne_dir(), metavar="DIR",
                        help=f"the NorNE corpus (default: $ROSTERWATCH_NORNE, else {default_norne_dir()})")
    parser.add_argument("--pages", type=Path, default=REPO_ROOT.parent / "shared" / "pages", metavar="DIR",
                        help="page texts with gold/ whose member names should be tagged PER (default: ../shared/pages)")
    parser.add_argument("--model", type=Path, default=MODEL_DIR, metavar="DIR",
                        help="the spaCy pipeline to score (default: the shipped extractors/ner/model)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="NorNE scores, speed, size and member-name recall of the NER model")
    add_arguments(ap)
    return run(ap.parse_args(argv))


def run(args: argparse.Namespace) -> int:
    if not args.norne.is_dir():
        print(f"ner-eval: --norne {args.norne}: no such directory; give the NorNE corpus (github.com/ltgoslo/norne)",
              file=sys.stderr)
        return 2
    if not (args.model / "meta.json").is_file():
        print(f"ner-eval: --model {args.model}: no spaCy pipeline there (no meta.json)", file=sys.stderr)
        return 2
    import spacy

    register()
    nlp = spacy.load(args.model)
    corpus = {variant: read_variant(args.norne, variant, quiet=True) for variant in VARIANTS}
    results, refs_by_split, preds_by_split = {}, {}, {}
    for key in SPLITS:
        variant, split = key
        refs = refs_by_split[key] = [to_doc(s, nlp.vocab) for s in corpus[variant][split]]
        preds = preds_by_split[key] = predict(nlp, refs)
        results[key] = score(nlp, refs, preds)

    print(f"{'P R F':<10}" + "".join(f"{v}-{s:<19}" for v, s in SPLITS))
    for label in ("ALL",) + LABELS:
        print(f"{label:<10}" + "".join(f"{_cell(results[key], label):<24}" for key in SPLITS))

    seen = entity_texts([s for variant in VARIANTS for s in corpus[variant]["train"]])
    print("\nrecall of entities seen in train / unseen (share seen):")
    for key in SPLITS:
        known, unknown, share = seen_unseen_recall(refs_by_split[key], preds_by_split[key], seen)
        print(f"  {key[0]}-{key[1]:<6} {known:.3f} / {unknown:.3f}  ({share:.0%} seen)")

    test = refs_by_split[("nob", "test")]
    texts = [d.text for d in test]
    n_words = sum(len(d) for d in test)
    wps = words_per_second(nlp, texts, n_words)
    size = model_size_mb(args.model)
    nob = results[("nob", "test")]
    per_type = nob["ents_per_type"] or {}
    print(f"\nspeed: {wps:,.0f} words/s (nlp.pipe, one process, fastest of {SPEED_PASSES} passes over {n_words} words of nob-test)   size: {size:.1f} MB")
    print("published on NorNE Bokmål test (overall F / PER F):")
    for name, (f, per) in PUBLISHED.items():
        print(f"  {name:<16} {f:.3f} / {per:.3f}")
    print(f"  {'this model':<16} {nob['ents_f']:.3f} / {per_type.get('PER', {}).get('f', 0):.3f}")

    if args.pages.is_dir():
        found, total, missed = member_recall(nlp, args.pages)
        print(f"\ngold member names tagged as PER: {found}/{total} = {found / max(total, 1):.3f}")
        for m in missed:
            print(f"  missed  {m}")

    print(
        f"nob-test F={nob['ents_f']:.3f} PER={per_type.get('PER', {}).get('f', 0):.3f} "
        f"ORG={per_type.get('ORG', {}).get('f', 0):.3f} words/s={wps:.0f} size={size:.0f}MB"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
