"""Find the papers a rendered note body mentions, with the section each mention stands in."""

from __future__ import annotations

from html.parser import HTMLParser

from .markdown import shorten
from .model import PaperRef
from .papers import Mention, find_mentions

_BLOCKS = {"p", "li", "blockquote", "td", "th", "dd", "dt", "figcaption", "div", "section", "table", "ul", "ol"}
_VERBATIM = {"pre", "code", "kbd", "samp", "script", "style", "math"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
EXCERPT_LENGTH = 280


class _Walker(HTMLParser):
    """Walks the HTML once, collecting blocks of text with their section and the links in them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.section, self.heading_text = "", ""
        self.blocks_since_heading = 0
        self.verbatim = 0
        self.in_heading: str | None = None
        self.text: list[str] = []
        self.hrefs: list[str] = []
        self.cited: list[str] = []  # ids of citation links, already canonical
        self.found: list[PaperRef] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in _VERBATIM:
            self.verbatim += 1
        elif tag in _HEADINGS:
            self._flush()
            self.in_heading = values.get("id") or ""
        elif tag in _BLOCKS or tag == "br":
            if tag != "br":
                self._flush()
            else:
                self.text.append("\n")
        if tag == "a" and not self.verbatim:
            if values.get("data-paper"):
                self.cited.append(values["data-paper"] or "")
            elif values.get("href"):
                self.hrefs.append(values["href"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in _VERBATIM:
            self.verbatim = max(0, self.verbatim - 1)
        elif tag in _HEADINGS and self.in_heading is not None:
            self.section, self.heading_text = self.in_heading, " ".join("".join(self.text).split())
            self.text, self.hrefs, self.cited, self.in_heading = [], [], [], None
            self.blocks_since_heading = 0
        elif tag in _BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self.verbatim:
            self.text.append(data)

    def _flush(self) -> None:
        text = "".join(self.text)
        if text.strip() or self.hrefs or self.cited:
            self._collect(text)
            self.blocks_since_heading += 1
        self.text, self.hrefs, self.cited = [], [], []

    def _collect(self, text: str) -> None:
        mentions = find_mentions(text) + [m for href in self.hrefs for m in find_mentions(href)]
        mentions += [Mention(paper_id, 0, 0) for paper_id in self.cited]
        if not mentions:
            return
        excerpt = shorten(text, EXCERPT_LENGTH)
        heading_title = self.heading_text if self.blocks_since_heading == 0 and len(self.heading_text.split()) >= 2 else None
        for mention in mentions:
            self.found.append(PaperRef(mention.id, self.section, mention.title or heading_title, excerpt))

    def close(self) -> None:
        super().close()
        self._flush()


def papers_in_html(body: str) -> tuple[PaperRef, ...]:
    """One PaperRef per (paper, section), in order of first mention; titles from the first mention giving one."""
    walker = _Walker()
    walker.feed(body)
    walker.close()
    merged: dict[tuple[str, str], PaperRef] = {}
    for ref in walker.found:
        key = (ref.id, ref.anchor)
        if key not in merged:
            merged[key] = ref
        elif merged[key].title is None and ref.title:
            merged[key] = PaperRef(ref.id, ref.anchor, ref.title, merged[key].excerpt)
    return tuple(merged.values())

