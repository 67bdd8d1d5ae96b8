"""Unit tests for the pure parts of the Markdown rules: TeX macros, attribute lists, heading
anchors and the flavor of a file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from papernotes.markdown.attributes import parse_attributes
from papernotes.markdown.headings import github_anchor, unique_anchor
from papernotes.read.flavor import markdown_flavor
from papernotes.markdown.texmacros import Macro, expand, macros_from_config, take_definitions


@pytest.mark.parametrize("tex, name, macro", [
    (r"\newcommand{\R}{\mathbb{R}}", "R", Macro(r"\mathbb{R}")),
    (r"\newcommand\R{\mathbb{R}}", "R", Macro(r"\mathbb{R}")),
    (r"\renewcommand{\norm}[1]{\lVert #1 \rVert}", "norm", Macro(r"\lVert #1 \rVert", 1)),
    (r"\newcommand{\pr}[2][P]{#1(#2)}", "pr", Macro("#1(#2)", 2, "P")),
    (r"\def\E#1{\mathbb{E}[#1]}", "E", Macro(r"\mathbb{E}[#1]", 1)),
    (r"\DeclareMathOperator{\Tr}{Tr}", "Tr", Macro(r"\operatorname{Tr}")),
    (r"\DeclareMathOperator*{\argmax}{arg\,max}", "argmax", Macro(r"\operatorname*{arg\,max}")),
])
def test_definitions_are_read_and_removed(tex: str, name: str, macro: Macro) -> None:
    rest, macros = take_definitions(f"{tex} x")
    assert macros == {name: macro}
    assert rest.strip() == "x"


@pytest.mark.parametrize("tex, expected", [
    (r"\R^n", r"\mathbb{R}^n"),
    (r"\norm{x+y}", r"\lVert x+y \rVert"),
    (r"\norm x", r"\lVert x \rVert"),
    (r"\pr{A} \pr[Q]{B}", "P(A) Q(B)"),
    (r"\Rx", r"\Rx"),  # another command that starts with a macro's name
    (r"a \\R", r"a \\R"),  # a line break followed by R
])
def test_expansion(tex: str, expected: str) -> None:
    macros = {"R": Macro(r"\mathbb{R}"), "norm": Macro(r"\lVert #1 \rVert", 1), "pr": Macro("#1(#2)", 2, "P")}
    assert expand(tex, macros) == expected


def test_config_macros_take_mathjax_and_katex_forms() -> None:
    assert macros_from_config({"R": r"\mathbb{R}", "\\inner": [r"\langle #1, #2 \rangle", 2], "bad": 3}) == {
        "R": Macro(r"\mathbb{R}"), "inner": Macro(r"\langle #1, #2 \rangle", 2)}


def test_a_macro_that_calls_itself_stops() -> None:
    assert len(expand(r"\a", {"a": Macro(r"x\a")})) < 50_000


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("\\{}[]#1a R newcommanddef*")), max_size=60))
def test_definitions_never_crash(tex: str) -> None:
    rest, macros = take_definitions(tex)
    expand(rest, macros)


@pytest.mark.parametrize("text, expected", [
    ("#id .a .b", ("id", ("a", "b"), ())),
    ('.c style="text-align:center; font-size: small;"', (None, ("c",), (("style", "text-align:center; font-size: small;"),))),
    ("width=50% toc", (None, (), (("width", "50%"),))),
])
def test_attribute_lists(text: str, expected: tuple) -> None:
    parsed = parse_attributes(text)
    assert parsed is not None and (parsed.id, parsed.classes, parsed.pairs) == expected


def test_kept_attributes() -> None:
    parsed = parse_attributes('#x .c style="color: red; text-align: right" onclick="f()" width="50%" class="d"')
    assert parsed is not None
    assert parsed.html() == {"id": "x", "class": "c d", "width": "50%", "style": "text-align: right"}


@pytest.mark.parametrize("text", ['"unclosed', "a=", "{nested}"])
def test_not_an_attribute_list(text: str) -> None:
    assert parse_attributes(text) is None


@pytest.mark.parametrize("heading, anchor", [
    ("Understanding / Generalization / Transfer", "understanding--generalization--transfer"),
    ("2023 - Section", "2023---section"),
    ("O(n) & more!", "on--more"),
    ("Déjà vu_2", "déjà-vu_2"),
    ("C++ 🚀 tips", "c--tips"),
])
def test_github_anchor(heading: str, anchor: str) -> None:
    assert github_anchor(heading) == anchor


def test_unique_anchor_counts_from_one() -> None:
    used: dict[str, int] = {}
    assert [unique_anchor(a, used) for a in ("x", "x", "x", "")] == ["x", "x-1", "x-2", "section"]


@pytest.mark.parametrize("files, rel, configured, front, expected", [
    ({}, "_posts/2020-01-01-a.md", "auto", None, "kramdown"),
    ({}, "notes/a.md", "auto", None, "commonmark"),
    ({}, "notes/a.md", "kramdown", None, "kramdown"),
    ({}, "_posts/a.md", "commonmark", None, "commonmark"),
    ({"_config.yml": "title: x\n"}, "notes/a.md", "auto", None, "kramdown"),
    ({"_config.yml": "markdown: CommonMarkGhPages\n"}, "_posts/a.md", "auto", None, "commonmark"),
    ({}, "a.md", "auto", ("yaml", {"layout": "distill"}), "kramdown"),
    ({}, "a.md", "auto", ("toml", {"layout": "post"}), "commonmark"),
    ({}, "_index.md", "auto", ("yaml", {"layout": "docs"}), "commonmark"),
])
def test_flavor_rule(tmp_path: Path, files: dict[str, str], rel: str, configured: str,
                     front: tuple[str, dict] | None, expected: str) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    path = tmp_path / rel
    form, meta = front or (None, None)
    assert markdown_flavor(path, rel, configured, form, meta) == expected


def test_a_jekyll_site_builds_as_kramdown_with_config_macros(build_site) -> None:
    """End to end: the flavor rule, config ``math.macros`` and the per-note warning."""
    result = build_site({
        "papernotes.yaml": "math:\n  macros:\n    inner: ['\\langle #1, #2 \\rangle', 2]\n",
        "content/_posts/2020-01-02-post.md": "---\ntitle: Post\n---\nSo $$\\inner{x}{y}$$ and $$\\nope$$, $$\\nope^2$$.\n"
                                             "{: .lead}\n",
        "content/notes/plain.md": "---\ntitle: Plain\n---\nSo $$x$$ here.\n",
    })
    post = (result.out_dir / "notes" / "post" / "index.html").read_text()
    assert '<p class="lead">' in post and "{:" not in post
    assert post.count("<math") == 3 and 'display="block"' not in post and "⟨" in post  # ⟨ from the config macro
    plain = (result.out_dir / "notes" / "plain" / "index.html").read_text()
    assert 'display="block"' in plain
    warnings = [d.message for d in result.diagnostics if "unknown TeX command" in d.message]
    assert len(warnings) == 1 and "\\nope" in warnings[0]


_SYNTAX = st.sampled_from(["$", "$$", "\\(", "\\)", "\\[", "\\]", "\\\\(", "\\\\)", "\\begin{align}", "\\end{align}",
                           "\\begin{algorithm}", "\\end{algorithm}", "{:", "{: .c}", "{::comment}", "{:/}", "{:toc}",
                           "{::options parse_block_html=\"true\" /}", "<div>", "</div>", "<p markdown=1>", "</p>",
                           "\\newcommand{\\a}{\\a}", "\\a", "## h {#i}", "[[x]](y)", "`", "\n", "\n\n", "* ", "x", " "])


@settings(max_examples=150, deadline=None)
@given(st.lists(_SYNTAX, max_size=30).map("".join), st.sampled_from(["commonmark", "kramdown"]))
def test_any_mix_of_math_and_kramdown_syntax_renders(text: str, flavor: str) -> None:
    from papernotes.markdown.pipeline import MarkdownRenderer
    body, _ = MarkdownRenderer().render(text, "n.md", flavor=flavor)
    if flavor == "kramdown" and "<" not in text:  # raw HTML outside parse_block_html is shown as written
        shown = re.sub(r"<(code|pre|math)\b.*?</\1>", "", body.html, flags=re.DOTALL)
        assert not re.search(r"\{:[^}\n]*\}", shown)


def test_a_link_in_a_heading_is_a_mention_of_its_section() -> None:
    from papernotes.markdown.pipeline import MarkdownRenderer
    from papernotes.papers.mentions import papers_in_html
    body, _ = MarkdownRenderer().render("## [Attention Is All You Need](https://arxiv.org/abs/1706.03762) (2017)\n\n"
                                        "Some text.\n", "n.md")
    refs = papers_in_html(body.html)
    assert [(r.id, r.anchor, r.title) for r in refs] == [
        ("arxiv:1706.03762", "attention-is-all-you-need-2017", "Attention Is All You Need")]


_MARKUP = st.sampled_from(["|", "| a | b |\n|---|---|\n", "a | b\n--- | :-:\n", "> | a |\n> |---|\n", "| a |\n---\n", "| a\n---\n", "| a |\r|-|\r",
                           "\r\n", "\r", "$", "$$", "\\(", "\\[", "\\begin{align}", "\\end{align}", "{: .c}",
                           "{:", "```", "~~~", "> ", "[^1]", "[^1]: n", "^[i]", "[a]: /u", "\n[b]:/v\n", "]:", "<b>", "<div>",
                           "</div>", "# ", "## h", "\\", "\\*", "`", "~~", "==", "[[x]]", "![[x]]", "[@k]", "![a](b.png)",
                           "![c](d)", "[a](b)", "<https://x.org>", "&amp;", "&lt;", "&#35;", "&", "- [ ] t", "- [x] t",
                           "- [X] t", "* ", "1. ", "---", "===", "x", " ", "\n", "\n\n"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_MARKUP, max_size=25).map("".join), min_size=1, max_size=4), st.sampled_from(["commonmark", "kramdown"]))
def test_rules_a_text_cannot_use_are_left_out_without_changing_what_it_renders(texts: list[str], flavor: str) -> None:
    """A renderer that turns off, text by text, the rules whose marks a text lacks renders each
    text as one that tries every rule."""
    from papernotes.markdown.pipeline import MarkdownRenderer
    fitting, trying_all = MarkdownRenderer(), MarkdownRenderer(plugins=((lambda md: None, {}),))  # a site's plugin: all on
    for text in texts:
        assert fitting.render(text, "n.md", flavor=flavor) == trying_all.render(text, "n.md", flavor=flavor)


def test_rules_come_back_on_for_a_text_that_uses_them() -> None:
    from papernotes.markdown.pipeline import MarkdownRenderer
    renderer = MarkdownRenderer()
    assert "<table>" not in renderer.render("plain text", "n.md")[0].html
    assert "table" in renderer._rules.off
    assert "<table>" in renderer.render("| a | b |\n|---|---|\n| 1 | 2 |\n", "n.md")[0].html
