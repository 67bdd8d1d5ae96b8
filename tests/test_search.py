"""The search index: what is indexed, in how many bundles, and when a build keeps the last one."""

from __future__ import annotations

import gzip
import json
import marshal
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from papernotes import uptodate
from papernotes.build import BuildOptions, SiteLayout, build
from papernotes.engine import Engine
from papernotes.emit import pagefindindex, search
from papernotes.emit.pagefindindex import Document, write_bundle
from papernotes.serve.preview import MemorySink

from .conftest import until, write_files

NOTES = {
    "content/attention.md": "---\ntitle: Attention notes\ntags: [transformers]\npaper: arXiv:1706.03762\n---\n\n"
                            "## Scaled dot product\n\nThe softmax of $QK^T$ over keys.\n\n"
                            "```python\nscores = q @ k.T\n```\n",
    "content/adam.md": "---\ntitle: Adam\n---\n\nMomentum and **adaptive** steps.\n",
    "content/papers.bib": "@article{vaswani2017,\n  title = {Attention Is All You Need},\n  author = {Vaswani, Ashish},\n"
                          "  year = {2017},\n  eprint = {1706.03762},\n  archivePrefix = {arXiv}\n}\n",
}


def test_searchable_html_keeps_headings_and_words_and_drops_markup_and_tex():
    html = ('<h2 id="intro">Intro <em>here</em></h2><p>Flash<strong>Attention</strong> is <a href="/x">fast</a>.</p>'
            '<!-- hidden --><pre><code><span class="n">q</span><span class="o">@</span>k</code></pre><ul><li>one</li><li>two</li></ul>'
            '<math><semantics><mi>x</mi><annotation encoding="application/x-tex">\\frac{a}{b}</annotation></semantics></math>')
    text = search.searchable_html(html)
    assert '<h2 id="intro">Intro here</h2>' in text
    assert "FlashAttention is fast." in text and "q@k" in text
    assert "one" in text and "two" in text and "onetwo" not in text
    assert "hidden" not in text and "frac" not in text and "<span" not in text and "<a " not in text


def test_a_formula_is_searched_by_the_words_its_tex_spells():
    softmax = ('<p>By <math><semantics><mrow>' + "".join(f"<mi>{c}</mi>" for c in "softmax") + '<mo>&#x00028;</mo>'
               '<msub><mi>x</mi><mi>t</mi></msub></mrow><annotation encoding="application/x-tex">'
               '\\mathrm{softmax}(x_t) + \\text{loss}_{KL} &lt; \\alpha</annotation></semantics></math> alone.</p>')
    assert search.searchable_html(softmax).split() == ["By", "softmax", "loss", "KL", "alone."]
    bare = "<p><math><mi>x</mi><mo>+</mo><mi>y</mi></math></p>"  # no TeX: its MathML text
    assert search.searchable_html(bare).split() == ["x", "+", "y"]


_TAGS = ["span", "a", "em", "code", "sub", "p", "div", "li", "h2", "h6", "math", "mi", "annotation", "script", "svg"]


@given(st.lists(st.tuples(st.sampled_from(_TAGS), st.text(alphabet="abc xyz", max_size=8), st.booleans()), max_size=12),
       st.randoms(use_true_random=False))
def test_a_tag_written_in_capitals_goes_as_its_lowercase_form_does(elements, random):
    """Raw HTML in a Markdown note may write ``<SPAN>`` or ``<Em>``: its tags are found whatever
    their case (the quicker lowercase patterns run only on HTML that holds no capital in a tag)."""
    html = "".join(f'<{tag} class="k">{text}</{tag}>' if whole else f"<{tag}>{text}" for tag, text, whole in elements)
    capitalised = re.sub(r"(</?)([a-z0-9]+)", lambda tag: tag[1] + "".join(
        c.upper() if random.random() < 0.5 else c for c in tag[2]), html)
    assert search.searchable_html(capitalised).lower() == search.searchable_html(html).lower()


@given(st.text(alphabet=st.characters(blacklist_characters="<&", blacklist_categories=("Cs",))))
def test_searchable_html_leaves_text_alone(text):
    assert search.searchable_html(text) == text


