"""BibTeX and CSL-JSON exports: unique stable keys, types by venue, files two readers accept."""

from __future__ import annotations

import html
import json
import re
import urllib.parse

import bibtexparser
import pybtex.database

from papernotes.emit.common import Citations, citation_files, everything
from papernotes.papers.bibtex import base_key, bibliography, bibtex_entry, cite_keys, entry_type
from papernotes.papers.csljson import csl_entry, csl_item, csl_json, csl_name
from papernotes.papers.papergraph import co_mentions
from papernotes.papers.registry import PaperMeta, load_registry

VASWANI = PaperMeta("arxiv:1706.03762", "Attention Is All You Need", ("Ashish Vaswani", "Noam Shazeer"), 2017,
                    "Advances in Neural Information Processing Systems")


def test_keys_are_author_year_word_and_unique_in_id_order():
    assert base_key(VASWANI) == "vaswani2017attention"
    assert base_key(PaperMeta("arxiv:2305.10601", "Tree of Thoughts", year=2023)) == "tree2023thoughts"
    assert base_key(PaperMeta("arxiv:2305.10601", year=2023)) == "arxiv_2305_10601"
    twins = [PaperMeta(f"arxiv:1706.0376{n}", "Attention Is All You Need", ("A. Vaswani",), 2017) for n in (3, 2, 4)]
    keys = cite_keys(twins)
    assert keys == {"arxiv:1706.03762": "vaswani2017attentiona", "arxiv:1706.03763": "vaswani2017attentionb",
                    "arxiv:1706.03764": "vaswani2017attentionc"}
    assert cite_keys(reversed(twins)) == keys, "the order papers come in does not move keys"
    own = PaperMeta("doi:10.1/x", "Other", key="vaswani2017attentiona")
    assert len(set(cite_keys([*twins, own]).values())) == 4 and cite_keys([*twins, own])["doi:10.1/x"] == "vaswani2017attentiona"


def test_entry_types_follow_the_venue():
    assert entry_type(PaperMeta("arxiv:1", venue=None)) == "misc"
    assert entry_type(PaperMeta("doi:1", venue="Proceedings of ACL 2019")) == "inproceedings"
    assert entry_type(PaperMeta("doi:1", venue="Nature")) == "article"
    assert entry_type(PaperMeta("doi:1", venue="Nature", entry_type="book")) == "book"


def test_an_arxiv_preprint_is_misc_with_eprint():
    entry = bibtex_entry(PaperMeta("arxiv:2305.10601", "Tree of Thoughts", ("Shunyu Yao",), 2023), "yao2023tree")
    assert entry.startswith("@misc{yao2023tree,") and "eprint = {2305.10601}" in entry and "archivePrefix = {arXiv}" in entry
    assert "author = {Yao, Shunyu}" in entry


HOSTILE = [
    VASWANI,
    PaperMeta("doi:10.1000/a_b", "100% {unbalanced} } braces & #hash_tags \\ and ~ ^", ("Zoë Ünicode", "others"), 2020, "J. of R&D"),
    PaperMeta("title:known only by title", "Known only by title"),
    PaperMeta("arxiv:2305.10601", "Known only by title", year=2023),
    PaperMeta("arxiv:2305.10602", None, year=2023),
]


def test_exports_parse_with_bibtexparser_and_pybtex(build_site):
    notes = {f"content/n{i}.md": f"---\ntitle: Note {i}\ntags: [t{i % 2}]\n---\n\nOn {m.id if not m.id.startswith('title:') else ''}.\n"
             for i, m in enumerate(HOSTILE)}
    result = build_site({**notes, "content/papers.yaml": "\n".join(
        f"{m.id}:\n  title: {json.dumps(m.title)}\n  authors: {json.dumps(list(m.authors))}\n  year: {m.year or ''}\n"
        f"  venue: {json.dumps(m.venue) if m.venue else ''}" for m in HOSTILE if m.title and not m.id.startswith("title:"))})
    site = result.out_dir
    page = (site / "papers/arxiv-1706.03762/index.html").read_text()
    downloads = {name: urllib.parse.unquote(html.unescape(url).partition(",")[2])
                 for url, name in re.findall(r'<a href="(data:[^"]+)" download="([^"]+)">', page)}
    assert set(downloads) == {"vaswani2017attention.bib", "vaswani2017attention.csl.json"}
    assert [item["id"] for item in json.loads(downloads["vaswani2017attention.csl.json"])] == ["vaswani2017attention"]
    texts = {"papers.bib": (site / "papers.bib").read_text(), "the paper's": downloads["vaswani2017attention.bib"]}
    for path, text in texts.items():
        library = bibtexparser.parse_string(text)
        assert not library.failed_blocks, path
        keys = [entry.key for entry in library.entries]
        assert keys and len(keys) == len(set(keys)), path
        parsed = pybtex.database.parse_string(text, "bibtex")
        assert sorted(parsed.entries.keys()) == sorted(keys)
    whole = bibtexparser.parse_string((site / "papers.bib").read_text())
    assert len(whole.entries) == 4
    hostile = next(e for e in whole.entries if e.key.startswith("unicode"))
    assert hostile.entry_type == "article" and hostile["doi"] == "10.1000/a\\_b" and hostile["journal"] == "J. of R\\&D"
    csl = json.loads((site / "papers.csl.json").read_text())
    assert sorted(item["id"] for item in csl) == sorted(e.key for e in whole.entries)
    assert not list(site.glob("papers/*/cite.*")) and not list(site.glob("tags/*/papers.*"))  # no file a page does not link


