"""What a build writes pages into and keeps of them: the sinks, a page rendered when first read,
the record of a page written, the plan of the last build, and writing one page."""

from __future__ import annotations

import html
import threading
from dataclasses import dataclass, field
from typing import Callable, Iterable, NamedTuple, Protocol

import jinja2

from ..model import Diagnostic, DiagnosticError, Note, Page, TextFile
from ..sectioned import Place, Written
from ..output import OutputError
from ..emit.sitemap import listed
from ..urls import UnsafeURL


Planned = Page | TextFile
Shared = dict[tuple[int, frozenset[str] | None, bool], tuple[object, bytes, tuple[str, ...]]]
"""Frozen values already digested while keying the pages of one build (a paper's metadata, a tag
or date group: each shown on many pages), by identity and the ``bodies`` they were seen with; each
entry holds its value, so that no other value takes the same id while it lasts."""


UNKEYED = b""  # the digest of a page left to be rendered when read, which no page key equals
WHOLE = "planned whole"  # a render worker's plan that no two pages share a URL in


class Sink(Protocol):
    """Where a build puts its files: a staging folder on disk, or memory for the preview."""

    def write(self, rel: str, data: bytes) -> None:
        """Put ``data`` at ``rel``."""

    def write_later(self, rel: str, make: Callable[[], bytes]) -> None:
        """Put at ``rel`` what ``make`` returns, when the sink likes (a folder: now)."""

    def reuse(self, rel: str, stamp: tuple[int, int]) -> bool:
        """Put at ``rel`` the file the last build wrote there, if it still has the size and
        modification time ``stamp``; False when it cannot."""

    def last(self, rel: str, stamp: tuple[int, int]) -> Written | None:
        """The file the last build wrote at ``rel`` (its bytes, or a way to read parts of it), if
        it still has the size and modification time ``stamp``; None when it is not at hand."""

    def holds_last_build(self) -> bool:
        """Whether the sink still holds every file the last build put in it (the preview's
        memory; an output folder as the last build left it), so that a build planning only
        some pages again need write only those, and ``keep`` the others."""

    def keep(self, rels: Iterable[str]) -> None:
        """Keep the files at ``rels`` that this build did not write as the last build left them
        (asked only of a sink that ``holds_last_build``)."""


class Later:
    """A page rendered when first read: the preview renders the pages nobody has open this way,
    so that a rebuild after an edit waits only for the pages on screen."""

    def __init__(self, make: Callable[[], bytes]) -> None:
        self._make, self._lock, self._data = make, threading.Lock(), b""

    def __call__(self) -> bytes:
        with self._lock:
            if not self._data:
                try:
                    self._data = self._make()
                except jinja2.TemplateError as exc:
                    self._data = f"<h1>Template error</h1><pre>{html.escape(str(exc))}</pre>".encode()
            return self._data

    def __eq__(self, other: object) -> bool:
        """Equal to itself, and once rendered to the same bytes (so an unchanged page is not
        reported as changed)."""
        theirs = other._data if isinstance(other, Later) else other
        return other is self or (bool(self._data) and self._data == theirs)

    __hash__ = object.__hash__


class Rendered(NamedTuple):
    """A page as the last build wrote it: the digest of what it was made from, its file, its
    bytes (None when only the digest is known: an engine restored from disk), and the notes
    whose bodies its templates read (the digest took the others by their cards; None: every
    note whole, as for a text file or a page not rendered yet); of a sectioned file, where its
    sections are in the file (``sectioned.Place``). A tuple: the tens of thousands a restored
    engine holds are made from their saved values in C (``pages_of``)."""

    key: bytes
    rel: str
    data: bytes | Later | None = None
    bodies: frozenset[str] | None = None
    sections: tuple[Place, ...] = ()


