"""Markdown notes with optional YAML front matter (Jekyll, Hugo, Obsidian conventions)."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from ..markdown.comments import strip_comments
from .frontmatter import FrontMatter, read_front_matter, tags_of
from .distill import convert_distill, has_distill
from .liquid import LiquidScope, convert_liquid, has_liquid
from ..text import shorten
from .shortcodes import MORE, convert_shortcodes, has_shortcodes
from ..model import Diagnostic, DiagnosticError, ReadResult
from .common import ReadContext, SourceFile, is_folder_note, make_note
from .flavor import markdown_flavor

_ATX_H1 = re.compile(r"^#[ \t]+(.+?)[ \t#]*$")
#: A note is a Jekyll post (its Liquid all rendered) in a Jekyll site, in ``_posts``/``_drafts``, or with a ``layout``.
_JEKYLL_FOLDER = re.compile(r"/_(posts|drafts)/")


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
    jekyll = context.site.jekyll or "layout" in front.meta or bool(_JEKYLL_FOLDER.search("/" + source.rel))
    scope = LiquidScope(page_variables(front), context.site.variables, jekyll)
    body, source_problems, liquid = convert_source_syntax(body, source.shown, body_line, scope)
    if not front.summary and MORE in body:
        front = replace(front, summary=shorten(body.partition(MORE)[0]))
    flavor = markdown_flavor(source.path, source.rel, context.config.markdown_flavor, matter.form, front.meta)
    rendered, render_problems = context.markdown.render(body, source.shown, body_line, source.path.parent, flavor)
    if rendered.tags:
        front = replace(front, tags=tags_of(list(front.tags), list(rendered.tags)))
    if front.title is None and rendered.headings and is_folder_note(source.rel):
        front = replace(front, title=rendered.headings[0].text)  # a README under a banner: its first heading
    result = make_note(source, context, front, rendered)
    return ReadResult(result.notes, (*problems, *source_problems, *render_problems, *result.diagnostics), liquid)


def convert_source_syntax(body: str, shown: str, body_line: int,
                          scope: LiquidScope) -> tuple[str, list[Diagnostic], bool]:
    """The body with the template syntax of the generator it was written for rendered: Hugo
    shortcodes, then Jekyll's Liquid, then distill's elements; and whether it held Liquid (which
    may read the site's variables)."""
    problems: list[Diagnostic] = []
    if has_shortcodes(body):
        body, found = convert_shortcodes(body, shown, body_line)
        problems += found
    liquid = has_liquid(body)
    if liquid:
        body, found = convert_liquid(body, shown, body_line, scope)
        problems += found
    if has_distill(body):
        body = convert_distill(body)
    return body, problems, liquid


def page_variables(front: FrontMatter) -> dict[str, Any]:
    """``page.*`` for Liquid: the front matter as written, with the keys papernotes interprets."""
    known = {"title": front.title, "tags": list(front.tags), "summary": front.summary, "excerpt": front.summary,
             "description": front.summary, "author": front.author, "date": front.date.iso() if front.date else None,
             "permalink": front.permalink, "slug": front.slug}
    return {**front.meta, **{key: value for key, value in known.items() if value}}


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