def test_csl_items():
    item = csl_item(VASWANI, "vaswani2017attention")
    assert item["type"] == "paper-conference" and item["issued"] == {"date-parts": [[2017]]}
    assert item["author"][0] == {"family": "Vaswani", "given": "Ashish"} and item["number"] == "arXiv:1706.03762"
    assert csl_name("Vaswani, Ashish") == {"family": "Vaswani", "given": "Ashish"} and csl_name("Plato") == {"literal": "Plato"}


def test_exports_come_an_entry_at_a_time_with_the_bytes_of_the_whole_document():
    keys = cite_keys(HOSTILE)
    multiline = PaperMeta("doi:10.1/abs", "Line\nbreaks", abstract="First line.\n\nSecond \"quoted\" line.")
    keys[multiline.id] = "line"
    for metas in ([], HOSTILE[:1], [*HOSTILE, multiline]):
        whole = [csl_item(meta, keys[meta.id]) for meta in metas]
        assert "".join(csl_json(csl_entry(meta, keys[meta.id]) for meta in metas)) == json.dumps(whole, ensure_ascii=False, indent=1) + "\n"
        assert "".join(bibliography(bibtex_entry(meta, keys[meta.id]) for meta in metas)) == "\n".join(bibtex_entry(meta, keys[meta.id]) for meta in metas)


class _Keyed:
    """The little of a PaperGraph that citations read: its keys, counted as they are made."""

    def __init__(self, keys: dict[str, str]) -> None:
        self.keys, self.made = keys, 0

    @property
    def cite_keys(self) -> dict[str, str]:
        self.made += 1
        return self.keys


def test_each_entry_is_made_once_for_every_export_that_holds_its_paper():
    keys = cite_keys(HOSTILE)
    papers = _Keyed(keys)
    citations = Citations(papers)  # type: ignore[arg-type]
    assert not list(citation_files("/papers", tuple(HOSTILE), citations, lambda url: False))
    assert papers.made == 0  # nothing planned, no keys made (a rebuild after a text edit plans none)
    files = [*citation_files("/papers", tuple(HOSTILE), citations, everything),
             *citation_files("/tags/a/papers", tuple(HOSTILE[:1]), citations, everything)]
    texts = {file.url: file.text for file in files}
    assert texts["/papers.bib"] == "\n".join(bibtex_entry(meta, keys[meta.id]) for meta in HOSTILE)
    assert texts["/tags/a/papers.csl.json"] == json.dumps([csl_item(HOSTILE[0], keys[HOSTILE[0].id])], ensure_ascii=False, indent=1) + "\n"
    assert len(citations.made) == 2 * len(HOSTILE)  # the tag's files reused the library's entries
    assert citations.bibtex(HOSTILE[0]) is citations.bibtex(HOSTILE[0])
    assert papers.made == 1  # the keys taken once, then the graph let go


def test_co_mentions_stay_within_a_window_of_a_long_list():
    class P:  # the little of a Paper that co-mentions read
        def __init__(self, i: int) -> None:
            self.id, self.title = f"p{i}", f"Paper {i:03d}"

    papers = {f"p{i}": P(i) for i in range(100)}
    found = co_mentions({"list": tuple(papers.values()), "short": (papers["p0"], papers["p99"])}, papers, window=10, limit=100)
    assert {p.id for p, _ in found["p0"]} == {f"p{i}" for i in range(1, 11)} | {"p99"}
    assert {p.id for p, _ in found["p50"]} == {f"p{i}" for i in range(40, 61)} - {"p50"}
    assert sum(len(v) for v in found.values()) <= 100 * 21


