"""Find the papers a rendered note body mentions, with the section each mention stands in."""

from __future__ import annotations

import html
import re

from .markdown import shorten
from .model import PaperRef
from .papers import MAYBE_PAPER, Mention, find_mentions

_BLOCKS = frozenset({"p", "li", "blockquote", "td", "th", "dd", "dt", "figcaption", "div", "section", "table", "ul", "ol", "br"})
_VERBATIM = frozenset({"pre", "code", "kbd", "samp", "script", "style", "math"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_TOKEN = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>|([^<]+)")
_ATTRIBUTE = re.compile(r'\s(id|href|data-paper)="([^"]*)"')
EXCERPT_LENGTH = 280


def papers_in_html(body: str) -> tuple[PaperRef, ...]:
    """One PaperRef per (paper, section), in order of first mention; titles from the first
    mention giving one (``[id] Title``, or a heading right above the mention)."""
    if not MAYBE_PAPER.search(body) and "data-paper" not in body:
        return ()
    found: list[PaperRef] = []
    section, heading_text, blocks_since_heading = "", "", 0
    verbatim, heading_id = 0, None
    text: list[str] = []
    hrefs: list[str] = []
    cited: list[str] = []

    def flush() -> None:
        nonlocal blocks_since_heading
        block = html.unescape("".join(text))
        if block.strip() or hrefs or cited:
            mentions = find_mentions(block) + [m for href in hrefs for m in find_mentions(html.unescape(href))]
            mentions += [Mention(paper_id, 0, 0) for paper_id in cited]
            if mentions:
                excerpt = shorten(block, EXCERPT_LENGTH)
                above = heading_text if blocks_since_heading == 0 and len(heading_text.split()) >= 2 else None
                found.extend(PaperRef(m.id, section, m.title or above, excerpt) for m in mentions)
            blocks_since_heading += 1
        text.clear(), hrefs.clear(), cited.clear()

    for match in _TOKEN.finditer(body):
        closing, tag, attributes, data = match.groups()
        if data is not None:
            if not verbatim:
                text.append(data)
            continue
        tag = tag.lower()
        if tag in _VERBATIM:
            verbatim = max(0, verbatim - 1) if closing else verbatim + (not attributes.rstrip().endswith("/"))
        elif tag in _HEADINGS:
            if closing and heading_id is not None:
                section, heading_text = heading_id, " ".join(html.unescape("".join(text)).split())
                text.clear(), hrefs.clear(), cited.clear()
                heading_id, blocks_since_heading = None, 0
            elif not closing:
                flush()
                heading_id = dict(_ATTRIBUTE.findall(attributes)).get("id", "")
        elif tag in _BLOCKS:
            if tag == "br":
                text.append("\n")
            else:
                flush()
        elif tag == "a" and not closing and not verbatim:
            values = dict(_ATTRIBUTE.findall(attributes))
            if values.get("data-paper"):
                cited.append(html.unescape(values["data-paper"]))
            elif values.get("href"):
                hrefs.append(values["href"])
    flush()
    merged: dict[tuple[str, str], PaperRef] = {}
    for ref in found:
        key = (ref.id, ref.anchor)
        if key not in merged:
            merged[key] = ref
        elif merged[key].title is None and ref.title:
            merged[key] = PaperRef(ref.id, ref.anchor, ref.title, merged[key].excerpt)
    return tuple(merged.values())
