"""``/graph.json``: notes, papers and tags with their edges (the schema in the README)."""

from __future__ import annotations

import json
from typing import Any

from .graph import Graph

VERSION = 1


def graph_json_inputs(graph: Graph) -> tuple[object, ...]:
    """Everything graph.json is made from, and nothing else: an edit to a note's text alone
    leaves it equal, so a rebuild can keep the previous file."""
    notes = tuple((n.id, n.title, n.url, n.date, tuple(t.slug for t in graph.tags_of.get(n.id, ()))) for n in graph.notes)
    links = tuple((target, tuple(n.id for n in sources)) for target, sources in sorted(graph.backlinks.items()))
    papers = tuple((p.id, p.title, p.url, p.meta.year, tuple((d.note.id, d.anchor) for d in p.discussions))
                   for p in graph.papers.papers)
    tags = tuple((g.tag.slug, g.tag.name, g.tag.url) for g in graph.tags)
    return notes, links, papers, tags


def graph_json(graph: Graph, base_path: str) -> str:
    """The site graph as stable, sorted JSON; URLs carry the base path."""

    def url(path: str) -> str:
        return base_path + path.lstrip("/")

    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    for note in graph.notes:
        node: dict[str, Any] = {"id": f"note:{note.id}", "type": "note", "title": note.title, "url": url(note.url)}
        if note.date:
            node["date"] = note.date.value.date().isoformat()
        node["tags"] = [tag.slug for tag in graph.tags_of.get(note.id, ())]
        nodes.append(node)
        for tag in graph.tags_of.get(note.id, ()):
            edges.append({"source": f"note:{note.id}", "target": f"tag:{tag.slug}", "type": "tagged"})
        for paper in graph.papers.papers_of.get(note.id, ()):
            anchors = sorted({d.anchor for d in paper.discussions if d.note.id == note.id})
            for anchor in anchors:
                edges.append({"source": f"note:{note.id}", "target": f"paper:{paper.id}", "type": "discusses", "anchor": anchor})
    for target, sources in sorted(graph.backlinks.items()):
        for source in sources:
            edges.append({"source": f"note:{source.id}", "target": f"note:{target}", "type": "links"})
    for paper in graph.papers.papers:
        node = {"id": f"paper:{paper.id}", "type": "paper", "title": paper.title, "url": url(paper.url)}
        if paper.meta.year:
            node["year"] = paper.meta.year
        nodes.append(node)
    for group in graph.tags:
        nodes.append({"id": f"tag:{group.tag.slug}", "type": "tag", "title": group.tag.name, "url": url(group.tag.url)})
    edges.sort(key=lambda e: (e["type"], e["source"], e["target"], e.get("anchor", "")))
    document = {"version": VERSION, "nodes": nodes, "edges": edges}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"
