"""Paper identification: every way a note names a paper, mapped to one canonical id.

Canonical ids: ``arxiv:2305.10601`` (no version), ``arxiv:hep-th/9901001``, ``doi:10.1000/xyz``
(lower-cased), ``openreview:<id>``, ``acl:2023.acl-long.1``, ``s2:<40 hex>``, and for papers known
only by a title, ``title:<normalised title>``. Only identifiers in a recognisable context are
taken (a URL, ``arXiv:``, ``doi:``, ``[2305.10601]``), so decimals, versions, dates and IP
addresses are never papers; mentions inside code are ignored.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from typing import Iterator

_NEW_ARXIV = r"(?P<new>(?P<yy>\d{2})(?P<mm>\d{2})\.\d{4,5})(?:v\d+)?"
_OLD_ARXIV = r"(?P<old>(?:[a-z-]+(?:\.[A-Za-z-]{2,})?)/\d{7})(?:v\d+)?"
_ARXIV_ID = rf"(?:{_NEW_ARXIV}|{_OLD_ARXIV})"
_ARXIV_HOSTS = r"(?:arxiv\.org|alphaxiv\.org|ar5iv\.org|ar5iv\.labs\.arxiv\.org|huggingface\.co|hf\.co)"
_ARXIV_PATHS = r"(?:abs|pdf|html|papers|overview|format|ps)"

_PATTERNS = [
    ("arxiv", re.compile(rf"{_ARXIV_HOSTS}/{_ARXIV_PATHS}/{_ARXIV_ID}(?![\d])", re.IGNORECASE)),
    ("arxiv", re.compile(rf"(?<![\w/])arxiv\s?:\s?{_ARXIV_ID}(?![\d])", re.IGNORECASE)),
    ("arxiv", re.compile(rf"(?<![\w\[])\[{_NEW_ARXIV}\]")),
    ("arxiv", re.compile(r"10\.48550/arxiv\.(?P<new>(?P<yy>\d{2})(?P<mm>\d{2})\.\d{4,5})(?:v\d+)?", re.IGNORECASE)),
    ("doi", re.compile(r"(?:doi\.org/|(?<![\w/])doi:\s?)(?P<doi>10\.\d{4,9}/[^\s\"'<>]+)", re.IGNORECASE)),
    ("openreview", re.compile(r"openreview\.net/(?:forum|pdf|attachment)\?(?:[^\s\"'<>]*?&(?:amp;)?)?id=(?P<openreview>[A-Za-z0-9_-]{6,})")),
    ("acl", re.compile(r"aclanthology\.org/(?P<acl>\d{4}\.[a-z0-9-]+\.\d+|[A-Z]\d{2}-\d{4})", re.IGNORECASE)),
    ("acl", re.compile(r"aclweb\.org/anthology/(?:[A-Z]/[A-Z]\d{2}/)?(?P<acl>[A-Z]\d{2}-\d{4})", re.IGNORECASE)),
    ("s2", re.compile(r"semanticscholar\.org/paper/(?:[^/\s\"'<>]+/)?(?P<s2>[0-9a-f]{40})", re.IGNORECASE)),
]
# A bare new-style id in prose (2015 onwards, five digits): "see 2305.10601 for details".
_BARE_ARXIV = re.compile(r"(?<![\w./:#@-])(?P<new>(?P<yy>1[5-9]|[2-9]\d)(?P<mm>0[1-9]|1[0-2])\.\d{5})(?:v\d+)?(?![\w.]*\d)(?![/-])")
# Cheap test before running the patterns: could anything in a text be a paper at all?
MAYBE_PAPER = re.compile(r"arxiv|doi|openreview|aclanthology|aclweb|semanticscholar|huggingface|hf\.co|ar5iv|\d{4}\.\d{4,5}",
                         re.IGNORECASE)
_BRACKET_TITLE = re.compile(r"[ \t]*[-:–—]?[ \t]*(?P<title>[^\n\[\]]{3,200}?)[ \t]*(?=\n|$|\s[-–—]\s|\s\[|\s*\(?https?://)")
_DOI_TRAILING = re.compile(r"[.,;:)\]}>]+$")


@dataclass(frozen=True)
class Mention:
    """One place a text names a paper: the canonical id, where it stands, and a title if given."""

    id: str
    start: int
    end: int
    title: str | None = None


def canonical(kind: str, match: re.Match[str]) -> str | None:
    """The canonical id for a pattern match, or None when the match is not a real identifier."""
    groups = match.groupdict()
    if kind == "arxiv":
        if groups.get("new"):
            if not 1 <= int(groups["mm"]) <= 12:
                return None
            return f"arxiv:{groups['new']}"
        return f"arxiv:{groups['old']}" if groups.get("old") else None
    if kind == "doi":
        return doi_id(groups["doi"])
    if kind == "acl":
        return f"acl:{groups['acl']}"
    return f"{kind}:{groups[kind]}"


def doi_id(doi: str) -> str:
    """``doi:<lower-case DOI>``; arXiv's own DOIs (10.48550/arXiv.…) are the arXiv paper."""
    doi = _DOI_TRAILING.sub("", html.unescape(doi.strip())).lower()
    arxiv = re.match(r"10\.48550/arxiv\.(\d{4}\.\d{4,5})", doi)
    return f"arxiv:{arxiv.group(1)}" if arxiv else f"doi:{doi}"


