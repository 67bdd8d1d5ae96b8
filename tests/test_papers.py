"""Paper identification (every form and the look-alikes), registry, citations and the paper graph."""

from __future__ import annotations

import json
import os
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from papernotes.papers.mentions import papers_in_html
from papernotes.papers.identifiers import arxiv_year, find_mentions, identify, normalise_title, paper_slug

IDENTIFIERS = [
    ("https://arxiv.org/abs/2305.10601", "arxiv:2305.10601"),
    ("https://arxiv.org/abs/2305.10601v2", "arxiv:2305.10601"),
    ("https://arxiv.org/pdf/2305.10601.pdf", "arxiv:2305.10601"),
    ("https://arxiv.org/pdf/2305.10601v3.pdf", "arxiv:2305.10601"),
    ("https://arxiv.org/pdf/2305.10601", "arxiv:2305.10601"),
    ("https://arxiv.org/html/2305.10601v1", "arxiv:2305.10601"),
    ("https://arxiv.org/abs/2305.10601/", "arxiv:2305.10601"),
    ("http://export.arxiv.org/abs/2305.10601", "arxiv:2305.10601"),
    ("https://www.arxiv.org/abs/2305.10601", "arxiv:2305.10601"),
    ("https://browse.arxiv.org/pdf/2304.08485.pdf", "arxiv:2304.08485"),
    ("arXiv:2305.10601", "arxiv:2305.10601"),
    ("arxiv: 2305.10601v1", "arxiv:2305.10601"),
    ("[2305.10601] Tree of Thoughts", "arxiv:2305.10601"),
    ("https://arxiv.org/abs/1412.6980", "arxiv:1412.6980"),
    ("https://arxiv.org/abs/hep-th/9901001", "arxiv:hep-th/9901001"),
    ("arXiv:cs.CL/0112017", "arxiv:cs/0112017"),
    ("https://arxiv.org/abs/math/0211159v2", "arxiv:math/0211159"),
    ("https://www.alphaxiv.org/abs/2305.10601", "arxiv:2305.10601"),
    ("https://www.alphaxiv.org/overview/2305.10601v2", "arxiv:2305.10601"),
    ("https://ar5iv.org/abs/2305.10601", "arxiv:2305.10601"),
    ("https://ar5iv.labs.arxiv.org/html/2305.10601", "arxiv:2305.10601"),
    ("https://huggingface.co/papers/2305.10601", "arxiv:2305.10601"),
    ("https://doi.org/10.48550/arXiv.2305.10601", "arxiv:2305.10601"),
    ("https://doi.org/10.1145/3292500.3330701", "doi:10.1145/3292500.3330701"),
    ("doi:10.1038/nature14539.", "doi:10.1038/nature14539"),
    ("https://dx.doi.org/10.18653/v1/N19-1423", "doi:10.18653/v1/n19-1423"),
    ("https://openreview.net/forum?id=YicbFdNTTy", "openreview:YicbFdNTTy"),
    ("https://openreview.net/pdf?id=YicbFdNTTy", "openreview:YicbFdNTTy"),
    ("https://openreview.net/forum?id=YicbFdNTTy&noteId=abc123", "openreview:YicbFdNTTy"),
    ("https://aclanthology.org/2023.acl-long.1/", "acl:2023.acl-long.1"),
    ("https://aclanthology.org/P19-1001.pdf", "acl:P19-1001"),
    ("https://www.semanticscholar.org/paper/Attention-is-All-you-Need-Vaswani/204e3073870fae3d05bcbc2f6a8e263d9b72e776",
     "s2:204e3073870fae3d05bcbc2f6a8e263d9b72e776"),
    ("see 2305.10601 for details", "arxiv:2305.10601"),
    # arXiv's ftp paths, historic and mirror hosts, bare old-style ids, arXiv DOIs in citation keys
    ("https://arxiv.org/ftp/arxiv/papers/2305/2305.10601.pdf", "arxiv:2305.10601"),
    ("https://arxiv.org/ftp/hep-th/papers/9901/9901001.pdf", "arxiv:hep-th/9901001"),
    ("http://xxx.lanl.gov/abs/hep-th/9901001v2", "arxiv:hep-th/9901001"),
    ("http://front.math.ucdavis.edu/0704.0001", "arxiv:0704.0001"),
    ("http://front.math.ucdavis.edu/math.AG/0601001", "arxiv:math/0601001"),
    ("as in cs.CL/0112017, parsing", "arxiv:cs/0112017"),
    ("@misc{https://doi.org/10.48550/arxiv.2305.10601,", "arxiv:2305.10601"),
    ("[@10.48550_arXiv.2305.10601]", "arxiv:2305.10601"),
    # DOIs in publisher URLs, normalised
    ("https://dl.acm.org/doi/abs/10.1145/3292500.3330701", "doi:10.1145/3292500.3330701"),
    ("https://dl.acm.org/doi/pdf/10.1145/3292500.3330701", "doi:10.1145/3292500.3330701"),
    ("https://link.springer.com/article/10.1007/s11263-015-0816-y", "doi:10.1007/s11263-015-0816-y"),
    ("https://link.springer.com/10.1007/978-3-319-06419-2", "doi:10.1007/978-3-319-06419-2"),
    ("https://onlinelibrary.wiley.com/doi/abs/10.1002/lsm.21162", "doi:10.1002/lsm.21162"),
    ("https://onlinelibrary.wiley.com/doi/10.1002/lsm.21162/full", "doi:10.1002/lsm.21162"),
    ("https://www.biorxiv.org/content/10.1101/2020.01.01.123456v2.full.pdf", "doi:10.1101/2020.01.01.123456"),
    ("https://www.nature.com/articles/nature14236", "doi:10.1038/nature14236"),
    ("https://www.nature.com/articles/s41598-022-11401-7", "doi:10.1038/s41598-022-11401-7"),
    ("https://www.nature.com/articles/nature19809", "doi:10.1038/nature19809"),
    ("(: harxiv.org/abs/2304.08460 - a paste that lost its scheme", "arxiv:2304.08460"),
    ("doi:10.1000/A\\_B).", "doi:10.1000/a_b"),
    ("https://doi.org/10.1000%2Fxyz?via=home", "doi:10.1000/xyz"),
    # the ACL Anthology's old URL forms
    ("https://aclweb.org/anthology/papers/C/C04/C04-1041/", "acl:C04-1041"),
    ("https://www.aclweb.org/anthology/P19-1001.pdf", "acl:P19-1001"),
    ("http://anthology.aclweb.org/W/W14/W14-4012.pdf", "acl:W14-4012"),
]


