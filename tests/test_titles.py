"""Paper titles by evidence: the line shapes real notes use, and what is never a title."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from papernotes.papers.mentions import excerpt_html, papers_in_html
from papernotes.papers.titles import generic_link, heading_title, link_title, reads_like_title

# (rendered HTML of a real line shape, paper, title the text gives it or None)
SHAPES = [
    # a generic heading above a bullet whose link text is the title (and an author tail)
    ('<h3 id="additional-resources">Additional Resources</h3><ul><li><a href="https://arxiv.org/abs/1701.02434">'
     "A Conceptual Introduction to Hamiltonian Monte Carlo - Betancourt</a></li></ul>",
     "arxiv:1701.02434", "A Conceptual Introduction to Hamiltonian Monte Carlo"),
    # awesome list: **Title** (year), authors [[pdf]](…)
    ('<ul><li><strong>Distilling the knowledge in a neural network</strong> (2015), G. Hinton et al. '
     '<a href="http://arxiv.org/pdf/1503.02531">[pdf]</a></li></ul>', "arxiv:1503.02531", "Distilling the knowledge in a neural network"),
    # the same list line without emphasis
    ('<li>On the Origin of Deep Learning (2017), H. Wang and Bhiksha Raj. <a href="https://arxiv.org/pdf/1702.07800">[pdf]</a></li>',
     "arxiv:1702.07800", "On the Origin of Deep Learning"),
    # plain-text log: numbered "Name: URL" lines joined by <br>
    ('<p>Agents:<br />\n1. ReAct: <a href="https://arxiv.org/pdf/2210.03629">https://arxiv.org/pdf/2210.03629</a> (PRINTED)<br />\n'
     '2. Reflexion: <a href="https://arxiv.org/pdf/2303.11366">https://arxiv.org/pdf/2303.11366</a></p>', "arxiv:2210.03629", "ReAct"),
    ('<p>4. Mixture-of-Agents Enhances Large Language Model Capabilities: <a href="https://arxiv.org/pdf/2406.04692">'
     "https://arxiv.org/pdf/2406.04692</a><br />\n5. Agents that Matter: https://arxiv.org/pdf/2407.01502</p>",
     "arxiv:2407.01502", "Agents that Matter"),
    # a table row: the title cell beside a "paper" link
    ('<table><tr><td>2017</td><td>Attention Is All You Need</td><td><a href="https://arxiv.org/abs/1706.03762">paper</a></td></tr></table>',
     "arxiv:1706.03762", "Attention Is All You Need"),
    # a reference list: [35] Author. "Title." arXiv:…
    ('<p>[35] A. Vaswani, N. Shazeer. "Attention is all you need." arXiv:1706.03762, 2017.</p>', "arxiv:1706.03762",
     "Attention is all you need"),
    # the [id] Title form
    ("<p>[2305.10601] Tree of Thoughts: Deliberate Problem Solving - a note</p>", "arxiv:2305.10601",
     "Tree of Thoughts: Deliberate Problem Solving"),
    # a heading right above the only paper of its section, linked as "pdf"
    ('<h2 id="lima">LIMA: Less Is More for Alignment</h2><p><a href="https://arxiv.org/abs/2305.11206">pdf</a></p>',
     "arxiv:2305.11206", "LIMA: Less Is More for Alignment"),
    # a feed item: a title line with its id, then the bare link
    ("<p>非对抗性后门防御</p><p>Backdoor Defense with Non-Adversarial Backdoor. (arXiv:2307.15539v1 [cs.LG])</p>"
     "<p>http://arxiv.org/abs/2307.15539</p>", "arxiv:2307.15539", "Backdoor Defense with Non-Adversarial Backdoor"),
    # the line above a block holding only the link
    ('<p>Collaborative Pareto Set Learning in Multiple Multi-Objective Optimization Problems</p>'
     '<p><a href="https://arxiv.org/abs/2404.01224">https://arxiv.org/abs/2404.01224</a></p>', "arxiv:2404.01224",
     "Collaborative Pareto Set Learning in Multiple Multi-Objective Optimization Problems"),
    # never a title: a generic heading, a date heading, a heading over several papers, link words, prose, citations
    ('<h3 id="r">Additional Resources</h3><p><a href="https://arxiv.org/abs/1701.02434">pdf</a></p>', "arxiv:1701.02434", None),
    ('<h2 id="a">April 2026</h2><p><a href="https://arxiv.org/abs/2604.00001">arXiv</a></p>', "arxiv:2604.00001", None),
    ('<h2 id="q">Quarks and Gluons</h2><p><a href="https://arxiv.org/abs/2101.00001">here</a> and '
     '<a href="https://arxiv.org/abs/2101.00002">here</a></p>', "arxiv:2101.00001", None),
    ('<ul><li><a href="https://arxiv.org/abs/1506.01186">Link to the paper</a></li></ul>', "arxiv:1506.01186", None),
    ("<p>On that note, I should checkout Instructor-xl - https://arxiv.org/pdf/2212.09741.pdf</p>", "arxiv:2212.09741", None),
    ('<p>As shown by <a href="https://arxiv.org/abs/2101.07095">Lewis-Pye and Roughgarden in 2022</a>, it holds.</p>',
     "arxiv:2101.07095", None),
    ('<p>See the <a href="https://arxiv.org/abs/1608.03960">Kleppmann paper</a>.</p>', "arxiv:1608.03960", None),
]


@pytest.mark.parametrize("body, paper, title", SHAPES)
def test_titles_of_real_line_shapes(body, paper, title):
    refs = [ref for ref in papers_in_html(body) if ref.id == paper]
    assert refs, f"{paper} not found"
    assert refs[0].title == title


def test_a_link_named_generically_marks_the_paper_the_note_is_about():
    (ref,) = papers_in_html('<ul><li><a href="https://arxiv.org/abs/1811.06930">Paper</a></li></ul>')
    assert ref.title is None and ref.title_source == "generic"


@pytest.mark.parametrize("text", ["paper", "[pdf]", "arXiv", "here", "Link to the paper", "April 2026", "2023",
                                  "https://arxiv.org/abs/2305.10601", "arXiv:2305.10601", "Later", "Vaswani et al. (2017)"])
def test_words_that_are_never_titles(text):
    assert link_title(text) is None


@pytest.mark.parametrize("heading", ["Additional Resources", "References", "Papers", "Further Reading", "Related Work",
                                     "quarks and gluons", "March 3, 2024", "Introduction"])
def test_generic_headings_title_nothing(heading):
    assert heading_title(heading) is None


def test_names_and_titles_read_like_titles():
    assert reads_like_title("ReAct") and reads_like_title("GPT-4 Technical Report") and reads_like_title("PPO")
    assert not reads_like_title("Later") and not reads_like_title("The paper proposes a method that works well.")


def test_excerpts_keep_code_as_code_and_math_as_text():
    body = ('<p>Every Markdown file in <code>content/</code> is a note, see arXiv:2305.10601 and '
            '<math><mi>x</mi><annotation encoding="application/x-tex">x</annotation></math> squared.</p>')
    (ref,) = papers_in_html(body)
    assert ref.excerpt == "Every Markdown file in `content/` is a note, see arXiv:2305.10601 and x squared."
    assert str(excerpt_html(ref.excerpt)) == ("Every Markdown file in <code>content/</code> is a note, see arXiv:2305.10601 "
                                              "and x squared.")
    assert str(excerpt_html("a `<b>` b `cut")) == "a <code>&lt;b&gt;</code> b `cut"


def test_mentions_in_one_section_are_one_ref_with_every_excerpt():
    body = "<p>First arXiv:2305.10601 here.</p><p>Second arXiv:2305.10601 there.</p>"
    (ref,) = papers_in_html(body)
    assert ref.excerpt == "First arXiv:2305.10601 here. … Second arXiv:2305.10601 there."


# HTML that looks like note bodies naming papers: links, emphasis, tables, headings, code, breaks.
_PIECES = st.sampled_from([
    "<p>", "</p>", "<li>", "</li>", "<br />", "<strong>", "</strong>", "<code>", "</code>", "<td>", "</td>", "<tr>", "</tr>",
    '<h2 id="h">', "</h2>", '<a href="https://arxiv.org/abs/2305.10601">', '<a href="https://doi.org/10.1/x">', "</a>",
    "arXiv:1706.03762", "[2305.10601] ", "pdf", "Title Of A Paper", ": ", " - ", "(2017), A. B.", '"Quoted Title."', "\n",
    "<math><mi>x</mi><annotation>x</annotation></math>", "&amp;", "`", "<",
])


@settings(max_examples=200, deadline=None)
@example("[2001.00000]PDF")  # a bracketed id followed by a link word names no title
@given(st.one_of(st.text(max_size=200), st.lists(st.one_of(_PIECES, st.text(max_size=6)), max_size=40).map("".join)))
def test_any_body_yields_refs_whose_titles_read_like_titles(body):
    for ref in papers_in_html(body):
        assert ref.id.split(":", 1)[0] in ("arxiv", "doi", "openreview", "acl", "s2")
        if ref.title is not None:
            assert ref.title and ref.title == ref.title.strip() and not generic_link(ref.title)
            assert str(excerpt_html(ref.excerpt)).count("<code>") == str(excerpt_html(ref.excerpt)).count("</code>")


@pytest.mark.parametrize("label, title", [
    ("Accurate, Large Minibatch SGD: Training ImageNet in 1 Hour, Goyal et al.", "Accurate, Large Minibatch SGD: Training ImageNet in 1 Hour"),
    ("On the use of BERT for Neural Machine Translation, arXiv", "On the use of BERT for Neural Machine Translation"),
    ("Greedy, Joint Syntactic-Semantic Parsing with Stack LSTMs", "Greedy, Joint Syntactic-Semantic Parsing with Stack LSTMs"),
    ("1. Distilling the Knowledge in a Neural Network (2015)", "Distilling the Knowledge in a Neural Network"),
])
def test_link_texts_lose_authors_venues_and_numbering(label, title):
    assert link_title(label) == title
