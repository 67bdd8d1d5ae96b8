"""Group the notes' paper mentions into papers: who discusses each, where, and what with."""

from __future__ import annotations

from collections import Counter
import functools
import operator
import hashlib
import re
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath
from types import MappingProxyType
from typing import Any, Callable, Collection, Iterable, Mapping

from ..dates import parse_date
from ..model import Note, NoteDate, PaperRef, Tag
from .bibtex import cite_keys
from .identifiers import identify, normalise_title, paper_slug
from .registry import PaperMeta, Registry, with_hints
from .titles import Evidence, heading_title, strongest

# A note naming many papers is a list: papers count as mentioned together when at most this many
# of the note's papers stand between them (every pair, in a note naming up to this many), which
# keeps co-mentions linear in the number of mentions.
CO_MENTION_WINDOW = 10


@dataclass(frozen=True, slots=True)
class Discussion:
    """One note discussing a paper: the note, the section anchor and the excerpt there."""

    note: Note
    anchor: str
    excerpt: str


@dataclass(frozen=True, eq=False)
class Paper:
    """A paper with a page: its metadata and every note that discusses it. Papers compare by a
    digest of those, taken once, as notes do; ``card`` takes the notes by their cards (their
    bodies left out)."""

    meta: PaperMeta
    slug: str
    discussions: tuple[Discussion, ...]
    digest: bytes = field(default=b"", repr=False)
    url_pattern: str = field(default="/papers/{slug}/", repr=False)  # the site's ``urls.paper``
    card: bytes = field(default=b"", repr=False)
    own: bytes = field(default=b"", repr=False)  # a digest of its metadata, slug and discussions

    def __post_init__(self) -> None:
        parts = [repr(self.meta).encode(), self.slug.encode()]
        for discussion in self.discussions:
            parts += [discussion.note.id.encode(), discussion.anchor.encode(), discussion.excerpt.encode()]
        object.__setattr__(self, "own", hashlib.blake2b(b"\0".join(parts), digest_size=16).digest())
        object.__setattr__(self, "digest", self.card_of(operator.attrgetter("digest")))
        object.__setattr__(self, "card", self.card_of(operator.attrgetter("card")))

    def card_of(self, note_card: Callable[[Note], bytes]) -> bytes:
        """A digest of the paper, its discussions and each discussing note as ``note_card`` takes it."""
        return hashlib.blake2b(b"".join([self.own, *map(note_card, self.notes)]), digest_size=16).digest()

    def card_showing(self, fields: frozenset[str]) -> bytes:
        """``card_of`` its notes' ``Note.card_of(fields)``, taken once for each set of fields: the
        lists of papers read a few sets of fields of each. The cards taken are ``shown_cards``,
        which a later process may give back to a paper of the same ``digest``."""
        cards = self.shown_cards
        card = cards.get(fields)
        if card is None:
            card = cards[fields] = self.card_of(lambda note: note.card_of(fields))
        return card

    @property
    def shown_cards(self) -> dict[frozenset[str], bytes]:
        """The cards ``card_showing`` took, by the fields they show."""
        return self.__dict__.setdefault("_cards", {})

    def __getstate__(self) -> dict[str, Any]:
        """Its state without the cards taken (kept apart, by digest: see ``card_showing``) and
        without its discussions, which its notes make again when first asked for (``__getattr__``):
        tens of thousands of them would be a sixth of the objects of a saved state."""
        self.notes  # what the discussions are made again from
        return {name: value for name, value in self.__dict__.items() if name not in _NOT_KEPT}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    def __getattr__(self, name: str) -> Any:
        """The discussions of a paper restored from its state (``__getstate__``): each mention of
        it in its notes, in their order (as ``build_paper_graph`` and ``with_notes`` make them)."""
        if name != "discussions" or "notes" not in self.__dict__:
            raise AttributeError(name)
        made = tuple(Discussion(note, ref.anchor, ref.excerpt) for note in self.notes for ref in note.papers if ref.id == self.id)
        self.__dict__["discussions"] = made
        return made

    def __eq__(self, other: object) -> bool:
        return self is other or (isinstance(other, Paper) and self.digest == other.digest)

    def __hash__(self) -> int:
        return hash(self.digest)

    @functools.cached_property
    def id(self) -> str:
        """Its metadata's id (asked for on every plan and edit, for every paper)."""
        return self.meta.id

    @functools.cached_property
    def url(self) -> str:
        """Its page's URL (asked for by every emitter, for every paper, on each plan)."""
        return self.url_pattern.format(slug=self.slug)

    @property
    def title(self) -> str:
        return self.meta.title or self.meta.id

    @functools.cached_property
    def notes(self) -> tuple[Note, ...]:
        return tuple({d.note.id: d.note for d in self.discussions}.values())

    def digests_of(self, ids: Collection[str]) -> bytes:
        """The digests of its notes whose ids are among ``ids``, in its order of notes: a walk
        of the few ids a page names rather than of every note on a much-discussed paper."""
        at, notes = self._note_at, self.notes
        return b"".join(notes[index].digest for index in sorted(at[i] for i in ids if i in at))

    @functools.cached_property
    def _note_at(self) -> dict[str, int]:
        return {note.id: index for index, note in enumerate(self.notes)}

    @functools.cached_property
    def read(self) -> NoteDate | None:
        """When it was first read: the earliest ``read:`` front matter of the notes on it, each
        note's own date standing in where it gives none (the publication date is ``meta.year``)."""
        dates = [parse_date(note.meta.get("read")) or note.date for note in self.notes]
        known = [date for date in dates if date is not None]
        return min(known, key=NoteDate.seconds) if known else None

    @functools.cached_property
    def by_note(self) -> tuple[tuple[Note, tuple[Discussion, ...]], ...]:
        """Each discussing note once, with all its discussions of the paper (one per section,
        those repeating an excerpt left out)."""
        grouped: dict[str, list[Discussion]] = {}
        for discussion in self.discussions:
            found = grouped.setdefault(discussion.note.id, [])
            if not any(d.excerpt == discussion.excerpt for d in found):  # a summary may repeat the one mention
                found.append(discussion)
        return tuple((found[0].note, tuple(found)) for found in grouped.values())

    def with_notes(self, fresh: Mapping[str, Note], refs_of: Callable[[Note], Mapping[str, list[PaperRef]]],
                   meta: PaperMeta) -> Paper:
        """The paper as discussed once the notes in ``fresh`` replace their earlier versions
        (``refs_of`` groups a note's mentions by paper), under ``meta``."""
        notes = swap_notes(self.notes, fresh)
        discussions = tuple(Discussion(note, ref.anchor, ref.excerpt) for note in notes for ref in refs_of(note).get(self.id, ()))
        return Paper(meta, self.slug, discussions, url_pattern=self.url_pattern)