@pytest.mark.parametrize("text, paper", IDENTIFIERS)
def test_identifier_forms(text, paper):
    assert [m.id for m in find_mentions(text)] == [paper]


@pytest.mark.parametrize("text", [
    "The model uses 1.58 bits per weight.", "pi is 3.14159 roughly", "version 2.10.1 and v1.2305.1",
    "server at 192.168.10.100 and 10.0.0.1", "released 2023.10.01", "on 2024-05-17", "costs 1234.5678 dollars",
    "a 4096.12345 token context", "month 13: 2313.12345", "python3.11", "see figure 2.1", "arXiv is great",
    "https://github.com/org/repo/releases/tag/2305.10601x", "doi is not 10.1234 alone",
    # hosts count only at a host boundary; new-style ids are checked against their era
    "https://eartharxiv.org/abs/2101.00001", "https://notarxiv.org/abs/2305.10601", "https://arxiv.org/abs/2101.0001",
    "https://arxiv.org/abs/1412.69801", "https://arxiv.org/abs/0612.1234", "arXiv:0703.0001", "and/or/1234567",
    "https://arxiv.org/abs/hep-th/0813001", "https://www.nature.com/articles/lsa2017179",
])
def test_look_alikes_are_not_papers(text):
    assert find_mentions(text) == []


def test_numbers_in_code_are_not_papers():
    html = "<p>prose</p><pre><code>arXiv:2305.10601 https://arxiv.org/abs/2401.00001</code></pre><p><code>2305.10601</code></p>"
    assert papers_in_html(html) == ()


def test_bracket_form_gives_a_title_and_heading_above_a_link_gives_one_too():
    refs = papers_in_html('<p>[2304.14318] q2d: Turning Questions into Dialogs - nice</p>'
                          '<h2 id="lima">LIMA: Less Is More</h2><p><a href="https://arxiv.org/abs/2305.11206">pdf</a></p>'
                          '<h2 id="x">Results</h2><p>Later: arXiv:2305.11206</p>')
    assert [(r.id, r.anchor, r.title) for r in refs] == [
        ("arxiv:2304.14318", "", "q2d: Turning Questions into Dialogs"),
        ("arxiv:2305.11206", "lima", "LIMA: Less Is More"),
        ("arxiv:2305.11206", "x", None),
    ]


