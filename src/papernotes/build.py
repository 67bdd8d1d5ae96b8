"""Run the pipeline: read → graph → plan → render → write, collecting diagnostics."""

from __future__ import annotations

import hashlib
import html
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
import time
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Callable, Iterable, Protocol

import jinja2

from . import output, uptodate
from .markdown.assets import AssetFinder
from .bodystore import BodyStore
from .config import CONFIG_FILE, Config, load_config, with_overrides
from .graph.duplicates import merge_duplicates
from .graph.sections import list_section_children
from .graph import Graph, GraphMemo, build_graph
from .model import Diagnostic, DiagnosticError, Note, Page, ReadResult, TextFile
from .emit import plan_pages
from .replan import PlanMemo, plan_memoized
from .read.site import Progress, ReadCache, ReadInputs, no_progress, read_site
from .papers.registry import Registry, RegistryFiles, load_registry
from .render import make_environment, render_page
from .emit.search import update_bundle
from .read import discover
from .theme import ON_DEMAND, theme_dir
from .read.unsupported import once_per_site
from .urls import UnsafeURL, output_file
from .walks import WalkMemo

CACHE_DIR = ".papernotes-cache"


@dataclass(frozen=True)
class SiteLayout:
    """The folders of one site: notes, template and static overrides, output."""

    root: Path
    content: Path
    templates: Path
    static: Path
    out: Path

    @property
    def cache(self) -> Path:
        """Where reads are cached between builds (git-ignored): in a papernotes site folder; for a
        bare notes folder beside the output, or in the user cache folder when the output itself
        sits inside the notes, so that nothing is ever written into a folder of notes."""
        if self.content != self.root:
            return self.root / CACHE_DIR
        beside_output = self.out.parent
        if not beside_output.is_relative_to(self.content):
            return beside_output / CACHE_DIR
        return user_cache_dir() / hashlib.sha256(os.fsencode(self.content)).hexdigest()[:16]

    @classmethod
    def find(cls, site_dir: Path, out_dir: Path | None = None) -> "SiteLayout":
        """``site_dir/content`` holds the notes; a folder without one is itself the notes
        folder, and then the default output is ``./site`` of the current folder."""
        site_dir = site_dir.resolve()
        content = site_dir / "content"
        if content.is_dir():
            default_out = site_dir / "site"
        else:
            content = site_dir
            default_out = Path.cwd() / "site"
        return cls(site_dir, content, site_dir / "templates", site_dir / "static", (out_dir or default_out).resolve())


@dataclass(frozen=True)
class BuildOptions:
    drafts: bool = False
    base_url: str | None = None
    force: bool = False
    search: bool = True
    cache: bool = True
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)


