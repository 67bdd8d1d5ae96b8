"""The quicker linkify pretest answers exactly as linkify-it's own."""

from __future__ import annotations

import re
import sys

from hypothesis import given, settings, strategies as st
from linkify_it import LinkifyIt

from papernotes.markdown.linkify import QuickLinkify
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
