"""Shared test helpers: build small sites from a dict of files."""

from __future__ import annotations

import atexit
import functools
import importlib.util
import shutil
import tempfile
from pathlib import Path
from typing import Callable

import pytest

from papernotes.build import BuildOptions, BuildResult, SiteLayout, build

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
REAL = SHARED / "corpus" / "real"
LEAKSCAN = SHARED / "tools" / "leakscan.py"


def note_page_leaks(site: Path) -> dict[str, dict[str, int]]:
    """``../shared/tools/leakscan.py``'s counts for each note page of a built site that leaks."""
    spec = importlib.util.spec_from_file_location("leakscan", LEAKSCAN)
    assert spec is not None and spec.loader is not None
    scan = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scan)
    pages = {}
    for page in sorted((site / "notes").rglob("index.html")):
        counts, _ = scan.scan_page(page.read_text(encoding="utf-8"))
        if any(counts.values()):
            pages[page.parent.relative_to(site).as_posix()] = {kind: n for kind, n in counts.items() if n}
    return pages


@functools.cache
def scratch(prefix: str) -> Path:
    """A folder for the files hypothesis examples write (they cannot take ``tmp_path``), made when
    first wanted in this process and removed when it exits."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, folder, True)
    return folder


def until(condition: Callable[[], bool], seconds: float = 60.0) -> bool:
    """Whether ``condition`` came true within ``seconds`` (looked at every 50 ms)."""
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite the expected golden output")


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., Path]:
    """``make_site({"content/a.md": "..."})`` writes a site folder and returns it."""
    def make(files: dict[str, str | bytes], name: str = "site-src") -> Path:
        return write_files(tmp_path / name, files)
    return make


@pytest.fixture
def build_site(make_site: Callable[..., Path]) -> Callable[..., BuildResult]:
    """Write a site and build it; returns the BuildResult (output in ``result.out_dir``)."""
    def run(files: dict[str, str | bytes], **options: object) -> BuildResult:
        root = make_site(files)
        return build(SiteLayout.find(root, root / "site"), BuildOptions(**options))  # type: ignore[arg-type]
    return run
