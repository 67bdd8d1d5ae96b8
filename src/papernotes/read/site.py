"""The read stage: one source file in, its notes and problems out (``read``), and the same over
many files in a pool of processes when it pays (``read_site``). Nothing here is cached: the
engine decides which files need reading."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import hashlib
import os
import signal
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Mapping, Sequence, TypeVar

from .. import __version__
from ..bodystore import packed, unpacked
from ..collector import paused
from ..interrupt import left_when_stopped
from ..markdown.assets import AssetFinder
from ..config import Config, for_reading
from ..extensions import ReaderRule
from ..model import Diagnostic, Progress, ReadResult, no_progress
from ..papers.registry import Lookups, Registry, noting
from . import READERS, as_drafts, file_dates, open_source, read_feed, read_path, reader_for, relative_names
from .sitevars import SiteSettings, site_settings
from .common import ReadContext
from ..markdown.texmacros import macros_from_config
from ..markdown.math import core_converter

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    from ..markdown.pipeline import MarkdownRenderer
    from .feeds import FeedItem, FeedItems, FeedPart, PartParser

PARALLEL_FROM = 200  # below this many files a process pool costs more than it saves…
PARALLEL_BYTES = 2_000_000  # …unless they are this big together
#: A feed this big is parsed in parts and its items read across the pool, not in one worker…
SPLIT_BYTES = 1_000_000
SHARES = 8  # …in this many parts and runs of items per worker, so that a slow worker holds up little
CACHE_FORMAT = 27  # bump whenever the cached model changes shape, or what reading makes of a file
#: Processor time a file may take to read: a base plus so much per megabyte, so a big note is
#: given time and a small file built to be slow (20,000 repeated headings) is stopped. Real notes
#: take a third of this or less (a 900 KB reading list of 1,000 papers: 2.6 s of its 8.7 s).
READ_SECONDS_BASE = 1.5
READ_SECONDS_PER_MB = 8.0
TIMED_OUT = "reading took more than"


@dataclass(frozen=True)
class ReadInputs:
    """Everything besides a file's own bytes that its reading depends on. Two inputs with the
    same ``digest`` read every file alike, so a long-lived process keeps one (and its Markdown
    renderers, with their lexer and formula caches) while the digest stays the same."""

    content_dir: Path
    config: Config
    registry: Registry
    assets: AssetFinder

    def context(self, dates: Mapping[str, tuple[dt.datetime, str]]) -> ReadContext:
        """The context readers need, with the dates of the files to be read."""
        return ReadContext(self.reading_config, *self.renderers, dates, *self.noted_registry, self.site)

    @functools.cached_property
    def noted_registry(self) -> tuple[Registry, Lookups]:
        """The registry as readers see it, and what tells whether a read looked a paper up in it."""
        return noting(self.registry)

    @functools.cached_property
    def reading_config(self) -> Config:
        """The config as readers see it (``config.for_reading``)."""
        return for_reading(self.config)

    @functools.cached_property
    def renderers(self) -> tuple[MarkdownRenderer, MarkdownRenderer]:
        """The Markdown renderer of notes and the one of plain-text files (hard line breaks)."""
        from ..markdown.pipeline import MarkdownRenderer  # here: a build reading no file needs no Markdown

        registry = self.noted_registry[0]
        return (MarkdownRenderer(base_path=self.config.base_path, registry=registry, assets=self.assets,
                                 raw_html=self.config.unsafe_html, math_macros=macros_from_config(self.config.math_macros),
                                 urls=self.config.urls, plugins=self.config.plugins.markdown),
                MarkdownRenderer(hard_breaks=True, base_path=self.config.base_path, registry=registry,
                                 assets=self.assets, urls=self.config.urls))

    @functools.cached_property
    def site(self) -> SiteSettings:
        """``site.*`` for the Liquid in imported posts."""
        return site_settings(self.content_dir, self.config)

    @functools.cached_property
    def digest(self) -> str:
        """Changes whenever the config as readers see it or papernotes itself change. The images
        a note names are not in it: a result keeps the lookups of its files
        (``RenderedBody.lookups``), checked again when ``images`` changes (``still_found``); nor
        are the site's variables, which only a note with Liquid may read (``site_digest``); nor
        the paper registry, which only a note citing a key or naming a paper in its front
        matter looks in (``registry_digest``, ``ReadResult.registry_lookups``)."""
        parts = [__version__, str(CACHE_FORMAT), repr(self.reading_config), repr(self.site.jekyll)]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()

    @functools.cached_property
    def registry_digest(self) -> str:
        """Changes whenever the paper registry does (a ``papers.bib`` edited)."""
        parts = [repr(sorted(self.registry.papers.items())), repr(sorted(self.registry.keys.items())),
                 repr(sorted(self.registry.aliases.items()))]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()

    @functools.cached_property
    def site_digest(self) -> str:
        """Changes whenever the site's variables (``site.*`` for Liquid) change."""
        return hashlib.sha256(repr(self.site.variables).encode()).hexdigest()

    @functools.cached_property
    def images(self) -> dict[str, tuple[int, int]]:
        """The size and time of each image and attachment of the content and static folders, by
        path (taken once: it looks at every image)."""
        return self.assets.stamps()

    @functools.cached_property
    def images_digest(self) -> str:
        """Changes whenever an image or attachment is added, removed or changed."""
        return hashlib.sha256(repr(sorted(self.images.items())).encode()).hexdigest()

    @property
    def key(self) -> str:
        """Changes whenever anything reading depends on besides a file's bytes changes."""
        return self.digest + self.registry_digest + self.images_digest + self.site_digest


