"""Resolve links between notes (wikilinks, relative links) once every note is known, and
derive backlinks. Bodies were rendered with placeholders; this is a cheap string pass."""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass, field, replace
from typing import Iterable

from .model import Diagnostic, LinkRef, Note
from .urls import slugify

_PLACEHOLDER = re.compile(r'<a class="wikilink( embed)?" data-pn-link="(\d+)">(.*?)</a>', re.DOTALL)
_NOTE_SUFFIX = re.compile(r"\.(md|markdown|txt)$", re.IGNORECASE)


@dataclass(frozen=True)
class LinkIndex:
    """Every name a note can be linked by (title, alias, file name, path, slug), lower-cased."""

    by_name: dict[str, Note]
    by_path: dict[str, Note]

    @classmethod
    def of(cls, notes: Iterable[Note]) -> "LinkIndex":
        by_name: dict[str, Note] = {}
        by_path: dict[str, Note] = {}
        for note in notes:
            stem_path = _NOTE_SUFFIX.sub("", note.source.rel).lower()
            if note.source.item is None:
                by_path.setdefault(stem_path, note)
            for name in (note.title, *note.aliases, posixpath.basename(stem_path) if note.source.item is None else "", note.id):
                if name:
                    by_name.setdefault(name.strip().lower(), note)
        return cls(by_name, by_path)

    def find(self, link: LinkRef, origin: Note) -> Note | None:
        target = link.target.strip()
        if "/" in target or _NOTE_SUFFIX.search(target):
            folder = posixpath.dirname(origin.source.rel)
            path = posixpath.normpath(posixpath.join(folder, _NOTE_SUFFIX.sub("", target))).lower()
            found = self.by_path.get(path) or self.by_path.get(_NOTE_SUFFIX.sub("", target).lower().lstrip("/"))
            if found:
                return found
            target = posixpath.basename(_NOTE_SUFFIX.sub("", target))
        return self.by_name.get(target.lower())


@dataclass
class LinkMemo:
    """Links resolved by the previous build in this process: reused for notes whose content and
    the set of linkable names are unchanged (the preview server keeps one)."""

    index_key: object = None
    index: LinkIndex | None = None
    resolved: dict[bytes, tuple[Note, tuple[str | None, ...], tuple[Diagnostic, ...]]] = field(default_factory=dict)


def resolve_links(notes: tuple[Note, ...], base_path: str,
                  memo: LinkMemo | None = None) -> tuple[tuple[Note, ...], dict[str, tuple[str, ...]], list[Diagnostic]]:
    """Notes with link placeholders replaced by URLs (or marked broken), the ids of the notes
    linking to each note, and a warning per unresolved link."""
    index = LinkIndex.of(notes)
    index_key = (base_path, tuple((n.id, n.url, n.title, n.aliases, n.source.rel, n.source.item is None,
                                   tuple(h.id for h in n.body.headings)) for n in notes))
    remembered: dict = {}
    if memo is not None:
        if memo.index_key == index_key:
            remembered = memo.resolved
        memo.index_key, memo.index, memo.resolved = index_key, index, {}
    problems: list[Diagnostic] = []
    linking: dict[str, list[str]] = {}
    resolved = []
    for note in notes:
        if not note.body.links:
            resolved.append(note)
            continue
        known = remembered.get(note.digest) or link_note(note, index, base_path)
        if memo is not None:
            memo.resolved[note.digest] = known
        linked_note, target_ids, found = known
        problems.extend(found)
        for target_id in target_ids:
            if target_id is not None and target_id != note.id and note.id not in linking.setdefault(target_id, []):
                linking[target_id].append(note.id)
        resolved.append(linked_note)
    return tuple(resolved), {k: tuple(v) for k, v in linking.items()}, problems


def link_note(note: Note, index: LinkIndex, base_path: str) -> tuple[Note, tuple[str | None, ...], tuple[Diagnostic, ...]]:
    """The note with its links resolved against ``index``, the id each link leads to, and a
    warning per link that leads nowhere."""
    if not note.body.links:
        return note, (), ()
    targets = [index.find(link, note) for link in note.body.links]
    found = tuple(
        Diagnostic("warning", note.source.path, link.line, link.col,
                   f"unresolved wikilink [[{link.target}{'#' + link.anchor if link.anchor else ''}]]")
        for link, target in zip(note.body.links, targets) if target is None)
    body = _PLACEHOLDER.sub(lambda m: _link_html(m, note.body.links, targets, base_path), note.body.html)
    return replace(note, body=replace(note.body, stored=body)), tuple(t.id if t else None for t in targets), found


def _link_html(match: re.Match[str], links: tuple[LinkRef, ...], targets: list[Note | None], base_path: str) -> str:
    position = int(match.group(2))
    label = match.group(3)
    target = targets[position] if position < len(targets) else None
    if target is None:
        return f'<span class="wikilink broken" title="No note is called this">{label}</span>'
    href = base_path + target.url.lstrip("/") + _anchor(links[position].anchor, target)
    return f'<a class="wikilink{match.group(1) or ""}" href="{html.escape(href)}">{label}</a>'


def _anchor(anchor: str, target: Note) -> str:
    if not anchor:
        return ""
    wanted = slugify(anchor, "section")
    for heading in target.body.headings:
        if heading.id == anchor or heading.id == wanted or slugify(heading.text, "section") == wanted:
            return "#" + heading.id
    return "#" + wanted
