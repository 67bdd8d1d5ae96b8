"""The read stage for a whole site: every source file read once, in parallel when it pays,
and remembered in a cache keyed by the file's bytes and everything else its reading depends on."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import multiprocessing
import os
import pickle
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Sequence

from .. import __version__
from ..markdown.assets import AssetFinder
from ..bodystore import BodyStore
from ..config import Config
from ..markdown.pipeline import MarkdownRenderer
from ..model import Diagnostic, ReadResult
from ..papers.registry import Registry
from . import READERS, display_path, file_dates, read_path, relative_names
from .sitevars import SiteSettings, site_settings
from .common import ReadContext
from ..markdown.texmacros import macros_from_config
from ..walks import RACY_SECONDS

PARALLEL_FROM = 200  # below this many files a process pool costs more than it saves…
PARALLEL_BYTES = 2_000_000  # …unless they are this big together
CACHE_FORMAT = 11  # bump whenever the cached model changes shape
#: Processor time a file may take to read: a base plus so much per megabyte, so a big note is
#: given time and a small file built to be slow (20,000 repeated headings) is stopped. Real notes
#: take a third of this or less (a 900 KB reading list of 1,000 papers: 2.6 s of its 8.7 s).
READ_SECONDS_BASE = 1.5
READ_SECONDS_PER_MB = 8.0
TIMED_OUT = "reading took more than"


@dataclass(frozen=True)
class ReadInputs:
    """Everything besides a file's own bytes that its reading depends on."""

    content_dir: Path
    config: Config
    registry: Registry
    assets: AssetFinder

    def context(self, paths: Sequence[Path], kept: dict[str, tuple[MarkdownRenderer, MarkdownRenderer]] | None = None) -> ReadContext:
        """The context readers need; ``kept`` lets a long-lived process reuse its Markdown renderers
        (and their lexer and formula caches) while these inputs stay the same."""
        digest = self.digest if kept is not None else ""
        renderers = kept.get(digest) if kept is not None else None
        if renderers is None:
            renderers = (MarkdownRenderer(base_path=self.config.base_path, registry=self.registry, assets=self.assets,
                                          raw_html=self.config.unsafe_html,
                                          math_macros=macros_from_config(self.config.math_macros),
                                          urls=self.config.urls, plugins=self.config.plugins.markdown),
                         MarkdownRenderer(hard_breaks=True, base_path=self.config.base_path, registry=self.registry,
                                          assets=self.assets, urls=self.config.urls))
            if kept is not None:
                kept.clear()
                kept[digest] = renderers
        return ReadContext(self.config, *renderers, file_dates(self.content_dir, paths), self.registry, self.site)

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


