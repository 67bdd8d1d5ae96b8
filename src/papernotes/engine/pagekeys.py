"""A page's digest (``page_key``, ``digest_page``): of its template and context, each note by the
fields its templates read of it, and what the page is drawn from (``dependencies``)."""

from __future__ import annotations

import collections
import collections.abc
import dataclasses
import datetime as dt
import functools
import hashlib
import operator
import types
import typing
from typing import Any, Callable, Iterable, Mapping

from ..model import SHOWN_FIELDS, Note, Page, Serialised, TextFile
from ..papers.papergraph import Paper
from ..views import FIELD, VIEWED
from .pages import Planned, Shared
from .edits import HELD_WHOLE


def dependencies(page: Planned) -> set[str]:
    """``note:ID`` and ``paper:ID`` of every note and paper the page is drawn from, and each
    with ``whole:`` before it for those it holds other than through a view (see ``_walk``)."""
    found: set[str] = set()
    if isinstance(page, Page):
        _walk_items(page.context, found.add, None, None, None, True)
    else:
        _walk(page.key, found.add, None)
    return found


def page_key(page: Planned, found: Callable[[str], None] | None = None,
             bodies: frozenset[str] | None = None, shared: Shared | None = None) -> bytes | None:
    """A digest of what the page is made from: its template and context, or a text file's key
    (None: a text file without one, made every time); ``found`` hears its ``dependencies``.
    Given ``bodies``, the notes its templates see as views are taken by their cards, but for
    those named there (whose bodies the page read): a page's templates can read no more of a
    note than its view, and they decide what to read from what the digest covers. ``shared``
    spares digesting again a frozen value another page of the same build held."""
    if isinstance(page, TextFile) and page.key is None:
        return None
    pieces: list[bytes] = []  # hashed at once: the same digest as fed piece by piece, for far fewer calls
    if isinstance(page, Page):
        pieces.append(page.template.encode() + b"\0")
        _walk_items(page.context, found, pieces.append, bodies, shared, True)  # each value as ``as_view`` gives it
    else:
        _walk(page.key, found, pieces.append, None, shared)
    return hashlib.blake2b(b"".join(pieces), digest_size=16).digest()


def digest_page(page: Planned, bodies: frozenset[str] | None = None,
                shared: Shared | None = None) -> tuple[bytes | None, set[str]]:
    """``page_key`` and ``dependencies`` in one walk."""
    found: set[str] = set()
    return page_key(page, found.add, bodies, shared), found


def _walk(value: object, found: Callable[[str], None] | None, update: Callable[[bytes], None] | None,
          bodies: frozenset[str] | None = None, shared: Shared | None = None, viewed: bool = False) -> None:
    """Visit ``value`` and everything it holds: each note and paper met is told to ``found``
    (``note:ID``, ``paper:ID``), and ``update`` is fed bytes that change whenever any part of
    the value does (notes and papers by the digest of their content they carry, a frozen
    dataclass by a digest of its fields, other values by type and contents). Given ``bodies``,
    the value is one a template sees through ``as_view``: its notes and papers count by their
    cards, but for the notes named there; inside values that ``as_view`` leaves as they are,
    every note counts whole. ``viewed``: the value is one a template sees through ``as_view``
    (``bodies`` known or not); a note or paper held otherwise is told as ``whole:note:ID`` or
    ``whole:paper:ID`` too, as a page may read its notes' bodies through it unseen."""
    kind: type = type(value)
    branch = _branch(kind)
    if branch == "text":
        if update is not None:
            update(_text(value))  # type: ignore[arg-type]
    elif branch == "mapping":
        _walk_items(value, found, update, None, shared)  # type: ignore[arg-type]
    elif branch == "serialised":
        if update is not None:
            data = value.serialised()  # type: ignore[attr-defined]
            update(b"j%d:" % len(data) + data)
    elif branch == "sequence":
        if update is not None:
            update(b"(%d" % len(value))  # type: ignore[arg-type]
        kinds = set(map(type, value))  # type: ignore[call-overload]
        if update is None and all(map(_holds_none, kinds)):  # walked for its notes alone: it has none
            return
        if len(kinds) == 1 and (alone := kinds.pop()) in _LISTED_ALONE:  # a list of notes, or of papers
            _met_all(value, alone, found, update, bodies, viewed)  # type: ignore[arg-type]
            return
        for item in value:  # type: ignore[attr-defined]
            _walk(item, found, update, bodies, shared, viewed)
    elif branch == "scalar":
        if update is not None:
            update(f"{kind.__name__}:{value!r};".encode())
    elif branch == "note":
        assert isinstance(value, (Note, Paper))
        _met(value, found, update, _taker(kind, bodies), viewed)
    elif branch == "dataclass":
        if update is None and _holds_none(kind):
            return
        frozen, names = _dataclass_fields(kind)
        inside = bodies if isinstance(value, VIEWED) else None
        seen = viewed and isinstance(value, VIEWED)
        if frozen and update is not None:  # walked for its notes alone (``dependencies``), it needs no digest
            digest, held = _frozen_digest(value, names, inside, shared, seen)
            update(digest)
            if found is not None:
                for key in held:
                    found(key)
            return
        if update is not None:
            update(kind.__qualname__.encode())
        for name in names:
            _walk(getattr(value, name), found, update, inside, shared, seen)
    elif branch == "set":
        _walk(sorted(value, key=repr), found, update, None, shared)  # type: ignore[call-overload]
    elif update is not None:  # anything else by its text: an object without one of its own differs each time
        update(f"{kind.__qualname__}:{value!r};".encode())


