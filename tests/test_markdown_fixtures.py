"""Markdown behaviour as markdown-it fixture files (``tests/fixtures/markdown/<plugin>.md``):
each case is what a Markdown note's body becomes (comments taken out, then rendered)."""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it.utils import read_fixture_file

from papernotes.comments import strip_comments
from papernotes.markdown import MarkdownRenderer

FIXTURES = Path(__file__).parent / "fixtures" / "markdown"
CASES = [pytest.param(text, expected, id=f"{path.stem}:{line}:{title}")
         for path in sorted(FIXTURES.glob("*.md")) for line, title, text, expected in read_fixture_file(path)]


@pytest.fixture(scope="module")
def renderer() -> MarkdownRenderer:
    return MarkdownRenderer()


@pytest.mark.parametrize("text, expected", CASES)
def test_fixture(renderer: MarkdownRenderer, text: str, expected: str) -> None:
    body, _ = renderer.render(strip_comments(text), "note.md")
    assert body.html.rstrip() == expected.rstrip()
