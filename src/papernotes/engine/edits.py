"""What an edit changed: the graph after notes' text changed (``after_edit``), the notes and
papers whose pages change after a graph built again (``after_rebuild``), and how the plan
tells the pages to plan again from those."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterable

from ..config import Config
from ..graph import Graph, in_order, retagged, retitled_in_place, shape, titles_taken
from ..graph.links import link_note
from ..model import SHOWN_FIELDS, Diagnostic, Note, ids_of
from ..emit.redirects import HOST_FILE, redirects
from ..emit.shelves import shelf_urls, site_authors, site_venues
from ..emit.sitemap import SITEMAP
from ..papers.papergraph import PaperGraph, canonical_papers
from ..papers.registry import Registry
from ..views import FIELD
from .pages import Rendered


EDITS_IN_PLACE = 100  # more edited notes than this: the graph is built anew


PAGE, UNDER = "page:", "under:"  # what ``after_edit`` changed besides notes and papers: a page, pages under a URL
#: A note or paper that changed in its notes' text alone (``TEXT`` and its ``note:ID`` or
#: ``paper:ID``: its card is the same): the pages holding it through a view change only if they
#: read one of those notes' bodies; the others, which hold it whole (``HELD_WHOLE`` and its key, told
#: by ``_walk``), change.
TEXT, HELD_WHOLE = "text:", "whole:"
#: Which of the fields a view shows changed in an edited note whose card changed (``SHOWN``, its
#: ``note:ID``, then ``FIELD`` and the name of each such field; the key alone when none did): a
#: list that read of its notes only other fields is keyed as before, so it is not planned again.
SHOWN = "shown:"


def shown_apart(changed: Iterable[str]) -> dict[str, frozenset[str]]:
    """By ``note:ID``, the fields (after ``FIELD``) that ``after_edit`` found changed in the
    view of an edited note (``SHOWN``)."""
    found: dict[str, set[str]] = {}
    for entry in changed:
        if entry.startswith(SHOWN):
            key, _, name = entry.removeprefix(SHOWN).partition(FIELD)
            found.setdefault(key, set()).update([FIELD + name] if name else [])
    return {key: frozenset(names) for key, names in found.items()}


def reads_none_of(page: Rendered | None, fields: frozenset[str]) -> bool:
    """Whether ``page`` is a list that read of its notes' views no field of ``fields`` and no
    note's body (its key takes each note by the fields read: ``Note.card_of``)."""
    return (page is not None and page.bodies is not None and page.bodies.isdisjoint(fields)
            and all(name.startswith(FIELD) for name in page.bodies))


def edited_notes(changed: Iterable[str]) -> set[str]:
    """The ids of the notes ``after_edit`` changed (``note:ID``, ``text:note:ID``)."""
    return {key.rpartition("note:")[2] for key in changed if key.startswith(("note:", TEXT + "note:"))}


@dataclass(frozen=True)
class Wanted:
    """The URLs to plan again: ``urls``, and any under the prefixes ``under``."""

    urls: set[str]
    under: tuple[str, ...]

    def __contains__(self, url: object) -> bool:
        return url in self.urls or (isinstance(url, str) and url.startswith(self.under))


