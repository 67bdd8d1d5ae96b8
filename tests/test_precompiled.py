"""The default theme's templates compiled ahead of time: current, used, and overridden by a site's."""

from __future__ import annotations

from pathlib import Path

import pytest

from papernotes import precompiled, render
from papernotes.config import Config
from papernotes.theme import theme_dir


def _code(folder: Path) -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in folder.glob("*.py")}


def test_the_compiled_theme_is_the_code_of_the_templates_as_they_are(tmp_path):
    """Fails after a template changed until ``python -m papernotes.precompiled`` is run."""
    precompiled.write_theme_code(render.make_environment(Config(), None), theme_dir() / "templates", render._SETTINGS,
                                 tmp_path / "code")
    assert _code(tmp_path / "code") == _code(precompiled.CODE)
    assert len(_code(precompiled.CODE)) == 1 + len(list((theme_dir() / "templates").iterdir()))


def test_theme_templates_load_from_their_compiled_code_and_a_site_template_comes_first(tmp_path):
    site = tmp_path / "templates"
    site.mkdir()
    (site / "note.html").write_text('{% extends "base.html" %}{% block content %}own note{% endblock %}')
    env = render.make_environment(Config(), site)
    assert Path(env.get_template("paper.html").filename or "").parent == precompiled.CODE
    note = env.get_template("note.html")
    assert note.filename == str(site / "note.html")
    assert "own note" in (env.loader.get_source(env, "note.html")[0] if env.loader is not None else "")


def test_templates_changed_since_their_code_was_made_are_compiled_from_their_source(tmp_path, monkeypatch):
    monkeypatch.setattr("papernotes.theme_code.THEME_DIGEST", "another")
    env = render.make_environment(Config(), None)
    template = env.get_template("paper.html")
    assert template.filename == str(theme_dir() / "templates" / "paper.html")
    assert precompiled.compiled_theme(theme_dir() / "templates", render._SETTINGS) is None


@pytest.mark.parametrize("base_url", [None, "https://example.org/sub/"])
@pytest.mark.parametrize("name", ["note.html", "paper.html", "archive.html"])
def test_a_page_from_compiled_code_is_the_page_compiled_from_source(name, base_url, build_site, monkeypatch):
    """The same bytes whatever the site's base URL: no filter's result is in the code."""
    files = {"content/a.md": "---\ntitle: A\ndate: 2024-01-02\ntags: [x]\n---\nOn arXiv:1706.03762 and [[B]].\n",
             "content/b.md": "---\ntitle: B\ndate: 2023-05-06\n---\nText.\n"}
    compiled = build_site(files, base_url=base_url)
    monkeypatch.setattr("papernotes.theme_code.THEME_DIGEST", "another")
    from_source = build_site(files, base_url=base_url)
    pages = {"note.html": "notes/a/index.html", "paper.html": "papers/arxiv-1706.03762/index.html",
             "archive.html": "archive/index.html"}
    page = pages[name]
    assert (compiled.out_dir / page).read_bytes() == (from_source.out_dir / page).read_bytes()
    assert base_url is None or b'href="/sub/' in (compiled.out_dir / page).read_bytes()
