"""Name replacement keeps each sentence's context and labels but gives its people new names."""

from extractors.ner.augment import NameMaker, augment, replace_people
from extractors.ner.data import Sentence, iob_spans


def _sentence(text: str) -> Sentence:
    words, tags = [], []
    for item in text.split():
        word, _, tag = item.partition("/")
        words.append(word)
        tags.append(tag or "O")
    return Sentence(tuple(words), tuple(tags), tuple([True] * (len(words) - 1) + [False]))


CORPUS = [
    _sentence("Kari/B-PER Nordmann/I-PER leder/O Helsedirektoratet/B-ORG i/O Oslo/B-GPE_LOC ./O"),
    _sentence("Statsråden/O møtte/O Olsen/B-PER fra/O NRK/B-ORG på/O Tynset/B-GPE_LOC ./O"),
    _sentence("NRK/B-ORG sender/O fra/O Oslo/B-GPE_LOC ./O"),
]


def _mentions(s: Sentence) -> list[tuple[str, str]]:
    return [(" ".join(s.words[a:b]), label) for a, b, label in iob_spans(s.tags)]


def test_people_are_renamed_and_everything_else_kept():
    names = NameMaker(1)
    for original in CORPUS[:2]:
        new = replace_people(original, names)
        assert [w for w, t in zip(new.words, new.tags) if t == "O"] == [w for w, t in zip(original.words, original.tags) if t == "O"]
        assert [m for m in _mentions(new) if m[1] != "PER"] == [m for m in _mentions(original) if m[1] != "PER"]
        assert [lab for _, lab in _mentions(new)] == [lab for _, lab in _mentions(original)]
        assert len(new.words) == len(new.tags) == len(new.spaces) and new.spaces[-1] is False


def test_people_get_names_the_corpus_does_not_have():
    seen = {w for s in CORPUS for w in s.words}
    people = {name for s in augment(CORPUS, seed=3, copies=20) for name, lab in _mentions(s) if lab == "PER"}
    new = [name for name in people if not set(name.split()) & seen]
    assert len(people) > 10 and len(new) >= 0.8 * len(people)


def test_augmentation_is_reproducible_and_skips_sentences_without_people():
    first = augment(CORPUS, seed=7)
    assert first == augment(CORPUS, seed=7)
    assert len(first) == 2
