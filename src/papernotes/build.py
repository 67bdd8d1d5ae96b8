"""Build a site into its output folder: an engine restored from the cache folder runs the
pipeline into a staging folder, which then replaces the output at once; nothing is done when
nothing changed since the last build.

The pipeline is imported only once a build has to run: finding that nothing changed loads
none of it (``papernotes build`` on an up-to-date site is done before Markdown or templates
could be loaded)."""

from __future__ import annotations

import gc
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Mapping

from . import inplace, lookahead, output, uptodate
from .collector import paused, seldom
from .model import Diagnostic, Note, Progress, ReadResult, no_progress
from .sitelayout import CACHE_DIR, BuildOptions, SiteLayout, site_config, static_files, user_cache_dir

if TYPE_CHECKING:
    from .bodystore import BodyStore
    from .config import Config
    from .engine import Engine
    from .papers.registry import Registry

READ_AHEAD = 20  # changed note files read while the state is restored; more are read by the build's pool

__all__ = ["CACHE_DIR", "BuildOptions", "BuildResult", "KeptEngine", "SiteLayout", "build", "read_notes", "site_config",
           "static_files", "user_cache_dir"]


@dataclass(frozen=True)
class BuildResult:
    """What a build did: the notes published, pages written, problems and time taken."""

    notes: tuple[Note, ...]
    pages: int
    diagnostics: tuple[Diagnostic, ...]
    seconds: float
    out_dir: Path
    timings: tuple[tuple[str, float], ...] = ()
    changed: tuple[str, ...] = ()  # output files whose bytes changed (a build in place: or that it deleted)
    up_to_date: int | None = None  # the last build's note count, when nothing changed since it and nothing was done
    site_origin: str = ""  # ``scheme://host`` of the base URL built for ("": pages carry relative URLs)

    @property
    def errors(self) -> int:
        return sum(d.severity == "error" for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return sum(d.severity == "warning" for d in self.diagnostics)


class KeptEngine:
    """The engine of one process's builds, kept between them (``papernotes build --watch``): a
    build after the first starts from what the last one left in memory, not from the cache
    folder, unless another build wrote the site meanwhile. Its state is saved to the cache
    folder when ``save`` is called (once the changes settle), not by each build, and it holds
    the cache folder's store of bodies until ``close``."""

    def __init__(self) -> None:
        self.engine: Engine | None = None
        self.unsaved: str | None = None  # the basis of the last build, while its state is not saved

    def save(self) -> None:
        """Keep in the cache folder the state of the last build, for a later build of another
        process (nothing when it is kept already)."""
        if self.engine is None or self.unsaved is None:
            return
        gc.freeze()  # all the builds made lives on while it is saved: the collector need not walk it
        try:
            self.engine.save(self.unsaved)
        finally:
            gc.unfreeze()
        self.unsaved = None

    def close(self) -> None:
        """Save the state, then let another build keep its bodies in the cache folder: this
        process builds no more."""
        self.save()
        self.let_go()

    def let_go(self) -> None:
        """Forget the engine, its state unsaved (what it holds is not the site's any more)."""
        if self.engine is not None and self.engine.store is not None:
            self.engine.store.release()
        self.engine, self.unsaved = None, None


def read_notes(layout: SiteLayout, config: Config, registry: Registry) -> ReadResult:
    """Every note file of the site read afresh (drafts dropped unless the config asks for them)."""
    from .engine import Engine

    return Engine(layout, BuildOptions(cache=False, workers=1)).read(config, registry)


def build(layout: SiteLayout, options: BuildOptions = BuildOptions(), progress: Progress = no_progress,
          looked: uptodate.Check | None = None, kept_engine: KeptEngine | None = None) -> BuildResult:
    """Build the site into ``layout.out``; the old output stays intact if anything fails.
    ``looked``: the up-to-date check already made of this site with these options, if any
    (``launch`` makes it before the command line is parsed). ``kept_engine``: the engine of this
    process's last build of the site with these options, to start from (and keep this one's).
    The cycle collector runs ``seldom`` meanwhile."""
    with seldom():
        return _build(layout, options, progress, looked, kept_engine)


def _build(layout: SiteLayout, options: BuildOptions, progress: Progress, looked: uptodate.Check | None,
           kept_engine: KeptEngine | None) -> BuildResult:
    started, began = time.perf_counter(), time.time()
    output.check_output_dir(layout.out, options.force, layout.inputs())
    if not options.cache:
        looked = None
    else:
        asked = (layout.folders(), os.fspath(layout.cache), uptodate.options_key(options.drafts, options.base_url, options.search))
        if looked is None or looked.asked != asked:
            looked = uptodate.check(*asked, began)
        last = looked.last
        problems = looked.manifest.diagnostics() if last is not None and looked.manifest is not None else None
        engine_wanted = kept_engine is not None and kept_engine.engine is None  # to keep for the next build
        if last is not None and problems is not None and not engine_wanted:  # problems gone with its details: built again to tell them
            return BuildResult((), last.pages, problems, time.perf_counter() - started, layout.out,
                               (("up to date", time.perf_counter() - started),), (), up_to_date=last.notes,
                               site_origin=last.site_origin)
    from .bodystore import BodyStore
    from .emit.search import BUNDLE, SPARE, Indexing, keep_spare
    from .engine import Engine, Keeps, Parallel, Stopwatch

    manifest = looked.manifest if looked is not None else None
    engine = _reusable(kept_engine, manifest)
    if engine is not None:
        kept = engine.store
    else:
        kept = BodyStore.lasting(layout.cache) if options.cache else None  # None: --no-cache, or another build holds it
    staging: output.Staging | inplace.InPlace | None = None
    searching: Indexing | None = None
    fresh = not layout.out.is_dir()  # no output folder: the last build's files went with it
    unsearched = not (layout.out / BUNDLE).is_dir()  # no search folder to take unchanged bundles from
    try:
        touched, differing = None, None
        with paused():  # what is restored lives as long as the build: the collector need not walk it, now or later
            if engine is not None and looked is not None and manifest is not None:  # as its last build left it
                engine.stamps = uptodate.output_stamps(manifest)
                changed = looked.changed_files()
                touched = _as_discovered(layout, changed) if changed is not None else None
            else:
                engine = Engine(layout, options, store=kept or _spill_store(layout, options),
                                keeps=Keeps.DIGESTS if kept is not None else Keeps.NOTHING, saves_aside=kept_engine is None)
                if kept is not None and manifest is not None and looked is not None:
                    touched, differing = _restore(engine, layout, options, looked)
            gc.freeze()
        if (fresh or manifest is None or manifest.out != os.fspath(layout.out)  # its stamps tell of no file here
                or (differing is not None and len(differing) >= len(engine.stamps))):  # nor does any file match them
            engine.stamps = {}
        if engine.stamps:
            current: Mapping[str, lookahead.Stamp]  # the files as the last build left them (looked at meanwhile, if not yet)
            if differing is None:
                current = lookahead.Unchanged(layout, engine.stamps)
            else:
                current = lookahead.as_left(engine.stamps, differing)
            staging = inplace.start(layout.out, engine.stamps, current)  # what the last build left is known: change only what differs
        else:
            staging = output.start(layout.out)
        searching = Indexing(staging, options.workers, layout.cache if options.cache else None) if options.search else None
        parallel = Parallel(staging, options.workers) if options.workers > 1 else None
        made = engine.produce(staging, progress, touched=touched, parallel=parallel,
                              beside=searching.start if searching is not None else None)
        diagnostics = list(made.diagnostics)
        clock = Stopwatch()
        if searching is not None:
            progress("indexing for search", 0, 0)
            problem = searching.result()
            if problem:
                diagnostics.append(problem)
            clock.lap("search")
        files = None  # the output's files, when known without looking
        if isinstance(staging, inplace.InPlace):
            files = inplace.finish(staging)
        else:
            output.finish(staging)
        clock.lap("swap")
    except BaseException:
        gc.unfreeze()
        if engine is not None:
            engine.abandon()
        if searching is not None:
            searching.stop()  # before its folder goes
        if isinstance(staging, inplace.InPlace):
            inplace.abandon(staging)
        elif staging is not None:
            output.abandon(staging)
        if kept is not None:
            kept.release()
        if kept_engine is not None:
            kept_engine.let_go()  # what it kept may be half updated (its store is ``kept``, let go above)
        raise
    if searching is not None and unsearched and kept is not None:  # the next build of a fresh checkout starts from it
        keep_spare(layout.out / BUNDLE, layout.cache / SPARE)
    if looked is not None:
        uptodate.remember(layout.cache, layout.out, looked.inputs, began,
                          uptodate.LastBuild.of(len(made.notes), made.pages, diagnostics, made.config.site_origin),
                          os.path.realpath(layout.content) if engine.dated_by_files() else None, files, hashed=looked.to_hash())
    basis = uptodate.basis_of(looked.inputs.key) if looked is not None else ""
    if kept is not None and kept_engine is not None:  # saved once the changes settle
        engine.basis = basis
        kept_engine.engine, kept_engine.unsaved = engine, basis
    elif kept is not None:
        gc.freeze()  # all the build made lives on while it is saved: the collector need not walk a graph built anew
        engine.save(basis)
        if engine.store is not None:
            engine.store.release()  # ``kept``, or the store it was compacted into
    gc.unfreeze()
    return BuildResult(made.notes, made.pages, tuple(diagnostics), time.perf_counter() - started, layout.out,
                       made.laps + tuple(clock.laps), tuple(sorted(staging.changed)), site_origin=made.config.site_origin)


def _reusable(kept_engine: KeptEngine | None, manifest: uptodate.Manifest | None) -> Engine | None:
    """The engine kept from this process's last build, when the output and the cache folder are
    still as that build left them (the manifest is the one it wrote); None otherwise."""
    engine = kept_engine.engine if kept_engine is not None else None
    if engine is None or manifest is None or manifest.basis != engine.basis or not engine.basis:
        if kept_engine is not None:
            kept_engine.let_go()
        return None
    return engine


def _restore(engine: Engine, layout: SiteLayout, options: BuildOptions,
             looked: uptodate.Check) -> tuple[frozenset[str] | None, list[str] | None]:
    """Restore ``engine`` as the last build left it (``looked`` has its manifest), while a forked
    process reads the notes changed since into the read cache and looks at the output files
    (``lookahead``). The note files changed (None: not known, or the state restored is not that
    build's: every file is looked at), and the output files no longer as that build left them
    (None: not looked at)."""
    manifest = looked.manifest
    assert manifest is not None
    stamps = uptodate.output_stamps(manifest)
    changed = looked.changed_files()
    notes = _as_discovered(layout, changed) if changed is not None else None
    ahead = lookahead.start(layout, options, notes if notes is not None and len(notes) <= READ_AHEAD else (), stamps)
    try:
        engine.restore(stamps)
    finally:
        differing = ahead.current() if ahead is not None else None  # done with the read cache: reading may begin
    return (notes if engine.basis == manifest.basis else None), differing


def _as_discovered(layout: SiteLayout, changed: frozenset[str]) -> frozenset[str]:
    """The files of the notes folder among ``changed`` (real paths, as the up-to-date check names
    them), by the paths discovery gives them."""
    content = os.fspath(layout.content)
    real = os.path.join(os.path.realpath(content), "")
    return frozenset(os.path.join(content, path[len(real):]) for path in changed if path.startswith(real))


def _spill_store(layout: SiteLayout, options: BuildOptions) -> BodyStore | None:
    """A nameless store for the bodies of a build that keeps no state (None: no store here)."""
    from .bodystore import BodyStore

    if not BodyStore.available():
        return None
    return BodyStore(_writable(layout.cache) if options.cache else None)  # --no-cache: nothing written beside the notes


def _writable(folder: Path) -> Path | None:
    """``folder``, created if need be; None (the system's temporary folder) when it cannot be."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None

