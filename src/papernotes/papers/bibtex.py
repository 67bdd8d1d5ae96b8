"""BibTeX for paper pages and the ``.bib`` exports: keys unique across the site in the common
``authorYEARword`` style (``vaswani2017attention``), entry types by venue, fields escaped so that
BibTeX, biber, bibtexparser and pybtex read them."""

from __future__ import annotations

import re
import unicodedata
from typing import Iterable, Iterator

from .registry import PaperMeta

# Words a key never takes as its "word" (Google Scholar's style skips these too).
_STOPWORDS = frozenset("""a an the on of in for to and with via from towards toward using is are by at as do does we
what how why when can your our its into not no be""".split())
_CONFERENCE = re.compile(r"\b(?:proceedings|proc\.|conference|conf\.|workshop|symposium|meeting|congress|neurips|nips|"
                         r"advances in neural information processing|"
                         r"icml|iclr|aaai|ijcai|acl|emnlp|naacl|coling|eacl|cvpr|iccv|eccv|sigir|kdd|www|chi|uist|"
                         r"icra|iros|rss|corl|interspeech|icassp|colt|aistats|uai|miccai|isbi)\b", re.IGNORECASE)
_KEY_SAFE = re.compile(r"[^A-Za-z0-9]+")


def base_key(meta: PaperMeta) -> str:
    """``authorYEARword``: the first author's surname, the year and the first significant title
    word, in ASCII lower case; parts that are unknown are left out, and a paper known by nothing
    but its id is keyed by it (``arxiv_2305_10601``)."""
    surname = _KEY_SAFE.sub("", _ascii(family_name(meta.authors[0]))).lower() if meta.authors else ""
    words = [w.lower() for w in re.findall(r"[A-Za-z][A-Za-z0-9]*", _ascii(meta.title or ""))]
    significant = [w for w in words if w not in _STOPWORDS] or words
    if not surname and significant:
        surname, significant = significant[0], significant[1:]
    if not surname:
        return _KEY_SAFE.sub("_", _ascii(meta.id)).strip("_").lower() or "paper"
    return f"{surname}{meta.year or ''}{significant[0] if significant else ''}"


def cite_keys(papers: Iterable[PaperMeta]) -> dict[str, str]:
    """A key per paper id, unique: the registry's own key when it has one, else ``base_key``;
    papers sharing a key get ``a``, ``b``, … in the order of their ids, so a key stays put while
    the papers sharing it do."""
    papers = sorted(papers, key=lambda meta: meta.id)
    keys: dict[str, str] = {}
    taken: set[str] = set()
    own = [meta for meta in papers if meta.key and _valid_key(meta.key)]
    for meta in own:
        if meta.key not in taken:
            keys[meta.id] = meta.key  # type: ignore[assignment]
            taken.add(meta.key)  # type: ignore[arg-type]
    groups: dict[str, list[str]] = {}
    for meta in papers:
        if meta.id not in keys:
            groups.setdefault(base_key(meta), []).append(meta.id)
    for key, ids in groups.items():
        if len(ids) == 1 and key not in taken:
            keys[ids[0]] = key
            taken.add(key)
            continue
        suffixes = (_suffix(n) for n in range(1_000_000))
        for paper_id in ids:
            candidate = key + next(suffixes)
            while candidate in taken:
                candidate = key + next(suffixes)
            keys[paper_id] = candidate
            taken.add(candidate)
    return keys


def entry_type(meta: PaperMeta) -> str:
    """The registry's type, else by venue: ``inproceedings`` for a conference or workshop,
    ``article`` for another venue, ``misc`` for a preprint or a paper with no venue known."""
    if meta.entry_type:
        return meta.entry_type
    if not meta.venue or meta.venue.lower() in ("arxiv", "corr", "arxiv preprint", "biorxiv", "medrxiv"):
        return "misc"
    return "inproceedings" if _CONFERENCE.search(meta.venue) else "article"


def bibtex_entry(meta: PaperMeta, key: str) -> str:
    """One entry with the fields known; arXiv papers carry ``eprint`` and ``archivePrefix``."""
    kind, _, value = meta.id.partition(":")
    kind_of_entry = entry_type(meta)
    fields: list[tuple[str, str]] = []
    if meta.title:
        fields.append(("title", "{" + _value(meta.title) + "}"))
    if meta.authors:
        fields.append(("author", " and ".join(_value(bibtex_name(a)) for a in meta.authors)))
    if meta.year:
        fields.append(("year", str(meta.year)))
    if meta.venue:
        venue_field = {"inproceedings": "booktitle", "article": "journal"}.get(kind_of_entry, "howpublished")
        fields.append((venue_field, _value(meta.venue)))
    doi = value if kind == "doi" else meta.links.get("doi", "").removeprefix("https://doi.org/")
    if doi:
        fields.append(("doi", _value(doi)))
    if kind == "arxiv":
        fields += [("eprint", value), ("archivePrefix", "arXiv")]
    url = meta.links.get("abs") or meta.links.get("url") or meta.links.get("doi")
    if url:
        fields.append(("url", _url(url)))
    body = ",\n".join(f"  {name} = {{{text}}}" for name, text in fields)
    return f"@{kind_of_entry}{{{key},\n{body}\n}}\n"


def bibliography(entries: Iterable[str]) -> Iterator[str]:
    """``entries`` (``bibtex_entry``'s) in the order given, a blank line between two: an entry at
    a time (a site's whole library is never held as one text)."""
    separator = ""
    for entry in entries:
        yield separator + entry
        separator = "\n"


def family_name(name: str) -> str:
    """The surname of ``Ashish Vaswani`` or ``Vaswani, Ashish``."""
    name = name.strip()
    if "," in name:
        return name.split(",", 1)[0].strip()
    parts = name.split()
    return parts[-1] if parts else ""


def bibtex_name(name: str) -> str:
    """``Last, First`` (unambiguous for BibTeX); ``others`` and one-word names as they are."""
    name = " ".join(name.split())
    if "," in name or name == "others" or " " not in name:
        return name
    given, _, family = name.rpartition(" ")
    return f"{family}, {given}"


def _value(text: str) -> str:
    """A field value BibTeX reads back as written: special characters escaped, braces balanced."""
    text = text.replace("\\", r"\textbackslash{}")
    text = re.sub(r"(?<!\\)([%&#$_])", r"\\\1", text)
    text = text.replace("~", r"\textasciitilde{}").replace("^", r"\textasciicircum{}")
    return _balanced(text)


def _url(url: str) -> str:
    """A URL as the ``url`` package reads it: only ``%``, ``#`` and braces need care."""
    return _balanced(url.replace("%", r"\%").replace("#", r"\#"))


def _balanced(text: str) -> str:
    """``text`` with unmatched braces dropped."""
    if "{" not in text and "}" not in text:
        return text
    depth, kept = 0, []
    for char in text:
        if char == "{":
            depth += 1
        elif char == "}":
            if depth == 0:
                continue
            depth -= 1
        kept.append(char)
    result = "".join(kept)
    while depth:  # drop the last unmatched opening braces
        index = result.rfind("{")
        result, depth = result[:index] + result[index + 1:], depth - 1
    return result


def _valid_key(key: str) -> bool:
    return bool(re.fullmatch(r"[^\s,{}()=\"#%'\\]+", key))


def _suffix(number: int) -> str:
    """a, b, …, z, aa, ab, …"""
    letters = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
