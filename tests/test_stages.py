"""Each pipeline stage on its own: read one file, build the graph, plan, render, write; and the
digests the engine derives its invalidation from."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import pickle
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal, Mapping

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from papernotes.config import Config
from papernotes.emit import plan_pages
from papernotes.engine import dependencies, page_key
from papernotes.graph import _group_tags, _regrouped, build_graph, shape
from papernotes.graph.links import has_embeds
from papernotes.markdown.assets import AssetFinder
from papernotes.model import JsonData, Note, NoteDate, Page, PaperRef, RenderedBody, SourceSpan, TextFile
from papernotes.output import start
from papernotes.papers.registry import Registry
from papernotes.config import FeedSource
from papernotes.read import open_source, site
from papernotes.read.common import SourceFile
from papernotes.read.feeds import FeedItems, parse as parse_feed, parse_part, split
from papernotes.read.site import ReadInputs, published, read, read_site
from papernotes.render import make_environment, render, render_reading, render_stream
from papernotes.views import BodyReads

NOTES = {
    "a.md": "---\ntitle: Attention\ndate: 2024-03-01\ntags: [nlp]\n---\n## Idea\n\nOn arXiv:1706.03762, see [[Scaling]].\n",
    "b.md": "---\ntitle: Scaling\ndate: 2024-02-01\ntags: [nlp, ml]\n---\nSee [[Nowhere]].\n",
    "c.md": "---\ntitle: Draft\ndraft: true\n---\nNot yet.\n",
}


def _inputs(folder: Path) -> ReadInputs:
    for name, text in NOTES.items():
        (folder / name).write_text(text)
    return ReadInputs(folder, Config(), Registry(), AssetFinder(folder))


def _notes(folder: Path) -> tuple[Note, ...]:
    inputs = _inputs(folder)
    paths = sorted(folder.glob("*.md"))
    return published((result for _, result in read_site(paths, inputs)), drafts=False).notes


def test_read_turns_one_file_into_its_notes(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path)
    result = read(tmp_path / "a.md", inputs)
    (note,) = result.notes
    assert note.title == "Attention" and note.tags == ("nlp",) and [ref.id for ref in note.papers] == ["arxiv:1706.03762"]
    assert read(tmp_path / "a.md", inputs) == result, "the same file and inputs read the same"


def test_read_site_keeps_path_order_and_published_drops_drafts(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path)
    paths = sorted(tmp_path.glob("*.md"))
    indexes = [index for index, _ in read_site(paths, inputs)]
    assert indexes == [0, 1, 2]
    assert [n.title for n in _notes(tmp_path)] == ["Attention", "Scaling"]


def _feed(items: int, extra: str = "") -> str:
    """An Atom feed: repeated titles and links (so slugs clash), an undated item, an empty one."""
    entries = "".join(
        f"<entry><title>Item {i % 7}</title><link href=\"https://example.org/{i % 5}\"/><id>urn:{i}</id>"
        f"<updated>{'yesterday' if i == 3 else '2024-01-02T00:00:00Z'}</updated><content type=\"html\">"
        f"&lt;h2&gt;Part&lt;/h2&gt;&lt;p&gt;On $x_{i}$ and arXiv:1706.0376{i % 10}.&lt;/p&gt;</content></entry>\n"
        for i in range(items))
    return ('<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>F</title>\n'
            f"{entries}<entry><title></title></entry>\n{extra}</feed>\n")


@pytest.mark.parametrize("extra, in_parts", [
    ("", True),
    ('<entry xml:base="https://example.org/b/"><title>Based</title><content type="html">&lt;a href="x"&gt;x&lt;/a&gt;</content></entry>\n', False),
    ("<entry><title>Cut</title><content type=\"html\"><![CDATA[<entry> is a tag]]></content></entry>\n", False),
])
def test_a_feed_parsed_in_parts_gives_the_items_the_whole_feed_gives(tmp_path: Path, extra: str, in_parts: bool) -> None:
    inputs = _inputs(tmp_path)
    (tmp_path / "feed.xml").write_text(_feed(30, extra))
    source = open_source(tmp_path / "feed.xml", "feed.xml", inputs.context({}))
    assert isinstance(source, SourceFile)
    parts = split(source.text, 4, FeedSource())
    parsed = [parse_part(part) for part in parts]
    assert (bool(parts) and all(items is not None for items in parsed)) == in_parts
    context = inputs.context({})
    whole = parse_feed(source, context)
    assert parse_feed(source, context, (4, lambda parts: [parse_part(part) for part in parts])) == whole
    assert isinstance(whole, FeedItems) and len(whole.items) == 31 + bool(extra)


def test_a_large_feed_read_across_the_pool_reads_as_it_does_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(site, "PARALLEL_BYTES", 1)
    monkeypatch.setattr(site, "SPLIT_BYTES", 1000)  # the feeds are parsed in parts and their items read in the workers
    parse_feed, parsed = site._parse_feed, []

    def spied(path: Path, *rest: object) -> object:
        parsed.append(path)
        return parse_feed(path, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(site, "_parse_feed", spied)
    inputs = _inputs(tmp_path)
    (tmp_path / "_drafts").mkdir()
    for name in ("feed.xml", "_drafts/feed.xml"):
        (tmp_path / name).write_text(_feed(30))
    paths = sorted(path for path in tmp_path.rglob("*") if path.is_file())
    alone = [read(path, inputs) for path in paths]
    pooled = [result for _, result in read_site(paths, inputs, workers=2)]
    assert pooled == alone
    assert len(parsed) == 2 and all(len(alone[paths.index(path)].notes) == 30 for path in parsed)
    assert [d.line for d in alone[paths.index(tmp_path / "feed.xml")].diagnostics] == [6, 33]  # the date, the empty item
    assert all(note.draft for note in alone[paths.index(tmp_path / "_drafts" / "feed.xml")].notes)


def test_notes_read_across_the_pool_arrive_as_they_were_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(site, "PARALLEL_FROM", 2)  # the results come back packed (bodystore.packed)
    inputs = _inputs(tmp_path)
    for index in range(6):
        (tmp_path / f"n{index}.md").write_text(
            f"---\ntitle: Note {index}\ntags: [a, b{index}]\ndate: 2024-01-0{index + 1}\n---\n# Heading\n\n"
            f"See [Attention](https://arxiv.org/abs/1706.0376{index}) and $x^{index}$ [[nowhere]].\n")
    paths = sorted(tmp_path.glob("n*.md"))
    alone = [read(path, inputs) for path in paths]
    pooled = [result for _, result in read_site(paths, inputs, workers=2)]
    assert pooled == alone
    for mine, theirs in zip(pooled, alone):
        assert mine.notes[0].papers == theirs.notes[0].papers and mine.notes[0].papers[0].id.startswith("arxiv:1706.")
        assert mine.notes[0].body.headings == theirs.notes[0].body.headings and mine.notes[0].date == theirs.notes[0].date
        assert mine.diagnostics == theirs.diagnostics and mine.notes[0].body.links == theirs.notes[0].body.links != ()


def test_a_link_out_of_the_notes_folder_is_not_followed(tmp_path: Path) -> None:
    (tmp_path / "notes").mkdir()
    inputs = _inputs(tmp_path / "notes")
    (tmp_path / "secret.md").write_text("---\ntitle: Secret\n---\nKeys.\n")
    (tmp_path / "notes" / "link.md").symlink_to(tmp_path / "secret.md")
    result = read(tmp_path / "notes" / "link.md", inputs)
    assert result.notes == () and "outside the notes folder" in result.diagnostics[0].message


def test_build_graph_orders_links_and_groups(tmp_path: Path) -> None:
    graph = build_graph(_notes(tmp_path), Config())
    assert [n.title for n in graph.notes] == ["Attention", "Scaling"], "newest first"
    assert [n.id for n in graph.backlinks["b"]] == ["a"]
    assert [group.tag.slug for group in graph.tags] == ["ml", "nlp"]
    assert any("Nowhere" in d.message for d in graph.diagnostics), "an unresolved link is a warning"
    assert build_graph(_notes(tmp_path), Config()).notes == graph.notes, "a pure function of its inputs"


def test_shape_ignores_the_text_and_counts_everything_else(tmp_path: Path) -> None:
    note = _notes(tmp_path)[0]
    reworded = replace(note, summary="Other words.", body=replace(note.body, stored="<p>Other words.</p>", words=2))
    assert reworded != note and shape(reworded) == shape(note)
    assert shape(replace(note, title="Renamed")) != shape(note)
    assert shape(replace(note, meta={"any": "field"})) != shape(note), "a field no cache key names still counts"


def test_plan_render_and_write(tmp_path: Path) -> None:
    (tmp_path / "notes").mkdir()
    graph = build_graph(_notes(tmp_path / "notes"), Config())
    pages = list(plan_pages(graph, Config()))
    note_page = next(p for p in pages if p.url == "/notes/a/")
    assert [p.url for p in plan_pages(graph, Config(), only={"/notes/a/"})] == ["/notes/a/"]
    env = make_environment(Config(), None)
    html = render(env, note_page)
    assert html.startswith(b"<!doctype html>") and b"Attention" in html
    assert render(env, TextFile("/x.txt", lambda: "text")) == b"text"
    staging = start(tmp_path / "site")
    staging.write("notes/a/index.html", html)
    staging.write_later("x.txt", lambda: b"text")
    assert (staging.root / "notes/a/index.html").read_bytes() == html and (staging.root / "x.txt").read_bytes() == b"text"


def test_compiled_templates_are_kept_per_setup_and_render_as_compiled_anew(tmp_path: Path, monkeypatch) -> None:
    """Compiled code holds what filters made of constants (``"/x" | url``): a folder per setup
    (config and templates), each rendering as templates compiled in memory do; other setups'
    folders unused for a day are deleted. (The theme's templates compiled from their source,
    as a site's own are, rather than loaded from the code made ahead of time.)"""
    import os

    monkeypatch.setattr("papernotes.theme_code.THEME_DIGEST", "another")

    from papernotes.render import compiled_templates

    graph = build_graph(_notes(tmp_path), Config())
    page = next(p for p in plan_pages(graph, Config()) if p.url == "/notes/a/")
    under = Config(base_url="https://example.org/sub/")
    plain, sub = compiled_templates(tmp_path / "cache", "plain"), compiled_templates(tmp_path / "cache", "sub")
    assert plain is not None and sub is not None and plain != sub
    for config, folder in ((Config(), plain), (under, sub), (Config(), plain), (under, sub)):  # compiled, then loaded
        assert render(make_environment(config, None, folder), page) == render(make_environment(config, None), page)
    assert any(plain.iterdir()) and b'href="/sub/' in render(make_environment(under, None, sub), page)
    os.utime(plain, (0, 0))
    compiled_templates(tmp_path / "cache", "plain")  # used again: kept
    os.utime(sub, (0, 0))
    compiled_templates(tmp_path / "cache", "plain")
    assert plain.exists() and not sub.exists()


def test_a_page_made_in_pieces_is_the_page_rendered_whole_and_tells_what_it_read(tmp_path: Path) -> None:
    graph = build_graph(_notes(tmp_path), Config())
    env = make_environment(Config(), None)
    for page in plan_pages(graph, Config()):
        reads = BodyReads()
        assert b"".join(render_stream(env, page, reads)) == render_reading(env, page)[0], page.url
        assert (frozenset(reads) if isinstance(page, Page) else None) == render_reading(env, page)[1], page.url
    assert list(render_stream(env, TextFile("/big.json", lambda: iter([b"{", b"}"])))) == [b"{", b"}"]
    assert render(env, TextFile("/big.json", lambda: iter([b"{", b"}"]))) == b"{}"


def test_a_page_digest_follows_its_context_and_names_what_it_holds(tmp_path: Path) -> None:
    graph = build_graph(_notes(tmp_path), Config())
    page = next(p for p in plan_pages(graph, Config()) if p.url == "/notes/b/")
    assert isinstance(page, Page)
    assert page_key(page) == page_key(Page(page.url, page.template, dict(page.context)))
    assert page_key(page) != page_key(Page(page.url, page.template, {**page.context, "title": "Other"}))
    assert page_key(page) != page_key(Page(page.url, "list.html", page.context))
    assert {"note:a", "note:b"} <= dependencies(page)
    assert page_key(TextFile("/x", lambda: "")) is None, "a text file without a key is made every time"


@pytest.mark.parametrize("read", ["every note whole", "no field", "the title and date", "the id", "the body of b"])
def test_a_list_of_notes_is_keyed_as_each_note_of_it_would_be(tmp_path: Path, monkeypatch, read) -> None:
    """Every page keyed with its lists of notes or papers taken at once is keyed as when each
    of them is taken alone: the same digest, the same notes and papers named, whatever the page
    read of them."""
    from papernotes.engine import pagekeys
    from papernotes.views import FIELD

    bodies = {"every note whole": None, "no field": frozenset(), "the title and date": frozenset({FIELD + "title", FIELD + "date"}),
              "the id": frozenset({FIELD + "id"}), "the body of b": frozenset({"b"})}[read]
    pages = list(plan_pages(build_graph(_notes(tmp_path), Config()), Config()))
    at_once = [pagekeys.digest_page(page, bodies, {}) for page in pages]
    monkeypatch.setattr(pagekeys, "_LISTED_ALONE", {})
    assert at_once == [pagekeys.digest_page(page, bodies, {}) for page in pages]


def test_what_a_page_is_drawn_from_is_what_its_key_names(tmp_path: Path) -> None:
    """``dependencies`` (a page left to be rendered when read: its notes and papers alone, no
    digest taken) names what the page's key names."""
    from papernotes.engine import pagekeys

    for page in plan_pages(build_graph(_notes(tmp_path), Config()), Config()):
        assert pagekeys.dependencies(page) == pagekeys.digest_page(page, None, {})[1], page.url


@dataclasses.dataclass(frozen=True)
class _Plain:
    name: str
    years: tuple[int, ...]
    links: Mapping[str, str]
    kind: Literal["a", "b"] | None = None


@dataclasses.dataclass(frozen=True)
class _Holding:
    name: str
    held: Any


@dataclasses.dataclass(frozen=True)
class _Nested:
    inner: _Nested | None


def test_a_value_typed_to_hold_no_note_is_not_walked_for_notes(tmp_path: Path, monkeypatch) -> None:
    """``dependencies`` passes over a value whose type says it holds no note or paper (text,
    numbers, dates, papernotes' own dataclasses of such, as the export files' ``PaperMeta``),
    but walks anything that may (a note, a paper, a field typed ``Any``, a dataclass holding
    itself, a dataclass of a site's plugin, whose annotations nothing checks)."""
    from papernotes import graph
    from papernotes.engine import pagekeys
    from papernotes.model import Diagnostic
    from papernotes.papers.papergraph import Paper
    from papernotes.papers.registry import PaperMeta

    for kind in (str, int, dt.datetime, PaperMeta, Registry, Diagnostic, graph.Tag):
        assert pagekeys._holds_none(kind), kind
    for kind in (Note, Paper, RenderedBody, graph.TagGroup, graph.MonthGroup, tuple, dict, _Plain):
        assert not pagekeys._holds_none(kind), kind
    monkeypatch.setattr(pagekeys, "_OURS", _Plain.__module__)  # these classes taken as papernotes' own
    assert pagekeys._holds_none.__wrapped__(_Plain)
    assert not pagekeys._holds_none.__wrapped__(_Holding) and not pagekeys._holds_none.__wrapped__(_Nested)
    note = _notes(tmp_path)[0]
    held = Page("/x/", "list.html", {"items": (_Holding("x", note), PaperMeta("arxiv:1"), "text")})
    assert f"note:{note.id}" in dependencies(held) == pagekeys.digest_page(held, None, {})[1]


@given(st.integers(0, 30_000), st.integers(1, 16))
def test_the_runs_of_files_a_read_pool_is_handed_shrink_to_a_few_files(count: int, workers: int) -> None:
    """Every file is in one run; runs never grow, hold at most ``RUN_MOST`` files, and end
    with runs of ``RUN_LEAST`` or fewer, so that no worker is left reading a long last run."""
    from papernotes.read.site import RUN_LEAST, RUN_MOST, run_sizes

    sizes = list(run_sizes(count, workers))
    assert sum(sizes) == count and all(0 < size <= RUN_MOST for size in sizes)
    assert sizes == sorted(sizes, reverse=True)
    assert not sizes or sizes[-1] <= RUN_LEAST


def test_an_export_is_keyed_by_its_papers_metadata_and_citation_keys(tmp_path: Path) -> None:
    """A BibTeX export's key is the same however often it is planned, and changes with a
    paper's metadata; it is digested only when a page key takes it."""
    from papernotes.emit.common import CitedPapers
    from papernotes.papers.registry import PaperMeta

    notes = _notes(tmp_path)

    def export(title: str) -> TextFile:
        registry = Registry(papers={"arxiv:1706.03762": PaperMeta("arxiv:1706.03762", title=title, year=2017)})
        (page,) = [page for page in plan_pages(build_graph(notes, Config(), registry), Config()) if page.url == "/papers.bib"]
        assert isinstance(page, TextFile)
        return page

    planned = export("Attention Is All You Need")
    cited = planned.key[1]
    assert isinstance(cited, CitedPapers) and cited.digest is None, "not digested when planned"
    assert page_key(planned) == page_key(export("Attention Is All You Need")) != page_key(export("Attention"))
    assert cited.digest is not None


def test_a_json_document_in_a_page_is_keyed_by_its_text_in_its_own_order() -> None:
    def key(data: JsonData) -> bytes | None:
        return page_key(Page("/n/", "note.html", {"neighbourhood": data}))

    local = JsonData(version=1, nodes=[{"id": "note:a", "tags": ["x"]}], edges=[])
    assert key(local) == key(JsonData(version=1, nodes=[{"id": "note:a", "tags": ["x"]}], edges=[]))
    assert key(local) != key(JsonData(version=1, nodes=[{"id": "note:a", "tags": ["y"]}], edges=[]))
    assert key(local) != key(JsonData(version=1, edges=[], nodes=[{"id": "note:a", "tags": ["x"]}]))
    assert key(JsonData(n=1)) != key(JsonData(n=True)) != key(JsonData(n="1"))
    assert key(local) != page_key(Page("/n/", "note.html", {"neighbourhood": dict(local)}))


def test_a_note_digest_is_of_its_contents_whichever_of_its_strings_are_shared() -> None:
    def made(tags: tuple[str, ...]) -> Note:
        return Note("a", "A", "/notes/a/", NoteDate(dt.datetime(2024, 3, 1)), RenderedBody("<p>a</p>"),
                    SourceSpan("content/a.md", rel="a.md"), tags=tags)

    tag = "".join(["machine-", "learning"])
    again = "".join(["machine-", "learning"])
    assert tag == again and tag is not again
    shared, apart = made((tag, tag)), made((tag, again))
    assert (shared.digest, shared.card) == (apart.digest, apart.card)
    assert made((tag, "other")).digest != shared.digest


def test_a_note_with_another_body_is_the_note_replace_makes() -> None:
    note = Note("a", "A", "/notes/a/", NoteDate(dt.datetime(2024, 3, 1)), RenderedBody("<p>a</p>"),
                SourceSpan("content/a.md", rel="a.md"), tags=("x",), meta={"k": 1})
    note.card_of(frozenset({"title"}))  # a card taken of the first stays with it alone
    body = RenderedBody('<p><a href="/notes/b/">b</a></p>')
    made, replaced = note.with_body(body), replace(note, body=body)
    assert made == replaced and made.body is body
    assert vars(made) == vars(replaced)
    assert made.digest != note.digest and (made.card, made.shown) == (note.card, note.shown)
    assert "_cards" not in vars(made) and "_cards" in vars(note)


def test_a_file_is_dated_by_its_last_commit_inside_a_git_checkout_and_by_its_time_outside(tmp_path, monkeypatch):
    """A plain-text note may take its file's date; a Markdown file never does, so none is looked for."""
    import shutil
    import subprocess

    from papernotes.read import file_dates
    from papernotes.sitefiles import in_git_checkout

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    monkeypatch.delenv("GIT_DIR", raising=False)
    outside, checkout = tmp_path / "outside", tmp_path / "repo"
    for folder in (outside, checkout / "notes"):
        folder.mkdir(parents=True)
        (folder / "a.txt").write_text("A log\n")
        (folder / "b.md").write_text("# B\n")
    env = {"GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@b", "GIT_COMMITTER_NAME": "a", "GIT_COMMITTER_EMAIL": "a@b",
           "GIT_COMMITTER_DATE": "2021-05-06T07:08:09+00:00", "GIT_AUTHOR_DATE": "2021-05-06T07:08:09+00:00",
           "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    for command in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "notes"]):
        subprocess.run(["git", *command], cwd=checkout, env=env, check=True)
    assert in_git_checkout(str(checkout / "notes")) and not in_git_checkout(str(outside))
    assert file_dates(checkout / "notes", [checkout / "notes" / "a.txt", checkout / "notes" / "b.md"]) == \
        {"a.txt": (dt.datetime(2021, 5, 6, 7, 8, 9, tzinfo=dt.timezone.utc), "git commit")}
    (origin,) = {origin for _, origin in file_dates(outside, [outside / "a.txt", outside / "b.md"]).values()}
    assert origin == "modification time"


def test_a_site_of_markdown_notes_asks_git_for_no_dates(tmp_path, monkeypatch):
    """Markdown notes are never dated by their files, so a build in a git checkout does not walk
    its history for them (that can take longer than reading the notes)."""
    import papernotes.read as read_module
    from papernotes.build import BuildOptions, SiteLayout, build

    asked = []
    monkeypatch.setattr(read_module, "_git_log", lambda *arguments: asked.append(arguments))
    (tmp_path / ".git").mkdir()  # a checkout, as far as dates go
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "a.md").write_text("# A\n\nOn arXiv:1706.03762.\n")
    build(SiteLayout.find(tmp_path), BuildOptions(search=False, workers=1))
    (tmp_path / "content" / "log.txt").write_text("A log\nhttps://arxiv.org/abs/2001.08361\n")
    build(SiteLayout.find(tmp_path), BuildOptions(search=False, workers=1, cache=False))
    assert len(asked) == 1 and "--format=%x00%cI" in asked[0]


SPELLINGS = ("ml", "ML", "nlp", "rl", "Rl", "new")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from(SPELLINGS), max_size=3), min_size=1, max_size=6),
       st.integers(0, 5), st.lists(st.sampled_from(SPELLINGS), max_size=3))
