"""Sections of a page's HTML that a later render copies from the page as last written.

A long list (the archive's months, the table of every paper) is cut into runs by its own items
(``runs``), and a template wraps each run in a call of ``section``::

    {% for run in papers | runs %}{% call section("papers", run) %}
      {% for paper in run %}<tr>…</tr>{% endfor %}
    {% endcall %}{% endfor %}

A section is known by a digest of its label and of the values it is given: notes and papers by
the digest of all they hold, so the section's bytes are the same whenever its digest is, for the
same templates and config (the engine forgets every page, and so every section, when those
change). A render that has the file the page's last render wrote, and where its sections are
there, copies each section whose digest is among them and renders the others; after a note is
added or deleted, the archive renders the run that holds it and copies the others.

A section must show nothing but what it is given: its label, the values named and what the
templates around it hold for every page alike (``site``).
"""

from __future__ import annotations

import hashlib
import operator
import os
from typing import Any, Callable, Iterable, Iterator, Sequence

from markupsafe import Markup

from .model import id_marks
from .sectioned import LastSections, Place, Written, cut, runs
from .views import BodyReads, NoteView, NoteViews, PaperView

_DIGEST = operator.attrgetter("digest")
RUN = 32  # the items of a section (``runs``), on average: a list's rows render in tens of microseconds each


class PageSections:
    """The ``section`` one render of a page gives its templates. Its output holds each section
    between marks (``unmarked`` takes them out and tells where each section went); a section
    found at ``places`` in ``last``, the file as last written, is copied from there, and then
    what the last render read of the notes (``earlier``) is told to ``reads``, as that section,
    copied, read nothing now."""

    def __init__(self, last: Written | None = None, places: Sequence[Place] = (),
                 reads: BodyReads | None = None, earlier: Iterable[str] = ()) -> None:
        self.mark = "\x00" + os.urandom(8).hex()  # no text of a note can hold it
        self._copies = LastSections(last, places)
        self._reads, self._earlier = reads, earlier
        self._open = False

    def __call__(self, label: str, *values: Any, caller: Callable[[], str]) -> Markup:
        if self._open:  # inside another section: part of its bytes
            return Markup(caller())
        digest = section_digest(label, values)
        if digest is None:  # a value it cannot digest: rendered every time, unmarked
            return Markup(caller())
        text = self._copied(digest)
        if text is None:
            self._open = True
            try:
                text = caller()
            finally:
                self._open = False
        return Markup(f"{self.mark}[{digest.hex()}]{text}{self.mark}/")

    def _copied(self, digest: bytes) -> str | None:
        data = self._copies.get(digest)
        if data is None:
            return None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return None
        if self._reads is not None:
            self._reads.update(self._earlier)
            self._reads = None  # told once
        return text

    def unmarked(self, pieces: Iterable[str], record: list[Place] | None = None) -> Iterator[str]:
        """``pieces`` of the render's output with the marks taken out; ``record`` hears where each
        section is in the UTF-8 bytes of the output (a section's marks come in one piece:
        ``section`` returns them with its text)."""
        mark, offset = self.mark, 0
        opened: tuple[bytes, int] | None = None
        for piece in pieces:
            parts = piece.split(mark) if mark in piece else (piece,)
            for at, part in enumerate(parts):
                if at:
                    if part.startswith("/"):
                        if opened is not None and record is not None:
                            record.append((opened[0], opened[1], offset - opened[1]))
                        opened, part = None, part[1:]
                    else:
                        opened, part = (bytes.fromhex(part[1:33]), offset), part[34:]
                if part:
                    offset += len(part) if part.isascii() else len(part.encode("utf-8"))
                    yield part


def section_digest(label: str, values: Sequence[Any]) -> bytes | None:
    """A digest of ``label`` and ``values`` (None when a value is none of the kinds taken:
    text, numbers, notes, papers and sequences of them)."""
    pieces: list[bytes] = []
    if not _take(label, pieces.append) or not _take(tuple(values), pieces.append):
        return None
    return hashlib.blake2b(b"".join(pieces), digest_size=16).digest()


def _take(value: Any, update: Callable[[bytes], None]) -> bool:
    if isinstance(value, NoteView):
        update(b"n" + value._note.digest)
    elif isinstance(value, PaperView):
        update(b"p" + value._paper.digest)
    elif isinstance(value, str):
        data = value.encode("utf-8", "surrogatepass")
        update(b"s%d:" % len(data) + data)
    elif value is None or isinstance(value, (bool, int, float)):
        update(f"{type(value).__name__}:{value!r};".encode())
    elif isinstance(value, NoteViews):
        update(b"(%d" % len(value) + b"".join(map(_DIGEST, value._notes)))
    elif isinstance(value, (tuple, list)):
        update(b"(%d" % len(value))
        return all(_take(item, update) for item in value)
    else:
        return False
    return True


def section_runs(items: Iterable[Any], average: int = RUN) -> list[Sequence[Any]]:
    """The ``runs`` filter: ``items`` (notes or papers as templates see them) cut into runs of
    about ``average``, each ending where its own items say (``sectioned.runs``; a note by the
    digest of its id), so that an item added or removed changes its own run alone. A list of
    notes is cut as notes, each run a list whose views are made when a template reaches them (a
    run copied makes none)."""
    if isinstance(items, NoteViews):
        notes = list(items._notes)
        return [NoteViews(tuple(run), items._reads) for run in cut(notes, id_marks(notes), average)]
    return list(runs(items, _name, average))


def _name(item: Any) -> str:
    if isinstance(item, NoteView):
        return item._note.id  # not ``item.id``: that would count as a field the page read
    if isinstance(item, PaperView):
        return item.id
    return repr(item)
