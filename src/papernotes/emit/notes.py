"""One page per note, at its permalink: the body, tags, neighbours in time, backlinks, papers,
related notes and the local graph."""

from __future__ import annotations

from functools import partial
from typing import Any, Iterator

from ..config import Config
from ..graph import Graph
from ..model import LaterContext, Note, Page
from .common import Wanted, everything
from .graphjson import neighbourhood


def emit(graph: Graph, config: Config, wanted: Wanted = everything) -> Iterator[Page]:
    for note in graph.notes:
        if wanted(note.url):
            yield Page(note.url, "note.html", LaterContext({"title": note.title, "kind": "note", "note": note},
                                                           partial(_around, graph, note, config.base_path)))


def _around(graph: Graph, note: Note, base_path: str) -> dict[str, Any]:
    """What a note's page shows around the note."""
    newer, older = graph.neighbours(note)
    return {"tags": graph.tags_of.get(note.id, ()), "newer": newer, "older": older,
            "backlinks": graph.backlinks.get(note.id, ()),
            "papers": graph.papers.papers_of.get(note.id, ()),
            "related": graph.papers.related.get(note.id, ()),
            "neighbourhood": neighbourhood(graph, note, base_path)}
