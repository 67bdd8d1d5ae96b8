"""Heading ids: attributes written on the heading, else GitHub's anchor for its text.

``## Title {#id .class}`` (Hugo, Pandoc, kramdown; ``{: #id}`` too) gives the heading that id
and class and is removed from its text, so it is never read as a ``#tag``. Other headings get
the anchor GitHub (and Jekyll's kramdown GFM parser, Hugo, Quartz) derives from the text:
lower case, everything but letters, digits, marks, ``_``, ``-`` and spaces removed, each
space a hyphen (``Understanding / Generalization`` → ``understanding--generalization``), and
``-1``, ``-2``… for repeats — so in-page tables of contents written for those sites resolve.
"""

from __future__ import annotations

import re
import unicodedata

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

from .attributes import apply, parse_attributes

_TRAILING_LIST = re.compile(r"\s*\{:?\s*([#.][^{}]*|[^{}]*=[^{}]*)\}\s*$")
_NOT_KEPT_ASCII = re.compile(r"[^a-z0-9 _-]")


def heading_attributes_plugin(md: MarkdownIt) -> None:
    """Move ``{#id .class}`` from a heading's text onto the heading (before inline parsing)."""
    md.core.ruler.before("inline", "heading_attributes", _heading_attributes)


def _heading_attributes(state: StateCore) -> None:
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "inline" or index == 0 or tokens[index - 1].type != "heading_open":
            continue
        match = _TRAILING_LIST.search(token.content)
        parsed = parse_attributes(match.group(1)) if match else None
        if match is None or parsed is None:
            continue
        token.content = token.content[:match.start()].rstrip()
        apply(tokens[index - 1].attrs, parsed.html())


def github_anchor(text: str) -> str:
    """The anchor GitHub gives a heading with this text (without the repeat counter)."""
    if text.isascii():  # the letters and digits of ASCII are its only ones, and it has no marks
        return _NOT_KEPT_ASCII.sub("", text.lower()).replace(" ", "-")
    return "".join(char for char in text.lower()
                   if char in " -_" or unicodedata.category(char)[0] in "LNM").replace(" ", "-")


def unique_anchor(anchor: str, used: dict[str, int]) -> str:
    """``anchor``, or ``anchor-1``, ``anchor-2``… when taken; records the result in ``used``."""
    anchor = anchor or "section"
    candidate = anchor
    while candidate in used:
        used[anchor] = used.get(anchor, 0) + 1
        candidate = f"{anchor}-{used[anchor]}"
    used.setdefault(candidate, 0)
    return candidate
