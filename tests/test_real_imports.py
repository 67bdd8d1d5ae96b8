"""Acceptance: real Jekyll, al-folio/distill, Hugo, GitHub and Obsidian collections beside the
repository publish every note, with none of the template syntax their generator would have
rendered left on a note page (skipped in a lone clone). Math and kramdown leaks are counted by
their own tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from papernotes.build import BuildOptions, BuildResult, SiteLayout, build

from .conftest import LEAKSCAN, REAL, note_page_leaks

pytestmark = pytest.mark.skipif(not REAL.is_dir() or not LEAKSCAN.is_file(),
                                reason="../shared/corpus/real is not beside the repository")
#: What this part of papernotes renders: template syntax, and the links it leaves empty.
TEMPLATE_KINDS = ("liquid: {% %} / {{ }}", "hugo: shortcode", "empty href/src")
#: braindump's TeX writes ``{{\\text {…}}`` inside ``\\begin{equation}`` environments, which leakscan
#: counts as Liquid until those environments are rendered as math.
HUGO_KINDS = ("hugo: shortcode", "empty href/src")


def _built(name: str, tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    out = tmp_path_factory.mktemp(name) / "site"
    return build(SiteLayout.find(REAL / name, out), BuildOptions(cache=False, search=False, workers=1))


def _leaks(site: Path) -> dict[str, int]:
    totals: dict[str, int] = {}
    for counts in note_page_leaks(site).values():
        for kind, count in counts.items():
            totals[kind] = totals.get(kind, 0) + count
    return totals


@pytest.mark.parametrize("name, notes, kinds", [
    ("readme-list-terryum", 2, None),  # README.md and ReadingNotes.md: nothing leaks at all
    ("jekyll-kramdown-brunomaga", 24, TEMPLATE_KINDS),
    ("mathjax-md-wiseodd", 57, TEMPLATE_KINDS),
    ("alfolio-distill-scaling-book", 13, TEMPLATE_KINDS),
    ("hugo-toml-braindump", 388, HUGO_KINDS),
    ("obsidian-callouts-obsidian-help", 173, TEMPLATE_KINDS),
])
def test_real_collection_publishes_every_note(name: str, notes: int, kinds: tuple[str, ...] | None,
                                              tmp_path_factory: pytest.TempPathFactory) -> None:
    if not (REAL / name).is_dir():
        pytest.skip(f"{name} is not in ../shared/corpus/real")
    result = _built(name, tmp_path_factory)
    assert result.errors == 0, [str(d) for d in result.diagnostics if d.severity == "error"]
    assert len(result.notes) == notes
    leaks = _leaks(result.out_dir)
    if kinds is not None:  # the kinds this test answers for; math and kramdown have their own
        leaks = {kind: count for kind, count in leaks.items() if kind in kinds}
    assert leaks == {}
    assert not (REAL / name / ".papernotes-cache").exists()


def test_distill_citations_resolve_with_a_reference_list(tmp_path_factory: pytest.TempPathFactory) -> None:
    name = "alfolio-distill-scaling-book"
    if not (REAL / name).is_dir():
        pytest.skip(f"{name} is not in ../shared/corpus/real")
    result = _built(name, tmp_path_factory)
    assert not [d for d in result.diagnostics if "citation" in d.message]
    inference = next(note for note in result.notes if note.id == "inference")
    assert inference.body.html.count('class="citation"') >= 3 and '<section class="references">' in inference.body.html
    assert "Jacob Austin (Google DeepMind)" in (inference.author or "")
