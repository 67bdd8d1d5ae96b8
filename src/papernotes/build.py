"""Run the pipeline: read → graph → plan → render → write, collecting diagnostics."""

from __future__ import annotations

import os
import resource
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import jinja2

from . import output
from .assets import AssetFinder
from .config import Config, load_config, with_overrides
from .graph import build_graph
from .model import Diagnostic, Note, Page, ReadResult, TextFile
from .pages import plan_pages
from .reading import ReadCache, ReadInputs, read_site
from .registry import Registry, load_registry
from .render import make_environment, render_page
from .search import BUNDLE as SEARCH_BUNDLE, index_site
from .sources import discover
from .theme import theme_dir
from .urls import UnsafeURL, output_file

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
        """Where reads are cached between builds (git-ignored)."""
        return self.root / CACHE_DIR

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

    @property
    def errors(self) -> int:
        return sum(d.severity == "error" for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return sum(d.severity == "warning" for d in self.diagnostics)


def site_config(layout: SiteLayout, options: BuildOptions) -> tuple[Config, tuple[Diagnostic, ...]]:
    config, problems = load_config(layout.root)
    return with_overrides(config, base_url=options.base_url, drafts=options.drafts or None), problems


def read_notes(layout: SiteLayout, config: Config, registry: Registry, *, use_cache: bool = False,
               workers: int = 1) -> ReadResult:
    """Read every note file of the site (drafts dropped unless the config asks for them)."""
    paths = discover(layout.content, exclude=(layout.out, layout.templates, layout.static, layout.cache))
    inputs = ReadInputs(layout.content, config, registry, AssetFinder.scan(layout.content, layout.static, skip=(layout.out,)))
    cache = ReadCache(layout.cache, inputs.digest()) if use_cache else None
    return read_site(paths, inputs, cache, workers)


def build(layout: SiteLayout, options: BuildOptions = BuildOptions()) -> BuildResult:
    """Build the site into ``layout.out``; the old output stays intact if anything fails."""
    clock = _Stopwatch()
    config, problems = site_config(layout, options)
    output.check_output_dir(layout.out, options.force)
    registry = load_registry(layout.content)
    read = read_notes(layout, config, registry, use_cache=options.cache, workers=options.workers)
    clock.lap("read")
    graph = build_graph(read.notes, config.base_path, registry)
    clock.lap("graph")
    pages = plan_pages(graph, config)
    diagnostics = [*problems, *registry.diagnostics, *read.diagnostics, *graph.diagnostics]
    env = make_environment(config, layout.templates)
    staging = output.start(layout.out)
    try:
        written = _write_pages(staging, env, pages, diagnostics)
        for url, source in sorted({url: source for note in graph.notes for url, source in note.body.assets}.items()):
            staging.copy_file(Path(source), output_file(url))
        for static in (theme_dir() / "static", layout.static):
            if static.is_dir():
                staging.copy_tree(static)
        clock.lap("plan+render+write")
        if options.search:
            html_changed = any(rel.endswith(".html") for rel in staging.changed)
            if html_changed or not staging.reuse_tree(SEARCH_BUNDLE):
                problem = index_site(staging.root)
                if problem:
                    diagnostics.append(problem)
            clock.lap("search")
        output.finish(staging)
        clock.lap("swap")
    except BaseException:
        output.abandon(staging)
        raise
    return BuildResult(graph.notes, written, tuple(diagnostics), clock.total(), layout.out, tuple(clock.laps))


class _Stopwatch:
    """Seconds spent in each stage, for ``build -v`` and the benchmarks."""

    def __init__(self) -> None:
        self.started = self.last = time.perf_counter()
        self.laps: list[tuple[str, float]] = []

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps.append((name, now - self.last))
        self.last = now
        self.peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    def total(self) -> float:
        return time.perf_counter() - self.started


def _write_pages(staging: output.Staging, env: jinja2.Environment, pages: Iterable[Page | TextFile],
                 diagnostics: list[Diagnostic]) -> int:
    written = 0
    for page in pages:
        origin = page.context.get("note") if isinstance(page, Page) else None
        where = origin.source.path if isinstance(origin, Note) else page.url
        try:
            text = page.text if isinstance(page, TextFile) else render_page(env, page)
            staging.write(output_file(page.url), text.encode("utf-8"))
            written += 1
        except (UnsafeURL, output.OutputError) as exc:
            diagnostics.append(Diagnostic("error", where, 1, 1, str(exc)))
        except jinja2.TemplateError as exc:
            diagnostics.append(_template_problem(exc, where))
    return written


def _template_problem(exc: jinja2.TemplateError, page: str) -> Diagnostic:
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return Diagnostic("error", exc.filename or exc.name or "template", exc.lineno or 1, 1, f"template error: {exc.message}")
    return Diagnostic("error", page, 1, 1, f"template error while rendering: {exc}")

