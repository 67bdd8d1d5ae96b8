"""Acceptance: paper pages of the real collections beside the repository carry titles, and their
BibTeX parses with unique keys (skipped in a lone clone)."""

from __future__ import annotations

import json

import bibtexparser
import pytest

from papernotes.build import BuildOptions, SiteLayout, build

from .conftest import REAL

# collections whose lines carry paper titles: a share of their paper pages below this is a regression
TITLED = {"papers-i-read": 0.85, "plain-text-robertomav": 0.8, "feed-arxiv-cn-chat-arxiv": 0.9, "zotero-export-ajvault": 0.9}
pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/corpus/real is not beside the repository")


@pytest.mark.parametrize("name, share", sorted(TITLED.items()))
def test_paper_pages_have_titles_and_the_bibliography_parses(name, share, tmp_path) -> None:
    if not (REAL / name).is_dir():
        pytest.skip(f"{name} is not among the real collections")
    result = build(SiteLayout.find(REAL / name, tmp_path / "site"), BuildOptions(cache=False, search=False))
    papers = [n for n in json.loads((result.out_dir / "graph.json").read_text())["nodes"] if n["type"] == "paper"]
    titled = [p for p in papers if p["title"] != p["id"].removeprefix("paper:")]
    assert papers and len(titled) >= share * len(papers), f"{len(titled)} of {len(papers)} titled"
    library = bibtexparser.parse_string((result.out_dir / "papers.bib").read_text())
    keys = [entry.key for entry in library.entries]
    assert not library.failed_blocks and len(keys) == len(set(keys)) == len(papers)
