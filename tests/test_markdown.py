import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from papernotes.markdown.joinedlexer import JOIN_AFTER
from papernotes.markdown.pipeline import MarkdownRenderer
from papernotes.markdown.plaintext import summarize
from papernotes.read.htmlbody import body_from_html


@pytest.fixture(scope="module")
def md():
    return MarkdownRenderer()


def render(md, text):
    body, problems = md.render(text, "n.md", 5)
    return body, problems


def test_commonmark_tables_strikethrough_tasks(md):
    body, _ = render(md, "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~\n\n- [x] done\n- [ ] todo\n")
    assert "<table>" in body.html and "<td>1</td>" in body.html
    assert "<s>old</s>" in body.html
    assert 'class="task-list-item' in body.html and 'type="checkbox"' in body.html and "checked" in body.html


def test_footnotes(md):
    body, _ = render(md, "Claim.[^1]\n\n[^1]: Source.\n")
    assert 'class="footnote-ref"' in body.html and 'class="footnotes"' in body.html


def test_heading_ids_are_stable_unique_and_listed(md):
    """GitHub's anchors: punctuation dropped, each space a hyphen, repeats numbered from 1."""
    body, _ = render(md, "# Intro\n\n## Method\n\n## Method\n\n### Results & *more*\n")
    assert [(h.level, h.id, h.text) for h in body.headings] == [
        (1, "intro", "Intro"), (2, "method", "Method"), (2, "method-1", "Method"), (3, "results--more", "Results & more"),
    ]
    assert '<h2 id="method-1">' in body.html


def test_linkify_bare_urls(md):
    body, _ = render(md, "See https://arxiv.org/abs/2305.10601 now.")
    assert '<a href="https://arxiv.org/abs/2305.10601">https://arxiv.org/abs/2305.10601</a>' in body.html


def test_fenced_code_is_highlighted_with_classes(md):
    body, _ = render(md, "```python\ndef f(x):\n    return x\n```\n")
    assert '<pre class="highlight" data-lang="python"><code class="language-python">' in body.html
    assert '<span class="k">def</span>' in body.html


def test_unknown_language_is_escaped_not_highlighted(md):
    body, _ = render(md, "```nosuchlang\n<b>x</b>\n```\n")
    assert "&lt;b&gt;x&lt;/b&gt;" in body.html and "<span" not in body.html


def test_math_becomes_mathml_with_tex_annotation(md):
    body, problems = render(md, "Inline $\\bm{x}^\\top y$ and\n\n$$\n\\sum_{i=1}^{n} \\mathcal{L}_i\n$$\n")
    assert problems == ()
    assert body.html.count("<math") == 2
    assert '<annotation encoding="application/x-tex">\\bm{x}^\\top y</annotation>' in body.html
    assert 'display="block"' in body.html


def test_character_references_in_tex_are_what_mathjax_read_from_the_page(md):
    """ox-hugo writes ``&hellip;`` and ``&mu;`` into formulas: the browser decoded them before MathJax ran."""
    body, problems = render(md, "The values $X_1, &hellip;, X_n$ with mean $&mu; &lt; 1$.\n")
    assert problems == () and "&amp;" not in body.html
    assert "<mi>…</mi>" in body.html and "<mi>μ</mi>" in body.html and "<mo>&lt;</mo>" in body.html


@pytest.mark.parametrize("text", ["It costs \\$5 today.", "Between $5 and $10.", "Use `$x$` literally."])
def test_dollars_that_are_not_math(md, text):
    body, _ = render(md, text)
    assert "<math" not in body.html


def test_math_inside_code_blocks_is_left_alone(md):
    body, _ = render(md, "```\n$x$\n```\n")
    assert "<math" not in body.html and "$x$" in body.html


def test_bad_math_is_shown_as_tex_with_a_positioned_warning(md):
    body, problems = render(md, "Intro.\n\nBad $x^$ here.\n")
    assert 'class="math-error"' in body.html
    assert len(problems) == 1 and str(problems[0]).startswith("n.md:7:1: warning: cannot render math")


def test_word_count_and_summary(md):
    body, _ = render(md, "## Heading\n\nFirst paragraph has five words.\n\nSecond one.\n")
    assert summarize(body.html) == "First paragraph has five words. Second one."
    assert body.words == 8


def test_a_feed_body_counts_the_words_its_markdown_counts(md):
    """An item of a feed is the same note rendered elsewhere: formulas and code are not words."""
    body, _ = render(md, "## Loss\n\nThe loss $\\mathcal{L} = -\\log p(x)$ is `mean` over a batch &amp; more.\n\n"
                         "```python\nloss = model(x).mean()\n```\n")
    assert body.words == body_from_html(body.html).words == 9


def test_unknown_tex_command_is_shown_as_text_with_a_warning(md):
    body, problems = render(md, "Use $\\err(x) \\in \\reals$.")
    assert "<mi>\\" not in body.html and "<mtext>err</mtext>" in body.html
    assert "unknown TeX command \\err" in problems[0].message and len(problems) == 1


