"""Obsidian notes in Chromium: callouts fold, Mermaid draws in both themes, hover previews show."""

from __future__ import annotations

from pathlib import Path

import pytest

from papernotes.build import BuildOptions, SiteLayout, build

from ..conftest import write_files
from .conftest import preview_server, screenshot, serve

VAULT: dict[str, str | bytes] = {
    "content/Callouts.md": (
        "---\ntitle: Callouts\n---\n"
        "Read [[Method notes#Results]] and [[Method notes]] before this, and arXiv:1706.03762.\n\n"
        "> [!note] A note\n> Plain callout with ==highlight==.\n\n"
        "> [!warning]- Closed fold\n> Hidden until opened.\n\n"
        "> [!tip]+ Open fold\n> > [!bug] Nested\n> > Inside a callout.\n\n"
        "> [!NOTE]\n> A GitHub alert.\n\n"
        "```mermaid\ngraph LR\n  Read --> Write\n  Write --> Publish\n```\n"
    ),
    "content/Method notes.md": (
        "---\ntitle: Method notes\ndate: 2024-03-09\n---\nThe opening paragraph of the method notes.\n\n"
        + "".join(f"Filler paragraph {n} to make the page long enough to scroll.\n\n" for n in range(30))
        + "## Results\n\nThe results section the link points at.\n"
    ),
}


def _site(root: Path, files: dict[str, str | bytes]) -> tuple[object, str]:
    write_files(root, files)
    out = root / "site"
    result = build(SiteLayout.find(root, out), BuildOptions(base_url="/", search=False))
    assert result.errors == 0
    return serve(out)


@pytest.fixture(scope="module")
def vault_url(tmp_path_factory: pytest.TempPathFactory):
    server, url = _site(tmp_path_factory.mktemp("vault"), VAULT)
    yield url
    server.shutdown()  # type: ignore[attr-defined]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_callouts_fold_without_scripts_and_take_theme_colours(page, vault_url, scheme) -> None:
    page.emulate_media(color_scheme=scheme)
    page.goto(vault_url + "notes/callouts/")
    closed = page.locator('details.callout[data-callout="warning"]')
    assert closed.get_attribute("open") is None
    assert not page.get_by_text("Hidden until opened.").is_visible()
    closed.locator("summary").click()
    assert page.get_by_text("Hidden until opened.").is_visible()
    closed.locator("summary").focus()
    page.keyboard.press("Enter")
    assert not page.get_by_text("Hidden until opened.").is_visible()
    assert page.locator('details.callout[data-callout="tip"]').get_attribute("open") is not None
    assert page.locator('.callout[data-callout="bug"]').is_visible()
    note_colour = page.locator('.callout[data-callout="note"] .callout-title').first.evaluate("e => getComputedStyle(e).color")
    bug_colour = page.locator('.callout[data-callout="bug"] .callout-title').evaluate("e => getComputedStyle(e).color")
    assert note_colour != bug_colour
    icon = page.locator('.callout[data-callout="note"] .callout-icon').first.bounding_box()
    assert icon and icon["width"] > 8
    assert "[!" not in page.locator(".note-body").inner_text()
    screenshot(page, f"obsidian-callouts-{scheme}")
    assert page.errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_mermaid_draws_from_the_sites_own_copy_in_the_page_theme(page, vault_url, scheme) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.emulate_media(color_scheme=scheme)
    page.goto(vault_url + "notes/callouts/")
    page.wait_for_selector("pre.mermaid svg", timeout=15000)
    assert page.locator("pre.mermaid svg").bounding_box()["width"] > 100
    assert all(url.startswith(vault_url) for url in requests), "no request leaves the site"
    background = page.locator("pre.mermaid svg .node rect, pre.mermaid svg .node polygon").first.evaluate(
        "e => getComputedStyle(e).fill")
    screenshot(page, f"obsidian-mermaid-{scheme}")
    page.click(".theme-toggle")
    page.wait_for_function(
        "fill => { const n = document.querySelector('pre.mermaid svg .node rect, pre.mermaid svg .node polygon');"
        " return n && getComputedStyle(n).fill !== fill; }", arg=background, timeout=15000)
    page.evaluate("localStorage.clear()")  # the toggle is remembered; later tests choose their own scheme
    assert page.errors == []


def test_mermaid_is_loaded_only_where_a_diagram_is(page, vault_url) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(vault_url + "notes/method-notes/")
    assert not any("mermaid" in url for url in requests)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_hover_preview_shows_the_linked_section_without_moving_the_page(page, vault_url, scheme) -> None:
    page.emulate_media(color_scheme=scheme)
    page.goto(vault_url + "notes/callouts/")
    link = page.locator(".note-body a.wikilink", has_text="Results")
    before = page.locator("article .note-body").bounding_box()
    link.hover()
    popover = page.locator(".pn-popover")
    popover.wait_for(state="visible", timeout=5000)
    assert "Method notes" in popover.inner_text()
    assert "9 March 2024" in popover.inner_text()
    popover_box, heading = popover.bounding_box(), popover.locator('[data-preview-id="results"]').bounding_box()
    assert heading and popover_box["y"] <= heading["y"] < popover_box["y"] + popover_box["height"], "scrolled to the heading"
    assert page.locator("article .note-body").bounding_box() == before, "no layout shift"
    screenshot(page, f"obsidian-preview-{scheme}")
    page.mouse.move(5, 5)
    popover.wait_for(state="hidden", timeout=5000)
    assert page.errors == []


def test_hover_preview_by_keyboard(page, vault_url) -> None:
    page.goto(vault_url + "notes/callouts/")
    page.locator(".note-body a.wikilink", has_text="Method notes").last.focus()
    popover = page.locator(".pn-popover")
    popover.wait_for(state="visible", timeout=5000)
    assert "opening paragraph" in popover.inner_text()
    page.keyboard.press("Escape")
    popover.wait_for(state="hidden", timeout=5000)


def test_hover_preview_of_a_paper_page(page, vault_url) -> None:
    page.goto(vault_url + "notes/callouts/")
    page.locator(".note-papers a").first.hover()
    popover = page.locator(".pn-popover")
    popover.wait_for(state="visible", timeout=5000)
    assert "Discussed in 1 note" in popover.inner_text() and "Callouts" in popover.inner_text()
    assert page.errors == []


def test_hover_previews_off_by_config(page, tmp_path) -> None:
    server, url = _site(tmp_path, {**VAULT, "papernotes.yaml": "hover_previews: false\n"})
    try:
        page.goto(url + "notes/callouts/")
        page.locator(".note-body a.wikilink", has_text="Results").hover()
        page.wait_for_timeout(800)
        assert page.locator(".pn-popover").count() == 0
    finally:
        server.shutdown()  # type: ignore[attr-defined]


def test_preview_rebuilds_a_page_when_a_note_it_embeds_changes(page, tmp_path) -> None:
    site = write_files(tmp_path / "site", {
        "content/Host.md": "---\ntitle: Host\n---\nWhat Inner says:\n\n![[Inner#Part]]\n",
        "content/Inner.md": "---\ntitle: Inner\n---\n## Part\n\nFirst words.\n",
    })
    with preview_server(site) as url:
        page.goto(url + "notes/host/")
        assert "First words." in page.locator("blockquote.embed").inner_text()
        page.wait_for_timeout(300)  # the event stream connects
        (site / "content/Inner.md").write_text("---\ntitle: Inner\n---\n## Part\n\nSecond words.\n", encoding="utf-8")
        page.wait_for_function("document.querySelector('blockquote.embed').innerText.includes('Second words.')",
                               timeout=10000)
    assert page.errors == []
