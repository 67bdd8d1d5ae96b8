"""What reads like a paper's title, and how strong each kind of evidence for one is.

A paper's title comes, strongest first, from the registry or fetched metadata (elsewhere), the
``[id] Title`` form or a link's text, the line naming the paper (an emphasised or quoted run, the
words before ``: https://…``, a table cell, the line above a bare link), the note or feed item
whose subject is the paper, and last a heading right above the only paper of its section. Link
words (``pdf``, ``paper``, ``here``), dates, identifiers and generic headings (``Additional
Resources``, ``April 2026``) are never titles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from .identifiers import find_mentions

# Strength of each kind of evidence; ties keep the first seen.
STRENGTH = {"registry": 9, "bracket": 6, "link": 6, "emphasis": 5, "quoted": 5, "line": 4, "cell": 4, "above": 4,
            "subject": 3, "heading": 2}

_LINK_WORDS = frozenset("""
paper papers pdf pdfs link links here this there arxiv abs abstract url website site page project code github repo
repository html source download view read open openreview doi preprint published version full text article click
slides video talk blog post poster supplementary supplement appendix bibtex citation cite ref reference references
official publisher journal proceedings conference the a an to of in on at for our my link: see more details info
information original main camera ready web online version: available hf huggingface alphaxiv ar5iv semantic scholar
scholar google acm ieee springer pubmed biorxiv medrxiv chinese english translation summary notes note review tweet
thread twitter x medium demo dataset data model weights colab notebook corr printed
""".split())
_HEADING_WORDS = _LINK_WORDS | frozenset("""
additional further related reading readings resource resources bibliography sources citations introduction
background overview list misc miscellaneous other others useful external key recommended todo and or also relevant
work works literature survey surveys reading-list papers: contents content table toc faq index home about contact
conclusion conclusions discussion results result method methods experiments experiment motivation idea ideas
architecture setup approach analysis takeaways takeaway tldr tl;dr highlights questions thoughts comments
implementation evaluation limitations future new latest recent top best classic classics must-read week month year
today yesterday part section chapter i ii iii iv v vi
""".split())
_MONTHS = ("january february march april may june july august september october november december "
           "jan feb mar apr jun jul aug sep sept oct nov dec").split()
_DATE = re.compile(rf"(?:\d{{1,4}}[-/. ]*)*(?:(?:{'|'.join(_MONTHS)})\.?,?[ -]*)?(?:\d{{1,4}}(?:st|nd|rd|th)?[-/., ]*)*",
                   re.IGNORECASE)
_NUMBERING = re.compile(r"^\s*(?:[-*•·+]|\(?\d{1,4}[.)\]]|\d{1,3}:|\[\d{1,4}\]|[a-z][.)])\s+", re.IGNORECASE)
_YEAR_TAIL = re.compile(r"\s*[(\[]\s*(?:19|20)\d{2}[a-z]?\s*[)\]]\s*[.,]?\s*$")
_AUTHOR_TAIL = re.compile(r"(?:\s+[-–—]\s+|,\s*)(?P<who>[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|et\s+al\.?|and|&)){0,3})\s*$")
_ET_AL_TAIL = re.compile(r",\s*[A-Z][\w'’-]+\s+et\s+al\.?\s*$")
_SEPARATOR_TAIL = re.compile(r"[\s:–—|(,-]+$")
# ``Title (2017), H. Wang and B. Raj``: an awesome-list entry; the title ends at the year
_YEAR_AND_AUTHORS = re.compile(r"\s+[(\[](?:19|20)\d{2}[a-z]?[)\]][,.:]?\s.*$")
# ``Lewis-Pye and Roughgarden in 2022``, ``Vaswani et al. (2017)``: a citation, not a title
_CITATION = re.compile(r"^[A-Z][\w'’-]+(?:\s+(?:et\s+al\.?|(?:and|&)\s+[A-Z][\w'’-]+))?,?\s+(?:in\s+)?[(\[]?(?:19|20)\d{2}[a-z]?[)\]]?$"
                       r"|^[A-Z][\w'’-]+\s+et\s+al\.?$")
# words of a sentence, not a title (case matters: "Attention Is All You Need" is a title)
_SENTENCE = re.compile(r"\b(?:is|are|was|were|we|our|I|you|he|she|they|this paper|the paper|proposes|shows|should|"
                       r"uses|introduces|presents)\b|,\s+(?!and\b|or\b)[a-z]")


@dataclass(frozen=True)
class Evidence:
    """A title and what it came from (a key of ``STRENGTH``)."""

    title: str
    source: str


def strongest(evidence: Iterable[Evidence]) -> Evidence | None:
    """The strongest evidence; the first seen among equals."""
    best: Evidence | None = None
    for item in evidence:
        if best is None or STRENGTH.get(item.source, 0) > STRENGTH.get(best.source, 0):
            best = item
    return best


def generic_link(text: str) -> bool:
    """Link words that name no paper: ``pdf``, ``[paper]``, ``Link to the paper``, ``arXiv``."""
    words = re.findall(r"[\w:;]+", text.lower())
    return bool(words) and len(words) <= 6 and all(word.strip(":;") in _LINK_WORDS for word in words)


def reads_like_title(text: str) -> bool:
    """A run of 1–25 words that is not link words, a date, a number, an identifier or a URL, nor a
    sentence (a title does not end with a full stop); one word only when it is a name (``ReAct``, ``PPO``)."""
    text = " ".join(text.split())
    words = text.split()
    if not words or len(words) > 25 or len(text) > 250 or len(re.findall(r"[^\W\d_]", text)) < 2:
        return False
    if _CITATION.match(text) or re.search(r"\b(?:paper|here|this)\b", text, re.IGNORECASE):
        return False
    if generic_link(text) or (len(text) < 40 and _DATE.fullmatch(text)) or re.search(r"https?://|www\.", text) or find_mentions(text):
        return False
    if text.endswith(".") and not text.endswith(("et al.", "..")) and len(words) > 3:
        return False
    if len(words) > 1 and words[0][0].islower() and not re.search(r"[A-Z\d]", words[0]):
        return False  # titles start with a capital or a name (node2vec, iGPT); prose starts lower case
    if len(words) == 1:  # a name such as ReAct, PPO or GPT-3, not a word such as "Later"
        return len(text) >= 3 and bool(re.search(r".[A-Z]|[A-Z].*\d", text))
    return True


def clean(text: str) -> str:
    """A candidate title without list numbering, quotes, a year in brackets, a `` - Author`` tail
    or the separator that led to the link."""
    text = " ".join(text.split())
    text = _NUMBERING.sub("", text)
    text = _SEPARATOR_TAIL.sub("", text)
    text = _YEAR_TAIL.sub("", text)
    if len(_YEAR_AND_AUTHORS.split(text)[0].split()) >= 2:
        text = _YEAR_AND_AUTHORS.sub("", text)
    text = _ET_AL_TAIL.sub("", text)
    while True:  # ", arXiv", ", pdf" and the like after the title
        head, comma, tail = text.rpartition(",")
        if not comma or not generic_link(tail) or len(head.split()) < 2:
            break
        text = head.rstrip()
    author_tail = _AUTHOR_TAIL.search(text)
    if author_tail and len(text[:author_tail.start()].split()) >= 3 and (
            author_tail.group(0).lstrip()[0] in "-–—" or " et al" in author_tail.group(0)):
        text = text[:author_tail.start()]
    return text.strip(" \"'“”‘’*_[]").rstrip(",;:")


def link_title(label: str) -> str | None:
    """A link's text when it reads like a title."""
    if _CITATION.match(" ".join(label.split())):
        return None
    text = clean(label)
    return text if reads_like_title(text) else None


def line_title(text: str, *, sentence_check: bool = False) -> str | None:
    """A run of a line when it reads like a title (a trailing full stop, as in reference lists,
    dropped); with ``sentence_check``, for text that could as well be prose, a run of more than
    15 words or with a sentence's words (``we``, ``is``, a comma then lower case) is not one."""
    text = clean(text)
    text = text[:-1] if text.endswith(".") and not text.endswith("..") else text
    if sentence_check and (len(text.split()) > 15 or _SENTENCE.search(text)):
        return None
    return text if reads_like_title(text) else None


def heading_title(heading: str) -> str | None:
    """A heading when it can title the one paper below it: not generic (``Additional Resources``,
    ``Papers``, ``April 2026``), two words or more, starting as a title does (a capital or digit)."""
    text = clean(heading)
    words = re.findall(r"[\w;-]+", text.lower())
    if len(words) < 2 or not re.match(r"[\W_]*[A-Z0-9]", text) or not line_title(text, sentence_check=True):
        return None
    if all(word in _HEADING_WORDS or word.isdigit() for word in words):
        return None
    return text