def _met(value: Note | Paper, found: Callable[[str], None] | None, update: Callable[[bytes], None] | None,
         card: Callable[[Any], bytes], viewed: bool) -> None:
    """``_walk`` of a note or paper, which ``card`` (``_taker``'s) takes into the key."""
    if found is not None:
        key = ("note:" if isinstance(value, Note) else "paper:") + value.id
        found(key)
        if not viewed:
            found(HELD_WHOLE + key)
    if update is not None:
        update(card(value))


_LISTED_ALONE = {Note: "note:", Paper: "paper:"}  # the names ``_met`` tells of each
_ID = operator.attrgetter("id")
_SHOWN = operator.attrgetter("shown")
_ID_CARD = operator.itemgetter(slice(0, 16))  # ``Note.card_of`` no field but the id


def _met_all(items: tuple[Note | Paper, ...] | list[Note | Paper], kind: type, found: Callable[[str], None] | None,
             update: Callable[[bytes], None] | None, bodies: frozenset[str] | None, viewed: bool) -> None:
    """``_met`` of each of ``items``, notes alone or papers alone (``kind``), as a list page
    holds thousands: their names made and told in C, and the notes' cards taken in C where the
    fields the page read allow; the same names told and the same bytes fed."""
    if found is not None:
        keys = list(map(_LISTED_ALONE[kind].__add__, map(_ID, items)))
        collections.deque(map(found, keys), maxlen=0)
        if not viewed:
            collections.deque(map(found, map(HELD_WHOLE.__add__, keys)), maxlen=0)
    if update is not None:
        update(b"".join(_cards_of(kind, bodies)(items)))


@functools.lru_cache(maxsize=128)
def _cards_of(kind: type, bodies: frozenset[str] | None) -> Callable[[tuple[Any, ...] | list[Any]], Iterable[bytes]]:
    """What gives each item's bytes in a key as ``_taker(kind, bodies)`` gives them, for a list
    of notes or papers: a note's from ``Note.shown`` in C when the page read fields of it alone."""
    fields = _fields_read(bodies) if bodies is not None and kind is Note else None
    if fields is None:
        card = _taker(kind, bodies)
        return lambda items: map(card, items)
    parts = sorted({SHOWN_FIELDS.index(name) for name in fields} | {0})
    if len(parts) == 1:
        return lambda notes: map(_ID_CARD, map(_SHOWN, notes))
    pieces = operator.itemgetter(*(slice(16 * at, 16 * at + 16) for at in parts))
    return lambda notes: map(b"".join, map(pieces, map(_SHOWN, notes)))


@functools.cache
def _branch(kind: type) -> str:
    """How ``_walk`` takes a value of the type ``kind``: as the first of these it is a kind of."""
    if issubclass(kind, str):
        return "text"
    if issubclass(kind, (Note, Paper)):
        return "note"
    if issubclass(kind, (tuple, list)):
        return "sequence"
    if issubclass(kind, (int, float, bytes, type(None), dt.date, dt.time)):
        return "scalar"
    if issubclass(kind, Serialised):
        return "serialised"
    if issubclass(kind, dict):
        return "mapping"
    if dataclasses.is_dataclass(kind) and not issubclass(kind, type):
        return "dataclass"
    if issubclass(kind, (set, frozenset)):
        return "set"
    return "mapping" if issubclass(kind, Mapping) else "other"


def _frozen_digest(value: object, names: tuple[str, ...], bodies: frozenset[str] | None,
                   shared: Shared | None, viewed: bool) -> tuple[bytes, tuple[str, ...]]:
    """The digest of a frozen dataclass value (its type and fields) and the notes and papers it
    holds, taken once per value, ``bodies`` and ``viewed`` when ``shared`` is given."""
    place = (id(value), bodies, viewed)
    known = shared.get(place) if shared is not None else None
    if known is not None and known[0] is value:
        return known[1], known[2]
    pieces = [type(value).__qualname__.encode()]
    held: list[str] = []
    for name in names:
        _walk(getattr(value, name), held.append, pieces.append, bodies, shared, viewed)
    taken = hashlib.blake2b(b"".join(pieces), digest_size=16).digest(), tuple(held)
    if shared is not None:
        shared[place] = (value, *taken)
    return taken


