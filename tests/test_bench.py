"""`rosterwatch bench` end to end on a tiny archive (a smoke test: no timing targets here), and the
parts that keep it honest: trafilatura run as `extract()` runs it, memory counted over every process."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
import trafilatura

from extractors.evaluate import SHARED_PAGES
from flows import bench
from flows.cli import main


@pytest.mark.skipif(not (SHARED_PAGES / "real").is_dir(), reason="needs ../shared/pages: the bench builds its archive from them")
def test_bench_prints_its_figures_and_two_machine_readable_last_lines(capsys):
    assert main(["bench", "--pages", "12", "--workers", "1", "--track-pages", "2"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("archive: 12 captures of ")
    assert any("NER model loaded with nothing changed: no" in line for line in lines), lines
    assert re.fullmatch(
        r"reextract pages/s=\d+ ratio_vs_trafilatura=\d+\.\d\d peak_rss_mb=\d+ bytes_per_unchanged=\d+", lines[-2]
    ), lines[-2]
    assert re.fullmatch(
        r"track nothing_changed_s=\d+\.\d\d one_changed_s=\d+\.\d\d vs_urlwatch=(\d+\.\d\d|nan) peak_rss_mb=\d+", lines[-1]
    ), lines[-1]


def test_the_trafilatura_side_uses_the_settings_extraction_uses(monkeypatch):
    from extractors import extract

    seen = []
    real = trafilatura.extract

    def spy(*args, **kwargs):
        seen.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(trafilatura, "extract", spy)
    extract(bench.WARM_PAGE, "s")
    assert seen and all(kwargs == bench.TRAFILATURA_OPTIONS for kwargs in seen)


def test_peak_memory_counts_every_process_of_the_tree():
    hold = "x = bytearray(150 * 2**20); import sys; sys.stdin.read()"
    with bench.TreePeak(os.getpid(), "pss", 0.01) as peak:
        child = subprocess.Popen([sys.executable, "-c", hold], stdin=subprocess.PIPE)
        try:
            deadline_samples = 200
            while peak.peak < 150 * 2**20 and deadline_samples:
                deadline_samples -= 1
                child.poll()
                subprocess.run(["sleep", "0.02"])
        finally:
            child.communicate(b"")
    assert peak.peak >= 150 * 2**20, "a child's memory counts"

    seconds, rss, _ = bench.run_measured(
        [sys.executable, "-c", f"import subprocess, sys; subprocess.run([sys.executable, '-c', {hold!r}], input=b'')"],
        dict(os.environ),
    )
    assert rss >= 150 * 2**20, "a grandchild's memory counts"
