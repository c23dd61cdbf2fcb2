"""Norwegian named-entity recognition: a spaCy pipeline trained on NorNE, shipped in `model/`.

The model is loaded from the package directory (offline), lazily on first use and once per
process. `MODEL_VERSION` changes whenever the shipped model changes, so extractions made
with another model get another extractor_version.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

MODEL_DIR = Path(__file__).resolve().parent / "model"


def _model_version() -> str:
    """A short id of the shipped model: the hash of its meta.json (holds config, scores, labels)."""
    meta = MODEL_DIR / "meta.json"
    if not meta.exists():
        return "norne-missing"
    return "norne-2026.11-" + hashlib.sha256(meta.read_bytes()).hexdigest()[:10]


MODEL_VERSION: str = _model_version()


@lru_cache(maxsize=1)
def load_model():
    """The shipped pipeline; spaCy is imported here so importing this module stays cheap."""
    import spacy

    return spacy.load(MODEL_DIR)


def entities(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, label, text) of every entity, character offsets into `text`."""
    doc = load_model()(text)
    return [(e.start_char, e.end_char, e.label_, e.text) for e in doc.ents]


def person_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of the PER entities in `text`."""
    return [(a, b, t) for a, b, label, t in entities(text) if label == "PER"]
