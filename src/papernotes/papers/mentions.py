"""Find the papers a rendered note body mentions, with the section each mention stands in, the
text around it, and the title the text gives the paper (see ``titles.py`` for what counts)."""

from __future__ import annotations

import html
import re
import string
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from ..text import CODE_MARK, shorten
from ..model import PaperRef
from .identifiers import Mention, find_mentions, maybe_paper
from .titles import Evidence, generic_link, heading_title, line_title, link_title, reads_like_title, strongest

_BLOCKS = frozenset({"p", "li", "blockquote", "dd", "dt", "figcaption", "div", "section", "table", "ul", "ol", "br", "tr"})
_CELLS = frozenset({"td", "th"})
_CODE = frozenset({"pre", "code", "kbd", "samp"})
_HIDDEN = frozenset({"script", "style", "annotation", "annotation-xml"})
_EMPHASIS = frozenset({"strong", "b", "em", "i", "cite"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_READ = _BLOCKS | _CELLS | _CODE | _HIDDEN | _EMPHASIS | _HEADINGS | {"a"}
_UNREAD_INITIALS = "".join(sorted(set(string.ascii_lowercase) - {name[0] for name in _READ}))
#: Tags the reading below passes over: ``<span>`` (highlighted code), MathML's ``<semantics>`` and
#: those whose name starts with a letter no read tag starts with (MathML's ``<mi>``, ``<mrow>``…).
#: Text runs over them, so a code block or a formula is one piece of text rather than hundreds of tokens.
_PASSED_TAG = (rf"</?(?:(?:[sS][pP][aA][nN]|[sS][eE][mM][aA][nN][tT][iI][cC][sS])(?![a-zA-Z0-9-])"
               rf"|[{_UNREAD_INITIALS}{_UNREAD_INITIALS.upper()}][a-zA-Z0-9-]*)[^>]*>")
#: A formula's TeX annotation holding text only: hidden, so passed over with its text, the same as
#: reading its tags (the hidden count goes up and down again) but without a token for each.
_ANNOTATION = (r"<(?i:annotation(?:-xml)?)(?![a-zA-Z0-9-])(?:[^>]*[^>/\s])?\s*>[^<]*"
               r"</(?i:annotation(?:-xml)?)(?![a-zA-Z0-9-])[^>]*>")
_TOKEN = re.compile(rf"((?:[^<]++|{_PASSED_TAG}|{_ANNOTATION})++)|<(/?)([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>")
_SPLIT_AT_PASSED = re.compile(f"{_PASSED_TAG}|{_ANNOTATION}")
_ATTRIBUTE = re.compile(r'\s(id|href|data-paper)="([^"]*)"')
EXCERPT_LENGTH = 280


@dataclass
class _Anchor:
    href: str
    start: int
    text: list[str] = field(default_factory=list)
    paper: str | None = None  # a ``data-paper`` citation


@dataclass
class _Block:
    """The text of one block as it is read: what mentions are looked for in (no code), what the
    excerpt shows (code marked; as written in the body, made readable only for an excerpt), its
    links, emphasised runs and table cells."""

    text: list[str] = field(default_factory=list)
    shown: list[str] = field(default_factory=list)
    anchors: list[_Anchor] = field(default_factory=list)
    emphasis: list[list[str]] = field(default_factory=list)
    cells: list[int] = field(default_factory=list)

    @property
    def length(self) -> int:
        return sum(map(len, self.text))


@dataclass(frozen=True)
class _Found:
    ref: PaperRef
    block: int


def papers_in_html(body: str) -> tuple[PaperRef, ...]:
    """One PaperRef per (paper, section), in order of first mention, with the strongest title the
    text gives it and every excerpt of that section's mentions."""
    if not maybe_paper(body) and "data-paper" not in body:
        return ()
    found: list[_Found] = []
    sections: list[tuple[str, str, int]] = []  # (anchor, heading text, index of the first block after it)
    section, blocks = "", 0
    previous_text = ""
    block = _Block()
    hidden = code = 0
    anchor: _Anchor | None = None
    emphasis = 0
    heading_id: str | None = None

    def flush() -> None:
        nonlocal blocks, previous_text, block
        text = "".join(block.text)
        if text.strip() or block.anchors:
            refs = _block_refs(block, text, section, previous_text)
            found.extend(_Found(ref, blocks) for ref in refs)
            blocks += 1
            previous_text = "" if refs else text
        if block.text or block.shown or block.anchors or block.emphasis or block.cells:
            block = _Block()

    for match in _TOKEN.finditer(body):
        data, closing, tag, attributes = match.groups()
        if data is not None:
            if hidden:
                continue
            block.shown.append(data)
            if heading_id is not None or not code:
                data = _readable(data)
                block.text.append(data)
                if anchor is not None:
                    anchor.text.append(data)
                if emphasis and block.emphasis:
                    block.emphasis[-1].append(data)
            continue
        tag = tag.lower()
        if tag in _HIDDEN:
            hidden = max(0, hidden - 1) if closing else hidden + (not _self_closing(attributes))
        elif tag in _CODE:
            if tag != "pre":
                block.shown.append(CODE_MARK)
            code = max(0, code - 1) if closing else code + (not _self_closing(attributes))
        elif tag in _HEADINGS:
            if closing and heading_id is not None:
                section = heading_id
                sections.append((section, " ".join("".join(block.text).split()), blocks))
                if block.anchors:  # a heading that links a paper says best what its section is about
                    flush()
                block, heading_id, previous_text = _Block(), None, ""
            elif not closing:
                flush()
                heading_id = dict(_ATTRIBUTE.findall(attributes)).get("id", "")
        elif tag in _BLOCKS:
            if tag == "br":
                block.text.append("\n")
                block.shown.append("\n")
            else:
                flush()
        elif tag in _CELLS:
            block.text.append(" | " if closing else "")
            block.shown.append(" | " if closing else "")
            if not closing:
                block.cells.append(block.length)
        elif tag in _EMPHASIS and not code:
            emphasis = max(0, emphasis - 1) if closing else emphasis + 1
            if not closing:
                block.emphasis.append([])
        elif tag == "a" and not code:
            if closing:
                anchor = None
                continue
            values = dict(_ATTRIBUTE.findall(attributes))
            if values.get("data-paper"):
                block.anchors.append(_Anchor("", block.length, paper=html.unescape(values["data-paper"])))
            elif values.get("href"):
                anchor = _Anchor(html.unescape(values["href"]), block.length)
                block.anchors.append(anchor)
    flush()
    return _merge(found, sections)


def _readable(data: str) -> str:
    """A run of the body's text as read: entities decoded, the tags passed over in it left out."""
    return html.unescape(data) if "<" not in data else "".join(map(html.unescape, filter(None, _SPLIT_AT_PASSED.split(data))))


def _self_closing(attributes: str) -> bool:
    return attributes.rstrip().endswith("/")


def _block_refs(block: _Block, text: str, section: str, previous_text: str) -> list[PaperRef]:
    """The papers one block mentions, each with the title evidence the block gives."""
    mentions: list[tuple[Mention, _Anchor | None]] = [(m, None) for m in find_mentions(text)]
    for anchor in block.anchors:
        if anchor.paper:
            mentions.append((Mention(anchor.paper, anchor.start, anchor.start), anchor))
        else:
            mentions += [(Mention(m.id, anchor.start, anchor.start + len("".join(anchor.text))), anchor)
                         for m in find_mentions(anchor.href)]
    if not mentions:
        return []
    mentions.sort(key=lambda pair: pair[0].start)
    excerpt = shorten(_code_marked("".join(map(_readable, block.shown))), EXCERPT_LENGTH)
    single = len({m.id for m, _ in mentions}) == 1
    refs = []
    for mention, link in mentions:
        evidence: list[Evidence] = []
        if mention.title and not generic_link(mention.title):
            evidence.append(Evidence(mention.title, "bracket"))
        named_generically = False
        if link is not None:
            label = " ".join("".join(link.text).split())
            titled = link_title(label)
            if titled:
                evidence.append(Evidence(titled, "link"))
            named_generically = generic_link(label)
        if single:
            evidence += _block_evidence(block, text, mention, previous_text, named_generically)
        else:
            start, end = text.rfind("\n", 0, mention.start) + 1, text.find("\n", mention.end) % (len(text) + 1)
            if len({m.id for m, _ in mentions if start <= m.start < end}) == 1:  # a line of a block, after <br>
                evidence += _line_evidence(text[start:end], mention.start - start, named_generically)
        best = strongest(evidence)
        refs.append(PaperRef(mention.id, section, best.title if best else None, excerpt,
                             title_source=best.source if best else ("generic" if named_generically else "")))
    return refs


def _block_evidence(block: _Block, text: str, mention: Mention, previous_text: str, generic: bool) -> list[Evidence]:
    """Titles a block naming one paper gives it: an emphasised run, a table cell, the line
    naming it (see ``_line_evidence``), or the line above a block holding only the link."""
    evidence = []
    for run in block.emphasis:
        titled = line_title("".join(run))
        if titled:
            evidence.append(Evidence(titled, "emphasis"))
            break
    if block.cells:
        cells = [text[start:end].strip(" |\n") for start, end in zip(block.cells, [*block.cells[1:], len(text)])]
        in_cells = [c for c in (line_title(cell) for cell in cells if not find_mentions(cell)) if c]
        if in_cells:
            evidence.append(Evidence(max(in_cells, key=lambda t: len(t.split())), "cell"))
    else:
        evidence += _line_evidence(text, mention.start, generic)
    rest = (_before(text, mention.start) + text[mention.end:]).strip(" \n\t.:;,()[]<>-")
    if not rest or generic_link(rest):
        titled = line_title(previous_text.strip().rsplit("\n", 1)[-1], sentence_check=True)
        if titled:
            evidence.append(Evidence(titled, "above"))
    return evidence


def _line_evidence(text: str, position: int, generic: bool) -> list[Evidence]:
    """Titles a line naming one paper gives it: a quoted run (reference lists), or the words
    before the identifier and a separator (``ReAct: https://…``, ``Title - arXiv:…``), or before
    a link named only ``[pdf]`` (``Title (2017), Authors [pdf]``)."""
    evidence = []
    quoted = re.search(r"[\"“](?P<t>[^\"“”]{8,300}?)[.,]?[\"”]", text)
    if quoted and reads_like_title(quoted["t"]):
        evidence.append(Evidence(quoted["t"].strip(), "quoted"))
    line = _before(text, position).rsplit("\n", 1)[-1]
    if generic or re.search(r"[:–—|(-]\s*$", line):
        titled = line_title(line, sentence_check=True)
        if titled:
            evidence.append(Evidence(titled, "line"))
    return evidence


def _before(text: str, position: int) -> str:
    """The text before an identifier, without the start of the URL it may begin inside (``https://``)."""
    return re.sub(r"[\w:/.@-]*$", "", text[:position])


def _code_marked(text: str) -> str:
    """Drop the marks of empty code spans; what is left marks real code."""
    return text.replace(CODE_MARK * 2, "")


def _merge(found: list[_Found], sections: list[tuple[str, str, int]]) -> tuple[PaperRef, ...]:
    """One ref per (paper, section) with the strongest title and the excerpts joined; a heading
    titles a paper only when it is the one paper its section names, right below it."""
    papers_in_section: dict[str, set[str]] = {}
    for item in found:
        papers_in_section.setdefault(item.ref.anchor, set()).add(item.ref.id)
    first_block = {anchor: (text, start) for anchor, text, start in sections}
    merged: dict[tuple[str, str], PaperRef] = {}
    for item in found:
        ref = item.ref
        heading, start = first_block.get(ref.anchor, ("", -1))
        if ref.title is None and item.block == start and len(papers_in_section[ref.anchor]) == 1:
            titled = heading_title(heading)
            if titled:
                ref = PaperRef(ref.id, ref.anchor, titled, ref.excerpt, title_source="heading")
        key = (ref.id, ref.anchor)
        known = merged.get(key)
        if known is None:
            merged[key] = ref
            continue
        best = strongest([e for e in (_evidence(known), _evidence(ref)) if e])
        excerpts = known.excerpt if not ref.excerpt or ref.excerpt in known.excerpt else f"{known.excerpt} … {ref.excerpt}"
        source = best.source if best else ("generic" if "generic" in (known.title_source, ref.title_source) else "")
        merged[key] = PaperRef(ref.id, ref.anchor, best.title if best else None, excerpts, title_source=source)
    return tuple(merged.values())


def _evidence(ref: PaperRef) -> Evidence | None:
    return Evidence(ref.title, ref.title_source) if ref.title else None


def excerpt_html(excerpt: str) -> Markup:
    """An excerpt as HTML: its text escaped, the code in it (between backticks) as ``<code>``."""
    parts = str(escape(excerpt)).split(CODE_MARK)
    if len(parts) % 2 == 0:  # an unclosed mark (the excerpt was cut inside code) stays a backtick
        parts[-2:] = [parts[-2] + CODE_MARK + parts[-1]]
    return Markup("".join(f"<code>{part}</code>" if index % 2 else part for index, part in enumerate(parts)))
