"""Resolve links between notes (wikilinks, relative links) once every note is known, fill
embeds (``![[Note]]``, ``![[Note#Heading]]``, ``![[Note#^block]]``) with the content they name,
and derive backlinks. Bodies were rendered with placeholders; this is a cheap string pass."""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass, field, replace
from typing import Callable, Iterable, Iterator, Mapping, Sequence

from ..model import Diagnostic, LinkRef, Note
from ..urls import slugify

_PLACEHOLDER = re.compile(r'<a class="wikilink( embed)?" data-pn-link="(\d+)">(.*?)</a>', re.DOTALL)
_EMBED = re.compile(r'<div class="pn-embed" data-pn-link="(\d+)">(.*?)</div>\n?', re.DOTALL)
_NOTE_SUFFIX = re.compile(r"\.(md|markdown|txt)$", re.IGNORECASE)
_ID_ATTRIBUTE = re.compile(r'(<[a-zA-Z][^<>]*?)\s+id="[^"]*"')
_HEADING = re.compile(r"<h([1-6])\b[^>]*>")
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(/?)>")
#: How deep embeds nest (a note embedding a note embedding a note…) before they become links.
EMBED_DEPTH = 4
#: How many embeds one page fills in all (nested ones count): past it they are links, so a vault
#: whose notes each embed many notes that embed many notes cannot make a page grow exponentially.
EMBED_LIMIT = 200


_ONE_ID = "\0two notes of one id"  # among an index's shared keys: it is made again whenever notes change


def _filed(note: Note) -> dict[tuple[bool, str], None]:
    """Where ``note`` is filed, each place once: (True, its path) and (False, each of its names)."""
    path, names = _keys(note)
    return dict.fromkeys([*([(True, path)] if path is not None else []), *((False, name) for name in names)])


def _keys(note: Note) -> tuple[str | None, list[str]]:
    """What ``LinkIndex`` files ``note`` under: its path without the suffix (None for a feed's
    item) and its names (title, aliases, file name, id), lower-cased."""
    stem_path = _NOTE_SUFFIX.sub("", note.source.rel).lower()
    path = stem_path if note.source.item is None else None
    names = (note.title, *note.aliases, posixpath.basename(stem_path) if path is not None else "", note.id)
    return path, [name.strip().lower() for name in names if name]