#: What a paper's state leaves out: its discussions and what is made of them when asked for (a
#: paper page groups them by note: kept, they would be saved again, a fifth of a saved state)
_NOT_KEPT = frozenset({"_cards", "discussions", "by_note", "_note_at"})


def refs_by_paper(note: Note) -> dict[str, list[PaperRef]]:
    """A note's mentions grouped by paper, in order."""
    grouped: dict[str, list[PaperRef]] = {}
    for ref in note.papers:
        grouped.setdefault(ref.id, []).append(ref)
    return grouped


def swap_notes(notes: tuple[Note, ...], fresh: Mapping[str, Note]) -> tuple[Note, ...]:
    """``notes`` with those whose id is in ``fresh`` replaced (the same tuple when none is)."""
    if fresh.keys().isdisjoint(map(_ID, notes)):
        return notes
    return tuple(fresh.get(n.id, n) for n in notes)


_ID = operator.attrgetter("id")


def _pair_id(pair: tuple[Paper, int]) -> str:
    return pair[0].id


@dataclass(frozen=True)
class PaperGraph:
    papers: tuple[Paper, ...]
    papers_of: dict[str, tuple[Paper, ...]]
    co_mentioned: dict[str, tuple[tuple[Paper, int], ...]]
    related: dict[str, tuple[Note, ...]]
    # paper id → ids of the papers with pages it cites, and that cite it (from fetched references)
    cites: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    cited_by: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @functools.cached_property
    def cite_keys(self) -> dict[str, str]:
        """Every paper's citation key, unique across the site: made once for all the pages that show one."""
        return cite_keys(paper.meta for paper in self.papers)

    @functools.cached_property
    def listed_by(self) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        """Who lists whom: note id → the notes whose related list holds it, paper id → the papers
        whose co-mentions hold it. Made on the first edit, and handed on to the graphs made from
        this one while the lists stay (``with_notes``, ``with_related``)."""
        return _inverse(self.related, _ID), _inverse(self.co_mentioned, _pair_id)

    def settle(self) -> None:
        """Make now what planning asks of this graph, so that it is kept with it (a build's pages
        are planned in worker processes, where it is made and lost): the citation keys, and
        each paper's URL and first reading, which the pages listing papers sort by."""
        self.cite_keys
        for paper in self.papers:
            paper.url, paper.read

    def __getstate__(self) -> dict[str, Any]:
        """Its fields and what it made, with who lists whom (made now if it was not): a graph is
        pickled to be kept, and the next edit looks them up (the process pickling it may be
        one forked to save it, which is not waited for)."""
        return {**self.__dict__, "listed_by": self.listed_by}

    def with_notes(self, fresh: Mapping[str, Note],
                   metas: Mapping[str, PaperMeta] = MappingProxyType({})) -> tuple[PaperGraph, frozenset[str]]:
        """This graph with the notes in ``fresh`` (by id) in place of their earlier versions,
        which mention the same papers, and the papers in ``metas`` under that metadata (a new
        title: the papers are sorted again, and so are the co-mentions of those mentioned with
        them); and the ids of the papers whose discussions or metadata changed."""
        touched = {ref.id for note in fresh.values() for ref in note.papers} | metas.keys()
        grouped: dict[str, dict[str, list[PaperRef]]] = {}

        def refs_of(note: Note) -> dict[str, list[PaperRef]]:
            if note.id not in grouped:
                grouped[note.id] = refs_by_paper(note)
            return grouped[note.id]

        renewed = {paper.id: paper.with_notes(fresh, refs_of, metas.get(paper.id, paper.meta))
                   for paper in self.papers if paper.id in touched}

        def swap(papers: tuple[Paper, ...]) -> tuple[Paper, ...]:
            return papers if renewed.keys().isdisjoint(map(_ID, papers)) else tuple(renewed.get(p.id, p) for p in papers)

        notes_listed_by, papers_listed_by = self.listed_by
        co_mentioned = dict(self.co_mentioned)
        for pid in {holder for paper_id in renewed for holder in papers_listed_by.get(paper_id, ())}:
            co_mentioned[pid] = tuple((renewed.get(p.id, p), n) for p, n in co_mentioned[pid])
        related = dict(self.related)
        for nid in {holder for note_id in fresh for holder in notes_listed_by.get(note_id, ())}:
            related[nid] = swap_notes(related[nid], fresh)
        papers_of = dict(self.papers_of)
        for paper in renewed.values():  # a note lists exactly the papers it discusses
            for note in paper.notes:
                papers_of[note.id] = swap(papers_of[note.id])
        if not metas:
            graph = PaperGraph(swap(self.papers), papers_of, co_mentioned, related, self.cites, self.cited_by)
            return _listing(self._keys_kept(graph), notes_listed_by, papers_listed_by), frozenset(renewed)
        papers = tuple(sorted(swap(self.papers), key=_title_order))
        by_id = {paper.id: paper for paper in papers}
        # the papers mentioned with a retitled one: their co-mentions are sorted by title, and cut
        near = {other.id for pid in metas for note in by_id[pid].notes for other in papers_of[note.id]}
        found = co_mentions(papers_of, by_id, only=near)
        for pid in near:
            if pid in found:
                co_mentioned[pid] = found[pid]
            else:
                co_mentioned.pop(pid, None)
        graph = PaperGraph(papers, papers_of, co_mentioned, related, self.cites, self.cited_by)
        return _listing(graph, notes_listed_by, _inverse(co_mentioned, _pair_id)), frozenset(renewed)

    def with_related(self, related: Mapping[str, tuple[Note, ...]]) -> PaperGraph:
        """This graph with the related notes of some notes found again."""
        graph = self._keys_kept(replace(self, related={**self.related, **related}))
        if "listed_by" not in self.__dict__:
            return graph
        notes_listed_by, papers_listed_by = self.listed_by
        return _listing(graph, _relisted(notes_listed_by, self.related, related), papers_listed_by)

    def _keys_kept(self, graph: PaperGraph) -> PaperGraph:
        """``graph``, made from this one with the same papers' metadata, given the citation keys
        this one made (they are made of the metadata alone)."""
        if "cite_keys" in self.__dict__:
            graph.__dict__["cite_keys"] = self.__dict__["cite_keys"]
        return graph


