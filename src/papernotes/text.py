"""Text cut to a length for summaries and excerpts, at a word boundary, markup left out."""

from __future__ import annotations

import re

SUMMARY_LENGTH = 240
_TAGS = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def shorten(text: str, limit: int = SUMMARY_LENGTH) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with an ellipsis."""
    text = _SPACE.sub(" ", _TAGS.sub(" ", text)).strip()
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:.")
    return cut + "…"
