"""Text cut to a length for summaries and excerpts, at a word boundary, markup left out; text
lower-cased for quick word tests before a case-insensitive search; and a pattern searched for
only where a match of it can begin."""

from __future__ import annotations

import os
import re
from typing import Callable

SUMMARY_LENGTH = 240
_TAGS = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
#: The characters beyond ASCII that a case-insensitive pattern matches to ASCII letters.
IGNORECASE_FOLDS = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})
_FOLDING = tuple(map(chr, IGNORECASE_FOLDS))  # looked for one by one: a tenth of the time of a character class


CODE_MARK = "`"  # code in an excerpt or a summary stands between backticks, as in Markdown; pages show it as code
_MARKED = re.compile(f"{CODE_MARK}([^{CODE_MARK}]*){CODE_MARK}")


def unmarked(text: str) -> str:
    """An excerpt or a summary without its code marks, for where no markup is shown (a meta
    description, a feed's summary); a mark left unclosed stays."""
    return _MARKED.sub(r"\1", text) if CODE_MARK in text else text


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
    return (text.translate(IGNORECASE_FOLDS) if not text.isascii() and any_in(_FOLDING, text) else text).lower()


def any_in(pieces: tuple[str, ...], text: str) -> bool:
    """Whether one of ``pieces`` is in ``text`` (a loop, not ``any()`` over a generator: this runs
    for every block of every note)."""
    for piece in pieces:
        if piece in text:
            return True
    return False


def search_from(pattern: re.Pattern[str], starts: re.Pattern[str], text: str, position: int = 0) -> re.Match[str] | None:
    """``pattern.search(text, position)``, tried only where ``starts`` finds a place a match can
    begin (every match of ``pattern`` begins where one of ``starts`` does). For a pattern whose
    alternatives begin with a group or a lookbehind the regular expression engine has no first
    characters to skip by and tries every alternative at every character; ``starts``, a plain
    alternation of literals, lets it skip."""
    start = starts.search(text, position)
    while start is not None:
        match = pattern.match(text, start.start())
        if match is not None:
            return match
        start = starts.search(text, start.start() + 1)
    return None


def sub_from(pattern: re.Pattern[str], starts: re.Pattern[str], replace: Callable[[re.Match[str]], str], text: str) -> str:
    """``pattern.sub(replace, text)`` by ``search_from``, for a pattern that matches no empty text."""
    pieces: list[str] = []
    position = 0
    while (match := search_from(pattern, starts, text, position)) is not None:
        pieces += (text[position:match.start()], replace(match))
        position = match.end()
    return "".join(pieces) + text[position:] if pieces else text


def name_text(name: str) -> str:
    """A file name as text that any page, feed or cache key can hold: Python hands over a name it
    could not decode (bytes that are not UTF-8, or a locale that is not) with lone surrogates in
    it; its bytes are read as UTF-8 here, each byte that is not written as ``\\xff``."""
    return name if name.isascii() else os.fsencode(name).decode("utf-8", "backslashreplace")