@dataclass(frozen=True)
class LinkIndex:
    """Every name a note can be linked by (title, alias, file name, path, slug), lower-cased."""

    by_name: dict[str, Note]
    by_path: dict[str, Note]
    by_id: dict[str, Note] = field(default_factory=dict)
    embedders: tuple[Note, ...] = ()  # the notes that embed other notes
    shared: frozenset[str] = frozenset()  # the names and paths more than one note is filed under (the first takes each)

    @classmethod
    def of(cls, notes: Iterable[Note]) -> "LinkIndex":
        by_name: dict[str, Note] = {}
        by_path: dict[str, Note] = {}
        by_id: dict[str, Note] = {}
        shared: set[str] = set()
        for note in notes:
            if by_id.setdefault(note.id, note) is not note:
                shared.add(_ONE_ID)
            path, names = _keys(note)
            if path is not None and by_path.setdefault(path, note) is not note:
                shared.add(path)
            for name in names:
                if by_name.setdefault(name, note) is not note:
                    shared.add(name)
        return cls(by_name, by_path, by_id, tuple(n for n in by_id.values() if has_embeds(n)), frozenset(shared))

    def updated(self, notes: Sequence[Note]) -> "LinkIndex":
        """``LinkIndex.of(notes)``, made from this index: the names of the notes gone or changed
        taken out and those of the notes new or changed filed, in place, while no other note is
        filed under any of them; else made again (the first note to claim a name takes it)."""
        by_id: dict[str, Note] = {}
        for note in notes:
            by_id.setdefault(note.id, note)
        left = [note for note_id, note in self.by_id.items() if by_id.get(note_id) is not note]
        came = [note for note_id, note in by_id.items() if self.by_id.get(note_id) is not note]
        if len(by_id) != len(notes) or _ONE_ID in self.shared or len(left) + len(came) > len(notes) // 8 + 8:
            return LinkIndex.of(notes)
        by_name, by_path = dict(self.by_name), dict(self.by_path)
        was = {note.id: _filed(note) for note in left}
        for note in left:  # the notes gone first: a note new may take a name one left
            if note.id not in by_id and self._clash(was[note.id]):
                return LinkIndex.of(notes)
            for is_path, key in was[note.id] if note.id not in by_id else ():
                del (by_path if is_path else by_name)[key]  # this note's alone
        for note in came:  # a note changed keeps its place in the index under each name it kept
            before, now = was.get(note.id, {}), _filed(note)
            if self._clash(before) or self._clash(now):
                return LinkIndex.of(notes)
            for is_path, key in before.keys() - now.keys():
                del (by_path if is_path else by_name)[key]
            for place in now:
                index = by_path if place[0] else by_name
                if place not in before and place[1] in index:
                    return LinkIndex.of(notes)
                index[place[1]] = note
        embedders = tuple(n for n in by_id.values() if has_embeds(n)) if any(map(has_embeds, left + came)) else self.embedders
        return LinkIndex(by_name, by_path, by_id, embedders, self.shared)

    def _clash(self, places: Iterable[tuple[bool, str]]) -> bool:
        """Whether another note may be filed at any of ``places`` (``_filed``'s)."""
        return any(key in self.shared for _, key in places)

    def renamed(self, fresh: Mapping[str, Note]) -> "LinkIndex":
        """The index with the notes in ``fresh`` (by id) in place of their earlier versions,
        under the names they have now (``updated``)."""
        return self.updated([fresh.get(note.id, note) for note in self.by_id.values()])

    def with_notes(self, fresh: Mapping[str, Note]) -> "LinkIndex":
        """This index with the notes in ``fresh`` (by id, under the same names) in place of their
        earlier versions: what embeds show after an edit that kept every note's shape (and no
        body edited away stays held, in memory and in the state saved)."""
        if not fresh:
            return self
        by_name, by_path, by_id = dict(self.by_name), dict(self.by_path), dict(self.by_id)
        for note_id, note in fresh.items():
            old = self.by_id.get(note_id)
            if old is None:
                continue
            path, names = _keys(old)
            for index, key in ((by_id, note_id), (by_path, path), *((by_name, name) for name in names)):
                if key is not None and index.get(key) is old:  # the name may be another note's, which came first
                    index[key] = note
        return LinkIndex(by_name, by_path, by_id, tuple(fresh.get(n.id, n) for n in self.embedders), self.shared)

    def embedding(self, ids: Iterable[str]) -> list[Note]:
        """The notes whose embeds show (directly or through other embeds) any note in ``ids``."""
        wanted, found = set(ids), []
        grew = bool(self.embedders)
        while grew:
            grew = False
            for note in self.embedders:
                if note.id not in wanted and any(
                        (target := self.find(link, note)) is not None and target.id in wanted
                        for link in note.body.links if link.embed):
                    wanted.add(note.id)
                    found.append(note)
                    grew = True
        return found

    def find(self, link: LinkRef, origin: Note) -> Note | None:
        target = link.target.strip()
        if link.fallback:  # [x](/folder/Note): a path from the vault's root, or a URL of the site
            return self.by_path.get(_NOTE_SUFFIX.sub("", posixpath.normpath(target)).lstrip("/").lower())
        if "/" in target or _NOTE_SUFFIX.search(target):
            folder = posixpath.dirname(origin.source.rel)
            path = posixpath.normpath(posixpath.join(folder, _NOTE_SUFFIX.sub("", target))).lower()
            found = self.by_path.get(path) or self.by_path.get(_NOTE_SUFFIX.sub("", target).lower().lstrip("/"))
            if found:
                return found
        return self.by_name.get(_name_of(target))


def resolve_links(notes: tuple[Note, ...], index: LinkIndex, base_path: str,
                  keep: Callable[[Note], Note] | None = None,
                  earlier: EarlierLinks | None = None) -> tuple[tuple[Note, ...], dict[str, tuple[str, ...]], list[Diagnostic]]:
    """Notes with link placeholders replaced by URLs (or marked broken) through ``index``, the ids
    of the notes linking to each note, and a warning per unresolved link. ``keep`` (a body
    store's) takes each linked note's new body out of memory as soon as it is made, so that the
    bodies of a large site are never all held at once. A note linked as ``earlier`` linked it
    (the same note, its links leading to the same notes, no embed) is taken from there, so
    that a note that did not change stays the object it was."""
    problems: list[Diagnostic] = []
    linking: dict[str, list[str]] = {}
    resolved = []
    for note in notes:
        again = earlier.link(note, index) if earlier is not None else None
        if again is None and not note.body.links:
            resolved.append(note)
            continue
        if again is not None:
            linked_note, target_ids, found = again
        else:
            linked_note, target_ids, found = link_note(note, index, base_path)
            linked_note = linked_note if keep is None else keep(linked_note)
        problems.extend(found)
        for target_id in target_ids:
            if target_id is not None and target_id != note.id and note.id not in linking.setdefault(target_id, []):
                linking[target_id].append(note.id)
        resolved.append(linked_note)
    return tuple(resolved), {k: tuple(v) for k, v in linking.items()}, problems


