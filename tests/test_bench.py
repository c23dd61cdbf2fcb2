"""`rosterwatch bench` end to end on a tiny archive (a smoke test: no timing targets here)."""

from __future__ import annotations

import re

from flows.cli import main


def test_bench_prints_its_figures_and_a_machine_readable_last_line(capsys):
    assert main(["bench", "--pages", "12", "--workers", "1"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("archive: 12 captures")
    assert re.fullmatch(
        r"reextract pages/s=\d+ ratio_vs_trafilatura=\d+\.\d\d peak_rss_mb=\d+ bytes_per_unchanged=0", lines[-1]
    ), lines[-1]
