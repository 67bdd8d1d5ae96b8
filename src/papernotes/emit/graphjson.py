"""``/graph.json``: notes, papers and tags with their edges (the schema in the README)."""

from __future__ import annotations

import functools
import hashlib
from itertools import islice
from operator import attrgetter
from typing import Any, Callable, Iterable, Iterator

from ..papers.authorship import Shelf, authors, venues
from ..sectioned import Section, Sectioned, cut, digest, runs
from ..config import Config
from ..graph import Graph
from ..jsonbytes import compact_json
from ..model import JsonData, Note, Tag, id_marks
from ..papers.papergraph import Paper

VERSION = 1
_ID = attrgetter("id")


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


def graph_json(graph: Graph, config: Config) -> Sectioned:
    """The site graph as stable, sorted JSON in UTF-8, with the bytes ``json.dumps`` of the whole
    document would give; URLs carry the base path. It comes in sections (``sectioned``): the
    notes' own edges and nodes in runs of notes, each known by the digests notes carry, so that
    a build after an edit makes again the runs around the notes it changed and copies the rest
    from the file it wrote last. Written as it comes, the document is never held whole, and
    only the edges of papers and shelves are held to be sorted (a 100,000-note site has about a
    million edges): the notes' own come note by note in the order of their ids."""
    base_path = config.base_path
    by_id = sorted(graph.notes, key=_ID)
    forward, tags_of = graph.forward, graph.tags_of
    papers = graph.papers.papers
    shelves = _Shelves(papers, config)
    cites = sorted(("cites", f"paper:{citing}", f"paper:{cited}", "") for citing, cited_ids in graph.papers.cites.items()
                   for cited in cited_ids)
    tag_nodes = [_tag_node(group.tag, base_path) for group in graph.tags]

    slugs_of = {note_id: "\0".join([tag.slug for tag in tags]) for note_id, tags in tags_of.items()}

    def slugs(note: Note) -> str:
        return slugs_of.get(note.id, "")

    def by_note(kind: str, notes: Iterable[list[Note]], items: Callable[[list[Note]], Iterator[object]],
                cards: Callable[[Note], bytes] | None = None, texts: Callable[[Note], str] | None = None) -> Iterator[Section]:
        """A section for each run of ``notes``, made of its ``items``, known by the notes' ids,
        ``cards`` (digests, each of one length) and ``texts`` (free of the bytes 0 and 1)."""
        for run in notes:
            known: list[str | bytes] = [kind, base_path, "\0".join(map(_ID, run))]
            if cards is not None:
                known.append(b"".join(map(cards, run)))
            if texts is not None:
                known.append("\1".join(map(texts, run)))
            yield Section(digest(*known), functools.partial(lambda run: _joined(items(run)), run))

    id_runs = list(cut(by_id, id_marks(by_id)))
    discusses = by_note("discusses", id_runs, lambda run: (
        {"anchor": anchor, "source": f"note:{note.id}", "target": target, "type": "discusses"}
        for note in run for target, anchor in _discussed(note)), cards=attrgetter("card"))
    links = by_note("links", id_runs, lambda run: (
        {"source": f"note:{note.id}", "target": f"note:{target}", "type": "links"}
        for note in run for target in forward.get(note.id, ())),
        texts=lambda note: "\0".join(forward.get(note.id, ())))
    tagged = by_note("tagged", id_runs, lambda run: (
        {"source": f"note:{note.id}", "target": f"tag:{slug}", "type": "tagged"}
        for note in run for slug in sorted(tag.slug for tag in tags_of.get(note.id, ()))), texts=slugs)
    note_nodes = by_note("note nodes", cut(list(graph.notes), id_marks(graph.notes)),
                         lambda run: (_note_node(note, graph, base_path) for note in run),
                         cards=lambda note: note.card_of(NOTE_FIELDS), texts=slugs)
    paper_nodes = (Section(digest("paper nodes", base_path, *(f"{p.id}\0{p.title}\0{p.url}\0{p.meta.year}" for p in run)),
                           functools.partial(lambda run: _joined(_paper_node(paper, base_path) for paper in run), run))
                   for run in runs(papers, _ID))
    return Sectioned((
        b'{"edges":[',
        Section(digest("cites", compact_json(cites)), lambda: _joined(_edge(*edge) for edge in cites)),
        *discusses, *links,
        Section(digest("published in", shelves.digest), lambda: _joined(_edge(*edge) for edge in shelves.published_in())),
        *tagged,
        Section(digest("wrote", shelves.digest), lambda: _joined(_edge(*edge) for edge in shelves.wrote())),
        b'],"nodes":[',
        *note_nodes, *paper_nodes,
        Section(digest("tag nodes", compact_json(tag_nodes)), lambda: _joined(tag_nodes)),
        Section(digest("shelf nodes", base_path, shelves.digest), lambda: _joined(shelves.nodes(base_path))),
        b'],"version":' + compact_json(VERSION) + b"}\n"), separator=b",")


class _Shelves:
    """The authors and venues of ``papers`` as graph.json shows them, made when first asked for;
    ``digest`` takes everything they are made from."""

    def __init__(self, papers: tuple[Paper, ...], config: Config) -> None:
        self.papers, self.config = papers, config
        self.digest = digest(config.urls.author, config.urls.venue, repr([
            (paper.id, paper.meta.authors, paper.meta.author_ids, paper.meta.venue, paper.meta.venue_id) for paper in papers]))

    @functools.cached_property
    def shelves(self) -> tuple[tuple[Shelf, ...], tuple[Shelf, ...]]:
        return authors(self.papers, self.config.urls.author), venues(self.papers, self.config.urls.venue)

    def published_in(self) -> list[Edge]:
        return sorted(("published_in", f"paper:{paper.id}", shelf.id, "") for shelf in self.shelves[1] for paper in shelf.papers)

    def wrote(self) -> list[Edge]:
        return sorted(("wrote", shelf.id, f"paper:{paper.id}", "") for shelf in self.shelves[0] for paper in shelf.papers)

    def nodes(self, base_path: str) -> Iterator[dict[str, Any]]:
        return (_shelf_node(shelf, base_path) for kind in self.shelves for shelf in kind)


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