def _inverse(lists: Mapping[str, tuple[Any, ...]], key: Callable[[Any], str]) -> dict[str, list[str]]:
    """For each id, the entries of ``lists`` whose list holds it."""
    holders: dict[str, list[str]] = {}
    for owner, items in lists.items():
        for item in items:
            holders.setdefault(key(item), []).append(owner)
    return holders


def _relisted(holders: dict[str, list[str]], before: Mapping[str, tuple[Note, ...]],
              after: Mapping[str, tuple[Note, ...]]) -> dict[str, list[str]]:
    """``holders`` (``_inverse`` of the lists ``before``) once the lists of ``after`` replace
    theirs: only the entries of the notes they list, or listed, are made again."""
    owners = after.keys()
    relisted = dict(holders)
    for note_id in {note.id for owner in owners for note in (*before.get(owner, ()), *after[owner])}:
        kept = [owner for owner in holders.get(note_id, ()) if owner not in owners]
        if kept:
            relisted[note_id] = kept
        else:
            relisted.pop(note_id, None)
    for owner, notes in after.items():
        for note in notes:
            relisted.setdefault(note.id, []).append(owner)
    return relisted


def _listing(graph: PaperGraph, notes_listed_by: dict[str, list[str]], papers_listed_by: dict[str, list[str]]) -> PaperGraph:
    """``graph``, told who lists whom in it (``PaperGraph.listed_by``)."""
    graph.__dict__["listed_by"] = notes_listed_by, papers_listed_by
    return graph


