"""The repository's own demo site builds cleanly and every internal link resolves."""

from __future__ import annotations

from pathlib import Path

import pytest

from papernotes.build import BuildOptions, SiteLayout, build
from papernotes.check import check_site

from .conftest import REPO


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "site"
    result = build(SiteLayout.find(REPO, out))
    assert result.errors == 0 and result.warnings == 0, [str(d) for d in result.diagnostics]
    assert 8 <= len(result.notes) <= 15
    return out


def test_every_internal_link_resolves(demo: Path) -> None:
    result = check_site(demo)
    assert result.pages > 20 and result.links > 200
    assert result.broken == (), "\n".join(map(str, result.broken))


def test_every_link_resolves_under_a_sub_path(tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(SiteLayout.find(REPO, out), BuildOptions(base_url="https://example.org/notes/"))
    assert check_site(out, "/notes/").broken == ()


def test_demo_shows_every_feature(demo: Path) -> None:
    pages = "".join(p.read_text() for p in (demo / "notes").rglob("index.html"))
    for feature in ("<table>", 'class="footnotes"', "<math", 'class="highlight"', "task-list-item", "<s>", 'class="toc"'):
        assert feature in pages, feature


def test_each_note_page_carries_its_neighbourhood_of_graph_json(demo: Path) -> None:
    import json
    import re

    graph = json.loads((demo / "graph.json").read_text())
    pages = sorted((demo / "notes").glob("*/index.html"))
    assert pages
    for page in pages:
        html = page.read_text()
        assert "graph.json" not in html.split('<section class="local-graph"')[1].split("</section>")[0]
        inline = json.loads(re.search(r'<script type="application/json" class="graph-data">(.*?)</script>', html).group(1))
        focus = re.search(r'data-focus="([^"]+)"', html).group(1)
        keep = {focus} | {e["target"] for e in graph["edges"] if e["source"] == focus} | {
            e["source"] for e in graph["edges"] if e["target"] == focus}
        expected_nodes = sorted((n for n in graph["nodes"] if n["id"] in keep), key=lambda n: n["id"])
        expected_edges = [e for e in graph["edges"] if e["source"] in keep and e["target"] in keep]
        assert sorted(inline["nodes"], key=lambda n: n["id"]) == expected_nodes, page
        assert inline["edges"] == expected_edges, page
