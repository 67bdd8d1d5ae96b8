"""Author and venue pages: ``/authors/`` and ``/venues/`` with a page for each author and venue,
when the papers' metadata names any."""

from __future__ import annotations

from typing import Iterable, Iterator

from ..papers.authorship import Shelf, authors, is_author, venues
from ..config import Config
from ..graph import Graph
from ..model import Page
from ..papers.papergraph import Paper
from .common import Wanted, everything


def emit(graph: Graph, config: Config, wanted: Wanted = everything) -> Iterator[Page]:
    for kind, title, index, shelves in (("author", "Authors", config.urls.authors, site_authors(graph.papers.papers, config)),
                                        ("venue", "Venues", config.urls.venues, site_venues(graph.papers.papers, config))):
        if not shelves:
            continue
        if wanted(index):
            yield Page(index, "shelves.html", {"title": title, "kind": f"{kind}s", "shelves": shelves})
        for shelf in shelves:
            if wanted(shelf.url):
                yield Page(shelf.url, "shelf.html", {"title": shelf.name, "kind": kind, "shelf": shelf})


def site_authors(papers: Iterable[Paper], config: Config) -> tuple[Shelf, ...]:
    return authors(papers, config.urls.author)


def site_venues(papers: Iterable[Paper], config: Config) -> tuple[Shelf, ...]:
    return venues(papers, config.urls.venue)


def browse(papers: Iterable[Paper]) -> tuple[str, ...]:
    """``authors`` and ``venues``, each when the site has pages for it (the ways to browse papers)."""
    papers = tuple(papers)
    named = any(is_author(name) for paper in papers for name in paper.meta.authors)
    return tuple(kind for kind, found in (("authors", named), ("venues", any(p.meta.venue for p in papers))) if found)


def shelf_urls(papers: Iterable[Paper], config: Config) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """For each paper id: its authors' page URLs by name, and its venue's page URL."""
    papers = tuple(papers)
    author_urls: dict[str, dict[str, str]] = {}
    for shelf in site_authors(papers, config):
        for paper in shelf.papers:
            author_urls.setdefault(paper.id, {})[shelf.name] = shelf.url
    venue_urls = {paper.id: shelf.url for shelf in site_venues(papers, config) for paper in shelf.papers}
    return author_urls, venue_urls
