"""Plan every output page as Page(url, template, context) from the graph and config."""

from __future__ import annotations

import calendar
from functools import partial
from itertools import chain
from dataclasses import dataclass
from typing import Callable, Container, Iterable, Iterator, Sequence

from ..config import Config
from ..graph import Graph
from ..papers.authorship import authors, venues
from ..papers.bibtex import bibliography, bibtex_entry, cite_keys
from ..papers.csljson import coins, csl_json
from .graphjson import graph_json, graph_json_inputs, links_from, neighbourhood
from ..model import Note, Page, TextFile
from ..papers.papergraph import Paper
from ..papers.registry import PaperMeta
from .syndication import atom_feed, json_feed, robots, sitemap
from ..urls import UnsafeURL, check_url


@dataclass(frozen=True)
class Pagination:
    """Where a list page sits among its siblings."""

    number: int
    total: int
    newer_url: str | None
    older_url: str | None


def plan_pages(graph: Graph, config: Config, only: Container[str] | None = None) -> Iterator[Page | TextFile]:
    """Every page of the site (or just those whose URL is in ``only``), in a stable order, made
    one at a time so that a large site's feeds and pages are never all held in memory together."""
    wanted: Callable[[str], bool] = (lambda url: True) if only is None else only.__contains__
    listed: list[str] = []
    for page in chain(_html_and_data(graph, config, wanted), feeds(graph, config, wanted)):
        if isinstance(page, Page) and page.url != "/404.html":
            listed.append(page.url)
        yield page
    if only is None:  # it lists every page; it holds no note, so an edit never plans it again alone
        stamps = {n.url: n.updated or n.date for n in graph.notes}
        entries = tuple((url, stamps.get(url)) for url in listed)
        yield TextFile("/sitemap.xml", partial(sitemap, entries, config.absolute_url), ("sitemap", entries))
    if wanted("/robots.txt"):
        yield TextFile("/robots.txt", partial(robots, config.absolute_url), "robots")
    # a redirect page is planned again with its note's page
    moves = list(redirects(graph.notes if only is None else [n for n in graph.notes if n.url in only]))
    for old, note in moves:
        if wanted(old):
            yield Page(old, "redirect.html", {"title": note.title, "kind": "redirect", "note": note})
    if wanted("/_redirects"):
        moves = list(redirects(graph.notes))
        lines = "".join(f"{config.url(old)} {config.url(note.url)} 301\n" for old, note in moves)
        yield TextFile("/_redirects", partial(str, lines), lines)


def redirects(notes: Iterable[Note]) -> Iterator[tuple[str, Note]]:
    """(old URL, note) for every alias or ``redirect_from`` that is a path (``/2019/01/x.html``);
    aliases that are names (``Chinchilla``) only serve wikilinks."""
    for note in notes:
        for alias in (*note.aliases, *_as_strings(note.meta.get("redirect_from"))):
            if alias.startswith("/") or alias.endswith((".html", ".htm")):
                try:
                    old = check_url(alias)
                except UnsafeURL:
                    continue
                if old != note.url:
                    yield old, note


def _as_strings(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value) if isinstance(value, (list, tuple)) else ()


def feeds(graph: Graph, config: Config, wanted: Callable[[str], bool]) -> Iterator[TextFile]:
    """Atom and JSON Feed of the whole site with full content, and a summary-only Atom feed per
    tag and per paper."""
    size = config.feed_size
    newest = graph.notes[:size]
    if wanted("/feed.xml"):
        yield TextFile("/feed.xml", partial(atom_feed, newest, config, title=config.title, page_url="/", feed_url="/feed.xml",
                                            absolute=config.absolute_url), ("atom", newest))
    if wanted("/feed.json"):
        yield TextFile("/feed.json", partial(json_feed, newest, config, feed_url="/feed.json", absolute=config.absolute_url),
                       ("json", newest))
    for group in graph.tags:
        if not wanted(f"{group.tag.url}feed.xml"):
            continue
        notes = group.notes[:size]
        yield TextFile(f"{group.tag.url}feed.xml", partial(
            atom_feed, notes, config, title=f"{config.title}: #{group.tag.name}", page_url=group.tag.url,
            feed_url=f"{group.tag.url}feed.xml", absolute=config.absolute_url, full_content=False), (group.tag, notes))
    for paper in graph.papers.papers:
        if not wanted(f"{paper.url}feed.xml"):
            continue
        notes = tuple(sorted(paper.notes, key=lambda n: n.sort_key)[:size])
        yield TextFile(f"{paper.url}feed.xml", partial(
            atom_feed, notes, config, title=f"{config.title}: {paper.title}", page_url=paper.url,
            feed_url=f"{paper.url}feed.xml", absolute=config.absolute_url, full_content=False), (paper.meta, notes))


