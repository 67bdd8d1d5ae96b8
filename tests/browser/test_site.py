"""What a reader sees, in Chromium: pages, math, search, dark mode, the graph, no console errors."""

from __future__ import annotations


import json
from pathlib import Path
from urllib.request import urlopen

import pytest

from papernotes.emit import search as search_module
from papernotes.build import BuildOptions, SiteLayout, build

from ..conftest import REPO
from .conftest import screenshot, serve


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("browser") / "site"
    result = build(SiteLayout.find(REPO, out), BuildOptions(base_url="/"))
    assert result.errors == 0 and (out / "pagefind" / "pagefind.js").is_file()
    server, url = serve(out)
    yield url
    server.shutdown()


@pytest.fixture(scope="module")
def subpath_url(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("browser-sub") / "site"
    build(SiteLayout.find(REPO, out), BuildOptions(base_url="https://example.org/notes/"))
    server, url = serve(out, "/notes/")
    yield url
    server.shutdown()


@pytest.mark.parametrize("path, name", [("", "home"), ("tags/", "tags"), ("papers/", "papers"),
                                        ("papers/arxiv-2203.15556/", "paper"), ("archive/", "archive")])
def test_pages_render_without_console_errors(page, demo_url, path, name):
    page.goto(demo_url + path)
    assert page.locator("main h1").first.is_visible()
    screenshot(page, name)
    assert page.errors == []


def test_math_is_mathml_with_a_real_size(page, demo_url):
    page.goto(demo_url + "notes/attention-is-all-you-need/")
    formulas = page.locator("math")
    assert formulas.count() >= 5
    for index in range(formulas.count()):
        box = formulas.nth(index).bounding_box()
        assert box and box["width"] > 0 and box["height"] > 0
    assert "\\sqrt" not in page.locator(".note-body").inner_text(), "no TeX source is visible"
    screenshot(page, "note-math")
    assert page.errors == []


def test_dark_toggle_changes_the_background_and_survives_reload(page, demo_url):
    page.emulate_media(color_scheme="light")
    page.goto(demo_url)
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.click(".theme-toggle")
    dark = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert dark != background
    page.reload()
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == dark
    screenshot(page, "home-dark")
    page.click(".theme-toggle")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == background
    assert page.errors == []


def test_dark_mode_follows_the_system_without_a_choice(browser_context, demo_url):
    tab = browser_context.new_page()
    tab.emulate_media(color_scheme="dark")
    tab.goto(demo_url + "notes/lora/")
    tab.evaluate("localStorage.removeItem('papernotes-theme')")
    tab.reload()
    assert tab.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(21, 23, 26)"
    tab.close()


def search(page, base: str, query: str) -> list[str]:
    page.goto(f"{base}search/?q={query}")
    page.wait_for_selector(".pagefind-ui__result-link", timeout=15000)
    return page.locator(".pagefind-ui__result-link").all_inner_texts()


def test_search_finds_the_note(page, demo_url):
    titles = search(page, demo_url, "chinchilla")
    assert "Training Compute-Optimal Large Language Models" in titles
    screenshot(page, "search")
    assert page.errors == []


def test_header_search_box_goes_to_results(page, demo_url):
    page.goto(demo_url)
    page.fill("#site-search-input", "flashattention")
    page.press("#site-search-input", "Enter")
    page.wait_for_selector(".pagefind-ui__result-link", timeout=15000)
    assert any("FlashAttention" in t for t in page.locator(".pagefind-ui__result-link").all_inner_texts())


def test_search_works_under_a_sub_path(page, subpath_url):
    titles = search(page, subpath_url, "diffusion")
    assert "Denoising Diffusion Probabilistic Models" in titles
    href = page.locator(".pagefind-ui__result-link").first.get_attribute("href")
    assert href.startswith("/notes/")
    assert page.errors == []


@pytest.fixture(scope="module")
def sharded_url(tmp_path_factory: pytest.TempPathFactory):
    """The demo site with its search index cut into several bundles, as a large site's is."""
    out = tmp_path_factory.mktemp("browser-shards") / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search_module, "SHARD_TEXT", 8_000)
        build(SiteLayout.find(REPO, out), BuildOptions(base_url="/", cache=False))
    assert len(json.loads((out / "pagefind" / "papernotes.json").read_text())["merge"]) >= 2
    server, url = serve(out)
    yield url
    server.shutdown()


