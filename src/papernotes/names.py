"""One string for each of the names many notes repeat: headings, tags, paper ids, titles and
anchors. Notes read in other processes arrive with a copy of each name per batch; a 100,000-note
site repeats them a million times over."""

from __future__ import annotations

import copy
from dataclasses import replace

from .model import Heading, Note


class Names:
    """The names met so far; ``share`` gives a note holding these instead of its own copies."""

    def __init__(self) -> None:
        self._known: dict[str, str] = {}

    def name(self, text: str) -> str:
        return self._known.setdefault(text, text)

    def share(self, note: Note) -> Note:
        """``note`` with its repeated names replaced by the ones met before; it equals ``note``
        and keeps its digest."""
        name = self.name
        body = note.body
        headings = tuple(Heading(heading.level, name(heading.id), name(heading.text)) for heading in body.headings)
        papers = tuple(replace(ref, id=name(ref.id), anchor=name(ref.anchor), title_source=name(ref.title_source),
                               title=None if ref.title is None else name(ref.title)) for ref in note.papers)
        shared = copy.copy(note)  # not replace(): the digest, taken of the content, stays as it is
        for field, value in (("body", replace(body, headings=headings, tags=self._names(body.tags))), ("papers", papers),
                             ("tags", self._names(note.tags)), ("date_source", name(note.date_source))):
            object.__setattr__(shared, field, value)
        return shared

    def _names(self, texts: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(map(self.name, texts))

