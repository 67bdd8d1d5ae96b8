"""The ``/search/`` page (its index is made after the build, by ``search``)."""

from __future__ import annotations

from typing import Iterator

from ..config import Config
from ..graph import Graph
from ..model import Page
from .common import Wanted, everything
from .shelves import browse


def emit(graph: Graph, config: Config, wanted: Wanted = everything) -> Iterator[Page]:
    if wanted(config.urls.search):
        yield Page(config.urls.search, "search.html", {"title": "Search", "kind": "search", "browse": browse(graph.papers.papers)})
