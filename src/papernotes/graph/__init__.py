"""The graph stage: link the notes into a site graph: order, neighbours, tags, date buckets and
collisions. ``links`` resolves links, backlinks and embeds between notes, ``duplicates`` merges the
same writing found twice, ``sections`` gives Hugo section pages their children; papers come from
``papers.papergraph``.
"""

from __future__ import annotations

import bisect
import operator
from dataclasses import dataclass, replace
from pathlib import PurePosixPath
from types import MappingProxyType
from typing import Callable, Collection, Iterable, Mapping

from ..collector import paused
from ..config import Config
from .links import EarlierLinks, LinkIndex, names_linked, resolve_links
from ..model import Diagnostic, Note, NoteDate, Tag
from ..papers.papergraph import (RELATING_TAG, Earlier, Paper, PaperGraph, Placed, build_paper_graph, canonical_papers,
                                 match_feed_titles, paper_metas, related_notes, subject_paper, swap_notes)
from ..papers.registry import PaperMeta, Registry, papers_changed
from ..urls import slugify



@dataclass(frozen=True)
class TagGroup:
    """A tag and the notes carrying it, newest first."""

    tag: Tag
    notes: tuple[Note, ...]


@dataclass(frozen=True)
class MonthGroup:
    year: int
    month: int
    notes: tuple[Note, ...]


@dataclass(frozen=True)
class YearGroup:
    year: int
    months: tuple[MonthGroup, ...]

    @property
    def notes(self) -> tuple[Note, ...]:
        return tuple(note for month in self.months for note in month.notes)