@given(st.lists(st.text(min_size=1), unique=True), st.integers(min_value=1, max_value=20))
def test_a_documents_bundle_is_fixed_by_its_url_alone(urls, count):
    buckets = [search.bucket_of(url, count) for url in urls]
    assert all(0 <= bucket < count for bucket in buckets)
    assert buckets == [search.bucket_of(url, count) for url in reversed(urls)][::-1]  # whatever comes before


def graph_of(root: Path):
    return Engine(SiteLayout.find(root), BuildOptions(search=False, cache=False, workers=1)).produce(MemorySink()).graph


def test_documents_are_notes_and_papers_with_what_readers_search(tmp_path):
    docs = {doc.url: doc.html for doc in search.documents(graph_of(write_files(tmp_path, NOTES)), "en")}
    assert set(docs) == {"/notes/attention/", "/notes/adam/", "/papers/arxiv-1706.03762/"}
    note = docs["/notes/attention/"]
    assert 'data-pagefind-meta="title">Attention notes</h1>' in note and "#transformers" in note
    assert '<h2 id="scaled-dot-product">' in note and "Attention Is All You Need" in note and "QK^T" not in note
    paper = docs["/papers/arxiv-1706.03762/"]
    assert "Attention Is All You Need" in paper and "Ashish Vaswani" in paper and "2017" in paper
    assert "over keys" in paper and "<html lang=\"en\">" in paper  # the sentence that mentions it


def test_the_digest_follows_indexed_text_only(tmp_path):
    root = write_files(tmp_path, NOTES)
    first = search.digest(graph_of(root), "en")
    assert search.digest(graph_of(root), "en") == first
    assert search.digest(graph_of(root), "fr") != first
    write_files(root, {"content/adam.md": NOTES["content/adam.md"].replace("title: Adam", "title: Adam\ndate: 2020-01-02\n"
                                                                            "summary: Not searched.\nauthor: Someone")})
    assert search.digest(graph_of(root), "en") == first, "a date, summary or author is not in any document"
    write_files(root, {"content/attention.md": NOTES["content/attention.md"].replace("title:", "date: 2024-01-01\ntitle:")})
    assert search.digest(graph_of(root), "en") == first, "a date that moves a note before another changes no document"
    write_files(root, {"content/adam.md": NOTES["content/adam.md"].replace("title: Adam", "title: Adam, again")})
    assert search.digest(graph_of(root), "en") != first
    write_files(root, {"content/adam.md": NOTES["content/adam.md"].replace("Momentum", "Inertia")})
    assert search.digest(graph_of(root), "en") != first


@pytest.fixture
def site(tmp_path):
    root = write_files(tmp_path / "src", {**NOTES, "papernotes.yaml": "title: Search test\n"})
    return SiteLayout.find(root, tmp_path / "out")


def bundle_inode(layout: SiteLayout) -> int:
    return (layout.out / "pagefind" / "pagefind-entry.json").stat().st_ino


def test_a_build_keeps_the_bundle_while_no_indexed_text_changes(site):
    first = build(site, BuildOptions(workers=1))
    assert first.warnings == 0 and (site.out / "pagefind" / "pagefind.js").is_file()
    manifest = json.loads((site.out / "pagefind" / "papernotes.json").read_text())
    assert manifest["merge"] == [] and len(manifest["digest"]) == 40
    inode = bundle_inode(site)
    write_files(site.root, {"papernotes.yaml": "title: Search test, renamed\n"})  # every page changes, no document
    second = build(site, BuildOptions(workers=1))
    assert "index.html" in second.changed and bundle_inode(site) == inode
    write_files(site.root, {"content/adam.md": NOTES["content/adam.md"].replace("title: Adam", "title: Adam\ndate: 2020-01-02")})
    third = build(site, BuildOptions(workers=1))  # the note's page and the lists change, no document
    assert "notes/adam/index.html" in third.changed and bundle_inode(site) == inode
    write_files(site.root, {"content/adam.md": NOTES["content/adam.md"].replace("Momentum", "Inertia")})
    build(site, BuildOptions(workers=1))
    assert bundle_inode(site) != inode
    assert json.loads((site.out / "pagefind" / "papernotes.json").read_text())["digest"] != manifest["digest"]


