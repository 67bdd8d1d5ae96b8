"""Hugo's section pages: a folder's ``_index.md`` introduces the notes of its folder, so its page
lists them (and the sections of its subfolders) where ``{{< list_children >}}`` stands, else
after its own text, ordered as Hugo orders them: by ``weight``, then title."""

from __future__ import annotations

import html
import posixpath
from dataclasses import replace
from typing import Iterable

from ..model import Note
from ..read.shortcodes import CHILDREN_MARK
from ..read.common import is_folder_note

SECTION_STEM = "_index"


def list_section_children(notes: Iterable[Note], base_path: str) -> tuple[Note, ...]:
    """``notes`` with each Hugo section note's children listed in its body."""
    notes = tuple(notes)
    sections = [note for note in notes if is_section_note(note)]
    if not sections:
        return notes
    by_folder: dict[str, list[Note]] = {}
    for note in notes:
        if note.source.item is not None or not note.source.rel:
            continue
        folder = posixpath.dirname(note.source.rel)
        if is_folder_note(note.source.rel):
            if folder:  # a subfolder's own note is listed in its parent folder
                by_folder.setdefault(posixpath.dirname(folder), []).append(note)
        else:
            by_folder.setdefault(folder, []).append(note)
    listed = {note.source.rel: _with_children(note, by_folder.get(posixpath.dirname(note.source.rel), []), base_path)
              for note in sections}
    return tuple(listed.get(note.source.rel, note) if note.source.item is None else note for note in notes)


def is_section_note(note: Note) -> bool:
    """Whether ``note`` is a Hugo section's own note (``_index.md``), which lists its children."""
    rel = note.source.rel
    return "_" in rel and note.source.item is None and SECTION_STEM in rel.lower() and _stem(rel) == SECTION_STEM


def _with_children(section: Note, children: list[Note], base_path: str) -> Note:
    children = sorted((c for c in children if c is not section), key=_order)
    items = "".join(f'<li><a href="{html.escape(base_path + child.url.lstrip("/"))}">'
                    f"{html.escape(str(child.meta.get('linktitle') or child.title))}</a></li>\n" for child in children)
    listing = f'<ul class="section-notes">\n{items}</ul>\n' if items else ""
    body = section.body.html
    body = body.replace(CHILDREN_MARK, listing, 1) if CHILDREN_MARK in body else body + listing
    return section.with_body(replace(section.body, stored=body))


def _order(note: Note) -> tuple[float, str]:
    weight = note.meta.get("weight")
    return (float(weight) if isinstance(weight, (int, float)) and not isinstance(weight, bool) else float("inf"),
            note.title.lower())


def _stem(rel: str) -> str:
    return posixpath.splitext(posixpath.basename(rel))[0].lower()