_worker_inputs: tuple[ReadInputs, Mapping[str, tuple[dt.datetime, str]]] | None = None  # per pool worker


def _start_worker(inputs: ReadInputs, dates: Mapping[str, tuple[dt.datetime, str]], collecting: bool) -> None:
    global _worker_inputs
    _worker_inputs = (inputs, dates)  # forked, so handed over without pickling
    if collecting:  # forked while the main process's collector waits; a worker's own garbage needs it
        gc.enable()


def _read_in_worker(task: tuple[Path, ...] | FeedItems) -> bytes:
    """A run of files, or a run of one feed's items, read in a pool worker, its results packed
    (``bodystore.packed``: half the time of the pool's own pickling to pack and to unpack)."""
    assert _worker_inputs is not None
    inputs, dates = _worker_inputs
    if not isinstance(task, tuple):  # a feed's items
        return packed([read_feed_items(task, inputs.context(dates))])
    return packed([read(path, inputs, dates) for path in task])


def _parse_in_worker(part: FeedPart) -> tuple[FeedItem, ...] | None:
    """A part of a feed parsed in a pool worker (None, as for a part that does not parse cleanly,
    when parsing it fails or runs out of time: the whole feed is then parsed, and that reports it)."""
    from .feeds import parse_part

    parsed = guarded("", len(part.text), lambda: parse_part(part))
    return None if isinstance(parsed, ReadResult) else parsed


