"""MathML adjusted for MathML Core browsers: each rule seen wrong next to KaTeX."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from papernotes.markdown.math import load_converter, mathml_text, tex_to_mathml
from papernotes.markdown.mathpolish import polish, prepare_tex


def via_latex2mathml(tex: str, display: bool) -> str:
    """A formula as latex2mathml converts it, adjusted (the formulas math-core refuses)."""
    return polish(mathml_text(load_converter()(prepare_tex(tex), display="block" if display else "inline")))


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
    mathml = via_latex2mathml(tex, display)
    assert wanted in mathml and (unwanted is None or unwanted not in mathml)


@pytest.mark.parametrize("tex, display, wanted, unwanted", [
    (r"\hat y", False, "<mo stretchy=\"false\">\u02c6</mo>", "^"),  # the modifier circumflex
    (r"\sum_{i=1}^{n} x_i", True, "<munderover><mo", "<msubsup>"),  # limits under and over
    (r"\lim_{n \to \infty} a_n", True, "<munder><mrow><mspace/><mi>lim</mi>", "<msub><mrow><mspace/><mi>lim"),
    (r"a - \infty", False, "<mi>∞</mi>", "<mo>∞"),  # a sign before it, not a subtraction
    (r"\max(a, b)", False, "<mi>max</mi>", "<mo>max"),  # a name, not an operator spaced on both sides
    (r"\log q", False, '<mi>log</mi></mrow><mo lspace="0.1667em">\u2061</mo><mi>q</mi>', None),  # a thin space
])
def test_the_converter_draws_what_tex_draws(tex, display, wanted, unwanted):
    """math-core's MathML does what the adjustments do for latex2mathml's."""
    mathml, warning = tex_to_mathml(tex, display)
    body = mathml.split("<annotation")[0]
    assert warning is None and wanted in body and (unwanted is None or unwanted not in body)


def test_inline_integrals_and_plain_formulas_are_left_as_converted():
    mathml = via_latex2mathml(r"\int_0^1 f + x^2", False)
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
    (r"\operatorname<img src=x>", "&lt;</mi>", "<<"),
    (r"a & b", "<mi>&amp;</mi>", "<mi>&</mi>"),
    (r"\href{javascript:alert(1)}{x}", 'href="#blocked:alert(1)"', "javascript:"),
    (r"\href{https://a.org/?a=1&b=2}{x}", 'href="https://a.org/?a=1&amp;b=2"', None),
])
def test_a_formulas_text_and_links_cannot_make_markup(tex, wanted, unwanted):
    mathml, _ = tex_to_mathml(tex, display=False)
    body = mathml.split("<annotation")[0]
    assert wanted in body and (unwanted is None or unwanted not in body)


@given(st.lists(st.one_of(st.sampled_from(TEX_PIECES), st.sampled_from([*"{}[]()^_&\\$%#~<>\" \n", r"\operatorname", r"\mathrm"]),
                          st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=3)), min_size=1, max_size=12),
       st.booleans())
@settings(max_examples=400, deadline=None)
def test_any_tex_becomes_well_formed_mathml_or_a_clear_error(pieces, display):
    """Whichever converter takes a formula, its MathML is well-formed and carries no markup of the
    formula's own; anything else is a ValueError (shown as the TeX), never another exception."""
    import xml.etree.ElementTree as ET

    from papernotes.markdown.math import convert_tex

    try:
        converted = convert_tex("".join(pieces), display)
    except ValueError:
        return
    if converted.mathml:
        root = ET.fromstring(converted.mathml)  # latex2mathml's carries the MathML namespace
        tags = [element.tag.rpartition("}")[2] for element in root.iter()]
        assert tags[0] == "math" and not {"script", "style", "iframe"} & set(tags)
        assert not [e for e in root.iter() if e.get("href", "").strip().lower().startswith("javascript:")]


@pytest.mark.parametrize("tex", ["{" * 10_000 + "x" + "}" * 10_000, r"\frac{" * 5_000 + "x" + "}{y}" * 5_000,
                                 r"\left(" * 8_000 + "x" + r"\right)" * 8_000])
def test_a_formula_nested_thousands_deep_is_refused_not_fatal(tex):
    """math-core's recursion would end the process at such depths: they never reach it."""
    from papernotes.markdown.math import convert_tex

    with pytest.raises(ValueError):
        convert_tex(tex, False)