def canonical_papers(notes: tuple[Note, ...], registry: Registry) -> tuple[Note, ...]:
    """Mentions under an alias (a publisher DOI of an arXiv paper) use the paper's one id, and a
    literature note named after a citation key (``@vaswani2017attention.md``, the Zotero and
    Obsidian convention) declares the paper of that key."""
    if not registry.aliases and not registry.keys:
        return notes
    return tuple(_canonical(note, registry) for note in notes)


def _canonical(note: Note, registry: Registry) -> Note:
    refs = note.papers
    if any(r.id in registry.aliases for r in refs):
        refs = tuple(r._replace(id=registry.canonical(r.id)) for r in refs)
    stem = PurePosixPath(note.source.rel or note.source.path).stem
    paper_id = registry.keys.get(stem[1:]) if stem.startswith("@") and note.source.item is None else None
    if paper_id and not any(r.declared and r.id == paper_id for r in refs):
        refs = (PaperRef(registry.canonical(paper_id), "", None, note.summary, declared=True), *refs)
    return note if refs is note.papers else replace(note, papers=refs)


def match_feed_titles(notes: tuple[Note, ...], registry: Registry) -> tuple[Note, ...]:
    """A feed item whose title is a known paper's title is about that paper."""
    if all(note.source.item is None for note in notes):
        return notes
    titles = {normalise_title(meta.title): paper_id for paper_id, meta in registry.papers.items() if meta.title}
    for note in notes:
        for ref in note.papers:
            if ref.title:
                titles.setdefault(normalise_title(ref.title), ref.id)
    matched = []
    for note in notes:
        paper_id = titles.get(normalise_title(note.title)) if note.source.item is not None else None
        if paper_id and all(ref.id != paper_id for ref in note.papers):
            note = replace(note, papers=(PaperRef(paper_id, "", note.title, note.summary, declared=True, title_source="subject"),
                                         *note.papers))
        matched.append(note)
    return tuple(matched)


@dataclass(frozen=True)
class Earlier:
    """An earlier graph's notes, papers and tags, which a graph built again may take from."""

    notes: tuple[Note, ...]
    papers: PaperGraph
    tags_of: Mapping[str, tuple[Tag, ...]]
    registry_changed: frozenset[str] = frozenset()  # the papers whose registry entry changed since (``papers_changed``)


