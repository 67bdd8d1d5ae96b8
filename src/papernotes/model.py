"""The frozen values that flow through the pipeline: read → graph → pages → render → write.

This module imports nothing from the package, so every stage can share it.
"""

from __future__ import annotations

import dataclasses
import functools
import datetime as dt
import operator
import os
import hashlib
import io
import marshal
import pickle
import re
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, Callable, Iterable, Iterator, Literal, Mapping, NamedTuple, Protocol, Sequence

from .jsonbytes import compact_json
from .sectioned import Place, Sectioned, Written

Severity = Literal["error", "warning", "info"]
Precision = Literal["year", "month", "day", "time"]
Progress = Callable[[str, int, int], None]  # a build telling how far it is: (stage, done, total; 0 when unknown)


def no_progress(stage: str, done: int, total: int) -> None:
    pass


@dataclass(frozen=True, slots=True)
class SourceSpan:
    """Where a note came from: a file, and for feeds the item's index."""

    path: str
    line: int = 1
    item: int | None = None
    rel: str = ""  # the file's path inside the content folder, with ``/``


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A problem found in the input, reported as ``path:line:col: severity: message``."""

    severity: Severity
    path: str
    line: int
    col: int
    message: str
    source_line: str | None = None

    def __str__(self) -> str:
        return visible(f"{shown_path(self.path)}:{self.line}:{self.col}: {self.severity}: {self.message}")


_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """``text`` with its control characters written as escapes (``\\n``, ``\\x1b``): a newline
    in a file's name kept a diagnostic from being one line, and an escape sequence in a note's
    text quoted in a message would drive the terminal it is printed on."""
    return _CONTROL.sub(lambda found: repr(found.group())[1:-1], text) if _CONTROL.search(text) else text


def shown_path(path: str) -> str:
    """A path as a person would type it: relative to the current folder when inside it. Notes
    and problems carry their files' absolute paths (the same whichever folder a build ran
    from, so that kept reads and the graph stay valid); they are shown this way when printed."""
    if not os.path.isabs(path):
        return path
    try:
        here = os.getcwd().rstrip(os.sep) + os.sep
    except OSError:  # the current folder was deleted
        return path
    return path[len(here):] if path.startswith(here) else path


class DiagnosticError(Exception):
    """Raised inside a reader to abandon one note with a positioned message."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(str(diagnostic))
        self.diagnostic = diagnostic


@dataclass(frozen=True, order=True, slots=True)
class NoteDate:
    """A date known to some precision: a year-only date stays year-only."""

    value: dt.datetime
    precision: Precision = "day"

    @property
    def year(self) -> int:
        return self.value.year

    @property
    def month(self) -> int:
        return self.value.month

    def iso(self) -> str:
        """The ISO 8601 form at this date's precision (``2024``, ``2024-03``, ``2024-03-09``)."""
        if self.precision == "year":
            return f"{self.value.year:04d}"
        if self.precision == "month":
            return f"{self.value.year:04d}-{self.value.month:02d}"
        if self.precision == "day":
            return self.value.date().isoformat()
        return self.value.isoformat()

    def human(self) -> str:
        """A reader-friendly form at this date's precision (``2024``, ``March 2024``, ``9 March 2024``)."""
        if self.precision == "year":
            return str(self.value.year)
        if self.precision == "month":
            return self.value.strftime("%B %Y")
        return f"{self.value.day} {self.value.strftime('%B %Y')}"

    def seconds(self) -> float:
        """Seconds since 0001-01-01 UTC, for ordering dates with and without zones."""
        value = self.value
        if value.tzinfo:
            value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
        return (value - dt.datetime(1, 1, 1)).total_seconds()

    def rfc3339(self) -> str:
        """A full timestamp for feeds and sitemaps (UTC when no zone is known)."""
        value = self.value if self.value.tzinfo else self.value.replace(tzinfo=dt.timezone.utc)
        return value.isoformat()


@dataclass(frozen=True, slots=True)
class Heading:
    """One heading of a note body, for the table of contents and section anchors."""

    level: int
    id: str
    text: str


@dataclass(frozen=True, slots=True)
class LinkRef:
    """A link from a note to another note, as written; resolved once all notes are known.

    The body HTML holds a placeholder ``<a data-pn-link="N">`` for the N-th link (an embed
    ``![[Note]]`` standing alone: ``<div class="pn-embed" data-pn-link="N">``)."""

    target: str
    anchor: str = ""
    line: int = 1
    col: int = 1
    embed: bool = False
    fallback: str = ""  # a root-relative link (``/folder/Note``) kept as written when no note has that path


