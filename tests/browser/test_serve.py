"""The preview server end to end: edit a note, its CSS and its front matter, and watch the page follow."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from ..conftest import write_files
from .conftest import preview_server, screenshot

LONG_BODY = "\n\n".join(f"Paragraph {i} " + "words " * 60 for i in range(60))
NOTE = "---\ntitle: Live note\n---\n\nFirst version of the text.\n\n" + LONG_BODY + "\n"


@pytest.fixture
def served(tmp_path: Path):
    site = write_files(tmp_path / "site", {
        "content/live.md": NOTE,
        "content/other.md": "---\ntitle: Other\n---\nUnrelated.\n",
        "static/css/extra.css": "body { color: rgb(10, 20, 30); }\n",
        "templates/base.html": (Path(__file__).resolve().parents[2] / "templates/base.html").read_text().replace(
            "{% block head %}{% endblock %}", '<link rel="stylesheet" href="{{ "/css/extra.css" | url }}">{% block head %}{% endblock %}'),
    })
    with preview_server(site) as url:
        yield site, url


def edit(path: Path, text: str) -> float:
    path.write_text(text, encoding="utf-8")
    return time.perf_counter()


def test_edit_reload_keeps_scroll_css_swaps_and_errors_overlay(page, served):
    site, url = served
    page.goto(url + "notes/live/")
    page.wait_for_timeout(300)  # the event stream connects
    page.evaluate("window.scrollTo(0, 1500); window.marker = 'kept';")
    started = edit(site / "content/live.md", NOTE.replace("First version", "Second version"))
    page.wait_for_function("document.body.innerText.includes('Second version')", timeout=10000)
    latency = time.perf_counter() - started
    page.wait_for_timeout(200)
    assert abs(page.evaluate("window.scrollY") - 1500) < 50, "the scroll position stays"
    assert page.evaluate("window.marker") == "kept", "the new text is swapped in without a reload"
    print(f"edit-to-visible: {latency * 1000:.0f} ms")

    page.evaluate("window.marker = 'kept'")
    edit(site / "static/css/extra.css", "body { color: rgb(200, 0, 0); }\n")
    page.wait_for_function("getComputedStyle(document.body).color === 'rgb(200, 0, 0)'", timeout=10000)
    assert page.evaluate("window.marker") == "kept", "a CSS change swaps stylesheets without reloading"

    edit(site / "content/live.md", "---\ntitle: [broken\n---\nBody\n")
    page.wait_for_selector("#papernotes-errors", timeout=10000)
    overlay = page.locator("#papernotes-errors").inner_text()
    screenshot(page, "serve-error-overlay")
    assert re.search(r"live\.md:\d+:\d+: error: invalid YAML", overlay)
    assert page.locator("#papernotes-errors pre").count() == 1, "the offending source line is shown"
    assert "Second version" in page.locator("main").inner_text(), "the last good page stays"

    edit(site / "content/live.md", NOTE.replace("First version", "Third version"))
    page.wait_for_function("document.body.innerText.includes('Third version')", timeout=10000)
    assert page.locator("#papernotes-errors").count() == 0


def test_a_change_to_what_the_page_loads_reloads_it(page, served):
    site, url = served
    page.goto(url + "notes/live/")
    page.wait_for_timeout(300)
    page.evaluate("window.scrollTo(0, 1500); window.marker = 'kept';")
    edit(site / "content/live.md", NOTE + "\nNow with a diagram.\n\n```mermaid\ngraph TD; A-->B\n```\n")  # below: no shift
    page.wait_for_function("document.body.innerText.includes('Now with a diagram')", timeout=10000)
    assert page.evaluate("window.marker") is None, "a page whose scripts changed is loaded again"
    page.wait_for_timeout(200)
    assert abs(page.evaluate("window.scrollY") - 1500) < 50, "the scroll position survives the reload"

    page.evaluate("window.marker = 'kept'")
    template = site / "templates/base.html"
    edit(template, template.read_text().replace("</footer>", "<p>Footer changed</p></footer>"))
    page.wait_for_function("document.body.innerText.includes('Footer changed')", timeout=10000)
    assert page.evaluate("window.marker") == "kept", "a change outside what scripts set up is swapped in"


def test_unaffected_page_does_not_reload(page, served):
    site, url = served
    page.goto(url + "notes/other/")
    page.wait_for_timeout(300)
    page.evaluate("window.marker = 'same page'")
    edit(site / "content/live.md", NOTE.replace("First version", "Changed elsewhere"))
    page.wait_for_timeout(1500)
    assert page.evaluate("window.marker") == "same page"


def test_preview_search_finds_notes_and_papers(page, tmp_path: Path):
    site = write_files(tmp_path / "site", {
        "content/live.md": "---\ntitle: Live note\npaper: arXiv:1706.03762\n---\n\nSelf-attention replaces recurrence.\n",
        "content/other.md": "---\ntitle: Other\n---\nUnrelated words.\n",
    })
    with preview_server(site, search=True) as url:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:  # the index is made in the background after the first build
            page.goto(url + "search/?q=recurrence")
            try:
                page.wait_for_selector(".pagefind-ui__result-link", timeout=3000)
                break
            except Exception:
                continue
        page.errors.clear()  # the search page's requests made before the index was there
        hrefs = [link.get_attribute("href") for link in page.locator(".pagefind-ui__result-link").all()]
        assert hrefs[:1] == ["/notes/live/"], hrefs
        page.goto(url + "search/?q=1706.03762")
        page.wait_for_selector(".pagefind-ui__result-link", timeout=15000)
        hrefs = [link.get_attribute("href") for link in page.locator(".pagefind-ui__result-link").all()]
        assert any(href.startswith("/papers/") for href in hrefs), hrefs
        assert page.errors == []