@pytest.mark.parametrize("value, paper", [
    ("2305.10601", "arxiv:2305.10601"), ("2305.10601v2", "arxiv:2305.10601"), ("hep-th/9901001", "arxiv:hep-th/9901001"),
    ("10.1145/3292500.3330701", "doi:10.1145/3292500.3330701"), ("openreview:abc123xyz", "openreview:abc123xyz"),
    ("not a paper", None),
])
def test_identify_front_matter_values(value, paper):
    assert identify(value) == paper


def test_years_from_arxiv_ids():
    assert [arxiv_year(i) for i in ("arxiv:2305.10601", "arxiv:0704.0001", "arxiv:hep-th/9901001", "doi:10.1/x")] == [
        2023, 2007, 1999, None]


def test_titles_and_slugs():
    assert normalise_title("  Tree of Thoughts: Deliberate   Problem-Solving ") == "tree of thoughts deliberate problem solving"
    assert normalise_title("Café") == normalise_title("Cafe")
    assert paper_slug("arxiv:2305.10601") == "arxiv-2305.10601"
    assert paper_slug("doi:10.1145/3292500.3330701") == "doi-10.1145-3292500.3330701"
    assert paper_slug("arxiv:hep-th/9901001") == "arxiv-hep-th-9901001"


BIB = """@inproceedings{yao2023tot,
  title = {Tree of {Thoughts}: Deliberate Problem Solving with Large Language Models},
  author = {Yao, Shunyu and Yu, Dian and Zhao, Jeffrey},
  booktitle = {NeurIPS}, year = {2023}, eprint = {2305.10601}, archivePrefix = {arXiv},
  abstract = {We introduce a framework.}
}
@article{lecun2015, title = {Deep learning}, author = {LeCun, Yann and Bengio, Yoshua and Hinton, Geoffrey},
  journal = {Nature}, year = {2015}, doi = {10.1038/nature14539}}
@book{onlytitle, title = {A Paper Known Only By Title}, author = {M{\\"u}ller, Anna}, year = 2001}
@misc{broken, title = {never closed
"""


def test_registry_citations_declared_papers_and_pages(build_site):
    result = build_site({
        "content/papers.bib": BIB,
        "content/papers.yaml": "openreview:YicbFdNTTy:\n  title: A YAML Paper\n  authors: [Ada Lovelace]\n  year: 2024\n",
        "content/tot.md": "---\ntitle: ToT notes\npaper: yao2023tot\n---\n\n## Search\n\nAs in [@yao2023tot, p. 3; @lecun2015] "
                          "and [@nosuchkey].\n\n## Other\n\nSee https://openreview.net/forum?id=YicbFdNTTy and [@onlytitle].\n",
        "content/feed.xml": '<?xml version="1.0"?><rss version="2.0"><channel><title>b</title><item><title>Deep Learning</title>'
                            "<link>https://b.example/deep</link><description>A review.</description></item></channel></rss>",
    })
    errors = [str(d) for d in result.diagnostics if d.severity == "error"]
    assert len(errors) == 1 and "papers.bib:10:1: error: invalid BibTeX entry" in errors[0]
    warnings = [d for d in result.diagnostics if d.severity == "warning"]
    assert [(w.line, w.col, w.message) for w in warnings] == [(8, 43, "unknown citation key @nosuchkey")]
    tot = next(n for n in result.notes if n.title == "ToT notes")
    assert [(r.id, r.anchor, r.declared) for r in tot.papers] == [
        ("arxiv:2305.10601", "", True), ("arxiv:2305.10601", "search", False), ("doi:10.1038/nature14539", "search", False),
        ("openreview:YicbFdNTTy", "other", False), ("title:a paper known only by title", "other", False)]
    assert '<a class="citation" href="/papers/arxiv-2305.10601/" data-paper="arxiv:2305.10601">Yao et al., 2023, p. 3</a>' in tot.body.html
    feed_note = next(n for n in result.notes if n.title == "Deep Learning")
    assert feed_note.papers[0].id == "doi:10.1038/nature14539", "a feed item titled like a known paper is about it"

    page = (result.out_dir / "papers/arxiv-2305.10601/index.html").read_text()
    assert '<meta name="citation_title" content="Tree of Thoughts: Deliberate Problem Solving with Large Language Models">' in page
    assert page.count('<meta name="citation_author"') == 3 and '<meta name="citation_arxiv_id" content="2305.10601">' in page
    assert '<meta name="citation_pdf_url" content="https://arxiv.org/pdf/2305.10601">' in page
    assert 'href="/notes/tot/">ToT notes</a>' in page and 'href="/notes/tot/#search">§</a>' in page
    assert page.count('class="discussion-title"') == 1, "a note is listed once, with each of its excerpts"
    assert "We introduce a framework." in page
    assert "@inproceedings{yao2023tot," in page and "eprint = {2305.10601}" in page
    assert 'href="/papers/doi-10.1038-nature14539/">Deep learning</a>' in page, "co-mentioned paper"
    yaml_page = (result.out_dir / "papers/openreview-yicbfdntty/index.html").read_text()
    assert "A YAML Paper" in yaml_page and "Ada Lovelace" in yaml_page
    assert "Anna Müller" in (result.out_dir / "papers/title-a-paper-known-only-by-title/index.html").read_text()
    bib = (result.out_dir / "papers.bib").read_text()
    assert bib.count("\n@") + bib.startswith("@") == 4
    index = (result.out_dir / "papers/index.html").read_text()
    assert index.count('<tr data-title=') == 4
    note_page = (result.out_dir / "notes/tot/index.html").read_text()
    assert 'id="papers-title"' in note_page and 'href="/papers/arxiv-2305.10601/"' in note_page