def test_the_search_page_asks_for_every_bundle_at_once(page, sharded_url):
    """Each bundle's entry is asked for before any bundle's index description comes back (each
    held back a while here, as a slow link would): the bundles load side by side, not in turn."""
    import time

    merged = len(json.loads(urlopen(sharded_url + "pagefind/papernotes.json").read())["merge"])
    events: list[tuple[str, str]] = []

    def slow_meta(route):
        events.append(("meta answered", route.request.url))
        time.sleep(0.3)
        route.continue_()

    page.route("**/shard-*/*.pf_meta", slow_meta)
    page.on("request", lambda request: events.append(("asked", request.url)) if "pagefind-entry.json" in request.url else None)
    search(page, sharded_url, "compute optimal")
    first_meta = next(index for index, (kind, _) in enumerate(events) if kind == "meta answered")
    asked = [url for kind, url in events[:first_meta] if kind == "asked" and "/shard-" in url]
    assert len(asked) == merged, events
    assert page.errors == []


@pytest.mark.parametrize("site", ["demo_url", "sharded_url"])
def test_search_results_link_to_a_note_and_a_paper(page, request, site):
    base = request.getfixturevalue(site)
    search(page, base, "compute optimal")
    results = [result.locator(".pagefind-ui__result-link").first  # not the sections listed under it
               for result in page.locator(".pagefind-ui__result").all()]
    titles, links = [link.inner_text() for link in results], [link.get_attribute("href") for link in results]
    assert titles[:2] == ["Training Compute-Optimal Large Language Models"] * 2, titles  # the note and the paper
    note = next((href for href in links if href.startswith("/notes/")), None)
    paper = next((href for href in links if href.startswith("/papers/")), None)
    assert note and paper, links
    page.goto(base + paper.lstrip("/"))
    assert page.locator("main h1").first.inner_text() == "Training Compute-Optimal Large Language Models"
    assert "arxiv:2203.15556" in page.locator(".eyebrow").inner_text()
    page.goto(base + note.lstrip("/"))
    assert "Chinchilla" in page.locator(".note-body").inner_text()
    assert page.errors == []


def test_graph_page_draws_nodes(page, demo_url):
    page.goto(demo_url + "graph/")
    page.wait_for_function("document.querySelector('canvas.graph-canvas').dataset.nodes > 0")
    nodes = int(page.locator("canvas.graph-canvas").get_attribute("data-nodes"))
    assert nodes > 20
    page.wait_for_timeout(500)
    painted = page.evaluate("""() => {
        const c = document.querySelector('canvas.graph-canvas');
        const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let count = 0; for (let i = 3; i < data.length; i += 4) if (data[i] > 0) count++;
        return count; }""")
    assert painted > 500, "the canvas has drawn nodes and edges"
    screenshot(page, "graph")
    assert page.errors == []


def test_paper_index_filters_and_sorts(page, demo_url):
    page.goto(demo_url + "papers/")
    rows = page.locator("#paper-table tbody tr")
    total = rows.count()
    page.fill("#paper-filter", "diffusion")
    visible = [r for r in rows.all() if r.is_visible()]
    assert 0 < len(visible) < total
    page.fill("#paper-filter", "")
    page.click("th button[data-sort='year']")
    years = [int(y or 0) for y in page.locator("#paper-table tbody tr td:nth-child(2)").all_inner_texts()]
    assert years == sorted(years, reverse=True)


def test_a_paper_page_downloads_its_bibtex_and_csl_json_under_its_key(page, demo_url):
    page.goto(demo_url + "papers/arxiv-2106.09685/")
    key = page.locator(".bibtex-box code").first.inner_text()
    downloaded = {}
    for label in (".bib", "CSL-JSON"):
        with page.expect_download() as info:
            page.get_by_role("link", name=label, exact=True).click()
        download = info.value
        downloaded[download.suggested_filename] = Path(download.path()).read_text(encoding="utf-8")
    assert set(downloaded) == {f"{key}.bib", f"{key}.csl.json"}
    assert downloaded[f"{key}.bib"] == page.locator("#bibtex-entry").inner_text()
    assert downloaded[f"{key}.bib"].startswith("@") and f"{{{key}," in downloaded[f"{key}.bib"]
    assert [item["id"] for item in json.loads(downloaded[f"{key}.csl.json"])] == [key]
    assert page.errors == []


SEEDS = REPO.parent / "shared" / "corpus" / "seeds"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/corpus/seeds is not beside the repository")
def test_seed_feed_notes_are_searchable_and_their_math_renders(page, tmp_path_factory):
    out = tmp_path_factory.mktemp("seeds-browser") / "site"
    build(SiteLayout.find(SEEDS, out), BuildOptions(cache=False))  # nothing written into ../shared
    server, url = serve(out)
    try:
        titles = search(page, url, "binoculars")
        assert any("Binoculars" in title for title in titles)
        page.goto(url + "notes/the-era-of-1-bit-llms-all-llms-are-in-1-58-bits/")
        assert page.locator("math").count() > 20
        body = page.locator(".note-body").inner_text()
        assert "$$" not in body and "\\frac" not in body and "\\text" not in body
        screenshot(page, "seeds-math")
    finally:
        server.shutdown()
