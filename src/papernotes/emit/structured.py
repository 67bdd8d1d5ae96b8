"""JSON-LD (schema.org) for note and paper pages."""

from __future__ import annotations

from typing import Any, Sequence

from ..config import Config
from ..model import Note
from ..papers.papergraph import Paper
from ..text import unmarked


def paper_json_ld(paper: Paper, config: Config, context: bool = True) -> dict[str, Any]:
    """A ``ScholarlyArticle`` for a paper."""
    meta = paper.meta
    data: dict[str, Any] = {"@type": "ScholarlyArticle", "name": paper.title, "identifier": paper.id,
                            "url": config.absolute_url(paper.url)}
    if context:
        data["@context"] = "https://schema.org"
    if meta.authors:
        data["author"] = [{"@type": "Person", "name": name} for name in meta.authors if name != "others"]
    if meta.year:
        data["datePublished"] = str(meta.year)
    if meta.venue:
        data["isPartOf"] = {"@type": "Periodical", "name": meta.venue}
    if meta.abstract:
        data["abstract"] = meta.abstract
    same = [link for link in (meta.links.get("abs"), meta.links.get("doi")) if link]
    if same:
        data["sameAs"] = same
    return data


def note_json_ld(note: Note, papers: Sequence[Paper], config: Config) -> dict[str, Any]:
    """A ``BlogPosting`` for a note, ``about`` the papers it discusses."""
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": "BlogPosting", "headline": note.title,
                            "url": config.absolute_url(note.url), "mainEntityOfPage": config.absolute_url(note.url)}
    if note.summary:
        data["description"] = unmarked(note.summary)
    if note.date:
        data["datePublished"] = note.date.iso()
    if note.updated:
        data["dateModified"] = note.updated.iso()
    author = note.author or config.author
    if author:
        data["author"] = {"@type": "Person", "name": author}
    if note.tags:
        data["keywords"] = list(note.tags)
    if note.body.words:
        data["wordCount"] = note.body.words
    if papers:
        data["about"] = [paper_json_ld(paper, config, context=False) for paper in papers]
    return data
