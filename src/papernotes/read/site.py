"""The read stage: one source file in, its notes and problems out (``read``), and the same over
many files in a pool of processes when it pays (``read_site``). Nothing here is cached: the
engine decides which files need reading."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import multiprocessing
import os
import signal
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping, Sequence

from .. import __version__
from ..markdown.assets import AssetFinder
from ..config import Config
from ..markdown.pipeline import MarkdownRenderer
from ..model import Diagnostic, ReadResult
from ..papers.registry import Registry
from . import READERS, display_path, file_dates, read_path, relative_names
from .sitevars import SiteSettings, site_settings
from .common import ReadContext
from ..markdown.texmacros import macros_from_config

PARALLEL_FROM = 200  # below this many files a process pool costs more than it saves…
PARALLEL_BYTES = 2_000_000  # …unless they are this big together
CACHE_FORMAT = 12  # bump whenever the cached model changes shape
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
        return ReadContext(self.config, *self.renderers, dates, self.registry, self.site)

    @functools.cached_property
    def renderers(self) -> tuple[MarkdownRenderer, MarkdownRenderer]:
        """The Markdown renderer of notes and the one of plain-text files (hard line breaks)."""
        return (MarkdownRenderer(base_path=self.config.base_path, registry=self.registry, assets=self.assets,
                                 raw_html=self.config.unsafe_html, math_macros=macros_from_config(self.config.math_macros),
                                 urls=self.config.urls, plugins=self.config.plugins.markdown),
                MarkdownRenderer(hard_breaks=True, base_path=self.config.base_path, registry=self.registry,
                                 assets=self.assets, urls=self.config.urls))

    @functools.cached_property
    def site(self) -> SiteSettings:
        """``site.*`` for the Liquid in imported posts."""
        return site_settings(self.content_dir, self.config)

    @functools.cached_property
    def digest(self) -> str:
        """Changes whenever config, paper registry, images or papernotes itself change (taken
        once: it looks at every image)."""
        parts = [__version__, str(CACHE_FORMAT), repr(self.config), repr(sorted(self.registry.papers.items())),
                 repr(sorted(self.registry.keys.items())), repr(self.site)]
        for name, path in sorted(self.assets.by_name.items()):
            stat = path.stat()
            parts.append(f"{name}:{stat.st_size}:{stat.st_mtime_ns}")
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()


_worker_inputs: tuple[ReadInputs, Mapping[str, tuple[dt.datetime, str]]] | None = None  # per pool worker


def _start_worker(inputs: ReadInputs, dates: Mapping[str, tuple[dt.datetime, str]]) -> None:
    global _worker_inputs
    _worker_inputs = (inputs, dates)  # forked, so handed over without pickling


def _read_in_worker(path: Path) -> ReadResult:
    assert _worker_inputs is not None
    return read(path, *_worker_inputs)


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
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    seconds = READ_SECONDS_BASE + READ_SECONDS_PER_MB * size / 1e6
    try:
        with time_limit(seconds):
            return read_path(path, rel, context, (*context.config.plugins.readers, *READERS))
    except ReadTimeout:
        failure = f"{TIMED_OUT} {seconds:.0f} s of processor time for its {size:,} bytes and was stopped; note skipped"
    except MemoryError:  # nothing is built in here: the half-read file is freed when this block ends
        failure = f"reading ran out of memory on its {size:,} bytes; note skipped"
    except Exception as exc:  # the stage boundary: a bug must not take the other notes down
        failure = f"internal error while reading this file (please report): {type(exc).__name__}: {str(exc)[:300]}"
    return ReadResult((), (Diagnostic("error", display_path(path), 1, 1, failure),))


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


Progress = Callable[[str, int, int], None]  # (stage, done, total; 0 when unknown)


def no_progress(stage: str, done: int, total: int) -> None:
    pass


def read(path: Path, inputs: ReadInputs, dates: Mapping[str, tuple[dt.datetime, str]] | None = None) -> ReadResult:
    """Read one source file (``dates``: its date, when the caller took the dates of many files
    at once). A link out of the notes folder is skipped with a warning, never followed."""
    (rel,) = relative_names([path], inputs.content_dir)
    if os.path.islink(path) and not _inside(path, rel):  # never publish /etc/passwd through a link
        return ReadResult((), (Diagnostic("warning", display_path(path), 1, 1, "symbolic link to a file "
                                          "outside the notes folder; skipped"),))
    return read_guarded(path, rel, inputs.context(dates if dates is not None else file_dates(inputs.content_dir, [path])))


def read_site(paths: Sequence[Path], inputs: ReadInputs, dates: Mapping[str, tuple[dt.datetime, str]] | None = None,
              workers: int = 1, progress: Progress = no_progress) -> Iterator[tuple[int, ReadResult]]:
    """``read`` over many files: (index in ``paths``, result) of each in path order, read in a
    pool of ``workers`` processes for large sites."""
    dates = dates if dates is not None else file_dates(inputs.content_dir, paths)
    inputs.renderers  # made before forking, so that every worker has them
    if workers > 1 and (len(paths) >= PARALLEL_FROM or _total_size(paths) >= PARALLEL_BYTES):
        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                   initializer=_start_worker, initargs=(inputs, dates))
        done = 0
        with contextlib.suppress(BrokenProcessPool), pool:  # a worker killed (out of memory): the rest read here
            chunk = max(1, min(200, len(paths) // (workers * 8)))
            for done, result in enumerate(pool.map(_read_in_worker, paths, chunksize=chunk), 1):
                progress("reading", done, len(paths))
                yield done - 1, result
        for index in range(done, len(paths)):
            progress("reading", index + 1, len(paths))
            yield index, read(paths[index], inputs, dates)
        return
    for index, path in enumerate(paths):
        progress("reading", index + 1, len(paths))
        yield index, read(path, inputs, dates)


def published(results: Iterable[ReadResult], drafts: bool) -> ReadResult:
    """The notes of ``results`` (drafts only when ``drafts``) and all their problems, in order."""
    results = tuple(results)
    notes = tuple(note for result in results for note in result.notes if drafts or not note.draft)
    return ReadResult(notes, tuple(problem for result in results for problem in result.diagnostics))