def test_a_note_pointing_to_its_paper_titles_it_and_one_saying_this_paper_does_not(build_site):
    result = build_site({
        "content/react.md": "---\ntitle: 'ReAct: Synergizing Reasoning and Acting'\n---\n\n[Paper](https://arxiv.org/abs/2210.03629) · [Code](https://github.com/x/y)\n\n"
                            "It interleaves reasoning and acting.\n",
        "content/robot.md": "---\ntitle: Legged Robot\n---\n\nThe robot learned to trot in simulation and on hardware; "
                            "you can find more in this [paper](https://arxiv.org/abs/1810.03842).\n",
    })
    def title(slug: str) -> str:
        return re.search(r"<h1[^>]*>(.*?)</h1>", (result.out_dir / "papers" / slug / "index.html").read_text(), re.S)[1].strip()

    assert title("arxiv-2210.03629") == "ReAct: Synergizing Reasoning and Acting", "a line of links points to the paper the note is about"
    assert title("arxiv-1810.03842") == "arxiv:1810.03842", "a sentence citing a paper is not about it"


def test_graph_json_follows_the_schema_and_backlinks_are_symmetric(build_site):
    result = build_site({
        "content/a.md": "---\ntags: [x]\n---\n# A\n\n## Part\n\n[[B]] and arXiv:2305.10601\n",
        "content/b.md": "---\ntags: [x, y]\n---\n# B\n\n[[A]] and https://arxiv.org/abs/2305.10601v2\n",
        "content/c.md": "# C\n\n[[A]]\n",
    })
    graph = json.loads((result.out_dir / "graph.json").read_text())
    assert graph["version"] == 1
    kinds = {"note": {"id", "type", "title", "url", "tags"}, "paper": {"id", "type", "title", "url"}, "tag": {"id", "type", "title", "url"}}
    for node in graph["nodes"]:
        assert kinds[node["type"]] <= set(node) and node["id"].startswith(node["type"] + ":")
    ids = {n["id"] for n in graph["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in graph["edges"])
    links = {(e["source"], e["target"]) for e in graph["edges"] if e["type"] == "links"}
    assert links == {("note:a", "note:b"), ("note:b", "note:a"), ("note:c", "note:a")}
    discusses = {(e["source"], e["anchor"]) for e in graph["edges"] if e["type"] == "discusses"}
    assert discusses == {("note:a", "part"), ("note:b", "")}
    assert {(e["source"], e["target"]) for e in graph["edges"] if e["type"] == "tagged"} == {
        ("note:a", "tag:x"), ("note:b", "tag:x"), ("note:b", "tag:y")}
    for source, target in links:  # every link shows up as a backlink on the target's page
        page = (result.out_dir / f"notes/{target[5:]}/index.html").read_text().split('id="backlinks-title"')[1]
        assert f'href="/notes/{source[5:]}/"' in page
    related = (result.out_dir / "notes/a/index.html").read_text().split('id="related-title"')[1]
    assert 'href="/notes/b/"' in related


def test_publisher_doi_of_an_arxiv_paper_is_one_paper(build_site):
    result = build_site({
        "content/papers.bib": "@inproceedings{x, title={Attention Is All You Need}, eprint={1706.03762}, "
                              "archivePrefix={arXiv}, doi={10.5555/3295222.3295349}}\n",
        "content/a.md": "See https://doi.org/10.5555/3295222.3295349 and arXiv:1706.03762.\n",
    })
    assert {ref.id for ref in result.notes[0].papers} == {"arxiv:1706.03762"}
    assert not (result.out_dir / "papers/doi-10.5555-3295222.3295349").exists()


def test_reading_date_is_apart_from_publication_year(build_site):
    result = build_site({
        "content/a.md": "---\ntitle: A\ndate: 2024-03-09\nread: 2023-11-02\n---\n\nSee arXiv:1706.03762.\n",
        "content/b.md": "---\ntitle: B\ndate: 2024-05-01\n---\n\nSee arXiv:1706.03762 and arXiv:2305.10601.\n",
    })
    page = (result.out_dir / "papers/arxiv-1706.03762/index.html").read_text()
    assert "<span>2017</span>" in page and 'read <time datetime="2023-11-02">2 November 2023</time>' in page
    read = (result.out_dir / "papers/read/index.html").read_text()
    assert read.index("Read in 2024") < read.index("arxiv-2305.10601") and read.index("Read in 2023") < read.index("arxiv-1706.03762")
    published = (result.out_dir / "papers/published/index.html").read_text()
    assert published.index('id="2023"') < published.index('id="2017"')


def test_a_registry_file_is_read_again_only_when_it_changes(tmp_path, monkeypatch):
    from papernotes.papers import registry as module

    (tmp_path / "papers.bib").write_text("@misc{a, title={First}, eprint={2305.10601}, archivePrefix={arXiv}}\n")
    reads: list[str] = []
    original = module._read_bib
    monkeypatch.setattr(module, "_read_bib", lambda path: reads.append(path.name) or original(path))
    remembered: module.RegistryFiles = {}
    first = module.load_registry(tmp_path, remembered=remembered)
    again = module.load_registry(tmp_path, remembered=remembered)
    assert reads == ["papers.bib"] and first.papers == again.papers
    (tmp_path / "papers.bib").write_text("@misc{a, title={Second title}, eprint={2305.10601}, archivePrefix={arXiv}}\n")
    assert module.load_registry(tmp_path, remembered=remembered).papers["arxiv:2305.10601"].title == "Second title"
    assert reads == ["papers.bib", "papers.bib"]


@pytest.mark.parametrize("annotation, hidden", [
    ('<annotation encoding="application/x-tex"> arXiv:2305.10601</annotation>', True),
    ("<ANNOTATION-XML> arXiv:2305.10601</Annotation>", True),
    ("<annotation/> arXiv:2305.10601</annotation>", False),  # self-closing: hides nothing
    ("<annotation / > arXiv:2305.10601</annotation>", False),
    ("<annotationx> arXiv:2305.10601</annotationx>", False),  # another tag
    ("<annotation>a <b> arXiv:2305.10601</b></annotation>", True),  # tags inside: read tag by tag
])
def test_a_formulas_tex_annotation_is_not_read(annotation, hidden):
    body = f"<p>See <math><semantics><mrow><mi>x</mi></mrow>{annotation}</semantics></math> here.</p>"
    refs = papers_in_html(body)
    assert (refs == ()) is hidden
    assert not refs or "arXiv:2305.10601" in refs[0].excerpt


def test_reference_libraries_are_listed_again_only_when_the_folder_changes(tmp_path):
    from papernotes.papers.registry import library_files
    from papernotes.walks import WalkMemo

    (tmp_path / "a.md").write_text("# A\n")
    (tmp_path / "My Library.bib").write_text("")
    long_ago = 1_000_000_000
    os.utime(tmp_path, (long_ago, long_ago))
    memo = WalkMemo()
    assert library_files(tmp_path, memo) == ([tmp_path / "My Library.bib"], [])
    (tmp_path / "a.md").write_text("# A, edited\n")  # in place: the folder keeps its time
    os.utime(tmp_path, (long_ago, long_ago))
    assert library_files(tmp_path, memo)[0] == [tmp_path / "My Library.bib"]
    (tmp_path / "Other.bib").write_text("")
    assert library_files(tmp_path, memo)[0] == [tmp_path / "My Library.bib", tmp_path / "Other.bib"]


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(alphabet="0123456789./-aZz Kk\u212a\u017f\n", max_size=40),
                 st.lists(st.sampled_from(["2305", ".", "10601", "123", "4567", "/", "10", "a", "Z", "\u212a", "\u017f",
                                           "1234567", " ", "-", "x.", "/1"]), max_size=12).map("".join)))