@dataclass(frozen=True)
class Graph:
    """Everything pages need to know about how notes relate; built once per build."""

    notes: tuple[Note, ...]
    tags: tuple[TagGroup, ...]
    years: tuple[YearGroup, ...]
    undated: tuple[Note, ...]
    tags_of: dict[str, tuple[Tag, ...]]
    positions: dict[str, int]
    backlinks: dict[str, tuple[Note, ...]]
    forward: dict[str, tuple[str, ...]]  # note id → the ids of the notes it links to, in order of id
    papers: PaperGraph
    index: LinkIndex  # the names notes are linked by, for embeds shown again after an edit
    diagnostics: tuple[Diagnostic, ...] = ()

    def with_notes(self, fresh: Mapping[str, Note],
                   metas: Mapping[str, PaperMeta] = MappingProxyType({})) -> tuple[Graph, frozenset[str]]:
        """This graph with the notes in ``fresh`` (by id) in place of their earlier versions, which
        sit in the same places (their ``shape`` is the same), and the papers in ``metas`` under
        that metadata (``titles_taken``); and the papers whose discussions or metadata changed."""
        placed = [self.notes[self.positions[note_id]] for note_id in fresh if note_id in self.positions]
        if len(placed) < len(fresh):  # a note the graph does not hold: looked for everywhere
            return self._with_notes_anywhere(fresh, metas)
        months = {_month(note.date) for note in placed if note.date is not None}  # where the notes are, and stay
        slugs = {tag.slug for note in placed for tag in self.tags_of.get(note.id, ())}
        notes = list(self.notes)
        for note in placed:
            notes[self.positions[note.id]] = fresh[note.id]
        years = tuple(replace(year, months=tuple(replace(month, notes=swap_notes(month.notes, fresh))
                                                 if (month.year, month.month) in months else month
                                                 for month in year.months)) for year in self.years)
        undated = swap_notes(self.undated, fresh) if any(note.date is None for note in placed) else self.undated
        tags = tuple(replace(group, notes=swap_notes(group.notes, fresh)) if group.tag.slug in slugs else group
                     for group in self.tags)
        return self._swapped(fresh, metas, tuple(notes), years, undated, tags)

    def _with_notes_anywhere(self, fresh: Mapping[str, Note], metas: Mapping[str, PaperMeta]) -> tuple[Graph, frozenset[str]]:
        years = tuple(replace(year, months=tuple(replace(month, notes=swap_notes(month.notes, fresh))
                                                 for month in year.months)) for year in self.years)
        tags = tuple(replace(group, notes=swap_notes(group.notes, fresh)) for group in self.tags)
        return self._swapped(fresh, metas, swap_notes(self.notes, fresh), years, swap_notes(self.undated, fresh), tags)

    def _swapped(self, fresh: Mapping[str, Note], metas: Mapping[str, PaperMeta], notes: tuple[Note, ...],
                 years: tuple[YearGroup, ...], undated: tuple[Note, ...],
                 tags: tuple[TagGroup, ...]) -> tuple[Graph, frozenset[str]]:
        papers, renewed = self.papers.with_notes(fresh, metas)
        linked = {target for note_id in fresh for target in self.forward.get(note_id, ())}  # whose backlinks hold them
        backlinks = {**self.backlinks, **{target: swap_notes(self.backlinks[target], fresh) for target in linked}}
        return replace(self, notes=notes, years=years, undated=undated, tags=tags, backlinks=backlinks, papers=papers,
                       index=self.index.with_notes(fresh)), renewed

    def reordered(self, note_ids: Collection[str]) -> tuple[Graph, frozenset[str], frozenset[str]] | None:
        """This graph with the notes ``note_ids`` (retitled) moved to their places in the site's
        order; the ids of the notes whose places changed, and of the others whose related notes
        changed. Each list of notes in the site's order is sorted, and only the notes moved change
        places with others, so only the lists holding them are sorted again. None when a note
        that changed places discusses a paper of one moved (the order of a paper's discussions
        decides which title it takes)."""
        note_ids = frozenset(note_ids)
        if all(self._between_neighbours(i, note_ids) for i in note_ids):  # nothing moves: nor do related notes
            return self, note_ids, frozenset()
        moving = sorted((self.notes[self.positions[i]] for i in note_ids), key=lambda n: n.sort_key)
        notes = [note for note in self.notes if note.id not in note_ids]
        for note in moving:
            notes.insert(bisect.bisect_left(notes, note.sort_key, key=lambda n: n.sort_key), note)
        positions = {note.id: index for index, note in enumerate(notes)}
        passed = frozenset(i for i, index in positions.items() if self.positions[i] != index) | note_ids
        papers = {paper.id for i in note_ids for paper in self.papers.papers_of.get(i, ())}
        if any(paper.id in papers for i in passed - note_ids for paper in self.papers.papers_of.get(i, ())):
            return None

        def placed(group: tuple[Note, ...]) -> tuple[Note, ...]:
            return tuple(sorted(group, key=lambda n: positions[n.id]))

        slugs = {tag.slug for i in note_ids for tag in self.tags_of.get(i, ())}
        tags = tuple(replace(group, notes=placed(group.notes)) if group.tag.slug in slugs else group for group in self.tags)
        months = {_month(note.date) for note in moving if note.date is not None}
        years = tuple(replace(year, months=tuple(replace(month, notes=placed(month.notes))
                                                 if (month.year, month.month) in months else month
                                                 for month in year.months)) for year in self.years)
        undated = placed(self.undated) if any(note.date is None for note in moving) else self.undated
        backlinks = {**self.backlinks, **{target: placed(self.backlinks[target]) for i in note_ids
                                          for target in self.forward.get(i, ())}}
        relating = {*note_ids,
                    *(n.id for group in tags if group.tag.slug in slugs and len(group.notes) <= RELATING_TAG for n in group.notes),
                    *(n.id for paper in {p.id: p for i in note_ids for p in self.papers.papers_of.get(i, ())}.values()
                      if len(paper.notes) <= RELATING_TAG for n in paper.notes)}
        ordered = tuple(notes)
        fresh = related_notes(ordered, self.papers.papers_of, self.tags_of, only=relating,
                              placed=_placed(positions, tags))
        relisted = frozenset(i for i, found in fresh.items()
                             if i not in note_ids and [n.id for n in found] != [n.id for n in self.papers.related[i]])
        return (replace(self, notes=ordered, positions=positions, tags=tags, years=years, undated=undated,
                        backlinks=backlinks, papers=self.papers.with_related(fresh)), passed, relisted)

    def _between_neighbours(self, note_id: str, moving: Collection[str]) -> bool:
        """Whether the note ``note_id`` still sorts between the notes beside it, neither of them ``moving``."""
        at = self.positions[note_id]
        beside = self.notes[max(at - 1, 0):at + 2]
        keys = [note.sort_key for note in beside]
        return all(note.id == note_id or note.id not in moving for note in beside) and keys == sorted(keys)

    def with_links(self, relinked: Mapping[str, tuple[frozenset[str], frozenset[str]]]) -> Graph:
        """This graph with the notes in ``relinked`` (by id) linking to other notes: for each, the
        ids it linked to and those it links to now."""
        linking = {target: {note.id for note in self.backlinks.get(target, ())}
                   for was, now in relinked.values() for target in was ^ now}
        for source, (was, now) in relinked.items():
            for target in was - now:
                linking[target].discard(source)
            for target in now - was:
                linking[target].add(source)
        return self.with_backlinks({target: tuple(sorted(ids, key=self.positions.__getitem__)) for target, ids in linking.items()})

    def with_backlinks(self, backlinks: Mapping[str, tuple[str, ...]]) -> Graph:
        """This graph with the notes linking to some notes (by id, in order; none: no note) given."""
        notes = {**self.backlinks, **{target: tuple(self.notes[self.positions[i]] for i in ids)
                                     for target, ids in backlinks.items()}}
        notes = {target: sources for target, sources in notes.items() if sources}
        return replace(self, backlinks=notes, forward=_forward(notes))

    def neighbours(self, note: Note) -> tuple[Note | None, Note | None]:
        """(newer, older) than ``note`` in the site's order."""
        index = self.positions[note.id]
        newer = self.notes[index - 1] if index > 0 else None
        older = self.notes[index + 1] if index + 1 < len(self.notes) else None
        return newer, older


