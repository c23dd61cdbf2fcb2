"""`rosterwatch extract` as a maintainer trying a new page sees it."""

from __future__ import annotations

from pathlib import Path

from flows.cli import main

UNSEEN = Path(__file__).parent / "fixtures" / "unseen"


def test_groups_members_seats_and_the_text_each_was_read_from(capsys):
    assert main(["extract", str(UNSEEN / "styringsgruppe.html")]) == 0
    out = capsys.readouterr().out
    assert "Sammensetning — 4 members, chair Ola Nordmann" in out
    assert "• Ola Nordmann  (role: leder; organisation: Helse Bergen; title: avdelingsdirektør)" in out
    assert "from: “Ola Nordmann, avdelingsdirektør, Helse Bergen (leder)”" in out
    assert out.rstrip().endswith("5 members in 2 groups.")


def test_a_page_without_a_member_list_says_so(capsys):
    assert main(["extract", str(UNSEEN / "nyhet-nytt-rad.html")]) == 0
    out = capsys.readouterr().out
    assert "No member list found on this page" in out
    assert "•" not in out


def test_no_control_character_from_the_page_reaches_the_terminal(tmp_path, capsys):
    page = tmp_path / "hostile.html"
    page.write_text(
        "<html><body><main><h1>Rådet</h1><h2>Medlemmer</h2><ul>"
        "<li>Kari Nordmann, Helse Bergen\x1b]0;owned\x07</li><li>Per Hansen, Kreftforeningen\x1b[2J</li>"
        "</ul></main></body></html>",
        encoding="utf-8",
    )
    assert main(["extract", str(page)]) == 0
    out = capsys.readouterr().out
    assert "Kari Nordmann" in out and "Per Hansen" in out
    assert "\x1b" not in out and "\x07" not in out