def test_tags_grouped_again_in_part_are_grouped_as_all_notes_would_be(tags, which, retagged):
    """Only the groups of the tags a note took or left are made again after its tags change,
    unless a tag's name or the problems found could change; then they are what grouping every
    note gives."""
    notes = tuple(Note(f"n{i}", f"N{i}", f"/notes/n{i}/", NoteDate(dt.datetime(2024, 1, 1 + i)), RenderedBody(""),
                       SourceSpan(f"content/{chr(100 - i)}.md"), tags=tuple(own)) for i, own in enumerate(tags))
    graph = build_graph(notes, Config())
    edited = replace(notes[which % len(notes)], tags=tuple(retagged))
    swapped, _ = graph.with_notes({edited.id: edited})
    regrouped = _regrouped(graph, swapped, (edited.id,), Config().urls.tag)
    before: list = []
    after: list = []
    _group_tags(graph.notes, Config().urls.tag, before)
    whole = _group_tags(swapped.notes, Config().urls.tag, after)
    if regrouped is not None:
        assert regrouped == whole
        assert before == after
        assert all(group.tag.name == {g.tag.slug: g.tag.name for g in whole[0]}[group.tag.slug] for group in graph.tags
                   if group.tag.slug in {g.tag.slug for g in whole[0]})


