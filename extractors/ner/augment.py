"""Name replacement: extra training sentences about people the model has never seen.

Most entities in NorNE's test split never occur in its train split (61 %, against 45 % in
dev), and a model trained from scratch learns names by heart: on Bokmål dev it labels 92 %
of seen entities right but only 65 % of unseen ones. Each augmented copy keeps a sentence's
context and gives its people new names composed from Faker's name lists (Norwegian, Nordic
and other European locales, the way member lists mix them), so "person" has to come from
context and word shape. Only people: swapping the other labels' mentions among themselves
and adding Faker's made-up places and companies was tried and lowered dev F (78.8 against
80.4), while unseen-person recall on dev rose from 0.80 to 0.85.
"""

from __future__ import annotations

import random

from .data import Sentence, iob_spans

# Locales whose names appear in Norwegian news and member lists; Norwegian weighs most.
PERSON_LOCALES = ("no_NO",) * 4 + ("sv_SE", "da_DK", "fi_FI", "de_DE", "en_GB", "nl_NL", "pl_PL", "fr_FR")


class NameMaker:
    """Synthetic mentions from Faker, seeded so the augmented corpus is reproducible."""

    def __init__(self, seed: int):
        from faker import Faker

        self.rng = random.Random(seed)
        self.fakers = {loc: Faker(loc) for loc in sorted(set(PERSON_LOCALES))}
        for i, fake in enumerate(self.fakers.values()):
            fake.seed_instance(seed + i)

    def person(self, n_tokens: int) -> tuple[str, ...]:
        """A name as long as the one it replaces: a surname or first name alone, or a full name."""
        fake = self.fakers[self.rng.choice(PERSON_LOCALES)]
        if n_tokens == 1:
            return tuple((fake.last_name() if self.rng.random() < 0.6 else fake.first_name()).split()[:1])
        words = f"{fake.first_name()} {fake.last_name()}".split()
        if n_tokens >= 3 and self.rng.random() < 0.5:
            words.insert(1, fake.first_name().split()[0])
        return tuple(words)


def replace_people(s: Sentence, names: NameMaker) -> Sentence | None:
    """The sentence with each PER mention replaced by a new name, or None when it has none."""
    spans = [(a, b) for a, b, label in iob_spans(s.tags) if label == "PER"]
    if not spans:
        return None
    words: list[str] = []
    tags: list[str] = []
    spaces: list[bool] = []
    pos: list[str] = []
    cursor = 0
    for a, b in spans:
        words += s.words[cursor:a]
        tags += s.tags[cursor:a]
        spaces += s.spaces[cursor:a]
        pos += s.pos[cursor:a]
        new = names.person(b - a)
        words += new
        tags += ["B-PER"] + ["I-PER"] * (len(new) - 1)
        spaces += [True] * (len(new) - 1) + [s.spaces[b - 1]]
        pos += ["PROPN+prop"] * len(new)
        cursor = b
    words += s.words[cursor:]
    tags += s.tags[cursor:]
    spaces += s.spaces[cursor:]
    pos += s.pos[cursor:]
    return Sentence(tuple(words), tuple(tags), tuple(spaces), tuple(pos) if s.pos else ())


def augment(sentences: list[Sentence], seed: int = 0, copies: int = 1) -> list[Sentence]:
    """`copies` new-name versions of every sentence that names a person (originals not included)."""
    names = NameMaker(seed)
    out = []
    for _ in range(copies):
        for s in sentences:
            new = replace_people(s, names)
            if new is not None:
                out.append(new)
    return out