def test_a_kept_bundle_is_the_bundle_a_build_from_scratch_makes(site, tmp_path):
    """A date that puts a note before another keeps the bundle; a build from scratch of the
    edited notes makes the same bytes (documents go to Pagefind in the order of their URLs, not
    of the notes' dates)."""
    build(site, BuildOptions(workers=1))
    write_files(site.root, {"content/attention.md": NOTES["content/attention.md"].replace("title:", "date: 1999-01-01\ntitle:")})
    build(site, BuildOptions(workers=1))
    scratch = SiteLayout.find(site.root, tmp_path / "scratch")
    build(scratch, BuildOptions(workers=1, cache=False))

    def bundle(out: Path) -> dict[str, bytes]:
        return {p.relative_to(out).as_posix(): p.read_bytes() for p in (out / "pagefind").rglob("*") if p.is_file()}

    assert bundle(site.out) == bundle(scratch.out)
    assert [doc.url for doc in search.documents(graph_of(site.root), "en")] == \
        ["/notes/adam/", "/notes/attention/", "/papers/arxiv-1706.03762/"]


MANY = {f"content/note-{i}.md": f"---\ntitle: Note {i}\n---\n\nWord{i} and shared words.\n" for i in range(12)}


def test_a_large_index_is_cut_into_bundles_the_first_one_lists(site, monkeypatch):
    monkeypatch.setattr(search, "SHARD_TEXT", 10)
    write_files(site.root, MANY)
    build(site, BuildOptions(workers=2))
    manifest = json.loads((site.out / "pagefind" / "papernotes.json").read_text())
    assert len(manifest["merge"]) >= 2 and all(place.startswith("shard-") for place in manifest["merge"])
    pages = 0
    for place in ("", *manifest["merge"]):
        entry = json.loads((site.out / "pagefind" / place / "pagefind-entry.json").read_text())
        pages += entry["languages"]["en"]["page_count"]
        assert (site.out / "pagefind" / place / "pagefind-ui.js").is_file() == (place == "")  # one interface
    assert pages == len(MANY) + 3  # every note and paper, once


def test_enough_text_is_cut_into_a_bundle_for_each_worker(tmp_path, monkeypatch):
    graph = graph_of(write_files(tmp_path, MANY))
    assert search.ShardPlan.of(graph, "en", workers=3).count == 1  # a few words: one Pagefind process
    monkeypatch.setattr(search, "PARALLEL_TEXT", 10)
    plan = search.ShardPlan.of(graph, "en", workers=3)
    assert plan.count == 3 and sorted(set(plan.buckets.values())) == [0, 1, 2]
    assert search.ShardPlan.of(graph, "en", workers=1).count == 1


def test_a_very_large_index_gets_larger_bundles_rather_than_more(tmp_path, monkeypatch):
    graph = graph_of(write_files(tmp_path, MANY))
    monkeypatch.setattr(search, "SHARD_TEXT", 10)
    assert search.ShardPlan.of(graph, "en").count == len(MANY)  # one document a bundle
    monkeypatch.setattr(search, "MOST_BUNDLES", 4)
    plan = search.ShardPlan.of(graph, "en")
    assert plan.count == 4 and set(plan.buckets.values()) <= {0, 1, 2, 3}


def _bundle_inodes(layout: SiteLayout) -> dict[str, int]:
    manifest = json.loads((layout.out / "pagefind" / "papernotes.json").read_text())
    return {place: (layout.out / "pagefind" / place / "pagefind-entry.json").stat().st_ino for place in ("", *manifest["merge"])}


def test_an_edit_indexes_its_own_bundle_again_and_keeps_the_others(site, monkeypatch):
    monkeypatch.setattr(search, "SHARD_TEXT", 40)
    write_files(site.root, MANY)
    build(site, BuildOptions(workers=1))
    before = _bundle_inodes(site)
    assert len(before) >= 3
    write_files(site.root, {"content/note-5.md": MANY["content/note-5.md"].replace("shared", "edited")})
    build(site, BuildOptions(workers=1))
    after = _bundle_inodes(site)
    assert after.keys() == before.keys()
    again = [place for place in before if after[place] != before[place]]
    assert len(again) == 1, again  # the edited note's bundle alone
    search_for = json.loads((site.out / "pagefind" / "papernotes.json").read_text())
    plan = search.ShardPlan.of(graph_of(site.root), "en")
    assert search_for["shards"] == list(plan.digests)
    assert plan.places[plan.buckets["/notes/note-5/"]] == again[0]