LINKING = {  # file → its versions (a later one retitled or with other links)
    "a.md": ("# Alpha\n\n## Part\n\nSee [[Beta]] and [[Gamma#Part]], on arXiv:1706.03762 and arXiv:2001.08361.\n",
             "# Alpha renamed\n\nSee [[Beta]] and [[Nowhere]].\n"),
    "b.md": ("# Beta\n\nBack to [[Alpha]], a block [[Gamma#^k1]], arXiv:1706.03762.\n",
             "# Beta\n\nOnly [[Delta]], and [Attention Is All You Need](https://arxiv.org/abs/1706.03762).\n"),
    "c.md": ("---\ntags: [ml]\n---\n# Gamma\n\n## Part\n\nA line. ^k1\n\nSee [[Alpha renamed]].\n",
             "---\ntags: [ml, rl]\n---\n# Gamma\n\n![[Beta]]\n"),
    "d.md": ("---\ntags: [ml]\n---\n# Delta\n\n![[Alpha#Part]] and [[Beta]].\n", "# Delta\n\n[[Gamma]] [[Gamma]]\n"),
    "e.md": ("---\ntags: [rl]\n---\n# Epsilon\n\nNo links, arXiv:2001.08361 and arXiv:2203.15556.\n",
             "---\ntags: [ml]\n---\n# Alpha\n\nA second [[Beta]].\n"),
    "f.md": ("---\ntags: [ml, rl]\n---\n# Zeta\n\nOn [Training Compute-Optimal Large Language Models]"
             "(https://arxiv.org/abs/2203.15556).\n", "---\ntags: [rl]\n---\n# Zeta\n\nOn arXiv:1706.03762.\n"),
    "g.md": ("---\ndate: 2022-01-01\ntags: [rl]\n---\n# Eta\n\narXiv:2203.15556, arXiv:1810.04805 and arXiv:2005.14165.\n",
             "---\ndate: 2025-01-01\ntags: [rl]\n---\n# Eta\n\nOn [BERT: Pre-training of Deep Bidirectional Transformers]"
             "(https://arxiv.org/abs/1810.04805) with arXiv:2001.08361.\n"),
    "h.md": ("---\ndate: 2023-05-01\ntags: [rl]\n---\n# Theta\n\narXiv:2005.14165, arXiv:2001.08361 and arXiv:1810.04805.\n",
             "---\ndate: 2019-05-01\ntags: [rl]\n---\n# Theta\n\narXiv:1810.04805 then "
             "[Language Models are Few-Shot Learners](https://arxiv.org/abs/2005.14165).\n"),
}


