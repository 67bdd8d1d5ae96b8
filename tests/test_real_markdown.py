"""Acceptance: real Jekyll/kramdown, MathJax and Hugo collections beside the repository publish
their math and kramdown syntax rendered (skipped in a lone clone).

Each corpus is built as a user would (``papernotes build FOLDER``) and its note pages are
scanned with ``../shared/tools/leakscan.py``: no TeX delimiter or command and no kramdown
attribute list may reach a reader, and every note file is published."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from papernotes.build import BuildOptions, SiteLayout, build

from .conftest import LEAKSCAN, REAL, note_page_leaks

pytestmark = pytest.mark.skipif(not (REAL.is_dir() and LEAKSCAN.is_file()),
                                reason="../shared/corpus/real is not beside the repository")
MARKDOWN_KINDS = ("tex: $$ or $…\\cmd…$", "tex: \\( \\) \\[ \\]", "tex: command in text", "kramdown: {: attrs} / {:toc}")

#: corpus → the notes it publishes at least (its post files), and the leaks of our kinds its
#: authors wrote themselves (TeX without or with unbalanced delimiters, which the original
#: site showed as well).
CORPORA = {
    "jekyll-kramdown-brunomaga": (24, 2),  # ``$$x$$)$$`` and an unclosed ``$$O (n^2)``
    "mathjax-md-wiseodd": (57, 0),
    "alfolio-distill-scaling-book": (13, 0),
    "papers-i-read": (145, 2),  # ``##M \times M$$`` and ``&\alpha`` written without delimiters
    # ``\mathcal{H}`` in prose, ``$\hat{Q}(s,`` cut by a list…, and a formula in a figure shortcode's caption
    "hugo-toml-braindump": (386, 9),
}


@pytest.mark.parametrize("corpus", sorted(CORPORA))
def test_real_corpus_shows_no_tex_or_kramdown_source(corpus: str, tmp_path: Path) -> None:
    notes, authored = CORPORA[corpus]
    source = tmp_path / corpus
    shutil.copytree(REAL / corpus, source)  # nothing is written into ../shared
    result = build(SiteLayout.find(source, tmp_path / "site"), BuildOptions(cache=False, search=False))
    assert len(result.notes) >= notes
    leaks = {page: sum(counts.get(kind, 0) for kind in MARKDOWN_KINDS)
             for page, counts in note_page_leaks(result.out_dir).items()}
    leaks = {page: count for page, count in leaks.items() if count}
    assert sum(leaks.values()) <= authored, leaks