def _folder_inodes(layout: SiteLayout) -> dict[str, int]:
    manifest = json.loads((layout.out / "pagefind" / "papernotes.json").read_text())
    return {place: (layout.out / "pagefind" / place).stat().st_ino for place in ("", *manifest["merge"])}


def _bundle_files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in (out / "pagefind").rglob("*") if p.is_file()}


@pytest.mark.parametrize("cache", [True, False], ids=["in place", "staged"])
def test_an_edit_in_a_merged_bundle_replaces_that_bundles_folder_alone(site, tmp_path, monkeypatch, cache):
    """The search folder and the other bundles' folders stay as they are (an edit at 10,000
    notes no longer links 26 bundles anew and removes the old ones); the bundle is the one a
    build from scratch makes."""
    monkeypatch.setattr(search, "SHARD_TEXT", 40)
    write_files(site.root, MANY)
    build(site, BuildOptions(workers=1))
    before = _folder_inodes(site)
    plan = search.ShardPlan.of(graph_of(site.root), "en")
    note = next(url for url, bucket in sorted(plan.buckets.items()) if url.startswith("/notes/note-") and plan.places[bucket])
    name = note.strip("/").split("/")[-1]
    write_files(site.root, {f"content/{name}.md": MANY[f"content/{name}.md"].replace("shared", "edited")})
    assert not build(site, BuildOptions(workers=1, cache=cache)).warnings
    after = _folder_inodes(site)
    edited = plan.places[plan.buckets[note]]
    assert [place for place in before if after[place] != before[place]] == ([edited] if cache else list(before))
    scratch = SiteLayout.find(site.root, tmp_path / "scratch")
    build(scratch, BuildOptions(workers=1, cache=False))
    assert _bundle_files(site.out) == _bundle_files(scratch.out)


def test_a_merged_bundle_that_cannot_be_made_again_leaves_the_others_and_warns(site, monkeypatch):
    monkeypatch.setattr(search, "SHARD_TEXT", 40)
    write_files(site.root, MANY)
    build(site, BuildOptions(workers=1))
    plan = search.ShardPlan.of(graph_of(site.root), "en")
    note = next(url for url, bucket in sorted(plan.buckets.items()) if url.startswith("/notes/note-") and plan.places[bucket])
    name = note.strip("/").split("/")[-1]
    write_files(site.root, {f"content/{name}.md": MANY[f"content/{name}.md"].replace("shared", "edited")})
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/bin/false")
    result = build(site, BuildOptions(workers=1))
    assert [d.message for d in result.diagnostics if "search" in d.message][0].startswith("search index was not updated")
    assert (site.out / "pagefind" / "pagefind-entry.json").is_file() and (site.out / "notes" / name / "index.html").is_file()
    assert not list(site.out.parent.glob(".out.*"))  # no scratch folder left beside the output


def test_without_pagefind_the_site_builds_and_warns(site, monkeypatch):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/bin/false")
    result = build(site, BuildOptions(workers=1))
    assert result.errors == 0 and (site.out / "notes" / "adam" / "index.html").is_file()
    assert [d.message for d in result.diagnostics if "search" in d.message] == \
        [d.message for d in result.diagnostics if d.message.startswith("search index was not built")] != []
    assert not (site.out / "pagefind").exists()


def _fragments(bundle: Path) -> dict[str, dict]:
    found = {}
    for file in (bundle / "fragment").iterdir():
        fragment = json.loads(gzip.decompress(file.read_bytes()).removeprefix(b"pagefind_dcd"))
        found[fragment["url"]] = fragment
    return found