@functools.cache
def _linking_notes() -> dict[tuple[str, int], Note]:
    """Every version of each note of ``LINKING``, read once."""
    import tempfile
    notes = {}
    with tempfile.TemporaryDirectory() as folder:
        inputs = ReadInputs(Path(folder), Config(), Registry(), AssetFinder(Path(folder)))
        for name, versions in LINKING.items():
            for version, text in enumerate(versions):
                (Path(folder) / name).write_text(text)
                (notes[name, version],) = read(Path(folder) / name, inputs).notes
    return notes


def _graph_facts(graph):
    papers = graph.papers
    return ([(n.id, n.url, n.digest, n.body.html) for n in graph.notes], graph.diagnostics,
            {target: [n.id for n in sources] for target, sources in graph.backlinks.items()}, graph.forward,
            [(p.id, p.title, p.url, p.digest, [n.digest for n in p.notes]) for p in papers.papers],
            {i: [p.id for p in found] for i, found in papers.papers_of.items()},
            [(i, [(p.id, n) for p, n in found]) for i, found in papers.co_mentioned.items()],
            {i: [n.id for n in found] for i, found in papers.related.items()}, papers.cites,
            [{i: sorted(owners) for i, owners in listed.items()} for listed in papers.listed_by])


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from(sorted(LINKING)), st.integers(0, 1), min_size=1),
       st.dictionaries(st.sampled_from(sorted(LINKING)), st.integers(0, 1), min_size=1))