def _html_and_data(graph: Graph, config: Config, wanted: Callable[[str], bool]) -> Iterator[Page | TextFile]:
    papers = graph.papers.papers
    yield from note_pages(graph, config.base_path, wanted)
    browse = tuple(kind for kind, found in (("authors", authors(papers)), ("venues", venues(papers))) if found)
    if wanted("/papers/"):
        yield Page("/papers/", "papers.html", {"title": "Papers", "kind": "papers", "browse": browse,
                                               "papers": tuple(sorted(papers, key=lambda p: (-len(p.notes), p.title.lower())))})
    keys = cite_keys(p.meta for p in papers)
    by_id = {paper.id: paper for paper in papers}
    author_urls: dict[str, dict[str, str]] = {}
    for shelf in authors(papers):
        for paper in shelf.papers:
            author_urls.setdefault(paper.id, {})[shelf.name] = shelf.url
    venue_urls = {paper.id: shelf.url for shelf in venues(papers) for paper in shelf.papers}
    for paper in papers:
        if wanted(paper.url):
            yield Page(paper.url, "paper.html", {
                "title": paper.title, "kind": "paper", "paper": paper, "bibtex": bibtex_entry(paper.meta, keys[paper.id]),
                "cite_key": keys[paper.id], "co_mentioned": graph.papers.co_mentioned.get(paper.id, ()),
                "cites": tuple(by_id[i] for i in graph.papers.cites.get(paper.id, ())),
                "cited_by": tuple(by_id[i] for i in graph.papers.cited_by.get(paper.id, ())),
                "author_urls": author_urls.get(paper.id, {}), "venue_url": venue_urls.get(paper.id), "coins": coins(paper.meta),
            })
    yield from citation_files("/papers", tuple(p.meta for p in papers), keys, wanted)
    for paper in papers:
        yield from citation_files(f"{paper.url}cite", (paper.meta,), keys, wanted)
    yield from shelf_pages(graph, wanted)
    yield from paper_year_pages(papers, wanted)
    for group in graph.tags:
        tagged = tuple({p.id: p.meta for note in group.notes for p in graph.papers.papers_of.get(note.id, ())}.values())
        if tagged:
            yield from citation_files(f"{group.tag.url}papers", tagged, keys, wanted)
    if wanted("/graph.json"):
        yield TextFile("/graph.json", partial(graph_json, graph, config.base_path), graph_json_inputs(graph))
    for url, template, title in (("/graph/", "graph.html", "Graph"), ("/search/", "search.html", "Search")):
        if wanted(url):
            yield Page(url, template, {"title": title, "kind": template.removesuffix(".html"), "browse": browse})
    yield from paginated("/", "Latest notes", graph.notes, config.page_size, wanted, kind="home")
    if wanted("/tags/"):
        yield Page("/tags/", "tags.html", {"title": "Tags", "tags": graph.tags, "kind": "tags"})
    for group in graph.tags:
        yield from paginated(group.tag.url, f"Tagged “{group.tag.name}”", group.notes, config.page_size, wanted,
                             kind="tag", tag=group.tag)
    yield from date_pages(graph, wanted)
    if wanted("/404.html"):
        yield Page("/404.html", "404.html", {"title": "Page not found", "kind": "404"})


def paper_year_pages(papers: Sequence[Paper], wanted: Callable[[str], bool]) -> Iterator[Page]:
    """``/papers/read/`` (by the year the notes read each paper) and ``/papers/published/`` (by
    publication year), newest first, papers with no such year last."""
    for url, title, year_of in (("/papers/read/", "Papers by year read", lambda p: p.read.year if p.read else None),
                                ("/papers/published/", "Papers by year published", lambda p: p.meta.year)):
        if not wanted(url):
            continue
        years: dict[int | None, list[Paper]] = {}
        for paper in sorted(papers, key=lambda p: (p.title.lower(), p.id)):
            years.setdefault(year_of(paper), []).append(paper)
        groups = tuple((year, tuple(years[year])) for year in sorted(years, key=lambda y: (y is None, -(y or 0))))
        yield Page(url, "paper-years.html", {"title": title, "kind": "papers", "groups": groups, "read": url.endswith("read/")})


