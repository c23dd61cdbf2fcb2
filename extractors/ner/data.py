"""Convert NorNE (CoNLL with `name=` tags) into spaCy DocBin files.

The UD train files are not shipped with the corpus, so the train split is rebuilt: every
treebank (ndt) sentence whose token sequence is in neither UD dev nor UD test of the same
variant. The corpus is read in place and the DocBins go to an ignored build folder.

    python -m extractors.ner.data [--norne DIR] [--out build/ner]
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from pathlib import Path

LABELS = ("PER", "ORG", "LOC", "GPE_LOC", "GPE_ORG", "PROD", "EVT", "DRV")  # MISC dropped
VARIANTS = {"nob": "no_bokmaal", "nno": "no_nynorsk"}
REPO_ROOT = Path(__file__).resolve().parents[2]
# Tokens that attach to the previous one when the treebank gives no spacing.
NO_SPACE_BEFORE = set(".,:;!?)]}»%")
NO_SPACE_AFTER = set("([{«")


@dataclass(frozen=True)
class Sentence:
    words: tuple[str, ...]
    tags: tuple[str, ...]  # IOB2 over LABELS, MISC already turned into O
    spaces: tuple[bool, ...]
    pos: tuple[str, ...] = ()  # word class, "+prop" for proper nouns: an auxiliary training task


def default_norne_dir() -> Path:
    """The corpus lives beside the repository, never inside it."""
    return Path(os.environ.get("ROSTERWATCH_NORNE") or REPO_ROOT.parent / "shared" / "data" / "norne")


def _name_tag(misc: str) -> tuple[str, bool]:
    """Entity tag and SpaceAfter flag from the misc column (`SpaceAfter=No|name=B-PER`)."""
    tag, space = "O", True
    for part in misc.split("|"):
        if part.startswith("name="):
            tag = part[5:]
        elif part == "SpaceAfter=No":
            space = False
    if tag != "O" and tag[2:] not in LABELS:
        tag = "O"
    return tag, space


def _guess_spaces(words: list[str]) -> list[bool]:
    """Treebank files have no SpaceAfter: rebuild plausible spacing around punctuation."""
    spaces = [True] * len(words)
    for i, w in enumerate(words):
        if w in NO_SPACE_AFTER:
            spaces[i] = False
        if i and w in NO_SPACE_BEFORE:
            spaces[i - 1] = False
    if spaces:
        spaces[-1] = False
    return spaces


def parse_conll(text: str) -> list[Sentence]:
    """Sentences of a CoNLL(-U) text; multiword ranges and empty nodes are skipped."""
    sentences, rows = [], []
    for line in text.splitlines() + [""]:
        if not line.strip():
            if rows:
                sentences.append(_sentence(rows))
                rows = []
        elif not line.startswith("#"):
            cols = line.split("\t")
            if cols[0].isdigit():
                rows.append(cols)
    return sentences


def _sentence(rows: list[list[str]]) -> Sentence:
    # NDT ends headlines with a "|" token that UD dropped; without it the splits match.
    while len(rows) > 1 and rows[-1][1] == "|":
        rows = rows[:-1]
    words = [r[1] for r in rows]
    tagged = [_name_tag(r[9] if len(r) > 9 else "_") for r in rows]
    tags = [t for t, _ in tagged]
    # A trailing-space flag is only present in CoNLL-U; fall back to punctuation rules.
    has_space_info = any("SpaceAfter" in (r[9] if len(r) > 9 else "") for r in rows)
    spaces = [s for _, s in tagged] if has_space_info else _guess_spaces(words)
    if has_space_info:
        spaces[-1] = False
    pos = [r[3] + ("+prop" if "prop" in r[5].split("|") else "") for r in rows]
    return Sentence(tuple(words), tuple(tags), tuple(spaces), tuple(pos))


def iob_spans(tags: list[str] | tuple[str, ...]) -> list[tuple[int, int, str]]:
    """Token spans (start, end, label) from IOB2 tags; a stray I- starts a new span."""
    spans, start, label = [], None, None
    for i, tag in enumerate(list(tags) + ["O"]):
        prefix, _, lab = tag.partition("-")
        if start is not None and (prefix != "I" or lab != label):
            spans.append((start, i, label))
            start = None
        if prefix == "B" or (prefix == "I" and start is None):
            start, label = i, lab
    return spans


def split_train(ndt: list[Sentence], held_out: list[list[Sentence]]) -> tuple[list[Sentence], dict]:
    """Treebank sentences whose words are in no held-out split, plus counts that explain it."""
    held = {s.words for split in held_out for s in split}
    ndt_words = {s.words for s in ndt}
    train = [s for s in ndt if s.words not in held]
    stats = {
        "ndt": len(ndt),
        "held_out": sum(len(split) for split in held_out),
        "held_out_not_in_ndt": len(held - ndt_words),
        "train": len(train),
        "train_duplicates": len(train) - len({s.words for s in train}),
        "ndt_removed": len(ndt) - len(train),
    }
    # UD removed one treebank copy per held-out sentence; we drop every copy (no leakage).
    found = sum(1 for split in held_out for s in split if s.words in ndt_words)
    stats["ud_style_train"] = len(ndt) - found
    return train, stats


def read_variant(norne: Path, variant: str, quiet: bool = False) -> dict[str, list[Sentence]]:
    """The train/dev/test splits of one variant ("nob" or "nno")."""
    ud = norne / "ud" / variant
    dev = parse_conll((ud / f"{VARIANTS[variant]}-ud-dev.conllu").read_text(encoding="utf-8"))
    test = parse_conll((ud / f"{VARIANTS[variant]}-ud-test.conllu").read_text(encoding="utf-8"))
    ndt = [s for f in sorted((norne / "ndt" / variant).glob("*.conll")) for s in parse_conll(f.read_text(encoding="utf-8"))]
    train, stats = split_train(ndt, [dev, test])
    if not quiet:
        print(f"{variant}: " + " ".join(f"{k}={v}" for k, v in stats.items()) + f" dev={len(dev)} test={len(test)}")
    return {"train": train, "dev": dev, "test": test}


def to_doc(s: Sentence, vocab):
    """A Doc of the sentence's words with its entities."""
    from spacy.tokens import Doc, Span

    doc = Doc(vocab, words=list(s.words), spaces=list(s.spaces), tags=list(s.pos) or None)
    doc.ents = [Span(doc, a, b, label=lab) for a, b, lab in iob_spans(s.tags)]
    return doc


