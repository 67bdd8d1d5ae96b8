"""What several emitters share: the URL filter, pagination and the citation exports."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from operator import attrgetter
from typing import Callable, Iterator, Mapping, Sequence
from urllib.parse import quote

from ..papers.bibtex import bibliography, bibtex_entry
from ..papers.csljson import csl_entry, csl_json
from ..model import Note, Page, Serialised, TextFile, content_digest, utf8_pieces
from ..sectioned import Section, Sectioned, digest, runs
from ..papers.papergraph import PaperGraph
from ..papers.registry import PaperMeta

_ID = attrgetter("id")

#: Whether a URL is to be planned: every URL for a full build, the affected ones when re-planning.
Wanted = Callable[[str], bool]


def everything(url: str) -> bool:
    """The filter of a full build."""
    return True


@dataclass(frozen=True)
class Pagination:
    """Where a list page sits among its siblings."""

    number: int
    total: int
    newer_url: str | None
    older_url: str | None
    rest_url: str | None = None  # on the last page, where the notes past it are listed
    rest_title: str = ""  # and what that page is


#: The pages a list of notes (the home page's, a tag's) runs to; past them it points to a page
#: listing them all by date. A page further on would hold notes that each new note moves along
#: one place: a note written would make every one of them again, for a list nobody pages through.
LIST_PAGES = 10


def paginated(url: str, title: str, notes: Sequence[Note], size: int, wanted: Wanted,
              most: int | None = None, rest: tuple[str, str] = ("", ""), **extra: object) -> Iterator[Page]:
    """``url``, ``url/page/2/``, … each listing ``size`` notes; no more than ``most`` pages,
    the last of them then pointing to ``rest`` (the URL and title of a page listing them all)."""
    total = max(1, -(-len(notes) // size))
    rest_url, rest_title = None, ""
    if most is not None and total > most:
        total, (rest_url, rest_title) = most, rest

    def page_url(number: int) -> str:
        return url if number == 1 else f"{url}page/{number}/"

    for number in range(1, total + 1):
        if not wanted(page_url(number)):
            continue
        chunk = notes[(number - 1) * size: number * size]
        pagination = Pagination(
            number, total,
            page_url(number - 1) if number > 1 else None,
            page_url(number + 1) if number < total else None,
            rest_url if number == total else None,
            rest_title if number == total else "",
        )
        shown = title if number == 1 else f"{title} (page {number})"
        yield Page(page_url(number), "list.html", {"title": shown, "notes": tuple(chunk), "pagination": pagination, **extra})


class Citations:
    """Each paper's BibTeX and CSL-JSON entry under the site's citation keys, made once however
    many exports hold the paper (the whole library, each tag's, its own). The keys are taken
    from the paper graph when first asked for (a rebuild that plans no export or paper page
    needs none), and the graph is let go then: the exports a preview keeps planned hold the
    keys, not a past build's graph."""

    def __init__(self, papers: PaperGraph) -> None:
        self._papers: PaperGraph | None = papers
        self._keys: Mapping[str, str] = {}
        self.made: dict[tuple[str, str], str] = {}  # (format, paper id) → entry
        self.digests: dict[str, bytes] = {}  # paper id → a digest of its metadata (of one graph: one metadata an id)

    def key(self, paper_id: str) -> str:
        return self.keys()[paper_id]

    def keys(self) -> Mapping[str, str]:
        """Each paper's citation key, by its id."""
        if self._papers is not None:
            self._keys, self._papers = self._papers.cite_keys, None
        return self._keys

    def bibtex(self, meta: PaperMeta) -> str:
        return self._entry("bib", meta, bibtex_entry)

    def csl(self, meta: PaperMeta) -> str:
        return self._entry("csl", meta, csl_entry)

    def _entry(self, kind: str, meta: PaperMeta, make: Callable[[PaperMeta, str], str]) -> str:
        entry = self.made.get((kind, meta.id))
        if entry is None:
            entry = self.made[kind, meta.id] = make(meta, self.key(meta.id))
        return entry

    def file(self, kind: str, metas: tuple[PaperMeta, ...]) -> Iterator[bytes] | Sectioned:
        """The BibTeX (``bib``) or CSL-JSON (``csl``) file of ``metas``; of more than one run of
        papers (``sectioned.runs``), in sections, each known by its papers' keys and metadata,
        which a build copies from the file it wrote last while they are the same."""
        entry, join, separator = (self.bibtex, bibliography, "\n") if kind == "bib" else (self.csl, csl_json, ",\n ")
        parts = list(runs(metas, attrgetter("id")))
        if len(parts) < 2:
            return utf8_pieces(join(map(entry, metas)))
        digests = self._digests(metas)
        sections = tuple(Section(digest(kind, *(piece for meta in run for piece in (self.key(meta.id), digests[meta.id]))),
                                 partial(lambda run: (separator.join(map(entry, run)).encode("utf-8"),), run))
                         for run in parts)
        if kind == "bib":
            return Sectioned(sections, b"\n")
        return Sectioned((b"[\n ", *sections, b"\n]\n"), separator.encode())

    def contents(self, metas: tuple[PaperMeta, ...]) -> bytes:
        """A digest of what an export of ``metas`` is made from: each paper's metadata and key, in
        order (``CitedPapers``); the digests are looked up in C."""
        digests, ids = self._digests(metas), list(map(_ID, metas))
        return digest("citations", "\0".join(map(self.keys().__getitem__, ids)), b"".join(map(digests.__getitem__, ids)))

    def _digests(self, metas: tuple[PaperMeta, ...]) -> Mapping[str, bytes]:
        """The digests of the metadata by paper id, those of ``metas`` taken if not yet."""
        self.digests.update((meta.id, content_digest(meta)) for meta in metas if meta.id not in self.digests)
        return self.digests


class CitedPapers(Serialised):
    """What an export is made from, as its key holds it: a page key takes it by one digest of
    its papers' metadata and citation keys (``Citations.contents``), not by walking thousands
    of papers field by field, and takes it only when it keys the export (a build that keeps no
    state never does)."""

    __slots__ = ("citations", "metas", "digest")

    def __init__(self, citations: Citations, metas: tuple[PaperMeta, ...]) -> None:
        self.citations, self.metas = citations, metas
        self.digest: bytes | None = None

    def serialised(self) -> bytes:
        if self.digest is None:
            self.digest = self.citations.contents(self.metas)
        return self.digest


def data_url(media_type: str, text: str) -> str:
    """``text`` as a ``data:`` URL, for a link that downloads it without a file of its own."""
    return f"data:{media_type};charset=utf-8,{quote(text, safe=',:;=@/()')}"


def citation_files(stem: str, metas: tuple[PaperMeta, ...], citations: Citations, wanted: Wanted) -> Iterator[TextFile]:
    """``stem.bib`` and ``stem.csl.json`` for ``metas``, under the site's citation keys."""
    bib, csl = f"{stem}.bib", f"{stem}.csl.json"
    if not (wanted(bib) or wanted(csl)):
        return  # no keys made: a rebuild after a text edit plans no export
    cited = CitedPapers(citations, metas)
    if wanted(bib):
        yield TextFile(bib, partial(citations.file, "bib", metas), ("bib", cited))
    if wanted(csl):
        yield TextFile(csl, partial(citations.file, "csl", metas), ("csl", cited))
