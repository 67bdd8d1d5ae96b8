"""Golden-file test: the rendered HTML of a small fixed site, compared page by page.

Run ``pytest tests/test_golden.py --update-golden`` after an intended change, and review the diff.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from papernotes.build import BuildOptions, SiteLayout, build

FIXTURE = Path(__file__).parent / "fixtures" / "sites" / "basic"
EXPECTED = Path(__file__).parent / "fixtures" / "sites" / "basic.expected"


def normalise(html: str) -> str:
    """Trailing spaces and blank lines do not count."""
    lines = [line.rstrip() for line in html.splitlines()]
    return "\n".join(line for line in lines if line) + "\n"


def rendered_pages(out: Path) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): normalise(p.read_text(encoding="utf-8")) for p in sorted(out.rglob("*.html"))}


def test_golden_site(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    site = tmp_path / "basic"
    shutil.copytree(FIXTURE, site)
    result = build(SiteLayout.find(site))
    assert result.errors == 0, [str(d) for d in result.diagnostics]
    pages = rendered_pages(result.out_dir)
    if request.config.getoption("--update-golden"):
        shutil.rmtree(EXPECTED, ignore_errors=True)
        for rel, text in pages.items():
            (EXPECTED / rel).parent.mkdir(parents=True, exist_ok=True)
            (EXPECTED / rel).write_text(text, encoding="utf-8")
    expected = {p.relative_to(EXPECTED).as_posix(): p.read_text(encoding="utf-8") for p in sorted(EXPECTED.rglob("*.html"))}
    assert sorted(pages) == sorted(expected)
    for rel in expected:
        assert pages[rel] == expected[rel], f"{rel} differs from the golden copy"


DEMO = Path(__file__).parents[1] / "content"
MANIFESTS = Path(__file__).parent / "fixtures" / "sites"


def file_digests(out: Path) -> str:
    """``sha256  ./path`` for every file written, as ``sha256sum`` prints them."""
    return "".join(f"{hashlib.sha256(p.read_bytes()).hexdigest()}  ./{p.relative_to(out).as_posix()}\n"
                   for p in sorted(out.rglob("*"), key=lambda p: p.relative_to(out).as_posix()) if p.is_file())


@pytest.mark.parametrize("name, source", [("basic", FIXTURE), ("demo", DEMO)])
def test_every_byte_as_before(name: str, source: Path, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    """The whole output (pages, feeds, data, assets) of the golden site and of the demo site is
    byte-identical to the reviewed manifest: a refactoring changes none of it."""
    notes = tmp_path / "notes"
    shutil.copytree(source, notes)
    result = build(SiteLayout.find(notes, tmp_path / "out"), BuildOptions(search=False, cache=False))
    assert result.errors == 0, [str(d) for d in result.diagnostics]
    manifest = MANIFESTS / f"{name}.sha256"
    if request.config.getoption("--update-golden"):
        manifest.write_text(file_digests(result.out_dir), encoding="utf-8")
    assert file_digests(result.out_dir) == manifest.read_text(encoding="utf-8")
