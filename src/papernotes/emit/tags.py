"""Tag pages: the index of tags, one paginated list per tag, and each tag's papers as BibTeX and
CSL-JSON (the tag's feed is made with the other feeds, in ``feeds``)."""

from __future__ import annotations

from typing import Iterator

from ..config import Config
from ..graph import Graph
from ..model import Page, TextFile
from .common import Citations, Wanted, citation_files, everything, paginated


def emit(graph: Graph, config: Config, wanted: Wanted = everything) -> Iterator[Page | TextFile]:
    if wanted(config.urls.tags):
        yield Page(config.urls.tags, "tags.html", {"title": "Tags", "tags": graph.tags, "kind": "tags"})
    for group in graph.tags:
        yield from paginated(group.tag.url, f"Tagged “{group.tag.name}”", group.notes, config.page_size, wanted,
                             kind="tag", tag=group.tag)
    citations = Citations(graph.papers)
    for group in graph.tags:
        stem = f"{group.tag.url}papers"
        if not (wanted(f"{stem}.bib") or wanted(f"{stem}.csl.json")):
            continue
        tagged = tuple({p.id: p.meta for note in group.notes for p in graph.papers.papers_of.get(note.id, ())}.values())
        if tagged:
            yield from citation_files(stem, tagged, citations, wanted)
