"""Plan every output page as Page(url, template, context) from the graph and config."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from typing import Iterator, Sequence

from .config import Config
from .graph import Graph
from .bibtex import bibliography, bibtex_entry
from .graphjson import graph_json
from .model import Note, Page, TextFile


@dataclass(frozen=True)
class Pagination:
    """Where a list page sits among its siblings."""

    number: int
    total: int
    newer_url: str | None
    older_url: str | None


def plan_pages(graph: Graph, config: Config) -> list[Page | TextFile]:
    """All pages of the site, in a stable order."""
    papers = graph.papers.papers
    return [
        *note_pages(graph),
        Page("/papers/", "papers.html", {"title": "Papers", "kind": "papers",
                                         "papers": tuple(sorted(papers, key=lambda p: (-len(p.notes), p.title.lower())))}),
        *(Page(paper.url, "paper.html", {
            "title": paper.title, "kind": "paper", "paper": paper, "bibtex": bibtex_entry(paper.meta),
            "co_mentioned": graph.papers.co_mentioned.get(paper.id, ()),
        }) for paper in papers),
        TextFile("/papers.bib", bibliography(p.meta for p in papers)),
        TextFile("/graph.json", graph_json(graph, config.base_path)),
        Page("/graph/", "graph.html", {"title": "Graph", "kind": "graph"}),
        *paginated("/", "Latest notes", graph.notes, config.page_size, kind="home"),
        Page("/tags/", "tags.html", {"title": "Tags", "tags": graph.tags, "kind": "tags"}),
        *(page for group in graph.tags for page in paginated(
            group.tag.url, f"Tagged “{group.tag.name}”", group.notes, config.page_size, kind="tag", tag=group.tag)),
        *date_pages(graph),
        Page("/404.html", "404.html", {"title": "Page not found", "kind": "404"}),
    ]


def note_pages(graph: Graph) -> Iterator[Page]:
    for note in graph.notes:
        newer, older = graph.neighbours(note)
        yield Page(note.url, "note.html", {
            "title": note.title, "kind": "note", "note": note,
            "tags": graph.tags_of.get(note.id, ()), "newer": newer, "older": older,
            "backlinks": graph.backlinks.get(note.id, ()),
            "papers": graph.papers.papers_of.get(note.id, ()),
            "related": graph.papers.related.get(note.id, ()),
        })


def paginated(url: str, title: str, notes: Sequence[Note], size: int, **extra: object) -> Iterator[Page]:
    """``url``, ``url/page/2/``, … each listing ``size`` notes."""
    total = max(1, -(-len(notes) // size))

    def page_url(number: int) -> str:
        return url if number == 1 else f"{url}page/{number}/"

    for number in range(1, total + 1):
        chunk = notes[(number - 1) * size: number * size]
        pagination = Pagination(
            number, total,
            page_url(number - 1) if number > 1 else None,
            page_url(number + 1) if number < total else None,
        )
        shown = title if number == 1 else f"{title} (page {number})"
        yield Page(page_url(number), "list.html", {"title": shown, "notes": tuple(chunk), "pagination": pagination, **extra})


def date_pages(graph: Graph) -> Iterator[Page]:
    yield Page("/archive/", "archive.html", {"title": "Archive", "kind": "archive", "years": graph.years, "undated": graph.undated})
    for year in graph.years:
        yield Page(f"/{year.year:04d}/", "archive.html", {"title": str(year.year), "kind": "year", "years": (year,), "undated": ()})
        for month in year.months:
            if month.month:
                name = f"{calendar.month_name[month.month]} {year.year}"
                yield Page(f"/{year.year:04d}/{month.month:02d}/", "list.html", {
                    "title": name, "kind": "month", "notes": month.notes, "pagination": None,
                })