class ReadTimeout(BaseException):
    """Raised into a read that ran out of time (a BaseException, so no ``except Exception`` in a
    reader swallows it)."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the code inside with ReadTimeout after ``seconds`` of processor time (not wall
    time, so a busy machine does not cut real notes short). Main thread on Unix only; elsewhere,
    as in the preview's rebuild thread, there is no limit."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise ReadTimeout()

    previous = signal.signal(signal.SIGPROF, expire)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        # a signal already on its way must not reach the default action, which ends the process
        signal.signal(signal.SIGPROF, previous if callable(previous) else signal.SIG_IGN)


def read_guarded(path: Path, rel: str, context: ReadContext) -> ReadResult:
    """Read one file; a failure no reader foresaw, or a read past its time limit, costs this
    file alone, reported as an error naming it, never the build."""
    return _noting_lookups(context, lambda: guarded(str(path), _size(path), lambda: read_path(path, rel, context, _readers(context))))


def read_feed_items(feed: FeedItems, context: ReadContext) -> ReadResult:
    """``read_items`` under the guard of ``read_guarded``: a failure costs these items alone."""
    from .feeds import read_items

    first, last = feed.items[0].index + 1, feed.items[-1].index + 1
    return _noting_lookups(context, lambda: guarded(feed.source.shown, feed.size,
                                                    lambda: as_drafts(feed.source.rel, read_items(feed, context)),
                                                    f"items {first}–{last} skipped"))


T = TypeVar("T")


def _noting_lookups(context: ReadContext, work: Callable[[], T]) -> T:
    """``work()``, a result whose reading looked a paper up in the registry marked so."""
    context.lookups.clear()
    result = work()
    if context.lookups.made and isinstance(result, ReadResult):
        return replace(result, registry_lookups=True)
    return result


def guarded(shown: str, size: int, work: Callable[[], T], skipped: str = "note skipped") -> T | ReadResult:
    """``work()``, reading ``size`` bytes of the file ``shown``, given processor time in proportion
    to them; running out of time or memory, or failing in a way no reader foresaw, is an error
    naming the file."""
    seconds = READ_SECONDS_BASE + READ_SECONDS_PER_MB * size / 1e6
    try:
        with time_limit(seconds):
            return work()
    except ReadTimeout:
        failure = f"{TIMED_OUT} {seconds:.0f} s of processor time for its {size:,} bytes and was stopped; {skipped}"
    except MemoryError:  # nothing is built in here: the half-read file is freed when this block ends
        failure = f"reading ran out of memory on its {size:,} bytes; {skipped}"
    except Exception as exc:  # the stage boundary: a bug must not take the other notes down
        failure = f"internal error while reading this file (please report): {type(exc).__name__}: {str(exc)[:300]}"
    return ReadResult((), (Diagnostic("error", shown, 1, 1, failure),))


def _readers(context: ReadContext) -> tuple[ReaderRule, ...]:
    """The site's own readers, then the built-in ones."""
    return (*context.config.plugins.readers, *READERS)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _inside(path: Path, rel: str) -> bool:
    """Whether the file a link at ``path`` (``rel`` inside the notes folder) leads to is in that folder."""
    text = os.fspath(path)
    root = text[:-len(rel)] if text.endswith(rel) else os.path.dirname(text)
    return os.path.realpath(text).startswith(os.path.join(os.path.realpath(root), ""))


def _total_size(paths: Sequence[Path]) -> int:
    total = 0
    for path in paths:
        with contextlib.suppress(OSError):
            total += path.stat().st_size
        if total >= PARALLEL_BYTES:
            break
    return total


def read(path: Path, inputs: ReadInputs, dates: Mapping[str, tuple[dt.datetime, str]] | None = None) -> ReadResult:
    """Read one source file (``dates``: its date, when the caller took the dates of many files
    at once). A link out of the notes folder is skipped with a warning, never followed."""
    (rel,) = relative_names([path], inputs.content_dir)
    if os.path.islink(path) and not _inside(path, rel):  # never publish /etc/passwd through a link
        return ReadResult((), (Diagnostic("warning", str(path), 1, 1, "symbolic link to a file "
                                          "outside the notes folder; skipped"),))
    return read_guarded(path, rel, inputs.context(dates if dates is not None else file_dates(inputs.content_dir, [path])))


def read_site(paths: Sequence[Path], inputs: ReadInputs, dates: Mapping[str, tuple[dt.datetime, str]] | None = None,
              workers: int = 1, progress: Progress = no_progress) -> Iterator[tuple[int, ReadResult]]:
    """``read`` over many files: (index in ``paths``, result) of each in path order, read in a
    pool of ``workers`` processes for large sites, a large feed's items spread over the pool."""
    dates = dates if dates is not None else file_dates(inputs.content_dir, paths)
    inputs.renderers  # made before forking, so that every worker has them
    done = 0
    if workers > 1 and (len(paths) >= PARALLEL_FROM or _total_size(paths) >= PARALLEL_BYTES):
        import multiprocessing  # here: a build reading a few notes starts no pool
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        core_converter()  # once before forking, not by each worker at its first formula (latex2mathml,
        # 45 ms to load, only by a worker that meets a formula math-core leaves to it)

        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                   initializer=_start_worker, initargs=(inputs, dates, gc.isenabled()))
        # the results received here live on in the build: the collector would walk them again and again
        with contextlib.suppress(BrokenProcessPool), left_when_stopped(pool), paused():  # a worker killed (out of memory): the rest read here
            for done, result in enumerate(_pooled(pool, paths, inputs, dates, workers), 1):
                progress("reading", done, len(paths))
                yield done - 1, result
    for index in range(done, len(paths)):
        progress("reading", index + 1, len(paths))
        yield index, read(paths[index], inputs, dates)


