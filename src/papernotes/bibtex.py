"""BibTeX entries written for paper pages and the ``/papers.bib`` export."""

from __future__ import annotations

import re
import unicodedata
from typing import Iterable

from .registry import PaperMeta


def cite_key(meta: PaperMeta) -> str:
    """The registry's key, else ``surnameYEARfirstword``, else one made from the id."""
    if meta.key:
        return meta.key
    parts = []
    if meta.authors:
        parts.append(_ascii(meta.authors[0].split()[-1]).lower())
    if meta.year:
        parts.append(str(meta.year))
    if meta.title:
        words = [w for w in re.findall(r"[A-Za-z]+", _ascii(meta.title)) if len(w) > 3]
        parts.append(words[0].lower() if words else "")
    key = "".join(parts)
    return key if len(key) > 4 else re.sub(r"[^\w]+", "_", meta.id)


def bibtex_entry(meta: PaperMeta) -> str:
    """One ``@article{…}`` / ``@misc{…}`` entry with the fields known."""
    kind, _, value = meta.id.partition(":")
    fields: list[tuple[str, str]] = []
    if meta.title:
        fields.append(("title", "{" + meta.title + "}"))
    if meta.authors:
        fields.append(("author", " and ".join(meta.authors)))
    if meta.year:
        fields.append(("year", str(meta.year)))
    entry_type = meta.entry_type
    if meta.venue:
        fields.append(("booktitle" if entry_type == "inproceedings" else "journal", meta.venue))
    if kind == "arxiv":
        entry_type = entry_type if meta.venue else "misc"
        fields += [("eprint", value), ("archivePrefix", "arXiv")]
    elif kind == "doi":
        fields.append(("doi", value))
    url = meta.links.get("abs") or meta.links.get("url") or meta.links.get("doi")
    if url:
        fields.append(("url", url))
    body = ",\n".join(f"  {name} = {{{_escape(text)}}}" for name, text in fields)
    return f"@{entry_type}{{{cite_key(meta)},\n{body}\n}}\n"


def bibliography(papers: Iterable[PaperMeta]) -> str:
    """Entries for all papers, in the order given."""
    return "\n".join(bibtex_entry(meta) for meta in papers)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("&", "\\&").replace("#", "\\#")


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
