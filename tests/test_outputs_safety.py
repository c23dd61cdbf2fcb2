"""Every writer against scraped text that carries control characters and markup: the Atom feed
stays valid XML, the HTML chart escapes the suspect reason, Markdown, CSV, Parquet and Popolo
carry no control character and no spreadsheet formula; feed entry ids depend on what an event
says, never on database row numbers."""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import replace

import pandas as pd

from extractors.model import Extraction, Group, Member
from outputs.events import ChangeEvent
from outputs.export import popolo, write_csv, write_parquet
from outputs.feed import entry_id, render_feed
from outputs.history import Body, History, Observation
from outputs.html_report import composition_chart, render_html_report
from outputs.report import describe, render_history_report
from outputs.safe import clean
from outputs.timeline import membership_intervals

CONTROLS = "\x1b]0;pwned\x07\x1b[2J\x00\x0c\x9b\u202e"
ANY_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def is_clean(text: str) -> bool:
    return not ANY_CONTROL.search(text)
EVIL = f"Kari{CONTROLS} <b>Nordmann</b>"


def history() -> History:
    member = Member(EVIL, organisation=f"=HYPERLINK(\"http://x\"){CONTROLS}", role="leiar\x1b[31m", region=None, text=EVIL)
    extraction = Extraction(source="s", url="https://x.no/", extractor_version="t", groups=(Group(EVIL, EVIL, (member,)),))
    joined = ChangeEvent(
        kind="joined", source="s", group=EVIL, person=EVIL, person_id=None, before=None,
        after={"name": EVIL, "organisation": EVIL, "role": None, "region": None},
        from_capture=1, to_capture=2, at="2024-06-01T00:00:00Z", url="https://x.no/\x1b", text=EVIL, note=EVIL,
    )
    suspect = ChangeEvent(
        kind="suspect_extraction", source="s", group=None, person=None, person_id=None, before=None, after=None,
        from_capture=2, to_capture=3, at="2024-07-01T00:00:00Z", diff=f"<script>alert(1)</script>{CONTROLS}",
    )
    return History(
        {"s": Body("s", f"Rådet{CONTROLS}", "https://x.no/")},
        [Observation("s", 1, "2024-05-01T00:00:00Z", "https://x.no/", None, extraction),
         Observation("s", 2, "2024-06-01T00:00:00Z", "https://x.no/", None, extraction)],
        [joined, suspect],
    )


def test_the_feed_is_valid_xml_whatever_the_page_held():
    feed = render_feed(history(), "2024-08-01T00:00:00Z")
    root = ET.fromstring(feed.encode("utf-8"))
    titles = [e.text for e in root.iter("{http://www.w3.org/2005/Atom}title")]
    assert any("Kari]0;pwned" in t and "<b>Nordmann</b>" in t for t in titles), "text kept, controls gone"
    assert is_clean(feed.replace("\n", " "))


def test_the_chart_escapes_the_suspect_reason():
    h = history()
    chart = composition_chart(h.observations, h.events)
    assert "<script>" not in chart and "&lt;script&gt;alert(1)&lt;/script&gt;" in chart
    report = render_html_report(h, "2024-08-01T00:00:00Z")
    assert "<script>" not in report and "<b>" not in report
    assert is_clean(report.replace("\n", " "))


def test_markdown_carries_no_control_character():
    text = render_history_report(history(), "2024-08-01T00:00:00Z")
    assert is_clean(text.replace("\n", " ")) and "Kari\\]0;pwned" in text
    assert is_clean(describe(history().events[0]))


def test_csv_and_parquet_cells_are_clean_and_no_formula(tmp_path):
    frame = membership_intervals(history())
    out = io.StringIO()
    write_csv(frame, out)
    assert is_clean(out.getvalue().replace("\n", " "))
    back = pd.read_csv(io.StringIO(out.getvalue()))
    assert back.loc[0, "organisation"] == "'=HYPERLINK(\"http://x\")]0;pwned[2J "
    write_parquet(frame, tmp_path / "seats.parquet")
    stored = pd.read_parquet(tmp_path / "seats.parquet")
    assert all(is_clean(v) for v in stored.to_numpy().ravel() if isinstance(v, str))


def test_popolo_strings_are_clean():
    text = json.dumps(popolo(history()), ensure_ascii=False)
    assert is_clean(text)


def test_feed_entry_ids_depend_on_what_an_event_says_not_on_row_numbers():
    event = history().events[0]
    elsewhere = replace(event, from_capture=41, to_capture=42)  # the same event, rebuilt in another store
    assert entry_id(elsewhere) == entry_id(event)
    assert entry_id(replace(event, group="Arbeidsutvalet")) != entry_id(event), "the group is part of what it says"
    assert entry_id(replace(event, source="other")) != entry_id(event)


def test_clean_keeps_text_and_drops_only_controls():
    assert clean("Grethe\u00a0Foss – leiar\u200b") == "Grethe\u00a0Foss – leiar\u200b"
    assert clean("a\tb\nc\x1b[2Jd\u202ee") == "a b c[2Jde"