def test_a_graph_built_again_takes_the_notes_linked_as_before_as_linking_them_anew_would(before, after):
    """Notes added, removed, retitled or linking elsewhere: the graph built from the earlier one
    is the one built from scratch, and a note whose links lead where they did is not linked again."""
    from unittest import mock
    from papernotes.papers import papergraph

    pool = _linking_notes()
    earlier = build_graph(tuple(pool[name, version] for name, version in before.items()), Config())
    notes = tuple(pool[name, version] for name, version in after.items())
    again, anew = build_graph(notes, Config(), earlier=earlier), build_graph(notes, Config())
    assert _graph_facts(again) == _graph_facts(anew)
    with mock.patch.object(papergraph, "RELATING_TAG", 2):  # a paper or tag of three notes relates none of them
        earlier_few = build_graph(tuple(pool[name, version] for name, version in before.items()), Config())
        assert _graph_facts(build_graph(notes, Config(), earlier=earlier_few)) == _graph_facts(build_graph(notes, Config()))
    by_id = {paper.id: paper for paper in again.papers.papers}
    assert all(by_id[paper.id] is paper for found in again.papers.co_mentioned.values() for paper, _ in found)
    if before == after:  # a note that embeds another is linked anew, and so are the papers it discusses
        assert all(note is earlier.notes[earlier.positions[note.id]] for note in again.notes if not has_embeds(note))
        kept = {paper.id: paper for paper in earlier.papers.papers}
        assert all(paper is kept[paper.id] for paper in again.papers.papers if not any(map(has_embeds, paper.notes)))