def after_edit(previous: Graph, before: tuple[Note, ...], notes: tuple[Note, ...], registry: Registry,
               config: Config) -> tuple[Graph, frozenset[str]] | None:
    """The graph after some notes' text changed without changing their ``shape`` (or one note's
    title changed, moving it among the notes of its date at most: ``retitled_in_place``; or its
    tags: ``retagged``), made from
    the previous one in time proportional to the edit, with the notes and papers (``note:ID``,
    ``paper:ID``; after ``TEXT`` for those whose cards stayed the same: only the text of a note
    changed) and pages (``PAGE``, ``UNDER``) it changed; None when anything more changed."""
    if len(before) != len(notes):
        return None
    edited = [(old, new) for old, new in zip(before, notes) if old is not new and old != new]
    if len(edited) > EDITS_IN_PLACE:
        return None
    retitled = retagged_only = False  # one note under a new title or with other tags, moving nothing else
    linking: list[Note] = []  # the notes whose links name the old or new title
    for old, new in edited:
        placed = previous.notes[previous.positions[old.id]] if old.id in previous.positions else None
        if placed is None or placed.source != old.source or placed.url != old.url or new.source.item is not None:
            return None  # renamed for a collision, or a feed item (matched by title)
        if shape(old) != shape(new):
            if len(edited) > 1:
                return None
            retagged_only = shape(replace(old, tags=new.tags)) == shape(new)
            if not retagged_only:
                in_place = retitled_in_place(previous, old, new)
                if in_place is None:
                    return None  # moved in the graph
                retitled, linking = True, in_place
    canonicals = {new.id: canonical_papers((new,), registry)[0] for _, new in edited}
    # embeds show the notes as they are now; a new title is a new name to link by
    index = previous.index.renamed(canonicals) if retitled else previous.index.with_notes(canonicals)
    fresh: dict[str, Note] = {}
    warnings: dict[Diagnostic, Diagnostic] = {}  # unresolved links that moved in the text
    base_path = config.base_path
    for old, new in edited:
        (before_linking,) = canonical_papers((old,), registry)
        earlier = link_note(before_linking, previous.index, base_path)[2]
        linked, _, found = link_note(canonicals[new.id], index, base_path)
        if len(earlier) != len(found):
            return None
        warnings.update(zip(earlier, found))
        fresh[new.id] = linked
    for embedder in index.embedding(canonicals):  # their pages show the edited notes
        if embedder.id not in fresh:
            fresh[embedder.id] = link_note(embedder, index, base_path)[0]
    relinked: dict[str, tuple[frozenset[str], frozenset[str]]] = {}  # the notes linking by either title: where to, before and now
    told: set[Diagnostic] = set()  # the problems their links were, and are now
    found_now: list[Diagnostic] = []
    if retitled:
        for note in linking:
            if note.id in canonicals:  # the note itself
                continue
            _, was_to, was_found = link_note(note, previous.index, base_path)
            fresh[note.id], now_to, now_found = link_note(note, index, base_path)
            relinked[note.id] = (_linked_to(note.id, was_to), _linked_to(note.id, now_to))
            told.update(was_found)
            found_now += now_found
        for embedder in index.embedding(relinked):  # their pages show the notes linked again
            if embedder.id not in relinked and embedder.id not in canonicals:
                fresh[embedder.id] = link_note(embedder, index, base_path)[0]
    metas = titles_taken(previous, {new.id: fresh[new.id] for _, new in edited}, registry) if retitled else {}
    graph, papers = previous.with_notes(fresh, metas)
    problems = [warnings.get(d, d) for d in graph.diagnostics if d not in told] + found_now
    graph = replace(graph.with_links(relinked) if relinked else graph, index=index, diagnostics=in_order(problems))
    cards = {paper.id: paper.card for paper in previous.papers.papers if paper.id in papers}
    recarded = {paper.id for paper in graph.papers.papers if paper.id in papers and cards.get(paper.id) != paper.card}
    was = {i: previous.notes[previous.positions[i]].card for i in fresh if i in previous.positions}
    changed = {*((TEXT if was.get(i) == note.card else "") + f"note:{i}" for i, note in fresh.items()),
               *(f"paper:{p}" for p in recarded), *(f"{TEXT}paper:{p}" for p in papers - recarded)}
    for old, new in edited:
        if old.card != new.card:
            changed.update(f"{SHOWN}note:{new.id}{FIELD}{name}" for name in ("", *old.shown_apart(new)))
    if retitled or retagged_only:  # graph.json shows every note's title and tags, and holds no note
        changed.add(PAGE + config.urls.graph_json)
    if retitled:  # the host's redirects file lists the notes' old URLs in the notes' order
        changed.add(PAGE + HOST_FILE)
    if metas:  # a paper retitled: the co-mentions sorted by title, the citation keys made of its title
        keyed = _keyed_again(previous.papers, graph.papers)
        changed.update(f"paper:{p}" for p in _comentioned_again(previous.papers, graph.papers) | keyed)
        changed.update(_bibliography_files(config))
    # the pages of the notes linking to it, whose local graphs show its title and tags, and of those
    # a link now leads to or no longer, whose backlinks and local graphs change: as none of their
    # fields did, no list holding them is planned again for it (``SHOWN``)
    around = [linking.id for _, new in edited for linking in previous.backlinks.get(new.id, ())] if retitled or retagged_only else []
    around += [target for led, leads in relinked.values() for target in led ^ leads]
    changed.update(f"note:{i}" for i in around)
    changed.update(f"{SHOWN}note:{i}{FIELD}" for i in around)
    if retitled:  # its place among the notes of its date: the pages of those it passed, and the lists holding them
        ((old, new),) = edited
        reordered = graph.reordered({new.id})
        if reordered is None:
            return None
        graph, passed, relisted = reordered
        changed.update({*(f"note:{i}" for i in passed), *(PAGE + graph.notes[graph.positions[i]].url for i in relisted)})
        if len(passed) > 1:
            # the notes it passed changed nowhere but in their order beside it: the lists that show any field
            # of their notes and hold the note show another order; those holding only the notes passed show
            # theirs as it was, and their pages (neighbours) read their notes whole
            changed.update(f"{SHOWN}note:{i}{FIELD}" for i in passed if i != new.id)
            changed.update(f"{SHOWN}note:{new.id}{FIELD}{name}" for name in SHOWN_FIELDS)
            # a tag's citation files list its notes' papers in the notes' order, holding no note
            changed.update(UNDER + tag.url for tag in graph.tags_of.get(new.id, ()))
    if retagged_only:
        ((old, new),) = edited
        regrouped = retagged(previous, graph, (new.id,), config.urls.tag)
        if regrouped is None:
            return None
        graph, relisted = regrouped
        moved = set(previous.tags_of.get(new.id, ())) ^ set(graph.tags_of.get(new.id, ()))
        changed.update({PAGE + config.urls.tags, *(UNDER + tag.url for tag in moved),
                        *(PAGE + graph.notes[graph.positions[i]].url for i in relisted)})
    return graph, frozenset(changed)


