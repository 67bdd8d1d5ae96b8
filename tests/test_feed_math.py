"""Math in feed items' HTML, in the shapes real blogs publish it, shown as MathJax showed it."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings, strategies as st

from papernotes.read.htmlbody import mathjax_scripts_to_tex, render_math_in_html

_MATH = re.compile(r"<math\b.*?</math>", re.DOTALL)


def rendered(body: str) -> tuple[str, int, list[object]]:
    """The body with every formula replaced by ``M`` (``D`` when shown as a display), and how many there were."""
    html, problems = render_math_in_html(body, "feed.xml", 1)
    shown = _MATH.sub(lambda m: "D" if 'display="block"' in m.group(0) else "M", html)
    return shown, len(_MATH.findall(html)), list(problems)


@pytest.mark.parametrize("body, expected", [
    # offconvex (Jekyll + MathJax): ``$`` with inner spaces around clearly TeX content
    (r"<p>node $z$ indeed receives $ \frac{\partial f}{\partial u_j}\times \frac{\partial u_j}{\partial z}$ from each</p>",
     "<p>node M indeed receives M from each</p>"),
    (r"<p>instantiating this with the event $\Omega = $  “Classifier”</p>", "<p>instantiating this with the event M  “Classifier”</p>"),
    (r"<p>a global minimum $\theta ^ * $ if for every $\theta$,</p>", "<p>a global minimum M if for every M,</p>"),
    # cn-chat-arxiv: a formula right after a CJK character
    (r"<p>我们获得了一个$\mathcal{O}(\epsilon^{-2})\epsilon$-近似的一阶稳定点</p>", "<p>我们获得了一个M-近似的一阶稳定点</p>"),
    # papers-I-read: a formula right after a letter, and ``\(…\)`` around content without TeX signs
    (r"<p>TS$\infty$ - The bootstrapped model</p>", "<p>TSM - The bootstrapped model</p>"),
    (r"<p>a fixed discrete set \(Z\) and \(p(z)\) is set to be uniform; \(w(s)\) and \(O(M)\)</p>",
     "<p>a fixed discrete set M and M is set to be uniform; M and M</p>"),
])
def test_inline_formulas_as_mathjax_found_them(body, expected):
    shown, _, problems = rendered(body)
    assert shown == expected and problems == []


def test_an_environment_in_text_is_a_display_formula():
    body = ("<p>the following lower bound holds\n\\begin{equation} \\log p(x) \\geq E_{q(h \\mid x)} \\log p(x,h)"
            " + H(q(h\\mid x))  \\qquad (2). \\end{equation}\nwhere $H$ denotes Shannon entropy</p>")
    shown, count, problems = rendered(body)
    assert shown == "<p>the following lower bound holds\nD\nwhere M denotes Shannon entropy</p>" and problems == []


def test_mathjax_script_blocks_are_inline_and_display_math():
    body = mathjax_scripts_to_tex(
        '<p>Thus by Chain rule, \n<script type="math/tex">S= \\sum_{i =1}^m \\frac{\\partial f}{\\partial u_i}</script>\n'
        'This completes it.</p>\n<script type="math/tex; mode=display">\\left|\\Pr[\\Omega] \\right| \\leq \\epsilon .</script>\n'
        '<p>after 10<script type="math/tex">x</script> and <script type="math/tex"></script>.</p>')
    shown, count, problems = rendered(body)
    assert shown == "<p>Thus by Chain rule, \nM\nThis completes it.</p>\nD\n<p>after 10M and .</p>"
    assert problems == []


def test_a_display_formula_around_a_code_span_markdown_made_of_tex_quotes():
    """velog: the Markdown renderer read ````correct''`` … ````wrong''`` as a code span inside ``$$``."""
    body = ("<li><p>the training objective is\n$$\n\\min_{\\theta_s} \\mathbb{E}<em>{(\\mathbf{x}, \\mathbf{y})} \\ "
            "\\mathcal{L}_c + \\mathcal{L}_w \\\n\\mathcal{L}_c = \\mathbb{E}</em>{\\hat{\\mathbf{y}}} - \\log f(\\text{<code>correct''}"
            " \\ | \\ \\mathbf{x}) \\\\\n\\mathcal{L}_w = - \\log f(\\text{</code>wrong''} \\ | \\ \\mathbf{x}) \\</p>\n<p>$$\n"
            "where $S_c(\\mathbf{x}, \\mathbf{y})$ is a set</p>\n</li>")
    shown, count, problems = rendered(body)
    assert shown == "<li><p>the training objective is\nD\nwhere M is a set</p>\n</li>"
    assert "<code>" not in shown and problems == []


@pytest.mark.parametrize("body", [
    "<p>It costs $5 and $10 here, or $ 5 and $ 7.</p>",
    "<p>not <code>\\(x\\)</code>, <code>$y$</code> nor <code>$$z$$</code></p>",
    "<pre><code>echo $HOME $PATH\n\\begin{equation} x \\end{equation}</code></pre>",
    "<p>It costs $$ here.</p>\n<p>And $$ there.</p>",
    "<p>an escaped \\$ sign and a price of 3$ and $</p>",
])
def test_no_formula_in_code_or_prose_dollars(body):
    shown, count, _ = rendered(body)
    assert count == 0 and shown == body


def test_a_rejected_dollar_does_not_hide_the_formula_after_it():
    shown, count, _ = rendered("<p>from $ 5 to $x^2$ and 2$y$ but 2$\\mu s$</p>")
    assert shown == "<p>from $ 5 to M and 2$y$ but 2M</p>" and count == 2


def test_feed_items_show_math_not_tex(build_site):
    from tests.test_sources import rss
    result = build_site({"content/blog.xml": rss(
        ("Backprop", "backprop", '<p>receives $ \\frac{a}{b}$ from \\(p(z)\\) and <script type="math/tex">S = 1</script></p>'
                                 '<script type="math/tex; mode=display">x^2</script><pre><code>$HOME</code></pre>'))})
    (note,) = result.notes
    assert note.body.html.count("<math") == 4 and "\\(" not in note.body.html and "<script" not in note.body.html
    assert "<code>$HOME</code>" in note.body.html


@given(st.lists(st.sampled_from(["$", "$$", "\\(", "\\)", "\\[", "\\]", "\\begin{equation}", "\\end{equation}", "\\begin{align*}",
                                 "\\end{align*}", "<p>", "</p>", "<code>", "</code>", "<PRE>", "</pre>", "<math>", "</math>",
                                 "<em>", "</em>", "x", " ", "\n", "1", "\\", "_", "{", "}", "<", ">", "a b"]), max_size=40),
       st.integers(min_value=0, max_value=5))
@settings(max_examples=400, deadline=None)
def test_formulas_are_found_where_the_whole_pattern_finds_them(pieces, position):
    from papernotes.read.htmlbody import _MATH_IN_TEXT, _MATH_START
    from papernotes.text import search_from

    body = "".join(pieces)
    expected, found = _MATH_IN_TEXT.search(body, position), search_from(_MATH_IN_TEXT, _MATH_START, body, position)
    assert (expected and expected.span(), expected and expected.groupdict()) == (found and found.span(), found and found.groupdict())
