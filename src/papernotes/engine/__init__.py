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

The ``Engine`` is here; its parts each have a module: ``pages`` (the sinks, a page rendered when
read, the record of a page written, the plan), ``readcache`` (the reads kept), ``edits`` (what
an edit changed, and so which pages to plan again), ``pagekeys`` (a page's digest and what it
is drawn from), ``saved`` (the page digests and plan between processes) and ``parallel`` (the
render workers and the pages written aside).
"""

from __future__ import annotations

import enum
import functools
import hashlib
import itertools
import marshal
import operator
import os
import pickle
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping

import jinja2

from .. import __version__
from .. import bodystore
from ..collector import paused
from ..bodystore import BodyStore
from ..config import Config
from ..graph import Graph, build_graph
from ..graph.links import LinkIndex
from ..model import Diagnostic, Note, ReadResult, StoredText, TextFile
from ..sectioned import Place, Written
from ..names import Names
from ..emit import plan_pages
from ..emit.sitemap import SITEMAP, sitemap_file
from ..forked import Forked
from ..read.site import Progress, ReadInputs, no_progress, published, read as read_one
from ..papers.registry import Registry, RegistryFiles, load_registry
from ..render import compile_templates, compiled_templates, make_environment, render_reading
from ..sitelayout import BuildOptions, SiteLayout, site_config, static_files, templates_stamp
from ..read import relative_names, takes_file_date
from ..savedstate import Changes, Whole, changes_since, replayed
from ..urls import UnsafeURL, output_file
from ..walks import WalkMemo
from .copies import Copies
from .pages import Later, Plan, Planned, Rendered, Shared, Sink, UNKEYED, put, template_problem, write_one
from .readcache import LastRead, ReadCache, note_files, read_inputs
from .registryfiles import keep_registry_files, kept_registry_files, registry_stamps
from .saved import SavedPages, pages_data, pages_of, plan_data, plan_of
from .gathering import Gathered, gathered
from .edits import HELD_WHOLE, PAGE, TEXT, UNDER, Wanted, after_edit, after_rebuild, edited_notes, reads_none_of, shown_apart
from .pagekeys import dependencies, digest_page, page_key
from .parallel import Aside, Beside, Parallel, ParallelSink

PARALLEL_NOTES = 500  # below this many notes and papers (each a page or more) rendering in one process is as fast
ASIDE_BYTES = 1 << 20  # pages planned again for a forked process are written there when they were this large in all (forking costs more for less)
LARGE_PAGE = 1 << 18  # a page this large (a list of every note or paper) is written aside too…
MANY_PAGES = 200  # …when this many are planned again (a note added, deleted or re-dated moves the home page's lists)
_REL = operator.attrgetter("rel")  # a page's file
STATE_FORMAT = 39  # bump whenever what ``save`` writes changes shape
STATE = "engine.pickle"  # the reads and graph as last saved whole
CHANGES = "engine-changes.pickle"  # what changed in them since, and the plan and page digests


@dataclass(frozen=True)
class Production:
    """What one run of the engine made."""

    notes: tuple[Note, ...]
    pages: int
    diagnostics: tuple[Diagnostic, ...]
    laps: tuple[tuple[str, float], ...]
    graph: Graph
    config: Config


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
        self.registry_files: RegistryFiles = kept_registry_files(layout.cache) if options.cache else {}
        self.registry_kept = registry_stamps(self.registry_files)  # as the cache folder has them
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
        self.copies = Copies()  # the images and static files the last build copied, by their sources
        self.saved: Whole | None = None  # the reads and graph as last saved whole
        self.relinked: frozenset[str] | None = None  # notes swapped into the graph since (None: built anew)
        self.last_read: LastRead | None = None  # for a next build told which files changed
        self.gathering: tuple[LastRead | None, Gathered] | None = None  # the notes published after that read
        self.assets: tuple[Graph, list[tuple[str, str]]] | None = None  # the images the notes of a graph use
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
        before = self.graph
        graph, found = self._read_and_link(config, registry, progress, touched, clock)
        if parallel is not None and self.relinked is None and self.saved is not None and self.saves_aside:
            self._save_whole_aside()
        diagnostics = [*problems, *registry.diagnostics, *found]
        env = self._environment(repr(config) + templates_stamp(layout.templates), config)
        begin = (lambda: beside(graph, config)) if beside is not None else (lambda: None)
        if parallel is not None and self._renders_all() and len(graph.notes) + len(graph.papers.papers) >= PARALLEL_NOTES:
            progress("writing pages", 0, 0)  # every page planned and keyed: in worker processes, each keeping what it can
            written, self.pages, self.plan = parallel.everything(env, lambda: plan_pages(graph, config), diagnostics,
                                                                 self.keeps is not Keeps.NOTHING, self.pages, self.stamps, begin)
            self.plan.setup = self.setup if self.plan.setup else ""
        else:  # the collector waits: it would walk the graph just made, which lives on, for pages that leave no cycles
            with paused():
                pages, replanned, let_go, fresh = self._plan(graph, config)
                written = self._write_pages(sink, env, pages, replanned, let_go, diagnostics, progress,
                                            functools.partial(self._plan_again, graph, config), parallel, begin, fresh)
        if self.render_now is not None:  # the preview renders the pages on screen alone: a template's error is told anyway
            diagnostics.extend(problem for problem in (template_problem(exc, "template") for exc in compile_templates(env))
                               if problem not in diagnostics)
        assets = self._assets(graph, before)
        static = static_files(layout, self.walks if self.keeps is not Keeps.NOTHING else None)
        self.copies.copy(sink, [*((output_file(url), source) for url, source in assets),
                                *((rel, os.fspath(path)) for rel, path in sorted(static.items()))],
                         self.stamps, self.inputs.images if self.inputs is not None else {})
        clock.lap("plan+render+write")
        return Production(graph.notes, written, tuple(diagnostics), tuple(clock.laps), graph, config)

    def _assets(self, graph: Graph, before: Graph | None) -> list[tuple[str, str]]:
        """Each image and attachment the notes use, as (URL, file) by URL: the last build's when
        ``graph`` is the one it built (``before``) with some notes swapped in place, each using
        the files it used."""
        kept = self.assets
        if kept is not None and before is not None and kept[0] is before and graph.positions is before.positions \
                and self.changed is not None:
            notes = [(before.notes[before.positions[i]], graph.notes[graph.positions[i]])
                     for i in edited_notes(self.changed) if i in graph.positions]
            if all(old.body.assets == new.body.assets for old, new in notes):
                self.assets = (graph, kept[1])
                return kept[1]
        assets = sorted({url: source for note in graph.notes for url, source in note.body.assets}.items())
        self.assets = (graph, assets) if self.keeps is not Keeps.NOTHING else None
        return assets

    def _read_and_link(self, config: Config, registry: Registry, progress: Progress, touched: frozenset[str] | None,
                       clock: Stopwatch) -> tuple[Graph, list[Diagnostic]]:
        """The graph of the notes read, and the problems found on the way (the notes as read
        are let go here unless the engine keeps them)."""
        before, kept = self.last_read, self.gathering
        self.gathering = None
        results, changed = self._results(config, registry, progress, touched)
        clock.lap("read")
        last = kept[1] if kept is not None and before is not None and kept[0] is before else None  # gathered from that read
        gathering = gathered(results, config.drafts, config.base_path, last, changed)
        if self.keeps is not Keeps.NOTHING:
            self.gathering = (self.last_read, gathering)
        with paused():  # the graph lives on: a collection would walk it for nothing
            graph = self._graph(gathering.notes, config, registry)
        clock.lap("graph")
        return graph, [*gathering.problems, *graph.diagnostics]

    def read(self, config: Config, registry: Registry, progress: Progress = no_progress,
             touched: frozenset[str] | None = None) -> ReadResult:
        """Every note file of the site read, or recalled when neither it nor what its reading
        depends on changed (drafts dropped unless the config asks for them)."""
        results, _ = self._results(config, registry, progress, touched)
        return published((result for result in results if result is not None), config.drafts)

    def _results(self, config: Config, registry: Registry, progress: Progress,
                 touched: frozenset[str] | None) -> tuple[list[ReadResult | None], list[int] | None]:
        """Each note file's result, read or recalled, and the places of those that may differ
        from the last read's (None: any may)."""
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
        changed: list[int] | None = None
        if cached and touched is not None and last is not None and last.paths is paths and last.inputs == inputs.key:
            rels, results = last.rels, list(last.results)  # the same walk: only the files touched are looked at
            changed = last.places(touched)
            for index in changed:
                results[index] = self.reads.recall(rels[index], paths[index], inputs)
        else:
            rels = relative_names(paths, layout.content)
            results = [self.reads.recall(rel, path, inputs, look=touched is None or path in touched)
                       if cached else None for rel, path in zip(rels, paths)]
            if cached and last is not None and last.paths is paths and last.inputs == inputs.key:  # the same walk
                changed = [index for index, (was, now) in enumerate(zip(last.results, results)) if was is not now]
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
        if changed is not None and (unknown or redated):
            changed = sorted({*changed, *unknown, *redated})
        return results, changed

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
                    self.relinked |= edited_notes(self.changed)
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

    def _plan(self, graph: Graph, config: Config) -> tuple[Iterable[Planned | str], set[str] | None, bool, dict[str, Planned]]:
        """Every page of the site, the URLs planned again (None: all), whether any page kept
        was let go, and the pages planned again by URL (none when all were). Only the pages that
        hold a changed note or paper, that the edit names (``PAGE``, ``UNDER``: any page under
        such a prefix, made, kept or gone; the sitemap with them) or that the last build did not
        keep, are planned again when config, templates and the site's shape are what they were;
        a page not held in memory (a one-off build keeps none, the preview not the pages it
        leaves to be planned when read) then comes as its URL. A plan in full is learnt as its
        pages are written."""
        memo, changed = self.plan, self.changed
        if changed is None or self._plans_in_full():
            self.plan = Plan()
            return plan_pages(graph, config), None, True, {}
        shown = shown_apart(changed)
        affected = set().union(*(self._holding(memo, key, shown) for key in changed))
        affected.update(self._reading(memo, {key.removeprefix(TEXT) for key in changed if key.startswith(TEXT)}))
        affected.update(memo.pages.keys() - self.pages.keys())  # made every time, or failed last time
        under = tuple(key.removeprefix(UNDER) for key in changed if key.startswith(UNDER))
        were_under = {url for url in memo.pages if url.startswith(under)} if under else set()
        named = {key.removeprefix(PAGE) for key in changed if key.startswith(PAGE)} | were_under
        waiting = {url for url in affected - named  # planned when read (what it holds may not change)
                   if self._waits(memo.pages.get(url), self.pages.get(url))}
        affected |= named
        wanted = affected - waiting  # looked up for every note and paper: a set's own lookup, but for a tag edit
        fresh: dict[str, Planned] = {}
        # pages the last plan made, whose URLs no emitter can newly claim (no page named, no
        # prefix, no site emitter): the emitters after the one giving the last are not run
        unfound = set(wanted) if not named and not under and not config.plugins.emitters and wanted <= memo.pages.keys() else None
        for page in plan_pages(graph, config, only=Wanted(wanted, under) if under else wanted) if unfound != set() else ():
            if page.url in fresh:  # two pages want one URL: planned in full, which tells it as a cold build does
                self.plan = Plan()
                return plan_pages(graph, config), None, True, {}
            fresh[page.url] = page
            if unfound is not None:
                unfound.discard(page.url)
                if not unfound:
                    break
        gone: set[str] = set()
        if under:
            made = {url for url in fresh if url.startswith(under)} - were_under
            gone = were_under - set(fresh)
            if config.plugins.emitters or not made.isdisjoint(memo.pages):  # a site's own pages may show tags
                self.plan = Plan()  # without their notes; or a page made where another was: planned in full
                return plan_pages(graph, config), None, True, {}
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
        return (fresh.get(url) or page or url for url, page in memo.pages.items()), affected, bool(gone), fresh

    def _plans_in_full(self) -> bool:
        """Whether every page is planned: the graph was built anew, or the plan kept is not of these templates."""
        return self.changed is None or self.plan.setup != self.setup or not self.plan.pages

    def _renders_all(self) -> bool:
        """Whether every page is to be rendered: planned in full, or no page of the last build
        can be written as it was, none held in memory and none of its files at hand (a build into
        an output folder that is not there, or not the last build's: a fresh checkout with the
        cache folder kept, as the publishing workflows keep it)."""
        return self._plans_in_full() or (self.keeps is not Keeps.PAGES and not self.stamps)

    def _holding(self, memo: Plan, key: str, shown: Mapping[str, frozenset[str]]) -> Iterable[str]:
        """The pages holding the changed note or paper ``key``, but the lists that read of their
        notes none of the fields that ``shown`` says an edit changed in it (held in a view)."""
        urls = memo.dependents.get(key, ())
        fields = shown.get(key)
        if fields is None or not urls:
            return urls
        whole = memo.dependents.get(HELD_WHOLE + key, ())
        return [url for url in urls if url in whole or not reads_none_of(self.pages.get(url), fields)]

    def _reading(self, memo: Plan, held: set[str]) -> Iterator[str]:
        """The pages that may show the text of a changed note through the notes and papers
        ``held`` (``note:ID``, ``paper:ID``, told as ``TEXT``: their cards are the same): those
        holding one of them whole, or through a view and having read a changed note's body (or
        not known to have read none)."""
        edited = edited_notes(self.changed or ())
        for key in held:
            yield from memo.dependents.get(HELD_WHOLE + key, ())
            for url in memo.dependents.get(key, ()):
                page = self.pages.get(url)
                if page is None or page.bodies is None or not page.bodies.isdisjoint(edited):
                    yield url

    def _write_pages(self, sink: Sink, env: jinja2.Environment, pages: Iterable[Planned | str], replanned: set[str] | None,
                     let_go: bool, diagnostics: list[Diagnostic], progress: Progress,
                     plan_again: Callable[[set[str] | None], Iterable[Planned]], parallel: Parallel | None = None,
                     begin: Callable[[], None] = lambda: None, fresh: Mapping[str, Planned] | None = None) -> int:
        """Render and write ``pages``; those not ``replanned`` since the last build are written as
        they were then (a page known by its URL alone is planned again when it cannot be).
        Pages no longer planned are forgotten. A sink that holds the last build is given only the
        pages planned again (``fresh``, by URL), and told to keep the others, unless some page
        kept was ``let_go`` (the sink is then given every page, so that it tells what it holds
        that no page made). Given ``parallel``, the text
        files planned again (graph.json, feeds, citation files: each made from many notes) are
        written by a forked process meanwhile, when they were large (``ASIDE_BYTES``), and so
        are the large pages (the lists of every note or paper, ``LARGE_PAGE``) when this process
        has many others to write (``MANY_PAGES``: a note added, deleted or re-dated moves the
        home page's lists). ``begin`` is called once any process is forked."""
        carried = replanned is not None and not let_go and self.keeps is not Keeps.NOTHING and sink.holds_last_build()
        if carried:  # a partial plan keeps every URL, and the sink has each kept page
            assert replanned is not None
            in_plan, fresh = self.plan.pages, fresh or {}  # the URLs planned again in plan order, looked for in C
            pages = [fresh.get(url) or in_plan[url] or url for url in filter(replanned.__contains__, in_plan)]
        aside: Forked[Aside] | None = None
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
            sink.keep(map(_REL, self.pages.values()))  # each page not planned again, as the last build left it
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

    def _write_aside(self, sink: ParallelSink, env: jinja2.Environment, keyed: list[tuple[Planned, bytes | None]]) -> Aside:
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

    def _plan_again(self, graph: Graph, config: Config, only: set[str] | None) -> Iterator[Planned]:
        """The pages at the URLs ``only`` planned again (None: every page); the sitemap, which
        lists every page, made from the URLs the plan lists."""
        if only is not None and SITEMAP in only:
            yield sitemap_file(graph, config, self.plan.listed)
        yield from plan_pages(graph, config, only=only)

    def _write_unplanned(self, sink: Sink, env: jinja2.Environment, url: str, rel: str,
                         plan: Callable[[set[str] | None], Iterable[Planned]]) -> None:
        """Write the page at ``url`` (as ``rel``, the file it was last) to be planned and
        rendered when first read: a partial plan keeps every URL, so it is planned then."""

        def make() -> bytes:
            (page,) = plan({url})
            return render_reading(env, page)[0]

        data = Later(make)
        put(sink, rel, data)
        self.pages[url] = Rendered(UNKEYED, rel, data)

    def _write_kept(self, sink: Sink, kept: Rendered) -> bool:
        """Write a page unchanged since the last build as it was then: its bytes, or the file it
        left (when that still has its size and time); False when neither is at hand."""
        if kept.data is not None:
            put(sink, kept.rel, kept.data)
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
        put(sink, rel, data)
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
        formula converter (the newest note is read again, its result dropped), what planning
        asks of the papers (``PaperGraph.settle``) and their maps from each note and paper to
        the lists holding it, which an edit looks up."""
        if self.graph is None or self.inputs is None or not self.graph.notes:
            return
        newest = Path(self.graph.notes[0].source.path)
        if newest.is_file():
            read_one(newest, self.inputs)
        self.graph.papers.settle()
        self.graph.papers.listed_by

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
            if registry_stamps(self.registry_files) != self.registry_kept:
                keep_registry_files(cache, self.registry_files)
                self.registry_kept = registry_stamps(self.registry_files)
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
                                 "pages": pages_data(self.pages, self.saved_pages), "plan": plan_data(self.plan),
                                 "basis": basis, "head": self.reads.head,
                                 "images": self.reads.images, "site": self.reads.site,
                                 "registry digest": self.reads.registry, "copied": self.copies.copied,
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

    def _load(self, name: str, bodies: BodyStore | None) -> dict[str, Any]:
        with (self.layout.cache / name).open("rb") as handle:
            state = bodystore.load(handle, bodies)
        if state["format"] != STATE_FORMAT or state["version"] != __version__:
            raise ValueError("a state from another version")
        return state

    def restore(self, stamps: Mapping[str, tuple[int, int]], borrowed: BodyStore | None = None) -> "Engine":
        """This engine as the last command-line build left it (``save``), with the (size,
        modification time) ``stamps`` of the output files that build left; an unreadable,
        corrupt or older state is ignored (the build reads, links and renders every note), and
        so are the bodies its store kept. The notes' bodies are read from ``borrowed`` when it
        is given (the preview's: this engine keeps none in a store), else from the engine's own."""
        bodies = borrowed or self.store
        try:
            kept, state = self._load(STATE, bodies), self._load(CHANGES, bodies)
            whole, changes = kept["whole"], state["changes"]
            if state["token"] != whole.token:
                raise ValueError("changes made to another state")
            reads, notes_in, graph, walks = replayed(whole, changes, *kept["graph setup"])
            (pages, saved_pages), plan, basis = pages_of(state["pages"]), plan_of(state["plan"]), state["basis"]
            head, cards, copied = state["head"], marshal.loads(state["paper cards"]), Copies(state["copied"])
            if bodies is not None and not bodies.intact():
                raise ValueError("the bodies the state refers to are gone")
        except Exception:  # missing, written by another version or cut short: start cold
            if self.store is not None and self.store.lasts:
                self.store.clear()
            return self
        self.pages, self.saved_pages, self.setup, self.stamps, self.plan = pages, saved_pages, state["setup"], stamps, plan
        self.notes_in, self.graph, self.graph_setup = notes_in, graph, kept["graph setup"]
        # the walks copied: one taken again must not replace the saved whole's, or it looks like no change to save
        self.reads.memory, self.walks.walks = reads, dict(walks)
        self.reads.head, self.reads.images, self.reads.site = head, state["images"], state["site"]
        self.reads.registry, self.copies = state["registry digest"], copied
        self.saved, self.relinked, self.basis = whole, frozenset(changes.linked), basis
        for paper in graph.papers.papers:  # the cards a paper's lists took of it, while it is the same
            if paper.digest in cards:
                paper.shown_cards.update(cards[paper.digest])
        return self


class Stopwatch:
    """Seconds spent in each stage, for ``build -v`` and the benchmarks."""

    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.laps: list[tuple[str, float]] = []

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps.append((name, now - self.last))
        self.last = now
