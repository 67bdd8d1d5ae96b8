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
import urllib.parse
from dataclasses import dataclass
from typing import Iterator

from ..text import any_in, folded

_NEW_ARXIV = r"(?P<new>(?P<yy>\d{2})(?P<mm>\d{2})\.\d{4,5})(?:v\d+)?"
# The archives of the old scheme (1991–2007): ``hep-th/9901001``, ``cs.CL/0112017``, ``math.AG/0601001``.
OLD_ARCHIVES = (
    "acc-phys|adap-org|alg-geom|ao-sci|astro-ph|atom-ph|bayes-an|chao-dyn|chem-ph|cmp-lg|comp-gas|cond-mat|cs|dg-ga|"
    "funct-an|gr-qc|hep-ex|hep-lat|hep-ph|hep-th|math-ph|math|mtrl-th|nlin|nucl-ex|nucl-th|patt-sol|physics|plasm-ph|"
    "q-alg|q-bio|q-fin|quant-ph|solv-int|stat|supr-con"
)
_OLD_ARXIV = rf"(?P<old>(?P<archive>{OLD_ARCHIVES})(?:\.[A-Za-z-]{{2,}})?/(?P<oldnum>(?P<oldyy>\d{{2}})(?P<oldmm>\d{{2}})\d{{3}}))(?:v\d+)?"
_ARXIV_ID = rf"(?:{_NEW_ARXIV}|{_OLD_ARXIV})"
# A host counts only at a host boundary (``eartharxiv.org`` is not arXiv): arXiv and its subdomains
# (``export.``, ``browse.``, ``ar5iv.labs.``), its historic and mirror hosts, and the sites that
# publish arXiv papers under their ids.
# (a scheme that lost its "://" in a paste, "harxiv.org/abs/…", "httpsarxiv.org/…", still counts)
_HOST_START = r"(?:(?<![\w.-])|(?<![\w.-])h(?:t(?:tps?)?)?)(?:[a-z0-9-]+\.)*?"
_ARXIV_HOSTS = r"(?:arxiv\.org|xxx\.lanl\.gov|alphaxiv\.org|ar5iv\.org|huggingface\.co|hf\.co|arxiv-vanity\.com)"
_ARXIV_PATHS = r"(?:abs|pdf|html|papers|overview|format|ps)"
# ``arxiv.org/ftp/arxiv/papers/2305/2305.10601.pdf`` and ``arxiv.org/ftp/hep-th/papers/9901/9901001.pdf``
_ARXIV_FTP = rf"arxiv\.org/ftp/(?:arxiv/papers/\d{{4}}/{_NEW_ARXIV}|(?P<ftparchive>{OLD_ARCHIVES})/papers/\d{{4}}/(?P<ftpnum>(?P<ftpyy>\d{{2}})(?P<ftpmm>\d{{2}})\d{{3}}))"
# Publishers whose URLs carry the DOI in the path (``dl.acm.org/doi/abs/10.1145/…``).
_DOI_HOSTS = (r"(?:dl\.acm\.org|link\.springer\.com|(?:[a-z]+\.)?onlinelibrary\.wiley\.com|(?:www\.)?biorxiv\.org|"
              r"(?:www\.)?medrxiv\.org|(?:www\.)?tandfonline\.com|pubs\.acs\.org|journals\.sagepub\.com|"
              r"(?:www\.)?science\.org|(?:www\.)?pnas\.org|journals\.aps\.org|iopscience\.iop\.org|"
              r"(?:www\.)?annualreviews\.org|(?:www\.)?cambridge\.org|ieeexplore\.ieee\.org|(?:www\.)?emerald\.com|"
              r"journals\.physiology\.org|(?:www\.)?ahajournals\.org|(?:www\.)?nejm\.org|academic\.oup\.com)")
_DOI_BODY = r"10\.\d{4,9}(?:/|%2[Ff])[^\s\"'<>]+"