def shelf_pages(graph: Graph, wanted: Callable[[str], bool]) -> Iterator[Page]:
    """``/authors/`` and ``/venues/`` with a page for each author and venue, when the metadata names any."""
    for kind, title, shelves in (("author", "Authors", authors(graph.papers.papers)), ("venue", "Venues", venues(graph.papers.papers))):
        if not shelves:
            continue
        if wanted(f"/{kind}s/"):
            yield Page(f"/{kind}s/", "shelves.html", {"title": title, "kind": f"{kind}s", "shelves": shelves})
        for shelf in shelves:
            if wanted(shelf.url):
                yield Page(shelf.url, "shelf.html", {"title": shelf.name, "kind": kind, "shelf": shelf})


def citation_files(stem: str, metas: tuple[PaperMeta, ...], keys: dict[str, str],
                   wanted: Callable[[str], bool]) -> Iterator[TextFile]:
    """``stem.bib`` and ``stem.csl.json`` for ``metas``, under the site's citation keys."""
    used = {meta.id: keys[meta.id] for meta in metas}
    if wanted(f"{stem}.bib"):
        yield TextFile(f"{stem}.bib", partial(bibliography, metas, used), ("bib", metas, tuple(used.items())))
    if wanted(f"{stem}.csl.json"):
        yield TextFile(f"{stem}.csl.json", partial(csl_json, metas, used), ("csl", metas, tuple(used.items())))


def note_pages(graph: Graph, base_path: str, wanted: Callable[[str], bool]) -> Iterator[Page]:
    forward = links_from(graph)
    for note in graph.notes:
        if not wanted(note.url):
            continue
        newer, older = graph.neighbours(note)
        papers = graph.papers.papers_of.get(note.id, ())
        yield Page(note.url, "note.html", {
            "title": note.title, "kind": "note", "note": note,
            "tags": graph.tags_of.get(note.id, ()), "newer": newer, "older": older,
            "backlinks": graph.backlinks.get(note.id, ()),
            "papers": papers,
            "related": graph.papers.related.get(note.id, ()),
            "neighbourhood": neighbourhood(graph, note, base_path, forward),
        })


def paginated(url: str, title: str, notes: Sequence[Note], size: int, wanted: Callable[[str], bool],
              **extra: object) -> Iterator[Page]:
    """``url``, ``url/page/2/``, … each listing ``size`` notes."""
    total = max(1, -(-len(notes) // size))

    def page_url(number: int) -> str:
        return url if number == 1 else f"{url}page/{number}/"

    for number in range(1, total + 1):
        if not wanted(page_url(number)):
            continue
        chunk = notes[(number - 1) * size: number * size]
        pagination = Pagination(
            number, total,
            page_url(number - 1) if number > 1 else None,
            page_url(number + 1) if number < total else None,
        )
        shown = title if number == 1 else f"{title} (page {number})"
        yield Page(page_url(number), "list.html", {"title": shown, "notes": tuple(chunk), "pagination": pagination, **extra})


def date_pages(graph: Graph, wanted: Callable[[str], bool]) -> Iterator[Page]:
    if wanted("/archive/"):
        yield Page("/archive/", "archive.html", {"title": "Archive", "kind": "archive", "years": graph.years, "undated": graph.undated})
    for year in graph.years:
        if wanted(f"/{year.year:04d}/"):
            yield Page(f"/{year.year:04d}/", "archive.html", {"title": str(year.year), "kind": "year", "years": (year,), "undated": ()})
        for month in year.months:
            if month.month and wanted(f"/{year.year:04d}/{month.month:02d}/"):
                name = f"{calendar.month_name[month.month]} {year.year}"
                yield Page(f"/{year.year:04d}/{month.month:02d}/", "list.html", {
                    "title": name, "kind": "month", "notes": month.notes, "pagination": None,
                })
