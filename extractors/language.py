"""Bokmål or Nynorsk: the page's own lang attribute, else the text, else the source hint."""

from __future__ import annotations

import re

_NYNORSK = {
    "eit", "ein", "ikkje", "ho", "dei", "frå", "korleis", "kva", "noverande", "leiar", "leier",
    "oppgåver", "helsetenesta", "byggjer", "følgje", "særskild", "mellom", "vidare", "gje",
    "faglege", "knytt", "heilskapleg", "aktørar", "samordna", "blei", "vert", "òg", "berre",
    "representantar", "medlemar", "sjå", "tidlegare", "versjonar", "fagleg", "sett", "saman",
}
_BOKMAL = {
    "et", "en", "ikke", "hun", "de", "fra", "hvordan", "hva", "nåværende", "leder", "oppgaver",
    "helsetjenesten", "bygger", "følge", "særskilt", "videre", "gi", "faglige", "knyttet",
    "helhetlig", "aktører", "samordnet", "ble", "blir", "også", "bare", "representanter",
    "medlemmer", "se", "tidligere", "versjoner", "faglig", "sammen",
}


def detect_language(page_lang: str | None, text: str, hint: str | None) -> str | None:
    code = _code(page_lang)
    if code:
        return code
    tokens = re.findall(r"[a-zæøåò]+", text.lower())
    nn = sum(t in _NYNORSK for t in tokens)
    nb = sum(t in _BOKMAL for t in tokens)
    if nn + nb >= 5 and abs(nn - nb) >= max(3, (nn + nb) // 5):
        return "nn" if nn > nb else "nb"
    return _code(hint) or ("nb" if tokens else None)


def _code(value: str | None) -> str | None:
    """'nn', 'nn-NO', 'nno' -> 'nn'; 'nb', 'nb-NO', 'nob' -> 'nb'; 'no' says neither."""
    if not value:
        return None
    value = value.strip().lower().replace("_", "-")
    if value.startswith(("nn", "nno")):
        return "nn"
    if value.startswith(("nb", "nob")):
        return "nb"
    return None