def shape(note: Note) -> bytes:
    """A digest of what other notes' places in the graph may depend on: the note without its
    text (body HTML, word count, summaries, excerpts, where in the text links stand, the images
    it shows). An edit that keeps it leaves every list, link, tag and paper grouping of the
    site as it was; any other field, present or added later, counts."""
    body = replace(note.body, stored="", words=0, assets=(), lookups=(),
                   links=tuple(replace(link, line=0, col=0) for link in note.body.links))
    return replace(note, body=body, summary="", papers=tuple(ref._replace(excerpt="") for ref in note.papers)).digest


def retitled_in_place(graph: Graph, old: Note, new: Note) -> list[Note] | None:
    """When ``new`` is ``old`` under another title that leaves every other note as it was but
    for the note's place among those of its date (``Graph.reordered``) and the links naming
    either title, so that the graph can take it in place as after a text edit (its link index
    made again, ``LinkIndex.renamed``; the papers it is about under the titles it now gives them,
    ``titles_taken``): the notes (as read, in the link index) with a link naming either title,
    to be linked again. None when it cannot: a problem found quotes the old title, but for those
    of the links made again."""
    if old.title == new.title or shape(replace(old, title=new.title)) != shape(new):
        return None
    if old.id not in graph.positions or len(graph.index.by_id) != len(graph.notes):
        return None
    names = {old.title.strip().lower(), new.title.strip().lower()}
    linking = [note for note in graph.index.by_id.values() if not names.isdisjoint(names_linked(note))]
    paths = {note.source.path for note in linking}
    if any(old.title in problem.message for problem in graph.diagnostics if problem.path not in paths):
        return None
    return linking


def titles_taken(graph: Graph, fresh: Mapping[str, Note], registry: Registry) -> dict[str, PaperMeta]:
    """The metadata of the papers whose title changes once the notes in ``fresh`` replace their
    earlier versions (a literature note named after its paper, retitled), as ``build_graph``
    would title them: by the notes on each, in the site's order."""
    papers: dict[str, Paper] = {}
    for new in fresh.values():
        old = graph.notes[graph.positions[new.id]] if new.id in graph.positions else None
        subjects = {subject_paper(new), subject_paper(old) if old is not None else None} - {None}
        papers.update((paper.id, paper) for paper in graph.papers.papers_of.get(new.id, ()) if paper.id in subjects)
    if not papers:
        return {}
    on_them = sorted({note.id: note for paper in papers.values() for note in paper.notes}.values(),
                     key=lambda note: graph.positions[note.id])  # as the graph met them
    metas = paper_metas((fresh.get(note.id, note) for note in on_them), registry, papers.keys())
    return {pid: metas[pid] for pid, paper in papers.items() if metas[pid] != paper.meta}


