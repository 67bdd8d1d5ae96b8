"""What a command-line build keeps of its engine's reads and graph between processes: the state as
last saved whole, and what later builds changed in it, so that a build after an edit of a few
notes writes those notes again rather than every note of the site.

The whole (the reads, the notes the graph was built from, the graph, the folder walks) is saved
under a random token; the changes since carry the same token, and a pair whose tokens differ is
not used. Replaying the changes swaps the edited notes into the whole by id, as ``after_edit``
swapped them in (and groups the tags again when theirs changed), so the graph comes back as the
build that saved it held it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from typing import Any

from .config import Config
from .graph import Graph, retagged, titles_taken
from .model import Diagnostic, Note, ids_of
from .papers.registry import Registry

SAVED_EDITS = 200  # past this many notes or files changed since the whole, it is saved whole again

Reads = dict[str, Any]  # a ReadCache's memory: file → (stat, inputs digest, result)
Walks = dict[str, Any]  # a WalkMemo's walks


@dataclass(frozen=True)
class Whole:
    """The reads, notes, graph and walks as last saved whole, under ``token``."""

    token: str
    reads: Reads
    notes_in: tuple[Note, ...]
    graph: Graph
    walks: Walks

    @classmethod
    def taken(cls, reads: Reads, notes_in: tuple[Note, ...], graph: Graph, walks: Walks) -> Whole:
        """The state about to be saved whole, under a new token."""
        return cls(os.urandom(16).hex(), dict(reads), notes_in, graph, walks)


@dataclass(frozen=True)
class Changes:
    """What changed since the whole: the reads of files read again, the notes as read at the
    positions that changed, the notes linked again (as the graph holds them and as its link
    index does), the graph's problems (None with the graph unchanged), the walks (None: the
    same) and the ids of the notes linking to each note whose backlinks changed."""

    reads: Reads
    notes_in: dict[int, Note]
    linked: dict[str, Note]
    indexed: dict[str, Note]
    diagnostics: tuple[Diagnostic, ...] | None
    walks: Walks | None
    backlinks: dict[str, tuple[str, ...]] = field(default_factory=dict)


def changes_since(whole: Whole, reads: Reads, notes_in: tuple[Note, ...], graph: Graph, walks: Walks,
                  relinked: frozenset[str]) -> Changes | None:
    """What changed since ``whole`` in an engine whose graph was made from the whole's by swapping
    in the notes ``relinked``; None when so much changed that the whole is to be saved again."""
    if len(notes_in) != len(whole.notes_in) or len(relinked) > SAVED_EDITS or not whole.reads.keys() <= reads.keys():
        return None
    read = {rel: entry for rel, entry in reads.items() if whole.reads.get(rel) is not entry}
    moved = {index: note for index, (note, was) in enumerate(zip(notes_in, whole.notes_in)) if note is not was}
    if len(read) > SAVED_EDITS or len(moved) > SAVED_EDITS:
        return None
    linked = {note_id: graph.notes[graph.positions[note_id]] for note_id in relinked}
    indexed = {note_id: graph.index.by_id[note_id] for note_id in relinked if note_id in graph.index.by_id}
    same_walks = walks.keys() == whole.walks.keys() and all(whole.walks[name] is walk for name, walk in walks.items())
    return Changes(read, moved, linked, indexed, None if graph is whole.graph else graph.diagnostics,
                   None if same_walks else walks, _backlinks_since(whole.graph, graph))


def _backlinks_since(whole: Graph, graph: Graph) -> dict[str, tuple[str, ...]]:
    """The ids of the notes linking to each note whose backlinks differ from the whole's."""
    now, was = graph.backlinks, whole.backlinks
    if now is was:
        return {}
    differing = {target: ids_of(now.get(target, ())) for target in now.keys() | was.keys()
                 if now.get(target) is not was.get(target)}  # the same tuple: the same notes (most, after an edit)
    return {target: ids for target, ids in differing.items() if ids != ids_of(was.get(target, ()))}


def replayed(whole: Whole, changes: Changes, config: Config,
             registry: Registry) -> tuple[Reads, tuple[Note, ...], Graph, Walks]:
    """The reads, notes, graph and walks of the engine that saved ``changes`` after ``whole``
    (``config`` and ``registry``, those the graph was built with: to group again the tags of
    notes whose tags changed, and title again the papers of those retitled)."""
    notes_in = list(whole.notes_in)
    for index, note in changes.notes_in.items():
        notes_in[index] = note
    graph = whole.graph
    if changes.diagnostics is not None:
        retitled = [i for i, note in changes.linked.items() if note.title != graph.notes[graph.positions[i]].title]
        metas = titles_taken(graph, {i: changes.linked[i] for i in retitled}, registry)
        swapped = graph.with_notes(changes.linked, metas)[0]
        if changes.backlinks:  # links that lead elsewhere since a note was retitled
            swapped = swapped.with_backlinks(changes.backlinks)
        tagged = [i for i, note in changes.linked.items() if note.tags != graph.notes[graph.positions[i]].tags]
        if tagged:
            regrouped = retagged(graph, swapped, tagged, config.urls.tag)
            if regrouped is None:
                raise ValueError("the tags saved do not group as they did")
            swapped = regrouped[0]
        if retitled:  # each in its place among the notes of its date
            reordered = swapped.reordered(retitled)
            if reordered is None:
                raise ValueError("the notes retitled do not take their places as they did")
            swapped = reordered[0]
        names = graph.index.renamed(changes.indexed) if retitled else graph.index.with_notes(changes.indexed)
        graph = replace(swapped, index=names, diagnostics=changes.diagnostics)
    return {**whole.reads, **changes.reads}, tuple(notes_in), graph, whole.walks if changes.walks is None else changes.walks
