"""MathML adjusted for MathML Core browsers: each rule seen wrong next to KaTeX."""

from __future__ import annotations

import pytest

from papernotes.markdown.math import tex_to_mathml


@pytest.mark.parametrize("tex, display, wanted, unwanted", [
    (r"\hat y", False, "<mo>&#x002C6;</mo>", "&#x0005E;"),
    (r"\left\{ \sum_{i=1}^{n} x_i \right\}", True, '<munderover><mo movablelimits="true">&#x02211;', "<msubsup>"),
    (r"\lim_{n \to \infty} a_n", True, '<munder><mo movablelimits="true">lim</mo>', "<msub><mo>lim"),
    (r"a - \infty", False, "<mi>&#x0221E;</mi>", "<mo>&#x0221E;"),
    (r"\max(a, b)", False, "<mi>max</mi>", "<mo>max"),
    (r"\log q", False, '<mi>log</mi><mspace width="0.1667em" /><mi>q</mi>', None),
    (r"\begin{aligned} a &= b \\ &= c \end{aligned}", True, '<mtable displaystyle="true" columnspacing="0em"', "<mi>&amp;</mi>"),
    (r"\int_0^1 f", True, '<mrow><mspace width="0.45em" /><mn>1</mn></mrow>', None),
])
def test_mathml_is_adjusted(tex, display, wanted, unwanted):
    mathml, warning = tex_to_mathml(tex, display)
    assert warning is None and wanted in mathml
    assert unwanted is None or unwanted not in mathml.split("<annotation")[0]


def test_inline_integrals_and_plain_formulas_are_left_as_converted():
    mathml, _ = tex_to_mathml(r"\int_0^1 f + x^2", False)
    assert "<mspace" not in mathml and "<msup><mi>x</mi><mn>2</mn></msup>" in mathml


@pytest.mark.parametrize("tex", [
    r"\hat y", r"\sum_{i=1}^{n} x_i", r"\lim_{n \to \infty} a_n", r"a - \infty", r"\max(a, b)", r"\log q",
    r"\int_0^1 f", r"\operatorname{argmax}_x f", r"\mathrm{Tr}\, A", r"\det A", r"\href{a>b}{\lim_n}",
    r"\alpha_{3} = \frac{7}{\sqrt{d_{2}}}", r"x^2 + y_i", r"a < b", r"\text{max}",
])
@pytest.mark.parametrize("display", [False, True])
def test_formulas_no_rule_changes_are_told_without_parsing(tex, display, monkeypatch):
    """The quick look at the text that lets a formula through unparsed never lets one through that
    a rule would have changed."""
    from latex2mathml.converter import convert

    from papernotes.markdown import mathpolish

    converted = convert(mathpolish.prepare_tex(tex), display="block" if display else "inline")
    quick = mathpolish.polish(converted)
    monkeypatch.setattr(mathpolish, "_may_change", lambda mathml: True)
    assert quick == mathpolish.polish(converted)