# (kind, words the lower-cased text holds one of wherever the pattern matches, pattern)
_PATTERNS: list[tuple[str, tuple[str, ...], re.Pattern[str]]] = [
    ("arxiv", ("arxiv", "xxx.lanl", "alphaxiv", "ar5iv", "huggingface", "hf.co"),
     re.compile(rf"{_HOST_START}{_ARXIV_HOSTS}/{_ARXIV_PATHS}/{_ARXIV_ID}(?![\d])", re.IGNORECASE)),
    ("arxiv", ("arxiv.org/ftp/",), re.compile(rf"{_HOST_START}{_ARXIV_FTP}(?![\d])", re.IGNORECASE)),
    ("arxiv", ("front.math.ucdavis.edu/",), re.compile(rf"(?<![\w.-])front\.math\.ucdavis\.edu/(?:abs/)?{_ARXIV_ID}(?![\d])", re.IGNORECASE)),
    ("arxiv", ("arxiv",), re.compile(rf"(?<![\w/])arxiv\s?:\s?{_ARXIV_ID}(?![\d])", re.IGNORECASE)),
    ("arxiv", ("[",), re.compile(rf"(?<![\w\[])\[{_NEW_ARXIV}\]")),
    ("arxiv", ("10.48550",), re.compile(r"10\.48550[/_]arxiv[._](?P<new>(?P<yy>\d{2})(?P<mm>\d{2})\.\d{4,5})(?:v\d+)?(?!\d)", re.IGNORECASE)),
    ("doi", ("doi",), re.compile(rf"(?:(?<![\w.-])(?:dx\.)?doi\.org/|(?<![\w/])doi:\s?)(?P<doi>{_DOI_BODY})", re.IGNORECASE)),
    ("publisher", ("10.",), re.compile(rf"{_HOST_START}{_DOI_HOSTS}/(?:[\w.-]+/)*?(?P<doi>{_DOI_BODY})", re.IGNORECASE)),
    # nature.com/articles/<slug> is 10.1038/<slug> for the current scheme (s41586-019-1924-6) and
    # journal-plus-number slugs (nature14236); a slug with a year and a number after it
    # (lsa2017179 is 10.1038/lsa.2017.179) does not spell its DOI, so it is left alone
    ("publisher", ("nature.com/articles/",), re.compile(r"(?<![\w.-])(?:www\.)?nature\.com/articles/(?P<nature>s\d{5}-\d{3}-\d{4,5}-[\dxX]|"
                             r"[a-z]{2,10}(?!(?:19|20)\d{4})\d{3,7})(?![\w-])", re.IGNORECASE)),
    ("openreview", ("openreview.net/",), re.compile(r"openreview\.net/(?:forum|pdf|attachment)\?(?:[^\s\"'<>]*?&(?:amp;)?)?id=(?P<openreview>[A-Za-z0-9_-]{6,})")),
    ("acl", ("aclanthology.",), re.compile(r"(?<![\w.-])(?:www\.)?aclanthology\.(?:org|info)/(?:papers/[A-Z]/[A-Z]\d{2}/)?(?P<acl>\d{4}\.[a-z0-9-]+\.\d+|[A-Z]\d{2}-\d{4})", re.IGNORECASE)),
    ("acl", ("aclweb.org/",), re.compile(r"(?<![\w.-])(?:www\.|anthology\.)?aclweb\.org/(?:anthology/)?(?:papers/)?(?:[A-Z]/[A-Z]\d{2}/)?(?P<acl>[A-Z]\d{2}-\d{4})", re.IGNORECASE)),
    ("s2", ("semanticscholar.org/paper/",), re.compile(r"semanticscholar\.org/paper/(?:[^/\s\"'<>]+/)?(?P<s2>[0-9a-f]{40})", re.IGNORECASE)),
    # a bare old-style id with its archive named: ``cs.CL/0112017``, ``hep-th/9901001``
    ("arxiv", ("/",), re.compile(rf"(?<![\w./:#@-]){_OLD_ARXIV}(?![\w/])")),
]
# A bare new-style id in prose (2015 onwards, five digits): "see 2305.10601 for details".
_BARE_ARXIV = re.compile(r"(?<![\w./:#@-])(?P<new>(?P<yy>1[5-9]|[2-9]\d)(?P<mm>0[1-9]|1[0-2])\.\d{5})(?:v\d+)?(?![\w.]*\d)(?![/-])")
# Cheap test before running the patterns: could anything in a text be a paper at all? A word
# below (in any case) or a number shaped like an identifier's.
_MAYBE_WORDS = ("arxiv", "doi", "openreview", "aclanthology", "aclweb", "semanticscholar", "huggingface", "hf.co",
                "ar5iv", "xxx.lanl", "front.math", "nature.com")