def build_paper_graph(notes: tuple[Note, ...], registry: Registry, tags_of: dict[str, tuple[Tag, ...]],
                      paper_url: str = "/papers/{slug}/", earlier: Earlier | None = None,
                      placed: Placed | None = None) -> PaperGraph:
    """Papers (newest discussion first within each), per-note paper lists, co-mentions, related notes;
    ``paper_url`` is the pattern of a paper's page. A paper of ``earlier`` (an earlier graph's)
    that no changed note mentions, or with the same metadata and discussions, by the same note
    objects, is taken as it was (with what it worked out and the cards its lists took), and so
    are the metadata of the papers no changed note mentions, the co-mentions of those mentioned
    beside none, and the related notes of the notes sharing no paper or tag with a changed note
    (``placed``: where ``notes`` are, and the notes of each tag)."""
    changes = _Changes.of(notes, earlier) if earlier is not None else None
    touched = changes.papers() | changes.earlier.registry_changed if changes is not None else set()
    was = {paper.id: paper for paper in earlier.papers.papers} if earlier is not None else {}
    # a paper no changed note mentions, now or before, is discussed by the same notes in the same order
    kept = {pid: paper for pid, paper in was.items() if pid not in touched and paper.url_pattern == paper_url}
    mentioning = notes  # the notes that may mention a paper not kept: the others' papers are the earlier ones
    if changes is not None and placed is not None and len(kept) + len(was.keys() & touched) == len(was):
        mentioning = changes.mentioning(touched, was, notes, placed)
    metas = paper_metas(notes, registry) if earlier is None else _metas_again(mentioning, registry, earlier, touched)
    discussions: dict[str, list[Discussion]] = {}
    for note in mentioning:
        for ref in note.papers:
            if ref.id not in kept:
                discussions.setdefault(ref.id, []).append(Discussion(note, ref.anchor, ref.excerpt))
    papers = {pid: _same(was.get(pid), metas[pid], found, paper_url) or Paper(metas[pid], paper_slug(pid), tuple(found), url_pattern=paper_url)
              for pid, found in discussions.items()}
    papers.update(kept)
    ordered = tuple(sorted(papers.values(), key=_title_order))
    earlier_of = earlier.papers.papers_of if earlier is not None and mentioning is not notes else {}
    again = {note.id for note in mentioning} if earlier_of else set()
    papers_of = {note.id: earlier_of[note.id] if note.id in earlier_of and note.id not in again else
                 tuple(papers[pid] for pid in dict.fromkeys(ref.id for ref in note.papers)) for note in notes}
    cites, cited_by = citations(ordered)
    if changes is None:
        related, mentioned = related_notes(notes, papers_of, tags_of), co_mentions(papers_of, papers)
    else:
        related = related_again(notes, papers_of, tags_of, changes, papers, placed)
        mentioned = _co_mentions_again(papers_of, papers, changes.earlier.papers, touched)
    return PaperGraph(ordered, papers_of, mentioned, related, cites=cites, cited_by=cited_by)


def paper_metas(notes: Iterable[Note], registry: Registry, only: Collection[str] | None = None) -> dict[str, PaperMeta]:
    """The metadata of the papers the notes mention (those of ``only``), titled by the notes (in
    their order: the first of equal evidence wins)."""
    notes = tuple(notes)
    titles = paper_titles(notes)
    mentioned = dict.fromkeys(ref.id for note in notes for ref in note.papers if only is None or ref.id in only)
    metas = with_hints(registry, ((paper_id, titles.get(paper_id, "")) for paper_id in mentioned))
    return {**metas, **{paper_id: metas[paper_id].shown() for paper_id in mentioned}}


@dataclass(frozen=True)
class _Changes:
    """Notes against an ``earlier`` graph's: both by id, and the ids of the notes added, gone or
    not the earlier objects."""

    earlier: Earlier
    before: dict[str, Note]
    now: dict[str, Note]
    ids: set[str]

    @classmethod
    def of(cls, notes: tuple[Note, ...], earlier: Earlier) -> _Changes:
        before = {note.id: note for note in earlier.notes}
        now = {note.id: note for note in notes}
        return cls(earlier, before, now, {i for i, note in now.items() if before.get(i) is not note} | (before.keys() - now.keys()))

    def papers(self) -> set[str]:
        """The papers those notes mention, now or before."""
        return {ref.id for i in self.ids for note in (self.before.get(i), self.now.get(i)) if note is not None
                for ref in note.papers}

    def mentioning(self, papers: Collection[str], was: Mapping[str, Paper], notes: tuple[Note, ...],
                   placed: Placed) -> tuple[Note, ...]:
        """Of ``notes`` (where ``placed`` puts them), in their order, those mentioning any of
        ``papers`` (of the earlier ones, ``was``, by id) and those changed: any other mentions
        what it did, and only papers no changed note mentions."""
        ids = {note.id for pid in papers if pid in was for note in was[pid].notes} | self.ids
        at = placed.positions
        return tuple(notes[index] for index in sorted(at[i] for i in ids if i in at))