def test_the_state_pickler_gives_back_every_kind_of_value_it_is_handed(tmp_path: Path) -> None:
    """Notes (dataclasses with and without slots), read-only mappings, classes, functions,
    enum members and dates come back equal through ``packed``; a value that refuses to be
    pickled still raises."""
    import enum
    import types
    from papernotes import bodystore
    from papernotes.engine import Keeps

    note = _notes(tmp_path)[0]
    values = [note, note.source, note.date, types.MappingProxyType({"a": (1, [2])}), Note, Keeps.PAGES, Keeps, len,
              dt.datetime(2024, 1, 2, tzinfo=dt.timezone.utc), enum.Enum, (note, note), {"x": frozenset({1})}]
    again = bodystore.unpacked(bodystore.packed(values))
    assert again == values and again[4] is Note and again[6] is Keeps and again[9] is enum.Enum
    assert again[10][0] is again[10][1] and again[0] is not note and again[0].digest == note.digest
    with pytest.raises((pickle.PicklingError, AttributeError, TypeError)):
        bodystore.packed([lambda: 1])


def test_a_saved_note_makes_its_papers_again_when_first_asked_for(tmp_path: Path) -> None:
    """The state pickler keeps a note's papers as one packed value, shared by the notes that
    share the tuple (a note and its copy with links resolved), made again into the same papers
    on first use; a note never asked for them is saved again as it was restored."""
    from papernotes import bodystore

    refs = (PaperRef("arxiv:1706.03762", "intro", "Attention", "Attention is all you need", True, "link"),
            PaperRef("arxiv:2005.14165", "", None, "few-shot " * 40))
    note = replace(_notes(tmp_path)[0], papers=refs)
    copy = note.with_body(RenderedBody("<p>linked</p>"))
    data = bodystore.packed((note, copy))
    once = bodystore.packed((note, replace(copy, papers=tuple(map(lambda ref: PaperRef(*ref), refs)))))
    assert len(data) < len(once) - len("few-shot " * 40)  # the packed papers written once
    restored, restored_copy = bodystore.unpacked(data)
    assert "papers" not in vars(restored)
    again = bodystore.unpacked(bodystore.packed(restored))  # saved again without being read
    assert "papers" not in vars(again) and again.papers == refs
    assert restored.papers == refs and all(type(ref) is PaperRef for ref in restored.papers)
    assert restored.papers is restored.papers and restored_copy.papers == refs
    assert restored == note and restored.digest == note.digest and replace(restored, title="x").papers == refs
    with pytest.raises(AttributeError):
        restored.no_such_field  # noqa: B018


