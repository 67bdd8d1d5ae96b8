"""Property tests: no reader raises on arbitrary input; it returns notes or diagnostics."""

from __future__ import annotations

import json
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from papernotes.read.site import READERS
from papernotes.config import Config
from papernotes.dates import parse_date
from papernotes.jsonbytes import compact_json
from papernotes.read.frontmatter import tags_of
from papernotes.markdown.pipeline import MarkdownRenderer
from papernotes.read import read_path
from papernotes.read.common import ReadContext, SourceFile
from papernotes.read.feeds import parse as parse_feed, parse_part
from papernotes.sitefiles import extension_of
from papernotes.urls import UnsafeURL, check_url, output_file, slugify

from .conftest import scratch

CONTEXT = ReadContext(Config(), MarkdownRenderer(), MarkdownRenderer(hard_breaks=True))
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text that looks like our inputs: front matter fences, feed tags, math, wikilinks, Liquid, HTML.
pieces = st.sampled_from([
    "---\n", "title: x\n", "date: 2024-01-01\n", "tags: [a, b\n", "<?xml version='1.0'?>", "<rss><channel><item>",
    "<title>T</title>", "</item></channel></rss>", "<feed>", "<entry>", "$", "$$", "\\frac{", "}", "[[", "]]", "|",
    "#tag ", "```\n", "{% raw %}", "{% highlight x %}", "{{ site.baseurl }}", "<script>", "\\(", "\\)", "[^1]",
    "- ", "1. ", "\n", "\r\n", "\ufeff", "https://arxiv.org/abs/2305.10601", "`", "*", "_", "<", "&amp;", "\x00",
])
texts = st.one_of(st.text(max_size=300), st.lists(st.one_of(pieces, st.text(max_size=8)), max_size=40).map("".join))


def read(data: bytes, suffix: str):
    path = scratch("papernotes-props-") / f"note{suffix}"
    path.write_bytes(data)
    return read_path(path, path.name, CONTEXT, READERS)


@PROPERTY
@given(texts, st.sampled_from([".md", ".txt", ".xml", ""]))
def test_readers_never_raise_on_text(text, suffix):
    result = read(text.encode("utf-8", "surrogatepass"), suffix)
    for note in result.notes:
        assert note.url.startswith("/") and note.title
        output_file(note.url)


@PROPERTY
@given(st.binary(max_size=400), st.sampled_from([".md", ".txt", ".xml"]))
def test_readers_never_raise_on_bytes(data, suffix):
    read(data, suffix)


@PROPERTY
@given(st.text(max_size=80))
def test_slugs_are_always_safe_url_segments(text):
    slug = slugify(text)
    assert check_url(f"/notes/{slug}/") == f"/notes/{slug}/"


@PROPERTY
@given(st.text(max_size=60))
def test_check_url_never_escapes(url):
    try:
        path = output_file(url)
    except UnsafeURL:
        return
    assert not path.startswith("/") and ".." not in path.split("/")


@PROPERTY
@given(st.one_of(st.text(max_size=30), st.integers(), st.dates(), st.datetimes(), st.none()))
def test_date_and_tag_parsing_never_raise(value):
    parse_date(value)
    tags_of(value)


# Items of RSS feeds as blogs write them, with what could make a feed cut between items parse to
# other items than the whole: relative links, an xml:base, a language, an item start in CDATA or a
# comment, an unclosed element, a permalink guid or not.
item_pieces = st.sampled_from([
    "<title>Attention &amp; more</title>", "<title></title>", "<link>/posts/a</link>", "<link>https://x.org/b?p=1&amp;q=2</link>",
    '<guid isPermaLink="false">urn:1</guid>', "<guid>https://x.org/c</guid>", "<pubDate>Tue, 02 Jan 2024 10:00:00 GMT</pubDate>",
    "<pubDate>someday</pubDate>", "<description>&lt;p&gt;See &lt;a href=\"/p/1\"&gt;this&lt;/a&gt; and $x_1$&lt;/p&gt;</description>",
    "<content:encoded><![CDATA[<p>On <img src=\"img/a.png\"> arXiv:1706.03762</p>]]></content:encoded>",
    "<content:encoded><![CDATA[<item> is a tag]]></content:encoded>", "<!-- <item> -->", "<dc:language>fr</dc:language>",
    "<category>ml</category>", "<dc:creator>Ann</dc:creator>", "<source url=\"https://y.org/feed\">Y</source>", "<b>", "&nbsp;",
])
item_openings = st.sampled_from(["<item>", '<item xml:base="https://z.org/d/">', '<item xml:lang="de">'])
feeds = st.tuples(
    st.sampled_from(['<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
                     'xmlns:dc="http://purl.org/dc/elements/1.1/">',
                     '<rss version="2.0" xml:base="https://x.org/blog/" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
                     'xmlns:dc="http://purl.org/dc/elements/1.1/">']),
    st.lists(st.tuples(item_openings, st.lists(item_pieces, max_size=6)), min_size=2, max_size=9),
    st.sampled_from(["", "<language>en</language>", "<textInput><title>q</title></textInput>"]),
).map(lambda feed: ('<?xml version="1.0" encoding="utf-8"?>\n' + feed[0] + "<channel><title>Blog</title>\n"
                    + "".join(f"{opening}{''.join(pieces)}</item>\n{feed[2]}" for opening, pieces in feed[1])
                    + "</channel></rss>\n"))


@PROPERTY
@given(feeds, st.integers(min_value=2, max_value=5))
def test_a_feed_parsed_in_parts_gives_the_items_of_the_whole(text, count):
    path = scratch("papernotes-props-") / "feed.xml"
    source = SourceFile(path, path.name, text)
    whole = parse_feed(source, CONTEXT)
    assert parse_feed(source, CONTEXT, (count, lambda parts: [parse_part(part) for part in parts])) == whole


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(st.characters(exclude_categories=())),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12)


@PROPERTY
@given(json_values, st.booleans())
def test_compact_json_writes_what_the_standard_encoder_writes(value, sort_keys):
    expected = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=sort_keys)
    assert compact_json(value, sort_keys) == expected.encode("utf-8", "surrogatepass")


@PROPERTY
@given(st.lists(st.text(alphabet=st.sampled_from("aZ.é_-/ "), max_size=8), min_size=1, max_size=4).map("/".join))
def test_a_file_extension_is_what_splitext_gives_in_lower_case(path):
    """``extension_of`` stands in for ``os.path.splitext(path)[1].lower()`` where every file of a
    folder is asked: names of dots alone, leading dots, trailing dots, dots in folder names."""
    assert extension_of(path) == os.path.splitext(path)[1].lower()