@pytest.mark.parametrize("tex", ["\\bm{x}", "\\mathcal{L}", "\\text{if}", "\\displaystyle \\sum_{i=1}^{n} x_i",
                                 "a \\rightarrow b", "W^\\top", "p \\propto q"])
def test_commands_the_seed_notes_use_render(md, tex):
    body, problems = render(md, f"${tex}$")
    assert problems == () and "<math" in body.html


def test_latex_bracket_delimiters(md):
    body, problems = render(md, "Inline \\(x^2\\) and\n\n\\[\n\\sum_i x_i\n\\]\n\nnot `\\(code\\)`.")
    assert problems == () and body.html.count("<math") == 2 and 'display="block"' in body.html
    assert "<code>\\(code\\)</code>" in body.html


@pytest.mark.parametrize("text", ["See \\[1\\] and \\[Paper\\].", "A \\(remark\\) here."])
def test_escaped_brackets_are_not_math(md, text):
    body, _ = render(md, text)
    assert "<math" not in body.html


def test_css_and_script_inside_raw_html_make_no_tags(md):
    """A pasted SVG's ``<style>`` holds ``#f0f0f0`` colours and ``#id`` selectors, not tags."""
    body, _ = render(md, '<svg><defs><style type="text/css">\n#MathJax_Message {color: #f0f0f0}\n</style></defs></svg>\n'
                         "Text <script>var a = '#x';</script> then #real\n")
    assert body.tags == ("real",)


JOINED_SAMPLES = {
    "python": 'import re\n\n@cache\ndef f(x: int = 0x1F) -> str:\n    """Doc."""\n    return rf"{x!r:>4}" + f\'{x}\' \\\n        + "a\\n"  # c\nmatch x:\n    case [1, *_]: pass\n',
    "bash": 'for f in *.md; do echo "$f ${f%.md}" | sed -e \'s/a/b/\' > /dev/null; done\ncat <<EOF\nhere $HOME\nEOF\n',
    "javascript": "const re = /a[/]b/gi; let s = `x ${1 + 2} y`; // c\nclass A extends B { #p = 1; async *g() { yield* [1, 2]; } }\n",
    "css": "@media (max-width: 3em) { a:hover > b[href$='x'] { color: #fff !important; } } /* c */\n",
    "rust": 'fn main() -> Result<(), E> { let s = r#"a"#; let c = \'\\\'\'; println!("{s}"); Ok(()) } // c\n',
    "html": '<!doctype html><p class="a">x &amp; y<script>let a = 1 < 2;</script><style>p { color: red }</style>\n',
    "latex": "\\begin{align} a &= \\frac{1}{2} % c\n\\end{align} $x^2$ \\verb|a|\n",
}


@pytest.mark.parametrize("language", sorted(JOINED_SAMPLES))
def test_joined_lexer_states_give_pygments_tokens(language):
    """Each state's rules tried in one match: the tokens Pygments gives, on code and on junk."""
    from pygments.lexers import get_lexer_by_name

    from papernotes.markdown.joinedlexer import join_states

    plain = get_lexer_by_name(language, stripnl=False, ensurenl=False)
    joined = join_states(get_lexer_by_name(language, stripnl=False, ensurenl=False), join_after=0)
    assert "get_tokens_unprocessed" in vars(joined)  # the lexer was joined
    for code in (JOINED_SAMPLES[language], "\\1 (?( ) ] } \"' ` $ @ # \n\n\t x", ""):
        assert list(joined.get_tokens(code)) == list(plain.get_tokens(code))


_CODE_CHARACTERS = "abzAZ_09 \t\n#$%&'\"()*+,-./:;<=>?@[\\]^`{|}~é∑\u212a"


@settings(max_examples=60, deadline=None)
@given(language=st.sampled_from(sorted(JOINED_SAMPLES)), picks=st.lists(st.integers(0, 10**6), max_size=12),
       noise=st.text(alphabet=_CODE_CHARACTERS, max_size=40))
def test_joined_lexer_gives_pygments_tokens_on_any_text(language, picks, noise):
    """Whatever the text (pieces of real code and noise), the joined states give Pygments' tokens:
    leaving out the rules that cannot begin with a token's first character changes nothing."""
    from pygments.lexers import get_lexer_by_name

    from papernotes.markdown.joinedlexer import join_states

    sample = JOINED_SAMPLES[language]
    pieces = [sample[pick % len(sample):][:pick % 23 + 1] for pick in picks]
    code = noise.join(pieces) if pieces else noise
    plain = get_lexer_by_name(language, stripnl=False, ensurenl=False)
    joined = join_states(get_lexer_by_name(language, stripnl=False, ensurenl=False), join_after=0)
    assert list(joined.get_tokens(code)) == list(plain.get_tokens(code))


