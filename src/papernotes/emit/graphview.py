"""The site graph: ``/graph.json`` (notes, papers, tags, authors and venues with their edges; the
schema is in the README) and the ``/graph/`` page that draws it."""

from __future__ import annotations

from functools import partial
from typing import Iterator

from ..config import Config
from ..graph import Graph
from ..model import Page, TextFile
from .common import Wanted, everything
from .graphjson import graph_json, graph_json_inputs
from .shelves import browse


def emit(graph: Graph, config: Config, wanted: Wanted = everything) -> Iterator[Page | TextFile]:
    if wanted(config.urls.graph_json):
        yield TextFile(config.urls.graph_json, partial(graph_json, graph, config), graph_json_inputs(graph))
    if wanted(config.urls.graph):
        yield Page(config.urls.graph, "graph.html", {"title": "Graph", "kind": "graph", "browse": browse(graph.papers.papers)})
