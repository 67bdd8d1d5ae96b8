"""Authors and venues of the papers with pages: who wrote them and where they appeared.

An author is one person across papers when the metadata gives the same ORCID or OpenAlex id,
else the same normalised name (accents, case and punctuation aside; ``A. Vaswani`` and ``Ashish
Vaswani`` stay apart, as a name alone cannot tell them together). A venue is one by its OpenAlex
id, else its normalised name. Each gets a page listing its papers and the notes about them.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Iterable

from .papergraph import Paper
from .identifiers import normalise_title
from ..urls import slugify


@dataclass(frozen=True)
class Shelf:
    """An author or a venue with the papers of the site under it."""

    kind: str  # "author" or "venue"
    key: str
    name: str
    slug: str
    papers: tuple[Paper, ...]
    url: str  # its page, from the site's ``urls.author`` or ``urls.venue`` pattern

    @property
    def id(self) -> str:
        return f"{self.kind}:{self.slug}"


def authors(papers: Iterable[Paper], url: str = "/authors/{slug}/") -> tuple[Shelf, ...]:
    """One shelf per author, the most prolific first; ``url`` is the pattern of an author's page."""
    found: dict[str, tuple[str, list[Paper]]] = {}
    for paper in papers:
        ids = paper.meta.author_ids
        for index, name in enumerate(paper.meta.authors):
            if not is_author(name):
                continue
            key = (ids[index] if index < len(ids) else None) or "name:" + normalise_title(name)
            listed = found.setdefault(key, (name, []))[1]
            if not listed or listed[-1] is not paper:  # a name twice in one author list counts once
                listed.append(paper)
    return _shelves("author", found, url)


def is_author(name: str) -> bool:
    """Whether an author list entry names someone (not ``others`` or ``et al.``)."""
    return name.strip().lower() not in ("others", "et al.", "")


def venues(papers: Iterable[Paper], url: str = "/venues/{slug}/") -> tuple[Shelf, ...]:
    """One shelf per venue, the fullest first; ``url`` is the pattern of a venue's page."""
    found: dict[str, tuple[str, list[Paper]]] = {}
    for paper in papers:
        if paper.meta.venue:
            key = paper.meta.venue_id or "name:" + normalise_title(paper.meta.venue)
            found.setdefault(key, (paper.meta.venue, []))[1].append(paper)
    return _shelves("venue", found, url)


# letters NFKD does not take apart
_LATIN = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE",
                        "đ": "d", "Đ": "D", "ð": "d", "þ": "th", "ı": "i"})


def _ascii(name: str) -> str:
    """``Łukasz Kaiser`` → ``Lukasz Kaiser``; empty for a name in another script (kept as it is)."""
    text = unicodedata.normalize("NFKD", name.translate(_LATIN)).encode("ascii", "ignore").decode()
    return text if sum(c.isalpha() for c in text) >= sum(c.isalpha() for c in name) else ""


def _shelves(kind: str, found: dict[str, tuple[str, list[Paper]]], url: str) -> tuple[Shelf, ...]:
    """Shelves with unique slugs (in key order, so a slug stays while its neighbours do), the
    fullest first, then by name."""
    taken: set[str] = set()
    shelves = []
    for key in sorted(found):
        name, papers = found[key]
        base = slugify(_ascii(name) or name, fallback=kind)
        slug, number = base, 2
        while slug in taken:
            slug, number = f"{base}-{number}", number + 1
        taken.add(slug)
        shelves.append(Shelf(kind, key, name, slug, tuple(papers), url.format(slug=slug)))
    return tuple(sorted(shelves, key=lambda s: (-len(s.papers), s.name.lower(), s.slug)))
