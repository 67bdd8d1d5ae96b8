"""Markdown behaviour as markdown-it fixture files (``tests/fixtures/markdown/<plugin>.md``):
each case is what a Markdown note's body becomes (comments taken out, another generator's
template syntax rendered, then Markdown rendered)."""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it.utils import read_fixture_file

from papernotes.comments import strip_comments
from papernotes.liquid import LiquidScope
from papernotes.markdown import MarkdownRenderer
from papernotes.sources.markdown import convert_source_syntax

FIXTURES = Path(__file__).parent / "fixtures" / "markdown"
CASES = [pytest.param(text, expected, id=f"{path.stem}:{line}:{title}")
         for path in sorted(FIXTURES.glob("*.md")) for line, title, text, expected in read_fixture_file(path)]
SCOPE = LiquidScope(page={"title": "A note"}, site={})


@pytest.fixture(scope="module")
def renderer() -> MarkdownRenderer:
    return MarkdownRenderer()


@pytest.mark.parametrize("text, expected", CASES)
def test_fixture(renderer: MarkdownRenderer, text: str, expected: str) -> None:
    body, _ = convert_source_syntax(strip_comments(text), "note.md", 1, SCOPE)
    rendered, _ = renderer.render(body, "note.md")
    assert rendered.html.rstrip() == expected.rstrip()