def _metas_again(notes: tuple[Note, ...], registry: Registry, earlier: Earlier, touched: set[str]) -> dict[str, PaperMeta]:
    """``paper_metas``, titled again only for the papers ``touched`` (``_Changes.papers``), from
    ``notes`` (every note mentioning one, in order): the others' titles come from the same
    notes' evidence."""
    metas = {paper.id: paper.meta for paper in earlier.papers.papers}
    fresh = paper_metas((note for note in notes if any(ref.id in touched for ref in note.papers)), registry, touched)
    metas.update((paper_id, fresh[paper_id]) for paper_id in touched if paper_id in fresh)  # the rest as titled before
    return metas


def _same(paper: Paper | None, meta: PaperMeta, discussions: list[Discussion], url_pattern: str) -> Paper | None:
    """``paper`` when it is the paper ``meta`` and ``discussions`` make under ``url_pattern`` (its
    slug follows from its id)."""
    if (paper is None or paper.meta != meta or paper.url_pattern != url_pattern
            or len(paper.discussions) != len(discussions)):
        return None
    same = all(old.note is new.note and old.anchor == new.anchor and old.excerpt == new.excerpt
               for old, new in zip(paper.discussions, discussions))
    return paper if same else None


def citations(papers: tuple[Paper, ...]) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """Who cites whom among the papers with pages (their metadata's references), both ways."""
    known = {paper.id for paper in papers}
    cites = {paper.id: tuple(r for r in paper.meta.references if r in known and r != paper.id) for paper in papers}
    cited_by: dict[str, list[str]] = {}
    for citing, cited in cites.items():
        for paper_id in cited:
            cited_by.setdefault(paper_id, []).append(citing)
    return ({k: v for k, v in cites.items() if v}, {k: tuple(sorted(v)) for k, v in cited_by.items()})


def _title_order(paper: Paper) -> tuple[str, str]:
    """Where a paper stands in the site's order of papers."""
    return paper.title.lower(), paper.id


def co_mentions(papers_of: Mapping[str, tuple[Paper, ...]], papers: Mapping[str, Paper],
                window: int = CO_MENTION_WINDOW, limit: int = 8,
                only: Collection[str] | None = None) -> dict[str, tuple[tuple[Paper, int], ...]]:
    """For each paper (each of ``only``), the papers most often mentioned with it (see
    ``CO_MENTION_WINDOW``): time and memory linear in the number of mentions."""
    pairs: dict[str, Counter[str]] = {}
    lists = papers_of.values() if only is None else [papers_of[note_id] for note_id in
                                                     dict.fromkeys(n.id for pid in only for n in papers[pid].notes)]
    for mine in lists:
        for index, paper in enumerate(mine):
            if only is not None and paper.id not in only:
                continue
            counts = pairs.setdefault(paper.id, Counter())
            for other in mine[max(0, index - window):index + window + 1]:
                if other.id != paper.id:
                    counts[other.id] += 1
    lowered = {pid: paper.title.lower() for pid, paper in papers.items()}  # once a paper, not once a pair
    return {pid: tuple((papers[o], n) for o, n in sorted(c.items(), key=lambda kv: (-kv[1], lowered[kv[0]]))[:limit])
            for pid, c in pairs.items() if c}


def _co_mentions_again(papers_of: Mapping[str, tuple[Paper, ...]], papers: Mapping[str, Paper], earlier: PaperGraph,
                       touched: set[str]) -> dict[str, tuple[tuple[Paper, int], ...]]:
    """``co_mentions``, counted again only for the papers a note mentions beside a paper of
    ``touched`` (``_Changes.papers``): any other is mentioned by the same notes beside the same papers,
    titled as before and taken from the ``earlier`` graph, so its list is the earlier one. In
    the order ``co_mentions`` gives them."""
    near = {other.id for pid in touched if pid in papers for note in papers[pid].notes for other in papers_of[note.id]}
    found = co_mentions(papers_of, papers, only=near)
    kept = earlier.co_mentioned
    again: dict[str, tuple[tuple[Paper, int], ...]] = {}
    for pid in dict.fromkeys(paper.id for mine in papers_of.values() for paper in mine):  # the order counting meets them
        mentioned = found.get(pid) if pid in near else kept.get(pid)
        if mentioned:
            again[pid] = mentioned
    return again


def paper_titles(notes: Iterable[Note]) -> dict[str, str]:
    """The title the notes give each paper: the strongest evidence over all mentions (see
    ``titles.py``), counting a note or feed item whose subject is the paper."""
    evidence: dict[str, list[Evidence]] = {}
    for note in notes:
        subject = subject_paper(note)
        titled = heading_title(note.title) if subject else None
        if subject and titled:
            evidence.setdefault(subject, []).append(Evidence(titled, "subject"))
        for ref in note.papers:
            if ref.title:
                evidence.setdefault(ref.id, []).append(Evidence(ref.title, ref.title_source or "bracket"))
    chosen = {paper_id: strongest(found) for paper_id, found in evidence.items()}
    return {paper_id: best.title for paper_id, best in chosen.items() if best}


