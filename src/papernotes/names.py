"""One string for each of the names many notes repeat (tags, paper ids, titles and anchors), and
one value for each heading. Notes read in other processes arrive with a copy of each per batch;
a 100,000-note site repeats them a million times over."""

from __future__ import annotations

import copy
from dataclasses import replace

from .model import Heading, Note


class Names:
    """The names met so far; ``share`` gives a note holding these instead of its own copies."""

    def __init__(self) -> None:
        self._known: dict[str | Heading, str | Heading] = {}

    def name(self, text: str) -> str:
        return self._known.setdefault(text, text)  # type: ignore[return-value]  # equal values are of one type

    def heading(self, heading: Heading) -> Heading:
        return self._known.setdefault(heading, heading)  # type: ignore[return-value]

    def share(self, note: Note) -> Note:
        """``note`` with its repeated names replaced by the ones met before; it equals ``note``
        and keeps its digest."""
        name = self.name
        body = note.body
        headings = tuple(map(self.heading, body.headings))
        papers = tuple(ref._replace(id=name(ref.id), anchor=name(ref.anchor), title_source=name(ref.title_source),
                               title=None if ref.title is None else name(ref.title)) for ref in note.papers)
        shared = copy.copy(note)  # not replace(): the digest, taken of the content, stays as it is
        for field, value in (("body", replace(body, headings=headings, tags=self._names(body.tags))), ("papers", papers),
                             ("tags", self._names(note.tags)), ("date_source", name(note.date_source))):
            object.__setattr__(shared, field, value)
        return shared

    def _names(self, texts: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(map(self.name, texts))

