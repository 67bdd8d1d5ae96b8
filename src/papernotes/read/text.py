"""Plain-text notes: each line a paragraph (or a line break inside blank-line-separated blocks),
with fenced code, ``- ``/``1. `` lists and bare links still working.

The title is the first line when it reads like one, else the file name when it is words (a hash
or a number never is), else the opening words. The date is one the text states, else the file's
(git commit, else modification time, unless that is only when the folder was copied). A log made
of blank-line-separated blocks, each headed by a short line over links or a list, gets those
lines as section headings (and so a table of contents)."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import AbstractSet

from ..dates import parse_date
from .frontmatter import FrontMatter
from ..model import NoteDate, ReadResult
from .common import ReadContext, SourceFile, humanise, make_note

_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"]+")
# Markdown syntax in prose becomes character references, so nothing is read as emphasis,
# links or HTML; a backslash stays (``\(x\)`` is still math) unless it would escape something.
_SPECIAL = re.compile(r"[`*_\[\]<>#!|~&]|\\(?=[`*_{}#+\-.!|~<>&\\])")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+\S")
_FENCE = re.compile(r"^\s*(```|~~~)")
_SENTENCE_END = re.compile(r"[.!?,;:…]$")
TITLE_MAX = 90
#: A section heading of a log: a short line, at most ending in a colon.
SECTION_MAX = 80
#: Opening words used as a title when neither the first line nor the file name is one.
OPENING_MAX = 70
_NAME_PART = re.compile(r"[A-Za-z\u00c0-\uffff]{2,}")
_NOT_A_WORD = re.compile(r"^(?:\d+|[0-9a-f]{6,}|[0-9a-z]*\d[0-9a-z]*)$", re.IGNORECASE)
#: Dates a text states: ISO days, "March 9, 2024", "9 March 2024".
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_STATED_DATE = re.compile(
    rf"(?<![\d/.-])(?:(?:19|20)\d{{2}}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?![\d-])"
    rf"|{_MONTH} (?:[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?,? (?:19|20)\d{{2}}(?!\d)"
    rf"|(?:[1-9]|[12]\d|3[01]) {_MONTH},? (?:19|20)\d{{2}}(?!\d))")
_ORDINAL = re.compile(r"(?<=\d)(?:st|nd|rd|th)\b|(?<=[a-z])\.(?= )")
#: Lines of the opening looked at for a date it states (a header, a "Date:" line).
DATE_LINES = 5


def read(source: SourceFile, context: ReadContext) -> ReadResult:
    """One note from a plain-text file."""
    lines = source.text.split("\n")
    sections = section_lines(lines)
    title, first_body_line = _title_line(lines, sections)
    title = title or name_title(source.stem) or opening_title(lines)
    body_lines = lines[first_body_line:]
    markdown = to_markdown(body_lines, {index - first_body_line for index in sections})
    rendered, problems = context.plain_text.render(markdown, source.shown, first_body_line + 1, source.path.parent)
    _, origin = context.file_dates.get(source.rel, (None, ""))
    front = FrontMatter(title=title, date=stated_date(lines))
    result = make_note(source, context, front, rendered, fallback_dates=origin != "copy time")
    return replace(result, diagnostics=(*problems, *result.diagnostics))


def _title_line(lines: list[str], sections: set[int]) -> tuple[str | None, int]:
    """The first non-blank line is the title when it reads like one: short, no sentence end, not a
    link, not the heading of the first section."""
    for index, line in enumerate(lines):
        text = line.strip()
        if not text:
            continue
        if len(text) <= TITLE_MAX and not _SENTENCE_END.search(text) and not _URL.search(text) \
                and not _LIST_ITEM.match(text) and not _FENCE.match(text) and index not in sections:
            return text, index + 1
        return None, 0
    return None, 0


def name_title(stem: str) -> str | None:
    """The file name as a title when it is made of words: ``reading-list`` → ``Reading list``;
    ``001_2c34e100ffe758c5`` (a number and a hash) is not a title."""
    parts = [part for part in re.split(r"[-_\s.]+", stem) if part]
    if not any(_NAME_PART.search(part) and not _NOT_A_WORD.match(part) for part in parts):
        return None
    return humanise(stem)


def opening_title(lines: list[str]) -> str | None:
    """The first line's opening words, cut at a word, for a file with no better title."""
    text = next((line.strip() for line in lines if line.strip()), "")
    text = _URL.sub("", text).strip()
    if not text:
        return None
    if len(text) <= OPENING_MAX:
        return text.rstrip(".,;:")
    return text[:OPENING_MAX].rsplit(" ", 1)[0].rstrip(".,;:-–—(") + "…"


