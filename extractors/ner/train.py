"""Train the NorNE NER pipeline from scratch on CPU and ship it to `extractors/ner/model/`.

    python -m extractors.ner.train [--norne DIR] [--build build/ner] [--out extractors/ner/model]

Converts the corpus (see data.py: both variants' train splits, copies of the sentences that
name people with new names, and Nynorsk dev), trains with config.cfg and the gazetteer
feature (model selection on Bokmål dev only), then copies the best pipeline into the package.
"""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

from . import MODEL_DIR, register
from .data import REPO_ROOT, convert, default_norne_dir

CONFIG = Path(__file__).resolve().parent / "config.cfg"


def package(trained: Path, out: Path) -> None:
    """Write the shipped model with our meta."""
    import spacy

    register()
    nlp = spacy.load(trained)
    nlp.meta.update(
        name="rosterwatch_norne",
        description="Norwegian (Bokmål+Nynorsk) NER trained from scratch on NorNE: PER ORG LOC GPE_LOC GPE_ORG PROD EVT DRV",
        sources=[
            {"name": "NorNE", "url": "https://github.com/ltgoslo/norne", "license": "CC0 (annotations)"},
            {"name": "gazetteer lists", "url": "extractors/ner/gazetteer/SOURCES.md", "license": "see SOURCES.md"},
        ],
    )
    if out.exists():
        shutil.rmtree(out)
    nlp.to_disk(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--norne", type=Path, default=default_norne_dir())
    ap.add_argument("--build", type=Path, default=REPO_ROOT / "build" / "ner")
    ap.add_argument("--out", type=Path, default=MODEL_DIR)
    args = ap.parse_args(argv)

    from spacy.cli.train import train

    register()
    start = time.monotonic()
    convert(args.norne, args.build)
    overrides = {"paths.train": str(args.build / "train.spacy"), "paths.dev": str(args.build / "nob-dev.spacy")}
    train(CONFIG, args.build / "training", overrides=overrides)
    package(args.build / "training" / "model-best", args.out)
    print(f"shipped {args.out} after {(time.monotonic() - start) / 60:.1f} min")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
