"""Markdown notes with optional YAML front matter (Jekyll, Hugo, Obsidian conventions)."""

from __future__ import annotations

import re
from dataclasses import replace

from ..comments import strip_comments
from ..frontmatter import read_front_matter, tags_of
from ..liquid import convert_liquid, has_liquid
from ..model import DiagnosticError, ReadResult
from .common import ReadContext, SourceFile, make_note

_ATX_H1 = re.compile(r"^#[ \t]+(.+?)[ \t#]*$")


def read(source: SourceFile, context: ReadContext) -> ReadResult:
    """One note from a Markdown file; a broken front matter skips the note with an error."""
    try:
        matter = read_front_matter(source.text, source.shown)
    except DiagnosticError as exc:
        return ReadResult((), (exc.diagnostic,))
    front, body_line, problems = matter.front, matter.body_line, matter.problems
    body = strip_comments(matter.body)
    if front.title is None:
        title, body, body_line = take_leading_h1(body, body_line)
        if title:
            front = replace(front, title=title)
    liquid_problems: list = []
    if has_liquid(body):
        body, liquid_problems = convert_liquid(body, source.shown, body_line)
    rendered, render_problems = context.markdown.render(body, source.shown, body_line, source.path.parent)
    if rendered.tags:
        front = replace(front, tags=tags_of(list(front.tags), list(rendered.tags)))
    result = make_note(source, context, front, rendered)
    return ReadResult(result.notes, (*problems, *liquid_problems, *render_problems, *result.diagnostics))


def take_leading_h1(body: str, body_line: int) -> tuple[str | None, str, int]:
    """If the body opens with a ``# Title`` line, return it as the title and drop it from the body."""
    lines = body.split("\n")
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        match = _ATX_H1.match(line)
        if match:
            return match.group(1).strip(), "\n".join(lines[index + 1:]), body_line + index + 1
        break
    return None, body, body_line