def test_pagefind_indexes_every_document_at_the_url_given(tmp_path, monkeypatch):
    urls = ["/notes/0/", "/papers/x.html", "/notes/café/", "/blog/notes/deep/"]
    docs = [Document(url, search._page("en", f"Note {i}", f"<p>word{i} shared</p>")) for i, url in enumerate(urls)]
    docs.append(Document("/notes/../../escape/", search._page("en", "Out", "<p>out</p>")))
    (tmp_path / "pagefind.yml").write_text('root_selector: "nav"\n')  # a user's configuration where the build runs
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PAGEFIND_ROOT_SELECTOR", "nav")  # and in the environment
    bundle = tmp_path / "bundle"
    indexed = write_bundle(docs, bundle, ("annotation",))
    assert indexed.pages == len(urls) and indexed.left_out == 0
    assert [url for url, _ in indexed.refused] == ["/notes/../../escape/"]
    fragments = _fragments(bundle)
    assert set(fragments) == set(urls)
    assert fragments["/notes/0/"]["meta"]["title"] == "Note 0" and "word0 shared" in fragments["/notes/0/"]["content"]
    assert not [p.name for p in bundle.rglob("*") if p.is_file() and p.stat().st_size == 0]
    assert (bundle / "pagefind-ui.js").is_file() and not (tmp_path / "escape").exists()


def test_documents_that_cannot_be_pages_are_refused_without_running_pagefind(tmp_path, monkeypatch):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/bin/false")  # it would fail, were it run
    indexed = write_bundle([Document("/../up/", "<p>x</p>"), Document("/feed.xml", "<p>x</p>")], tmp_path / "b")
    assert indexed.pages == 0 and [url for url, _ in indexed.refused] == ["/../up/", "/feed.xml"]


def test_documents_go_to_the_temporary_folder_when_memory_has_no_room(tmp_path, monkeypatch):
    monkeypatch.setattr(pagefindindex, "MEMORY_ROOM", 1 << 62)
    assert pagefindindex._scratch() is None
    indexed = write_bundle([Document("/notes/a/", search._page("en", "A", "<p>alpha</p>"))], tmp_path / "b")
    assert indexed.pages == 1 and (tmp_path / "b" / "pagefind-entry.json").is_file()


def test_a_failing_pagefind_is_reported_by_its_error_line(tmp_path):
    (tmp_path / "file").write_text("not a folder")
    with pytest.raises(pagefindindex.PagefindError) as failed:
        write_bundle([Document("/notes/a/", search._page("en", "A", "<p>alpha</p>"))], tmp_path / "file" / "bundle")
    assert "err" in str(failed.value).lower() and "Running Pagefind" not in str(failed.value)


def test_a_merged_bundle_is_written_without_the_search_interface(tmp_path):
    bundle = tmp_path / "shard"
    write_bundle([Document("/notes/a/", search._page("en", "A", "<p>alpha</p>"))], bundle, interface=False)
    assert (bundle / "pagefind-entry.json").is_file() and (bundle / "pagefind.js").is_file()
    assert not list(bundle.glob("pagefind-*ui.*")) and not (bundle / "pagefind-highlight.js").exists()


@pytest.mark.parametrize("cache", [True, False], ids=["in place", "staged"])
def test_a_bundle_missing_from_the_current_site_is_indexed_again(site, monkeypatch, cache):
    monkeypatch.setattr(search, "SHARD_TEXT", 40)
    write_files(site.root, MANY)
    build(site, BuildOptions(workers=1))
    manifest = json.loads((site.out / "pagefind" / "papernotes.json").read_text())
    plan = search.ShardPlan.of(graph_of(site.root), "en")
    edited = plan.places[plan.buckets["/notes/note-5/"]]
    lost = site.out / "pagefind" / next(place for place in manifest["merge"] if place != edited)  # a bundle kept
    for file in sorted(lost.rglob("*"), reverse=True):
        file.unlink() if file.is_file() else file.rmdir()
    lost.rmdir()
    write_files(site.root, {"content/note-5.md": MANY["content/note-5.md"].replace("shared", "edited")})
    result = build(site, BuildOptions(workers=1, cache=cache))
    assert not [d for d in result.diagnostics if "search" in d.message]
    assert (lost / "pagefind-entry.json").is_file()


