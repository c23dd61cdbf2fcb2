"""`rosterwatch extract` as a maintainer trying a new page sees it."""

from __future__ import annotations

from pathlib import Path

import pytest

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


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"


@pytest.mark.parametrize("name, body, why", [
    ("shot.png", PNG, "is image/png (a .png file), not an HTML page"),
    ("page.pdf", PDF, "is application/pdf (a .pdf file), not an HTML page"),
    ("notes.txt", "Representantar\nKari Nordmann, Helse Bergen\n".encode(), "is plain text with no HTML markup, not an HTML page"),
    ("empty.html", b"", "is empty"),
    ("blank.html", b" \n\t\n", "holds only white space"),
    ("random.bin", bytes(range(256)) * 8, "is binary data, not an HTML page"),
])
def test_extract_refuses_what_is_not_an_html_page(tmp_path, capsys, name, body, why):
    path = tmp_path / name
    path.write_bytes(body)
    for argv in (["extract", str(path)], ["extract", str(path), "--json"]):
        code = main(argv)
        out, err = capsys.readouterr()
        assert (code, out) == (2, "")
        assert err == f"rosterwatch: {path} {why}; give a web page saved as .html, or its http(s) URL\n"


def test_a_page_in_utf16_or_with_a_stray_control_character_is_still_a_page(tmp_path, capsys):
    page = tmp_path / "utf16.html"
    page.write_bytes("<html><body><h1>Rådet</h1><h2>Medlemmer</h2><ul><li>Kari Nordmann, Helse Bergen</li></ul></body></html>".encode("utf-16"))
    assert main(["extract", str(page)]) == 0
    assert "Kari Nordmann" in capsys.readouterr().out


def test_json_of_a_page_without_members_says_so_on_stderr(capsys):
    page = UNSEEN / "nyhet-nytt-rad.html"
    assert main(["extract", str(page), "--json"]) == 0
    out, err = capsys.readouterr()
    assert '"groups"' in out
    assert err == f"rosterwatch: no member list found in {page} (the JSON has no members)\n"
