"""Full-text search: what a reader searches, handed to Pagefind as one small document per note
and per paper (never the written pages, whose lists, tags and dates repeat the notes' text).

Pagefind holds everything it indexes in memory until it writes, about 50 bytes per byte of
text, so a large site is indexed as several bundles of about ``SHARD_TEXT`` characters each,
a document's bundle fixed by its URL; the search page merges them (Pagefind's ``mergeIndex``),
listed in ``pagefind/papernotes.json`` with a digest of each one's documents, so that a build
keeps every bundle whose documents did not change and indexes the others again.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import json
import re
import os
import shutil
import threading
from dataclasses import dataclass
from html import escape, unescape
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping, Protocol

if TYPE_CHECKING:  # the thread pools are imported where they are made: a build without search needs none
    from concurrent.futures import Future

from .. import marshalfile
from ..config import Config
from ..graph import Graph
from ..model import Diagnostic, Note
from ..text import CODE_MARK
from ..papers.papergraph import Paper
from .pagefindindex import Document, Indexed, PagefindError, write_bundle

BUNDLE = "pagefind"
SEARCH_MEMO = "search-papers.marshal"  # in the cache folder: the papers' prints (``paper_prints``)
SPARE = "pagefind"  # in the cache folder: a copy of the bundle a build whose output had none made (``keep_spare``)
MANIFEST = "papernotes.json"  # in the bundle: the digest of its documents and the bundles to merge
SHARD_TEXT = 3_000_000  # characters of documents per Pagefind process (about 150 MB of its memory)
MOST_BUNDLES = 100  # past this many, bundles grow instead: a search asks every bundle for each word
PARALLEL_TEXT = 1_000_000  # characters of documents that are worth a Pagefind process of their own
EXCERPT_WEIGHT = 0.5  # of a word in a paper's document quoted from a note (Pagefind's default is 1)
WORD_TEXT = 10  # characters of a note's document per word of its body, taken to size the bundles
_SHARD_FOLDER = re.compile(r"shard-\d+")
FORMAT = "papernotes search documents 4"  # change when documents() changes shape

_TEX = re.compile(r"""<annotation\b[^>]*encoding=["']application/x-tex["'][^>]*>(.*?)</annotation\s*>""", re.S | re.I)
_TEX_WORD = re.compile(r"(?<![\\\w])[^\W\d_]{2,}")  # a word of two letters or more, not a command's name
_ATTRIBUTES = r"""[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>"""  # to the tag's end: quoted values may hold ">"
_INLINE = "span|a|code|em|strong|abbr|b|bdi|bdo|cite|data|del|dfn|font|i|ins|kbd|mark|q|s|samp|small|sub|sup|time|u|var|wbr"
_CAPITAL_IN_TAG = re.compile(r"</?[a-z\d:-]*[A-Z]")  # a tag name not in lowercase


def _markup(flags: int) -> tuple[re.Pattern[str], ...]:
    """The patterns ``searchable_html`` runs, in order: formulas, elements dropped whole, inline
    tags (Pygments' spans first: most tags are theirs), other tags but headings'."""
    return (re.compile(r"<math\b.*?</math\s*>", re.S | flags),
            re.compile(r"<(annotation|script|style|template)\b.*?</\1\s*>|<!--.*?-->", re.S | flags),
            re.compile(rf"</?(?:{_INLINE})(?![\w:-])" + _ATTRIBUTES, flags),
            re.compile(r"<(?!/?h[1-6](?![\w:-]))/?[a-zA-Z][\w:-]*" + _ATTRIBUTES, flags))


_LOWERCASE_MARKUP, _ANY_CASE_MARKUP = _markup(0), _markup(re.I)  # case-blind matching takes half as long again


def searchable_html(html: str) -> str:
    """``html`` reduced to what Pagefind reads from it: text, with headings kept (their ids give
    results that link to a section). Inline markup (Pygments' spans, links, emphasis) goes
    without a trace, other elements leave a space. A formula with its TeX leaves the words its
    TeX spells (``\\mathrm{softmax}``, ``\\text{loss}``), not the letters and symbols of its
    MathML one by one; one without keeps its MathML text."""
    formula, dropped, inline_tag, other_tag = _ANY_CASE_MARKUP if _CAPITAL_IN_TAG.search(html) else _LOWERCASE_MARKUP
    return other_tag.sub(" ", inline_tag.sub("", dropped.sub(" ", formula.sub(_formula_words, html))))


def _formula_words(formula: re.Match[str]) -> str:
    tex = _TEX.search(formula[0])
    return formula[0] if tex is None else f' {" ".join(_TEX_WORD.findall(unescape(tex[1])))} '


def documents(graph: Graph, language: str, wanted: Callable[[str], bool] = lambda url: True) -> Iterator[Document]:
    """A document for each note (title, tags, body, the titles of the papers it discusses) and
    for each paper with a page (title, id, authors, venue, year, abstract, mentions) whose URL
    is ``wanted``, in the order of their URLs: Pagefind numbers pages in the order it finds
    their files, so a bundle made again from the same documents is the same bytes whatever
    order a new date gave the notes."""
    for note in sorted(graph.notes, key=attrgetter("url")):
        if wanted(note.url):
            tags = tuple(tag.name for tag in graph.tags_of.get(note.id, ()))
            yield Document(note.url, note_html(note, tags, graph.papers.papers_of.get(note.id, ()), language))
    for paper in sorted(graph.papers.papers, key=attrgetter("url")):
        if wanted(paper.url):
            yield Document(paper.url, paper_html(paper, language))


def note_html(note: Note, tags: tuple[str, ...], papers: Iterable[Paper], language: str) -> str:
    listed = " ".join(f"<p>{escape(paper.title)}</p>" for paper in papers)
    tagged = f'<p>{" ".join(f"#{escape(tag)}" for tag in tags)}</p>' if tags else ""
    return _page(language, note.title, f"{tagged}{searchable_html(note.body.html)}{listed}")


def paper_html(paper: Paper, language: str) -> str:
    """A paper's facts, and the sentences around each mention of it: the names readers know a
    paper by ("Chinchilla", "the Adam paper") are there, seldom in its metadata. Each sentence
    counts once and half (``EXCERPT_WEIGHT``): the note that says it ranks above the paper quoting it."""
    meta = paper.meta
    facts = (paper.id, ", ".join(meta.authors), meta.venue or "", str(meta.year or ""), meta.abstract or "")
    excerpts = dict.fromkeys(d.excerpt.replace(CODE_MARK, "") for d in paper.discussions)
    return _page(language, paper.title, "".join(f"<p>{escape(fact)}</p>" for fact in facts if fact) +
                 "".join(f'<p data-pagefind-weight="{EXCERPT_WEIGHT}">{escape(said)}</p>' for said in excerpts if said))


def _page(language: str, title: str, body: str) -> str:
    return (f'<html lang="{escape(language)}"><body><main data-pagefind-body>'
            f'<h1 data-pagefind-meta="title">{escape(title)}</h1>{body}</main></body></html>')


@dataclass(frozen=True)
class ShardPlan:
    """Which bundle each document goes to, and a digest of each bundle's documents (taken from
    what each note's document is made of, its body by the digest the body store keeps, and from
    the papers' documents, so no body is read): equal digests, equal bundles.

    A document's bundle is fixed by its URL (``count`` buckets of a hash), not by the sizes of
    the documents before it, so an edit changes only its own bundle's digest; ``count`` comes
    from the words of the notes, about ``SHARD_TEXT`` characters of documents to a bundle, and
    at least one for each of ``workers`` with ``PARALLEL_TEXT`` to index (bundles are indexed
    side by side), but no more than ``MOST_BUNDLES``: each search asks every bundle for the
    index of each word, so a very large site (past 300 MB of documents, some 40,000 notes)
    gets larger bundles rather than more of them."""

    count: int
    buckets: dict[str, int]  # URL → bucket
    digests: tuple[str, ...]  # by bucket ("" for an empty one)

    @classmethod
    def of(cls, graph: Graph, language: str, workers: int = 1, prints: Mapping[bytes, Print] | None = None) -> ShardPlan:
        """The plan of ``graph``'s documents; ``prints``: its papers' (``paper_prints``), when made already."""
        prints = prints if prints is not None else paper_prints(graph, language)
        papers = sorted((paper.url, *prints[paper.card]) for paper in graph.papers.papers)  # no body read
        size = sum(WORD_TEXT * note.body.words + len(note.title) for note in graph.notes) + sum(length for _, length, _ in papers)
        wanted = max(-(-size // SHARD_TEXT), min(workers, size // PARALLEL_TEXT))
        count = max(1, min(wanted, MOST_BUNDLES, len(graph.notes) + len(graph.papers.papers)))
        buckets: dict[str, int] = {}
        hashers: dict[int, Any] = {}

        def add(url: str, *pieces: bytes) -> None:
            bucket = buckets[url] = bucket_of(url, count)
            if bucket not in hashers:
                hashers[bucket] = hashlib.blake2b(f"{FORMAT}\0{language}\0{count}\0{bucket}".encode(), digest_size=20)
            for piece in pieces:
                hashers[bucket].update(piece)

        for note in sorted(graph.notes, key=attrgetter("url")):  # by its document alone: not by its date or place
            add(note.url, note.body.html_digest, repr((note.url, note.title, [t.name for t in graph.tags_of.get(note.id, ())],
                                                         [p.title for p in graph.papers.papers_of.get(note.id, ())])).encode())
        for url, _, said in papers:  # by what it says: an edit elsewhere in a note on it leaves it alone
            add(url, said)
        first = min(hashers, default=0)  # the bundle at the top of the folder, with the interface
        hashers.get(first, hashlib.blake2b()).update(b"\0top")
        return cls(count, buckets, tuple(hashers[b].hexdigest() if b in hashers else "" for b in range(count)))

    @property
    def digest(self) -> str:
        """A digest of every bundle's documents."""
        return hashlib.blake2b("\0".join(self.digests).encode(), digest_size=20).hexdigest()

    @property
    def places(self) -> tuple[str | None, ...]:
        """Where each bundle goes in the search folder, by bucket: the first holding documents at
        its top ("", with Pagefind's interface), the others in ``shard-N/``; None: no documents."""
        first = next((b for b, digest in enumerate(self.digests) if digest), 0)
        return tuple(None if not digest else "" if b == first else f"shard-{b + 1}/" for b, digest in enumerate(self.digests))


Print = tuple[int, bytes]  # a document's size and digest


def paper_prints(graph: Graph, language: str, known: Mapping[bytes, Print] | None = None) -> dict[bytes, Print]:
    """The size and a digest of each paper's document (not the document: at 100,000 notes the
    papers' documents together take some 160 MB), by the paper's card (its facts and excerpts,
    all its document is made of); those ``known`` from an earlier build are not made again."""
    known = known or {}
    prints = {}
    for paper in graph.papers.papers:
        found = known.get(paper.card)
        if found is None:
            document = paper_html(paper, language)
            found = len(document), hashlib.blake2b(document.encode("utf-8", "surrogatepass"), digest_size=20).digest()
        prints[paper.card] = found
    return prints


def _recalled_prints(memo: Path | None, language: str) -> dict[bytes, Print]:
    """The papers' prints an earlier build kept in ``memo`` for documents in ``language``."""
    if memo is None:
        return {}
    try:
        kept = marshalfile.load(memo)
        prints = kept["prints"] if kept["format"] == [FORMAT, language] else {}
    except (OSError, EOFError, ValueError, TypeError, KeyError):
        return {}
    shaped = isinstance(prints, dict) and all(
        isinstance(found, tuple) and len(found) == 2 and type(found[0]) is int and type(found[1]) is bytes
        for found in prints.values())
    return prints if shaped else {}  # a file of another shape is not trusted


def _kept_prints(memo: Path | None, language: str, prints: dict[bytes, Print]) -> None:
    """Keep ``prints`` in ``memo`` for the next build (written whole, then put in place)."""
    if memo is None:
        return
    try:
        memo.parent.mkdir(parents=True, exist_ok=True)
        marshalfile.save(memo, {"format": [FORMAT, language], "prints": prints})
    except OSError:
        pass


def bucket_of(url: str, count: int) -> int:
    """The bundle of the document at ``url`` among ``count``: the same in every build."""
    return int.from_bytes(hashlib.blake2b(url.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "big") % count


def digest(graph: Graph, language: str) -> str:
    """A digest of everything ``documents`` reads: equal digests, equal bundles."""
    return ShardPlan.of(graph, language).digest


def make_bundle(graph: Graph, language: str, bundle: Path, workers: int = 1, plan: ShardPlan | None = None,
                current: Path | None = None, kept: frozenset[int] = frozenset(),
                cancelled: threading.Event | None = None, slots: threading.Semaphore | None = None) -> Diagnostic | None:
    """Write the search bundle of ``graph`` into the folder ``bundle``, one Pagefind process per
    bundle, ``workers`` at a time (and no more than ``slots`` lets run); the bundles numbered in
    ``kept`` are hard-linked from the search folder ``current`` instead. Returns a warning when
    the index could not be made (the site works without search). Once ``cancelled`` is set no
    more documents are written, no Pagefind is started and a running one is stopped."""
    plan = plan or ShardPlan.of(graph, language, workers)
    places = plan.places
    kept = kept if current is not None else frozenset()
    try:
        for number, place in enumerate(places):
            if number in kept and current is not None and place is not None:
                _link_bundle(current, bundle, place)
    except OSError:  # the current site's bundle is not as its manifest says: index every bundle
        shutil.rmtree(bundle, ignore_errors=True)
        kept = frozenset()
    indexed = [number for number, place in enumerate(places) if place is not None and number not in kept]
    try:
        results = _index(graph, language, plan, indexed, lambda place: bundle / place, workers, cancelled, slots)
    except (PagefindError, OSError) as exc:
        shutil.rmtree(bundle, ignore_errors=True)
        return Diagnostic("warning", str(bundle), 1, 1, f"search index was not built: {exc}")
    bundle.mkdir(parents=True, exist_ok=True)
    (bundle / MANIFEST).write_bytes(_manifest(plan))
    return _outcome(bundle, results)


def _index(graph: Graph, language: str, plan: ShardPlan, numbers: list[int], folder: Callable[[str], Path],
           workers: int, cancelled: threading.Event | None, slots: threading.Semaphore | None) -> list[Indexed]:
    """Index the bundles ``numbers`` of ``plan``, each into the ``folder`` of its place, side by
    side; the documents of each are made as its Pagefind reads them."""
    places = plan.places

    def index(number: int) -> Indexed:
        place = places[number] or ""
        with slots or contextlib.nullcontext():
            return write_bundle(documents(graph, language, functools.partial(_in_bucket, plan.buckets, number)),
                                folder(place), ("annotation",), interface=not place, cancelled=cancelled)

    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max(1, workers)) as pool:
        return [job.result() for job in [pool.submit(index, number) for number in numbers]]


def _manifest(plan: ShardPlan) -> bytes:
    """The search folder's ``papernotes.json``: the digest of its documents, the bundles the
    search page merges, and each bundle's digest."""
    manifest = {"digest": plan.digest, "merge": [place for place in plan.places if place], "shards": list(plan.digests)}
    return (json.dumps(manifest, indent=1) + "\n").encode("utf-8")


def _outcome(folder: Path, results: list[Indexed]) -> Diagnostic | None:
    """A warning for the pages Pagefind was not given or left out, if any."""
    refused = [item for indexed in results for item in indexed.refused]
    if refused:
        url, reason = refused[0]
        more = f" (and {len(refused) - 1} more pages)" if len(refused) > 1 else ""
        return Diagnostic("warning", url, 1, 1, f"search: Pagefind did not index this page: {reason}{more}")
    left_out = sum(indexed.left_out for indexed in results)
    if left_out:
        pages = left_out + sum(indexed.pages for indexed in results)
        return Diagnostic("warning", str(folder), 1, 1, f"search: Pagefind left {left_out} of {pages} pages out of the index")
    return None


def _in_bucket(buckets: dict[str, int], number: int, url: str) -> bool:
    return buckets[url] == number


def _link_bundle(current: Path, bundle: Path, place: str) -> None:
    """Hard-link the bundle at ``place`` of the search folder ``current`` into ``bundle`` (the
    one at the top without the other bundles' folders and the manifest), copying the files
    where links cannot be made (another file system)."""
    if place:
        shutil.copytree(current / place, bundle / place, copy_function=_linked)
        return
    shutil.copytree(current, bundle, copy_function=_linked, dirs_exist_ok=True,
                    ignore=lambda where, names: [name for name in names if Path(where) == current
                                                 and (name == MANIFEST or _SHARD_FOLDER.fullmatch(name))])


def _linked(source: str, target: str) -> None:
    """``target`` made a hard link to ``source``, or a copy of it where no link can be made."""
    try:
        os.link(source, target)
    except OSError as exc:
        if exc.errno not in _NO_LINK:
            raise
        shutil.copyfile(source, target)


_NO_LINK = {errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP}  # errors of the file system, not of the file


class Staging(Protocol):
    """The site being written (``output.Staging``, ``inplace.InPlace``), beside the current
    site, whose folders it can keep."""

    out_dir: Path

    def folder(self, rel: str) -> Path: ...

    def reuse_tree(self, rel: str, apart: frozenset[str] = frozenset()) -> bool: ...

    def write(self, rel: str, data: bytes) -> None: ...


def update_bundle(staging: Staging, graph: Graph, language: str, workers: int = 1,
                  cancelled: threading.Event | None = None, slots: threading.Semaphore | None = None,
                  memo: Path | None = None, spare: Path | None = None) -> Diagnostic | None:
    """Give the staged site a search bundle: the current site's, kept, when it was made from
    the same documents; otherwise each bundle whose documents did not change is kept and the
    others are indexed again (an edit indexes its own bundle, not every one). When the bundles
    are where they were and the first one (with the interface, at the top of the folder) is
    kept, only the changed bundles' folders are made anew, each to replace its namesake;
    otherwise the whole folder is. ``memo``: a file keeping the papers' prints between builds
    (an edit makes again the documents of the papers its note discusses, not every paper's).
    ``spare``: the copy of a bundle the cache folder keeps (``keep_spare``), whose bundles are
    kept as the current site's would be when the current site has none (a fresh checkout)."""
    recalled = _recalled_prints(memo, language)
    prints = paper_prints(graph, language, recalled)
    if prints != recalled:
        _kept_prints(memo, language, prints)
    plan = ShardPlan.of(graph, language, workers, prints)
    current = staging.out_dir / BUNDLE
    known, shards, merged = _manifest_of(current)
    if known is None and spare is not None:  # no bundle in the output: the cache folder's copy stands for it
        _, shards, _ = _manifest_of(spare)
        return make_bundle(graph, language, staging.folder(BUNDLE), workers, plan, spare, _same_bundles(plan, shards),
                           cancelled, slots)
    if known == plan.digest and staging.reuse_tree(BUNDLE):
        return None
    places = plan.places
    kept = _same_bundles(plan, shards)
    changed = [b for b, place in enumerate(places) if place is not None and b not in kept]
    remade = [place.rstrip("/") for b in changed if (place := places[b])]  # the changed bundles' folders
    if (merged == [place for place in places if place] and len(remade) == len(changed)
            and all((current / place).is_dir() for b in kept if (place := places[b]))
            and staging.reuse_tree(BUNDLE, frozenset({MANIFEST, *remade}))):

        def nested(place: str) -> Path:
            return staging.folder(f"{BUNDLE}/{place.rstrip('/')}")

        try:
            results = _index(graph, language, plan, changed, nested, workers, cancelled, slots)
        except (PagefindError, OSError) as exc:  # the changed bundles' folders are not swapped in half-made
            for name in remade:
                shutil.rmtree(nested(name), ignore_errors=True)
            return Diagnostic("warning", str(current), 1, 1, f"search index was not updated (the last one is kept): {exc}")
        staging.write(f"{BUNDLE}/{MANIFEST}", _manifest(plan))
        return _outcome(current, results)
    return make_bundle(graph, language, staging.folder(BUNDLE), workers, plan, current, kept, cancelled, slots)


def _manifest_of(folder: Path) -> tuple[Any, Any, Any]:
    """The digest, the bundles' digests and the bundles merged that the search folder
    ``folder``'s manifest gives (None each when it has none that can be read)."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        return manifest.get("digest"), manifest.get("shards"), manifest.get("merge")
    except (OSError, ValueError, AttributeError):
        return None, None, None


def _same_bundles(plan: ShardPlan, shards: object) -> frozenset[int]:
    """The bundles of ``plan`` that a search folder whose manifest gives the bundles' digests
    ``shards`` holds as they are to be."""
    if not isinstance(shards, list) or len(shards) != plan.count:
        return frozenset()
    return frozenset(b for b, digest in enumerate(plan.digests) if digest and shards[b] == digest)


def keep_spare(bundle: Path, spare: Path) -> None:
    """Make ``spare`` (in the cache folder) a copy of the search folder ``bundle`` (the
    output's) in hard links, or copied where they cannot be made: what a build whose output
    holds no search folder starts from (``update_bundle``), as on a fresh checkout whose cache
    folder was kept (the publishing workflows keep it), so that it indexes only the bundles
    whose documents changed. Nothing is done when the copy is of the same documents already;
    the copy is put in place whole, and when it cannot be made the last one goes."""
    made_of = _manifest_of(bundle)
    if made_of[0] is None or _manifest_of(spare) == made_of:  # no bundle made, or the copy is of it already
        return
    made = spare.with_name(f"{spare.name}.tmp-{os.getpid()}")
    gone = spare.with_name(f"{spare.name}.old-{os.getpid()}")
    try:
        _remove(made)
        shutil.copytree(bundle, made, copy_function=_linked)
        if spare.exists() or spare.is_symlink():
            os.replace(spare, gone)
        os.replace(made, spare)
    except OSError:
        _remove(spare)
    finally:
        _remove(made)
        _remove(gone)


def _remove(path: Path) -> None:
    """Remove the folder, file or link at ``path``, if there is one, as far as it can be."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)


class Indexing:
    """``update_bundle`` in a thread of its own, begun with the graph while the pages are written:
    a Pagefind process takes the processor time the render workers leave idle (their uneven
    shares, the writing of assets), and the search step no longer waits for the last page. One
    Pagefind runs beside the render workers and one per core once they are done, so that the
    build's processes together stay within a few hundred megabytes (a Pagefind process holds
    about 50 bytes per character of its bundle, a render worker a copy of the graph)."""

    def __init__(self, staging: Staging, workers: int, cache: Path | None = None) -> None:
        """``cache``: the cache folder, where the papers' prints (``SEARCH_MEMO``) and a spare
        bundle (``SPARE``) are kept between builds (None: nothing is kept)."""
        from concurrent.futures import ThreadPoolExecutor

        self.staging, self.workers, self.cache = staging, workers, cache
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="search")
        self._bundle: Future[Diagnostic | None] | None = None
        self._cancelled = threading.Event()
        self._slots = threading.Semaphore(1)  # Pagefind processes let run: one while the pages are written

    def start(self, graph: Graph, config: Config) -> None:
        """Begin making the bundle of ``graph`` (called once its pages begin to be written)."""
        cache = self.cache
        self._bundle = self._thread.submit(update_bundle, self.staging, graph, config.language, self.workers,
                                           self._cancelled, self._slots, cache / SEARCH_MEMO if cache else None,
                                           cache / SPARE if cache else None)

    def _pages_written(self) -> None:
        if self.workers > 1:
            self._slots.release(self.workers - 1)

    def result(self) -> Diagnostic | None:
        """Wait for the bundle (called once the pages are written): None when it was made, else why not."""
        self._pages_written()
        try:
            if self._bundle is None:
                raise RuntimeError("the search bundle was never begun")
            return self._bundle.result()
        except BaseException:  # interrupted while waiting: the bundles not begun are not wanted
            self._cancelled.set()
            raise
        finally:
            self._thread.shutdown()

    def stop(self) -> None:
        """Stop making the bundle, its outcome no longer wanted (the build failed or was
        interrupted): no more documents written, no Pagefind started, a running one stopped;
        wait for the thread."""
        self._cancelled.set()
        self._pages_written()  # a bundle waiting for its turn sees the cancellation
        self._thread.shutdown(wait=True, cancel_futures=True)