def retagged(previous: Graph, graph: Graph, note_ids: Collection[str],
             tag_url: str) -> tuple[Graph, frozenset[str]] | None:
    """``graph`` (``previous`` with the notes ``note_ids`` swapped in, their tags changed and
    nothing else of their shape) with the tags grouped again and the related notes found again
    of the notes sharing a tag they took or left; and the ids of the others whose related notes
    changed. None when more would change: the name of a tag that was there, or the problems
    found in tags."""
    regrouped = _regrouped(previous, graph, note_ids, tag_url)
    if regrouped is None:  # a tag's name may change, or a problem be found: every note grouped again to tell
        before: list[Diagnostic] = []
        after: list[Diagnostic] = []
        _group_tags(previous.notes, tag_url, before)
        regrouped = _group_tags(graph.notes, tag_url, after)
        named = {group.tag.slug: group.tag for group in previous.tags}
        if before != after or any(named.get(group.tag.slug, group.tag) != group.tag for group in regrouped[0]):
            return None
    tags, tags_of = regrouped
    moved = {tag.slug for note_id in note_ids for tag in set(previous.tags_of.get(note_id, ())) ^ set(tags_of[note_id])}
    relating = {*note_ids, *(note.id for group in (*previous.tags, *tags)
                             if group.tag.slug in moved and len(group.notes) <= RELATING_TAG for note in group.notes)}
    fresh = related_notes(graph.notes, graph.papers.papers_of, tags_of, only=relating,
                          placed=_placed(graph.positions, tags))
    relisted = frozenset(i for i, notes in fresh.items()
                         if i not in note_ids and [n.id for n in notes] != [n.id for n in graph.papers.related[i]])
    return replace(graph, tags=tags, tags_of=tags_of, papers=graph.papers.with_related(fresh)), relisted


def _regrouped(previous: Graph, graph: Graph, note_ids: Collection[str],
               tag_url: str) -> tuple[tuple[TagGroup, ...], dict[str, tuple[Tag, ...]]] | None:
    """What ``_group_tags`` gives for ``graph`` (``previous`` with the notes ``note_ids``
    retagged), in time proportional to the groups of the tags those notes took or left: only
    those are grouped again. None when that could change a tag's name (the spelling of the
    first note carrying it, by path) or the problems found (a tag spelt otherwise than its
    name, but for case)."""
    moved = [graph.notes[graph.positions[i]] for i in note_ids]
    mine = {note.id: _own_tags(note) for note in moved}
    before = {group.tag.slug: group for group in previous.tags}
    groups = {group.tag.slug: group for group in graph.tags}  # with the notes swapped in
    slugs = {tag.slug for i in note_ids for tag in previous.tags_of.get(i, ())} | {slug for own in mine.values() for slug in own}
    regrouped: dict[str, TagGroup] = {}
    for slug in slugs:
        group = groups.get(slug)
        members = [note for note in group.notes if note.id not in mine] if group is not None else []
        members += [note for note in moved if slug in mine[note.id]]
        if not members:
            continue
        first = min(members, key=lambda n: (n.source.path, n.source.item or 0))
        name = _own_tags(first)[slug]
        if group is not None and group.tag.name != name:
            return None
        tag = group.tag if group is not None else Tag(name, slug, tag_url.format(slug=slug))
        regrouped[slug] = TagGroup(tag, tuple(sorted(members, key=lambda n: graph.positions[n.id])))
    spelt = [(note, regrouped) for note in moved] + [(previous.notes[previous.positions[i]], before) for i in note_ids]
    if any(name.lower() != named[slugify(name, "tag")].tag.name.lower() for note, named in spelt for name in note.tags):
        return None  # a spelling merged with a warning, before or now
    kept = [group for group in graph.tags if group.tag.slug not in slugs]
    tags = tuple(sorted((*kept, *regrouped.values()), key=lambda g: (g.tag.name.lower(), g.tag.slug)))
    return tags, {**previous.tags_of, **{i: tuple(regrouped[slug].tag for slug in own) for i, own in mine.items()}}


def _own_tags(note: Note) -> dict[str, str]:
    """The slugs of the note's tags, in order, each with the first name the note spells it by."""
    own: dict[str, str] = {}
    for name in note.tags:
        own.setdefault(slugify(name, "tag"), name)
    return own


