"""Norwegian named-entity recognition: a spaCy pipeline trained on NorNE, shipped in `model/`.

The model is loaded from the package directory (offline), lazily on first use and once per
process, under a lock: sources tracked side by side ask for it from several threads at once,
and each would otherwise load its own copy (about 1 s and 40 MB each). `MODEL_VERSION` changes whenever the shipped model changes, so extractions made
with another model get another extractor_version.
"""

from __future__ import annotations

import hashlib
import re
import threading
from pathlib import Path

from .gazetteer import lists_digest, register

MODEL_DIR = Path(__file__).resolve().parent / "model"


def _model_version() -> str:
    """A short id of the shipped model: the hash of its meta.json (config, scores, labels) and gazetteer lists."""
    meta = MODEL_DIR / "meta.json"
    if not meta.exists():
        return "norne-missing"
    digest = hashlib.sha256(meta.read_bytes() + lists_digest().encode()).hexdigest()
    return "norne-2026.11-" + digest[:10]


MODEL_VERSION: str = _model_version()


_loaded = None
_loading = threading.Lock()


def load_model():
    """The shipped pipeline, loaded once per process; spaCy is imported here so importing this module stays cheap."""
    global _loaded
    if _loaded is None:
        with _loading:
            if _loaded is None:
                import spacy

                register()
                _loaded = spacy.load(MODEL_DIR)
    return _loaded


# Bullets and no-break spaces never occur in NorNE; the model glues them onto names.
_MASK = str.maketrans({c: " " for c in "\u2022\u00b7\u25aa\u25e6\u25cf\u00a0"})
_NAME_WORD = r"(?:[A-ZÆØÅ]\.|[A-ZÆØÅ][\w'’]*(?:-[A-ZÆØÅ][\w'’]*)*)"  # an initial, or a capitalised word
# "Abelia v/Stephen McAdam": what follows "v/" (ved, care of) in a member line is a person.
_V_PERSON = re.compile(rf"\bv/ ?({_NAME_WORD}(?: {_NAME_WORD})*)")


def tag(nlp, text: str) -> list[tuple[int, int, str, str]]:
    """Entities of `text` by `nlp`, line by line (the model was trained on single sentences)."""
    lines = [(m.start(), m.group()) for m in re.finditer(r"[^\n]+", text)]
    found = []
    for (offset, _), doc in zip(lines, nlp.pipe(line.translate(_MASK) for _, line in lines)):
        found += [(offset + e.start_char, offset + e.end_char, e.label_) for e in doc.ents]
    rule = [(m.start(1), m.end(1), "PER") for m in _V_PERSON.finditer(text.translate(_MASK))]
    kept = [e for e in found if not any(e[0] < b and a < e[1] for a, b, _ in rule)]
    return [(a, b, label, text[a:b]) for a, b, label in sorted(kept + rule)]


def entities(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, label, text) of every entity, character offsets into `text`."""
    return tag(load_model(), text)


def entities_of_each(texts: list[str]) -> list[list[tuple[int, int, str, str]]]:
    """``entities`` of many short single-line texts in one ``nlp.pipe`` batch (the model runs
    once over all of them instead of once per text)."""
    nlp = load_model()
    out = []
    for text, doc in zip(texts, nlp.pipe(t.translate(_MASK) for t in texts)):
        found = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        rule = [(m.start(1), m.end(1), "PER") for m in _V_PERSON.finditer(text.translate(_MASK))]
        kept = [e for e in found if not any(e[0] < b and a < e[1] for a, b, _ in rule)]
        out.append([(a, b, label, text[a:b]) for a, b, label in sorted(kept + rule)])
    return out


def person_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of the PER entities in `text`."""
    return [(a, b, t) for a, b, label, t in entities(text) if label == "PER"]
