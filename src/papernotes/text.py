"""Text cut to a length for summaries and excerpts, at a word boundary, markup left out; and text
lower-cased for quick word tests before a case-insensitive search."""

from __future__ import annotations

import re

SUMMARY_LENGTH = 240
_TAGS = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
#: The characters beyond ASCII that a case-insensitive pattern matches to ASCII letters.
IGNORECASE_FOLDS = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})
_FOLDING = re.compile(f"[{''.join(map(chr, IGNORECASE_FOLDS))}]")  # any of those characters


def shorten(text: str, limit: int = SUMMARY_LENGTH) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with an ellipsis."""
    text = _SPACE.sub(" ", _TAGS.sub(" ", text)).strip()
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:.")
    return cut + "…"


def folded(text: str) -> str:
    """``text`` lower-cased as a case-insensitive pattern sees it: an ASCII word is in it exactly
    when such a pattern finds the word in ``text`` (a quick test before a costly search)."""
    return (text.translate(IGNORECASE_FOLDS) if not text.isascii() and _FOLDING.search(text) else text).lower()
