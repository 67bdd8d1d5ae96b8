"""The quicker linkify pretest answers exactly as linkify-it's own, and the quicker link
normalization as markdown-it's."""

from __future__ import annotations

import re
import sys

from hypothesis import given, settings, strategies as st
from linkify_it import LinkifyIt
from markdown_it.common.normalize_url import normalizeLink, normalizeLinkText

from papernotes.markdown.linkify import QuickLinkify
from papernotes.markdown.linkurls import _UNCHANGED, normalized_link, normalized_link_text
from papernotes.text import IGNORECASE_FOLDS

ORIGINAL, QUICK = LinkifyIt(), QuickLinkify()
PIECES = ["http:", "HTTPS:", "hTtP:", "ftp:", "mailto:", "//", "www.", "WWW.", "localhost", "LocalHost", ".com", ".io",
          ".1.", ".123.", "@", "_", "<", ">", "\uff5c", " ", "\n", "(", ".", ":", "/", "a", "s", "\u017f", "\u0130",
          "\u0131", "\u212a", "é", "—", "1", "example", "arXiv:2106.09685", "e.g.", "x.org/y"]


def test_the_library_pattern_is_the_one_split() -> None:
    assert QUICK._quick is not None  # an upgraded linkify-it with another pattern falls back to its own pretest


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=3), max_size=12).map("".join))
def test_pretest_agrees_with_linkify_it(text: str) -> None:
    assert QUICK.pretest(text) == ORIGINAL.pretest(text)


def test_prose_and_links() -> None:
    for text in ("plain words only.", "see example.com here", "mail me@there", "version 1.2.3", "a:b", "x_http://y",
                 "(https://arxiv.org/abs/1706.03762)", "LOCALHO\u017fT:8000", "the model. Net gains", "《http://a.cn》"):
        assert QUICK.pretest(text) == ORIGINAL.pretest(text), text


def test_folds_are_every_non_ascii_character_matching_an_ascii_letter() -> None:
    everything = "".join(map(chr, [*range(128, 0xD800), *range(0xE000, sys.maxunicode + 1)]))
    folding = set(re.findall("[a-z]", everything, re.IGNORECASE))
    assert folding == {chr(code) for code in IGNORECASE_FOLDS}


URL_PIECES = ["http://", "https://", "HTTP://", "//", "///", "mailto:", "ftp://", "javascript:", "arxiv.org",
              "ArXiv.org", "xn--r8jz45g.", "example.com", "a.b", ":", ":8000", "@", "user@", "/", "?", "#", "%", "%20",
              "%zz", "[", "]", "\\", " ", "é", "ü.de", "xn--", "abs/1706.03762", "~", "'", "(", ")", "*", "!", "$", "&",
              "=", "+", ",", ";", ".", "..", "-"]


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(URL_PIECES) | st.text(max_size=3), max_size=10).map("".join))
def test_link_normalization_agrees_with_markdown_it(url: str) -> None:
    assert normalized_link(url) == normalizeLink(url)
    assert normalized_link_text(url) == normalizeLinkText(url)


def test_links_of_notes_are_given_back_as_written() -> None:
    for url in ("https://arxiv.org/abs/1706.03762", "/notes/a-note/", "#key-ideas", "../images/fig-1.png",
                "https://openreview.net/forum?id=abc:d@e", "http://localhost/x"):
        assert _UNCHANGED.fullmatch(url) and normalized_link(url) == normalizeLink(url) == url, url
        assert normalized_link_text(url) == normalizeLinkText(url) == url, url
    for url in ("https://ArXiv.org/abs/1", "https://example.com:8000/", "mailto:a@b.c", "https://例え.jp/", "a b", "%41"):
        assert not _UNCHANGED.fullmatch(url) and normalized_link(url) == normalizeLink(url), url
        assert normalized_link_text(url) == normalizeLinkText(url), url
    punycode = "https://xn--r8jz45g.jp/"
    assert normalized_link_text(punycode) == normalizeLinkText(punycode) == "https://例え.jp/"
