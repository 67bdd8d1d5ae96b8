"""Wire the pipeline to the preview server: in-memory builds, file watching, search indexing."""

from __future__ import annotations

import gc
import time
from dataclasses import replace
from pathlib import Path
import webbrowser
from operator import attrgetter
from typing import Callable, Collection, Iterable, Sequence

from .. import uptodate
from ..bodystore import BodyStore
from ..collector import paused
from ..config import load_config
from ..emit.search import BUNDLE, MANIFEST, SPARE
from ..engine import Engine, Production
from ..model import Diagnostic
from ..interrupt import stopped_as_interrupted
from ..sitelayout import BuildOptions, SiteLayout
from .http import start_server
from .searching import PreviewSearch
from .state import FileData, PreviewState, Snapshot, rebuild_loop
from .watch import Debouncer, watch


class MemorySink(dict[str, FileData]):
    """A build's files by path, kept in memory (a page may be a function making it when first
    read). Made from the ``last`` build's files, it starts with them, so that the engine writes
    only the pages it plans again; ``written`` names the files this build put in it."""

    def __init__(self, last: MemorySink | None = None) -> None:
        super().__init__(last or {})
        self.carried = last is not None
        self.last_written: frozenset[str] | set[str] = last.written if last is not None else frozenset()
        self.written: set[str] = set()
        self.relied_on = False  # the engine wrote only the pages it planned again, keeping every other

    def write(self, rel: str, data: bytes) -> None:
        self[rel] = data
        self.written.add(rel)

    def write_later(self, rel: str, make: Callable[[], bytes]) -> None:
        self[rel] = make
        self.written.add(rel)

    def reuse(self, rel: str, stamp: tuple[int, int]) -> bool:
        return False  # nothing of an earlier build is on disk

    def last(self, rel: str, stamp: tuple[int, int]) -> bytes | None:
        data = self.get(rel) if rel not in self.written else None
        return data if isinstance(data, bytes) else None

    def holds_last_build(self) -> bool:
        self.relied_on = self.carried
        return self.carried

    def keep(self, rels: Iterable[str]) -> None:
        """Every file of the last build is here already (``drop_stale`` removes those no longer made)."""

    def drop_stale(self, pages: Callable[[], Iterable[str]]) -> frozenset[str]:
        """Remove what the last build put here and this one neither wrote nor kept among its
        ``pages`` (a file no longer made); returns what it wrote or removed. A build that
        relied on the sink holding the last one kept every page it did not write, so only what
        the last build wrote (its pages planned again, static files, images) can be stale: the
        ``pages`` of the whole site are looked through only when some of that was not written again."""
        if not self.carried:
            return frozenset(self.written)
        candidates = (self.last_written if self.relied_on else self.keys()) - self.written
        stale = candidates - set(pages()) if candidates else set()
        for rel in stale:
            del self[rel]
        return frozenset(self.written | stale)


def memory_builder(layout: SiteLayout, options: BuildOptions, open_pages: Callable[[], Collection[str]] = frozenset,
                   built: Callable[[Production], None] = lambda made: None) -> Callable[[frozenset[str] | None], Snapshot]:
    """A function building the site into memory; it remembers reads and rendered pages between
    calls, and turns an unexpected failure into a diagnostic instead of raising. Changed pages
    are rendered at once only when ``open_pages`` (files shown in a browser) names them, the
    others when first asked for. The first build starts from the state the last command-line
    build saved in the cache folder, when there is one: only the notes changed since are read."""
    engine = Engine(layout, options, render_now=lambda rel: rel in open_pages())
    if options.cache:  # the collector waits: it would walk every object restored, which all live on
        with paused(), BodyStore.borrowed(layout.cache) as bodies:  # read, never written: builds go on beside the preview
            if bodies is not None:
                engine.restore({}, bodies)  # no file of that build's output is served
                gc.freeze()  # as long as the preview: later collections skip them
    version = 0
    last: MemorySink | None = None  # the files of the last build, which the next one starts from

    def rebuild(touched: frozenset[str] | None = None) -> Snapshot:
        """Build again; ``touched`` (from the watcher) names the only files that may have changed
        in place, so the others are not looked at (None: look at every file)."""
        nonlocal version, last
        version += 1
        files = MemorySink(last)
        try:
            made = engine.produce(files, touched=touched)
        except Exception as exc:  # the preview must survive anything a half-saved file can do
            last = None  # what the engine kept may be half updated: the next build writes every file
            return Snapshot({}, (Diagnostic("error", str(layout.content), 1, 1, f"build failed: {exc!r}"),), version)
        changed = files.drop_stale(lambda: map(attrgetter("rel"), engine.pages.values()))
        if last is None:
            engine.warm()  # the first edit takes as long as the others
        last = files
        built(made)
        return Snapshot(files, made.diagnostics, version, changed if files.carried else None)

    return rebuild


