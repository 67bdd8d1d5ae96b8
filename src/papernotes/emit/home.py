"""The home page: the latest notes, paginated (``/``, ``/page/2/``, … up to ``HOME_PAGES``).

The home page's pages hold the newest notes, and the last of them points to the archive, which
lists every note by year and month. Past that, a page of the home page would move with every
note written (each takes the first place and pushes all the others along one), so a new note
would write every page again, a thousand at 10,000 notes, for a list nobody reads that far:
the archive's pages stay put."""

from __future__ import annotations

from typing import Iterator

from ..config import Config
from ..graph import Graph
from ..model import Page
from .common import Wanted, everything, paginated


HOME_PAGES = 10


def emit(graph: Graph, config: Config, wanted: Wanted = everything) -> Iterator[Page]:
    yield from paginated("/", "Latest notes", graph.notes, config.page_size, wanted,
                         most=HOME_PAGES, rest_url=config.urls.archive, kind="home")
