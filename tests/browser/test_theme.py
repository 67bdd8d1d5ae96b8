"""The theme as a reader sees it in Chromium: the math font and gallery, plain-text meta, the
table of contents, one column on every page kind, the graph views, light and dark screenshots."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest

from papernotes.build import BuildOptions, SiteLayout, build

from ..conftest import REPO, write_files
from .conftest import ARTIFACTS, screenshot, serve

GALLERY = Path(__file__).resolve().parent.parent / "fixtures" / "math" / "gallery.md"
WIDE_TABLE = "| " + " | ".join(f"column {i}" for i in range(30)) + " |\n|" + "---|" * 30 + "\n| " + " | ".join("x" * 8 for _ in range(30)) + " |\n"
THEME_NOTES = {
    "content/gallery.md": GALLERY.read_text(encoding="utf-8"),
    "content/plain.md": "---\ntitle: No math here\ndate: 2024-01-02\n---\nJust words, and a link to [[Math gallery]].\n",
    "content/wide.md": ("---\ntitle: Wide things\ndate: 2024-01-03\n---\n## Table\n\n" + WIDE_TABLE
                        + "\n## Code\n\n```python\nx = '" + "y" * 300 + "'\n```\n"),
    "content/nested.md": ("---\ntitle: Nested contents\ndate: 2024-01-04\n---\n## Method\n\nText.\n\n### Data\n\nText.\n\n"
                          "### Training\n\nText.\n\n## Results\n\nText.\n"),
    "content/numbered.md": ("---\ntitle: Numbered headings\ndate: 2024-01-05\n---\n## 1. Introduction\n\nText.\n\n"
                            "## 2. Method\n\nText.\n\n### 2.1 Data\n\nText.\n"),
    "content/alone.md": "---\ntitle: A note nothing links\ndate: 2024-01-06\n---\nOn its own.\n",
}


@pytest.fixture(scope="module")
def theme_url(tmp_path_factory: pytest.TempPathFactory):
    root = write_files(tmp_path_factory.mktemp("theme"), THEME_NOTES)
    out = root / "site"
    result = build(SiteLayout.find(root, out), BuildOptions(base_url="/", cache=False))
    assert result.errors == 0
    server, url = serve(out)
    yield url
    server.shutdown()


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("theme-demo") / "site"
    build(SiteLayout.find(REPO, out), BuildOptions(base_url="/", cache=False))
    server, url = serve(out)
    yield url, out
    server.shutdown()


MEASURE = """(tex) => {
    const annotation = [...document.querySelectorAll('annotation')].find(a => a.textContent.trim() === tex);
    const math = annotation.closest('math');
    const box = (el) => { const r = el.getBoundingClientRect(); return {w: r.width, h: r.height, top: r.top, bottom: r.bottom}; };
    const parts = {math: box(math)};
    for (const tag of ['mo', 'mfrac', 'msqrt', 'munderover', 'mover', 'mi', 'mtable']) {
        const el = math.querySelector(tag); if (el) parts[tag] = box(el);
    }
    return parts;
}"""


def test_math_uses_the_shipped_math_font_only_where_there_is_math(page, theme_url):
    page.goto(theme_url + "notes/plain/")
    page.wait_for_load_state("load")
    assert not [e for e in page.evaluate("performance.getEntriesByType('resource').map(e => e.name)") if "STIXMath" in e]
    page.goto(theme_url + "notes/gallery/")
    page.evaluate("document.fonts.ready")
    assert page.evaluate("getComputedStyle(document.querySelector('math')).fontFamily").startswith('"STIX Math"')
    assert page.evaluate("document.fonts.check('20px \"STIX Math\"', '∑')")
    assert [e for e in page.evaluate("performance.getEntriesByType('resource').map(e => e.name)") if "STIXMath" in e]
    assert page.errors == []


def test_math_gallery_geometry_matches_tex(page, theme_url):
    """A visual regression check in numbers: what went wrong without a MATH font must stay fixed."""
    page.goto(theme_url + "notes/gallery/")
    page.evaluate("document.fonts.ready")
    shot = screenshot(page, "math-gallery")
    assert shot.stat().st_size > 10_000
    hat = page.evaluate(MEASURE, r"\hat y")
    letter = page.evaluate(MEASURE, r"\tilde x")
    assert hat["math"]["h"] < 1.6 * letter["math"]["h"], "\\hat is one accent, not a second chevron"
    delimiters = page.evaluate(MEASURE, r"\left( \frac{a}{b} \right) \left[ \frac{\partial^2 f}{\partial x^2} \right] \left\{ \sum_{i=1}^{n} x_i \right\} \left\| \frac{x}{y} \right\|")
    assert delimiters["mo"]["h"] >= 0.9 * delimiters["mfrac"]["h"], "\\left( stretches around the fraction"
    assert delimiters["munderover"]["h"] > 1.8 * letter["mi"]["h"], "limits of \\sum sit under and over it"
    radicals = page.evaluate(MEASURE, r"\sqrt{x} + \sqrt{\frac{a}{b}} + \sqrt[3]{x^2 + y^2} + \sqrt{\sqrt{x}}")
    assert radicals["msqrt"]["h"] > 0.8 * letter["mi"]["h"]
    operators = page.evaluate(MEASURE, r"\sum_{i=1}^{n} x_i \quad \prod_{k=1}^{K} p_k \quad \bigcup_{j} A_j \quad \lim_{n \to \infty} \frac{1}{n}")
    assert operators["munderover"]["h"] > 2 * letter["mi"]["h"]
    aligned = page.evaluate(MEASURE, r"\begin{aligned} \mathcal{L}(\theta) &= \mathbb{E}_{x \sim p}\left[ \log q_\theta(x) \right] \\ &\le \log \mathbb{E}_{x \sim p}\left[ q_\theta(x) \right] \end{aligned}")
    assert aligned.get("mtable") and aligned["mtable"]["h"] > 1.8 * letter["mi"]["h"], "aligned rows stack"
    text = page.locator(".note-body").inner_text()
    assert "&=" not in text and "\\" not in text
    assert page.errors == []


def test_wide_display_math_tables_and_code_scroll_inside_the_column(page, theme_url):
    page.set_viewport_size({"width": 800, "height": 900})
    for path, selector in (("notes/gallery/", ".math-display, .math-display math"), ("notes/wide/", ".note-body table"), ("notes/wide/", "pre")):
        page.goto(theme_url + path)
        widths = page.evaluate(f"""() => [...document.querySelectorAll('{selector}')].map(el => [el.scrollWidth, el.clientWidth])""")
        assert any(scroll > client for scroll, client in widths), f"{selector} on {path} scrolls"
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), f"{path} does not scroll sideways"


def test_the_contents_nest_by_level_and_number_only_unnumbered_headings(page, theme_url):
    page.goto(theme_url + "notes/nested/")
    top = page.locator(".toc details > ol > li")
    assert top.count() == 2
    inner = page.locator(".toc details > ol > li > ol > li")
    assert inner.count() == 2
    assert inner.first.bounding_box()["x"] > top.first.bounding_box()["x"] + 10, "level 3 is indented"
    page.locator(".toc summary").click()
    assert not top.first.is_visible(), "the contents fold"
    page.goto(theme_url + "notes/numbered/")
    assert page.locator(".toc details > ul").count() == 1 and page.locator(".toc ol").count() == 0
    assert page.evaluate("getComputedStyle(document.querySelector('.toc li')).listStyleType") == "none"


PAGE_KINDS = [("", "home"), ("notes/nested/", "note"), ("papers/", "papers"), ("tags/", "tags"),
              ("archive/", "archive"), ("graph/", "graph"), ("search/", "search"), ("404.html", "404")]


def test_the_main_column_starts_at_the_same_x_on_every_page_kind(page, demo_url, theme_url):
    url, _ = demo_url
    lefts = {}
    for base, note in ((url, "notes/lora/"), (theme_url, "notes/nested/")):
        for path, kind in PAGE_KINDS:
            page.goto(base + (note if kind == "note" else path))
            lefts[(base, kind)] = page.evaluate("""() => {
                const main = document.querySelector('main'), style = getComputedStyle(main);
                return Math.round(main.getBoundingClientRect().left + parseFloat(style.paddingLeft)); }""")
            heading = page.locator("main h1").first.bounding_box()
            assert round(heading["x"]) == lefts[(base, kind)], kind
    assert len(set(lefts.values())) == 1, lefts
    footer = page.evaluate("document.querySelector('.site-footer .wrap').getBoundingClientRect().left")
    main = page.evaluate("document.querySelector('main').getBoundingClientRect().left")
    assert round(footer) == round(main)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_kind_in_light_and_dark(browser_context, demo_url, scheme):
    url, _ = demo_url
    tab = browser_context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.emulate_media(color_scheme=scheme)
    try:
        for path, kind in [*PAGE_KINDS[:1], ("notes/attention-is-all-you-need/", "note"), *PAGE_KINDS[2:],
                           ("papers/arxiv-2203.15556/", "paper")]:
            tab.goto(url + path)
            tab.evaluate("localStorage.removeItem('papernotes-theme')")
            if kind == "graph":
                tab.wait_for_selector("canvas[data-settled]", state="attached", timeout=60000)
            background = tab.evaluate("getComputedStyle(document.body).backgroundColor")
            assert (background == "rgb(21, 23, 26)") == (scheme == "dark"), kind
            screenshot(tab, f"kind-{kind}-{scheme}")
    finally:
        tab.close()
    assert errors == []


def test_summaries_and_meta_tags_read_formulas_as_text(page, demo_url):
    url, out = demo_url
    page.goto(url + "notes/attention-is-all-you-need/")
    for selector in ('meta[name="description"]', 'meta[property="og:description"]', 'meta[name="twitter:description"]'):
        content = page.locator(selector).get_attribute("content")
        assert content and "\\" not in content and "$" not in content, selector
    json_ld = json.loads(page.locator('script[type="application/ld+json"]').text_content())
    assert "\\" not in json_ld.get("description", "")
    for feed in ("feed.xml", "feed.json"):
        text = (out / feed).read_text(encoding="utf-8")
        summaries = [part.split("</summary>")[0] for part in text.split("<summary>")[1:]] if feed == "feed.xml" else \
            [item.get("summary", "") for item in json.loads(text)["items"]]
        assert summaries and not any("\\" in summary for summary in summaries), feed
    graph = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    assert not any("\\" in node["title"] for node in graph["nodes"])


def test_search_results_show_no_tex_source(page, demo_url):
    url, _ = demo_url
    page.goto(f"{url}search/?q=attention")
    page.wait_for_selector(".pagefind-ui__result-excerpt", timeout=15000)
    for excerpt in page.locator(".pagefind-ui__result-excerpt").all_inner_texts():
        assert "\\mathrm" not in excerpt and "\\frac" not in excerpt and "\\sqrt" not in excerpt, excerpt


def _wait_for_graph(page):
    page.wait_for_selector("canvas[data-settled]", state="attached", timeout=180000)
    return page.evaluate("""() => { const g = document.querySelector('canvas.graph-canvas').graph;
        return {labels: g.labels, width: g.width, height: g.height,
                nodes: g.nodes.map(n => ({id: n.id, x: n.sx, y: n.sy, degree: n.degree, r: g.radius(n)}))}; }""")


def test_the_full_graph_uses_the_viewport_labels_hubs_and_sets_unlinked_notes_apart(page, theme_url):
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(theme_url + "graph/")
    graph = _wait_for_graph(page)
    column = page.evaluate("document.querySelector('main').clientWidth")
    assert graph["width"] > column + 200, "the full graph is wider than the text column"
    assert graph["labels"] > 0
    inside = [n for n in graph["nodes"] if 0 <= n["x"] <= graph["width"] and 0 <= n["y"] <= graph["height"]]
    assert len(inside) == len(graph["nodes"]), "the fitted view shows every node"
    linked = [n for n in graph["nodes"] if n["degree"] > 0]
    alone = next(n for n in graph["nodes"] if n["id"] == "note:alone")
    assert alone["degree"] == 0 and alone["y"] > max(n["y"] for n in linked), "unlinked notes sit under the graph"
    for index, a in enumerate(linked):
        for b in linked[index + 1:]:
            assert (a["x"] - b["x"]) ** 2 + (a["y"] - b["y"]) ** 2 > 1, "no two nodes on top of each other"
    screenshot(page, "graph-full")
    assert page.errors == []


def test_the_neighbourhood_graph_stays_in_its_box(page, demo_url):
    url, _ = demo_url
    page.goto(url + "notes/reading-list/")
    graph = _wait_for_graph(page)
    assert len(graph["nodes"]) > 5
    for node in graph["nodes"]:
        assert node["r"] <= node["x"] + node["r"] * 2 and node["x"] <= graph["width"] and 0 <= node["y"] <= graph["height"], node
    assert graph["labels"] >= min(len(graph["nodes"]), 5)
    page.locator(".local-graph").screenshot(path=str(ARTIFACTS / "graph-neighbourhood.png"))


def _big_graph(size: int) -> dict:
    """A graph.json shaped like a large notes site: notes tagged and discussing shared papers."""
    rng = random.Random(7)
    tags = [f"tag-{i}" for i in range(200)]
    papers = [f"paper:arxiv:{2300 + i // 10000}.{i % 10000:05d}" for i in range(size // 3)]
    nodes = [{"id": f"tag:{t}", "type": "tag", "title": t, "url": f"/tags/{t}/"} for t in tags]
    nodes += [{"id": p, "type": "paper", "title": f"Paper {i}", "url": "/papers/"} for i, p in enumerate(papers)]
    edges = []
    for i in range(size):
        note = f"note:n{i}"
        nodes.append({"id": note, "type": "note", "title": f"Note number {i}", "url": "/"})
        for tag in rng.sample(tags[: 20 + rng.randrange(180)], rng.randint(1, 3)):
            edges.append({"source": note, "target": f"tag:{tag}", "type": "tagged"})
        for paper in rng.sample(papers, rng.randint(1, 3)):
            edges.append({"source": note, "target": paper, "type": "discusses"})
    return {"version": 1, "nodes": nodes, "edges": edges}


def test_the_graph_stays_smooth_at_ten_thousand_notes(page, tmp_path_factory, demo_url):
    _, out = demo_url
    site = tmp_path_factory.mktemp("big-graph") / "site"
    shutil.copytree(out, site)
    (site / "graph.json").write_text(json.dumps(_big_graph(10_000)), encoding="utf-8")
    server, url = serve(site)
    try:
        page.set_viewport_size({"width": 1400, "height": 900})
        page.goto(url + "graph/")
        _wait_for_graph(page)
        fps = page.evaluate("""() => new Promise(resolve => {
            const canvas = document.querySelector('canvas.graph-canvas'), box = canvas.getBoundingClientRect();
            let frames = 0, step = 0; const start = performance.now();
            function frame() {
                frames++; step++;
                canvas.dispatchEvent(new WheelEvent('wheel', {deltaY: step % 60 < 30 ? -40 : 40, clientX: box.left + box.width / 2,
                                                               clientY: box.top + box.height / 2, cancelable: true}));
                if (performance.now() - start < 3000) requestAnimationFrame(frame);
                else resolve(frames / ((performance.now() - start) / 1000));
            }
            requestAnimationFrame(frame);
        })""")
        (ARTIFACTS / "graph-10k-fps.txt").write_text(f"{fps:.1f} frames per second while zooming 10,000 notes\n")
        screenshot(page, "graph-10k")
        assert fps >= 15, f"{fps:.1f} fps"
        assert page.errors == []
    finally:
        server.shutdown()