def test_a_fresh_checkout_with_its_cache_folder_indexes_only_the_bundles_an_edit_changed(site, tmp_path, monkeypatch):
    """A build into an output folder that is not there (a checkout whose cache folder the
    publishing workflow restored) keeps a copy of its search folder in the cache folder; the
    next such build links from it every bundle whose documents are the same (none indexed when
    nothing changed) and indexes the others; the search folder is a build from scratch's."""
    import shutil

    monkeypatch.setattr(search, "SHARD_TEXT", 40)
    write_files(site.root, MANY)
    build(site, BuildOptions(workers=1))
    spare = site.cache / search.SPARE
    assert _bundle_files(spare.parent) == _bundle_files(site.out)
    indexed: list[str] = []
    real = search.write_bundle
    monkeypatch.setattr(search, "write_bundle", lambda documents, folder, *args, **kwargs:
                        indexed.append(folder.name) or real(documents, folder, *args, **kwargs))
    shutil.rmtree(site.out)
    assert not [d for d in build(site, BuildOptions(workers=1)).diagnostics if "search" in d.message]
    assert indexed == [] and _bundle_files(site.out) == _bundle_files(spare.parent)
    shutil.rmtree(site.out)
    write_files(site.root, {"content/note-5.md": MANY["content/note-5.md"].replace("shared", "edited")})
    build(site, BuildOptions(workers=1))
    plan = search.ShardPlan.of(graph_of(site.root), "en")
    assert len(indexed) == 1 and plan.count >= 3  # the edited note's bundle alone
    scratch = SiteLayout.find(site.root, tmp_path / "scratch")
    build(scratch, BuildOptions(workers=1, cache=False))
    assert _bundle_files(site.out) == _bundle_files(scratch.out) == _bundle_files(spare.parent)
    assert not list(spare.parent.glob(f"{search.SPARE}.*")), "no half-made copy left beside it"


def test_a_copy_in_the_cache_folder_that_is_not_one_is_passed_over_and_made_again(site):
    """A file where the copy of the search folder should be, or a copy whose manifest is not
    JSON, is never trusted: every bundle is indexed, and the copy is made again whole, nothing
    left beside it."""
    import shutil

    site.cache.mkdir(parents=True, exist_ok=True)
    spare = site.cache / search.SPARE
    spare.write_text("not a folder")
    assert not [d for d in build(site, BuildOptions(workers=1)).diagnostics if "search" in d.message]
    assert (site.out / "pagefind" / "pagefind-entry.json").is_file() and _bundle_files(site.cache) == _bundle_files(site.out)
    shutil.rmtree(site.out)
    (spare / "papernotes.json").write_text("{not json")
    assert not [d for d in build(site, BuildOptions(workers=1)).diagnostics if "search" in d.message]
    assert (site.out / "pagefind" / "pagefind-entry.json").is_file() and _bundle_files(site.cache) == _bundle_files(site.out)
    assert sorted(path.name for path in site.cache.glob(f"{search.SPARE}*")) == [search.SPARE]


def test_the_index_is_made_while_the_pages_are_written_and_waited_for_when_the_build_fails(site, monkeypatch):
    """The bundle is begun with the graph, before the static files are copied; a build that
    fails after that waits for it before its staging folder goes, so nothing is left behind."""
    import threading
    import time

    begun, told = threading.Event(), []

    def slow_bundle(staging, graph, language, workers=1, cancelled=None, slots=None, memo=None, spare=None):
        begun.set()
        told.append(cancelled.wait(10))  # still indexing when the build fails, until told to stop
        (staging.root / "pagefind").mkdir(parents=True, exist_ok=True)
        (staging.root / "pagefind" / "late.txt").write_text("written after a while")

    def failing_static_files(layout, memo=None):
        assert begun.wait(5)  # the index was begun before the pages were all written
        raise OSError("disk full")

    monkeypatch.setattr(search, "update_bundle", slow_bundle)
    monkeypatch.setattr("papernotes.engine.static_files", failing_static_files)
    with pytest.raises(OSError, match="disk full"):
        build(site, BuildOptions(workers=1))
    time.sleep(0.5)
    assert told == [True]  # told to stop, and waited for
    assert not site.out.exists()
    assert sorted(path.name for path in site.out.parent.iterdir()) == ["src"]  # no staging folder left


def test_a_cancelled_index_writes_no_more_documents_and_starts_no_pagefind(tmp_path, monkeypatch):
    import threading

    cancelled, written = threading.Event(), []

    def documents():
        for number in range(5):
            if number == 2:
                cancelled.set()
            written.append(number)
            yield Document(f"/notes/n{number}/", "<html><body><main data-pagefind-body><h1>x</h1></main></body></html>")

    monkeypatch.setattr(pagefindindex.subprocess, "run", lambda *args, **kwargs: pytest.fail("Pagefind was started"))
    with pytest.raises(pagefindindex.PagefindError, match="cancelled"):
        write_bundle(documents(), tmp_path / "bundle", cancelled=cancelled)
    assert written == [0, 1, 2]  # the document being made when it was cancelled is the last