def after_rebuild(earlier: Graph, graph: Graph, config: Config) -> frozenset[str] | None:
    """What a graph built anew from ``earlier`` (``build_graph`` given it: notes and papers that
    did not change are the same objects) changed, as ``after_edit`` tells it: the notes and
    papers that are not the earlier ones, and the pages that list them in another order or show
    other neighbours, backlinks, related notes, co-mentions or citation keys; the pages of notes
    and papers added or gone, with their redirects, are made or dropped (``UNDER``). None when
    a note's URL or a tag's name changed, or the site has emitters of its own: every page is
    planned."""
    if config.plugins.emitters:
        return None
    old = {note.id: note for note in earlier.notes}
    new = {note.id: note for note in graph.notes}
    if any(old[i].url != note.url for i, note in new.items() if i in old):
        return None  # renamed for a collision
    old_tags = {group.tag.slug: group for group in earlier.tags}
    new_tags = {group.tag.slug: group for group in graph.tags}
    if any(old_tags[slug].tag != group.tag for slug, group in new_tags.items() if slug in old_tags):
        return None  # a tag now spelt as another note spells it: every page showing it
    urls = config.urls
    gone, added = old.keys() - new.keys(), new.keys() - old.keys()
    others = {i for i, note in new.items() if old.get(i) is not note}  # added, or not the earlier note
    changed = {f"note:{i}" for i in others | gone}
    changed.update(UNDER + old[i].url for i in gone)
    changed.update(UNDER + new[i].url for i in added)
    changed.update({PAGE + urls.graph_json, PAGE + SITEMAP})  # the sitemap gives each note's date
    if list(old) != list(new):  # the home page's list moved: notes came, went, or took another place
        changed.update({PAGE + "/", UNDER + "/page/"})
    if [n.id for n in earlier.notes[:config.feed_size]] != [n.id for n in graph.notes[:config.feed_size]]:
        changed.update({PAGE + urls.feed, PAGE + urls.json_feed})
    for slug in old_tags.keys() | new_tags.keys():  # a tag's pages, feed and citation files list its notes
        before, after = old_tags.get(slug), new_tags.get(slug)
        if before is None or after is None or not _same_objects(before.notes, after.notes):
            changed.update({PAGE + urls.tags, UNDER + (after or before).tag.url})  # type: ignore[union-attr]
    old_years = {year.year: year for year in earlier.years}
    new_years = {year.year: year for year in graph.years}
    for number in old_years.keys() | new_years.keys():
        before_year, after_year = old_years.get(number), new_years.get(number)
        if (before_year is None or after_year is None or [m.month for m in before_year.months] != [m.month for m in after_year.months]
                or not _same_objects(before_year.notes, after_year.notes)):
            changed.update({PAGE + urls.archive, UNDER + urls.of_year(number)})
    if not _same_objects(earlier.undated, graph.undated):
        changed.add(PAGE + urls.archive)
    # a note's page shows its neighbours, backlinks and related notes
    beside = [_neighbour_ids(notes) for notes in (earlier.notes, graph.notes)]
    shown_apart = {i for i, pair in beside[1].items() if beside[0].get(i, pair) != pair}
    for before_lists, lists in ((earlier.backlinks, graph.backlinks), (earlier.papers.related, graph.papers.related)):
        shown_apart.update(i for i in before_lists.keys() | lists.keys() if not _same_notes(before_lists.get(i, ()), lists.get(i, ())))
    changed.update(PAGE + new[i].url for i in shown_apart if i in old and i in new)
    for i in others | gone:  # the local graphs of the notes linking to it show its title and tags
        for source in (*earlier.backlinks.get(i, ()), *graph.backlinks.get(i, ())):
            if source.id in new:
                changed.add(PAGE + new[source.id].url)
    claims = [[(url, note.id) for url, note in redirects(notes)] for notes in (earlier.notes, graph.notes)]
    if claims[0] != claims[1]:  # the host's file lists them in the notes' order
        owners = [_owners(claimed) for claimed in claims]  # two notes may claim an old URL
        changed.add(PAGE + HOST_FILE)
        changed.update(UNDER + url for url in owners[0].keys() | owners[1].keys() if owners[0].get(url) != owners[1].get(url))
    changed.update(_papers_changed(earlier, graph, config))
    return frozenset(changed)


