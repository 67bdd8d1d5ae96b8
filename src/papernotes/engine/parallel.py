"""Writing pages in forked processes: every page across render workers, or the large ones
aside while the build's own process writes the others."""

from __future__ import annotations

import gc
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable, Mapping, Protocol, Self

import jinja2

from ..interrupt import left_when_stopped
from ..config import Config
from ..graph import Graph
from ..model import Diagnostic, Page
from ..sectioned import Place
from ..emit.sitemap import listed
from ..forked import Forked
from ..render import compile_templates, render_stream
from ..urls import UnsafeURL, output_file
from ..views import BodyReads
from .pages import Plan, Planned, Rendered, Shared, Sink, WHOLE, write_one
from .pagekeys import digest_page

if TYPE_CHECKING:
    from multiprocessing.sharedctypes import Synchronized


#: Work started with the graph while the pages are written (the search index).
Beside = Callable[[Graph, Config], None]
#: What writing pages aside brings back: the forked sink, the pages' digests, the problems found and how
#: many were written.
Aside = tuple["ParallelSink", dict[str, Rendered], list[Diagnostic], int]


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
        taken = context.Value("q", 0)  # the pages taken so far, by their place in the plan
        with left_when_stopped(ProcessPoolExecutor(self.workers, mp_context=context, initializer=_start_render_worker,
                                                   initargs=(staging.fork(), env, plan, previous if learn else {}, stamps,
                                                             taken))) as pool:
            shares = pool.map(_render_share, [(index, learn) for index in range(self.workers)])  # forks every worker
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

    def aside(self, work: Callable[[ParallelSink], Aside]) -> Forked[Aside]:
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
              Mapping[str, tuple[int, int]], Synchronized[int]] | None = None  # per render worker


def _start_render_worker(staging: ParallelSink, env: jinja2.Environment, plan: Callable[[], Iterable[Planned]],
                         previous: Mapping[str, Rendered], stamps: Mapping[str, tuple[int, int]], taken: Synchronized[int]) -> None:
    """Take the sink, templates and plan the worker was forked with. Everything it inherited
    (the graph, every note) lives as long as the worker: the cycle collector is told to leave
    it be, rather than walk it again at each full collection (about a sixth of a worker's time
    at 10,000 notes)."""
    global _shared
    gc.freeze()
    _shared = (staging.fork(), env, plan, previous, stamps, taken)


def _render_share(job: tuple[int, bool]) -> tuple[int, ParallelSink, list[Diagnostic], dict[str, Rendered], Plan]:
    """Plan every page (so that no list of all pages is held) and write those it takes: the
    workers take the pages one at a time in the plan's order, each the next no worker took yet
    (the count shared, ``taken``), so that they finish together whatever the pages cost (each
    writing every n-th page, one was left writing for up to 1.7 s at 10,000 notes). The first
    worker also reports the pages that cannot be written, as the serial path does. The plan it
    returns has every URL and, when it is to ``learn``, what its own pages are drawn from."""
    assert _shared is not None
    sink, env, plan, previous, stamps, taken = _shared
    mine, learn = job
    target = _take(taken)
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
        ours = position == target
        if ours:
            target = _take(taken)
        try:
            rel = output_file(page.url)
        except UnsafeURL as exc:
            unwritable.append(Diagnostic("error", page.url, 1, 1, str(exc)))
            continue
        if rel in claimed:
            unwritable.append(Diagnostic("error", page.url, 1, 1, f"two pages want to write {rel!r}"))
            continue
        claimed.add(rel)
        if ours:
            before = previous.get(page.url)
            stamp = stamps.get(rel)  # None: no file the last build left here to keep (a new output folder)
            if before is not None and before.rel == rel and stamp is not None:  # keyed as it was, with the bodies it read
                key, drawn_from = digest_page(page, before.bodies, shared)
                if key and key == before.key and sink.reuse(rel, stamp):
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


def _take(taken: Synchronized[int]) -> int:
    """The place in the plan of the next page no worker took, taken."""
    with taken.get_lock():
        place = taken.value
        taken.value = place + 1
    return place