class PaperRef(NamedTuple):
    """A paper a note discusses: its canonical id, the section (heading id) of the mention,
    a title the note gives it and what gave it (a key of ``titles.STRENGTH``, or ``generic`` when
    a link such as "paper" or "pdf" names it), and the text around the mention. A tuple: the
    tens of thousands a saved state holds (six a note) are made again in C (``__reduce__``)."""

    id: str
    anchor: str = ""
    title: str | None = None
    excerpt: str = ""
    declared: bool = False
    title_source: str = ""

    def __reduce__(self) -> tuple[Any, ...]:
        return tuple.__new__, (PaperRef, tuple(self))


@dataclass(frozen=True, slots=True)
class StoredText:
    """Text kept in a file rather than in memory (the note bodies of a large site), read when
    used; ``str()`` gives it, and Jinja's ``|safe`` takes it as HTML."""

    store: Any = field(repr=False)  # a BodyStore
    offset: int
    length: int
    digest: bytes  # of the text: a note made anew from one whose body is stored keeps a content digest

    def __str__(self) -> str:
        return self.store.read(self.offset, self.length).decode("utf-8")

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled (for a note's digest) as its digest: the file does not travel."""
        return bytes, (self.digest,)

    def __html__(self) -> str:
        return str(self)


Lookup = tuple[str, str, bool, str, int, str]  # (src, the note's folder, by name, file found or "", its size, bytes' digest)


@dataclass(frozen=True, slots=True)
class RenderedBody:
    """The HTML of a body rendered once, with the facts later stages need. The HTML may wait in
    a file (``stored``); ``html`` reads it then."""

    stored: str | StoredText
    headings: tuple[Heading, ...] = ()
    words: int = 0
    links: tuple[LinkRef, ...] = ()
    tags: tuple[str, ...] = ()
    assets: tuple[tuple[str, str], ...] = ()  # (URL in the site, local file) of each image used
    lookups: tuple[Lookup, ...] = ()  # each local file the body names, as it was looked up (``markdown.assets``)
    blocks: tuple[str, ...] = ()  # Obsidian block ids (``^id``) the body defines, without the caret

    @property
    def html(self) -> str:
        return self.stored if isinstance(self.stored, str) else str(self.stored)

    @property
    def html_digest(self) -> bytes:
        """A digest of the body HTML: the one its store keeps, else taken as the store takes it."""
        if isinstance(self.stored, StoredText):
            return self.stored.digest
        return bytes_digest(self.stored.encode("utf-8", "surrogatepass"))


@dataclass(frozen=True, eq=False)
class Note:
    """One publishable note, as a reader produced it.

    Two notes are equal when their contents are: a digest of every field is taken once, when
    the note is made, so that comparing page contexts between rebuilds costs little. ``card``
    digests every field but the body (what a list of notes shows), ``digest`` that and the body."""

    id: str
    title: str
    url: str
    date: NoteDate | None
    body: RenderedBody
    source: SourceSpan
    tags: tuple[str, ...] = ()
    updated: NoteDate | None = None
    date_source: str = "none"
    summary: str = ""
    draft: bool = False
    aliases: tuple[str, ...] = ()
    original_url: str | None = None
    author: str | None = None
    papers: tuple[PaperRef, ...] = field(default_factory=tuple)  # no class attribute: see ``__getattr__``
    meta: Mapping[str, Any] = field(default_factory=dict)
    digest: bytes = field(default=b"", repr=False)
    card: bytes = field(default=b"", repr=False)
    shown: bytes = field(default=b"", repr=False)  # a digest of each of SHOWN_FIELDS, one after another

    def __post_init__(self) -> None:
        fields = [getattr(self, name) for name in _CARD_FIELDS]
        fields[-1] = sorted(self.meta.items(), key=lambda item: item[0])
        object.__setattr__(self, "card", content_digest(fields))
        object.__setattr__(self, "shown", b"".join(content_digest(fields[index]) for index in _SHOWN_AT))
        object.__setattr__(self, "digest", self._digest_with(self.body))

    def with_body(self, body: RenderedBody) -> Note:
        """This note with another body (its links resolved): ``replace`` would make the same
        note, but digest every field again where only the body's digest is new."""
        note = object.__new__(Note)
        note.__dict__.update(self.__getstate__())
        object.__setattr__(note, "body", body)
        object.__setattr__(note, "digest", self._digest_with(body))
        return note

    def _digest_with(self, body: RenderedBody) -> bytes:
        """The digest of the note with ``body``: of its card, which holds every other field, and of the body."""
        return bytes_digest(self.card + content_digest(body))

    def card_of(self, fields: frozenset[str]) -> bytes:
        """The digests of the note's id and of those of ``SHOWN_FIELDS`` named, joined (what a
        list showing only those fields of it shows), taken once for each set of fields (held by
        this process alone: a note is listed on many pages, and each list reads the same fields).
        Of no field, the digest of the id alone (what a list counting notes, the tags index, sees)."""
        if not fields:
            return self.shown[:16]
        cards = self.__dict__.setdefault("_cards", {})
        card = cards.get(fields)
        if card is None:
            card = cards[fields] = b"".join(_shown_parts(fields)(self.shown))
        return card

    def shown_apart(self, other: Note) -> tuple[str, ...]:
        """The names of ``SHOWN_FIELDS`` whose values differ in ``other`` (by their digests)."""
        mine, theirs = self.shown, other.shown
        return tuple(name for at, name in enumerate(SHOWN_FIELDS) if mine[16 * at:16 * at + 16] != theirs[16 * at:16 * at + 16])

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__
        return {name: value for name, value in state.items() if name != "_cards"} if "_cards" in state else state

    def __setstate__(self, state: dict[str, Any]) -> None:
        """As pickle's own: defined so that unpickling finds it rather than asking ``__getattr__``
        (an AttributeError raised twice for each of a saved state's notes: 1.5 µs a note)."""
        self.__dict__.update(state)

    def packed_state(self, pack: Callable[[tuple[PaperRef, ...]], bytes]) -> dict[str, Any]:
        """Its state with its papers as the bytes ``pack`` makes of them (``pack_papers``), made
        again when first asked for (``__getattr__``): the papers a saved state's notes discuss,
        each a tuple of strings, are a quarter of its objects, and a build after an edit reads
        those of a few notes."""
        state = self.__getstate__()
        papers = state.get("papers")
        if not papers:
            return state
        state = {name: value for name, value in state.items() if name != "papers"}
        state[_PACKED_PAPERS] = pack(papers)
        return state

    def __getattr__(self, name: str) -> Any:
        """The papers of a note restored from ``packed_state``, made when first asked for (by
        two threads at once, each makes the same)."""
        packed = self.__dict__.get(_PACKED_PAPERS) if name == "papers" else None
        if packed is None:
            raise AttributeError(name)
        papers = self.__dict__["papers"] = tuple(map(_paper_ref, marshal.loads(packed)))
        self.__dict__.pop(_PACKED_PAPERS, None)
        return papers

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        return isinstance(other, Note) and self.digest == other.digest

    def __hash__(self) -> int:
        return hash(self.digest)

    @property
    def sort_key(self) -> tuple[Any, ...]:
        """Newest first, then by title and id, so every ordering is deterministic."""
        seconds = self.date.seconds() if self.date else float("-inf")
        return (-seconds, self.title.lower(), self.id)


_PACKED_PAPERS = "_packed_papers"
_paper_ref = functools.partial(tuple.__new__, PaperRef)  # a PaperRef of its fields, made in C


def pack_papers(papers: tuple[PaperRef, ...]) -> bytes:
    """``papers`` as ``Note.packed_state`` keeps them."""
    return marshal.dumps(tuple(map(tuple, papers)))


def bytes_digest(data: bytes | memoryview) -> bytes:
    """A digest of ``data`` (the body store keeps each body under that of its UTF-8 bytes)."""
    return hashlib.blake2b(data, digest_size=16).digest()


def content_digest(value: object) -> bytes:
    """A digest of ``value``'s contents: equal values give equal digests whichever of their parts
    are one shared object (pickle's memo, which writes a part met again as a reference to the
    first, is off: ``value`` must hold no cycle)."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True
    pickler.dump(value)
    return bytes_digest(buffer.getbuffer())


_CARD_FIELDS = tuple(f.name for f in dataclasses.fields(Note) if f.name not in ("body", "digest", "card", "shown"))  # meta last
#: The fields of a note that its view shows templates (``views.NoteView``), its id first.
SHOWN_FIELDS = ("id", "title", "url", "date", "updated", "summary", "tags", "meta", "original_url", "author")
_SHOWN_AT = tuple(map(_CARD_FIELDS.index, SHOWN_FIELDS))


def id_marks(notes: Iterable[Note]) -> Iterator[int]:
    """Where runs of ``notes`` end (``sectioned.cut``): the first byte of the digest of each one's
    id (``Note.shown``), taken in C."""
    return map(operator.itemgetter(0), map(operator.attrgetter("shown"), notes))


@functools.lru_cache(maxsize=64)
def _shown_parts(fields: frozenset[str]) -> Callable[[bytes], tuple[bytes, ...]]:
    """What takes the digests of the id and of ``fields`` out of ``Note.shown``."""
    places = sorted({SHOWN_FIELDS.index(name) for name in fields} | {0})
    if len(places) == 1:  # a getter of one item gives it alone, not in a tuple
        return lambda shown: (shown[:16],)
    return operator.itemgetter(*(slice(16 * at, 16 * at + 16) for at in places))


@dataclass(frozen=True, slots=True)
class Tag:
    """A tag with the slug used in its URL."""

    name: str
    slug: str
    url: str


@dataclass(frozen=True)
class Page:
    """One file of the output: where it goes, which template draws it, and with what."""

    url: str
    template: str
    context: Mapping[str, Any]


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


def ids_of(items: Iterable[_Identified]) -> tuple[str, ...]:
    """The ids of ``items`` (notes or papers), in order."""
    return tuple(item.id for item in items)


class LaterContext(Mapping[str, Any]):
    """A page's context whose costlier values are made when first asked for: ``first`` at once
    (what a plan asks of every page, such as its ``kind``), then what ``rest`` makes. A build's
    render workers each plan every page and render a share of them: the others' contexts are
    never made."""

    __slots__ = ("first", "_rest", "_whole")

    def __init__(self, first: dict[str, Any], rest: Callable[[], dict[str, Any]]) -> None:
        self.first = first
        self._rest: Callable[[], dict[str, Any]] | None = rest
        self._whole: dict[str, Any] | None = None

    def _made(self) -> dict[str, Any]:
        if self._whole is None:
            assert self._rest is not None
            self._whole, self._rest = {**self.first, **self._rest()}, None
        return self._whole

    def __getitem__(self, key: str) -> Any:
        return self.first[key] if key in self.first else self._made()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._made())

    def __len__(self) -> int:
        return len(self._made())


class Serialised:
    """A value a page key takes by the bytes it gives (``serialised``), one call instead of a
    walk through every value it holds; it holds no note or paper."""

    __slots__ = ()

    def serialised(self) -> bytes:
        raise NotImplementedError


class JsonData(dict[str, Any], Serialised):
    """A JSON document in a page's context (a note's local graph), made of JSON's own values
    alone: a page key takes it by its text."""

    def serialised(self) -> bytes:
        return compact_json(self)


@dataclass(frozen=True)
class TextFile:
    """A file of the output written as is (graph.json, papers.bib), not through a template.

    ``make`` produces the text (or, for a large file, its UTF-8 bytes in pieces, which a build
    writes as they come, or its sections, which a build copies from the file it wrote last
    when they did not change); ``key`` is what it is made from, so a rebuild whose key equals
    the previous one's reuses the previous bytes instead of calling ``make``."""

    url: str
    make: Callable[[], str | bytes | Iterable[bytes] | Sectioned]
    key: Any = None

    @property
    def text(self) -> str:
        return self.data().decode("utf-8")

    def data(self) -> bytes:
        """What ``make`` produces, as bytes."""
        return b"".join(self.pieces())

    def pieces(self, last: Written | None = None, places: Sequence[Place] = (),
               record: list[Place] | None = None) -> Iterator[bytes]:
        """What ``make`` produces, as UTF-8 bytes in the pieces it comes in; of a sectioned file,
        the sections at ``places`` in ``last`` (the file as last written) copied from there
        (``Sectioned.pieces``, which tells ``record`` where each section goes)."""
        made = self.make()
        if isinstance(made, Sectioned):
            yield from made.pieces(last, places, record)
        elif isinstance(made, str):
            yield made.encode("utf-8")
        elif isinstance(made, bytes):
            yield made
        else:
            yield from made


def utf8_pieces(pieces: Iterable[str], batch: int = 256) -> Iterator[bytes]:
    """The text ``pieces`` make as UTF-8, ``batch`` pieces joined at a time: a large file is
    written without its text being held whole."""
    return (text.encode("utf-8") for text in joined_pieces(pieces, batch))


def joined_pieces(pieces: Iterable[str], batch: int = 256) -> Iterator[str]:
    """The text ``pieces`` make, ``batch`` pieces joined at a time."""
    pieces = iter(pieces)
    while joined := list(islice(pieces, batch)):
        yield "".join(joined)


@dataclass(frozen=True, slots=True)
class ReadResult:
    """What reading one source file yields: its notes and the problems found, whether its
    reading rendered Liquid, which may read the site's variables (``site.*``), and whether it
    looked a paper up in the registry (a citation, a paper named in the front matter)."""

    notes: tuple[Note, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    site_variables: bool = False
    registry_lookups: bool = False