@dataclass(frozen=True)
class BuildResult:
    """What a build did: the notes published, pages written, problems and time taken."""

    notes: tuple[Note, ...]
    pages: int
    diagnostics: tuple[Diagnostic, ...]
    seconds: float
    out_dir: Path
    timings: tuple[tuple[str, float], ...] = ()
    changed: tuple[str, ...] = ()  # output files whose bytes changed
    up_to_date: int | None = None  # the last build's note count, when nothing changed since it and nothing was done

    @property
    def errors(self) -> int:
        return sum(d.severity == "error" for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return sum(d.severity == "warning" for d in self.diagnostics)


def site_config(layout: SiteLayout, options: BuildOptions) -> tuple[Config, tuple[Diagnostic, ...]]:
    config, problems = load_config(layout.root)
    return with_overrides(config, base_url=options.base_url, drafts=options.drafts or None), problems


def read_notes(layout: SiteLayout, config: Config, registry: Registry, *, use_cache: bool = False, workers: int = 1,
               memo: RenderMemo | None = None, progress: Progress = no_progress, store: BodyStore | None = None,
               touched: frozenset[str] | None = None) -> ReadResult:
    """Read every note file of the site (drafts dropped unless the config asks for them)."""
    walks = memo.walks if memo is not None else None
    paths = discover(layout.content, exclude=(layout.out, layout.templates, layout.static, layout.cache), memo=walks)
    images = AssetFinder.scan(layout.content, layout.static, skip=(layout.out,), memo=walks)
    inputs = ReadInputs(layout.content, config, registry, images)
    cache = ReadCache(layout.cache, inputs.digest, memo.reads if memo is not None else {}) if use_cache else None
    return read_site(paths, inputs, cache, workers, progress, memo.renderers if memo is not None else None, store, touched)


class Sink(Protocol):
    """Where a build puts its files: a staging folder on disk, or memory for the preview server
    (which alone is handed ``Later`` pages, by setting ``RenderMemo.render_now``)."""

    def write(self, rel: str, data: bytes) -> None: ...


@dataclass
class RenderMemo:
    """What the previous build in this process rendered, so that a rebuild renders only pages
    whose context changed (the preview server keeps one; ``build`` alone starts empty)."""

    setup: str = ""
    pages: dict[str, tuple[object, str, bytes | Later]] = field(default_factory=dict)  # URL → (key, file, bytes)
    plan: PlanMemo = field(default_factory=PlanMemo)
    render_now: Callable[[str], bool] | None = None  # which changed pages to render at once; None: all
    reads: dict[str, tuple[tuple[int, int, float], str, ReadResult]] = field(default_factory=dict)
    renderers: dict = field(default_factory=dict)
    walks: WalkMemo = field(default_factory=WalkMemo)
    graph: GraphMemo = field(default_factory=GraphMemo)
    environment: jinja2.Environment | None = None
    registry_files: RegistryFiles = field(default_factory=dict)

    def start(self, setup: str, make: Callable[[], jinja2.Environment]) -> jinja2.Environment:
        """The template environment, made anew (and rendered pages forgotten) only when config or
        templates changed since the last build."""
        if setup != self.setup or self.environment is None:
            self.setup, self.pages, self.environment = setup, {}, make()
        return self.environment


@dataclass(frozen=True)
class Production:
    notes: tuple[Note, ...]
    pages: int
    diagnostics: tuple[Diagnostic, ...]
    laps: tuple[tuple[str, float], ...]
    graph: Graph
    config: Config


def produce(layout: SiteLayout, options: BuildOptions, sink: Sink, memo: RenderMemo | None = None,
            progress: Progress = no_progress, store: BodyStore | None = None,
            touched: frozenset[str] | None = None) -> Production:
    """Read, link, plan and render the whole site into ``sink``; ``progress`` hears how far it is;
    note bodies wait in ``store`` when one is given; with a memo, ``touched`` (a file watcher's
    word) names the only files that may have changed in place since the memo's build."""
    clock = _Stopwatch()
    config, problems = site_config(layout, options)
    registry = load_registry(layout.content, remembered=memo.registry_files if memo else None)
    read = read_notes(layout, config, registry, use_cache=options.cache, workers=options.workers,
                      memo=memo, progress=progress, store=store, touched=touched)
    clock.lap("read")
    notes, repeated = merge_duplicates(read.notes)
    notes = list_section_children(notes, config.base_path)
    graph = build_graph(notes, config.base_path, registry, config.urls.tag, config.urls.paper, memo=memo.graph if memo else None, store=store)
    clock.lap("graph")
    diagnostics = [*problems, *registry.diagnostics, *once_per_site(read.diagnostics), *repeated, *graph.diagnostics]
    def environment() -> jinja2.Environment:
        return make_environment(config, layout.templates)

    setup = repr(config) + _fingerprint(layout.templates)
    env = memo.start(setup, environment) if memo else environment()
    pages, replanned = plan_memoized(graph, config, memo.plan, setup, memo.graph.changed) if memo else (plan_pages(graph, config), None)
    if isinstance(sink, output.Staging) and memo is None and options.workers > 1 and len(graph.notes) + len(graph.papers.papers) >= PARALLEL_NOTES:
        progress("writing pages", 0, 0)
        written = _write_in_parallel(sink, env, lambda: plan_pages(graph, config), diagnostics, options.workers)
    else:
        written = _write_pages(sink, env, pages, diagnostics, memo, progress, replanned)
    for url, source in sorted({url: source for note in graph.notes for url, source in note.body.assets}.items()):
        sink.write(output_file(url), Path(source).read_bytes())
    for rel, path in sorted(static_files(layout).items()):
        sink.write(rel, path.read_bytes())
    clock.lap("plan+render+write")
    return Production(graph.notes, written, tuple(diagnostics), tuple(clock.laps), graph, config)


def static_files(layout: SiteLayout) -> dict[str, Path]:
    """The theme's static files with the site's own on top (hidden files left out)."""
    files: dict[str, Path] = {}
    for folder in (theme_dir() / "static", layout.static):
        if folder.is_dir():
            root = folder.resolve()
            on_demand = ON_DEMAND if folder == theme_dir() / "static" else None  # copied as the pages' assets
            for path in sorted(folder.rglob("*")):
                rel = path.relative_to(folder).as_posix()
                inside = path.resolve().is_relative_to(root)  # a symlink out of the folder is not published
                if on_demand and rel.startswith(on_demand):
                    continue
                if inside and path.is_file() and not any(part.startswith(".") for part in rel.split("/")):
                    files[rel] = path
    return files


def _fingerprint(folder: Path) -> str:
    if not folder.is_dir():
        return ""
    return "".join(f"{p}:{p.stat().st_mtime_ns};" for p in sorted(folder.rglob("*")) if p.is_file())


def build(layout: SiteLayout, options: BuildOptions = BuildOptions(), memo: RenderMemo | None = None,
          progress: Progress = no_progress) -> BuildResult:
    """Build the site into ``layout.out``; the old output stays intact if anything fails."""
    started, began = time.perf_counter(), time.time()
    output.check_output_dir(layout.out, options.force)
    digest = None
    if options.cache and memo is None:
        inputs = uptodate.site_inputs(layout.content, layout.templates, layout.static, layout.root / CONFIG_FILE)
        digest, newest = uptodate.inputs_digest(inputs, (layout.out, layout.cache), replace(options, workers=0, force=False))
        last = uptodate.recall(layout.cache, layout.out, digest, newest)
        if last is not None:
            return BuildResult((), last.pages, last.diagnostics, time.perf_counter() - started, layout.out,
                               (("up to date", time.perf_counter() - started),), (), up_to_date=last.notes)
    staging = output.start(layout.out)
    try:
        spill = _writable(layout.cache) if options.cache else None  # --no-cache: nothing written beside the notes
        store = BodyStore(spill) if BodyStore.available() and memo is None else None
        made = produce(layout, options, staging, memo, progress, store)
        diagnostics = list(made.diagnostics)
        clock = _Stopwatch()
        if options.search:
            progress("indexing for search", 0, 0)
            problem = update_bundle(staging, made.graph, made.config.language, options.workers)
            if problem:
                diagnostics.append(problem)
            clock.lap("search")
        output.finish(staging)
        clock.lap("swap")
    except BaseException:
        output.abandon(staging)
        raise
    if digest is not None:
        uptodate.remember(layout.cache, layout.out, digest, began, uptodate.LastBuild(len(made.notes), made.pages, tuple(diagnostics)))
    return BuildResult(made.notes, made.pages, tuple(diagnostics), time.perf_counter() - started, layout.out,
                       made.laps + tuple(clock.laps), tuple(sorted(staging.changed)))


def _writable(folder: Path) -> Path | None:
    """``folder``, created if need be; None (the system's temporary folder) when it cannot be."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None


def user_cache_dir() -> Path:
    """papernotes' folder in the user cache directory (``$XDG_CACHE_HOME``, else ``~/.cache``)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "papernotes"


class _Stopwatch:
    """Seconds spent in each stage, for ``build -v`` and the benchmarks."""

    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.laps: list[tuple[str, float]] = []

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps.append((name, now - self.last))
        self.last = now


def _write_pages(sink: Sink, env: jinja2.Environment, pages: Iterable[Page | TextFile], diagnostics: list[Diagnostic],
                 memo: RenderMemo | None, progress: Progress, replanned: set[str] | None = None) -> int:
    """Render and write ``pages``; those not ``replanned`` since the memo's build are written as
    they were then."""
    written = 0
    for page in pages:
        if written % 200 == 0:
            progress("writing pages", written, 0)
        kept = memo.pages.get(page.url) if memo is not None and replanned is not None and page.url not in replanned else None
        if kept is not None:
            sink.write(kept[1], kept[2])  # type: ignore[arg-type]  # Later: see Sink
            written += 1
            continue
        problem = _write_one(sink, env, page, memo)
        if problem is None:
            written += 1
        else:
            diagnostics.append(problem)
    return written


def _write_one(sink: Sink, env: jinja2.Environment, page: Page | TextFile, memo: RenderMemo | None) -> Diagnostic | None:
    """Render one page into the sink; a problem comes back as a diagnostic."""
    origin = page.context.get("note") if isinstance(page, Page) else None
    where = origin.source.path if isinstance(origin, Note) else page.url
    try:
        sink.write(*_page_file(env, page, memo))  # type: ignore[arg-type]  # Later: see Sink
    except (UnsafeURL, output.OutputError) as exc:
        return Diagnostic("error", where, 1, 1, str(exc))
    except DiagnosticError as exc:  # a file its maker could not make, with the place to look (a site plugin)
        return exc.diagnostic
    except jinja2.TemplateError as exc:
        return _template_problem(exc, where)
    except Exception as exc:  # the stage boundary: a note's page that cannot be made costs that page only;
        if isinstance(exc, OSError) or not isinstance(origin, Note):  # a full disk or a broken site page fails the build
            raise
        return Diagnostic("error", where, 1, 1, f"internal error while writing {page.url} (please report): "
                                                f"{type(exc).__name__}: {str(exc)[:300]}")
    return None


PARALLEL_NOTES = 500  # below this many notes and papers (each a page or more) rendering in one process is as fast
_shared: tuple[output.Staging, jinja2.Environment, Callable[[], Iterable[Page | TextFile]]] | None = None  # per render worker


def _write_in_parallel(staging: output.Staging, env: jinja2.Environment, plan: Callable[[], Iterable[Page | TextFile]],
                       diagnostics: list[Diagnostic], workers: int) -> int:
    """Render and write the pages of ``plan`` in ``workers`` forked processes. Each plans every
    page (so that no list of all pages is held) and writes every n-th one; the first also
    reports the pages that cannot be written, as the serial path does."""
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_render_worker,
                             initargs=(staging, env, plan)) as pool:
        shares = list(pool.map(_render_share, [(index, workers) for index in range(workers)]))
    written = 0
    problems: list[Diagnostic] = []
    for count, written_rels, changed_rels, found in shares:
        written += count
        staging.written |= written_rels
        staging.changed |= changed_rels
        problems.extend(found)
    diagnostics.extend(sorted(problems, key=lambda d: (d.path, d.line, d.col, d.message)))
    return written