@dataclass(frozen=True)
class EarlierLinks:
    """The notes as an earlier linking left them (``notes``, by id) and the index it linked
    them through."""

    index: LinkIndex
    notes: Mapping[str, Note]

    def link(self, note: Note, index: LinkIndex) -> tuple[Note, tuple[str | None, ...], tuple[Diagnostic, ...]] | None:
        """What ``link_note`` gives ``note`` through ``index``, when the earlier linking made it
        of the same note with each link leading to the same note (None otherwise): a link shows
        its target's URL, title and headings, all in its digest. A note that embeds another is
        linked anew (an embed shows the embedded note's own embeds)."""
        before = self.index.by_id.get(note.id)
        done = self.notes.get(note.id)
        if before is None or done is None or (before is not note and before != note):
            return None
        links = note.body.links
        if not links:  # most notes: nothing to look up
            return done, (), ()
        if has_embeds(note):
            return None
        targets = [index.find(link, note) for link in links]
        if any(now != self.index.find(link, note) for link, now in zip(links, targets)):
            return None
        return done, tuple(t.id if t else None for t in targets), tuple(_link_problems(note, links, targets))


def names_linked(note: Note) -> Iterator[str]:
    """The names ``LinkIndex.find`` looks the note's links up by."""
    return (_name_of(link.target.strip()) for link in note.body.links if not link.fallback)


def _name_of(target: str) -> str:
    """The name a link's target is looked up by when no path matches: a path by its last part."""
    if "/" in target or _NOTE_SUFFIX.search(target):
        target = posixpath.basename(_NOTE_SUFFIX.sub("", target))
    return target.lower()


def has_embeds(note: Note) -> bool:
    """Whether the note shows another note's content."""
    return any(link.embed for link in note.body.links)


def link_note(note: Note, index: LinkIndex, base_path: str) -> tuple[Note, tuple[str | None, ...], tuple[Diagnostic, ...]]:
    """The note with its links resolved against ``index`` and its embeds filled, the id each link
    leads to, and a warning per link that leads nowhere (or into an embed cycle)."""
    if not note.body.links:
        return note, (), ()
    problems: list[Diagnostic] = []
    body, targets = _linked(note, index, base_path, (note.id,), problems, [EMBED_LIMIT])
    return note.with_body(replace(note.body, stored=body)), tuple(t.id if t else None for t in targets), tuple(problems)


def _linked(note: Note, index: LinkIndex, base_path: str, trail: tuple[str, ...],
            problems: list[Diagnostic], budget: list[int]) -> tuple[str, list[Note | None]]:
    """``note``'s body with links resolved and embeds filled (``trail``: the notes being embedded
    into one another, outermost first; ``budget``: how many more embeds the page may fill);
    problems are collected for the outermost note only."""
    links = note.body.links
    targets = [index.find(link, note) for link in links]
    outermost = len(trail) == 1
    if outermost:
        problems.extend(_link_problems(note, links, targets))

    def embed(match: re.Match[str]) -> str:
        position = int(match.group(1))
        link, target = links[position], targets[position]
        if target is None:
            return f'<p><span class="wikilink broken embed" title="No note is called this">{match.group(2)}</span></p>\n'
        href = base_path + target.url.lstrip("/") + _anchor(link.anchor, target)
        cycle = target.id in trail
        if cycle or len(trail) > EMBED_DEPTH or budget[0] <= 0:
            if cycle and target.id == trail[0]:
                names = " → ".join(index.by_id[i].title if i in index.by_id else i for i in (*trail, target.id))
                problems.append(Diagnostic("warning", note.source.path, link.line, link.col,
                                           f"embed cycle: {names}; shown as a link"))
            return f'<p><a class="wikilink embed" href="{html.escape(href)}">{match.group(2)}</a></p>\n'
        budget[0] -= 1
        shown, _ = _linked(target, index, base_path, (*trail, target.id), problems, budget)
        part = _part(shown, link.anchor, target)
        if part is None:
            if outermost:
                problems.append(Diagnostic("warning", note.source.path, link.line, link.col,
                                           f"embedded note {target.title!r} has no {'block' if link.anchor.startswith('^') else 'heading'} {link.anchor!r}"))
            return f'<p><a class="wikilink embed" href="{html.escape(href)}">{match.group(2)}</a></p>\n'
        source = html.escape(target.title + (f" › {link.anchor}" if link.anchor and link.anchor[0] != "^" else ""))
        content = _ID_ATTRIBUTE.sub(r"\1", part)  # ids belong to the embedded note's own page
        return (f'<blockquote class="embed" data-embed="{html.escape(target.id)}">\n{content}'
                f'<p class="embed-source"><a href="{html.escape(href)}">{source}</a></p>\n</blockquote>\n')

    body = _EMBED.sub(embed, note.body.html) if any(link.embed for link in links) else note.body.html
    return _PLACEHOLDER.sub(lambda m: _link_html(m, links, targets, base_path), body), targets