def find_mentions(text: str, *, bare: bool = True) -> list[Mention]:
    """Every paper identifier in ``text`` (plain text, no code), in order, without overlaps."""
    if not MAYBE_PAPER.search(text):
        return []
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            paper = canonical(kind, match)
            if paper:
                title = _bracket_title(text, match) if match.group(0).startswith("[") else None
                found.append(Mention(paper, match.start(), match.end(), title))
                taken.append((match.start(), match.end()))
    if bare:
        for match in _BARE_ARXIV.finditer(text):
            if not any(s <= match.start() < e for s, e in taken):
                found.append(Mention(f"arxiv:{match['new']}", match.start(), match.end()))
    return sorted(found, key=lambda m: m.start)


def _bracket_title(text: str, match: re.Match[str]) -> str | None:
    """``[2305.10601] Tree of Thoughts: …`` names the paper right after the bracket."""
    after = _BRACKET_TITLE.match(text, match.end())
    if not after:
        return None
    title = after.group("title").strip().rstrip(".,;:")
    return title if len(title) >= 3 and re.search(r"[A-Za-z]{2}", title) else None


def identify(value: str) -> str | None:
    """The canonical id of one identifier or URL (front matter ``paper:``), or None."""
    value = value.strip()
    mentions = find_mentions(value)
    if mentions:
        return mentions[0].id
    bare = re.fullmatch(r"(?:arxiv:)?\s*(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Za-z-]{2,})?/\d{7})(?:v\d+)?", value, re.IGNORECASE)
    if bare:
        return f"arxiv:{bare.group(1)}"
    if re.fullmatch(r"10\.\d{4,9}/\S+", value):
        return doi_id(value)
    known = re.fullmatch(r"(arxiv|doi|openreview|acl|s2|title):(.+)", value, re.IGNORECASE)
    return f"{known.group(1).lower()}:{known.group(2)}" if known else None


def title_key(title: str) -> str:
    """``title:<normalised>``: how a paper known only by its title is keyed."""
    return "title:" + normalise_title(title)


def normalise_title(title: str) -> str:
    """Lower case, accents and punctuation dropped, spaces folded: for matching titles."""
    text = unicodedata.normalize("NFKD", html.unescape(title))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def paper_slug(paper_id: str) -> str:
    """The URL segment of a paper page: ``arxiv:2305.10601`` → ``arxiv-2305.10601``."""
    slug = re.sub(r"[^\w.-]+", "-", paper_id.replace(":", "-", 1)).strip("-.").lower()
    return slug[:120] or "paper"


def links_for(paper_id: str) -> dict[str, str]:
    """The obvious public links of an id (abstract page, PDF)."""
    kind, _, value = paper_id.partition(":")
    if kind == "arxiv":
        return {"abs": f"https://arxiv.org/abs/{value}", "pdf": f"https://arxiv.org/pdf/{value}"}
    if kind == "doi":
        return {"doi": f"https://doi.org/{value}"}
    if kind == "openreview":
        return {"abs": f"https://openreview.net/forum?id={value}", "pdf": f"https://openreview.net/pdf?id={value}"}
    if kind == "acl":
        return {"abs": f"https://aclanthology.org/{value}", "pdf": f"https://aclanthology.org/{value}.pdf"}
    if kind == "s2":
        return {"abs": f"https://www.semanticscholar.org/paper/{value}"}
    return {}


def iter_ids(values: object) -> Iterator[str]:
    """Strings of a front matter ``paper``/``papers`` value (a string or a list)."""
    if isinstance(values, (list, tuple)):
        for value in values:
            if value not in (None, ""):
                yield str(value)
    elif values not in (None, ""):
        yield str(values)