def _start_render_worker(staging: output.Staging, env: jinja2.Environment, plan: Callable[[], Iterable[Page | TextFile]]) -> None:
    global _shared
    _shared = (output.Staging(staging.out_dir, staging.root, set(staging.written)), env, plan)


def _render_share(job: tuple[int, int]) -> tuple[int, set[str], set[str], list[Diagnostic]]:
    assert _shared is not None
    staging, env, plan = _shared
    mine, step = job
    claimed, unwritable, problems, written = set(staging.written), [], [], 0
    for position, page in enumerate(plan()):
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
            problem = _write_one(staging, env, page, None)
            written += problem is None
            problems += [problem] if problem else []
    return written, staging.written, staging.changed, problems + (unwritable if mine == 0 else [])  # told once


def _page_file(env: jinja2.Environment, page: Page | TextFile, memo: RenderMemo | None) -> tuple[str, bytes | Later]:
    """The page's file and bytes, from the memo when its template and context (or a file's key)
    are what they were; rendered when first read if the memo says nobody is looking at it."""
    if isinstance(page, TextFile):
        if memo is None or page.key is None:
            return output_file(page.url), page.make().encode("utf-8")
        key: object = ("text", page.key)
    else:
        key = (page.template, page.context)
    if memo is None:
        return output_file(page.url), (page.make() if isinstance(page, TextFile) else render_page(env, page)).encode("utf-8")
    previous = memo.pages.get(page.url)
    if previous is not None and previous[0] == key:
        return previous[1], previous[2]
    rel = output_file(page.url)

    text = page.make if isinstance(page, TextFile) else partial(render_page, env, page)

    def make() -> bytes:
        return text().encode("utf-8")

    note_page = isinstance(page, Page) and isinstance(page.context.get("note"), Note)
    later = memo.render_now is not None and previous is not None and not note_page and not memo.render_now(rel)
    data: bytes | Later = Later(make) if later else make()
    memo.pages[page.url] = (key, rel, data)
    return rel, data


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


def _template_problem(exc: jinja2.TemplateError, page: str) -> Diagnostic:
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return Diagnostic("error", exc.filename or exc.name or "template", exc.lineno or 1, 1, f"template error: {exc.message}")
    return Diagnostic("error", page, 1, 1, f"template error while rendering: {exc}")