class ReadCache:
    """One pickle per source file under ``.papernotes-cache/read/``; an entry is used only when its
    key matches, and a corrupt or unwritable cache is ignored, never trusted."""

    def __init__(self, root: Path, inputs_digest: str, memory: dict | None = None) -> None:
        self.root = root / "read"
        self.inputs_digest = inputs_digest
        # rel → (file (size, mtime), key, result): a long-lived process (the preview server)
        # skips hashing and unpickling files whose size and mtime did not change.
        self.memory: dict[str, tuple[tuple[int, int, float], str, ReadResult]] = memory if memory is not None else {}

    def recall(self, rel: str, path: Path, look: bool = True) -> ReadResult | None:
        """The result remembered in memory for an unchanged file under the same inputs. A file
        changed within a second of being looked at is checked by its bytes (its size and time
        could stay the same through a second change in the same clock tick). ``look=False``: the
        caller knows the file did not change."""
        remembered = self.memory.get(rel)
        if remembered is None:
            return None
        (size, mtime, seen), key, result = remembered
        if look:
            try:
                stat = os.stat(path)
            except OSError:
                return None
            if (size, mtime) != (stat.st_size, stat.st_mtime_ns) or seen - mtime / 1e9 < RACY_SECONDS:
                return None
        return result if key.startswith(self.inputs_digest[:16]) else None

    def remember(self, rel: str, path: Path, key: str, result: ReadResult) -> None:
        seen = time.time()
        try:
            stat = os.stat(path)
        except OSError:
            return
        self.memory[rel] = ((stat.st_size, stat.st_mtime_ns, seen), self.inputs_digest[:16] + key, result)

    def key(self, data: bytes, date: object) -> str:
        return hashlib.sha256(self.inputs_digest.encode() + str(date).encode() + b"\0" + data).hexdigest()

    def _file(self, rel: str) -> Path:
        return self.root / (hashlib.sha256(rel.encode()).hexdigest()[:32] + ".pickle")

    def get(self, rel: str, key: str) -> ReadResult | None:
        try:
            with self._file(rel).open("rb") as handle:
                stored_key, result = pickle.load(handle)
        except Exception:  # missing, truncated or from another version: read the file again
            return None
        return result if stored_key == key and isinstance(result, ReadResult) else None

    def put(self, rel: str, key: str, result: ReadResult) -> None:
        target = self._file(rel)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_suffix(f".tmp-{os.getpid()}")
            temporary.write_bytes(pickle.dumps((key, result), protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(temporary, target)
        except OSError:
            pass  # a read-only notes folder builds without a cache


def _stored(result: ReadResult, store: BodyStore | None) -> ReadResult:
    if store is None or not result.notes:
        return result
    return ReadResult(tuple(store.keep(note) for note in result.notes), result.diagnostics)


_worker_context: ReadContext | None = None  # one per pool worker, set by _start_worker


def _start_worker(context: ReadContext) -> None:
    global _worker_context
    _worker_context = context  # forked, so handed over without pickling


def _read_in_worker(job: tuple[Path, str]) -> ReadResult:
    assert _worker_context is not None
    return read_guarded(job[0], job[1], _worker_context)


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


def _total_size(jobs: Sequence[tuple[Path, str]]) -> int:
    total = 0
    for path, _ in jobs:
        with contextlib.suppress(OSError):
            total += path.stat().st_size
        if total >= PARALLEL_BYTES:
            break
    return total


Progress = Callable[[str, int, int], None]  # (stage, done, total; 0 when unknown)


def no_progress(stage: str, done: int, total: int) -> None:
    pass


def read_site(paths: Sequence[Path], inputs: ReadInputs, cache: ReadCache | None, workers: int,
              progress: Progress = no_progress, kept: dict | None = None, store: BodyStore | None = None,
              touched: frozenset[str] | None = None) -> ReadResult:
    """Read ``paths`` (cached results reused), in a pool of ``workers`` processes for large sites,
    bodies moved to ``store`` as they come. Files remembered in memory are trusted without a look
    when ``touched`` (the files a watcher saw change in place) leaves them out. The result lists
    notes in path order whatever the worker count."""
    rels = relative_names(paths, inputs.content_dir)
    results: list[ReadResult | None] = [
        cache.recall(rel, path, look=touched is None or os.fspath(path) in touched) if cache else None
        for rel, path in zip(rels, paths)]
    unknown = [index for index, result in enumerate(results) if result is None]
    context = inputs.context([paths[i] for i in unknown], kept)  # file dates only for files read or hashed
    keys: list[str] = [""] * len(paths)
    todo: list[int] = []
    for index in unknown:
        path, rel = paths[index], rels[index]
        if os.path.islink(path) and not _inside(path, rel):  # never publish /etc/passwd through a link
            results[index] = ReadResult((), (Diagnostic("warning", display_path(path), 1, 1, "symbolic link to a file "
                                                        "outside the notes folder; skipped"),))
            continue
        if cache is not None:
            try:
                keys[index] = cache.key(path.read_bytes(), context.file_dates.get(rel))
            except OSError:
                keys[index] = ""
            cached = cache.get(rel, keys[index]) if keys[index] else None
            if cached is not None:
                cache.remember(rel, path, keys[index], cached)
                results[index] = _stored(cached, store)  # (reads recalled from memory come only without a store)
        if results[index] is None:
            todo.append(index)
    jobs = [(paths[i], rels[i]) for i in todo]

    def finish(done: int, index: int, result: ReadResult) -> None:
        """Cache a fresh result whole, then (with a store) keep its bodies out of memory."""
        progress("reading", done, len(jobs))
        timed_out = any(d.message.startswith(TIMED_OUT) for d in result.diagnostics)  # may pass on a calmer machine
        if cache is not None and keys[index] and not timed_out:
            cache.put(rels[index], keys[index], result)
            cache.remember(rels[index], paths[index], keys[index], result)
        results[index] = _stored(result, store)

    if workers > 1 and (len(jobs) >= PARALLEL_FROM or _total_size(jobs) >= PARALLEL_BYTES):
        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                   initializer=_start_worker, initargs=(context,))
        done = 0
        with contextlib.suppress(BrokenProcessPool), pool:  # a worker killed (out of memory): the rest read here
            results_in_order = pool.map(_read_in_worker, jobs, chunksize=max(1, min(200, len(jobs) // (workers * 8))))
            for done, (index, result) in enumerate(zip(todo, results_in_order), 1):
                finish(done, index, result)
        for done, (index, (path, rel)) in enumerate(zip(todo[done:], jobs[done:]), done + 1):
            finish(done, index, read_guarded(path, rel, context))
    else:
        for done, (index, (path, rel)) in enumerate(zip(todo, jobs), 1):
            finish(done, index, read_guarded(path, rel, context))
    drafts = inputs.config.drafts
    if store is not None:
        store.flush()
    notes = tuple(note for result in results if result for note in result.notes if drafts or not note.draft)
    problems = tuple(problem for result in results if result for problem in result.diagnostics)
    return ReadResult(notes, problems)