def subject_paper(note: Note) -> str | None:
    """The paper a note is about, when it says so: the one paper its front matter declares, the
    paper a feed item links to, or the one paper it points to as "the paper" (a link such as
    ``[Paper](…)`` or ``[pdf](…)``) before naming any other, in a line of a few words (``Link to
    the paper``, ``Paper · Code``): a sentence saying "as in this [paper]" names a paper the
    note is not about."""
    declared = {ref.id for ref in note.papers if ref.declared}
    if len(declared) == 1:
        return declared.pop()
    if note.original_url:
        linked = identify(note.original_url)
        if linked and any(ref.id == linked for ref in note.papers):
            return linked
    generic = {ref.id for ref in note.papers if ref.title_source == "generic" and _pointer_line(ref.excerpt)}
    if len(generic) == 1 and note.papers and note.papers[0].id in generic:
        return generic.pop()
    return None


_WORD = re.compile(r"\w+")
POINTER_WORDS = 10  # the most words of a block that points to a note's paper: ``Paper: [arXiv] · Code: [GitHub]``


def _pointer_line(excerpt: str) -> bool:
    """Whether a mention's block is a line pointing to the paper rather than a sentence about it."""
    return len(_WORD.findall(excerpt)) <= POINTER_WORDS


RELATING_TAG = 200  # the most notes a tag may have for its notes to be related by it


def related_again(notes: tuple[Note, ...], papers_of: dict[str, tuple[Paper, ...]], tags_of: dict[str, tuple[Tag, ...]],
                  changes: _Changes, papers: Mapping[str, Paper] | None = None,
                  placed: Placed | None = None) -> dict[str, tuple[Note, ...]]:
    """``related_notes`` of ``notes``, found again only for the notes sharing a paper or tag with
    a note that is not the earlier graph's (added, gone or changed), unless that paper or tag
    has too many notes to relate them (``RELATING_TAG``) before and after: another note's
    candidates, their scores and their order are what they were, and so is its list. All are
    found again when the notes that did not change moved among one another (ties go to the
    earlier note; a changed note that moved, a new date, is found again with those near it).
    ``placed`` (with every paper by id, ``papers``): where the notes are, to find the notes of a
    paper or tag from its own rather than by walking every note."""
    earlier, before, now, changed = changes.earlier, changes.before, changes.now, changes.ids
    if [i for i in now if i not in changed] != [i for i in before if i not in changed]:
        return related_notes(notes, papers_of, tags_of)
    left = Counter(key for i in changed if i in now for key in _relating(i, papers_of, tags_of))  # the changed notes' keys now…
    came = Counter(key for i in changed for key in _relating(i, earlier.papers.papers_of, earlier.tags_of))  # …and before
    keys = left.keys() | came.keys()
    members = _members(notes, papers_of, tags_of, keys) if placed is None or papers is None else _placed_members(placed, papers, keys)
    touched = [key for key, holding in members.items()
               if min(len(holding), len(holding) - left[key] + came[key]) <= RELATING_TAG]
    again = {*(i for i in changed if i in now), *(notes[at].id for key in touched for at in members[key])}
    related = _related(notes, {i: _relating(i, papers_of, tags_of) for i in again}, papers_of, tags_of, again, placed=placed)
    kept = earlier.papers.related  # the same notes: a list holding a note that changed was found again
    return {i: related[i] if i in related else kept.get(i, ()) for i in now}


def _members(notes: tuple[Note, ...], papers_of: Mapping[str, tuple[Paper, ...]], tags_of: Mapping[str, tuple[Tag, ...]],
             keys: Collection[str]) -> dict[str, list[int]]:
    """The positions in ``notes`` of the notes holding each of ``keys`` (``_relating``'s), found
    by looking each note's papers and tags up rather than making its keys."""
    paper_ids, slugs = {key[2:] for key in keys if key[0] == "p"}, {key[2:] for key in keys if key[0] == "t"}
    members: dict[str, list[int]] = {key: [] for key in keys}
    for at, note in enumerate(notes):
        for paper in papers_of.get(note.id, ()):
            if paper.id in paper_ids:
                members["p:" + paper.id].append(at)
        for tag in tags_of.get(note.id, ()):
            if tag.slug in slugs:
                members["t:" + tag.slug].append(at)
    return members