@dataclass
class Plan:
    """The previous build's pages by URL (in plan order; None: a page not held in memory), the
    URLs of those the sitemap lists and, for every note and paper (``note:ID``, ``paper:ID``),
    the URLs of the pages whose context holds it (a tuple as restored, which loads in a fifth of
    the time a set takes, and a set once added to). ``setup`` is the environment digest it was
    planned under ("": not to be planned in part). ``saved``: the dependents as last saved whole
    (``marshal``'s bytes, a tenth of a second to write at 10,000 notes), and ``added`` those added
    since, which alone are saved again while they are few; ``data``: the bytes the whole plan was
    last saved or restored as, while it is what they hold."""

    setup: str = ""
    pages: dict[str, Planned | None] = field(default_factory=dict)
    dependents: dict[str, set[str] | tuple[str, ...]] = field(default_factory=dict)
    listed: set[str] = field(default_factory=set)
    saved: bytes | None = field(default=None, repr=False)
    added: dict[str, set[str]] = field(default_factory=dict, repr=False)
    data: bytes | None = field(default=None, repr=False)

    def depend(self, url: str, drawn_from: Iterable[str]) -> None:
        """Add what the page at ``url``, planned again, is drawn from (what it was drawn from
        before is kept: planned again for nothing at worst)."""
        dependents = self.dependents
        for key in drawn_from:
            holding = dependents.get(key)
            if holding is None or url not in holding:  # most pages planned again are drawn from what they were
                self.holding(key).add(url)
                self.added.setdefault(key, set()).add(url)
                self.data = None

    def learn(self, page: Planned, drawn_from: Iterable[str], keep: bool) -> None:
        """Add a page planned in full, drawn from the notes and papers ``drawn_from``."""
        self.saved = self.data = None
        self.pages[page.url] = page if keep else None
        if listed(page):
            self.listed.add(page.url)
        for key in drawn_from:
            self.holding(key).add(page.url)

    def holding(self, key: str) -> set[str]:
        """The URLs of the pages holding ``key``, as a set to add to."""
        urls = self.dependents.get(key)
        if type(urls) is not set:
            urls = self.dependents[key] = set(urls or ())
        return urls

    def relist(self, made: Iterable[Planned], gone: Iterable[str]) -> None:
        """Take in the pages ``made`` and let go of those ``gone`` since the plan was learnt (a
        plan in part adds them to ``pages``; what they are drawn from, as it writes them)."""
        self.data = None
        for url in gone:
            self.pages.pop(url, None)
            self.listed.discard(url)
        self.listed.update(page.url for page in made if listed(page))


def put(sink: Sink, rel: str, data: bytes | Later) -> None:
    if isinstance(data, Later):
        sink.write_later(rel, data)
    else:
        sink.write(rel, data)


def write_one(sink: Sink, page: Planned, write: Callable[[], None]) -> Diagnostic | None:
    """Run ``write`` for one page; a problem comes back as a diagnostic naming the note (or URL)."""
    origin = page.context.get("note") if isinstance(page, Page) else None
    where = origin.source.path if isinstance(origin, Note) else page.url
    try:
        write()
    except (UnsafeURL, OutputError) as exc:
        return Diagnostic("error", where, 1, 1, str(exc))
    except jinja2.TemplateError as exc:
        return template_problem(exc, where)
    except DiagnosticError as exc:  # a file its maker could not make, with the place to look (a site plugin)
        return exc.diagnostic
    except Exception as exc:  # the stage boundary: a note's page that cannot be made costs that page only;
        if isinstance(exc, OSError):  # a full disk fails the build
            raise
        failure = f"{type(exc).__name__}: {str(exc)[:300]}"
        place = _template_line(exc)
        if place is not None:  # a template's own mistake ({{ 1 / 0 }}, a macro calling itself): any page's
            return Diagnostic("error", place[0], place[1], 1, f"template error while rendering {page.url}: {failure}")
        if not isinstance(origin, Note):  # a broken site page fails the build
            raise
        return Diagnostic("error", where, 1, 1, f"internal error while writing {page.url} (please report): {failure}")
    return None


def _template_line(exc: BaseException) -> tuple[str, int] | None:
    """The template file and line where rendering raised ``exc``, the innermost (Jinja points the
    traceback of an error in template code at the template's lines, in frames it marks)."""
    found = None
    frame = exc.__traceback__
    while frame is not None:
        if "__jinja_exception__" in frame.tb_frame.f_globals:
            found = frame.tb_frame.f_code.co_filename, frame.tb_lineno
        frame = frame.tb_next
    return found


def template_problem(exc: jinja2.TemplateError, page: str) -> Diagnostic:
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return Diagnostic("error", exc.filename or exc.name or "template", exc.lineno or 1, 1, f"template error: {exc.message}")
    return Diagnostic("error", page, 1, 1, f"template error while rendering: {exc}")
