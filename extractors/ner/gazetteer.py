"""Word lists the NER model reads beside each word's own form.

A model trained from scratch on NorNE's 30k sentences knows the names it was trained on and
guesses at the rest: on Bokmål dev it calls unseen places and organisations people ("Chiles",
"Dublin", "Tafjordfjella" tagged PER). Four facts from outside the corpus help with that:
is the word a known first name, a known surname, a known place (country, city, Norwegian
municipality or county), and how common is its lowercase form in Norwegian text. They go into
the tok2vec as one more embedded feature column (`rosterwatch.GazetteerHashEmbed.v1`), so
the statistical model learns how far to trust them.

The lists are committed in `gazetteer/` (see its SOURCES.md) and rebuilt by `make gazetteer`
(`build_gazetteer.py`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

GAZETTEER_DIR = Path(__file__).resolve().parent / "gazetteer"
FIRST, LAST, PLACE = 1, 2, 4
LISTS = {"first.txt": FIRST, "last.txt": LAST, "place.txt": PLACE}
COMMON = "common.tsv"  # lowercase word <TAB> 1..3 (Zipf frequency >= 3, 4, 5)
N_VALUES = 32  # FIRST|LAST|PLACE in bits 0-2, the common-word bucket in bits 3-4


@dataclass(frozen=True)
class Gazetteer:
    """Exact word -> FIRST|LAST|PLACE bits, and lowercase word -> common-word bucket."""

    classes: dict[str, int]
    common: dict[str, int]
    by_orth: dict[int, int] = field(default_factory=dict)  # feature() by spaCy ORTH hash, filled as seen

    def feature(self, word: str) -> int:
        """The word's list bits and common-word bucket as one small integer (0 = nothing known)."""
        bits = self.classes.get(word, 0)
        if not bits and len(word) > 3 and word[-1] == "s":  # genitive: "Chiles", "Dublins"
            bits = self.classes.get(word[:-1], 0)
        return bits | self.common.get(word.lower(), 0) << 3


@lru_cache(maxsize=1)
def load(directory: Path = GAZETTEER_DIR) -> Gazetteer:
    classes: dict[str, int] = {}
    for name, bit in LISTS.items():
        for word in (directory / name).read_text(encoding="utf-8").split("\n"):
            if word:
                classes[word] = classes.get(word, 0) | bit
    common = {}
    for line in (directory / COMMON).read_text(encoding="utf-8").split("\n"):
        if line:
            word, bucket = line.split("\t")
            common[word] = int(bucket)
    return Gazetteer(classes, common)


def lists_digest(directory: Path = GAZETTEER_DIR) -> str:
    """A hash of the lists: the model's behaviour depends on them as much as on its weights."""
    h = hashlib.sha256()
    for name in sorted([*LISTS, COMMON]):
        h.update((directory / name).read_bytes())
    return h.hexdigest()


def _feature_forward(model, docs, is_train: bool):
    """spaCy's FeatureExtractor columns plus the gazetteer column (dropped at random in training).

    Looked up by the word's ORTH hash, cached across calls and models (the hash is the same in
    every vocab): making Token objects cost a quarter of the pipeline's speed. The cache is
    not a model attribute, or it would be saved with the model.
    """
    import numpy
    from spacy.attrs import ORTH

    gazetteer = load()
    cache = gazetteer.by_orth
    columns, dropout = model.attrs["columns"], model.attrs["dropout"]
    out = []
    for doc in docs:
        attrs = doc.to_array([ORTH, *columns]).reshape((len(doc), -1)).astype("uint64")
        strings = doc.vocab.strings
        values = []
        for orth in attrs[:, 0].tolist():
            value = cache.get(orth)
            if value is None:
                value = cache[orth] = gazetteer.feature(strings[orth])
            values.append(value)
        attrs[:, 0] = values
        if is_train and dropout:
            attrs[numpy.random.random(len(doc)) < dropout, 0] = 0
        out.append(model.ops.asarray2i(numpy.roll(attrs, -1, axis=1), dtype="uint64"))
    return out, lambda d_features: []


@lru_cache(maxsize=1)
def register() -> None:
    """Make the architecture known to spaCy (before loading or training a model that uses it)."""
    from spacy.util import registry

    @registry.architectures("rosterwatch.GazetteerHashEmbed.v1")
    def gazetteer_hash_embed(width: int, attrs: list[str], rows: list[int], gazetteer_dropout: float):
        """spaCy's MultiHashEmbed (no static vectors) with the gazetteer feature as one more column."""
        from spacy.attrs import intify_attr
        from thinc.api import Embed, HashEmbed, Maxout, Model, chain, concatenate, list2ragged, ragged2list, with_array

        features = Model(
            "gazetteer_features",
            _feature_forward,
            attrs={"columns": [intify_attr(a) for a in attrs], "dropout": gazetteer_dropout},
        )
        embeddings = [HashEmbed(width, n, column=i, seed=8 + i, dropout=0.0) for i, n in enumerate(rows)]
        embeddings.append(Embed(width, N_VALUES, column=len(rows), dropout=0.0))
        return chain(
            features,
            list2ragged(),
            with_array(concatenate(*embeddings)),
            with_array(Maxout(width, width * len(embeddings), nP=3, dropout=0.0, normalize=True)),
            ragged2list(),
        )