def build_graph(notes: Iterable[Note], config: Config, registry: Registry = Registry(),
                keep: Callable[[Note], Note] | None = None, earlier: Graph | None = None,
                earlier_registry: Registry | None = None) -> Graph:
    """Order the notes, make URLs unique, resolve links between notes, group tags, dates and
    papers. ``keep`` (a body store's) moves the body of each note that linking changed out of
    memory before the notes are grouped. A note linked as in the graph ``earlier`` (built with
    the same config, and with the registry ``earlier_registry`` when that is another) is taken
    from it, and so is a paper whose notes and registry entry did not change. The notes and
    groups it makes all outlive it, so the cycle collector waits meanwhile (a seventh of its
    time at 10,000 notes)."""
    with paused():
        changed = frozenset(papers_changed(earlier_registry, registry)) if earlier_registry not in (None, registry) else frozenset()
        return _build_graph(notes, config, registry, keep, earlier, changed)


def _build_graph(notes: Iterable[Note], config: Config, registry: Registry,
                 keep: Callable[[Note], Note] | None, earlier: Graph | None, registry_changed: frozenset[str]) -> Graph:
    problems: list[Diagnostic] = []
    kept = _without_collisions(sorted(notes, key=lambda n: (n.source.path, n.source.item or 0)), problems,
                               config.urls.fixed_pages())
    kept = list(match_feed_titles(canonical_papers(tuple(kept), registry), registry))
    index = earlier.index.updated(kept) if earlier is not None else LinkIndex.of(kept)
    links = EarlierLinks(earlier.index, {note.id: note for note in earlier.notes}) if earlier is not None else None
    linked, linking, link_problems = resolve_links(tuple(kept), index, config.base_path, keep, links)
    problems.extend(link_problems)
    ordered = _in_order(linked, earlier.notes if earlier is not None else ())
    by_id = {note.id: note for note in ordered}
    positions = {note.id: index for index, note in enumerate(ordered)}
    backlinks = {target: tuple(sorted((by_id[i] for i in ids), key=lambda n: positions[n.id])) for target, ids in linking.items()}
    tags, tags_of = _group_tags(ordered, config.urls.tag, problems)
    years, undated = group_dates(ordered)
    papers = build_paper_graph(ordered, registry, tags_of, config.urls.paper,
                               Earlier(earlier.notes, earlier.papers, earlier.tags_of, registry_changed) if earlier is not None else None,
                               _placed(positions, tags))
    return Graph(ordered, tags, years, undated, tags_of, positions, backlinks, _forward(backlinks), papers, index,
                 in_order(problems))


def _placed(positions: Mapping[str, int], tags: tuple[TagGroup, ...]) -> Placed:
    """Where the notes are (``positions``) and the notes of each tag, by slug."""
    return Placed(positions, {group.tag.slug: group.notes for group in tags})


def _in_order(notes: tuple[Note, ...], earlier: tuple[Note, ...]) -> tuple[Note, ...]:
    """``notes`` in the site's order (``Note.sort_key``). The notes of the ``earlier`` graph that
    are among them keep their order, each other note put in its place among them (a few
    notes added, changed or gone: not every note's key taken again)."""
    now = {note.id: note for note in notes}
    kept = [note for note in earlier if now.get(note.id) is note]
    if len(notes) - len(kept) > REORDERED_AT_MOST:
        return tuple(sorted(notes, key=_SORT_KEY))
    placed = {note.id for note in kept}
    for note in sorted((note for note in notes if note.id not in placed), key=_SORT_KEY):
        kept.insert(bisect.bisect(kept, note.sort_key, key=_SORT_KEY), note)
    return tuple(kept)


REORDERED_AT_MOST = 100  # notes not in the earlier graph's order: past this many, all are sorted again
_SORT_KEY = operator.attrgetter("sort_key")


