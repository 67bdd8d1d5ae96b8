"""MathML adjusted for MathML Core browsers: each rule seen wrong next to KaTeX."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

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


TEX_PIECES = [r"\frac{a}{b}", r"x_i", "^2", r"\sqrt[3]{x}", r"\alpha", r"\mathbb{R}", r"\text{a \"quoted\" & <b>}",
              r"\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}", r"\left( x \right)", r"\href{https://x.org/?a=1&b=\"2\"}{y}",
              r"\color{red}{z}", r"\operatorname{argmax}", r"\hat{y}", r"\sum_{i=1}^{n}", r"\mathrm{softmax}", "<", ">", "&",
              r"\{", r"\|", "1.5", r"\,", r"\quad", r"\overbrace{a+b}^{c}", r"\begin{cases} 1 & x > 0 \\ 0 & \text{else} \end{cases}",
              r"\mathcal{L}", r"\boxed{e}", r"\xrightarrow{f}", r"\bmod", r"\tag{1}", r"\style{color: red}{w}"]


@given(st.lists(st.sampled_from(TEX_PIECES), min_size=1, max_size=6), st.booleans())
@settings(max_examples=300, deadline=None)
def test_mathml_is_written_as_latex2mathml_writes_it_but_always_well_formed(pieces, display):
    """As latex2mathml's ``convert`` writes the tree wherever that is well-formed XML; where it
    is not (a ``<`` or ``&`` of the TeX's text written raw) the same elements, their text escaped."""
    import xml.etree.ElementTree as ET

    from latex2mathml.converter import convert, convert_to_element

    from papernotes.markdown.math import mathml_text

    tex, mode = " ".join(pieces), "block" if display else "inline"
    try:
        expected = convert(tex, display=mode)
    except Exception as exc:  # noqa: BLE001 - whatever latex2mathml raises, it raises for both
        with pytest.raises(type(exc)):
            mathml_text(convert_to_element(tex, display=mode))
        return
    element = convert_to_element(tex, display=mode)
    written = ET.fromstring(mathml_text(element))  # well-formed, whatever the TeX's text holds
    assert [node.tag.rpartition("}")[2] for node in written.iter()] == [node.tag for node in element.iter()]
    try:
        ET.fromstring(expected)
    except ET.ParseError:
        return
    assert mathml_text(element) == expected


@pytest.mark.parametrize("tex, wanted, unwanted", [
    (r"\text{<script>alert(1)</script>}", "<mtext>&lt;script&gt;alert(1)&lt;/script&gt;</mtext>", "<script"),
    (r"\text{\<s\>}", r"\&lt;s\&gt;", "<s>"),
    (r"a & b", "<mi>&amp;</mi>", "<mi>&</mi>"),
    (r"\href{javascript:alert(1)}{x}", 'href="#blocked:alert(1)"', "javascript:"),
    (r"\href{https://a.org/?a=1&b=2}{x}", 'href="https://a.org/?a=1&amp;b=2"', None),
])
def test_a_formulas_text_and_links_cannot_make_markup(tex, wanted, unwanted):
    mathml, _ = tex_to_mathml(tex, display=False)
    body = mathml.split("<annotation")[0]
    assert wanted in body and (unwanted is None or unwanted not in body)
