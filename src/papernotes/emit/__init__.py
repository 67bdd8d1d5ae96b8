"""Emit: plan every output file of the site from the graph and the config.

Each output kind has one module here with one ``emit(graph, config, wanted) -> Iterator[Page |
TextFile]``, registered in ``EMITTERS`` (a site's own emitters, named under ``plugins:`` in
``papernotes.yaml``, run after them). Emitters are pure: they read the graph and config and make
``Page`` values (a template and its context) or ``TextFile`` values (text made on demand); the
engine renders and writes them. ``wanted`` lets a rebuild plan only the pages an edit affects.

Beside the emitters: ``syndication`` (Atom, JSON Feed and sitemap text), ``graphjson``,
``structured`` (JSON-LD for the templates) and ``search`` (the Pagefind index of the notes and papers).
"""

from __future__ import annotations

from typing import Callable, Container, Iterable, Iterator

from ..config import Config
from ..graph import Graph
from ..model import Page, TextFile
from . import archives, feeds, graphview, home, notes, notfound, papers, redirects, searchpage, shelves, sitemap, tags
from .common import Wanted, everything

Emitter = Callable[[Graph, Config, Wanted], Iterable[Page | TextFile]]

#: The site's page kinds, in plan order.
EMITTERS: tuple[Emitter, ...] = (
    notes.emit,
    papers.emit,
    shelves.emit,
    papers.emit_by_year,
    graphview.emit,
    searchpage.emit,
    home.emit,
    tags.emit,
    archives.emit,
    notfound.emit,
    feeds.emit,
    sitemap.emit,
    redirects.emit,
)


def plan(graph: Graph, config: Config, only: Container[str] | None = None) -> Iterator[Page | TextFile]:
    """Every page of the site (or just those whose URL is in ``only``), in a stable order, made
    one at a time so that a large site's feeds and pages are never all held in memory together."""
    wanted: Wanted = everything if only is None else only.__contains__
    listed: list[str] = []
    for emitter in (*EMITTERS, *config.plugins.emitters):
        for page in emitter(graph, config, wanted):
            if sitemap.listed(page):
                listed.append(page.url)
            yield page
    if only is None:  # it lists every page; it holds no note, so an edit never plans it again alone
        yield sitemap.sitemap_file(graph, config, listed)


#: The name the build and the re-planner know it by.
plan_pages = plan