def test_coins_carries_the_citation():
    from urllib.parse import parse_qs

    from papernotes.papers.csljson import coins

    fields = parse_qs(coins(VASWANI))
    assert fields["ctx_ver"] == ["Z39.88-2004"] and fields["rft.atitle"] == ["Attention Is All You Need"]
    assert fields["rft.au"] == ["Ashish Vaswani", "Noam Shazeer"] and "info:arxiv/1706.03762" in fields["rft_id"]


def test_a_zotero_library_is_the_registry_and_literature_notes_declare_their_paper(build_site):
    bib = "@article{Sher2019Review, title = {Review of Algorithms for Compressive Sensing}, author = {Sher, Yoni}, " \
          "year = {2019}, url = {http://arxiv.org/abs/1908.01642}, file = {C\\:\\\\Users\\\\x.pdf}, keywords = {a, b}}\n"
    csl = json.dumps([{"id": "Ali2016Optical", "citation-key": "Ali2016Optical", "type": "article-journal",
                       "title": "Optical Coherence Tomography Compared", "DOI": "10.1016/S0140-6736(16)31922-5",
                       "author": [{"family": "Ali", "given": "Ziad A."}], "issued": {"date-parts": [[2016, 10]]},
                       "container-title": "The Lancet"}])
    result = build_site({"content/My Library.bib": bib, "content/My Library.json": csl,
                         "content/References/@Sher2019Review.md": "# Review\n\nLink: [pdf](zotero://select/items/@Sher2019Review)\n",
                         "content/oct.md": "# OCT\n\nAs in [@Ali2016Optical].\n"})
    assert not [d for d in result.diagnostics if d.severity == "error"]
    literature = next(n for n in result.notes if n.source.rel.endswith("@Sher2019Review.md"))
    assert literature.papers[0].id == "arxiv:1908.01642" and literature.papers[0].declared
    page = (result.out_dir / "papers/arxiv-1908.01642/index.html").read_text()
    assert "Review of Algorithms for Compressive Sensing" in page and 'class="Z3988"' in page
    lancet = (result.out_dir / "papers/doi-10.1016-s0140-6736-16-31922-5/index.html").read_text()
    assert "Optical Coherence Tomography Compared" in lancet and "Ali2016Optical" in lancet


def test_a_bibtex_abstract_is_decoded_for_the_papers_shown_and_left_as_written_for_the_rest(build_site):
    entry = "@article{{{key}, title = {{{title}}}, year = {{2020}}, doi = {{10.1234/{key}}},\n" \
            "  abstract = {{A gain of 50\\% at {{$\\pm$}}2 \\textmu{{}}m, as G{{\\'e}}n{{\\'e}}reux found.}}}}\n"
    bib = entry.format(key="shown", title="Shown Paper") + entry.format(key="unread", title="Unread Paper")
    result = build_site({"content/My Library.bib": bib, "content/note.md": "# Note\n\nOn doi:10.1234/shown.\n"})
    unread = load_registry(result.out_dir.parent / "content").papers["doi:10.1234/unread"]
    assert unread.abstract is None and unread.abstract_tex is not None and "\\%" in unread.abstract_tex
    decoded = "A gain of 50% at ±2 \u00b5m, as Généreux found."
    assert unread.shown().abstract == decoded and unread.shown().abstract_tex is None
    page = (result.out_dir / "papers/doi-10.1234-shown/index.html").read_text()
    assert decoded in page and "\\textmu" not in page
    assert not (result.out_dir / "papers/doi-10.1234-unread").exists()


def test_a_source_read_first_keeps_its_abstract_whether_decoded_yet_or_not():
    tex = PaperMeta("doi:1", abstract_tex="50\\%")
    plain = PaperMeta("doi:1", abstract="Plain.")
    assert tex.merged(plain).shown().abstract == "50%"
    assert plain.merged(tex).shown().abstract == "Plain."
    assert PaperMeta("doi:1").merged(tex).shown().abstract == "50%"


def test_latex_nested_past_the_recursion_limit_is_kept_as_written_not_a_traceback(build_site):
    deep = "{" * 5000 + "x" + "}" * 5000
    bib = f"@article{{k1, title={{Deep \\emph{deep}}}, doi={{10.1234/deep}}, abstract={{\\textbf{deep}}}}}\n"
    result = build_site({"content/My Library.bib": bib, "content/note.md": "# Note\n\nOn doi:10.1234/deep.\n"})
    assert not [d for d in result.diagnostics if d.severity == "error"]
    page = (result.out_dir / "papers/doi-10.1234-deep/index.html").read_text()
    assert "Deep" in page and "x</" in page