def _pooled(pool: ProcessPoolExecutor, paths: Sequence[Path], inputs: ReadInputs,
            dates: Mapping[str, tuple[dt.datetime, str]], workers: int) -> Iterator[ReadResult]:
    """The result of each path, in order, read in ``pool``: files in runs; a large feed, once the
    workers have those, opened here, parsed in parts there, then its items read in runs there."""
    large = [index for index, path in enumerate(paths) if _size(path) >= SPLIT_BYTES]
    runs: dict[int, Future[bytes]] = {}  # by the index of their first path
    start = 0
    for stop in [*large, len(paths)]:
        first = start
        for size in run_sizes(stop - start, workers):
            runs[first] = pool.submit(_read_in_worker, tuple(paths[first:first + size]))
            first += size
        start = stop + 1
    feeds: dict[int, ReadResult | list[Future[bytes]]] = {}
    for index in large:
        parsed = _parse_feed(paths[index], inputs, dates, (workers * SHARES, functools.partial(_parse_parts, pool)))
        if parsed is None:
            runs[index] = pool.submit(_read_in_worker, (paths[index],))
        elif isinstance(parsed, ReadResult):
            feeds[index] = parsed
        else:
            feeds[index] = [pool.submit(_read_in_worker, items) for items in parsed.runs(workers * SHARES)]
    index = 0
    while index < len(paths):
        if index in feeds:
            found = feeds.pop(index)
            yield found if isinstance(found, ReadResult) else published((r for run in found for r in unpacked(run.result())), drafts=True)
            index += 1
        else:
            results = unpacked(runs.pop(index).result())
            yield from results
            index += len(results)


def run_sizes(count: int, workers: int) -> Iterator[int]:
    """How many of ``count`` files each run handed to a pool of ``workers`` holds: a
    ``RUN_PARTS``-th of each worker's share of the files left, no more than ``RUN_MOST``, no
    fewer than ``RUN_LEAST``. The runs shrink as the files run out, so that the workers finish
    together: runs of one size left one worker reading its last run (a second or two at 10,000
    notes) while the other had nothing to do."""
    left = count
    while left > 0:
        size = min(left, max(RUN_LEAST, min(RUN_MOST, left // (workers * RUN_PARTS))))
        yield size
        left -= size


RUN_PARTS = 4  # runs of a worker's share of the files left…
RUN_MOST = 200  # …holding at most this many files (each run's results are sent back at once)…
RUN_LEAST = 4  # …and at least this many (a run is a task of the pool, its results packed and sent)


def _parse_parts(pool: ProcessPoolExecutor, parts: Sequence[FeedPart]) -> list[tuple[FeedItem, ...] | None]:
    """The parts parsed in ``pool`` (none, so that the whole feed is parsed here, when it broke)."""
    from concurrent.futures.process import BrokenProcessPool

    try:
        return [future.result() for future in [pool.submit(_parse_in_worker, part) for part in parts]]
    except BrokenProcessPool:
        return [None] * len(parts)


def _parse_feed(path: Path, inputs: ReadInputs, dates: Mapping[str, tuple[dt.datetime, str]],
                parts: tuple[int, PartParser] | None = None) -> ReadResult | FeedItems | None:
    """What ``read`` makes of a feed before reading its items: the items to read, or the feed's
    whole result when it has none to read; None for any other file, or a link ``read`` refuses."""
    (rel,) = relative_names([path], inputs.content_dir)
    if os.path.islink(path) and not _inside(path, rel):
        return None
    from .feeds import FeedItems, parse as parse_feed

    context = inputs.context(dates)

    def parse() -> ReadResult | FeedItems | None:
        source = open_source(path, rel, context)
        if isinstance(source, ReadResult) or reader_for(source.text, path.suffix, _readers(context)).read is not read_feed:
            return None
        parsed = parse_feed(source, context, parts)
        return parsed if isinstance(parsed, FeedItems) else as_drafts(rel, parsed)

    return guarded(str(path), _size(path), parse)


def published(results: Iterable[ReadResult], drafts: bool) -> ReadResult:
    """The notes of ``results`` (drafts only when ``drafts``) and all their problems, in order."""
    results = tuple(results)
    notes = tuple(note for result in results for note in result.notes if drafts or not note.draft)
    return ReadResult(notes, tuple(problem for result in results for problem in result.diagnostics),
                      any(result.site_variables for result in results), any(result.registry_lookups for result in results))