@functools.lru_cache(maxsize=128)
def _taker(kind: type, bodies: frozenset[str] | None) -> Callable[[Any], bytes]:
    """How a page that read the bodies of the notes ``bodies`` (None: a page taking every note
    whole) takes a note or paper (of the type ``kind``) into its key, decided once for each:
    a page that read no body (a list of notes) takes the notes by the fields it read of them
    (``FIELD`` before their names in ``bodies``; of none, the id alone, what a list counting
    notes sees), a paper by those of its notes (``Paper.card_showing``); one that read some
    takes the others by their cards."""
    if bodies is None:
        return operator.attrgetter("digest")
    fields = _fields_read(bodies)
    if issubclass(kind, Paper):
        if fields is None:
            return lambda paper: paper.card + paper.digests_of(bodies)
        return lambda paper: paper.card_showing(fields)  # a paper's pages and lists take it by the same fields
    if fields is None:
        return lambda note: note.digest if note.id in bodies else note.card
    if not fields:
        return lambda note: note.shown[:16]  # ``Note.card_of`` no field
    return lambda note: note.card_of(fields)


@functools.lru_cache(maxsize=64)
def _fields_read(bodies: frozenset[str]) -> frozenset[str] | None:
    """The names of the note fields among a page's reads; None when it read a note's body."""
    if not all(name.startswith(FIELD) for name in bodies):
        return None
    return frozenset(name[len(FIELD):] for name in bodies)


def _walk_items(value: Mapping[Any, object], found: Callable[[str], None] | None,
                update: Callable[[bytes], None] | None, bodies: frozenset[str] | None = None,
                shared: Shared | None = None, viewed: bool = False) -> None:
    """``_walk`` of a mapping's names and values (``viewed``: a page's context, each value as
    ``as_view`` gives it)."""
    if update is not None:
        update(b"{%d" % len(value))
    for name, item in value.items():
        if type(name) is not str:
            _walk(name, None, update)
        elif update is not None:  # a name, as ``_walk`` takes text, without finding its branch
            update(_text(name))
        _walk(item, found, update, bodies, shared, viewed)


def _text(value: str) -> bytes:
    """Text as a page key takes it: its length in bytes, then its UTF-8 (lone surrogates kept)."""
    data = value.encode("utf-8", "surrogatepass")
    return b"s%d:" % len(data) + data


_PLAIN = (str, int, float, bool, bytes, type(None), dt.date, dt.datetime, dt.time)
_CONTAINERS = (tuple, list, frozenset, set, dict, collections.abc.Mapping, typing.Union, types.UnionType)


@functools.cache
def _holds_none(kind: type) -> bool:
    """Whether a value of the type ``kind`` holds no note or paper, as its type alone tells:
    text, a number, a date, a ``Serialised`` value, or a dataclass of papernotes' own (its
    fields' types are checked) whose every field is typed as such, as tuples, sets and mappings
    of such, or as another such dataclass (``PaperMeta``)."""
    return _branch(kind) in ("text", "scalar", "serialised") or _plain(kind, frozenset())


def _plain(hint: Any, within: frozenset[type]) -> bool:
    """Whether a value of the type ``hint`` holds no note or paper (``_holds_none``); ``within``:
    the dataclasses whose fields are being looked at (one that may hold itself is not plain)."""
    if hint is Ellipsis or hint in _PLAIN:
        return True
    origin = typing.get_origin(hint)
    if origin is typing.Literal:
        return all(type(value) in _PLAIN for value in typing.get_args(hint))
    if origin in _CONTAINERS:
        return all(_plain(argument, within) for argument in typing.get_args(hint))
    if not isinstance(hint, type) or _branch(hint) != "dataclass" or hint in within or not hint.__module__.startswith(_OURS):
        return False  # a note or paper is not plain, nor anything that may be one (``Any``, ``object``)
    try:
        hints = typing.get_type_hints(hint)
    except (NameError, TypeError):  # a type it names is not where its module can find it
        return False
    return all(_plain(hints.get(item.name, Any), within | {hint}) for item in dataclasses.fields(hint))


_OURS = f"{__package__.partition('.')[0]}."  # the modules whose annotations mypy checks


@functools.cache
def _dataclass_fields(kind: type) -> tuple[bool, tuple[str, ...]]:
    """Whether instances of the dataclass ``kind`` are frozen, and the names of their fields."""
    return kind.__dataclass_params__.frozen, tuple(item.name for item in dataclasses.fields(kind))  # type: ignore[attr-defined]
