"""The home page: the latest notes, paginated (``/``, ``/page/2/``, … up to ``LIST_PAGES``), the
last page pointing to the archive, which lists every note by year and month."""

from __future__ import annotations

from typing import Iterator

from ..config import Config
from ..graph import Graph
from ..model import Page
from .common import LIST_PAGES, Wanted, everything, paginated


def emit(graph: Graph, config: Config, wanted: Wanted = everything) -> Iterator[Page]:
    yield from paginated("/", "Latest notes", graph.notes, config.page_size, wanted,
                         most=LIST_PAGES, rest=(config.urls.archive, "Older notes in the archive"), kind="home")