def _papers_changed(earlier: Graph, graph: Graph, config: Config) -> set[str]:
    """``after_rebuild``'s marks for the papers: those not the earlier objects, the pages of
    papers added or gone, the lists of all papers and
    the shelves when any came or went, and the papers whose co-mentions, citations or citation
    keys moved, with the citation files listing them."""
    urls = config.urls
    old = {paper.id: paper for paper in earlier.papers.papers}
    new = {paper.id: paper for paper in graph.papers.papers}
    others = {pid for pid, paper in new.items() if old.get(pid) is not paper} | (old.keys() - new.keys())
    changed = {f"paper:{pid}" for pid in others}
    changed.update(UNDER + old[pid].url for pid in old.keys() - new.keys())
    changed.update(UNDER + new[pid].url for pid in new.keys() - old.keys())
    if old.keys() != new.keys():
        changed.update(PAGE + url for url in (urls.papers, urls.papers_read, urls.papers_published))
    shelves = [{shelf.url: ids_of(shelf.papers) for shelf in (*site_authors(papers, config), *site_venues(papers, config))}
               for papers in (earlier.papers.papers, graph.papers.papers)]
    if shelves[0] != shelves[1]:
        changed.update({UNDER + urls.authors, UNDER + urls.venues, PAGE + urls.papers, PAGE + urls.graph})  # both offer to browse them
        changed.update(UNDER + url for url in shelves[0].keys() ^ shelves[1].keys())
        changed.update(PAGE + url for url in shelves[0].keys() & shelves[1].keys() if shelves[0][url] != shelves[1][url])
        linked = [shelf_urls(papers, config) for papers in (earlier.papers.papers, graph.papers.papers)]
        changed.update(f"paper:{pid}" for pid in new  # a paper's page links its authors' and venue's pages
                       if (linked[0][0].get(pid), linked[0][1].get(pid)) != (linked[1][0].get(pid), linked[1][1].get(pid)))
    again = _comentioned_again(earlier.papers, graph.papers) | _keyed_again(earlier.papers, graph.papers)
    again |= {pid for pid in new if earlier.papers.cites.get(pid) != graph.papers.cites.get(pid)
              or earlier.papers.cited_by.get(pid) != graph.papers.cited_by.get(pid)}
    changed.update(f"paper:{pid}" for pid in again)
    if again or any(pid not in old or pid not in new or old[pid].meta != new[pid].meta for pid in others):
        changed.update(_bibliography_files(config))
    return changed


