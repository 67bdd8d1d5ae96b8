"""Full-text search: what a reader searches, handed to Pagefind as one small document per note
and per paper (never the written pages, whose lists, tags and dates repeat the notes' text).

Pagefind holds everything it indexes in memory until it writes, about 50 bytes per byte of
text, so a large site is indexed as several bundles of at most ``SHARD_TEXT`` characters each;
the search page merges them (Pagefind's ``mergeIndex``), listed in ``pagefind/papernotes.json``
with a digest of the documents, so that a build whose documents did not change keeps the bundle.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from concurrent.futures import Future, ThreadPoolExecutor
from html import escape
from pathlib import Path
from typing import Iterable, Iterator, Protocol

from ..graph import Graph
from ..model import Diagnostic, Note
from ..papers.mentions import CODE_MARK
from ..papers.papergraph import Paper
from .pagefindservice import Document, Indexed, PagefindError, write_bundle

BUNDLE = "pagefind"
MANIFEST = "papernotes.json"  # in the bundle: the digest of its documents and the bundles to merge
SHARD_TEXT = 6_000_000  # characters of documents per Pagefind process (about 300 MB of its memory)
FORMAT = "papernotes search documents 1"  # change when documents() changes shape

_DROPPED = re.compile(r"<(annotation|script|style|template)\b.*?</\1\s*>|<!--.*?-->", re.S | re.I)
_TAG = re.compile(r"""<(/?)([a-zA-Z][\w:-]*)(?:[^>"']|"[^"]*"|'[^']*')*>""")
_HEADING = re.compile(r"h[1-6]", re.I)
_INLINE = frozenset("a abbr b bdi bdo cite code data del dfn em font i ins kbd mark q s samp small span strong sub sup "
                    "time u var wbr".split())


def searchable_html(html: str) -> str:
    """``html`` reduced to what Pagefind reads from it: text, with headings kept (their ids give
    results that link to a section). Inline markup (Pygments' spans, links, emphasis) goes
    without a trace, other elements leave a space; a formula keeps its MathML text, not its TeX."""
    def tag(match: re.Match[str]) -> str:
        name = match[2].lower()
        if _HEADING.fullmatch(name):
            return match[0]
        return "" if name in _INLINE else " "

    return _TAG.sub(tag, _DROPPED.sub(" ", html))


def documents(graph: Graph, language: str) -> Iterator[Document]:
    """A document for each note (title, tags, body, the titles of the papers it discusses) and
    for each paper with a page (title, id, authors, venue, year, abstract, mentions)."""
    for note in graph.notes:
        tags = tuple(tag.name for tag in graph.tags_of.get(note.id, ()))
        yield Document(note.url, note_html(note, tags, graph.papers.papers_of.get(note.id, ()), language))
    for paper in graph.papers.papers:
        yield Document(paper.url, paper_html(paper, language))


def note_html(note: Note, tags: tuple[str, ...], papers: Iterable[Paper], language: str) -> str:
    listed = " ".join(f"<p>{escape(paper.title)}</p>" for paper in papers)
    tagged = f'<p>{" ".join(f"#{escape(tag)}" for tag in tags)}</p>' if tags else ""
    return _page(language, note.title, f"{tagged}{searchable_html(note.body.html)}{listed}")


def paper_html(paper: Paper, language: str) -> str:
    """A paper's facts, and the sentences around each mention of it: the names readers know a
    paper by ("Chinchilla", "the Adam paper") are there, seldom in its metadata."""
    meta = paper.meta
    facts = (paper.id, ", ".join(meta.authors), meta.venue or "", str(meta.year or ""), meta.abstract or "",
             *(d.excerpt.replace(CODE_MARK, "") for d in paper.discussions))
    return _page(language, paper.title, "".join(f"<p>{escape(fact)}</p>" for fact in facts if fact))


def _page(language: str, title: str, body: str) -> str:
    return (f'<html lang="{escape(language)}"><body><main data-pagefind-body>'
            f'<h1 data-pagefind-meta="title">{escape(title)}</h1>{body}</main></body></html>')


def digest(graph: Graph, language: str) -> str:
    """A digest of everything ``documents`` reads (taken from the notes' and papers' own
    digests, so no body is read): equal digests, equal bundles."""
    hasher = hashlib.blake2b(f"{FORMAT}\0{language}\0{SHARD_TEXT}".encode(), digest_size=20)
    for note in graph.notes:
        hasher.update(note.digest)
        hasher.update(repr(([t.name for t in graph.tags_of.get(note.id, ())],
                            [p.title for p in graph.papers.papers_of.get(note.id, ())])).encode())
    for paper in graph.papers.papers:
        hasher.update(paper.digest)
    return hasher.hexdigest()


def shards(docs: Iterable[Document], size: int) -> Iterator[list[Document]]:
    """``docs`` in consecutive groups of at most ``size`` characters (a longer document alone)."""
    group: list[Document] = []
    length = 0
    for doc in docs:
        if group and length + len(doc.html) > size:
            yield group
            group, length = [], 0
        group.append(doc)
        length += len(doc.html)
    if group:
        yield group


def make_bundle(graph: Graph, language: str, folder: Path, workers: int = 1, known: str | None = None) -> Diagnostic | None:
    """Write the search bundle of ``graph`` into ``folder/pagefind``, one Pagefind process per
    shard, ``workers`` at a time; returns a warning when it could not be made (the site works
    without search)."""
    bundle = folder / BUNDLE
    places: list[str] = []
    results: list[Indexed] = []
    try:
        with ThreadPoolExecutor(max(1, workers)) as pool:
            running: list[Future[Indexed]] = []
            for number, group in enumerate(shards(documents(graph, language), SHARD_TEXT)):
                place = "" if number == 0 else f"shard-{number + 1}/"
                places.append(place)
                if len(running) >= max(1, workers):  # keep at most one waiting shard in memory
                    results.append(running.pop(0).result())
                running.append(pool.submit(write_bundle, group, bundle / place, ("annotation",), interface=not place))
            results += [job.result() for job in running]
    except PagefindError as exc:
        shutil.rmtree(bundle, ignore_errors=True)
        return Diagnostic("warning", str(folder), 1, 1, f"search index was not built: {exc}")
    bundle.mkdir(parents=True, exist_ok=True)
    manifest = {"digest": known or digest(graph, language), "merge": places[1:]}
    (bundle / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    refused = [item for indexed in results for item in indexed.refused]
    if refused:
        url, reason = refused[0]
        more = f" (and {len(refused) - 1} more pages)" if len(refused) > 1 else ""
        return Diagnostic("warning", url, 1, 1, f"search: Pagefind did not index this page: {reason}{more}")
    return None


class Staging(Protocol):
    """The site being written (``output.Staging``, ``inplace.InPlace``): ``root`` is where it makes
    folders whole, beside the current site, whose folders it can keep."""

    out_dir: Path

    @property
    def root(self) -> Path: ...

    def reuse_tree(self, rel: str) -> bool: ...


def update_bundle(staging: Staging, graph: Graph, language: str, workers: int = 1) -> Diagnostic | None:
    """Give the staged site a search bundle: the current site's, hard-linked, when it was made
    from the same documents; otherwise a new one."""
    wanted = digest(graph, language)
    try:
        current = json.loads((staging.out_dir / BUNDLE / MANIFEST).read_text(encoding="utf-8")).get("digest")
    except (OSError, ValueError, AttributeError):
        current = None
    if current == wanted and staging.reuse_tree(BUNDLE):
        return None
    return make_bundle(graph, language, staging.root, workers, wanted)
