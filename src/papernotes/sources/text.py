"""Plain-text notes: each line a paragraph (or a line break inside blank-line-separated blocks),
with fenced code, ``- ``/``1. `` lists and bare links still working."""

from __future__ import annotations

import re

from ..frontmatter import FrontMatter
from ..model import ReadResult
from .common import ReadContext, SourceFile, make_note

_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"]+")
# Markdown syntax in prose becomes character references, so nothing is read as emphasis,
# links or HTML; a backslash stays (``\(x\)`` is still math) unless it would escape something.
_SPECIAL = re.compile(r"[`*_\[\]<>#!|~&]|\\(?=[`*_{}#+\-.!|~<>&\\])")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+\S")
_FENCE = re.compile(r"^\s*(```|~~~)")
_SENTENCE_END = re.compile(r"[.!?,;:…]$")
TITLE_MAX = 90


def read(source: SourceFile, context: ReadContext) -> ReadResult:
    """One note from a plain-text file."""
    lines = source.text.split("\n")
    title, first_body_line = _title_line(lines)
    body_lines = lines[first_body_line:]
    markdown = to_markdown(body_lines)
    rendered, problems = context.plain_text.render(markdown, source.shown, first_body_line + 1, source.path.parent)
    result = make_note(source, context, FrontMatter(title=title), rendered, fallback_dates=True)
    return ReadResult(result.notes, (*problems, *result.diagnostics))


def _title_line(lines: list[str]) -> tuple[str | None, int]:
    """The first non-blank line is the title when it reads like one: short, no sentence end, not a link."""
    for index, line in enumerate(lines):
        text = line.strip()
        if not text:
            continue
        if len(text) <= TITLE_MAX and not _SENTENCE_END.search(text) and not _URL.search(text) \
                and not _LIST_ITEM.match(text) and not _FENCE.match(text):
            return text, index + 1
        return None, 0
    return None, 0


def to_markdown(lines: list[str]) -> str:
    """Markdown whose rendering shows the text as written: special characters escaped outside
    links and code, each line its own paragraph unless the text uses blank lines itself."""
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    while lines and not lines[0].strip():
        lines = lines[1:]
    blank_separated = any(not line.strip() for line in _outside_fences(lines))
    out: list[str] = []
    in_fence = False
    previous_kind = "blank"
    for line in lines:
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
    if kind == "list":
        match = re.match(r"^(\s*(?:[-*+]|\d{1,9}[.)])\s+)", line)
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
