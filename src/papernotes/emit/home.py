"""The home page: the latest notes, paginated (``/``, ``/page/2/``, …)."""

from __future__ import annotations

from typing import Iterator

from ..config import Config
from ..graph import Graph
from ..model import Page
from .common import Wanted, everything, paginated


def emit(graph: Graph, config: Config, wanted: Wanted = everything) -> Iterator[Page]:
    yield from paginated("/", "Latest notes", graph.notes, config.page_size, wanted, kind="home")