def in_order(problems: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
    """The graph's problems as it tells them: by file, line and column."""
    return tuple(sorted(problems, key=lambda problem: (problem.path, problem.line, problem.col)))


def _forward(backlinks: dict[str, tuple[Note, ...]]) -> dict[str, tuple[str, ...]]:
    """For each note id, the ids of the notes it links to (backlinks turned around), in order of
    id (graph.json lists them so)."""
    forward: dict[str, list[str]] = {}
    for target, sources in sorted(backlinks.items()):
        for source in sources:
            forward.setdefault(source.id, []).append(target)
    return {source: tuple(targets) for source, targets in forward.items()}


def _without_collisions(notes: list[Note], problems: list[Diagnostic], site_pages: Mapping[str, str]) -> list[Note]:
    """Give each note a unique id and URL, none of ``site_pages`` (the site's own pages by URL,
    ``SiteURLs.fixed_pages``: a note at ``/tags/`` took the tags index's place). A later note
    (by source path) that collides gets its folder name (or a number) added to its slug; one
    whose permalink was fixed is dropped."""
    taken_urls: dict[str, Note | None] = dict.fromkeys(site_pages)
    taken_ids: set[str] = set()
    kept: list[Note] = []
    for note in notes:
        first = taken_urls.get(note.url)
        if note.url in taken_urls or note.id in taken_ids:
            renamed = _renamed(note, taken_urls, taken_ids)
            site_page = first is None and note.url in site_pages
            other = (f"the site's {site_pages[note.url]} page" if site_page
                     else (first or next(n for n in kept if n.id == note.id)).source.path)
            if renamed is None:
                problems.append(Diagnostic("error", note.source.path, note.source.line, 1,
                                           f"note {note.title!r} has the same URL ({note.url}) as {other}; it was not published"))
                continue
            problems.append(Diagnostic("warning", note.source.path, note.source.line, 1,
                                       f"note {note.title!r} has {'the URL of' if site_page else 'the same slug as'} {other}; "
                                       f"published at {renamed.url}"))
            note = renamed
        taken_urls[note.url] = note
        taken_ids.add(note.id)
        kept.append(note)
    return kept


def _renamed(note: Note, taken_urls: Collection[str], taken_ids: set[str]) -> Note | None:
    segment = f"/{note.id}"
    position = note.url.rfind(segment)
    own_url = note.url not in taken_urls  # a permalink of its own: only the id needs changing
    if position < 0 and not own_url:
        return None
    folder = slugify(PurePosixPath(note.source.rel).parent.name, "") if note.source.rel else ""
    candidates = ([f"{note.id}-{folder}"] if folder else []) + [f"{note.id}-{n}" for n in range(2, 1000)]
    for slug in candidates:
        url = note.url if own_url else note.url[:position] + f"/{slug}" + note.url[position + len(segment):]
        if slug not in taken_ids and url not in taken_urls:
            return replace(note, id=slug, url=url)
    return None


def _group_tags(notes: tuple[Note, ...], tag_url: str, problems: list[Diagnostic]) -> tuple[tuple[TagGroup, ...], dict[str, tuple[Tag, ...]]]:
    tags: dict[str, Tag] = {}
    members: dict[str, list[Note]] = {}
    tags_of: dict[str, tuple[Tag, ...]] = {}
    slugs: dict[str, str] = {}  # a site names few tags, each on many notes
    for note in sorted(notes, key=lambda n: (n.source.path, n.source.item or 0)):
        mine = []
        for name in note.tags:
            slug = slugs.get(name) or slugs.setdefault(name, slugify(name, "tag"))
            tag = tags.get(slug)
            if tag is None:
                tag = tags[slug] = Tag(name, slug, tag_url.format(slug=slug))
            elif tag.name != name and tag.name.lower() != name.lower():
                problems.append(Diagnostic("warning", note.source.path, note.source.line, 1,
                                           f"tag {name!r} has the same URL as tag {tag.name!r}; they are merged"))
            if tag not in mine:
                mine.append(tag)
        tags_of[note.id] = tuple(mine)
    for note in notes:
        for tag in tags_of[note.id]:
            members.setdefault(tag.slug, []).append(note)
    groups = tuple(TagGroup(tags[slug], tuple(members[slug])) for slug in sorted(members, key=lambda s: (tags[s].name.lower(), s)))
    return groups, tags_of


def _month(date: NoteDate) -> tuple[int, int]:
    """The (year, month) a date is listed under in the archive; month 0 for a year alone."""
    return date.year, date.month if date.precision != "year" else 0


def group_dates(notes: tuple[Note, ...]) -> tuple[tuple[YearGroup, ...], tuple[Note, ...]]:
    """``notes`` by year and month, newest first, and those without a date."""
    months: dict[tuple[int, int], list[Note]] = {}
    undated = []
    for note in notes:
        if note.date is None:
            undated.append(note)
        else:
            months.setdefault(_month(note.date), []).append(note)
    years: dict[int, list[MonthGroup]] = {}
    for (year, month) in sorted(months, reverse=True):
        years.setdefault(year, []).append(MonthGroup(year, month, tuple(months[(year, month)])))
    return tuple(YearGroup(year, tuple(groups)) for year, groups in years.items()), tuple(undated)