# Each number is looked for where its hint is (a pattern with a literal first character, which
# the regular expression engine skips to): a number beginning with a digit or a letter is tried at
# every character, about 20 ns each, a costly scan of a long body.
_MAYBE_NUMBERS = (  # (what the number holds, found quickly; the number; how far before the hint it begins)
    (re.compile(r"\.\d{4}"), re.compile(r"\d{4}\.\d{4,5}"), (4,)),
    (re.compile(r"/\d"), re.compile(r"/10\.\d|[a-z]/\d{7}", re.IGNORECASE), (0, 1)),
)
_BRACKET_TITLE = re.compile(r"[ \t]*[-:–—]?[ \t]*(?P<title>[^\n\[\]]{3,200}?)[ \t]*(?=\n|$|\s[-–—]\s|\s\[|\s*\(?https?://)")
_DOI_TRAILING = re.compile(r"(?:[.,;:)\]}>]|&gt;|&quot;)+$")
# what follows a DOI in a publisher's URL: a version, a format, a view
_PUBLISHER_VIEW = re.compile(r"(?:/(?:full|abstract|pdf|epdf|epub|references|meta|suppl|figures|tables)/?|\.pdf)$", re.IGNORECASE)
_PREPRINT_VERSION = re.compile(r"(?<=\d)(?:v\d+)?(?:\.(?:full|abstract|short|article-info|article-metrics))*(?:\.pdf(?:\+html)?)?$",
                               re.IGNORECASE)


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
            return f"arxiv:{groups['new']}" if valid_new_arxiv(groups["new"]) else None
        if groups.get("old"):
            return old_arxiv_id(groups["archive"], groups["oldnum"])
        if groups.get("ftpnum"):
            return old_arxiv_id(groups["ftparchive"], groups["ftpnum"])
        return None
    if kind == "doi":
        return doi_id(groups["doi"])
    if kind == "publisher":
        return doi_id("10.1038/" + groups["nature"]) if groups.get("nature") else doi_id(groups["doi"], publisher=True)
    if kind == "acl":
        value = groups["acl"]
        return f"acl:{value.upper() if '.' not in value else value.lower()}"
    return f"{kind}:{groups[kind]}"


def valid_new_arxiv(number: str) -> bool:
    """``YYMM.NNNN`` from April 2007 to December 2014, ``YYMM.NNNNN`` from January 2015 on."""
    stem, _, serial = number.partition(".")
    year, month = int(stem[:2]), int(stem[2:])
    if not 1 <= month <= 12 or (year, month) < (7, 4):
        return False
    return len(serial) == (4 if year <= 14 else 5)


def old_arxiv_id(archive: str, number: str) -> str | None:
    """``arxiv:hep-th/9901001`` for an old-scheme id (1991–2007); the subject class some write
    after the archive (``cs.CL/0112017``) is not part of the id."""
    year, month = int(number[:2]), int(number[2:4])
    if not 1 <= month <= 12 or 8 <= year <= 90 or (year == 7 and month > 3):
        return None
    return f"arxiv:{archive.lower()}/{number}"


def arxiv_year(paper_id: str) -> int | None:
    """The year an arXiv id encodes (``arxiv:2305.10601`` → 2023, ``arxiv:hep-th/9901001`` → 1999)."""
    found = re.fullmatch(r"arxiv:(?:[a-z-]+/)?(\d{2})\d{2}[.\d]*", paper_id)
    if not found:
        return None
    year = int(found.group(1))
    return 1900 + year if year >= 91 else 2000 + year


def doi_id(doi: str, *, publisher: bool = False) -> str:
    """``doi:<lower-case DOI>`` without the punctuation, escapes or URL parts around it (and for a
    publisher's URL, the view or version after it); arXiv's own DOIs are the arXiv paper."""
    doi = urllib.parse.unquote(html.unescape(doi.strip())).replace("\\_", "_").replace("\\&", "&")
    doi = re.split(r"[?#]", doi, maxsplit=1)[0]
    doi = _DOI_TRAILING.sub("", doi)
    if publisher:
        doi = _PUBLISHER_VIEW.sub("", doi)
        if doi.startswith("10.1101/"):
            doi = _PREPRINT_VERSION.sub("", doi)
    doi = doi.rstrip("/").lower()
    arxiv = re.match(r"10\.48550/arxiv\.(\d{4}\.\d{4,5})", doi)
    return f"arxiv:{arxiv.group(1)}" if arxiv else f"doi:{doi}"


def maybe_paper(text: str) -> bool:
    """False when nothing in ``text`` can be a paper identifier (substring tests, far quicker than
    one pattern of alternatives over text that names no paper, as most text does)."""
    return _maybe_paper(text, folded(text))


def _maybe_paper(text: str, lowered: str) -> bool:
    if any_in(_MAYBE_WORDS, lowered):
        return True
    for hint, number, before in _MAYBE_NUMBERS:
        for found in hint.finditer(text):
            for back in before:
                if found.start() >= back and number.match(text, found.start() - back):
                    return True
    return False


def find_mentions(text: str, *, bare: bool = True) -> list[Mention]:
    """Every paper identifier in ``text`` (plain text, no code), in order, without overlaps."""
    lowered = folded(text)
    if not _maybe_paper(text, lowered):
        return []
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for kind, words, pattern in _PATTERNS:
        if not any_in(words, lowered):
            continue
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
    bare = re.fullmatch(r"(?:arxiv:)?\s*(\d{4}\.\d{4,5})(?:v\d+)?", value, re.IGNORECASE)
    if bare:
        return f"arxiv:{bare.group(1)}" if valid_new_arxiv(bare.group(1)) else None
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
