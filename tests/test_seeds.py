"""Acceptance: the real seed notes beside the repository publish well (skipped in a lone clone)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from papernotes.build import BuildOptions, SiteLayout, build

from .conftest import SHARED

SEEDS = SHARED / "corpus" / "seeds"
pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/corpus/seeds is not beside the repository")


@pytest.fixture(scope="module")
def seeds_site(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("seeds") / "site"
    return build(SiteLayout.find(SEEDS, out), BuildOptions(cache=False))  # nothing written into ../shared


def test_seed_notes_are_all_published(seeds_site) -> None:
    assert seeds_site.errors == 0
    by_file: dict[str, list] = {}
    for note in seeds_site.notes:
        by_file.setdefault(Path(note.source.path).name, []).append(note)
    assert {name: len(notes) for name, notes in by_file.items()} == {
        "000_fc42086b267d07e0.txt": 1, "001_2c34e100ffe758c5.txt": 1,
        "002_a61fa84084b097e1.txt": 20, "004_e94c83fc8ebb6227.txt": 1,
    }
    assert len(list((seeds_site.out_dir / "notes").glob("*/index.html"))) == 23


def test_feed_items_keep_titles_dates_and_links(seeds_site) -> None:
    items = [n for n in seeds_site.notes if n.source.item is not None]
    first = next(n for n in items if n.title == "GPTScore: Evaluate as You Desire")
    assert first.date.rfc3339() == "2025-01-03T14:31:24+00:00"
    assert first.original_url == "https://velog.io/@0404_not_found/GPTScore-Evaluate-as-You-Desire"
    assert all(n.original_url.startswith("https://velog.io/") for n in items)
    page = (seeds_site.out_dir / first.url.strip("/") / "index.html").read_text()
    assert '<link rel="canonical" href="https://velog.io/@0404_not_found/GPTScore-Evaluate-as-You-Desire">' in page
    assert "Originally published at" in page


def test_no_script_and_no_tex_left_in_feed_notes(seeds_site) -> None:
    import re

    for note in seeds_site.notes:
        if note.source.item is None:
            continue
        html = note.body.html
        assert "<script" not in html.lower()
        visible = re.sub(r"<annotation.*?</annotation>|<(pre|code)\b.*?</\1>", "", html, flags=re.S)
        assert not re.search(r"\$[^$\s][^$]*\$", visible), note.title


def test_reading_roundup_as_markdown(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(SEEDS / "000_fc42086b267d07e0.txt", content / "roundup.md")
    result = build(SiteLayout.find(tmp_path))
    [note] = result.notes
    assert (note.title, note.date.iso()) == ("Reading Roundup", "2024")
    assert len([h for h in note.body.headings if h.level == 2]) == 4
    page = (result.out_dir / "notes/roundup/index.html").read_text()
    assert page.count('class="toc-level-2"') == 4 and '<pre class="highlight"' in page


def test_every_arxiv_paper_of_the_plain_text_log_is_found(seeds_site) -> None:
    import re

    raw = (SEEDS / "001_2c34e100ffe758c5.txt").read_text()
    expected = {f"arxiv:{m}" for m in re.findall(r"(?<![\d.])(\d{4}\.\d{4,5})(?![\d])", raw)}
    [log] = [n for n in seeds_site.notes if n.source.path.endswith("001_2c34e100ffe758c5.txt")]
    assert {ref.id for ref in log.papers} == expected and len(expected) == 138
    for paper_id in expected:
        assert (seeds_site.out_dir / "papers" / paper_id.replace(":", "-") / "index.html").is_file()