def _link_problems(note: Note, links: tuple[LinkRef, ...], targets: list[Note | None]) -> Iterator[Diagnostic]:
    """A warning for each link of ``note`` that leads nowhere, or to a block its target lacks."""
    for link, target in zip(links, targets):
        if target is None and not link.fallback:
            kind = "embedded note not found: ![[" if link.embed else "unresolved wikilink [["
            yield Diagnostic("warning", note.source.path, link.line, link.col,
                             f"{kind}{link.target}{'#' + link.anchor if link.anchor else ''}]]")
        elif target is not None and link.anchor.startswith("^") and link.anchor[1:] not in target.body.blocks:
            yield Diagnostic("warning", note.source.path, link.line, link.col, f"no block {link.anchor} in {target.title!r}")


def _part(body: str, anchor: str, target: Note) -> str | None:
    """The whole ``body``, the section under heading ``anchor`` or the block ``^id``; None when
    the note has no such heading or block."""
    if not anchor:
        return body
    if anchor.startswith("^"):
        return _element(body, anchor)
    wanted = _anchor(anchor, target)[1:]
    if not any(heading.id == wanted for heading in target.body.headings):
        return None
    start = body.find(f' id="{html.escape(wanted)}"')
    opening = body.rfind("<h", 0, start)
    match = _HEADING.match(body, opening) if opening >= 0 else None
    if match is None:
        return None
    level = int(match.group(1))
    for following in _HEADING.finditer(body, match.end()):
        if int(following.group(1)) <= level:
            return body[opening:following.start()]
    return body[opening:]


def _element(body: str, element_id: str) -> str | None:
    """The element of ``body`` whose id is ``element_id`` (a list item inside a list of its own)."""
    start = body.find(f' id="{html.escape(element_id)}"')
    opening = body.rfind("<", 0, start)
    if start < 0 or opening < 0:
        return None
    tag = _TAG.match(body, opening)
    if tag is None:
        return None
    name, depth = tag.group(2).lower(), 0
    for other in _TAG.finditer(body, opening):
        if other.group(2).lower() != name or other.group(3):
            continue
        depth += -1 if other.group(1) else 1
        if depth == 0:
            element = body[opening:other.end()]
            return f"<ul>\n{element}\n</ul>\n" if name == "li" else element + "\n"
    return None


def _link_html(match: re.Match[str], links: tuple[LinkRef, ...], targets: list[Note | None], base_path: str) -> str:
    position = int(match.group(2))
    label = match.group(3)
    target = targets[position] if position < len(targets) else None
    if target is None and position < len(links) and links[position].fallback:
        return f'<a href="{html.escape(links[position].fallback)}">{label}</a>'
    if target is None:
        return f'<span class="wikilink broken" title="No note is called this">{label}</span>'
    href = base_path + target.url.lstrip("/") + _anchor(links[position].anchor, target)
    return f'<a class="wikilink{match.group(1) or ""}" href="{html.escape(href)}">{label}</a>'


def _anchor(anchor: str, target: Note) -> str:
    if not anchor:
        return ""
    anchor = anchor.rsplit("#", 1)[-1]  # Obsidian's heading path [[Note#Part#Sub]] names its last heading
    if anchor.startswith("^"):  # a block id, as the element's id
        return "#" + anchor
    wanted = slugify(anchor, "section")
    for heading in target.body.headings:
        if heading.id == anchor or heading.id == wanted or slugify(heading.text, "section") == wanted:
            return "#" + heading.id
    return "#" + wanted
