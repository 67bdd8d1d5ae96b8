"""The emit stage: every emitter is a pure function of the graph and config, registered once;
plan() runs them in order, plans again only what is wanted, and lists their pages in the sitemap.
Templates see views of the model, not the model."""

from __future__ import annotations

import dataclasses
import html
import re
import datetime as dt

import jinja2
import pytest

from papernotes.config import Config
from papernotes.emit import EMITTERS, plan
from papernotes.emit import tags as tag_pages
from papernotes.graph import build_graph
from papernotes.model import Note, NoteDate, Page, PaperRef, RenderedBody, SourceSpan, TextFile
from papernotes.siteurls import SiteURLs
from papernotes.views import NoteView, PaperView, TagGroupView, as_view


def note(slug: str, day: int, tags: tuple[str, ...] = (), papers: tuple[str, ...] = (), **extra: object) -> Note:
    return Note(slug, slug.title(), f"/notes/{slug}/", NoteDate(dt.datetime(2024, 3, day)), RenderedBody(f"<p>{slug}</p>"),
                SourceSpan(f"content/{slug}.md", rel=f"{slug}.md"), tags=tags,
                papers=tuple(PaperRef(pid, "", "") for pid in papers), **extra)  # type: ignore[arg-type]


NOTES = (note("a", 1, ("ml",), ("arxiv:2305.10601",)), note("b", 2, ("ml", "rl"), aliases=("/old/b.html",)))


@pytest.fixture
def graph():
    return build_graph(NOTES, Config())


def test_each_page_kind_has_one_emitter_and_plan_runs_them_in_order(graph):
    config = Config()
    pages = list(plan(graph, config))
    urls = [page.url for page in pages]
    assert len(urls) == len(set(urls))
    per_emitter = [page.url for emitter in EMITTERS for page in emitter(graph, config, lambda url: True)]
    assert urls == per_emitter + ["/sitemap.xml"]
    assert {"/notes/a/", "/tags/", "/tags/ml/", "/tags/ml/feed.xml", "/papers/",
            "/papers/arxiv-2305.10601/", "/papers.bib", "/archive/", "/2024/", "/2024/03/", "/graph.json",
            "/search/", "/404.html", "/robots.txt", "/old/b.html", "/_redirects"} <= set(urls)


def test_the_sitemap_lists_every_page_but_the_error_page_and_redirects_in_url_order(graph):
    pages = list(plan(graph, Config()))
    sitemap = pages[-1]
    assert isinstance(sitemap, TextFile) and sitemap.url == "/sitemap.xml"
    listed = re.findall(r"<loc>(.*?)</loc>", sitemap.data().decode())
    expected = sorted(p.url for p in pages if isinstance(p, Page) and p.url not in ("/404.html", "/old/b.html"))
    assert listed == [html.escape(Config().absolute_url(url)) for url in expected]


def test_planning_again_makes_only_the_wanted_pages(graph):
    assert [page.url for page in plan(graph, Config(), only={"/notes/b/", "/tags/rl/"})] == ["/notes/b/", "/tags/rl/"]
    assert [page.url for page in plan(graph, Config(), only={"/old/b.html"})] == ["/old/b.html"]  # as when read
    assert [page.url for page in plan(graph, Config(), only={"/notes/b/", "/old/b.html"})] == ["/notes/b/", "/old/b.html"]


def test_tag_pages_follow_the_configured_urls():
    config = Config(urls=SiteURLs(tags="/topics/", tag="/topics/{slug}/"))
    graph = build_graph(NOTES, config)
    urls = [page.url for page in tag_pages.emit(graph, config)]
    assert urls == ["/topics/", "/topics/ml/", "/topics/rl/"]


def test_templates_see_views_that_carry_only_what_they_read(graph):
    viewed = {key: as_view(value) for key, value in {"note": graph.notes[0], "papers": graph.papers.papers,
                                                      "tags": graph.tags}.items()}
    assert isinstance(viewed["note"], NoteView) and viewed["note"].title == "B"
    paper = viewed["papers"][0]
    assert isinstance(paper, PaperView) and paper.url == "/papers/arxiv-2305.10601/"
    assert [n.id for n in paper.notes] == ["a"] and isinstance(paper.notes[0], NoteView)
    assert isinstance(viewed["tags"][0], TagGroupView) and [n.id for n in viewed["tags"][0].notes] == ["b", "a"]
    assert viewed["note"] == as_view(graph.notes[0]) and hash(viewed["note"]) == hash(as_view(graph.notes[0]))
    with pytest.raises(dataclasses.FrozenInstanceError):
        viewed["note"].title = "changed"  # type: ignore[misc]
    template = jinja2.Environment(undefined=jinja2.StrictUndefined).from_string("{{ note.source.path }}")
    with pytest.raises(jinja2.UndefinedError):
        template.render(note=viewed["note"])


def test_a_list_of_notes_makes_each_view_when_a_template_reaches_it(graph, monkeypatch):
    made: list[str] = []
    real = NoteView.of.__func__  # type: ignore[attr-defined]
    monkeypatch.setattr(NoteView, "of", classmethod(lambda cls, note, reads=None: made.append(note.id) or real(cls, note, reads)))
    group = as_view(graph.tags[0])
    notes = group.notes
    environment = jinja2.Environment(undefined=jinja2.StrictUndefined)
    assert environment.from_string("{{ group.notes | length }}").render(group=group) == "2"
    assert made == [], "counting the notes made no view"
    assert environment.from_string("{{ group.notes[-1].title }} {{ group.notes | map(attribute='id') | join }}"
                                   "{% for note in group.notes %}{{ loop.index }}{% endfor %}").render(group=group) == "A ba12"
    assert notes[0] is notes[0] is next(iter(notes)) and notes[:1] == (notes[0],) and notes[-1].id == "a"
    assert [n.id for n in reversed(notes)] == ["a", "b"] and notes[0] in notes
    assert made == ["a", "b"], "each view made once"
    with pytest.raises(IndexError):
        notes[2]
    year = as_view(graph.years[0])
    assert len(year.notes) == sum(len(month.notes) for month in year.months)
