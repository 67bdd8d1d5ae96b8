"""Feeds out (Atom, JSON Feed, per tag and per paper), sitemap and robots.txt."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET

import feedparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from papernotes.build import BuildOptions, SiteLayout, build

from .conftest import REPO

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("feeds") / "site"
    build(SiteLayout.find(REPO, out), BuildOptions(search=False, base_url="https://example.org/notes/"))
    return out


def check_atom(path) -> ET.Element:
    """The Atom 1.0 rules a validator checks first: required elements, one self link, RFC 3339 dates,
    absolute ids and links."""
    root = ET.parse(path).getroot()
    assert root.tag == f"{ATOM}feed"
    for element in (root, *root.findall(f"{ATOM}entry")):
        for name in ("id", "title", "updated"):
            assert element.find(f"{ATOM}{name}") is not None, (path, name)
        dt.datetime.fromisoformat(element.find(f"{ATOM}updated").text)
        assert element.find(f"{ATOM}id").text.startswith("https://example.org/notes/")
        assert all(link.get("href", "").startswith("https://") for link in element.findall(f"{ATOM}link"))
    assert len([l for l in root.findall(f"{ATOM}link") if l.get("rel") == "self"]) == 1
    return root


def test_site_atom_feed_round_trips(site):
    check_atom(site / "feed.xml")
    parsed = feedparser.parse((site / "feed.xml").read_bytes())
    assert parsed.bozo == 0 and parsed.version == "atom10"
    assert len(parsed.entries) == 11 and parsed.entries[0].title == "Reading list: the LLM stack, bottom to top"
    entry = next(e for e in parsed.entries if e.title == "Attention Is All You Need")
    assert entry.link == "https://example.org/notes/notes/attention-is-all-you-need/"
    assert "<math" in entry.content[0].value and 'href="https://example.org/notes/notes/flashattention/"' in entry.content[0].value
    assert {t.term for t in entry.tags} == {"transformers", "attention", "nlp"}


def test_json_feed(site):
    feed = json.loads((site / "feed.json").read_text())
    assert feed["version"] == "https://jsonfeed.org/version/1.1" and feed["feed_url"] == "https://example.org/notes/feed.json"
    assert len(feed["items"]) == 11
    for item in feed["items"]:
        assert item["id"] == item["url"] and item["url"].startswith("https://example.org/notes/")
        assert item["content_html"] and dt.datetime.fromisoformat(item["date_published"])


def test_tag_feeds(site):
    tag = check_atom(site / "tags/llm/feed.xml")
    assert len(tag.findall(f"{ATOM}entry")) == 5
    page = (site / "tags/llm/index.html").read_text()
    assert '<link rel="alternate" type="application/atom+xml" title="papernotes demo: #llm" href="/notes/tags/llm/feed.xml">' in page
    assert '<link rel="alternate" type="application/atom+xml" title="papernotes demo" href="/notes/feed.xml">' in page


def test_sitemap_lists_every_page_and_robots_points_at_it(site):
    root = ET.parse(site / "sitemap.xml").getroot()
    locations = {loc.text for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    pages = {"https://example.org/notes/" + p.relative_to(site).as_posix().removesuffix("index.html")
             for p in site.rglob("*.html") if p.name != "404.html"}
    assert locations == pages
    assert (site / "robots.txt").read_text().endswith("Sitemap: https://example.org/notes/sitemap.xml\n")


@settings(max_examples=500)
@given(st.text(alphabet=st.sampled_from("ab&<>\"'\n\r\t é"), max_size=20) | st.text())
def test_xml_text_and_attributes_are_escaped_as_the_standard_library_escapes_them(text: str) -> None:
    from xml.sax import saxutils

    from papernotes.emit.syndication import escape, quoteattr

    kept = "".join(c for c in text if c in "\t\n\r" or "\x20" <= c <= "\ud7ff" or "\ue000" <= c <= "\ufffd" or c >= "\U00010000")
    assert escape(text) == saxutils.escape(kept)  # but what XML cannot carry, left out
    assert quoteattr(text) == saxutils.quoteattr(kept)
    ET.fromstring(f"<a b={quoteattr(text)}>{escape(text)}</a>".encode("utf-8"))  # well-formed, whatever the text


def test_a_control_character_in_a_note_leaves_its_feeds_readable(build_site) -> None:
    """Text pasted from a PDF brings form feeds and unit separators, which XML cannot carry."""
    result = build_site({"papernotes.yaml": "base_url: https://example.org/notes/\n",
                         "content/pasted.md": "---\ntitle: Pasted\ntags: [pdf]\n---\nA \x0c formula $0\x1f1 + x$ and \x0b text.\n"})
    for feed in ("feed.xml", "tags/pdf/feed.xml"):
        entry = check_atom(result.out_dir / feed).find(f"{ATOM}entry")
        assert entry is not None and entry.find(f"{ATOM}title").text == "Pasted"
    content = check_atom(result.out_dir / "feed.xml").find(f"{ATOM}entry/{ATOM}content").text
    assert "formula" in content and "text" in content and "\x1f" not in content
