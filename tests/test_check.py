"""``papernotes check`` on a written site: broken targets, anchors, and empty sources."""

from __future__ import annotations

from pathlib import Path

from papernotes.check import check_site


def test_empty_href_and_src_and_images_without_a_source_are_broken(tmp_path: Path):
    (tmp_path / "index.html").write_text(
        '<a href="">empty</a> <a name="top">anchor only</a> <img src=""> <img alt="none"> '
        '<img srcset="a.png 2x"> <script src=" "></script> <script>inline()</script> <a href="#top">ok</a>')
    (tmp_path / "a.png").write_bytes(b"")
    result = check_site(tmp_path)
    assert [str(b) for b in result.broken] == [
        'index.html: broken link → <a href=""> (empty link)',
        'index.html: broken link → <img src=""> (empty link)',
        "index.html: broken link → <img> without a source (empty link)",
        'index.html: broken link → <script src=""> (empty link)',
    ]


def test_pages_are_read_as_a_browser_reads_them(tmp_path: Path):
    """HTML5 parsing: an ``<image>`` in HTML content is an ``<img>`` (here without a source), a
    ``<title>`` holds text and no link, an attribute's ``&copy=`` before ``=`` is not an entity,
    a link in ``<noscript>`` is checked, an ``<a href>`` without a value links nowhere, and an
    element both linking and linked to is read once."""
    (tmp_path / "index.html").write_text(
        '<html><head><title><a href="/in-title">t</a></title></head><body>'
        '<image xlink:href="https://example.org/x.png"></image>'
        '<a href="page.html?a=1&copy=2">query</a> <a href>bare</a>'
        '<noscript><a href="/gone.html">no script</a></noscript>'
        '<a id="top" href="#top">self</a></body></html>')
    (tmp_path / "page.html").write_text("<p>page</p>")
    result = check_site(tmp_path)
    assert [str(b) for b in result.broken] == [
        "index.html: broken link → <img> without a source (empty link)",
        "index.html: broken link → /gone.html (no such file)",
    ]
    assert result.links == 4  # the query link, the noscript link, #top, and the empty <img>


def test_a_link_resolves_against_the_folder_of_each_page_it_is_on(tmp_path: Path):
    """Links are resolved once for all the pages that resolve them alike (a root-relative link
    once for the site), never once for pages in different folders: the same relative link holds
    in one folder and is broken in another, and a section link is looked for in its own page."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b" / "c").mkdir(parents=True)
    (tmp_path / "a" / "x.html").write_text("<p>x</p>")
    for folder in ("a", "b/c"):
        (tmp_path / folder / "index.html").write_text(
            f'<h2 id="{folder[0]}">{folder}</h2><a href="x.html">x</a> <a href="/a/x.html">root</a> '
            '<a href="#a">section</a> <a href="../a/x.html">up</a>')
    result = check_site(tmp_path)
    assert sorted(str(b) for b in result.broken) == [
        "b/c/index.html: broken link → #a (no element with id 'a')",
        "b/c/index.html: broken link → ../a/x.html (no such file)",
        "b/c/index.html: broken link → x.html (no such file)",
    ]
    assert result.links == 8


def test_pages_read_by_several_processes_give_the_same_check(tmp_path: Path, monkeypatch):
    """A large site's pages are read by one process per core: the check is the one a single
    process makes, broken links in the same order."""
    from papernotes import check

    for index in range(12):
        (tmp_path / f"p{index}.html").write_text(f'<h2 id="s{index}">{index}</h2><a href="p{index + 1}.html">next</a> '
                                                 f'<a href="#s{index - 1}">back</a> <img src="">')
    alone = check_site(tmp_path, workers=1)
    monkeypatch.setattr(check, "PARALLEL_PAGES", 1)
    together = check_site(tmp_path, workers=2)
    assert together == alone and len(alone.broken) == 12 + 1 + 12  # the empty images, p12.html, each page's own section link
