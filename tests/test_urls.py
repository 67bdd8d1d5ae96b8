import datetime as dt

import pytest

from papernotes.model import NoteDate
from papernotes.urls import UnsafeURL, check_slug, check_url, expand_permalink, output_file, slugify


@pytest.mark.parametrize("text, slug", [
    ("Attention Is All You Need", "attention-is-all-you-need"),
    ("LoRA: Low-Rank Adaptation", "lora-low-rank-adaptation"),
    ("  --Hello__World--  ", "hello__world"),
    ("Ünïcödé Straße", "ünïcödé-straße"),
    ("It’s fine", "its-fine"),
    ("???", "note"),
    ("CON", "note-con"),
    ("x" * 200, "x" * 80),
])
def test_slugify(text, slug):
    assert slugify(text) == slug


@pytest.mark.parametrize("slug", ["../../x", "..", ".", "a/b", "/abs", "a\\b", "a\x00b", "nul", "COM1.txt", "x" * 200, ""])
def test_unsafe_slugs_are_refused(slug):
    with pytest.raises(UnsafeURL):
        check_slug(slug)


@pytest.mark.parametrize("url", [
    "/../../x", "/a/../../b/", "../x.html", "/a/./b/", "C:\\x", "/a\x00/", "https://evil.example/x",
    "/con/", "/" + "y" * 200 + "/", "/a/%2e%2e/",
])
def test_unsafe_permalinks_are_refused(url):
    with pytest.raises(UnsafeURL):
        check_url(url)


@pytest.mark.parametrize("url, normal", [
    ("/notes/x/", "/notes/x/"), ("notes/x", "/notes/x/"), ("/2024/01/02/x.html", "/2024/01/02/x.html"),
    ("//notes//x/", "/notes/x/"), ("/", "/"),
])
def test_permalinks_are_normalised(url, normal):
    assert check_url(url) == normal


def test_expand_permalink_patterns():
    day = NoteDate(dt.datetime(2024, 3, 9), "day")
    assert expand_permalink("/notes/{slug}/", "x", day) == "/notes/x/"
    assert expand_permalink("/{year}/{month}/{day}/{slug}.html", "x", day) == "/2024/03/09/x.html"
    assert expand_permalink("/{year}/{month}/{slug}/", "x", NoteDate(dt.datetime(2024, 1, 1), "year")) == "/2024/x/"
    assert expand_permalink("/{year}/{slug}/", "x", None) == "/x/"


@pytest.mark.parametrize("url, path", [
    ("/", "index.html"), ("/notes/x/", "notes/x/index.html"), ("/a/b.html", "a/b.html"), ("/404.html", "404.html"),
])
def test_output_file(url, path):
    assert output_file(url) == path