def _built_search(layout: SiteLayout) -> Path | None:
    """The search folder the last build of the site made: in the output folder it was built
    into (``-o``, as its manifest in the cache folder says) or the default one, else the copy the
    cache folder keeps (None when there is none)."""
    last = uptodate.load(layout.cache)
    outputs = [Path(last.out)] if last is not None else []
    for folder in (*(out / BUNDLE for out in (*outputs, layout.out)), layout.cache / SPARE):
        if (folder / MANIFEST).is_file():
            return folder
    return None


def run_preview(layout: SiteLayout, host: str, port: int, *, drafts: bool, open_browser: bool, poll: bool,
                search: bool, echo: Callable[[str], None], allowed_hosts: Iterable[str] = (),
                show: Callable[[Sequence[Diagnostic]], None] | None = None) -> None:
    """Serve until interrupted (Ctrl-C stops within a second), to requests whose ``Host`` is an
    address, localhost, ``host`` or one of ``allowed_hosts``. ``show`` prints the first build's
    problems (default: one line each)."""
    options = BuildOptions(drafts=drafts, search=False)
    config, _ = load_config(layout.root)
    state = PreviewState(Snapshot({}), config.base_path, allowed_hosts=frozenset((host, *allowed_hosts)))
    searching = PreviewSearch(state, echo, _built_search(layout)) if search else None

    def built(made: Production) -> None:
        if searching is not None:
            searching.offer(made.graph, made.config.language)

    rebuild = memory_builder(layout, options, state.open_pages, built)
    started = time.perf_counter()
    first = rebuild(None)
    if show is not None:
        show(first.diagnostics)
    else:
        for diagnostic in first.diagnostics:
            echo(str(diagnostic))
    with state.lock:  # the search bundle may be served already
        state.snapshot = replace(first, files={**first.files, **state.extra_files})
    gc.freeze()  # the first build's objects live as long as the server: later collections skip them
    server = start_server(state, host, port)
    address = f"http://{host if ':' not in host else f'[{host}]'}:{server.server_address[1]}{config.base_path}"
    echo(f"built {sum(1 for r in first.files if r.endswith('.html'))} pages in {time.perf_counter() - started:.2f} s; "
         f"serving {address} (Ctrl-C to stop)")
    def report(snapshot: Snapshot, change: object, seconds: float, processor: float) -> None:
        errors = snapshot.errors
        for diagnostic in errors:
            echo(str(diagnostic))
        pages = len(getattr(change, "pages", ()))
        echo(f"rebuilt in {seconds * 1000:.0f} ms ({processor * 1000:.0f} ms of processor time): "
             f"{pages} page{'s' if pages != 1 else ''} changed"
             + (f", {len(errors)} errors (serving the last good site)" if errors else ""))

    run = rebuild_loop(state, rebuild, report)
    debouncer = Debouncer(run)
    observer = watch(layout.inputs(), debouncer.poke, poll=poll)
    if open_browser:
        webbrowser.open(address)
    try:
        with stopped_as_interrupted():
            while True:
                time.sleep(0.2)
    except KeyboardInterrupt:
        echo("stopping")
    finally:
        state.stopping.set()
        if searching is not None:
            searching.close()
        debouncer.cancel()
        observer.stop()  # type: ignore[attr-defined]
        server.shutdown()
        server.server_close()