def stated_date(lines: list[str]) -> NoteDate | None:
    """The date a text states for itself: the latest date opening a line (a log's dated entries),
    else the first date in its opening lines. Dates inside links do not count."""
    opening: list[NoteDate] = []
    entries: list[NoteDate] = []
    for index, line in enumerate(lines):
        text = _URL.sub(" ", line).strip()
        for match in _STATED_DATE.finditer(text):
            date = parse_date(_ORDINAL.sub("", match.group(0)).replace(",", ", ").replace(",  ", ", "))
            if date is None:
                continue
            if match.start() == 0:
                entries.append(date)
            elif index < DATE_LINES:
                opening.append(date)
    if entries:
        return max(entries, key=lambda date: date.seconds())
    return opening[0] if opening else None


def section_lines(lines: list[str]) -> set[int]:
    """Indexes of the lines that head a section: in a text of blank-line-separated blocks, the short
    first line of a block whose other lines hold links or list items. Two such blocks are needed."""
    heads: set[int] = set()
    start = None
    for index, line in enumerate([*lines, ""]):
        if line.strip() and start is None:
            start = index
        elif not line.strip() and start is not None:
            block = lines[start:index]
            if _heads_block(block):
                heads.add(start)
            start = None
    return heads if len(heads) >= 2 else set()


def _heads_block(block: list[str]) -> bool:
    first = block[0].strip()
    rest = block[1:]
    return (bool(rest) and len(first) <= SECTION_MAX and not _URL.search(first) and not _LIST_ITEM.match(first)
            and not _FENCE.match(first) and not re.search(r"[.!?,;…]$", first)
            and any(_URL.search(line) or _LIST_ITEM.match(line) for line in rest))


def to_markdown(lines: list[str], headings: AbstractSet[int] = frozenset()) -> str:
    """Markdown whose rendering shows the text as written: special characters escaped outside
    links and code, each line its own paragraph unless the text uses blank lines itself; the
    lines at ``headings`` (indexes into ``lines``) become section headings."""
    skipped = 0
    while lines and not lines[0].strip():
        lines = lines[1:]
        skipped += 1
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    headings = {index - skipped for index in headings}
    blank_separated = any(not line.strip() for line in _outside_fences(lines))
    out: list[str] = []
    in_fence = False
    previous_kind = "blank"
    margin = 0
    for index, line in enumerate(lines):
        if index in headings and not in_fence:
            out.extend(("## " + _escape_line(line.strip().rstrip(":"), "text"), ""))
            previous_kind = "blank"
            continue
        if _FENCE.match(line):
            if not in_fence and previous_kind not in ("blank",):
                out.append("")
            in_fence = not in_fence
            out.append(line)
            previous_kind = "fence"
            continue
        if in_fence:
            out.append(line)
            continue
        if not line.strip():
            out.append("")
            previous_kind = "blank"
            continue
        kind = "list" if _LIST_ITEM.match(line) else "text"
        if kind == "list":
            # a list's first item sets its margin: a tab-indented list is a list, not code
            line = line.expandtabs(4)
            indent = len(line) - len(line.lstrip())
            if previous_kind != "list":
                margin = indent
            line = " " * max(0, indent - margin) + line.lstrip()
        if previous_kind != "blank" and not blank_separated and not (kind == previous_kind == "list"):
            out.append("")
        elif previous_kind == "fence":
            out.append("")
        out.append(_escape_line(line, kind))
        previous_kind = kind
    return "\n".join(out) + "\n"


def _outside_fences(lines: list[str]) -> list[str]:
    kept, in_fence = [], False
    for line in lines:
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence:
            kept.append(line)
    return kept


def _escape_line(line: str, kind: str) -> str:
    """Escape Markdown syntax in prose (keeping list markers, links and ``$`` math intact)."""
    marker = ""
    match = re.match(r"^(\s*(?:[-*+]|\d{1,9}[.)])\s+)", line) if kind == "list" else None
    if match:
        marker, line = match.group(1), line[match.end():]
    else:
        line = line.lstrip()
        if re.match(r"^\d{1,9}[.)]\s", line):  # "2023. A year" must not become a list
            line = line.replace(".", "\\.", 1).replace(")", "\\)", 1)
        elif line[:1] in "-+=":
            line = "\\" + line
    pieces = []
    position = 0
    for match in _URL.finditer(line):
        pieces.append(_SPECIAL.sub(_reference, line[position:match.start()]))
        pieces.append(match.group(0))
        position = match.end()
    pieces.append(_SPECIAL.sub(_reference, line[position:]))
    return marker + "".join(pieces)


def _reference(match: re.Match[str]) -> str:
    return f"&#{ord(match.group(0)[0])};"
