"""What templates see: small frozen views of the model (as Zola's ``SerializingPage``), made
when a page is rendered.

A page's context holds the model values an emitter chose (notes, papers, tag and date groups,
shelves); the page memo and re-planning compare and search those. ``as_view`` turns them into
views that carry only what a template reads, under the same attribute names, so a template
cannot reach into the graph or call the model's methods, and the model can change without
breaking a site's own templates. Views of the notes and papers inside a view are made when a
template first asks for them.

A note's view tells the ``BodyReads`` it was made with whenever a template reads its ``body``,
and which of its fields templates read, so that a page can later be compared by what it read:
the bodies of those notes, of the others their cards (``Note.card``), or on a page that read no
body only the fields read (``Note.card_of``). The model values a view keeps (``_note``,
``_group``, …) are not for templates.
"""

from __future__ import annotations

import functools
from dataclasses import FrozenInstanceError, dataclass, field, replace
from typing import Any, Iterator, Sequence, overload

from .graph import MonthGroup, TagGroup, YearGroup
from .model import SHOWN_FIELDS, Note, NoteDate, RenderedBody
from .papers.authorship import Shelf
from .papers.papergraph import Paper
from .papers.registry import PaperMeta

#: Before a note field's name among a page's reads: the fields its templates read of any note.
FIELD = "\0"


class BodyReads(set[str]):
    """The ids of the notes whose bodies the templates of one page read, and (each after
    ``FIELD``) the names of the fields they read of any note through its view."""


class _Shown:
    """A field of the note a view shows; reading it is recorded in the view's ``BodyReads``."""

    def __init__(self, name: str) -> None:
        self.name, self.mark = name, FIELD + name

    def __get__(self, view: NoteView | None, owner: type | None = None) -> Any:
        if view is None:
            return self
        if view._reads is not None:
            view._reads.add(self.mark)
        return getattr(view._note, self.name)


class NoteView:
    """A note as a template sees it; two are equal when their notes are (by the note's digest).
    Which of its fields a page's templates read is recorded, so that the page is compared by
    those fields of the notes it lists (``Note.card_of``): a list of titles is not made again for
    an edit of a note's tags."""

    __slots__ = ("_note", "_reads", "__dict__")
    _note: Note
    _reads: BodyReads | None

    def __init__(self, note: Note, reads: BodyReads | None = None) -> None:
        object.__setattr__(self, "_note", note)
        object.__setattr__(self, "_reads", reads)

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    @classmethod
    def of(cls, note: Note, reads: BodyReads | None = None) -> NoteView:
        return cls(note, reads)

    @functools.cached_property
    def body(self) -> RenderedBody:
        """The rendered body (``html``, ``headings``, ``words``); reading it is recorded. A
        stored body's HTML is read once here, however often the page's templates ask for it."""
        if self._reads is not None:
            self._reads.add(self._note.id)
        return replace(self._note.body, stored=self._note.body.html)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NoteView) and self._note.digest == other._note.digest

    def __hash__(self) -> int:
        return hash(self._note.digest)

    def __repr__(self) -> str:
        return f"NoteView({self._note.id!r})"


for _name in SHOWN_FIELDS:  # id, title, url, date, …
    setattr(NoteView, _name, _Shown(_name))
del _name


class NoteViews(Sequence[NoteView]):
    """Notes as a template sees them, each view made when a template first reaches it: a list
    that a template only counts (``| length``) makes none."""

    __slots__ = ("_notes", "_reads", "_made")

    def __init__(self, notes: tuple[Note, ...], reads: BodyReads | None) -> None:
        self._notes = notes
        self._reads = reads
        self._made: dict[int, NoteView] = {}

    def __len__(self) -> int:
        return len(self._notes)

    @overload
    def __getitem__(self, index: int) -> NoteView: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[NoteView, ...]: ...

    def __getitem__(self, index: int | slice) -> NoteView | tuple[NoteView, ...]:
        places = range(len(self._notes))
        if isinstance(index, slice):
            return tuple(map(self._view, places[index]))
        return self._view(places[index])

    def __iter__(self) -> Iterator[NoteView]:
        return map(self._view, range(len(self._notes)))

    def __repr__(self) -> str:
        return f"NoteViews({[note.id for note in self._notes]!r})"

    def _view(self, place: int) -> NoteView:
        view = self._made.get(place)
        if view is None:
            view = self._made[place] = NoteView.of(self._notes[place], self._reads)
        return view