@pytest.mark.parametrize("join_after", [1, JOIN_AFTER])
def test_joined_lexer_tries_rules_one_by_one_first_and_gives_the_same_tokens(join_after):
    """A state joins its rules for a character only after lexing so many tokens beginning with
    it (or a character sharing with it) rule by rule, and ``STATE_TOKENS`` times as many in all;
    the tokens are Pygments' throughout."""
    from pygments.lexers import get_lexer_by_name

    from papernotes.markdown.joinedlexer import join_states

    code = JOINED_SAMPLES["python"] * 40
    plain = get_lexer_by_name("python", stripnl=False, ensurenl=False)
    joined = join_states(get_lexer_by_name("python", stripnl=False, ensurenl=False), join_after=join_after)
    short = JOINED_SAMPLES["python"][:30]
    assert list(joined.get_tokens(short)) == list(plain.get_tokens(short))
    root = joined.get_tokens_unprocessed.__self__.state("root")
    if join_after == JOIN_AFTER:
        assert not root.by_char  # a short snippet earns no joined pattern
    assert list(joined.get_tokens(code)) == list(plain.get_tokens(code))
    assert "i" in root.by_char and root.by_char["i"][0] is not None


def test_a_state_joins_its_rules_only_once_it_has_lexed_enough_tokens_in_all():
    """Tokens beginning with a letter seen often enough do not join a state's rules while the
    state has lexed fewer than ``STATE_TOKENS`` times as many tokens in all: the first join
    reads every rule's pattern, which a few snippets never pay back."""
    from pygments.lexers import get_lexer_by_name

    from papernotes.markdown.joinedlexer import STATE_TOKENS, join_states

    joined = join_states(get_lexer_by_name("python", stripnl=False, ensurenl=False), join_after=4)
    root = joined.get_tokens_unprocessed.__self__.state("root")
    line = "x = 1\n"  # six tokens, one beginning with a letter
    few = line * 5  # letters seen 5 times, 30 tokens in all: fewer than STATE_TOKENS * 4
    assert 6 * 5 < STATE_TOKENS * 4 <= 6 * 20
    plain = get_lexer_by_name("python", stripnl=False, ensurenl=False)
    assert list(joined.get_tokens(few)) == list(plain.get_tokens(few))
    assert not root.by_char
    list(joined.get_tokens(line * 20))
    assert "x" in root.by_char and root.by_char["x"][0] is not None


@pytest.mark.parametrize(("pattern", "starts", "cannot"), [
    (r"#.*?$", "#", "a \n"),
    (r"(?i:select)\b", "sS", "e_ "),
    (r"(?<!\.)(?:if|else)\b", "ie", "f.x"),
    (r"\d+(\.\d*)?", "07", "a."),
    (r"[^\s\w]+", "+)", "a \n0"),
    (r"(?:0x)?[0-9a-f]+", "0af", "gx"),
    (r"(a|)b", "ab", "c"),
])
def test_a_rule_is_joined_only_for_the_characters_it_can_begin_with(pattern, starts, cannot):
    from papernotes.markdown.joinedlexer import _start_tests

    can_begin = _start_tests(["x", pattern, r"\s*"])  # rules beside it keep their own answers
    assert all(can_begin(char)[1] for char in starts) and not any(can_begin(char)[1] for char in cannot)
    assert [can_begin(char)[::2] for char in "x "] == [(True, True), (False, True)]


@pytest.mark.parametrize("pattern", [r"\s*", r"(a|)", r"(?=x)?y*", r".", r"x*(?:y|z*)"])
def test_a_rule_that_can_begin_with_anything_is_joined_for_every_character(pattern):
    from papernotes.markdown.joinedlexer import _start_tests

    can_begin = _start_tests([pattern])
    assert all(can_begin(char) == (True,) for char in ("a", "#", "\n", "é", ""))


@pytest.mark.parametrize(("html", "blocked"), [
    ('<a href="JaVaScRiPt:alert(1)">x</a>', True),
    ('<a href="java\u017fcript:alert(1)">x</a>', True),  # ſ is an s to a case-insensitive pattern
    ('<img src=" VBScript :x">', True),
    ('<object data="data :text/html,x">', True),
    ('<img src="data:image/png;base64,AA">', False),
    ('<pre data-lang="python">data: a dataset</pre>', False),
])
def test_script_urls_are_neutralised_in_any_case(html, blocked):
    from papernotes.markdown.sanitize import neutralise_script_urls

    assert ("#blocked:" in neutralise_script_urls(html)) is blocked


def test_a_renderer_highlights_a_snippet_once_until_told_to_forget(monkeypatch):
    """Notes repeat snippets and formulas: each is converted once, unless the renderer forgets
    (as a new process would: how ``benchmarks/read_stage.py`` times a cold pass)."""
    import papernotes.markdown.pipeline as pipeline

    calls = []
    real = pipeline.highlight
    monkeypatch.setattr(pipeline, "highlight", lambda *args: calls.append(args) or real(*args))
    renderer = MarkdownRenderer()
    text = "```python\nx = 1\n```\n"
    first = renderer.render(text, "a.md")[0].html
    assert renderer.render(text, "b.md")[0].html == first and len(calls) == 1
    renderer.forget()
    assert renderer.render(text, "c.md")[0].html == first and len(calls) == 2
