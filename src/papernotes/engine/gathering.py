"""The notes a read publishes, as the graph takes them, and the read's problems: each file's
result gathered (``published``), a note present twice published once (``merge_duplicates``), a
Hugo section note listing its children (``list_section_children``), a syntax papernotes does
not render told once for the site (``once_per_site``).

Gathered in full, that is a handful of passes over every note and problem of the site. After an
edit that changed a few files' results in place, it is the last gathering with those results put
where theirs were, when nothing the passes do depends on them: each file's notes are its own
(no draft left out, no feed item, no section note) and its problems told as read, before and
after the edit, as many as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import accumulate
from operator import attrgetter
from typing import Iterable, Sequence

from ..graph.duplicates import merge_duplicates
from ..graph.sections import is_section_note, list_section_children
from ..model import Diagnostic, Note, ReadResult
from ..read.site import published
from ..read.unsupported import NOT_SUPPORTED, once_per_site

_NOTES, _PROBLEMS = attrgetter("notes"), attrgetter("diagnostics")


@dataclass(frozen=True)
class Gathered:
    """Each file's result as gathered (None: a file without one), the notes and problems made of
    them, and where each file's notes and problems begin among those (None: the notes or
    problems are not each file's own, so the next gathering is made in full)."""

    results: tuple[ReadResult | None, ...]
    drafts: bool
    base_path: str
    notes: tuple[Note, ...]
    problems: tuple[Diagnostic, ...]
    starts: tuple[tuple[int, ...], tuple[int, ...]] | None


def gathered(results: Sequence[ReadResult | None], drafts: bool, base_path: str, last: Gathered | None = None,
             changed: Iterable[int] | None = None) -> Gathered:
    """The notes and problems of ``results`` (drafts only when ``drafts``); from ``last`` when
    ``changed`` names every position whose result may differ from its own."""
    results = tuple(results)
    if last is not None and changed is not None:
        again = _again(last, results, drafts, base_path, changed)
        if again is not None:
            return again
    read = published((result for result in results if result is not None), drafts)
    notes, repeated = merge_duplicates(read.notes)
    notes = list_section_children(notes, base_path)
    told = once_per_site(read.diagnostics)
    problems = (*told, *repeated)
    starts = _starts(results) if notes is read.notes and told is read.diagnostics and not repeated else None
    if starts is not None and (starts[0][-1], starts[1][-1]) != (len(notes), len(problems)):
        starts = None  # drafts left out
    return Gathered(results, drafts, base_path, notes, problems, starts)


def _starts(results: tuple[ReadResult | None, ...]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Where each file's notes and problems begin, when each file's are its own."""
    present = [result or ReadResult() for result in results]
    return (tuple(accumulate(map(len, map(_NOTES, present)), initial=0)),
            tuple(accumulate(map(len, map(_PROBLEMS, present)), initial=0)))


def _again(last: Gathered, results: tuple[ReadResult | None, ...], drafts: bool, base_path: str,
           changed: Iterable[int]) -> Gathered | None:
    """``last`` with the results at ``changed`` in place of its own; None when a changed result
    would be gathered otherwise than one put in its place."""
    if last.starts is None or len(results) != len(last.results) or (drafts, base_path) != (last.drafts, last.base_path):
        return None
    note_starts, problem_starts = last.starts
    notes, problems = list(last.notes), list(last.problems)
    for index in changed:
        old, new = last.results[index], results[index]
        if old is new:
            continue
        if old is None or new is None or not _as_read(new) or len(new.notes) != len(old.notes) \
                or len(new.diagnostics) != len(old.diagnostics) \
                or (new.site_variables, new.registry_lookups) != (old.site_variables, old.registry_lookups):
            return None
        notes[note_starts[index]:note_starts[index + 1]] = new.notes
        problems[problem_starts[index]:problem_starts[index + 1]] = new.diagnostics
    return Gathered(results, drafts, base_path, tuple(notes), tuple(problems), last.starts)


def _as_read(result: ReadResult) -> bool:
    """Whether gathering leaves ``result`` as read: no draft, feed item or section note among
    its notes, no syntax left unrendered among its problems."""
    return (not any(note.draft or note.source.item is not None or is_section_note(note) for note in result.notes)
            and not any(NOT_SUPPORTED in problem.message for problem in result.diagnostics))
