"""The benchmark scripts that time a build from inside it still find the parts they wrap."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_edit_parts_times_each_part_of_a_rebuild_and_puts_the_note_back(tmp_path: Path) -> None:
    site, out = tmp_path / "site", tmp_path / "out"
    shutil.copytree(ROOT / "content", site)
    subprocess.run([sys.executable, "-m", "papernotes", "build", str(site), "-o", str(out), "--no-search", "-q"],
                   check=True, capture_output=True)
    before = {path: path.read_bytes() for path in site.rglob("*.md")}
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "edit_parts.py"), str(site), str(out), "--edits", "1"],
                          check=True, capture_output=True, text=True)
    said = dict(re.findall(r"^\s*([a-z ,-]+?)\s+(\d+\.\d{3}) \(", done.stdout, re.MULTILINE))
    assert set(said) == {"start-up", "imports, the rest", "up-to-date check", "restore", "unpickle", "page digests",
                         "plan", "produce", "read and link", "graph", "manifest", "save", "process"}
    assert float(said["restore"]) > 0 and float(said["unpickle"]) > 0 and float(said["produce"]) > 0
    assert {path: path.read_bytes() for path in site.rglob("*.md")} == before