def test_a_number_found_at_its_hint_is_one_a_search_of_the_whole_text_finds(text: str) -> None:
    """``_maybe_paper`` tries each identifier-shaped number only where its hint is; it must answer
    as a search of the whole text for the number does (no words given, so only numbers count)."""
    from papernotes.papers import identifiers

    anywhere = any(number.search(text) for _, number, _ in identifiers._MAYBE_NUMBERS)
    assert identifiers._maybe_paper(text, "") == bool(anywhere)


_MENTIONS = st.lists(st.lists(st.tuples(st.sampled_from(["arxiv:2001.00001", "arxiv:2001.00002", "doi:10.1/x"]),
                                        st.sampled_from(["", "idea", "results"]), st.sampled_from(["", "one", "two"])),
                              max_size=4), min_size=1, max_size=6)


@settings(max_examples=60)
@given(mentions=_MENTIONS)
def test_a_paper_saved_without_its_discussions_makes_the_same_ones_again(mentions):
    """A paper's state leaves its discussions out (and their grouping by note, once a page asked
    for it); restored, it makes them again from its notes:
    the same notes (the restored objects), anchors and excerpts, in the same order, as the graph
    built them (a note mentioning the paper twice, or mentioning others between, included)."""
    import datetime as dt

    from papernotes.bodystore import packed, unpacked
    from papernotes.model import Note, NoteDate, PaperRef, RenderedBody, SourceSpan
    from papernotes.papers.papergraph import build_paper_graph
    from papernotes.papers.registry import Registry

    notes = tuple(Note(f"n{i}", f"Note {i}", f"/notes/n{i}/", NoteDate(dt.datetime(2024, 1, i + 1)), RenderedBody("<p>x</p>"),
                       SourceSpan(f"n{i}.md", rel=f"n{i}.md"),
                       papers=tuple(PaperRef(pid, anchor, excerpt) for pid, anchor, excerpt in refs))
                  for i, refs in enumerate(mentions))
    graph = build_paper_graph(notes, Registry(), {})
    for paper in graph.papers:  # as a paper page asks, in the process that saves the state
        paper.by_note, paper.digests_of(["n0"])
    restored_notes, restored = unpacked(packed((notes, graph.papers)))
    assert not {"discussions", "by_note", "_note_at"} & set(restored[0].__dict__) if restored else True
    by_id = {note.id: note for note in restored_notes}
    for before, after in zip(graph.papers, restored, strict=True):
        assert [(d.note.id, d.anchor, d.excerpt) for d in after.discussions] == \
               [(d.note.id, d.anchor, d.excerpt) for d in before.discussions]
        assert all(d.note is by_id[d.note.id] for d in after.discussions)
        assert after.digest == before.digest and after.notes == before.notes


