"""Paper pages: the index of papers, one page per paper (with its BibTeX and CSL-JSON entries
to copy or download, COinS and citation links), the whole bibliography as BibTeX and CSL-JSON,
and the papers by year read and by year published."""

from __future__ import annotations

from functools import partial
from typing import Iterator, Sequence

from ..config import Config
from ..papers.csljson import coins, csl_json
from ..graph import Graph
from ..model import LaterContext, Page, TextFile
from ..papers.papergraph import Paper
from .common import Citations, Wanted, citation_files, data_url, everything
from .shelves import browse, shelf_urls


def emit(graph: Graph, config: Config, wanted: Wanted = everything) -> Iterator[Page | TextFile]:
    papers = graph.papers.papers
    if wanted(config.urls.papers):
        yield Page(config.urls.papers, "papers.html", {
            "title": "Papers", "kind": "papers", "browse": browse(papers),
            "papers": tuple(sorted(papers, key=lambda p: (-len(p.notes), p.title.lower())))})
    stem = config.urls.bibliography.removesuffix(".bib")
    if not any(wanted(paper.url) for paper in papers) and not (wanted(f"{stem}.bib") or wanted(f"{stem}.csl.json")):
        return  # a rebuild that wants none of them: no citation keys or shelves to make
    citations = Citations(graph.papers)
    by_id = {paper.id: paper for paper in papers}
    author_urls, venue_urls = shelf_urls(papers, config)
    def about(paper: Paper) -> dict[str, object]:
        bibtex = citations.bibtex(paper.meta)
        return {"bibtex": bibtex, "cite_key": citations.key(paper.id), "bibtex_file": data_url("application/x-bibtex", bibtex),
                "csl_file": data_url("application/vnd.citationstyles.csl+json", "".join(csl_json([citations.csl(paper.meta)]))),
                "co_mentioned": graph.papers.co_mentioned.get(paper.id, ()),
                "cites": tuple(by_id[i] for i in graph.papers.cites.get(paper.id, ())),
                "cited_by": tuple(by_id[i] for i in graph.papers.cited_by.get(paper.id, ())),
                "author_urls": author_urls.get(paper.id, {}), "venue_url": venue_urls.get(paper.id), "coins": coins(paper.meta)}

    for paper in papers:
        if wanted(paper.url):
            yield Page(paper.url, "paper.html", LaterContext({"title": paper.title, "kind": "paper", "paper": paper},
                                                             partial(about, paper)))
    yield from citation_files(stem, tuple(p.meta for p in papers), citations, wanted)


def emit_by_year(graph: Graph, config: Config, wanted: Wanted = everything) -> Iterator[Page]:
    """The papers by the year the notes read each paper and by publication year, newest first,
    papers with no such year last."""
    papers: Sequence[Paper] = graph.papers.papers
    for url, title, year_of in ((config.urls.papers_read, "Papers by year read", lambda p: p.read.year if p.read else None),
                                (config.urls.papers_published, "Papers by year published", lambda p: p.meta.year)):
        if not wanted(url):
            continue
        years: dict[int | None, list[Paper]] = {}
        for paper in sorted(papers, key=lambda p: (p.title.lower(), p.id)):
            years.setdefault(year_of(paper), []).append(paper)
        groups = tuple((year, tuple(years[year])) for year in sorted(years, key=lambda y: (y is None, -(y or 0))))
        yield Page(url, "paper-years.html", {"title": title, "kind": "papers", "groups": groups,
                                             "read": url == config.urls.papers_read})