@dataclass(frozen=True)
class DiscussionView:
    """Where a note discusses a paper: the section anchor and the excerpt there."""

    anchor: str
    excerpt: str


@dataclass(frozen=True)
class PaperView:
    """A paper as a template sees it; ``read``, ``notes`` and ``by_note`` are made when first read."""

    id: str
    title: str
    url: str
    meta: PaperMeta
    _paper: Paper = field(repr=False, compare=False)
    _reads: BodyReads | None = field(default=None, repr=False, compare=False)

    @classmethod
    def of(cls, paper: Paper, reads: BodyReads | None = None) -> PaperView:
        return cls(paper.id, paper.title, paper.url, paper.meta, paper, reads)

    @property
    def read(self) -> NoteDate | None:
        """When the notes first read it (worked out when a template asks, from the fields it
        reads of them)."""
        if self._reads is not None:
            self._reads.update((FIELD + "date", FIELD + "meta"))
        return self._paper.read

    @functools.cached_property
    def notes(self) -> NoteViews:
        return NoteViews(self._paper.notes, self._reads)

    @functools.cached_property
    def by_note(self) -> tuple[tuple[NoteView, tuple[DiscussionView, ...]], ...]:
        """Each discussing note once, with its discussions of the paper."""
        return tuple((NoteView.of(note, self._reads), tuple(DiscussionView(d.anchor, d.excerpt) for d in found))
                     for note, found in self._paper.by_note)


@dataclass(frozen=True)
class TagGroupView:
    tag: Any
    _group: TagGroup = field(repr=False, compare=False)
    _reads: BodyReads | None = field(default=None, repr=False, compare=False)

    @functools.cached_property
    def notes(self) -> NoteViews:
        return NoteViews(self._group.notes, self._reads)


@dataclass(frozen=True)
class MonthView:
    year: int
    month: int
    _group: MonthGroup = field(repr=False, compare=False)
    _reads: BodyReads | None = field(default=None, repr=False, compare=False)

    @functools.cached_property
    def notes(self) -> NoteViews:
        return NoteViews(self._group.notes, self._reads)


@dataclass(frozen=True)
class YearView:
    year: int
    months: tuple[MonthView, ...]
    _group: YearGroup = field(repr=False, compare=False)
    _reads: BodyReads | None = field(default=None, repr=False, compare=False)

    @functools.cached_property
    def notes(self) -> NoteViews:
        return NoteViews(self._group.notes, self._reads)


@dataclass(frozen=True)
class ShelfView:
    """An author or a venue with its papers."""

    kind: str
    key: str
    name: str
    slug: str
    url: str
    _shelf: Shelf = field(repr=False, compare=False)
    _reads: BodyReads | None = field(default=None, repr=False, compare=False)

    @functools.cached_property
    def papers(self) -> tuple[PaperView, ...]:
        return tuple(PaperView.of(paper, self._reads) for paper in self._shelf.papers)


VIEWED = (Note, Paper, tuple, list, TagGroup, YearGroup, MonthGroup, Shelf)  # what ``as_view`` looks into


def as_view(value: Any, reads: BodyReads | None = None) -> Any:
    """``value`` with every note, paper, tag or date group and shelf in it (inside tuples and
    lists too) as its view, whose notes tell ``reads`` of each body read; anything else as it is."""
    if isinstance(value, Note):
        return NoteView.of(value, reads)
    if isinstance(value, Paper):
        return PaperView.of(value, reads)
    if isinstance(value, tuple):
        return tuple(as_view(item, reads) for item in value)
    if isinstance(value, list):
        return [as_view(item, reads) for item in value]
    if isinstance(value, TagGroup):
        return TagGroupView(value.tag, value, reads)
    if isinstance(value, YearGroup):
        return YearView(value.year, tuple(MonthView(m.year, m.month, m, reads) for m in value.months), value, reads)
    if isinstance(value, MonthGroup):
        return MonthView(value.year, value.month, value, reads)
    if isinstance(value, Shelf):
        return ShelfView(value.kind, value.key, value.name, value.slug, value.url, value, reads)
    return value
