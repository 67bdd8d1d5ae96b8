"""A note's table of contents: headings nested as the document nests them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from ..model import Heading

#: Headings that carry their own number: "1 Intro", "2.3. Method", "IV. Results", "A.1 Proofs", "§2", "Step 3:".
_NUMBERED = re.compile(r"^\s*(?:§\s*\d|\d{1,3}(?:\.\d{1,3})*[.):]?\s|(?:[IVXLC]+|[A-Z])(?:\.\d{1,3})*[.):]\s"
                       r"|(?:part|chapter|section|step|day|week|lecture)\s+\d)", re.IGNORECASE)
#: Depth shown: the top level and two below it.
DEPTH = 3
#: From this many entries on, the contents scroll inside a box of bounded height.
LONG = 12


@dataclass(frozen=True, slots=True)
class TocEntry:
    """One line of the contents with the entries nested under it."""

    heading: Heading
    children: tuple["TocEntry", ...] = ()


@dataclass(frozen=True, slots=True)
class Toc:
    """The contents of one note: top-level entries, whether to number them, and whether it is long."""

    entries: tuple[TocEntry, ...]
    numbered: bool
    size: int

    @property
    def long(self) -> bool:
        return self.size >= LONG


def build_toc(headings: Sequence[Heading], depth: int = DEPTH) -> Toc:
    """Nest ``headings`` by level: every heading deeper than the one before it nests under it
    (a skipped level, h2 → h4, nests one step, as a reader sees it). Numbered lists only when the headings carry no numbers."""
    if not headings:
        return Toc((), False, 0)
    top = min(heading.level for heading in headings)
    shown = [heading for heading in headings if heading.level < top + depth]
    entries, _ = _nest(shown, 0, top)
    numbered = not any(_NUMBERED.match(heading.text) for heading in shown)
    return Toc(entries, numbered, len(shown))


def _nest(headings: Sequence[Heading], start: int, level: int) -> tuple[tuple[TocEntry, ...], int]:
    """Entries from ``start`` while headings are at ``level`` or deeper; returns where it stopped."""
    entries: list[TocEntry] = []
    index = start
    while index < len(headings) and headings[index].level >= level:
        heading = headings[index]
        index += 1
        children: tuple[TocEntry, ...] = ()
        if index < len(headings) and headings[index].level > heading.level:
            children, index = _nest(headings, index, heading.level + 1)
        entries.append(TocEntry(heading, children))
    return tuple(entries), index
