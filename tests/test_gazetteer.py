"""The gazetteer feature the NER model reads: what it marks, how it enters the tok2vec, and its versioning."""

from __future__ import annotations

import shutil

from extractors.ner import gazetteer
from extractors.ner.gazetteer import FIRST, LAST, PLACE, load, lists_digest


def test_known_names_places_and_common_words_are_marked():
    gaz = load()
    assert gaz.feature("Kari") & FIRST
    assert gaz.feature("Hansen") & LAST
    assert gaz.feature("Chile") & PLACE and gaz.feature("Bærum") & PLACE
    assert gaz.feature("Chiles") & PLACE  # genitive
    assert gaz.feature("og") >> 3 == 3  # among the commonest words
    assert gaz.feature("Og") >> 3 == 3  # case does not hide a common word
    assert gaz.feature("Xqzvortl") == 0


def test_architecture_adds_the_gazetteer_column():
    import spacy
    from spacy.util import registry

    gazetteer.register()
    make = registry.architectures.get("rosterwatch.GazetteerHashEmbed.v1")
    embed = make(width=16, attrs=["NORM", "SHAPE"], rows=[100, 50], gazetteer_dropout=0.5)
    nlp = spacy.blank("nb")
    doc = nlp("Kari flyttet til Chile")
    embed.initialize(X=[doc])
    features = embed.layers[0]
    columns, _ = features([doc], is_train=False)
    assert columns[0].shape == (4, 3)
    assert [int(v) for v in columns[0][:, 2]] == [load().feature(t.text) for t in doc]
    saved = len(embed.to_bytes())
    vectors = embed.predict([doc, nlp("Ola Nordmann bor i Bergen og Dublin")])
    assert vectors[0].shape == (4, 16)
    assert len(embed.to_bytes()) == saved  # words looked up are not saved with the model

    features.attrs["dropout"] = 1.0  # training drops the column; prediction never does
    dropped, _ = features([doc], is_train=True)
    assert not dropped[0][:, 2].any() and columns[0][:, 2].any()


def test_model_version_follows_the_lists(tmp_path):
    copy = tmp_path / "gazetteer"
    shutil.copytree(gazetteer.GAZETTEER_DIR, copy)
    before = lists_digest(copy)
    with (copy / "place.txt").open("a", encoding="utf-8") as f:
        f.write("Atlantis\n")
    assert lists_digest(copy) != before
    assert load.__wrapped__(copy).feature("Atlantis") & PLACE



def test_list_builder_keeps_single_capitalised_names():
    from extractors.ner.build_gazetteer import _single_words

    kept = _single_words(["Nord-Korea", "Den dominikanske republikk", "Ås", " Tromsø ", "x", "ola", "3M", "O'Neill"])
    assert kept == {"Nord-Korea", "Ås", "Tromsø", "O'Neill"}