def to_docbin(sentences: list[Sentence], vocab):
    """A DocBin with one Doc per sentence and its entities."""
    from spacy.tokens import DocBin

    db = DocBin(store_user_data=False)
    for s in sentences:
        db.add(to_doc(s, vocab))
    return db


def convert(norne: Path, out: Path) -> None:
    """Write {nob,nno}-{train,dev,test}.spacy and the joint train set to `out`.

    `train.spacy` is both variants' train splits, a copy of every sentence that names a
    person with new names (augment.py), and the Nynorsk dev split: only Bokmål dev is used
    for tuning, so Nynorsk dev is 1,890 more labelled sentences (Nynorsk is scored on test).
    """
    import spacy

    from .augment import augment

    vocab = spacy.blank("nb").vocab
    out.mkdir(parents=True, exist_ok=True)
    joint, extra = [], []
    for variant in VARIANTS:
        splits = read_variant(norne, variant)
        joint += splits["train"]
        extra += splits["dev"] if variant == "nno" else []
        for name, sents in splits.items():
            to_docbin(sents, vocab).to_disk(out / f"{variant}-{name}.spacy")
    renamed = augment(joint, seed=0)
    to_docbin(joint + renamed + extra, vocab).to_disk(out / "train.spacy")
    print(f"joint train={len(joint)} + {len(renamed)} with new person names + {len(extra)} Nynorsk dev -> {out}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--norne", type=Path, default=default_norne_dir())
    ap.add_argument("--out", type=Path, default=REPO_ROOT / "build" / "ner")
    args = ap.parse_args(argv)
    convert(args.norne, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
