"""The installed package stands on its own: nothing in flows/, outputs/, snapshots/ or
extractors/ imports from tests/ (the benchmark and eval-extraction once did, so an installed
`rosterwatch bench` needed a source checkout's test suite)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("flows", "outputs", "snapshots", "extractors")


def test_no_module_of_the_package_imports_the_tests():
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                    [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
                found += [f"{path.relative_to(ROOT)}:{node.lineno}: {n}" for n in names if n == "tests" or n.startswith("tests.")]
    assert found == []


def test_the_benchmark_and_the_command_line_load_nothing_from_the_tests():
    probe = "import sys, flows.bench, flows.cli; print(sorted(m for m in sys.modules if m == 'tests' or m.startswith('tests.')))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "[]"
