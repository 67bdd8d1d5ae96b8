"""``/404.html``, which static hosts serve for any missing page (hence a fixed URL)."""

from __future__ import annotations

from typing import Iterator

from ..config import Config
from ..graph import Graph
from ..model import Page
from .common import Wanted, everything

URL = "/404.html"


def emit(graph: Graph, config: Config, wanted: Wanted = everything) -> Iterator[Page]:
    if wanted(URL):
        yield Page(URL, "404.html", {"title": "Page not found", "kind": "404"})