def _placed_members(placed: Placed, papers: Mapping[str, Paper], keys: Collection[str]) -> dict[str, list[int]]:
    """``_members``, found from each paper's (of ``papers``) and tag's own notes where ``placed``
    puts them: a paper none holds any more has none."""
    at = placed.positions
    members: dict[str, list[int]] = {}
    for key in keys:
        paper = papers.get(key[2:]) if key[0] == "p" else None
        holding = (paper.notes if paper is not None else ()) if key[0] == "p" else placed.tagged.get(key[2:], ())
        members[key] = sorted(at[note.id] for note in holding)
    return members


def _relating(note_id: str, papers_of: Mapping[str, tuple[Paper, ...]], tags_of: Mapping[str, tuple[Tag, ...]]) -> tuple[str, ...]:
    """The keys ``related_notes`` relates a note by: its papers and tags."""
    return (*("p:" + paper.id for paper in papers_of.get(note_id, ())), *("t:" + tag.slug for tag in tags_of.get(note_id, ())))


@dataclass(frozen=True)
class Placed:
    """Where the notes of a graph are (by id, their positions) and the notes of each tag (by
    slug): what finds the notes holding a paper or tag without walking every note."""

    positions: Mapping[str, int]
    tagged: Mapping[str, tuple[Note, ...]]


def related_notes(notes: tuple[Note, ...], papers_of: dict[str, tuple[Paper, ...]],
                  tags_of: dict[str, tuple[Tag, ...]], only: Collection[str] | None = None,
                  limit: int = 5, placed: Placed | None = None) -> dict[str, tuple[Note, ...]]:
    """For each note (or each of the ids ``only``), the notes sharing most papers (weight 2) and
    tags (weight 1). ``placed``: where ``notes`` are, for a few notes of a large graph."""
    keys_of = {i: _relating(i, papers_of, tags_of) for i in (only if only is not None else (note.id for note in notes))}
    return _related(notes, keys_of, papers_of, tags_of, only, limit, placed)


def _related(notes: tuple[Note, ...], keys_of: Mapping[str, tuple[str, ...]], papers_of: dict[str, tuple[Paper, ...]],
             tags_of: dict[str, tuple[Tag, ...]], only: Collection[str] | None, limit: int = 5,
             placed: Placed | None = None) -> dict[str, tuple[Note, ...]]:
    """``related_notes``, the keys (``_relating``) of each note given (of those ``only``, when given)."""
    by_key: dict[str, list[int]] = {}  # the members of each paper and tag (those of the notes ``only``), by position
    if only is None:
        for at, note in enumerate(notes):
            for key in keys_of[note.id]:
                by_key.setdefault(key, []).append(at)
    elif placed is not None:  # each paper's and tag's own notes, placed
        by_key = _placed_members(placed, {paper.id: paper for i in only for paper in papers_of.get(i, ())},
                                 {key for i in only for key in keys_of[i]})
    else:  # each note's papers and tags looked up, without making its keys: most are not wanted
        by_key = _members(notes, papers_of, tags_of, {key for i in only for key in keys_of[i]})
    if only is None:
        position = {note.id: index for index, note in enumerate(notes)}
    elif placed is not None:
        position = {i: placed.positions[i] for i in only}
    else:
        position = {note.id: at for at, note in enumerate(notes) if note.id in only}
    related = {}
    # a tag or paper on more than RELATING_TAG notes says little about relatedness
    members_at = {key: members for key, members in by_key.items() if len(members) <= RELATING_TAG}
    span = len(notes) + 1  # a score and a position as one number: ``at - score * span`` sorts as (-score, at)
    for note in notes if only is None else (notes[position[i]] for i in only):
        met: list[int] = []  # counted at once: one call rather than one a paper or tag
        for paper in papers_of.get(note.id, ()):
            shared = members_at.get("p:" + paper.id, ())
            met += shared
            met += shared  # a shared paper counts twice
        for tag in tags_of.get(note.id, ()):
            met += members_at.get("t:" + tag.slug, ())
        scores = Counter(met)
        scores.pop(position[note.id], None)
        best = sorted([at - score * span for at, score in scores.items()])[:limit]  # most shared first, then in order
        related[note.id] = tuple(notes[value % span] for value in best)
    return related
