"""One page per note, at its permalink: the body, tags, neighbours in time, backlinks, papers,
related notes and the local graph."""

from __future__ import annotations

from typing import Iterator

from ..config import Config
from ..graph import Graph
from ..model import Page
from .common import Wanted, everything
from .graphjson import neighbourhood


def emit(graph: Graph, config: Config, wanted: Wanted = everything) -> Iterator[Page]:
    for note in graph.notes:
        if not wanted(note.url):
            continue
        newer, older = graph.neighbours(note)
        yield Page(note.url, "note.html", {
            "title": note.title, "kind": "note", "note": note,
            "tags": graph.tags_of.get(note.id, ()), "newer": newer, "older": older,
            "backlinks": graph.backlinks.get(note.id, ()),
            "papers": graph.papers.papers_of.get(note.id, ()),
            "related": graph.papers.related.get(note.id, ()),
            "neighbourhood": neighbourhood(graph, note, config.base_path),
        })
