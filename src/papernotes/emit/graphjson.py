"""``/graph.json``: notes, papers and tags with their edges (the schema in the README)."""

from __future__ import annotations

import hashlib
from itertools import chain, islice
from typing import Any, Iterable, Iterator

from ..papers.authorship import Shelf, authors, venues
from ..config import Config
from ..graph import Graph
from ..jsonbytes import compact_json
from ..model import JsonData, Note, Tag
from ..papers.papergraph import Paper

VERSION = 1


#: What graph.json shows of each note, as ``Note.card_of`` takes it.
NOTE_FIELDS = frozenset({"id", "title", "url", "date", "tags"})


def graph_json_inputs(graph: Graph) -> bytes:
    """A digest of everything graph.json is made from, taken from the digests notes and papers
    carry: each note's fields it shows, each paper's own (its metadata and discussions, their
    excerpts too), the links, citations and tags. It changes with them, and only then: a build
    that plans graph.json again keeps the previous file while it is the same."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(b"".join(note.card_of(NOTE_FIELDS) for note in graph.notes))
    digest.update(b"".join(paper.own for paper in graph.papers.papers))
    links = [(target, [note.id for note in sources]) for target, sources in sorted(graph.backlinks.items())]
    cites = sorted((citing, list(cited)) for citing, cited in graph.papers.cites.items())
    tags = [(group.tag.slug, group.tag.name, group.tag.url) for group in graph.tags]
    digest.update(compact_json([links, cites, tags]))
    return digest.digest()


def graph_json(graph: Graph, config: Config) -> Iterator[bytes]:
    """The site graph as stable, sorted JSON in UTF-8, with the bytes ``json.dumps`` of the whole
    document would give; URLs carry the base path. It comes in pieces, a node or an edge at a
    time (written as they come, the document is never held whole), and only the edges of papers
    and shelves are held to be sorted (a 100,000-note site has about a million edges): the notes'
    own come note by note in the order of their ids."""
    base_path = config.base_path
    shelves = (authors(graph.papers.papers, config.urls.author), venues(graph.papers.papers, config.urls.venue))
    yield b'{"edges":['
    yield from _joined(_edges(graph, *shelves))
    yield b'],"nodes":['
    nodes = chain((_note_node(note, graph, base_path) for note in graph.notes),
                  (_paper_node(paper, base_path) for paper in graph.papers.papers),
                  (_tag_node(group.tag, base_path) for group in graph.tags),
                  (_shelf_node(shelf, base_path) for kind in shelves for shelf in kind))
    yield from _joined(nodes)
    yield b'],"version":' + compact_json(VERSION) + b"}\n"


def _joined(items: Iterable[object], batch: int = 1024) -> Iterator[bytes]:
    """``items`` as JSON (keys sorted) joined by commas, in UTF-8 pieces of ``batch`` items: each
    piece is the array of its items without its brackets, what encoding them one by one gives,
    in one call."""
    items = iter(items)
    first = True
    while chunk := list(islice(items, batch)):
        data = compact_json(chunk, sort_keys=True)[1:-1]
        yield data if first else b"," + data
        first = False


Edge = tuple[str, str, str, str]  # (type, source, target, anchor): they sort as graph.json lists them


def _edges(graph: Graph, authors: tuple[Shelf, ...], venues: tuple[Shelf, ...]) -> Iterator[dict[str, Any]]:
    """Every edge of graph.json in its order: by type, then source, target and anchor. A note is
    the source of its tagged, discusses and links edges alone, so those come note by note,
    each note's sorted by target and anchor (made as they are written: a site has a hundred
    thousand of them)."""
    by_id = sorted(graph.notes, key=lambda note: note.id)
    forward = graph.forward
    yield from (_edge(*edge) for edge in sorted(("cites", f"paper:{citing}", f"paper:{cited}", "")
                                                 for citing, cited_ids in graph.papers.cites.items() for cited in cited_ids))
    for note in by_id:
        source = f"note:{note.id}"
        yield from ({"anchor": anchor, "source": source, "target": target, "type": "discusses"}
                    for target, anchor in _discussed(note))
    for note in by_id:
        source = f"note:{note.id}"
        yield from ({"source": source, "target": f"note:{target}", "type": "links"} for target in sorted(forward.get(note.id, ())))
    yield from (_edge(*edge) for edge in sorted(("published_in", f"paper:{paper.id}", shelf.id, "")
                                                 for shelf in venues for paper in shelf.papers))
    for note in by_id:
        source = f"note:{note.id}"
        yield from ({"source": source, "target": f"tag:{slug}", "type": "tagged"}
                    for slug in sorted(tag.slug for tag in graph.tags_of.get(note.id, ())))
    yield from (_edge(*edge) for edge in sorted(("wrote", shelf.id, f"paper:{paper.id}", "")
                                                 for shelf in authors for paper in shelf.papers))


def neighbourhood(graph: Graph, note: Note, base_path: str) -> JsonData:
    """The part of graph.json around one note: it, every node one edge away, and the edges
    between them (what a note page draws, so that it need not fetch the whole graph)."""
    by_id = {n.id: n for n in (note, *graph.backlinks.get(note.id, ()))}
    forward = graph.forward
    linked = [graph.notes[graph.positions[i]] for i in forward.get(note.id, ()) if i in graph.positions]
    by_id.update((n.id, n) for n in linked)
    papers = graph.papers.papers_of.get(note.id, ())
    tags = graph.tags_of.get(note.id, ())
    kept = {f"note:{i}" for i in by_id} | {f"paper:{p.id}" for p in papers} | {f"tag:{t.slug}" for t in tags}
    positions = graph.positions
    neighbours = sorted(by_id.values(), key=lambda n: positions[n.id])
    keys = [key for n in neighbours for key in _note_edge_keys(n, graph) if key[2] in kept]
    keys += [("links", f"note:{n.id}", f"note:{target}", "") for n in neighbours for target in forward.get(n.id, ())
             if f"note:{target}" in kept]
    keys.sort()  # by type, source, target and section, as graph.json lists them
    nodes = ([_note_node(n, graph, base_path) for n in neighbours] + [_paper_node(p, base_path) for p in papers]
             + [_tag_node(t, base_path) for t in tags])
    return JsonData(version=VERSION, nodes=nodes, edges=[_edge(*key) for key in keys])


def _note_node(note: Note, graph: Graph, base_path: str) -> dict[str, Any]:
    node: dict[str, Any] = {"id": f"note:{note.id}", "type": "note", "title": note.title, "url": _url(note.url, base_path)}
    if note.date:
        node["date"] = note.date.value.date().isoformat()
    node["tags"] = [tag.slug for tag in graph.tags_of.get(note.id, ())]
    return node


def _note_edge_keys(note: Note, graph: Graph) -> list[Edge]:
    """A note's tagged and discusses edges (one per section discussing the paper)."""
    return [*_tagged(note, graph), *_discusses(note)]


def _tagged(note: Note, graph: Graph) -> list[Edge]:
    return [("tagged", f"note:{note.id}", f"tag:{tag.slug}", "") for tag in graph.tags_of.get(note.id, ())]


def _discusses(note: Note) -> list[Edge]:
    source = f"note:{note.id}"
    return [("discusses", source, target, anchor) for target, anchor in _discussed(note)]


def _discussed(note: Note) -> list[tuple[str, str]]:
    """(``paper:ID``, section) of each discussion of a paper by the note (one per section
    mentioning it), sorted: its mentions, as every paper it mentions has a page."""
    return sorted({("paper:" + ref.id, ref.anchor) for ref in note.papers})


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

