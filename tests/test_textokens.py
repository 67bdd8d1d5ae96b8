"""The quicker TeX tokenizer gives latex2mathml's own tokens (and its errors) for any text."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from latex2mathml import tokenizer, walker

from papernotes.markdown.math import convert_tex, load_converter
from papernotes.markdown.textokens import copies_installed, tokenize

COPIED = pytest.mark.skipif(not copies_installed(), reason="the installed latex2mathml tokenizes otherwise: its own is kept")

FORMULAS = [
    r"x^2 + y_1 = \frac{a}{b}", r"\mathbb{R}^n \to \mathcal{L}", r"\mathbf{x}_{t+1}", r"\mathrm d x",
    r"\text{loss is } 5 cm", r"\textbf{12 pt}", r"\hspace{2.5 em} a", r"-3.5mm", r"\kern-1.5 pt x",
    r"\verb|a_b| c", r"\verb", r"\verbatim", r"a % a comment" "\n" r"+ b", r"100\%", r"50%",
    r"\begin {pmatrix} 1 & 2 \\ 3 & 4 \end {pmatrix}", r"\operatorname {arg\,max}_\theta f",
    r"\operatorname*{lim sup}", r"\left( \frac12 \right)", r"\sqrt[3]{x}", r"\dfrac 1 2",
    r"\mathit{ab}", r"\mathring{A}", r"\mathrel{=}", r"x_1^2 .5", r"\\ \{ \} \, \! \: \; \> \|",
    r"\color{red}{x} \style{color:red}{y} \href{https://example.org}{z}", r"\1 \$ \#",
    "α + β ≤ γ", "", " ", "%", r"\%", r"\math", r"\mathbb",
]


def tokens_or_error(tokenizer_function, text: str) -> list[str] | str:
    try:
        return list(tokenizer_function(text))
    except Exception as exc:  # latex2mathml's tokenizer raises on some text (a bare ``\verb``)
        return type(exc).__name__


@COPIED
@pytest.mark.parametrize("text", FORMULAS)
def test_same_tokens_as_latex2mathml(text: str) -> None:
    assert tokens_or_error(tokenize, text) == tokens_or_error(tokenizer.tokenize, text)
    assert tokens_or_error(lambda t: tokenize(t, skip_comments=False), text) == \
        tokens_or_error(lambda t: tokenizer.tokenize(t, skip_comments=False), text)


TEX_PIECES = st.sampled_from([
    "a", "Z", "1", "23", "4.5", ".5", "-", "_", "^", "_2", "{", "}", "[", "]", " ", "\n", "%", "&", "\\\\",
    "\\", "\\,", "\\%", "\\{", "\\frac", "\\frac12", "\\mathbb", "{R}", "\\mathrm", "\\text", "{5 cm}",
    "\\verb", "|", "\\begin", "{matrix}", "\\end", "\\operatorname", "{max}", "pt", " em", "mm", "\\left",
    "\\right", "\\sqrt", "α", "é", "\\alpha", "\\mathcal", "\\math", "\\verb|x|",
])


@COPIED
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.lists(TEX_PIECES, max_size=14).map("".join), st.text(max_size=30)))
def test_same_tokens_for_any_text(text: str) -> None:
    assert tokens_or_error(tokenize, text) == tokens_or_error(tokenizer.tokenize, text)


def test_the_converter_uses_it_only_in_place_of_the_tokenizer_it_copies() -> None:
    load_converter()
    assert walker.tokenize is (tokenize if copies_installed() else tokenizer.tokenize)
    if copies_installed():
        from latex2mathml import commands

        from papernotes.markdown import textokens

        assert textokens._NOT_WHOLE == (commands.VERB, commands.MATH)
    assert "<mfrac>" in convert_tex(r"\frac{a}{b} + \text{5 cm}", False).mathml


def test_another_latex2mathml_tokenizer_is_not_stood_in_for(monkeypatch: pytest.MonkeyPatch) -> None:
    from papernotes.markdown import textokens

    monkeypatch.setattr(textokens, "COPIED", "0" * 64)  # as if latex2mathml's tokenizer.py were another
    assert not textokens.copies_installed()
