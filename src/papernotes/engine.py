"""The incremental engine: it runs the pure stages (read → graph → plan → render → write) and
owns everything kept between builds, so that a rebuild does again only what an edit affects.

What it keeps, and what tells it that a kept thing is stale, each derived from values the
stages return rather than from keys written by hand for each feature:

- reads: each file's result under a digest of its bytes, its date and the read inputs
  (``ReadInputs.digest``); in memory, a file whose size and time did not change is not hashed
  again, unless it changed within a second of being looked at (racy, as git says);
- folder walks, while no folder walked changed its time;
- the graph: when every edited note keeps its ``graph.shape``, the previous graph with the new
  notes swapped in (``Graph.with_notes``) instead of a new one; else one built from the previous
  graph, which keeps the notes and papers that did not change as the same objects;
- the plan: only pages whose context holds an edited note or paper are planned again
  (``after_edit`` and ``after_rebuild`` tell which);
- rendered pages, under a digest of their template and context (``page_key``), which takes
  each note by its card (``Note.card``, the body left out) unless the page's templates read
  its body when it was last rendered (``Rendered.bodies``): a body edit renders again the
  note's own page and those that show bodies (feeds), not every list that names the note;
- the preview's lazy rendering (``Later``): a changed page nobody has open (but a note's) is
  planned, keyed and rendered only when read.

``build`` runs an engine restored from the cache folder (``restore``, ``save``): all of the above
but the rendered bytes (the page digests alone: a page the last build wrote is linked, not
rendered again) and the note bodies (in the cache folder's body store, read when used), so that
a command-line build after an edit takes the preview's short way; the preview keeps one alive.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import enum
import functools
import gc
import hashlib
import itertools
import html
import marshal
import operator
import os
import pickle
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, NamedTuple, Protocol, Self

import jinja2

from . import __version__
from .markdown.assets import AssetFinder, file_name, still_found
from . import bodystore
from .collector import paused
from .interrupt import left_when_stopped
from .bodystore import BodyStore
from .config import Config
from .graph.duplicates import merge_duplicates
from .graph import Graph, build_graph, in_order, retagged, retitled_in_place, shape, titles_taken
from .graph.links import LinkIndex, link_note
from .model import SHOWN_FIELDS, Diagnostic, DiagnosticError, JsonData, Note, Page, ReadResult, StoredText, TextFile, ids_of
from .sectioned import Place, Written
from .names import Names
from .output import OutputError
from .emit import plan_pages
from .emit.redirects import HOST_FILE, redirects
from .emit.shelves import shelf_urls, site_authors, site_venues
from .emit.sitemap import SITEMAP, listed, sitemap_file
from .forked import Forked
from .papers.papergraph import Paper, PaperGraph, canonical_papers
from .read.site import TIMED_OUT, Progress, ReadInputs, no_progress, published, read as read_one, read_site
from .papers.registry import Registry, RegistryFiles, load_registry
from .render import compile_templates, compiled_templates, make_environment, render_reading, render_stream
from .graph.sections import list_section_children
from .sitelayout import BuildOptions, SiteLayout, site_config, static_files, templates_stamp
from .read import Bursts, committed_between, copy_bursts, discover, file_dates, in_bursts, relative_names, takes_file_date
from .read.unsupported import once_per_site
from .savedstate import Changes, Whole, changes_since, replayed
from .uptodate import git_head
from .urls import UnsafeURL, output_file
from .views import FIELD, VIEWED, BodyReads
from .walks import RACY_SECONDS, WalkMemo

Planned = Page | TextFile
Shared = dict[tuple[int, frozenset[str] | None, bool], tuple[object, bytes, tuple[str, ...]]]
"""Frozen values already digested while keying the pages of one build (a paper's metadata, a tag
or date group: each shown on many pages), by identity and the ``bodies`` they were seen with; each
entry holds its value, so that no other value takes the same id while it lasts."""
PARALLEL_NOTES = 500  # below this many notes and papers (each a page or more) rendering in one process is as fast
EDITS_IN_PLACE = 100  # more edited notes than this: the graph is built anew
ASIDE_BYTES = 1 << 20  # pages planned again for a forked process are written there when they were this large in all (forking costs more for less)
LARGE_PAGE = 1 << 18  # a page this large (a list of every note or paper) is written aside too…
MANY_PAGES = 200  # …when this many are planned again (a note added, deleted or re-dated moves the home page's lists)
PAGES_CHANGED = 2_000  # pages changed since their digests were saved whole: past this, saved whole again
STATE_FORMAT = 33  # bump whenever what ``save`` writes changes shape
COPIED = " copied"  # after the read inputs' digest in memory: the file's time was taken as a copy's (no date)
STATE = "engine.pickle"  # the reads and graph as last saved whole
CHANGES = "engine-changes.pickle"  # what changed in them since, and the plan and page digests
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
        memory), so that a build planning only some pages again need write only those."""


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
    engine holds are made from their saved values in C (``_pages_of``)."""

    key: bytes
    rel: str
    data: bytes | Later | None = None
    bodies: frozenset[str] | None = None
    sections: tuple[Place, ...] = ()


@dataclass(frozen=True)
class Production:
    """What one run of the engine made."""

    notes: tuple[Note, ...]
    pages: int
    diagnostics: tuple[Diagnostic, ...]
    laps: tuple[tuple[str, float], ...]
    graph: Graph
    config: Config


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


def note_files(layout: SiteLayout, walks: WalkMemo | None = None) -> list[str]:
    """The site's candidate note files: its content folder's, without the output, templates,
    static files and cache folder that may lie in it."""
    return discover(layout.content, exclude=(layout.out, layout.templates, layout.static, layout.cache), memo=walks)


def read_inputs(layout: SiteLayout, config: Config, registry: Registry, walks: WalkMemo | None = None) -> ReadInputs:
    """What reading any note of the site depends on besides its own bytes (its images among them)."""
    return ReadInputs(layout.content, config, registry, AssetFinder.scan(layout.content, layout.static,
                                                                         skip=(layout.out,), memo=walks))


class ReadCache:
    """Read results under a digest of the file's bytes and date and of the read inputs: in memory
    by file (with the file's size and time, so that an unchanged file is not even hashed) and,
    given a folder, one pickle per file on disk. A corrupt or unwritable disk cache is ignored,
    never trusted. Memory holds each result as ``keep`` returns it (its bodies in a store)."""

    def __init__(self, folder: Path | None, keep: Callable[[ReadResult], ReadResult] = lambda result: result) -> None:
        self.root = folder / "read" if folder is not None else None
        self.keep = keep
        self.memory: dict[str, tuple[tuple[int, int, float], str, ReadResult]] = {}  # rel → (stat, inputs, result)
        self.decided: tuple[object, Bursts] = (None, ())  # the memory whose marks agree with these copy bursts
        self.head: str | None = None  # the git commit memory's results were read at ("": none; None: not known)
        self.images: dict[str, tuple[int, int]] | None = None  # the images (``ReadInputs.images``) memory agrees with
        self.site: str | None = None  # the site's variables (``ReadInputs.site_digest``) memory agrees with
        self.registry: str | None = None  # the paper registry (``ReadInputs.registry_digest``) memory agrees with

    @staticmethod
    def key(inputs: ReadInputs, path: str, date: object) -> str:
        """The digest a file's result is kept under ("": the file cannot be read)."""
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError:
            return ""
        return hashlib.sha256(inputs.digest.encode() + str(date).encode() + b"\0" + data).hexdigest()

    def agree(self, inputs: ReadInputs) -> None:
        """Forget the results in memory whose files name an image or attachment that is no
        longer found as it was (added, removed, changed), once the site's images changed: an
        image added makes again the notes that looked for it, not every note. Likewise the
        results that may have read the site's variables, once those changed, and those that
        looked a paper up in the registry, once it changed (a ``papers.bib`` edited)."""
        site, images, registry = self.site != inputs.site_digest, self.images != inputs.images, self.registry != inputs.registry_digest
        if not (site or images or registry):
            return
        before, after = self.images or {}, inputs.images
        names = None if self.images is None else \
            {os.path.basename(path).lower() for path in before.keys() | after.keys() if before.get(path) != after.get(path)}
        stale = [rel for rel, (_, _, result) in self.memory.items()
                 if (site and result.site_variables) or (registry and result.registry_lookups)
                 or (images and not _still_found(result, inputs, names))]
        for rel in stale:
            del self.memory[rel]
        self.site, self.images, self.registry, self.decided = inputs.site_digest, inputs.images, inputs.registry_digest, (None, ())

    def forget_all_but(self, rels: Iterable[str]) -> None:
        """Forget the results of the files not among ``rels`` (deleted or renamed): memory, and
        the state saved from it, would hold them for as long as the cache folder lasts."""
        present = set(rels)
        for rel in [rel for rel in self.memory if rel not in present]:
            del self.memory[rel]

    def recall(self, rel: str, path: str, inputs: ReadInputs, look: bool = True) -> ReadResult | None:
        """The result remembered in memory for an unchanged file under the same inputs. A file
        changed within a second of being looked at is checked by its bytes (its size and time
        could stay the same through a second change in the same clock tick). ``look=False``: the
        caller knows the file did not change."""
        remembered = self.memory.get(rel)
        if remembered is None:
            return None
        (size, mtime, seen), digest, result = remembered
        if look:
            try:
                stat = os.stat(path)
            except OSError:
                return None
            if (size, mtime) != (stat.st_size, stat.st_mtime_ns) or seen - mtime / 1e9 < RACY_SECONDS:
                return None
        return result if digest.removesuffix(COPIED) == inputs.digest else None

    def dated_copies(self, rels: list[str], paths: list[str], results: list[ReadResult | None]) -> tuple[Bursts, list[int]]:
        """The site's copy bursts (``copy_bursts`` over every file's modification time: as memory
        has it for a file recalled, else looked at), and the positions of the files recalled that
        were read with the other answer for theirs, to be read again: a file's date may change
        with the others' times (a copy shared by most files no longer is once most of them were
        edited)."""
        memory, times, to_look_at = self.memory, [], []
        for rel, path, result in zip(rels, paths, results):
            entry = memory.get(rel) if result is not None else None
            if entry is not None:
                times.append(entry[0][1])
            else:
                to_look_at.append(path)
        for path in to_look_at:
            with contextlib.suppress(OSError):
                times.append(os.stat(path).st_mtime_ns)
        bursts = copy_bursts(times)
        if self.decided[0] is memory and self.decided[1] == bursts:  # every mark in memory was made or checked under these
            return bursts, []
        self.decided = (memory, bursts)
        return bursts, [index for index, (rel, result) in enumerate(zip(rels, results)) if result is not None and takes_file_date(rel)
                        and (entry := memory.get(rel)) is not None and in_bursts(entry[0][1], bursts) != entry[1].endswith(COPIED)]

    def redated(self, content_dir: Path, rels: list[str], results: list[ReadResult | None]) -> list[int]:
        """The positions of the files recalled whose date may have changed with the commit checked
        out since memory's results were read (git dates a file by its last commit): the files the
        commits between the two touched, or every one when git cannot tell which."""
        before, self.head = self.head, git_head(os.fspath(content_dir))
        if before == self.head:
            return []
        recalled = {rel: index for index, (rel, result) in enumerate(zip(rels, results))
                    if result is not None and takes_file_date(rel)}
        touched = committed_between(content_dir, before, self.head) if before and self.head and recalled else None
        return sorted(recalled.values() if touched is None else (recalled[rel] for rel in touched if rel in recalled))

    def read(self, inputs: ReadInputs, paths: list[str], rels: list[str], workers: int = 1,
             progress: Progress = no_progress, copies: Bursts | None = None) -> Iterator[tuple[int, ReadResult, bool]]:
        """Each of the files ``paths`` (named ``rels``) as kept on disk under its digest, else read
        (in ``workers`` processes): its position, its result as memory holds it, and whether it
        is remembered (not without a folder, nor a read that timed out: it may pass on a calmer
        machine). ``copies``: the site's copy bursts (``dated_copies``), when these are not all its files."""
        dates = file_dates(inputs.content_dir, paths, copies)
        keys: dict[int, str] = {}
        todo = []
        for index, (rel, path) in enumerate(zip(rels, paths)):
            if self.root is not None:
                keys[index] = self.key(inputs, path, dates.get(rel))
                found = self.get(rel, path, _read_under(inputs, dates.get(rel)), keys[index], inputs)
                if found is not None:
                    yield index, found, True
                    continue
            todo.append(index)
        if not todo:  # nothing to read: no Markdown renderer to make
            return
        for position, result in read_site([Path(paths[i]) for i in todo], inputs, dates, workers, progress):
            index = todo[position]
            if self.root is None or any(d.message.startswith(TIMED_OUT) for d in result.diagnostics):
                yield index, self.keep(result), False
            else:
                rel = rels[index]
                yield index, self.put(rel, paths[index], _read_under(inputs, dates.get(rel)), keys[index], result,
                                      inputs), True

    def get(self, rel: str, path: str, under: str, key: str, inputs: ReadInputs) -> ReadResult | None:
        """The result kept on disk under ``key`` whose lookups of images still hold under
        ``inputs``, as ``keep`` returns it (and so remembered in memory from then on, as read
        ``under`` what ``_read_under`` says)."""
        if self.root is None or not key:
            return None
        try:
            with self._file(rel).open("rb") as handle:
                stored_key, images, site, registry, result = pickle.load(handle)
        except Exception:  # missing, truncated or from another version: read the file again
            return None
        if (stored_key != key or not isinstance(result, ReadResult) or (result.site_variables and site != inputs.site_digest)
                or (result.registry_lookups and registry != inputs.registry_digest)):
            return None
        if images != inputs.images_digest and not _still_found(result, inputs):
            return None
        return self._remember(rel, path, under, result)

    def put(self, rel: str, path: str, under: str, key: str, result: ReadResult, inputs: ReadInputs) -> ReadResult:
        """Keep ``result``, read under ``inputs`` (among their images, with their site's
        variables), on disk and in memory; it comes back as memory holds it."""
        kept = self._remember(rel, path, under, result)
        if self.root is None or not key:
            return kept
        target = self._file(rel)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_suffix(f".tmp-{os.getpid()}")
            temporary.write_bytes(pickle.dumps((key, inputs.images_digest, inputs.site_digest, inputs.registry_digest, result),
                                               protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(temporary, target)
        except OSError:
            pass  # a read-only notes folder builds without a cache
        return kept

    def _remember(self, rel: str, path: str, under: str, result: ReadResult) -> ReadResult:
        """Hold ``result`` in memory as ``keep`` returns it; a result equal to the one held for
        the file (read again under other inputs: another version, reading settings, registry)
        is that one, and a note equal to one of it (a feed's items but the edited one) that
        note, so that the notes stay the objects the graph holds. Else every such note of the
        graph, taken from the earlier one where linking left it as it was, would be held twice
        from then on: in memory, in the state saved and in each restore."""
        seen = time.time()
        held = self.memory.get(rel)
        if held is not None and held[2] == result:
            kept = held[2]
        else:
            kept = self.keep(result)
            kept = kept if held is None else _as_held(kept, held[2])
        try:
            stat = os.stat(path)
        except OSError:
            return kept
        self.memory[rel] = ((stat.st_size, stat.st_mtime_ns, seen), under, kept)
        return kept

    def _file(self, rel: str) -> Path:
        assert self.root is not None
        return self.root / (hashlib.sha256(rel.encode()).hexdigest()[:32] + ".pickle")


def _as_held(result: ReadResult, held: ReadResult) -> ReadResult:
    """``result`` with each note that equals the note of ``held`` with its id taken as that one."""
    earlier = {note.id: note for note in held.notes}
    return replace(result, notes=tuple(note if (was := earlier.get(note.id)) is None or was != note else was
                                       for note in result.notes))


def _still_found(result: ReadResult, inputs: ReadInputs, names: set[str] | None = None) -> bool:
    """Whether every image and attachment the notes of ``result`` looked up is found as it was
    (those of the file ``names`` alone, when given: no other lookup can find another file)."""
    return all(still_found(inputs.assets, lookup) for note in result.notes for lookup in note.body.lookups
               if names is None or file_name(lookup[0]) in names)


def _read_under(inputs: ReadInputs, dated: tuple[object, str] | None) -> str:
    """What a file's result was read under, as memory keeps it: the read inputs' digest, marked
    when the file's time was a copy's (``dated_copies`` finds the files whose mark no longer holds)."""
    return inputs.digest + COPIED if dated is not None and dated[1] == "copy time" else inputs.digest


@dataclass(frozen=True)
class LastRead:
    """The last build's notes folder: the walk's files (the very list the walk memo hands out
    while no folder changed), their names, the read inputs' digest, each file's result (None:
    one not remembered, which is looked at again) and whether any file may take its date from
    itself (``takes_file_date``)."""

    paths: list[str]
    rels: list[str]
    inputs: str
    results: tuple[ReadResult | None, ...]
    positions: dict[str, int]  # where each file is in ``paths`` by its path, made when first asked
    dated: bool

    @classmethod
    def of(cls, paths: list[str], rels: list[str], inputs: str, results: tuple[ReadResult | None, ...],
           last: LastRead | None, dated: bool) -> LastRead:
        """The read of ``paths``, sharing the last read's map of positions while the walk is the same."""
        return cls(paths, rels, inputs, results, last.positions if last is not None and last.paths is paths else {}, dated)

    def places(self, names: Iterable[str]) -> list[int]:
        """Where the files ``names`` (as the watcher names them) are in ``paths``."""
        if not self.positions:
            self.positions.update((path, index) for index, path in enumerate(self.paths))
        return [self.positions[name] for name in names if name in self.positions]


class Keeps(enum.Enum):
    """What an engine keeps of the pages it writes, for the builds after it."""

    PAGES = "pages"  # their bytes and digests, in memory (the preview)
    DIGESTS = "digests"  # their digests and the plan, saved for the next command-line build
    NOTHING = "nothing"  # a build whose state is not kept: no page is digested, no plan learnt


class Engine:
    """Builds one site again and again, keeping what the next build can reuse (``keeps``).

    ``render_now`` (the preview's) says which changed output files to render at once; the
    others wait as ``Later`` until read. ``store`` keeps note bodies in a file rather than in
    memory (a one-off build of a large site). An engine that ``keeps`` nothing (a build without
    a cache, never saved) keeps nothing for a next build either: no folder walks, no notes as read."""

    def __init__(self, layout: SiteLayout, options: BuildOptions, *, render_now: Callable[[str], bool] | None = None,
                 store: BodyStore | None = None, keeps: Keeps = Keeps.PAGES, saves_aside: bool = True) -> None:
        self.layout, self.options = layout, options
        self.render_now, self.store, self.keeps = render_now, store, keeps
        self.saves_aside = saves_aside  # a graph built anew saved whole by a forked process while the pages are written
        self.reads = ReadCache(layout.cache if options.cache else None, keep=self._stored)
        self.walks = WalkMemo()
        self.names = Names()
        self.registry_files: RegistryFiles = {}
        self.inputs: ReadInputs | None = None
        self.notes_in: tuple[Note, ...] = ()  # what the graph was built from
        self.graph: Graph | None = None
        self.graph_setup: tuple[object, ...] = ()
        self.changed: frozenset[str] | None = None  # notes and papers the last build changed (None: all)
        self.setup = ""
        self.environment: jinja2.Environment | None = None
        self.plan = Plan()
        self.pages: dict[str, Rendered] = {}
        self.stamps: Mapping[str, tuple[int, int]] = {}  # output files as the last build left them
        self.saved: Whole | None = None  # the reads and graph as last saved whole
        self.relinked: frozenset[str] | None = None  # notes swapped into the graph since (None: built anew)
        self.last_read: LastRead | None = None  # for a next build told which files changed
        self.basis = ""  # a digest of the inputs the build that saved the state restored began with
        self.saved_pages: SavedPages | None = None  # the page digests as the state restored holds them
        self.whole_aside: tuple[Whole, Path, Forked[None]] | None = None  # the whole being saved by a forked process

    # -- the build ------------------------------------------------------------------------------

    def produce(self, sink: Sink, progress: Progress = no_progress, touched: frozenset[str] | None = None,
                parallel: Parallel | None = None, beside: Beside | None = None) -> Production:
        """Read, link, plan and render the whole site into ``sink``; ``progress`` hears how far it
        is. ``touched`` (a file watcher's word) names the only files that may have changed in
        place since the last build. ``parallel`` renders every page in worker processes when
        nothing rendered before can be reused. ``beside`` is given the graph as the pages begin
        to be written (after any render worker is forked), to start work that runs meanwhile."""
        clock = Stopwatch()
        layout = self.layout
        config, problems = site_config(layout, self.options)
        registry = load_registry(layout.content, remembered=self.registry_files,
                                 memo=self.walks if self.keeps is not Keeps.NOTHING else None)
        graph, found = self._read_and_link(config, registry, progress, touched, clock)
        if parallel is not None and self.relinked is None and self.saved is not None and self.saves_aside:
            self._save_whole_aside()
        diagnostics = [*problems, *registry.diagnostics, *found]
        env = self._environment(repr(config) + templates_stamp(layout.templates), config)
        begin = (lambda: beside(graph, config)) if beside is not None else (lambda: None)
        if parallel is not None and self._plans_in_full() and len(graph.notes) + len(graph.papers.papers) >= PARALLEL_NOTES:
            progress("writing pages", 0, 0)  # every page planned and keyed: in worker processes, each keeping what it can
            written, self.pages, self.plan = parallel.everything(env, lambda: plan_pages(graph, config), diagnostics,
                                                                 self.keeps is not Keeps.NOTHING, self.pages, self.stamps, begin)
            self.plan.setup = self.setup if self.plan.setup else ""
        else:  # the collector waits: it would walk the graph just made, which lives on, for pages that leave no cycles
            with paused():
                pages, replanned, let_go = self._plan(graph, config)
                written = self._write_pages(sink, env, pages, replanned, let_go, diagnostics, progress,
                                            lambda only: plan_pages(graph, config, only=only), parallel, begin)
        if self.render_now is not None:  # the preview renders the pages on screen alone: a template's error is told anyway
            diagnostics.extend(problem for problem in (_template_problem(exc, "template") for exc in compile_templates(env))
                               if problem not in diagnostics)
        for url, source in sorted({url: source for note in graph.notes for url, source in note.body.assets}.items()):
            sink.write(output_file(url), Path(source).read_bytes())
        for rel, path in sorted(static_files(layout).items()):
            sink.write(rel, path.read_bytes())
        clock.lap("plan+render+write")
        return Production(graph.notes, written, tuple(diagnostics), tuple(clock.laps), graph, config)

    def _read_and_link(self, config: Config, registry: Registry, progress: Progress, touched: frozenset[str] | None,
                       clock: Stopwatch) -> tuple[Graph, list[Diagnostic]]:
        """The graph of the notes read, and the problems found on the way (the notes as read
        are let go here unless the engine keeps them)."""
        read = self.read(config, registry, progress, touched)
        clock.lap("read")
        notes, repeated = merge_duplicates(read.notes)
        notes = list_section_children(notes, config.base_path)
        with paused():  # the graph lives on: a collection would walk it for nothing
            graph = self._graph(tuple(notes), config, registry)
        clock.lap("graph")
        return graph, [*once_per_site(read.diagnostics), *repeated, *graph.diagnostics]

    def read(self, config: Config, registry: Registry, progress: Progress = no_progress,
             touched: frozenset[str] | None = None) -> ReadResult:
        """Every note file of the site read, or recalled when neither it nor what its reading
        depends on changed (drafts dropped unless the config asks for them)."""
        layout = self.layout
        walks = self.walks if self.keeps is not Keeps.NOTHING else None
        paths, inputs = note_files(layout, walks), read_inputs(layout, config, registry, walks)
        if self.inputs is None or self.inputs.key != inputs.key:
            self.inputs = inputs  # else the kept one, whose Markdown renderers are made already
        inputs = self.inputs
        cached = self.options.cache
        if cached:
            self.reads.agree(inputs)
        last = self.last_read
        results: list[ReadResult | None]
        if cached and touched is not None and last is not None and last.paths is paths and last.inputs == inputs.key:
            rels, results = last.rels, list(last.results)  # the same walk: only the files touched are looked at
            for index in last.places(touched):
                results[index] = self.reads.recall(rels[index], paths[index], inputs)
        else:
            rels = relative_names(paths, layout.content)
            results = [self.reads.recall(rel, path, inputs, look=touched is None or path in touched)
                       if cached else None for rel, path in zip(rels, paths)]
        if cached and (last is None or last.paths is not paths):  # another walk: files may be gone
            self.reads.forget_all_but(rels)
        unknown = [index for index, result in enumerate(results) if result is None]
        dated = last.dated if last is not None and last.rels is rels else any(map(takes_file_date, rels))
        redated = self.reads.redated(layout.content, rels, results) if cached else []
        copies = None
        # nothing recalled: reading finds the bursts among the files it reads (every one), and no mark
        # needs checking; nothing to read in the same walk: no file's time changed; no file that
        # may be dated by its time (a site of Markdown notes): no copy to find
        if (cached and dated and len(unknown) < len(results)
                and (unknown or redated or last is None or last.paths is not paths)):
            copies, misdated = self.reads.dated_copies(rels, paths, results)
            unknown = sorted({*unknown, *misdated, *redated})
        unremembered = []
        for position, result, kept in self.reads.read(inputs, [paths[i] for i in unknown], [rels[i] for i in unknown],
                                                      self.options.workers, progress, copies):
            results[unknown[position]] = result
            if not kept:
                unremembered.append(unknown[position])
        if self.store is not None:
            self.store.flush()
        if cached:
            remembered = tuple(None if index in unremembered else result for index, result in enumerate(results)) \
                if unremembered else tuple(results)
            self.last_read = LastRead.of(paths, rels, inputs.key, remembered, last, dated)
        return published((result for result in results if result is not None), config.drafts)

    def dated_by_files(self) -> bool:
        """Whether a note file of the last read may take its date from its file (its last commit,
        its time), so that the git commit the notes are at matters to the site."""
        return self.last_read is None or self.last_read.dated

    def _stored(self, result: ReadResult) -> ReadResult:
        """The result with the names its notes repeat shared, and its note bodies moved to the
        store, when there is one."""
        if not result.notes:
            return result
        notes = map(self.names.share, result.notes)
        return replace(result, notes=tuple(map(self.store.keep, notes) if self.store is not None else notes))

    def _graph(self, notes: tuple[Note, ...], config: Config, registry: Registry) -> Graph:
        """The graph of ``notes``: the previous one with edited notes swapped in when no edit
        changed a note's shape, else built anew (``self.changed`` says which)."""
        setup = (config, registry)
        if self.graph is not None and self.graph_setup == setup:
            edited = after_edit(self.graph, self.notes_in, notes, registry, config)
            if edited is not None:
                self.notes_in, (self.graph, self.changed) = notes, edited
                if self.relinked is not None:
                    self.relinked |= _edited_notes(self.changed)
                return self.graph
        earlier, earlier_registry = None, None
        if self.graph is not None and self.graph_setup[0] == config and isinstance(self.graph_setup[1], Registry):
            earlier, earlier_registry = self.graph, self.graph_setup[1]  # the registry may be another: papers.bib edited
        graph = build_graph(notes, config, registry, self.store.keep if self.store is not None else None, earlier,
                            earlier_registry)
        if self.store is not None:
            self.store.flush()
        lasts = self.keeps is not Keeps.NOTHING
        if not lasts:  # its link index (every note by every name, as read) serves edits in a next build only
            graph = replace(graph, index=LinkIndex({}, {}))
        changed = after_rebuild(earlier, graph, config) if earlier is not None else None
        self.notes_in, self.graph_setup, self.graph, self.changed = notes if lasts else (), setup, graph, changed
        self.relinked = None
        return graph

    def _environment(self, setup: str, config: Config) -> jinja2.Environment:
        """The template environment, made anew (and rendered pages forgotten) only when config or
        templates changed since the last build."""
        digest = hashlib.sha256(setup.encode()).hexdigest()
        if digest != self.setup or self.environment is None:
            if digest != self.setup:
                self.pages, self.plan = {}, Plan()
            compiled = compiled_templates(self.layout.cache, digest) if self.options.cache else None
            self.setup, self.environment = digest, make_environment(config, self.layout.templates, compiled)
        return self.environment

    def _plan(self, graph: Graph, config: Config) -> tuple[Iterable[Planned | str], set[str] | None, bool]:
        """Every page of the site, the URLs planned again (None: all) and whether any page kept
        was let go. Only the pages that hold a changed note or paper, that the edit names
        (``PAGE``, ``UNDER``: any page under such a prefix, made, kept or gone; the sitemap with
        them) or that the last build did not keep, are planned again when config, templates and
        the site's shape are what they were; a page not held in memory (a one-off build keeps
        none, the preview not the pages it leaves to be planned when read) then comes as its
        URL. A plan in full is learnt as its pages are written."""
        memo, changed = self.plan, self.changed
        if changed is None or self._plans_in_full():
            self.plan = Plan()
            return plan_pages(graph, config), None, True
        shown = _shown_apart(changed)
        affected = set().union(*(self._holding(memo, key, shown) for key in changed))
        affected.update(self._reading(memo, {key.removeprefix(TEXT) for key in changed if key.startswith(TEXT)}))
        affected.update(url for url in memo.pages if url not in self.pages)  # made every time, or failed last time
        under = tuple(key.removeprefix(UNDER) for key in changed if key.startswith(UNDER))
        were_under = {url for url in memo.pages if url.startswith(under)} if under else set()
        named = {key.removeprefix(PAGE) for key in changed if key.startswith(PAGE)} | were_under
        waiting = {url for url in affected - named  # planned when read (what it holds may not change)
                   if self._waits(memo.pages.get(url), self.pages.get(url))}
        affected |= named
        wanted = affected - waiting  # looked up for every note and paper: a set's own lookup, but for a tag edit
        fresh: dict[str, Planned] = {}
        for page in plan_pages(graph, config, only=_Wanted(wanted, under) if under else wanted):
            if page.url in fresh:  # two pages want one URL: planned in full, which tells it as a cold build does
                self.plan = Plan()
                return plan_pages(graph, config), None, True
            fresh[page.url] = page
        gone: set[str] = set()
        if under:
            made = {url for url in fresh if url.startswith(under)} - were_under
            gone = were_under - set(fresh)
            if config.plugins.emitters or not made.isdisjoint(memo.pages):  # a site's own pages may show tags
                self.plan = Plan()  # without their notes; or a page made where another was: planned in full
                return plan_pages(graph, config), None, True
            if made or gone:  # a tag's pages came or went: the sitemap lists them
                memo.relist([fresh[url] for url in made], gone)
                fresh[SITEMAP] = sitemap_file(graph, config, memo.listed)
                affected |= made | {SITEMAP}
        if SITEMAP in named and SITEMAP not in fresh:  # planned with every page alone: named, it is made here
            fresh[SITEMAP] = sitemap_file(graph, config, memo.listed)
        known = len(memo.pages)
        if self.keeps is Keeps.PAGES:
            memo.pages.update(fresh)
            memo.pages.update(dict.fromkeys(waiting))
        else:
            memo.pages.update(dict.fromkeys(fresh))
        if len(memo.pages) != known:  # a page made where none was
            memo.data = None
        return (fresh.get(url) or page or url for url, page in memo.pages.items()), affected, bool(gone)

    def _plans_in_full(self) -> bool:
        """Whether every page is planned: the graph was built anew, or the plan kept is not of these templates."""
        return self.changed is None or self.plan.setup != self.setup or not self.plan.pages

    def _holding(self, memo: Plan, key: str, shown: Mapping[str, frozenset[str]]) -> Iterable[str]:
        """The pages holding the changed note or paper ``key``, but the lists that read of their
        notes none of the fields that ``shown`` says an edit changed in it (held in a view)."""
        urls = memo.dependents.get(key, ())
        fields = shown.get(key)
        if fields is None or not urls:
            return urls
        whole = memo.dependents.get(HELD_WHOLE + key, ())
        return [url for url in urls if url in whole or not _reads_none_of(self.pages.get(url), fields)]

    def _reading(self, memo: Plan, held: set[str]) -> Iterator[str]:
        """The pages that may show the text of a changed note through the notes and papers
        ``held`` (``note:ID``, ``paper:ID``, told as ``TEXT``: their cards are the same): those
        holding one of them whole, or through a view and having read a changed note's body (or
        not known to have read none)."""
        edited = _edited_notes(self.changed or ())
        for key in held:
            yield from memo.dependents.get(HELD_WHOLE + key, ())
            for url in memo.dependents.get(key, ()):
                page = self.pages.get(url)
                if page is None or page.bodies is None or not page.bodies.isdisjoint(edited):
                    yield url

    def _write_pages(self, sink: Sink, env: jinja2.Environment, pages: Iterable[Planned | str], replanned: set[str] | None,
                     let_go: bool, diagnostics: list[Diagnostic], progress: Progress,
                     plan_again: Callable[[set[str] | None], Iterable[Planned]], parallel: Parallel | None = None,
                     begin: Callable[[], None] = lambda: None) -> int:
        """Render and write ``pages``; those not ``replanned`` since the last build are written as
        they were then (a page known by its URL alone is planned again when it cannot be).
        Pages no longer planned are forgotten. A sink that holds the last build is given only the
        pages planned again, unless some page kept was ``let_go`` (the sink is then given every
        page, so that it tells what it holds that no page made). Given ``parallel``, the text
        files planned again (graph.json, feeds, citation files: each made from many notes) are
        written by a forked process meanwhile, when they were large (``ASIDE_BYTES``), and so
        are the large pages (the lists of every note or paper, ``LARGE_PAGE``) when this process
        has many others to write (``MANY_PAGES``: a note added, deleted or re-dated moves the
        home page's lists). ``begin`` is called once any process is forked."""
        carried = replanned is not None and not let_go and self.keeps is Keeps.PAGES and sink.holds_last_build()
        if carried:  # a partial plan keeps every URL, and the sink has each kept page
            assert replanned is not None
            pages = [page or url for url, page in self.plan.pages.items() if url in replanned]
        aside: Forked[_Aside] | None = None
        elsewhere: list[Planned] = []  # the pages the forked process writes
        if parallel is not None and replanned is not None:
            pages = list(pages)
            again = [page for page in pages if not isinstance(page, str) and page.url in replanned]
            many = len(again) >= MANY_PAGES  # this process has pages enough to write: the large ones go aside too
            elsewhere = [page for page in again
                         if isinstance(page, TextFile) or (many and self._last_sizes([page]) >= LARGE_PAGE)]
            if elsewhere and self._last_sizes(elsewhere) >= ASIDE_BYTES:
                keyed = self._keyed(elsewhere)
                aside = parallel.aside(lambda share: self._write_aside(share, env, keyed))
            else:
                elsewhere = []
        begin()
        try:
            written, planned = self._write_here(sink, env, pages, replanned, diagnostics, progress, plan_again,
                                                frozenset(page.url for page in elsewhere))
            if aside is not None:
                share, records, problems, count = aside.result()
                assert parallel is not None
                parallel.staging.join(share)
                self.pages.update(records)
                diagnostics.extend(problems)
                written += count
        except BaseException:
            if aside is not None:
                aside.stop()
            raise
        if carried:
            return written + len(self.plan.pages) - len(planned)
        self.pages = {url: page for url, page in self.pages.items() if url in planned}
        return written

    def _last_sizes(self, pages: Iterable[Planned]) -> int:
        """The bytes of the files the last build wrote for ``pages`` (those it wrote)."""
        rendered = (self.pages.get(page.url) for page in pages)
        return sum(self.stamps.get(page.rel, (0, 0))[0] for page in rendered if page is not None)

    def _keyed(self, pages: list[Planned]) -> list[tuple[Planned, bytes | None]]:
        """The ``pages`` to write aside with their keys, taken here (told what each is drawn
        from, as ``_write_here`` tells it): a forked process copies each page of memory it
        first touches, and keying the lists of every note touches every note."""
        shared: Shared = {}
        return [(page, self._key(page, self.pages.get(page.url), shared)) for page in pages]

    def _key(self, page: Planned, previous: Rendered | None, shared: Shared) -> bytes | None:
        """The digest of ``page``, planned again (taken as its last one was, with the notes whose
        bodies it read), the plan told what it is drawn from when it differs from the last."""
        key, drawn_from = digest_page(page, previous.bodies if previous is not None else None, shared)
        if previous is None or key != previous.key:  # the same digest: drawn from what it was, and told so then
            self.plan.depend(page.url, drawn_from)
        return key

    def _write_aside(self, sink: ParallelSink, env: jinja2.Environment, keyed: list[tuple[Planned, bytes | None]]) -> _Aside:
        """In a forked process: write the pages planned again (``_keyed``) into ``sink`` (a fork
        of the build's), as ``_write_pages`` would; what the build takes back of it."""
        diagnostics: list[Diagnostic] = []
        shared: Shared = {}
        written = 0
        for page, key in keyed:
            written += self._write_page(sink, env, page, key, diagnostics, shared)
        return sink, {page.url: self.pages[page.url] for page, _ in keyed if page.url in self.pages}, diagnostics, written

    def _write_here(self, sink: Sink, env: jinja2.Environment, pages: Iterable[Planned | str], replanned: set[str] | None,
                    diagnostics: list[Diagnostic], progress: Progress,
                    plan_again: Callable[[set[str] | None], Iterable[Planned]], elsewhere: frozenset[str]) -> tuple[int, set[str]]:
        """``_write_pages`` in this process, but for the pages at the URLs ``elsewhere``, written
        aside: the pages written, and the URLs of those planned."""
        written, planned, missing, learnt = 0, set(), set(), 0
        learning = replanned is None and self.keeps is not Keeps.NOTHING
        shared: Shared = {}
        for page in pages:
            url = page if isinstance(page, str) else page.url
            planned.add(url)
            if url in elsewhere:
                continue
            if written % 200 == 0:
                progress("writing pages", written, 0)
            previous = self.pages.get(url)
            kept = previous if replanned is not None and url not in replanned else None
            if kept is not None and self._write_kept(sink, kept):
                written += 1
                continue
            if isinstance(page, str):
                if previous is not None and self._waits(None, previous):
                    self._write_unplanned(sink, env, url, previous.rel, plan_again)
                    written += 1
                else:
                    missing.add(url)
                continue
            bodies = previous.bodies if previous is not None else None
            if learning:
                key, drawn_from = digest_page(page, bodies, shared)
                self.plan.learn(page, drawn_from, self.keeps is Keeps.PAGES)
                learnt += 1
            elif self.keeps is Keeps.NOTHING:
                key = None
            elif self._waits(page, previous):  # a page left to be rendered when read is keyed then, if ever,
                key = UNKEYED  # but what it holds now (a tag's page, a note that took the tag) is known at once
                self.plan.depend(page.url, dependencies(page))
            else:  # a page planned again may hold other notes than before (an edit of tags)
                key = self._key(page, previous, shared)
            written += self._write_page(sink, env, page, key, diagnostics, shared)
        for page in (page for page in plan_again(None) if page.url in missing) if missing else ():  # in full: the sitemap too
            previous = self.pages.get(page.url)
            key = page_key(page, bodies=previous.bodies if previous else None, shared=shared)
            written += self._write_page(sink, env, page, key, diagnostics, shared)
        if learning:  # two pages on one URL: plan all each time
            self.plan.setup = self.setup if len(self.plan.pages) == learnt else ""
        return written, planned

    def _write_page(self, sink: Sink, env: jinja2.Environment, page: Planned, key: bytes | None,
                    diagnostics: list[Diagnostic], shared: Shared) -> bool:
        """Write one page whose digest is ``key`` (taken as the last build's was: with the notes
        whose bodies it read then); False (and a diagnostic) when it cannot be."""
        problem = write_one(sink, page, lambda: self._page_file(env, page, sink, key, shared))
        if problem is not None:
            diagnostics.append(problem)
        return problem is None

    def _waits(self, page: Planned | None, previous: Rendered | None) -> bool:
        """Whether a changed page is left to be rendered when first read: in the preview, a
        page that nobody has open (``page`` None: one left to be planned when read)."""
        if self.render_now is None:
            return False
        if previous is not None:
            return not self.render_now(previous.rel)
        try:
            return page is not None and not self.render_now(output_file(page.url))
        except UnsafeURL:
            return False

    def _write_unplanned(self, sink: Sink, env: jinja2.Environment, url: str, rel: str,
                         plan: Callable[[set[str] | None], Iterable[Planned]]) -> None:
        """Write the page at ``url`` (as ``rel``, the file it was last) to be planned and
        rendered when first read: a partial plan keeps every URL, so it is planned then."""

        def make() -> bytes:
            (page,) = plan({url})
            return render_reading(env, page)[0]

        data = Later(make)
        _put(sink, rel, data)
        self.pages[url] = Rendered(UNKEYED, rel, data)

    def _write_kept(self, sink: Sink, kept: Rendered) -> bool:
        """Write a page unchanged since the last build as it was then: its bytes, or the file it
        left (when that still has its size and time); False when neither is at hand."""
        if kept.data is not None:
            _put(sink, kept.rel, kept.data)
            return True
        stamp = self.stamps.get(kept.rel)
        return stamp is not None and sink.reuse(kept.rel, stamp)

    def _page_file(self, env: jinja2.Environment, page: Planned, sink: Sink, key: bytes | None, shared: Shared) -> None:
        """Write the page: as the last build wrote it when its template and context (or a text
        file's key) are what they were (``key``), else rendered now, or when first read if nobody
        is looking at it (the preview's ``render_now``)."""
        rel = output_file(page.url)
        previous = self.pages.get(page.url)
        if key and previous is not None and previous.key == key and previous.rel == rel:
            if self._write_kept(sink, previous):
                return

        def make() -> bytes:
            return render_reading(env, page)[0]

        assumed = previous.bodies if previous is not None else None  # what ``key`` was taken with
        data: bytes | Later
        sections: list[Place] = []
        if self._waits(page, previous):  # what it will read is not known yet: every note whole
            data, bodies = Later(make), None
        else:
            last, places = self._last_sections(sink, previous, rel)
            data, bodies = render_reading(env, page, last, places, sections, assumed or ())
        _put(sink, rel, data)
        if key is not None:
            taken = key if bodies == assumed or not key else page_key(page, bodies=bodies, shared=shared)
            assert taken is not None  # a page or a text file with a key
            self.pages[page.url] = Rendered(taken, rel, data if self.keeps is Keeps.PAGES else None, bodies, tuple(sections))

    def _last_sections(self, sink: Sink, previous: Rendered | None, rel: str) -> tuple[Written | None, tuple[Place, ...]]:
        """The file a sectioned page's last build wrote at ``rel`` and where its sections
        are in it, when both are at hand."""
        if previous is None or not previous.sections or previous.rel != rel:
            return None, ()
        if isinstance(previous.data, bytes):
            return previous.data, previous.sections
        stamp = self.stamps.get(rel)
        last = sink.last(rel, stamp) if stamp is not None else None
        return (last, previous.sections) if last is not None else (None, ())

    def warm(self) -> None:
        """Make in this process what the first rebuild after a build read in worker processes
        would otherwise make then, in the time of an edit: the Markdown pipeline's lexers and
        formula converter (the newest note is read again, its result dropped) and the papers'
        maps from each note and paper to the lists holding it, which an edit looks up, and
        what planning asks of the papers (``PaperGraph.settle``)."""
        if self.graph is None or self.inputs is None or not self.graph.notes:
            return
        newest = Path(self.graph.notes[0].source.path)
        if newest.is_file():
            read_one(newest, self.inputs)
        papers, _ = self.graph.papers.with_notes({})  # the same graph, its inverse maps made
        papers.settle()
        self.graph = replace(self.graph, papers=papers)

    # -- between processes ----------------------------------------------------------------------

    def save(self, basis: str = "") -> None:
        """Keep in the cache folder what the next command-line build can reuse: the reads, the
        graph, the plan and the digests of the pages written (note bodies stay in the store, and
        the state refers to them). The reads and graph are written whole only when the graph was
        built anew or many notes changed since they last were; else what changed since then
        (``savedstate``), and whenever the store of bodies is compacted (most of its file no
        longer referred to). Nothing is kept when the bodies would not last. ``basis``: a digest of
        the inputs this build began with, which the next build's ``restore`` gives back."""
        cache, walks = self.layout.cache, self.walks.used()
        if self.graph is None:
            return
        self._taken_aside()
        changes = None
        if self.saved is not None and self.relinked is not None:
            changes = changes_since(self.saved, self.reads.memory, self.notes_in, self.graph, walks, self.relinked)
        try:
            cache.mkdir(parents=True, exist_ok=True)
            live = self._stored_bodies() if self.store is not None and self.store.lasts else []
            if self.store is not None and self.store.wasteful(live):  # bodies rendered anew leave the old ones behind
                for name in (STATE, CHANGES):  # first: a build cut short meanwhile leaves no state with old places
                    (cache / name).unlink(missing_ok=True)
                self.store, changes = self.store.compacted(cache, live), None  # the state saved whole refers to these alone
            if changes is None:
                self.graph.papers.settle()  # kept with what the next build's plan would otherwise make again
                whole = Whole.taken(self.reads.memory, self.notes_in, self.graph, walks)
                self._dump(STATE, {"whole": whole, "graph setup": self.graph_setup})
                self.saved, self.relinked, changes = whole, frozenset(), Changes({}, {}, {}, {}, None, None)
            assert self.saved is not None
            self._dump(CHANGES, {"token": self.saved.token, "changes": changes, "setup": self.setup,
                                 "pages": _pages_data(self.pages, self.saved_pages), "plan": _plan_data(self.plan),
                                 "registry": self.registry_files, "basis": basis, "head": self.reads.head,
                                 "images": self.reads.images, "site": self.reads.site,
                                 "registry digest": self.reads.registry,
                                 "paper cards": marshal.dumps({paper.digest: paper.shown_cards for paper in self.graph.papers.papers
                                                               if paper.shown_cards})})
        except (OSError, pickle.PicklingError, TypeError, AttributeError):  # a value that cannot be kept (a plugin's)
            for name in (STATE, CHANGES):
                (cache / name).unlink(missing_ok=True)

    def _save_whole_aside(self) -> None:
        """After an edit that built the graph anew, write the state to save whole (``save``) in a
        forked process while this one plans and writes the pages: the graph will not change, and
        the next build needs all of it. Not when the body store is to be compacted first, which
        moves the bodies the state refers to."""
        store = self.store
        if self.graph is None or store is None or not store.lasts or store.wasteful(self._stored_bodies()):
            return
        self.graph.papers.settle()
        whole = Whole.taken(self.reads.memory, self.notes_in, self.graph, self.walks.used())
        state = {"whole": whole, "graph setup": self.graph_setup}
        temporary = (self.layout.cache / STATE).with_suffix(f".tmp-{os.getpid()}-aside")
        self.layout.cache.mkdir(parents=True, exist_ok=True)
        self.whole_aside = (whole, temporary, Forked(lambda: self._dump_into(temporary, state)))

    def _taken_aside(self) -> None:
        """The whole state the forked process wrote put in place, once it is whole; the state
        saved whole is then that. Nothing is put in place when it failed."""
        if self.whole_aside is None:
            return
        whole, temporary, forked = self.whole_aside
        self.whole_aside = None
        try:
            forked.result()
            os.replace(temporary, self.layout.cache / STATE)
        except Exception:  # saved whole in this process instead
            temporary.unlink(missing_ok=True)
            return
        self.saved, self.relinked = whole, frozenset()

    def abandon(self) -> None:
        """Stop saving the state aside (the build failed): nothing of it is left."""
        if self.whole_aside is not None:
            _, temporary, forked = self.whole_aside
            self.whole_aside = None
            forked.stop()
            temporary.unlink(missing_ok=True)

    def _stored_bodies(self) -> list[StoredText]:
        """The bodies kept in the store that the notes of the state saved whole refer to (the
        notes as read and as linked); a body missed here makes ``dump`` refuse the state, and
        the next build starts cold."""
        assert self.graph is not None
        read = (note for _, _, result in self.reads.memory.values() for note in result.notes)
        notes = itertools.chain(read, self.notes_in, self.graph.notes)
        return [note.body.stored for note in notes if isinstance(note.body.stored, StoredText)]

    def _dump(self, name: str, state: dict[str, object]) -> None:
        target = self.layout.cache / name
        temporary = target.with_suffix(f".tmp-{os.getpid()}")
        try:
            self._dump_into(temporary, state)
            os.replace(temporary, target)
        finally:
            temporary.unlink(missing_ok=True)

    def _dump_into(self, path: Path, state: dict[str, object]) -> None:
        with path.open("wb") as handle:
            bodystore.dump({"format": STATE_FORMAT, "version": __version__, **state}, handle, self.store)

    def _load(self, name: str) -> dict[str, Any]:
        with (self.layout.cache / name).open("rb") as handle:
            state = bodystore.load(handle, self.store)
        if state["format"] != STATE_FORMAT or state["version"] != __version__:
            raise ValueError("a state from another version")
        return state

    def restore(self, stamps: Mapping[str, tuple[int, int]]) -> "Engine":
        """This engine as the last command-line build left it (``save``), with the (size,
        modification time) ``stamps`` of the output files that build left; an unreadable,
        corrupt or older state is ignored (the build reads, links and renders every note), and
        so are the bodies its store kept."""
        try:
            kept, state = self._load(STATE), self._load(CHANGES)
            whole, changes = kept["whole"], state["changes"]
            if state["token"] != whole.token:
                raise ValueError("changes made to another state")
            reads, notes_in, graph, walks = replayed(whole, changes, *kept["graph setup"])
            (pages, saved_pages), plan, basis = _pages_of(state["pages"]), _plan_of(state["plan"]), state["basis"]
            head, cards = state["head"], marshal.loads(state["paper cards"])
            if self.store is not None and not self.store.intact():
                raise ValueError("the bodies the state refers to are gone")
        except Exception:  # missing, written by another version or cut short: start cold
            if self.store is not None and self.store.lasts:
                self.store.clear()
            return self
        self.pages, self.saved_pages, self.setup, self.stamps, self.plan = pages, saved_pages, state["setup"], stamps, plan
        self.notes_in, self.graph, self.graph_setup = notes_in, graph, kept["graph setup"]
        # the walks copied: one taken again must not replace the saved whole's, or it looks like no change to save
        self.reads.memory, self.walks.walks, self.registry_files = reads, dict(walks), state["registry"]
        self.reads.head, self.reads.images, self.reads.site = head, state["images"], state["site"]
        self.reads.registry = state["registry digest"]
        self.saved, self.relinked, self.basis = whole, frozenset(changes.linked), basis
        for paper in graph.papers.papers:  # the cards a paper's lists took of it, while it is the same
            if paper.digest in cards:
                paper.shown_cards.update(cards[paper.digest])
        return self


@dataclass(frozen=True)
class SavedPages:
    """The page digests as last saved whole (``base``, as ``marshal`` wrote them) and the pages
    restored from them."""

    base: bytes
    pages: Mapping[str, Rendered]


def _pages_data(pages: Mapping[str, Rendered], saved: SavedPages | None) -> bytes:
    """The digests of ``pages`` (their bytes left out) as ``marshal`` writes plain values (tens of
    thousands of them load and save in a fraction of what as many pickled objects take): those
    last saved whole, as they were read, and the pages changed or gone since, unless many are."""
    if saved is not None:  # a page written again, or kept by a render worker, is another object with the same digest
        changed = {url: _page_data(page) for url, page in pages.items()
                   if (was := saved.pages.get(url)) is not page and (was is None or was.key != page.key
                                                                     or was.rel != page.rel or was.bodies != page.bodies
                                                                     or was.sections != page.sections)}
        gone = [url for url in saved.pages if url not in pages]
        if len(changed) + len(gone) <= PAGES_CHANGED:
            return marshal.dumps((saved.base, changed, gone))
    return marshal.dumps((marshal.dumps({url: _page_data(page) for url, page in pages.items()}), {}, []))


def _page_data(page: Rendered) -> tuple[Any, ...]:
    """What is kept of a page, as plain values: the page without its bytes."""
    return page.key, page.rel, None, page.bodies, page.sections


def _pages_of(data: bytes) -> tuple[dict[str, Rendered], SavedPages]:
    base, changed, gone = marshal.loads(data)
    whole = _rendered(marshal.loads(base))
    pages = dict(whole)
    for url in gone:
        del pages[url]
    pages.update(_rendered(changed))
    return pages, SavedPages(base, whole)


def _rendered(saved: dict[str, tuple[Any, ...]]) -> dict[str, Rendered]:
    """The pages ``_page_data`` gave, each made by ``tuple.__new__`` (no call in Python)."""
    return dict(zip(saved.keys(), map(functools.partial(tuple.__new__, Rendered), saved.values())))


def _plan_data(plan: Plan) -> bytes:
    """The plan without its pages (their URLs alone, in order), as plain values: its dependents
    as last saved whole and those added since, unless many were."""
    if plan.data is not None:
        return plan.data
    if plan.saved is None or sum(map(len, plan.added.values())) > PAGES_CHANGED:
        plan.saved, plan.added = marshal.dumps({key: tuple(urls) for key, urls in plan.dependents.items()}), {}
    plan.data = marshal.dumps((plan.setup, list(plan.pages), list(plan.listed), plan.saved, plan.added))
    return plan.data


def _plan_of(data: bytes) -> Plan:
    setup, urls, listed, saved, added = marshal.loads(data)
    plan = Plan(setup, dict.fromkeys(urls), marshal.loads(saved), set(listed), saved, added, data)
    for key, urls_added in added.items():
        plan.holding(key).update(urls_added)
    return plan


def _put(sink: Sink, rel: str, data: bytes | Later) -> None:
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
        return _template_problem(exc, where)
    except DiagnosticError as exc:  # a file its maker could not make, with the place to look (a site plugin)
        return exc.diagnostic
    except Exception as exc:  # the stage boundary: a note's page that cannot be made costs that page only;
        if isinstance(exc, OSError) or not isinstance(origin, Note):  # a full disk or a broken site page fails the build
            raise
        return Diagnostic("error", where, 1, 1, f"internal error while writing {page.url} (please report): "
                                                f"{type(exc).__name__}: {str(exc)[:300]}")
    return None


def _template_problem(exc: jinja2.TemplateError, page: str) -> Diagnostic:
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return Diagnostic("error", exc.filename or exc.name or "template", exc.lineno or 1, 1, f"template error: {exc.message}")
    return Diagnostic("error", page, 1, 1, f"template error while rendering: {exc}")


PAGE, UNDER = "page:", "under:"  # what ``after_edit`` changed besides notes and papers: a page, pages under a URL
#: A note or paper that changed in its notes' text alone (``TEXT`` and its ``note:ID`` or
#: ``paper:ID``: its card is the same): the pages holding it through a view change only if they
#: read one of those notes' bodies; the others, which hold it whole (``HELD_WHOLE`` and its key, told
#: by ``_walk``), change.
TEXT, HELD_WHOLE = "text:", "whole:"
#: Which of the fields a view shows changed in an edited note whose card changed (``SHOWN``, its
#: ``note:ID``, then ``FIELD`` and the name of each such field; the key alone when none did): a
#: list that read of its notes only other fields is keyed as before, so it is not planned again.
SHOWN = "shown:"


def _shown_apart(changed: Iterable[str]) -> dict[str, frozenset[str]]:
    """By ``note:ID``, the fields (after ``FIELD``) that ``after_edit`` found changed in the
    view of an edited note (``SHOWN``)."""
    found: dict[str, set[str]] = {}
    for entry in changed:
        if entry.startswith(SHOWN):
            key, _, name = entry.removeprefix(SHOWN).partition(FIELD)
            found.setdefault(key, set()).update([FIELD + name] if name else [])
    return {key: frozenset(names) for key, names in found.items()}


def _reads_none_of(page: Rendered | None, fields: frozenset[str]) -> bool:
    """Whether ``page`` is a list that read of its notes' views no field of ``fields`` and no
    note's body (its key takes each note by the fields read: ``Note.card_of``)."""
    return (page is not None and page.bodies is not None and page.bodies.isdisjoint(fields)
            and all(name.startswith(FIELD) for name in page.bodies))


def _edited_notes(changed: Iterable[str]) -> set[str]:
    """The ids of the notes ``after_edit`` changed (``note:ID``, ``text:note:ID``)."""
    return {key.rpartition("note:")[2] for key in changed if key.startswith(("note:", TEXT + "note:"))}


@dataclass(frozen=True)
class _Wanted:
    """The URLs to plan again: ``urls``, and any under the prefixes ``under``."""

    urls: set[str]
    under: tuple[str, ...]

    def __contains__(self, url: object) -> bool:
        return url in self.urls or (isinstance(url, str) and url.startswith(self.under))


def after_edit(previous: Graph, before: tuple[Note, ...], notes: tuple[Note, ...], registry: Registry,
               config: Config) -> tuple[Graph, frozenset[str]] | None:
    """The graph after some notes' text changed without changing their ``shape`` (or one note's
    title changed, moving it among the notes of its date at most: ``retitled_in_place``; or its
    tags: ``retagged``), made from
    the previous one in time proportional to the edit, with the notes and papers (``note:ID``,
    ``paper:ID``; after ``TEXT`` for those whose cards stayed the same: only the text of a note
    changed) and pages (``PAGE``, ``UNDER``) it changed; None when anything more changed."""
    if len(before) != len(notes):
        return None
    edited = [(old, new) for old, new in zip(before, notes) if old is not new and old != new]
    if len(edited) > EDITS_IN_PLACE:
        return None
    retitled = retagged_only = False  # one note under a new title or with other tags, moving nothing else
    linking: list[Note] = []  # the notes whose links name the old or new title
    for old, new in edited:
        placed = previous.notes[previous.positions[old.id]] if old.id in previous.positions else None
        if placed is None or placed.source != old.source or placed.url != old.url or new.source.item is not None:
            return None  # renamed for a collision, or a feed item (matched by title)
        if shape(old) != shape(new):
            if len(edited) > 1:
                return None
            retagged_only = shape(replace(old, tags=new.tags)) == shape(new)
            if not retagged_only:
                in_place = retitled_in_place(previous, old, new)
                if in_place is None:
                    return None  # moved in the graph
                retitled, linking = True, in_place
    canonicals = {new.id: canonical_papers((new,), registry)[0] for _, new in edited}
    # embeds show the notes as they are now; a new title is a new name to link by
    index = previous.index.renamed(canonicals) if retitled else previous.index.with_notes(canonicals)
    fresh: dict[str, Note] = {}
    warnings: dict[Diagnostic, Diagnostic] = {}  # unresolved links that moved in the text
    base_path = config.base_path
    for old, new in edited:
        (before_linking,) = canonical_papers((old,), registry)
        earlier = link_note(before_linking, previous.index, base_path)[2]
        linked, _, found = link_note(canonicals[new.id], index, base_path)
        if len(earlier) != len(found):
            return None
        warnings.update(zip(earlier, found))
        fresh[new.id] = linked
    for embedder in index.embedding(canonicals):  # their pages show the edited notes
        if embedder.id not in fresh:
            fresh[embedder.id] = link_note(embedder, index, base_path)[0]
    relinked: dict[str, tuple[frozenset[str], frozenset[str]]] = {}  # the notes linking by either title: where to, before and now
    told: set[Diagnostic] = set()  # the problems their links were, and are now
    found_now: list[Diagnostic] = []
    if retitled:
        for note in linking:
            if note.id in canonicals:  # the note itself
                continue
            _, was_to, was_found = link_note(note, previous.index, base_path)
            fresh[note.id], now_to, now_found = link_note(note, index, base_path)
            relinked[note.id] = (_linked_to(note.id, was_to), _linked_to(note.id, now_to))
            told.update(was_found)
            found_now += now_found
        for embedder in index.embedding(relinked):  # their pages show the notes linked again
            if embedder.id not in relinked and embedder.id not in canonicals:
                fresh[embedder.id] = link_note(embedder, index, base_path)[0]
    metas = titles_taken(previous, {new.id: fresh[new.id] for _, new in edited}, registry) if retitled else {}
    graph, papers = previous.with_notes(fresh, metas)
    problems = [warnings.get(d, d) for d in graph.diagnostics if d not in told] + found_now
    graph = replace(graph.with_links(relinked) if relinked else graph, index=index, diagnostics=in_order(problems))
    cards = {paper.id: paper.card for paper in previous.papers.papers if paper.id in papers}
    recarded = {paper.id for paper in graph.papers.papers if paper.id in papers and cards.get(paper.id) != paper.card}
    was = {i: previous.notes[previous.positions[i]].card for i in fresh if i in previous.positions}
    changed = {*((TEXT if was.get(i) == note.card else "") + f"note:{i}" for i, note in fresh.items()),
               *(f"paper:{p}" for p in recarded), *(f"{TEXT}paper:{p}" for p in papers - recarded)}
    for old, new in edited:
        if old.card != new.card:
            changed.update(f"{SHOWN}note:{new.id}{FIELD}{name}" for name in ("", *old.shown_apart(new)))
    if retitled or retagged_only:  # graph.json shows every note's title and tags, and holds no note
        changed.add(PAGE + config.urls.graph_json)
    if retitled:  # the host's redirects file lists the notes' old URLs in the notes' order
        changed.add(PAGE + HOST_FILE)
    if metas:  # a paper retitled: the co-mentions sorted by title, the citation keys made of its title
        keyed = _keyed_again(previous.papers, graph.papers)
        changed.update(f"paper:{p}" for p in _comentioned_again(previous.papers, graph.papers) | keyed)
        changed.update(PAGE + url for url in _citation_files(graph, config, metas.keys() | keyed))
    # the pages of the notes linking to it, whose local graphs show its title and tags, and of those
    # a link now leads to or no longer, whose backlinks and local graphs change: as none of their
    # fields did, no list holding them is planned again for it (``SHOWN``)
    around = [linking.id for _, new in edited for linking in previous.backlinks.get(new.id, ())] if retitled or retagged_only else []
    around += [target for led, leads in relinked.values() for target in led ^ leads]
    changed.update(f"note:{i}" for i in around)
    changed.update(f"{SHOWN}note:{i}{FIELD}" for i in around)
    if retitled:  # its place among the notes of its date: the pages of those it passed, and the lists holding them
        ((old, new),) = edited
        reordered = graph.reordered({new.id})
        if reordered is None:
            return None
        graph, passed, relisted = reordered
        changed.update({*(f"note:{i}" for i in passed), *(PAGE + graph.notes[graph.positions[i]].url for i in relisted)})
        if len(passed) > 1:
            # the notes it passed changed nowhere but in their order beside it: the lists that show any field
            # of their notes and hold the note show another order; those holding only the notes passed show
            # theirs as it was, and their pages (neighbours) read their notes whole
            changed.update(f"{SHOWN}note:{i}{FIELD}" for i in passed if i != new.id)
            changed.update(f"{SHOWN}note:{new.id}{FIELD}{name}" for name in SHOWN_FIELDS)
            # a tag's citation files list its notes' papers in the notes' order, holding no note
            changed.update(UNDER + tag.url for tag in graph.tags_of.get(new.id, ()))
    if retagged_only:
        ((old, new),) = edited
        regrouped = retagged(previous, graph, (new.id,), config.urls.tag)
        if regrouped is None:
            return None
        graph, relisted = regrouped
        moved = set(previous.tags_of.get(new.id, ())) ^ set(graph.tags_of.get(new.id, ()))
        changed.update({PAGE + config.urls.tags, *(UNDER + tag.url for tag in moved),
                        *(PAGE + graph.notes[graph.positions[i]].url for i in relisted)})
    return graph, frozenset(changed)


def after_rebuild(earlier: Graph, graph: Graph, config: Config) -> frozenset[str] | None:
    """What a graph built anew from ``earlier`` (``build_graph`` given it: notes and papers that
    did not change are the same objects) changed, as ``after_edit`` tells it: the notes and
    papers that are not the earlier ones, and the pages that list them in another order or show
    other neighbours, backlinks, related notes, co-mentions or citation keys; the pages of notes
    and papers added or gone, with their redirects, are made or dropped (``UNDER``). None when
    a note's URL or a tag's name changed, or the site has emitters of its own: every page is
    planned."""
    if config.plugins.emitters:
        return None
    old = {note.id: note for note in earlier.notes}
    new = {note.id: note for note in graph.notes}
    if any(old[i].url != note.url for i, note in new.items() if i in old):
        return None  # renamed for a collision
    old_tags = {group.tag.slug: group for group in earlier.tags}
    new_tags = {group.tag.slug: group for group in graph.tags}
    if any(old_tags[slug].tag != group.tag for slug, group in new_tags.items() if slug in old_tags):
        return None  # a tag now spelt as another note spells it: every page showing it
    urls = config.urls
    gone, added = old.keys() - new.keys(), new.keys() - old.keys()
    others = {i for i, note in new.items() if old.get(i) is not note}  # added, or not the earlier note
    changed = {f"note:{i}" for i in others | gone}
    changed.update(UNDER + old[i].url for i in gone)
    changed.update(UNDER + new[i].url for i in added)
    changed.update({PAGE + urls.graph_json, PAGE + SITEMAP})  # the sitemap gives each note's date
    if list(old) != list(new):  # the home page's list moved: notes came, went, or took another place
        changed.update({PAGE + "/", UNDER + "/page/"})
    if [n.id for n in earlier.notes[:config.feed_size]] != [n.id for n in graph.notes[:config.feed_size]]:
        changed.update({PAGE + urls.feed, PAGE + urls.json_feed})
    for slug in old_tags.keys() | new_tags.keys():  # a tag's pages, feed and citation files list its notes
        before, after = old_tags.get(slug), new_tags.get(slug)
        if before is None or after is None or not _same_objects(before.notes, after.notes):
            changed.update({PAGE + urls.tags, UNDER + (after or before).tag.url})  # type: ignore[union-attr]
    old_years = {year.year: year for year in earlier.years}
    new_years = {year.year: year for year in graph.years}
    for number in old_years.keys() | new_years.keys():
        before_year, after_year = old_years.get(number), new_years.get(number)
        if (before_year is None or after_year is None or [m.month for m in before_year.months] != [m.month for m in after_year.months]
                or not _same_objects(before_year.notes, after_year.notes)):
            changed.update({PAGE + urls.archive, UNDER + urls.of_year(number)})
    if not _same_objects(earlier.undated, graph.undated):
        changed.add(PAGE + urls.archive)
    # a note's page shows its neighbours, backlinks and related notes
    beside = [_neighbour_ids(notes) for notes in (earlier.notes, graph.notes)]
    shown_apart = {i for i, pair in beside[1].items() if beside[0].get(i, pair) != pair}
    for before_lists, lists in ((earlier.backlinks, graph.backlinks), (earlier.papers.related, graph.papers.related)):
        shown_apart.update(i for i in before_lists.keys() | lists.keys() if not _same_notes(before_lists.get(i, ()), lists.get(i, ())))
    changed.update(PAGE + new[i].url for i in shown_apart if i in old and i in new)
    for i in others | gone:  # the local graphs of the notes linking to it show its title and tags
        for source in (*earlier.backlinks.get(i, ()), *graph.backlinks.get(i, ())):
            if source.id in new:
                changed.add(PAGE + new[source.id].url)
    claims = [[(url, note.id) for url, note in redirects(notes)] for notes in (earlier.notes, graph.notes)]
    if claims[0] != claims[1]:  # the host's file lists them in the notes' order
        owners = [_owners(claimed) for claimed in claims]  # two notes may claim an old URL
        changed.add(PAGE + HOST_FILE)
        changed.update(UNDER + url for url in owners[0].keys() | owners[1].keys() if owners[0].get(url) != owners[1].get(url))
    changed.update(_papers_changed(earlier, graph, config))
    return frozenset(changed)


def _papers_changed(earlier: Graph, graph: Graph, config: Config) -> set[str]:
    """``after_rebuild``'s marks for the papers: those not the earlier objects, their feeds (which
    hold notes, not the paper), the pages of papers added or gone, the lists of all papers and
    the shelves when any came or went, and the papers whose co-mentions, citations or citation
    keys moved, with the citation files listing them."""
    urls = config.urls
    old = {paper.id: paper for paper in earlier.papers.papers}
    new = {paper.id: paper for paper in graph.papers.papers}
    others = {pid for pid, paper in new.items() if old.get(pid) is not paper} | (old.keys() - new.keys())
    changed = {f"paper:{pid}" for pid in others}
    changed.update(PAGE + f"{paper.url}feed.xml" for pid, paper in new.items() if pid in others)
    changed.update(UNDER + old[pid].url for pid in old.keys() - new.keys())
    changed.update(UNDER + new[pid].url for pid in new.keys() - old.keys())
    if old.keys() != new.keys():
        changed.update(PAGE + url for url in (urls.papers, urls.papers_read, urls.papers_published))
    shelves = [{shelf.url: ids_of(shelf.papers) for shelf in (*site_authors(papers, config), *site_venues(papers, config))}
               for papers in (earlier.papers.papers, graph.papers.papers)]
    if shelves[0] != shelves[1]:
        changed.update({UNDER + urls.authors, UNDER + urls.venues, PAGE + urls.papers, PAGE + urls.graph})  # both offer to browse them
        changed.update(UNDER + url for url in shelves[0].keys() ^ shelves[1].keys())
        changed.update(PAGE + url for url in shelves[0].keys() & shelves[1].keys() if shelves[0][url] != shelves[1][url])
        linked = [shelf_urls(papers, config) for papers in (earlier.papers.papers, graph.papers.papers)]
        changed.update(f"paper:{pid}" for pid in new  # a paper's page links its authors' and venue's pages
                       if (linked[0][0].get(pid), linked[0][1].get(pid)) != (linked[1][0].get(pid), linked[1][1].get(pid)))
    again = _comentioned_again(earlier.papers, graph.papers) | _keyed_again(earlier.papers, graph.papers)
    again |= {pid for pid in new if earlier.papers.cites.get(pid) != graph.papers.cites.get(pid)
              or earlier.papers.cited_by.get(pid) != graph.papers.cited_by.get(pid)}
    changed.update(f"paper:{pid}" for pid in again)
    listed = again | {pid for pid in others if pid not in old or pid not in new or old[pid].meta != new[pid].meta}
    if listed:
        changed.update(PAGE + url for url in _citation_files(graph, config, listed))
    return changed


def _owners(claims: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """The ids of the notes redirected to from each old URL, in order."""
    owners: dict[str, list[str]] = {}
    for url, note_id in claims:
        owners.setdefault(url, []).append(note_id)
    return owners


def _same_objects(one: tuple[Note, ...], other: tuple[Note, ...]) -> bool:
    return len(one) == len(other) and all(a is b for a, b in zip(one, other))


def _neighbour_ids(notes: tuple[Note, ...]) -> dict[str, tuple[str | None, str | None]]:
    """The ids of each note's neighbours (``Graph.neighbours``: newer, older), by its id."""
    ids = [note.id for note in notes]
    return dict(zip(ids, zip([None, *ids[:-1]], [*ids[1:], None])))


def _same_notes(one: tuple[Note | None, ...], other: tuple[Note | None, ...]) -> bool:
    """Whether two lists name the same notes in the same order: the same objects (most, after a
    note was added or deleted: the others are the earlier ones), else by their ids."""
    return one is other or (len(one) == len(other) and all(
        a is b or (a is not None and b is not None and a.id == b.id) for a, b in zip(one, other)))


def _linked_to(source: str, targets: Iterable[str | None]) -> frozenset[str]:
    """The notes a note's links lead to, but for itself (``link_note``'s targets)."""
    return frozenset(target for target in targets if target is not None and target != source)


def _comentioned_again(before: PaperGraph, after: PaperGraph) -> set[str]:
    """The papers whose co-mentions (ids and counts, in order) differ between two paper graphs."""
    def listed(graph: PaperGraph, pid: str) -> list[tuple[str, int]]:
        return [(paper.id, count) for paper, count in graph.co_mentioned.get(pid, ())]

    was, now = before.co_mentioned, after.co_mentioned
    return {pid for pid in was.keys() | now.keys() if was.get(pid) is not now.get(pid) and listed(before, pid) != listed(after, pid)}


def _keyed_again(before: PaperGraph, after: PaperGraph) -> set[str]:
    """The papers whose citation key differs between two paper graphs."""
    keys, again = before.cite_keys, after.cite_keys
    return {pid for pid in keys.keys() | again.keys() if keys.get(pid) != again.get(pid)}


def _citation_files(graph: Graph, config: Config, paper_ids: Iterable[str]) -> set[str]:
    """The URLs of the citation files (BibTeX, CSL-JSON) listing the papers ``paper_ids``: the
    site's, each paper's own and those of the tags of the notes discussing them. They hold the
    papers' metadata, not the papers: no paper's change plans them again."""
    by_id = {paper.id: paper for paper in graph.papers.papers}
    stems = {config.urls.bibliography.removesuffix(".bib")}
    for paper in (by_id[pid] for pid in paper_ids if pid in by_id):
        stems.add(f"{paper.url}cite")
        stems.update(f"{tag.url}papers" for note in paper.notes for tag in graph.tags_of.get(note.id, ()))
    return {stem + suffix for stem in stems for suffix in (".bib", ".csl.json")}


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
    elif branch == "json":
        if update is not None:
            data = value.serialised()  # type: ignore[attr-defined]
            update(b"j%d:" % len(data) + data)
    elif branch == "sequence":
        if update is not None:
            update(b"(%d" % len(value))  # type: ignore[arg-type]
        card = _taker(Note, bodies)
        for item in value:  # type: ignore[attr-defined]
            if type(item) is Note:  # a list of notes: each taken without looking for its branch
                _met(item, found, update, card, viewed)
            else:
                _walk(item, found, update, bodies, shared, viewed)
    elif branch == "scalar":
        if update is not None:
            update(f"{kind.__name__}:{value!r};".encode())
    elif branch == "note":
        assert isinstance(value, (Note, Paper))
        _met(value, found, update, _taker(kind, bodies), viewed)
    elif branch == "dataclass":
        frozen, names = _dataclass_fields(kind)
        inside = bodies if isinstance(value, VIEWED) else None
        seen = viewed and isinstance(value, VIEWED)
        if frozen:
            digest, held = _frozen_digest(value, names, inside, shared, seen)
            if update is not None:
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
    if issubclass(kind, JsonData):
        return "json"
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


@functools.cache
def _dataclass_fields(kind: type) -> tuple[bool, tuple[str, ...]]:
    """Whether instances of the dataclass ``kind`` are frozen, and the names of their fields."""
    return kind.__dataclass_params__.frozen, tuple(item.name for item in dataclasses.fields(kind))  # type: ignore[attr-defined]


class Stopwatch:
    """Seconds spent in each stage, for ``build -v`` and the benchmarks."""

    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.laps: list[tuple[str, float]] = []

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps.append((name, now - self.last))
        self.last = now


#: Work started with the graph while the pages are written (the search index).
Beside = Callable[[Graph, Config], None]
#: What writing pages aside brings back: the forked sink, the pages' digests, the problems found and how
#: many were written.
_Aside = tuple["ParallelSink", dict[str, Rendered], list[Diagnostic], int]


@dataclass(frozen=True)
class Parallel:
    """Ways to write pages in forked processes into ``staging``, each through its own fork of
    it: every page, in ``workers`` processes (``everything``), or some while this process writes
    the others (``aside``)."""

    staging: ParallelSink
    workers: int

    def everything(self, env: jinja2.Environment, plan: Callable[[], Iterable[Planned]], diagnostics: list[Diagnostic],
                   learn: bool, previous: Mapping[str, Rendered], stamps: Mapping[str, tuple[int, int]],
                   forked: Callable[[], None]) -> tuple[int, dict[str, Rendered], Plan]:
        """Plan, key and write every page: a page whose key is that of the ``previous`` build's
        page is kept when its file has the stamp ``stamps`` give it, else rendered. The number
        of pages written, their digests and the plan (its pages not held; its ``setup`` empty
        when two pages wanted one URL), or when told not to ``learn`` neither digests nor what
        the pages are drawn from (and nothing kept). ``forked`` is called once the workers are
        forked (a thread started before a fork could leave a lock held in them)."""
        import multiprocessing  # here: a build writing a few pages starts no pool
        from concurrent.futures import ProcessPoolExecutor

        staging = self.staging
        compile_templates(env)
        context = multiprocessing.get_context("fork")
        written, rendered, learnt = 0, {}, Plan(WHOLE)
        problems: list[Diagnostic] = []
        with left_when_stopped(ProcessPoolExecutor(self.workers, mp_context=context, initializer=_start_render_worker,
                                                   initargs=(staging.fork(), env, plan, previous if learn else {}, stamps))) as pool:
            shares = pool.map(_render_share, [(index, self.workers, learn) for index in range(self.workers)])  # forks every worker
            forked()
            for count, share, found, records, share_plan in shares:
                written += count  # each share joined and let go as it comes
                staging.join(share)
                problems.extend(found)
                rendered.update(records)
                learnt.pages = learnt.pages or share_plan.pages  # each worker sees every URL
                learnt.listed = learnt.listed or share_plan.listed
                for key, urls in share_plan.dependents.items():
                    learnt.holding(key).update(urls)
                learnt.setup = learnt.setup and share_plan.setup
        diagnostics.extend(sorted(problems, key=lambda d: (d.path, d.line, d.col, d.message)))
        return written, rendered, learnt

    def aside(self, work: Callable[[ParallelSink], _Aside]) -> Forked[_Aside]:
        """``work`` given a fork of the sink (made here, before the process is: see
        ``InPlace.fork``), in one forked process, while this one goes on."""
        share = self.staging.fork()
        return Forked(lambda: work(share))


class ParallelSink(Sink, Protocol):
    """A sink that forked processes can write into, each through its own ``fork()``, whose
    records the parent then ``join``s."""

    written: set[str]

    def write_stream(self, rel: str, pieces: Iterable[bytes]) -> None:
        """Put at ``rel`` the bytes of ``pieces``, written as they come."""

    def fork(self) -> Self: ...

    def join(self, share: Self) -> None: ...


_shared: tuple[ParallelSink, jinja2.Environment, Callable[[], Iterable[Planned]], Mapping[str, Rendered],
              Mapping[str, tuple[int, int]]] | None = None  # per render worker


def _start_render_worker(staging: ParallelSink, env: jinja2.Environment, plan: Callable[[], Iterable[Planned]],
                         previous: Mapping[str, Rendered], stamps: Mapping[str, tuple[int, int]]) -> None:
    """Take the sink, templates and plan the worker was forked with. Everything it inherited
    (the graph, every note) lives as long as the worker: the cycle collector is told to leave
    it be, rather than walk it again at each full collection (about a sixth of a worker's time
    at 10,000 notes)."""
    global _shared
    gc.freeze()
    _shared = (staging.fork(), env, plan, previous, stamps)


def _render_share(job: tuple[int, int, bool]) -> tuple[int, ParallelSink, list[Diagnostic], dict[str, Rendered], Plan]:
    """Plan every page (so that no list of all pages is held) and write every n-th one; the
    first worker also reports the pages that cannot be written, as the serial path does. The
    plan it returns has every URL and, when it is to ``learn``, what its own pages are drawn from."""
    assert _shared is not None
    sink, env, plan, previous, stamps = _shared
    mine, step, learn = job
    claimed, unwritable, problems, written = set(sink.written), [], [], 0
    records: dict[str, Rendered] = {}
    learnt, planned = Plan(WHOLE), 0
    shared: Shared = {}
    for position, page in enumerate(plan()):
        planned += 1
        if learn:
            learnt.pages[page.url] = None
            if listed(page):
                learnt.listed.add(page.url)
        try:
            rel = output_file(page.url)
        except UnsafeURL as exc:
            unwritable.append(Diagnostic("error", page.url, 1, 1, str(exc)))
            continue
        if rel in claimed:
            unwritable.append(Diagnostic("error", page.url, 1, 1, f"two pages want to write {rel!r}"))
            continue
        claimed.add(rel)
        if position % step == mine:
            before = previous.get(page.url)
            if before is not None and before.rel == rel:  # keyed as the page it was, with the bodies it read
                key, drawn_from = digest_page(page, before.bodies, shared)
                if key and key == before.key and (stamp := stamps.get(rel)) is not None and sink.reuse(rel, stamp):
                    written += 1
                    learnt.learn(page, drawn_from, keep=False)
                    records[page.url] = before
                    continue
            reads = BodyReads() if isinstance(page, Page) else None
            sections: list[Place] = []
            problem = write_one(sink, page, lambda: sink.write_stream(rel, render_stream(env, page, reads, sections)))
            written += problem is None
            problems += [problem] if problem else []
            if not learn:
                continue
            bodies = frozenset(reads) if reads is not None else None  # None: a text file, which may read anything
            key, drawn_from = digest_page(page, bodies, shared)
            learnt.learn(page, drawn_from, keep=False)
            if problem is None and key is not None:
                records[page.url] = Rendered(key, rel, None, bodies, tuple(sections))
    learnt.setup = learnt.setup if len(learnt.pages) == planned else ""
    return written, sink, problems + (unwritable if mine == 0 else []), records, learnt  # told once

