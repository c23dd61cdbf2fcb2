"""The shipped NorNE model loads and finds people; the corpus conversion splits and tags right."""

from __future__ import annotations

import threading

from extractors import ner
from extractors.ner.data import iob_spans, parse_conll, split_train, to_docbin

NDT = """1\tOla\tOla\tsubst\tsubst\tprop\t2\tSUBJ\t_\tname=B-PER
2\tNordmann\tNordmann\tsubst\tsubst\tprop\t0\tFLAT\t_\tname=I-PER
3\tbor\tbo\tverb\tverb\tpres\t0\tFINV\t_\tname=O
4\ti\ti\tprep\tprep\t_\t3\tADV\t_\tname=O
5\tOslo\tOslo\tsubst\tsubst\tprop\t4\tPUTFYLL\t_\tname=B-GPE_LOC
6\t.\t$.\tclb\tclb\t<punkt>\t3\tIP\t_\tname=O

1\tTV\tTV\tsubst\tsubst\tprop\t0\tFRAG\t_\tname=B-MISC
2\tnytt\tny\tadj\tadj\tpos\t1\tATR\t_\tname=O
3\t|\t$|\tclb\tclb\t<overskrift>\t1\tIP\t_\tname=O

1\tHei\thei\tinterj\tinterj\t_\t0\tFRAG\t_\tname=O
"""

UD_TEST = """# sent_id = 1
# text = TV nytt
1\tTV\tTV\tPROPN\t_\t_\t0\troot\t_\tname=B-MISC
2\tnytt\tny\tADJ\t_\t_\t1\tamod\t_\tSpaceAfter=No|name=O
"""


def test_person_spans_in_a_member_line():
    text = "Helsedirektoratet v/Hilde Myhren (leiar) og Grethe Foss"
    assert [t for _, _, t in ner.person_spans(text)] == ["Hilde Myhren", "Grethe Foss"]
    start, end, name = ner.person_spans(text)[0]
    assert text[start:end] == name
    assert ner.load_model() is ner.load_model()
    assert ner.MODEL_VERSION.startswith("norne-") and ner.MODEL_VERSION != "norne-missing"


def test_threads_asking_at_once_share_one_loaded_model(monkeypatch):
    """Ten sources tracked side by side ask for the model together: it is loaded once, not per thread."""
    monkeypatch.setattr(ner, "_loaded", None)
    start = threading.Barrier(6)
    got = []

    def ask():
        start.wait()
        got.append(ner.load_model())

    threads = [threading.Thread(target=ask) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(got) == 6 and len({id(model) for model in got}) == 1


def test_entities_have_labels_and_offsets():
    text = "Jonas Gahr Støre møtte Kreftforeningen i Bergen."
    ents = ner.entities(text)
    assert all(text[a:b] == t for a, b, _, t in ents)
    assert ("Jonas Gahr Støre", "PER") in [(t, lab) for _, _, lab, t in ents]


def test_parse_drops_misc_and_headline_bar():
    sents = parse_conll(NDT)
    assert [len(s.words) for s in sents] == [6, 2, 1]
    assert sents[0].tags[:2] == ("B-PER", "I-PER") and sents[0].pos[0] == "subst+prop"
    assert sents[1].tags == ("O", "O")  # MISC is not one of our labels
    assert sents[0].spaces[-2:] == (False, False)  # no space before the final full stop


def test_iob_spans_closes_and_repairs():
    assert iob_spans(["B-PER", "I-PER", "O", "I-ORG", "B-LOC", "B-LOC"]) == [
        (0, 2, "PER"), (3, 4, "ORG"), (4, 5, "LOC"), (5, 6, "LOC")]


def test_train_split_excludes_held_out_sentences():
    ndt = parse_conll(NDT)
    train, stats = split_train(ndt, [[], parse_conll(UD_TEST)])
    assert [s.words for s in train] == [ndt[0].words, ndt[2].words]
    assert stats["train"] == 2 and stats["held_out_not_in_ndt"] == 0


def test_docbin_carries_entities():
    import spacy

    vocab = spacy.blank("nb").vocab
    doc = next(to_docbin(parse_conll(NDT)[:1], vocab).get_docs(vocab))
    assert [(e.text, e.label_) for e in doc.ents] == [("Ola Nordmann", "PER"), ("Oslo", "GPE_LOC")]
    assert doc.text == "Ola Nordmann bor i Oslo."


def test_seen_unseen_recall_splits_by_train_names():
    import spacy
    from spacy.tokens import Doc, Span

    from extractors.ner.evaluate import seen_unseen_recall

    vocab = spacy.blank("nb").vocab

    def doc(ents):
        d = Doc(vocab, words=["Ola", "møtte", "Kari", "i", "Oslo"])
        d.ents = [Span(d, a, b, label=lab) for a, b, lab in ents]
        return d

    ref = doc([(0, 1, "PER"), (2, 3, "PER"), (4, 5, "GPE_LOC")])
    pred = doc([(0, 1, "PER"), (2, 3, "ORG"), (4, 5, "GPE_LOC")])  # Kari mislabelled
    known, unknown, share = seen_unseen_recall([ref], [pred], seen={"Ola", "Oslo"})
    assert (known, unknown) == (1.0, 0.0) and round(share, 2) == 0.67
