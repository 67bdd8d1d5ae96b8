"""Date pages: ``/archive/`` (every year and month), a page per year and a list per month."""

from __future__ import annotations

import calendar
from typing import Iterator

from ..config import Config
from ..graph import Graph
from ..model import Page
from .common import Wanted, everything


def emit(graph: Graph, config: Config, wanted: Wanted = everything) -> Iterator[Page]:
    urls = config.urls
    if wanted(urls.archive):
        yield Page(urls.archive, "archive.html", {"title": "Archive", "kind": "archive", "years": graph.years, "undated": graph.undated})
    for year in graph.years:
        if wanted(urls.of_year(year.year)):
            yield Page(urls.of_year(year.year), "archive.html", {"title": str(year.year), "kind": "year", "years": (year,), "undated": ()})
        for month in year.months:
            if month.month and wanted(urls.of_month(year.year, month.month)):
                yield Page(urls.of_month(year.year, month.month), "list.html", {
                    "title": f"{calendar.month_name[month.month]} {year.year}", "kind": "month", "notes": month.notes,
                    "pagination": None,
                })