@settings(max_examples=40, deadline=None)
@given(notes=st.lists(st.tuples(st.lists(st.sampled_from(["ml", "cv", "rl", "nlp"]), max_size=3, unique=True),
                                st.lists(st.sampled_from(["arxiv:2001.00001", "arxiv:2001.00002", "arxiv:2001.00003"]),
                                         max_size=2, unique=True)), min_size=1, max_size=12),
       picked=st.sets(st.integers(0, 11), max_size=5))
def test_related_notes_found_from_where_the_notes_are_are_those_found_by_walking_every_note(notes, picked):
    """The related notes of a few notes, their papers' and tags' notes taken from the graph's
    positions and tag groups (``Placed``), are those found by looking at every note."""
    import datetime as dt

    from papernotes.config import Config
    from papernotes.graph import build_graph
    from papernotes.model import Note, NoteDate, PaperRef, RenderedBody, SourceSpan
    from papernotes.papers.papergraph import Placed, related_notes

    made = tuple(Note(f"n{i}", f"Note {i}", f"/notes/n{i}/", NoteDate(dt.datetime(2024, 1, 1 + i % 3)), RenderedBody("<p>x</p>"),
                      SourceSpan(f"n{i}.md", rel=f"n{i}.md"), tags=tuple(tags),
                      papers=tuple(PaperRef(pid, "", "") for pid in papers))
                 for i, (tags, papers) in enumerate(notes))
    graph = build_graph(made, Config())
    only = {f"n{i}" for i in picked if i < len(made)}
    placed = Placed(graph.positions, {group.tag.slug: group.notes for group in graph.tags})
    walked = related_notes(graph.notes, graph.papers.papers_of, graph.tags_of, only=only)
    assert related_notes(graph.notes, graph.papers.papers_of, graph.tags_of, only=only, placed=placed) == walked
