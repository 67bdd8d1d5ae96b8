"""One note per piece of writing, when a site holds it twice: the same feed item in two feeds (by
its link), or a post present both as a Markdown file and as an item of the site's own feed (by
title and date). The Markdown file is kept over a feed item, else the first source by path; each
copy left out is reported, naming both sources."""

from __future__ import annotations

import re
from typing import Iterable

from ..model import Diagnostic, Note

_SPACE = re.compile(r"\s+")
SAME_DAY_SECONDS = 36 * 3600  # a feed's UTC time and a post's local date can be a day apart


def merge_duplicates(notes: Iterable[Note]) -> tuple[tuple[Note, ...], tuple[Diagnostic, ...]]:
    """``notes`` (in their order) without the second copy of any note, and a warning for each copy left out."""
    notes = tuple(notes)
    if all(note.source.item is None for note in notes):  # only a feed item can repeat a note
        return notes, ()
    ordered = sorted(notes, key=lambda note: (note.source.item is not None, note.source.path, note.source.item or 0))
    by_link: dict[str, Note] = {}
    by_title: dict[str, list[Note]] = {}
    dropped: set[int] = set()
    problems: list[Diagnostic] = []
    for note in ordered:
        original = _copy_of(note, by_link, by_title)
        if original is not None:
            problems.append(Diagnostic("warning", note.source.path, note.source.line, 1,
                                       f"{_where(note)} is the same note as {_where(original)}; published once, "
                                       f"from {original.source.path}"))
            dropped.add(id(note))
            continue
        if note.source.item is not None and note.original_url:
            by_link.setdefault(_link_key(note.original_url), note)
        by_title.setdefault(_title_key(note.title), []).append(note)
    return tuple(note for note in notes if id(note) not in dropped), tuple(problems)


def _copy_of(note: Note, by_link: dict[str, Note], by_title: dict[str, list[Note]]) -> Note | None:
    """The note kept earlier that ``note`` repeats (only a feed item can repeat one)."""
    if note.source.item is None:
        return None
    if note.original_url and (same := by_link.get(_link_key(note.original_url))) is not None:
        return same
    for other in by_title.get(_title_key(note.title), ()):
        if note.date and other.date and abs(note.date.seconds() - other.date.seconds()) <= SAME_DAY_SECONDS:
            return other
    return None


def _where(note: Note) -> str:
    if note.source.item is None:
        return f"{note.source.path}"
    return f"item {note.source.item + 1} of {note.source.path}"


def _link_key(url: str) -> str:
    """A link without scheme, ``www.``, query or trailing slash, lower-cased."""
    url = url.split("#")[0].split("?")[0].lower()
    url = re.sub(r"^[a-z]+://(www\.)?", "", url)
    return url.rstrip("/")


def _title_key(title: str) -> str:
    return _SPACE.sub(" ", title).strip().casefold()