def test_one_pagefind_runs_beside_the_render_workers_and_one_per_core_once_the_pages_are_written(tmp_path, monkeypatch):
    """Pagefind holds its bundle in memory and each render worker a copy of the graph: while
    the pages are written one bundle is indexed at a time, then as many as there are workers."""
    import threading
    import time

    from papernotes import output

    monkeypatch.setattr(search, "SHARD_TEXT", 10)
    root = write_files(tmp_path / "src", MANY)
    made = Engine(SiteLayout.find(root), BuildOptions(search=False, cache=False, workers=1)).produce(MemorySink())
    phase, running, started, most, lock = ["pages"], [0], [0], {"pages": 0, "after": 0}, threading.Lock()

    def counting_bundle(documents, bundle_dir, exclude_selectors=(), interface=True, cancelled=None):
        list(documents)
        with lock:
            running[0] += 1
            started[0] += 1
            most[phase[0]] = max(most[phase[0]], running[0])
        time.sleep(0.1)
        with lock:
            running[0] -= 1
        bundle_dir.mkdir(parents=True, exist_ok=True)
        return pagefindindex.Indexed(1)

    monkeypatch.setattr(search, "write_bundle", counting_bundle)
    staging = output.start(tmp_path / "out")
    indexing = search.Indexing(staging, workers=2)
    indexing.start(made.graph, made.config)
    assert until(lambda: started[0] >= 2)  # the render workers at work meanwhile
    with lock:
        phase[0] = "after"
    assert started[0] <= search.ShardPlan.of(made.graph, "en", 2).count - 4, "bundles left for the workers"
    assert indexing.result() is None
    assert most == {"pages": 1, "after": 2}
    output.abandon(staging)


def test_the_documents_of_a_build_killed_outright_are_removed_by_the_next(tmp_path, monkeypatch):
    monkeypatch.setattr(pagefindindex, "_scratch", lambda: str(tmp_path))
    dead = subprocess.Popen([sys.executable, "-c", ""])
    dead.wait()
    left = tmp_path / f"{pagefindindex.SCRATCH_PREFIX}{dead.pid}-x1y2"
    running = tmp_path / f"{pagefindindex.SCRATCH_PREFIX}{os.getpid()}-z3"
    other = tmp_path / "papernotes-preview-123"
    for folder in (left, running, other):
        (folder / "notes").mkdir(parents=True)
    write_bundle([Document("/notes/a/", search._page("en", "A", "<p>alpha</p>"))], tmp_path / "bundle")
    assert not left.exists() and running.is_dir() and other.is_dir()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["bundle", running.name, other.name])


def test_a_papers_document_is_made_again_only_when_what_it_is_made_of_changed(tmp_path, monkeypatch):
    """The prints a build keeps (``SEARCH_MEMO``) spare the next one every paper's document but
    those of the papers whose facts or excerpts changed."""
    root = write_files(tmp_path, NOTES)
    first = search.paper_prints(graph_of(root), "en")
    made: list[str] = []
    real = search.paper_html
    monkeypatch.setattr(search, "paper_html", lambda paper, language: made.append(paper.url) or real(paper, language))
    write_files(root, {"content/adam.md": NOTES["content/adam.md"].replace("Momentum", "Inertia")})
    assert search.paper_prints(graph_of(root), "en", first) == first and made == []
    write_files(root, {"content/attention.md": NOTES["content/attention.md"].replace("The softmax", "Attention is all you need: the softmax")})
    again = search.paper_prints(graph_of(root), "en", first)
    assert made == ["/papers/arxiv-1706.03762/"] and again != first


