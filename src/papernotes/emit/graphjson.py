"""``/graph.json``: notes, papers and tags with their edges (the schema in the README)."""

from __future__ import annotations

import json
from typing import Any

from ..papers.authorship import Shelf, authors, venues
from ..config import Config
from ..graph import Graph
from ..model import Note, Tag
from ..papers.papergraph import Paper

VERSION = 1


def graph_json_inputs(graph: Graph) -> tuple[object, ...]:
    """Everything graph.json is made from, and nothing else: an edit to a note's text alone
    leaves it equal, so a rebuild can keep the previous file."""
    notes = tuple((n.id, n.title, n.url, n.date, tuple(t.slug for t in graph.tags_of.get(n.id, ()))) for n in graph.notes)
    links = tuple((target, tuple(n.id for n in sources)) for target, sources in sorted(graph.backlinks.items()))
    papers = tuple((p.id, p.title, p.url, p.meta.year, p.meta.authors, p.meta.author_ids, p.meta.venue, p.meta.venue_id,
                    graph.papers.cites.get(p.id, ()), tuple((d.note.id, d.anchor) for d in p.discussions))
                   for p in graph.papers.papers)
    tags = tuple((g.tag.slug, g.tag.name, g.tag.url) for g in graph.tags)
    return notes, links, papers, tags


def graph_json(graph: Graph, config: Config) -> str:
    """The site graph as stable, sorted JSON; URLs carry the base path. Edges wait as tuples
    and become JSON one at a time (a 100,000-note site has about a million), with the bytes
    ``json.dumps`` of the whole document would give."""
    base_path = config.base_path
    nodes = [_note_node(note, graph, base_path) for note in graph.notes]
    edges = [edge for note in graph.notes for edge in _note_edge_keys(note, graph)]
    edges += [("links", f"note:{source.id}", f"note:{target}", "")
              for target, sources in sorted(graph.backlinks.items()) for source in sources]
    nodes += [_paper_node(paper, base_path) for paper in graph.papers.papers]
    nodes += [_tag_node(group.tag, base_path) for group in graph.tags]
    edges += [("cites", f"paper:{citing}", f"paper:{cited}", "")
              for citing, cited_ids in graph.papers.cites.items() for cited in cited_ids]
    for shelf in authors(graph.papers.papers, config.urls.author):
        nodes.append(_shelf_node(shelf, base_path))
        edges += [("wrote", shelf.id, f"paper:{paper.id}", "") for paper in shelf.papers]
    for shelf in venues(graph.papers.papers, config.urls.venue):
        nodes.append(_shelf_node(shelf, base_path))
        edges += [("published_in", f"paper:{paper.id}", shelf.id, "") for paper in shelf.papers]
    edges.sort()
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode
    return ('{"edges":[' + ",".join(encode(_edge(*edge)) for edge in edges) + '],"nodes":['
            + ",".join(map(encode, nodes)) + f'],"version":{encode(VERSION)}}}\n')


def links_from(graph: Graph) -> dict[str, tuple[str, ...]]:
    """For each note id, the ids of the notes it links to (backlinks turned around)."""
    forward: dict[str, list[str]] = {}
    for target, sources in sorted(graph.backlinks.items()):
        for source in sources:
            forward.setdefault(source.id, []).append(target)
    return {source: tuple(targets) for source, targets in forward.items()}


def neighbourhood(graph: Graph, note: Note, base_path: str, forward: dict[str, tuple[str, ...]]) -> dict[str, Any]:
    """The part of graph.json around one note: it, every node one edge away, and the edges
    between them (what a note page draws, so that it need not fetch the whole graph)."""
    by_id = {n.id: n for n in (note, *graph.backlinks.get(note.id, ()))}
    linked = [graph.notes[graph.positions[i]] for i in forward.get(note.id, ()) if i in graph.positions]
    by_id.update((n.id, n) for n in linked)
    papers = graph.papers.papers_of.get(note.id, ())
    tags = graph.tags_of.get(note.id, ())
    kept = {f"note:{i}" for i in by_id} | {f"paper:{p.id}" for p in papers} | {f"tag:{t.slug}" for t in tags}
    neighbours = sorted(by_id.values(), key=lambda n: graph.positions[n.id])
    edges = [edge for n in neighbours for edge in _note_edges(n, graph) if edge["target"] in kept]
    edges += [{"source": f"note:{n.id}", "target": f"note:{target}", "type": "links"}
              for n in neighbours for target in forward.get(n.id, ()) if f"note:{target}" in kept]
    nodes = ([_note_node(n, graph, base_path) for n in neighbours] + [_paper_node(p, base_path) for p in papers]
             + [_tag_node(t, base_path) for t in tags])
    return {"version": VERSION, "nodes": nodes, "edges": _sorted(edges)}


def _note_node(note: Note, graph: Graph, base_path: str) -> dict[str, Any]:
    node: dict[str, Any] = {"id": f"note:{note.id}", "type": "note", "title": note.title, "url": _url(note.url, base_path)}
    if note.date:
        node["date"] = note.date.value.date().isoformat()
    node["tags"] = [tag.slug for tag in graph.tags_of.get(note.id, ())]
    return node


def _note_edges(note: Note, graph: Graph) -> list[dict[str, Any]]:
    """A note's tagged and discusses edges (one per section discussing the paper)."""
    return [_edge(*key) for key in _note_edge_keys(note, graph)]


def _note_edge_keys(note: Note, graph: Graph) -> list[tuple[str, str, str, str]]:
    """``_note_edges`` as (type, source, target, anchor) tuples, which sort as the edges do."""
    edges = [("tagged", f"note:{note.id}", f"tag:{tag.slug}", "") for tag in graph.tags_of.get(note.id, ())]
    anchors: dict[str, set[str]] = {}
    for ref in note.papers:  # the paper's discussions by this note are its mentions
        anchors.setdefault(ref.id, set()).add(ref.anchor)
    for paper in graph.papers.papers_of.get(note.id, ()):
        for anchor in sorted(anchors.get(paper.id, ())):
            edges.append(("discusses", f"note:{note.id}", f"paper:{paper.id}", anchor))
    return edges


def _edge(kind: str, source: str, target: str, anchor: str) -> dict[str, Any]:
    """One edge of graph.json; only a discusses edge names its section."""
    edge: dict[str, Any] = {"source": source, "target": target, "type": kind}
    if kind == "discusses":
        edge["anchor"] = anchor
    return edge


def _paper_node(paper: Paper, base_path: str) -> dict[str, Any]:
    node: dict[str, Any] = {"id": f"paper:{paper.id}", "type": "paper", "title": paper.title, "url": _url(paper.url, base_path)}
    if paper.meta.year:
        node["year"] = paper.meta.year
    return node


def _shelf_node(shelf: Shelf, base_path: str) -> dict[str, Any]:
    return {"id": shelf.id, "type": shelf.kind, "title": shelf.name, "url": _url(shelf.url, base_path)}


def _tag_node(tag: Tag, base_path: str) -> dict[str, Any]:
    return {"id": f"tag:{tag.slug}", "type": "tag", "title": tag.name, "url": _url(tag.url, base_path)}


def _url(path: str, base_path: str) -> str:
    return base_path + path.lstrip("/")


def _sorted(edges: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(edges, key=lambda e: (e["type"], e["source"], e["target"], e.get("anchor", "")))
