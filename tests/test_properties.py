"""Property tests: no reader raises on arbitrary input; it returns notes or diagnostics."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from papernotes.read.site import READERS
from papernotes.config import Config
from papernotes.dates import parse_date
from papernotes.read.frontmatter import tags_of
from papernotes.markdown.pipeline import MarkdownRenderer
from papernotes.read import read_path
from papernotes.read.common import ReadContext
from papernotes.urls import UnsafeURL, check_url, output_file, slugify

CONTEXT = ReadContext(Config(), MarkdownRenderer(), MarkdownRenderer(hard_breaks=True))
FOLDER = Path(tempfile.mkdtemp(prefix="papernotes-props-"))
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
    path = FOLDER / f"note{suffix}"
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
