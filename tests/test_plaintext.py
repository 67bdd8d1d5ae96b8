"""Plain text of rendered bodies: formulas read once as text, whole-sentence summaries."""

from __future__ import annotations

from html import escape

import pytest
from hypothesis import given, strategies as st

from papernotes.markdown.math import tex_to_mathml
from papernotes.markdown.plaintext import html_to_text, math_text, prose_words, summarize, tex_text
from papernotes.papers.mentions import excerpt_html
from papernotes.text import unmarked


@pytest.mark.parametrize("tex, text", [
    (r"\sum_i x_i", "∑ᵢ xᵢ"),
    (r"\hat y", "ŷ"),
    (r"x^2 + y^{n+1}", "x² + yⁿ⁺¹"),
    (r"\mathrm{softmax}\left(\frac{QK^\top}{\sqrt{d_k}}\right)V", "softmax(QKᵀ/√dₖ)V"),
    (r"\int_0^1 f(x)\,dx", "∫₀¹ f(x) dx"),
    (r"\lim_{n\to\infty} a_n", "lim_(n→∞) aₙ"),
    (r"\log q", "log q"),
])
def test_a_formula_reads_as_text(tex, text):
    assert tex_text(tex) == text


def test_the_tex_annotation_is_never_part_of_the_text():
    mathml, _ = tex_to_mathml(r"\sum_i x_i", display=False)
    text = html_to_text(f"<p>math such as {mathml} is rendered.</p>")
    assert text == "math such as ∑ᵢ xᵢ is rendered."
    assert "\\" not in math_text(mathml)


def test_code_keeps_its_text_and_footnote_marks_go():
    html = '<p>Every file in <code>content/</code> is a note.<sup class="footnote-ref"><a href="#fn1">[1]</a></sup></p>'
    assert html_to_text(html) == "Every file in content/ is a note."


def test_a_summary_marks_inline_code_which_a_page_shows_as_code_and_a_description_drops():
    summary = summarize("<p>Convert links from <code>[[UID]]</code> to <code>[[UID title]]</code>. "
                        "Then run:</p><pre><code>zk fix\n</code></pre>")
    assert summary == "Convert links from `[[UID]]` to `[[UID title]]`. Then run:"
    assert str(excerpt_html(summary)) == "Convert links from <code>[[UID]]</code> to <code>[[UID title]]</code>. Then run:"
    assert unmarked(summary) == "Convert links from [[UID]] to [[UID title]]. Then run:"
    assert unmarked("it`s one mark") == "it`s one mark"
    assert html_to_text("<p>a <code>x</code> b</p>") == "a x b", "plain text unless asked for marks"


def test_a_heading_like_first_paragraph_is_skipped():
    body = "<p>LLM Acceleration</p><p>Speculative decoding drafts tokens with a small model. The large one checks them.</p>"
    assert summarize(body) == "Speculative decoding drafts tokens with a small model. The large one checks them."


def test_whole_sentences_up_to_the_longest_length():
    sentence = "This sentence about attention has exactly enough words in it to matter here. "
    summary = summarize(f"<p>{sentence * 6}</p>")
    assert 160 <= len(summary) <= 300 and summary.endswith("here.")


def test_one_overlong_sentence_is_cut_at_a_word():
    summary = summarize("<p>" + "word " * 200 + "</p>")
    assert len(summary) <= 300 and summary.endswith("word…")


def test_footnotes_are_not_the_summary():
    body = '<p>Short.</p><section class="footnotes"><ol><li><p>A footnote text.</p></li></ol></section>'
    assert summarize(body) == "Short."


@given(st.text(max_size=400))
def test_summaries_of_any_text_are_bounded_and_tag_free(text):
    summary = summarize(f"<p>{text}</p>")
    assert len(summary) <= 300 and "<p>" not in summary


_WORD = st.text(st.characters(blacklist_categories=("Cs", "Z", "Cc")), min_size=1, max_size=12)


@given(st.lists(st.lists(_WORD, min_size=1, max_size=8), max_size=5))
def test_prose_words_are_the_words_written(paragraphs):
    """Without formulas or code, a body's words are those its paragraphs were written with."""
    html = "".join(f"<p>{escape(' '.join(words))}</p>\n" for words in paragraphs)
    assert prose_words(html) == sum(map(len, paragraphs))


def test_formulas_and_code_are_not_words():
    mathml, _ = tex_to_mathml(r"\sum_i x_i", display=False)
    html = f"<p>one {mathml} two <code>three four</code></p><pre><code>five six</code></pre><p>seven</p>"
    assert prose_words(html) == 3 and prose_words("") == 0


@pytest.mark.parametrize("count, text", [(0, "0 notes"), (1, "1 note"), (2, "2 notes")])
def test_counts_take_the_right_number(count, text):
    from papernotes.render import plural
    assert plural(count, "note") == text and plural(1, "analysis", "analyses") == "1 analysis"


def test_fragments_without_a_full_stop_are_kept_apart():
    assert summarize("<ul><li><p>fast decoding</p></li><li><p>small draft model</p></li></ul>") == "fast decoding · small draft model"


def test_tex_a_body_left_as_text_is_still_read_as_text_but_code_is_not():
    html = r"<p>how far \( P(X) \) is from \( \mathbb{R}^2 \), not <code>\(this\)</code></p>"
    assert html_to_text(html) == r"how far P(X) is from ℝ², not \(this\)"


def test_labels_before_the_prose_are_skipped():
    body = ("<ul><li><p>GPT</p><ul><li><p>Analytical AI to Generative AI</p></li>"
            "<li><p>needs a way to evaluate the quality of generated texts in many aspects</p></li></ul></li></ul>")
    assert summarize(body).startswith("needs a way to evaluate")


def test_a_display_formula_split_into_paragraphs_by_a_blank_line_is_one_formula():
    from papernotes.read.htmlbody import render_math_in_html
    body = "<li><p>Gating\n$$\n\\begin{aligned}\nG &amp;= 1 \\</p>\n<p>H &amp;= 2\n\\end{aligned}\n$$</p></li>"
    html, problems = render_math_in_html(body, "feed.xml", 1)
    assert problems == [] and html.count("<math") == 1 and "$$" not in html and html.count("<p>") == html.count("</p>") == 1
    prose, _ = render_math_in_html("<p>It costs $$ here.</p>\n<p>And $$ there.</p>", "feed.xml", 1)
    assert "<math" not in prose


def test_a_drawing_holding_drawings_leaves_no_label_in_the_text() -> None:
    """diagrams.net exports put MathJax's own ``<svg>`` inside the drawing, with the TeX as a
    fallback ``<text>``: the whole drawing goes, not only up to its first ``</svg>``."""
    drawing = ('<svg viewBox="0 0 8 8"><foreignObject><svg><path d="M0 0"/></svg></foreignObject>'
               '<text>\\sum</text><svg/></svg>')
    assert html_to_text(f"<p>Consider a layer: {drawing} and then.</p>") == "Consider a layer: and then."
    assert summarize(f"<p>Consider a single layer in an MLP as drawn below. {drawing}</p><p>Next.</p>").count("sum") == 0
    assert prose_words(f"<p>one {drawing} two</p>") == 2
    assert html_to_text("<p>a <svg> left open <svg>x</svg> b</p>") == "a b"  # as the pattern took it before