def test_a_build_keeps_the_papers_prints_for_the_next(site):
    build(site, BuildOptions(workers=1))
    kept = search._recalled_prints(site.cache / search.SEARCH_MEMO, "en")
    assert kept == search.paper_prints(graph_of(site.root), "en") and len(kept) == 1
    assert search._recalled_prints(site.cache / search.SEARCH_MEMO, "fr") == {}
    for garbage in (b"", b"\x00junk", marshal.dumps([1, 2]), marshal.dumps({"format": [search.FORMAT, "en"], "prints": {b"x": 3}})):
        (site.cache / search.SEARCH_MEMO).write_bytes(garbage)
        assert search._recalled_prints(site.cache / search.SEARCH_MEMO, "en") == {}
    write_files(site.root, {"content/adam.md": NOTES["content/adam.md"].replace("Momentum", "Inertia")})
    assert not build(site, BuildOptions(workers=1)).warnings  # a damaged file is made again
    assert search._recalled_prints(site.cache / search.SEARCH_MEMO, "en") == kept


def _served_words(state) -> str:
    """The text of every fragment of the bundle the preview serves."""
    with state.lock:
        files = dict(state.snapshot.files)
    return " ".join(json.loads(gzip.decompress(data).removeprefix(b"pagefind_dcd"))["content"]
                    for rel, data in files.items() if rel.startswith("pagefind/fragment/"))


def test_the_previews_search_follows_its_edits(make_site):
    from papernotes.serve.preview import memory_builder
    from papernotes.serve.searching import PreviewSearch
    from papernotes.serve.state import PreviewState

    root = make_site(NOTES)
    layout = SiteLayout.find(root)
    made: list = []
    rebuild = memory_builder(layout, BuildOptions(search=False, workers=1), built=made.append)
    state = PreviewState(rebuild(None), "/")
    said: list[str] = []
    searching = PreviewSearch(state, said.append)
    try:
        searching.offer(made[-1].graph, "en")
        assert until(lambda: "adaptive steps" in _served_words(state)), said
        first = {rel: data for rel, data in state.snapshot.files.items() if rel.startswith("pagefind/")}
        note = root / "content/adam.md"
        note.write_text(note.read_text() + "\nA zorblaxian update.\n")
        state.publish(rebuild(frozenset({os.fspath(note)})))
        assert "pagefind/pagefind-entry.json" in state.snapshot.files, "a build keeps serving the bundle"
        searching.offer(made[-1].graph, "en")
        assert until(lambda: "zorblaxian" in _served_words(state)), said
        now = {rel: data for rel, data in state.snapshot.files.items() if rel.startswith("pagefind/")}
        assert now.keys() >= {"pagefind/pagefind-entry.json", "pagefind/pagefind-ui.js"} and now != first
        assert said == []
    finally:
        searching.close()
    assert not searching.folder.exists()


def test_the_previews_first_index_takes_the_bundles_a_build_made(site, monkeypatch):
    """After ``papernotes build -o OUT``, the preview's first index takes every bundle of the
    build's search folder whose documents are its own (copied here, as from another file system,
    where no link can be made): no Pagefind runs, and it serves the build's bundle."""
    import errno

    from papernotes.serve.preview import _built_search, memory_builder
    from papernotes.serve.searching import PreviewSearch
    from papernotes.serve.state import PreviewState

    monkeypatch.setattr(search, "SHARD_TEXT", 40)
    write_files(site.root, MANY)
    build(site, BuildOptions(workers=1))  # into another folder than the preview's default output
    site = SiteLayout.find(site.root)
    assert _built_search(site) != site.out / search.BUNDLE
    indexed: list[str] = []
    real = search.write_bundle
    monkeypatch.setattr(search, "write_bundle", lambda documents, folder, *args, **kwargs:
                        indexed.append(folder.name) or real(documents, folder, *args, **kwargs))

    def no_link(source: str, target: str) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", no_link)
    made: list = []
    rebuild = memory_builder(site, BuildOptions(search=False, workers=1), built=made.append)
    state = PreviewState(rebuild(None), "/")
    said: list[str] = []
    searching = PreviewSearch(state, said.append, _built_search(site))
    try:
        searching.offer(made[-1].graph, "en")
        assert until(lambda: "pagefind/pagefind-entry.json" in state.snapshot.files), said
        served = {rel: data for rel, data in state.snapshot.files.items() if rel.startswith("pagefind/")}
        assert indexed == [] and said == [] and served == _bundle_files(Path(uptodate.load(site.cache).out))
    finally:
        searching.close()