def test_restoring_a_saved_note_asks_for_no_attribute_it_lacks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Unpickling finds a note's ``__setstate__`` rather than asking ``__getattr__`` (and raising
    twice) for each note of a saved state."""
    from papernotes import bodystore

    asked: list[str] = []
    lacking = Note.__getattr__
    monkeypatch.setattr(Note, "__getattr__", lambda note, name: asked.append(name) or lacking(note, name))
    note = replace(_notes(tmp_path)[0], papers=(PaperRef("arxiv:1706.03762", "", None, "x"),))
    restored = bodystore.unpacked(bodystore.packed([note, note.with_body(RenderedBody("<p>linked</p>"))]))
    assert asked == [] and restored[0] == note and restored[1].body.html == "<p>linked</p>"
    assert restored[0].papers == note.papers and asked == ["papers"]


_NAMES = st.sampled_from(["Attention", "attention", "Scaling", "Chinchilla", "a", "b", "c"])


@settings(max_examples=60, deadline=None)
@given(titles=st.lists(_NAMES, min_size=1, max_size=5), aliases=st.lists(st.lists(_NAMES, max_size=2), min_size=5, max_size=5),
       renames=st.dictionaries(st.integers(0, 4), st.tuples(_NAMES, st.lists(_NAMES, max_size=2)), max_size=2))
def test_an_index_renamed_in_place_is_the_index_made_again(titles, aliases, renames):
    """Titles and aliases changed, a note deleted or added: the index updated in place files each
    note under the names a link index made from scratch would (the first note claiming a name
    takes it), whichever names clash."""
    from papernotes.graph.links import LinkIndex

    def linked(at: int, title: str, names: list[str]) -> Note:
        slug = "abcde"[at]
        return Note(slug, title, f"/notes/{slug}/", None, RenderedBody(f"<p>{slug}</p>"),
                    SourceSpan(f"content/{slug}.md", rel=f"{slug}.md"), aliases=tuple(names))

    notes = [linked(at, title, aliases[at]) for at, title in enumerate(titles)]
    fresh = {notes[at].id: linked(at, title, names) for at, (title, names) in renames.items() if at < len(notes)}
    index = LinkIndex.of(notes)
    _same_index(index.renamed(fresh), LinkIndex.of([fresh.get(note.id, note) for note in notes]))
    for gone in range(len(notes)):  # a note deleted, or added where it sorts
        fewer = notes[:gone] + notes[gone + 1:]
        _same_index(index.updated(fewer), LinkIndex.of(fewer))
        _same_index(LinkIndex.of(fewer).updated(notes), index)


def _same_index(index, made) -> None:
    """``index`` files each note under the names and paths ``made`` files it under."""
    assert ({k: n.id for k, n in index.by_name.items()}, {k: n.id for k, n in index.by_path.items()},
            list(index.by_id), [n.id for n in index.embedders]) == (
        {k: n.id for k, n in made.by_name.items()}, {k: n.id for k, n in made.by_path.items()},
        list(made.by_id), [n.id for n in made.embedders])
    assert all(index.by_name[name] is made.by_name[name] for name in made.by_name)


_LISTED = tuple(Note(f"n{i}", f"N{i}", f"/n{i}/", None, RenderedBody(""), SourceSpan(f"n{i}.md")) for i in range(5))
_LISTS = st.dictionaries(st.sampled_from([n.id for n in _LISTED]), st.lists(st.sampled_from(_LISTED), max_size=4).map(tuple))


@settings(max_examples=100, deadline=None)
@given(_LISTS, _LISTS)
def test_the_notes_listing_each_note_are_kept_as_related_lists_change(before, after):
    """After some notes' related lists change, who lists each note (``PaperGraph.listed_by``,
    kept from the graph before) is who the lists made anew say."""
    from papernotes.papers.papergraph import PaperGraph

    earlier = PaperGraph((), {}, {}, before)
    earlier.listed_by  # made, as an edit makes it, to be handed on
    later = earlier.with_related(after)
    assert [{i: sorted(owners) for i, owners in listed.items()} for listed in later.listed_by] == \
        [{i: sorted(owners) for i, owners in listed.items()} for listed in PaperGraph((), {}, {}, {**before, **after}).listed_by]


def test_a_paper_graph_is_kept_with_who_lists_whom() -> None:
    """A paper graph pickled (as the state saved whole is, perhaps by a forked process) carries
    who lists whom, made then if it was not, for the next edit to look up."""
    from papernotes.bodystore import packed, unpacked
    from papernotes.papers.papergraph import PaperGraph

    graph = PaperGraph((), {}, {}, {"n0": _LISTED[1:3], "n1": _LISTED[:1]})
    assert "listed_by" not in vars(graph)
    kept = unpacked(packed(graph))
    assert vars(kept)["listed_by"] == ({"n1": ["n0"], "n2": ["n0"], "n0": ["n1"]}, {}) and kept == graph


@pytest.mark.parametrize("title, moves", [("Beta revised", False), ("Aardvark", True), ("Zulu", True)])
def test_a_retitled_note_is_placed_as_a_graph_built_anew_places_it(title, moves):
    """Notes of one date sort by title: a new title that keeps the note between its neighbours
    leaves the graph as it is; one that moves it gives the graph a build from scratch gives."""
    def dated(slug: str, name: str, papers: tuple[str, ...]) -> Note:
        return Note(slug, name, f"/notes/{slug}/", NoteDate(dt.datetime(2024, 3, 1)), RenderedBody(f"<p>{slug}</p>"),
                    SourceSpan(f"content/{slug}.md", rel=f"{slug}.md"), tags=("ml",),
                    papers=tuple(PaperRef(paper, "", "") for paper in papers))

    notes = [dated("a", "Alpha", ("arxiv:1706.03762",)), dated("b", "Beta", ("arxiv:2001.08361",)),
             dated("c", "Gamma", ("arxiv:2203.15556",))]  # related by their tag; a note passing one discussing its paper is built anew
    graph = build_graph(tuple(notes), Config())
    retitled = replace(notes[1], title=title)
    swapped, _ = graph.with_notes({"b": retitled}, {})
    placed, passed, _ = swapped.reordered({"b"})
    assert (placed is swapped) != moves and "b" in passed
    assert _graph_facts(placed) == _graph_facts(build_graph((notes[0], retitled, notes[2]), Config()))


def test_a_gathering_after_an_edit_is_the_gathering_made_in_full(tmp_path: Path) -> None:
    """The notes and problems gathered after some files' results changed, from the last
    gathering, are those gathered from scratch; a changed result gathering would not leave as
    read (a draft, a second note, a syntax told once for the site, a section note) has them
    gathered in full."""
    from papernotes.engine.gathering import gathered
    from papernotes.model import Diagnostic, ReadResult
    from papernotes.read.unsupported import NOT_SUPPORTED

    inputs = _inputs(tmp_path)
    read_at = {path.name: read(path, inputs) for path in sorted(tmp_path.glob("*.md"))}
    a, b = read_at["a.md"].notes[0], read_at["b.md"].notes[0]

    def result(note: Note, *problems: str) -> ReadResult:
        return ReadResult((note,), tuple(Diagnostic("warning", note.source.path, 1, 1, text) for text in problems))

    results = [result(a, "one"), None, result(b), result(replace(b, id="b2", url="/b2/"), "two", "three")]
    last = gathered(results, False, "/")
    assert last.starts is not None and last == gathered(results, False, "/", None, None)
    edits = {
        "text": result(replace(a, title="Attention, edited"), "one, moved"),
        "draft": result(replace(a, draft=True), "one"),
        "two notes": ReadResult((a, replace(a, id="a2", url="/a2/")), ()),
        "unsupported": result(a, "{% gist %}" + NOT_SUPPORTED),
        "section": result(replace(a, source=replace(a.source, rel="posts/_index.md")), "one"),
        "no problem": result(a),
    }
    for name, edited in edits.items():
        now = [edited, *results[1:]]
        again, full = gathered(now, False, "/", last, [0]), gathered(now, False, "/")
        assert (again.notes, again.problems) == (full.notes, full.problems), name
        assert (again.starts is last.starts) == (name == "text"), name
    drafts = gathered([result(replace(a, draft=True)), *results[1:]], False, "/")
    assert drafts.starts is None and len(drafts.notes) == 2  # a draft left out: gathered in full next time