def _bibliography_files(config: Config) -> set[str]:
    """The marks of the site's bibliography (BibTeX, CSL-JSON), which lists every paper's
    metadata under its citation key; no paper's change plans it again, being not the paper."""
    stem = config.urls.bibliography.removesuffix(".bib")
    return {PAGE + stem + ".bib", PAGE + stem + ".csl.json"}


def _owners(claims: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """The ids of the notes redirected to from each old URL, in order."""
    owners: dict[str, list[str]] = {}
    for url, note_id in claims:
        owners.setdefault(url, []).append(note_id)
    return owners


def _same_objects(one: tuple[Note, ...], other: tuple[Note, ...]) -> bool:
    return len(one) == len(other) and all(a is b for a, b in zip(one, other))


def _neighbour_ids(notes: tuple[Note, ...]) -> dict[str, tuple[str | None, str | None]]:
    """The ids of each note's neighbours (``Graph.neighbours``: newer, older), by its id."""
    ids = [note.id for note in notes]
    return dict(zip(ids, zip([None, *ids[:-1]], [*ids[1:], None])))


def _same_notes(one: tuple[Note | None, ...], other: tuple[Note | None, ...]) -> bool:
    """Whether two lists name the same notes in the same order: the same objects (most, after a
    note was added or deleted: the others are the earlier ones), else by their ids."""
    return one is other or (len(one) == len(other) and all(
        a is b or (a is not None and b is not None and a.id == b.id) for a, b in zip(one, other)))


def _linked_to(source: str, targets: Iterable[str | None]) -> frozenset[str]:
    """The notes a note's links lead to, but for itself (``link_note``'s targets)."""
    return frozenset(target for target in targets if target is not None and target != source)


def _comentioned_again(before: PaperGraph, after: PaperGraph) -> set[str]:
    """The papers whose co-mentions (ids and counts, in order) differ between two paper graphs."""
    def listed(graph: PaperGraph, pid: str) -> list[tuple[str, int]]:
        return [(paper.id, count) for paper, count in graph.co_mentioned.get(pid, ())]

    was, now = before.co_mentioned, after.co_mentioned
    return {pid for pid in was.keys() | now.keys() if was.get(pid) is not now.get(pid) and listed(before, pid) != listed(after, pid)}


def _keyed_again(before: PaperGraph, after: PaperGraph) -> set[str]:
    """The papers whose citation key differs between two paper graphs."""
    keys, again = before.cite_keys, after.cite_keys
    return {pid for pid in keys.keys() | again.keys() if keys.get(pid) != again.get(pid)}
