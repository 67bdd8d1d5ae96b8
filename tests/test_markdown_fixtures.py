"""Markdown behaviour as markdown-it fixture files (``tests/fixtures/markdown/<plugin>.md``):
each case is what a Markdown note's body becomes (comments taken out, another generator's
template syntax rendered, then Markdown rendered). A case whose title says ``(kramdown)`` is
rendered as a kramdown file (a Jekyll post), every other one as CommonMark; the renderer knows
the macros of ``CONFIG_MACROS`` as config ``math.macros``."""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it.utils import read_fixture_file

from papernotes.markdown.comments import strip_comments
from papernotes.read.liquid import LiquidScope
from papernotes.markdown.pipeline import MarkdownRenderer
from papernotes.read.markdown import convert_source_syntax
from papernotes.markdown.texmacros import macros_from_config

FIXTURES = Path(__file__).parent / "fixtures" / "markdown"
CASES = [pytest.param(title, text, expected, id=f"{path.stem}:{line}:{title}")
         for path in sorted(FIXTURES.glob("*.md")) for line, title, text, expected in read_fixture_file(path)]
SCOPE = LiquidScope(page={"title": "A note"}, site={})
CONFIG_MACROS = {"RR": r"\mathbb{R}", "inner": [r"\langle #1, #2 \rangle", 2]}


@pytest.fixture(scope="module")
def renderer() -> MarkdownRenderer:
    return MarkdownRenderer(math_macros=macros_from_config(CONFIG_MACROS))


@pytest.mark.parametrize("title, text, expected", CASES)
def test_fixture(renderer: MarkdownRenderer, title: str, text: str, expected: str) -> None:
    flavor = "kramdown" if "(kramdown)" in title else "commonmark"
    body, _, _ = convert_source_syntax(strip_comments(text), "note.md", 1, SCOPE)
    rendered, _ = renderer.render(body, "note.md", flavor=flavor)
    assert rendered.html.rstrip() == expected.rstrip()
