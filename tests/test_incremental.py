"""A rebuild after an edit (the preview's, or the command line's from the cache folder) writes
exactly what a build from scratch writes."""

from __future__ import annotations

import marshal
import os
import time
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable

import pytest
from hypothesis import example, HealthCheck, given, settings, strategies as st

from papernotes.build import BuildOptions, KeptEngine, SiteLayout, build
from papernotes import engine as engine_module
from papernotes.engine import saved as saved_module
from papernotes.engine import CHANGES, Engine
from papernotes.model import Page, TextFile
from papernotes.serve.preview import MemorySink
from papernotes.serve.state import file_bytes
from papernotes.read import discover
from papernotes import read as read_module, walks
from papernotes.markdown import assets as assets_module
from papernotes.walks import WalkMemo

NOTES = {
    "content/a.md": "---\ntitle: Attention\ndate: 2024-03-01\ntags: [nlp, ml]\n---\n## Idea\n\nAbout "
                    "[arXiv:1706.03762](https://arxiv.org/abs/1706.03762), see [[Scaling]].\n\nMore text.\n",
    "content/b.md": "---\ntitle: Scaling\ndate: 2024-02-01\ntags: [ml]\n---\nOn arXiv:2001.08361 and "
                    "arXiv:1706.03762, unlike [[Nowhere]].\n\n$$E = mc^2$$\n",
    "content/c.md": "---\ntitle: Chinchilla\ndate: 2024-01-01\ntags: [ml]\naliases: [/old/c.html]\n---\n"
                    "Compute-optimal: arXiv:2203.15556 and [[Attention#Idea]].\n",
    "content/d.md": "---\ntitle: Digest\ndate: 2023-12-01\n---\nWhat the attention note says:\n\n![[Attention#Idea]]\n",
}

EDITS = [
    ("a.md", "More text.", "More text, and a second sentence."),                     # body only
    ("a.md", "## Idea\n\nAbout", "## Idea\n\nA closer look at"),                        # summary and excerpt
    ("b.md", "$$E = mc^2$$", "$$E = mc^2 + \\alpha$$\n\nA longer body."),               # body only, other note
    ("b.md", "On arXiv", "Now, on arXiv"),                                             # an unresolved link moves
    ("c.md", "tags: [ml]", "tags: [ml, scaling]"),                                     # a new tag: swapped in, planned in full
    ("a.md", "see [[Scaling]]", "see [[Scaling]] and [[Chinchilla]]"),                 # a new link
    ("b.md", "date: 2024-02-01", "date: 2023-02-01"),                                  # a new place in the order
]


def _files(sink: MemorySink) -> dict[str, bytes]:
    return {rel: file_bytes(data) for rel, data in sink.items()}


def _after_edit(engine: Engine, path: Path, old: str, new: str) -> MemorySink:
    """What ``engine`` writes after ``old`` became ``new`` in the file at ``path``."""
    path.write_text(path.read_text().replace(old, new))
    sink = MemorySink()
    engine.produce(sink)
    return sink


def _fresh(layout: SiteLayout) -> dict[str, bytes]:
    sink = MemorySink()
    Engine(layout, BuildOptions(search=False)).produce(sink)
    return _files(sink)


@pytest.mark.parametrize("render_now", [lambda rel: False, lambda rel: True], ids=["later", "at-once"])
def test_each_rebuild_after_an_edit_equals_a_build_from_scratch(make_site, monkeypatch, render_now):
    root = make_site(NOTES)
    layout = SiteLayout.find(root)
    engine = Engine(layout, BuildOptions(search=False), render_now=render_now)
    engine.produce(MemorySink())
    built = _graphs_built(monkeypatch)
    shapes_kept: list[bool] = []
    planned_in_part = []
    for name, old, new in EDITS:
        path = root / "content" / name
        path.write_text(path.read_text().replace(old, new))
        sink = MemorySink()
        before = len(built)
        engine.produce(sink)
        shapes_kept.append(len(built) == before)
        planned_in_part.append(engine.changed is not None)
        assert _files(sink) == _fresh(layout), f"after editing {name}: {old!r} → {new!r}"
    assert shapes_kept == [True, True, True, True, True, False, False], "body and tag edits take the short way, others the long"
    assert all(planned_in_part), "a graph built anew from the earlier one is planned in part too"


def test_only_pages_holding_the_edited_note_are_planned_again(make_site):
    root = make_site(NOTES)
    layout = SiteLayout.find(root)
    engine = Engine(layout, BuildOptions(search=False))
    engine.produce(MemorySink())
    before = dict(engine.plan.pages)
    path = root / "content/b.md"
    path.write_text(path.read_text() + "\nOne more line.\n")
    engine.produce(MemorySink())
    replanned = {url for url, page in engine.plan.pages.items() if page is not before[url]}
    assert "/notes/b/" in replanned and "/papers/arxiv-2001.08361/" in replanned
    assert "/notes/a/" in replanned  # it links to b, so b is in its context (backlinks, neighbours)
    assert "/tags/nlp/" not in replanned and "/sitemap.xml" not in replanned and "/graph.json" not in replanned


SUMMED_UP = {**NOTES, "content/b.md": NOTES["content/b.md"].replace("tags: [ml]\n", "tags: [ml]\nsummary: Scaling laws.\n")}
BODY_EDIT = ("b.md", "$$E = mc^2$$", "$$E = mc^2 + \\alpha$$\n\nA longer body.")  # its summary stays


def _rendered_after(root: Path, edit: tuple[str, str, str], monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], Engine]:
    """The URLs the preview renders again after ``edit``, and its engine."""
    engine = Engine(SiteLayout.find(root), BuildOptions(search=False), render_now=lambda rel: True)
    engine.produce(MemorySink())
    rendered: list[str] = []
    real = engine_module.render_reading
    monkeypatch.setattr("papernotes.engine.render_reading", lambda env, page, *rest: rendered.append(page.url) or real(env, page, *rest))
    name, old, new = edit
    path = root / "content" / name
    path.write_text(path.read_text().replace(old, new))
    engine.produce(MemorySink())
    return rendered, engine


def test_a_body_edit_renders_the_notes_page_and_the_feeds_but_not_the_lists_naming_it(make_site, monkeypatch):
    root = make_site(SUMMED_UP)
    rendered, _ = _rendered_after(root, BODY_EDIT, monkeypatch)
    assert "/notes/b/" in rendered and "/feed.xml" in rendered and "/tags/ml/feed.xml" in rendered
    assert not {"/archive/", "/", "/tags/ml/", "/notes/a/", "/papers/arxiv-2001.08361/"} & set(rendered), "they show its card only"


def test_a_body_edit_plans_again_only_the_pages_that_read_the_notes_text(make_site):
    """The note's card is the same, so the papers it discusses are too: the lists showing the
    note (the archive, its tag's and the home page), the papers' pages and lists, which show
    cards, are not planned again; its own page, the feeds and a paper's feed, which read its
    body or hold its notes whole, are."""
    root = make_site(SUMMED_UP)
    engine = Engine(SiteLayout.find(root), BuildOptions(search=False))
    engine.produce(MemorySink())
    before = dict(engine.plan.pages)
    name, old, new = BODY_EDIT
    path = root / "content" / name
    path.write_text(path.read_text().replace(old, new))
    sink = MemorySink()
    engine.produce(sink)
    assert engine.changed is not None and "text:note:b" in engine.changed
    replanned = {url for url, page in engine.plan.pages.items() if page is not before[url]}
    assert {"/notes/b/", "/feed.xml"} <= replanned
    assert not {"/archive/", "/", "/tags/ml/", "/notes/a/"} & replanned
    assert not {"/papers/", "/papers/read/", "/papers/published/", "/papers/arxiv-2001.08361/"} & replanned
    assert _files(sink) == _fresh(SiteLayout.find(root))


def test_a_paper_page_reading_its_notes_bodies_is_planned_again_after_a_body_edit(make_site):
    root = make_site({**SUMMED_UP, "templates/paper.html": "{% for note in paper.notes %}{{ note.body.html | safe }}{% endfor %}"})
    engine = Engine(SiteLayout.find(root), BuildOptions(search=False))
    engine.produce(MemorySink())
    name, old, new = BODY_EDIT
    path = root / "content" / name
    path.write_text(path.read_text().replace(old, new))
    sink = MemorySink()
    engine.produce(sink)
    assert b"A longer body" in file_bytes(sink["papers/arxiv-2001.08361/index.html"])
    assert _files(sink) == _fresh(SiteLayout.find(root))


def test_a_site_template_reading_bodies_in_a_list_has_it_rendered_again(make_site, monkeypatch):
    archive = ("{% for year in years %}{% for month in year.months %}{% for note in month.notes %}"
               "<div>{{ note.body.html | safe }}</div>{% endfor %}{% endfor %}{% endfor %}")
    root = make_site({**SUMMED_UP, "templates/archive.html": archive})
    rendered, engine = _rendered_after(root, BODY_EDIT, monkeypatch)
    assert "/archive/" in rendered and "/tags/ml/" not in rendered
    sink = MemorySink()
    engine.produce(sink)
    assert b"A longer body" in file_bytes(sink["archive/index.html"])
    assert _files(sink) == _fresh(SiteLayout.find(root))


def test_an_unopened_page_is_rendered_when_first_read(make_site):
    root = make_site(NOTES)
    layout = SiteLayout.find(root)
    engine = Engine(layout, BuildOptions(search=False), render_now=lambda rel: rel == "index.html")
    first = MemorySink()
    engine.produce(first)
    assert not isinstance(first["archive/index.html"], bytes), "the first build renders only what is open"
    assert not isinstance(first["notes/c/index.html"], bytes) and not isinstance(first["old/c.html"], bytes)
    assert isinstance(first["index.html"], bytes)
    assert _files(first) == _fresh(layout)
    sink = _after_edit(engine, root / "content/c.md", "Compute-optimal", "Compute-optimal training")
    archive = sink["archive/index.html"]
    assert not isinstance(archive, bytes), "the archive waits until somebody asks for it"
    assert not isinstance(sink["notes/c/index.html"], bytes), "so does the edited note's page, which nobody has open"
    assert b"Chinchilla" in file_bytes(archive)


def test_the_preview_tells_a_template_error_once_though_no_page_using_it_is_open(make_site):
    root = make_site({**NOTES, "templates/list.html": "{% extends 'base.html' %}{% block content %}{{ x | oops }}{% endblock %}"})
    for opened in ("", "index.html"):  # nothing open, or the home page, a list too
        engine = Engine(SiteLayout.find(root), BuildOptions(search=False), render_now=lambda rel: rel == opened)
        made = engine.produce(MemorySink())
        told = [d for d in made.diagnostics if "No filter named 'oops'" in d.message]
        assert len(told) == 1 and told[0].path.endswith("templates/list.html"), (opened, told)
    (root / "templates/list.html").write_text("{% extends 'base.html' %}{% block content %}fine{% endblock %}")
    assert not [d for d in engine.produce(MemorySink()).diagnostics if "template" in d.message]


def test_paths_are_found_again_after_a_file_is_added(make_site, monkeypatch):
    root = make_site(NOTES)
    layout = SiteLayout.find(root)
    engine = Engine(layout, BuildOptions(search=False))
    engine.produce(MemorySink())
    built = _graphs_built(monkeypatch)
    (root / "content/d.md").write_text("---\ntitle: Dropout\ndate: 2024-04-01\n---\nText.\n")
    sink = MemorySink()
    engine.produce(sink)
    assert built and "notes/d/index.html" in sink and _files(sink) == _fresh(layout)


def _graphs_built(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """A list that grows by one each time an engine builds a graph anew (not in place)."""
    built: list[bool] = []
    real = engine_module.build_graph
    monkeypatch.setattr(engine_module, "build_graph", lambda *arguments: built.append(True) or real(*arguments))
    return built


def test_a_folder_walk_is_trusted_only_while_its_folders_keep_their_times(tmp_path):
    folder = tmp_path / "notes"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.md").write_text("A")
    memo = WalkMemo()
    old = time.time() - 60
    for path in (folder, folder / "sub"):
        os.utime(path, (old, old))
    assert discover(folder, memo=memo) == [str(folder / "a.md")]
    assert memo.recall(f"notes:{folder}") == [str(folder / "a.md")], "nothing changed: the walk holds"
    (folder / "sub" / "b.md").write_text("B")
    assert memo.recall(f"notes:{folder}") is None, "a new file changed its folder's time"
    assert discover(folder, memo=memo) == [str(folder / "a.md"), str(folder / "sub" / "b.md")]
    assert memo.recall(f"notes:{folder}") is None, "a walk within a second of a change is not trusted"


def test_a_walk_that_left_out_a_built_site_is_taken_again_once_its_marker_goes(tmp_path):
    """A folder a build wrote is left out of the notes, and still watched: its marker removed
    (the folder made notes again), the walk kept no longer holds."""
    from papernotes.sitefiles import MARKER

    folder = tmp_path / "notes"
    (folder / "docs").mkdir(parents=True)
    (folder / "a.md").write_text("A")
    (folder / "docs" / "b.md").write_text("B")
    (folder / "docs" / MARKER).write_text("")
    memo = WalkMemo()
    old = time.time() - 60
    for path in (folder, folder / "docs"):
        os.utime(path, (old, old))
    assert discover(folder, memo=memo) == [str(folder / "a.md")]
    (folder / "docs" / MARKER).unlink()
    assert memo.recall(f"notes:{folder}") is None
    assert discover(folder, memo=memo) == [str(folder / "a.md"), str(folder / "docs" / "b.md")]


def test_a_walk_taken_again_that_finds_the_same_files_gives_the_list_it_gave(tmp_path):
    """A note saved by renaming a new file over it (vim, Emacs, a git checkout) changes its
    folder's time, so the walk is taken again; finding the same files, it gives the very list it
    gave before, which later steps know by identity. A file added gives a new list."""
    folder = tmp_path / "notes"
    folder.mkdir()
    note = folder / "a.md"
    note.write_text("A")
    memo = WalkMemo()
    old = time.time() - 60
    os.utime(folder, (old, old))
    first = discover(folder, memo=memo)
    saved = folder / ".a.md.tmp"
    saved.write_text("A, saved again")
    os.replace(saved, note)
    assert memo.recall(f"notes:{folder}") is None, "the rename changed the folder's time"
    assert discover(folder, memo=memo) is first
    (folder / "b.md").write_text("B")
    again = discover(folder, memo=memo)
    assert again == [str(note), str(folder / "b.md")] and again is not first


def test_a_note_saved_by_renaming_over_it_keeps_the_last_read_of_its_folder(make_site):
    """A kept engine (the preview) told of a note saved by renaming a new file over it keeps the
    last read's list of files and their places, as after a save in place, so it looks at that
    note alone: the folder's new time has the walk taken again, and it finds the same files."""
    root = make_site(NOTES)
    layout = SiteLayout.find(root)
    engine = Engine(layout, BuildOptions(search=False))
    old = time.time() - 60
    os.utime(root / "content", (old, old))
    engine.produce(MemorySink())
    assert engine.last_read is not None
    files = engine.last_read.paths
    edited = root / "content/a.md"
    saved = root / "content/.a.md.tmp"
    saved.write_text(edited.read_text().replace("More text.", "Renamed text."))
    os.replace(saved, edited)
    seen = MemorySink()
    engine.produce(seen, touched=frozenset({str(edited)}))
    assert b"Renamed text." in seen["notes/a/index.html"]
    assert engine.last_read.paths is files, "the same files: the same list, and the places found in it"


def test_a_watcher_naming_the_changed_files_spares_looking_at_the_others(make_site):
    root = make_site(NOTES)
    layout = SiteLayout.find(root)
    engine = Engine(layout, BuildOptions(search=False))
    engine.produce(MemorySink())
    edited = root / "content/a.md"
    edited.write_text(edited.read_text().replace("More text.", "Watched text."))
    unseen = MemorySink()
    engine.produce(unseen, touched=frozenset({str(root / "content/b.md")}))
    assert b"Watched text." not in unseen["notes/a/index.html"], "a file no event named is taken as it was"
    seen = MemorySink()
    engine.produce(seen, touched=frozenset({str(edited)}))
    assert b"Watched text." in seen["notes/a/index.html"]
    assert _files(seen) == _fresh(layout)



def test_a_watched_text_edit_publishes_the_last_notes_with_the_edited_one_put_in_place(make_site):
    """After a text edit the watcher names, the notes the graph takes are the last gathering's
    with the edited file's put where its were (no pass over every file's result), and they are
    those a gathering in full makes of the same results."""
    from papernotes.engine.gathering import gathered

    root = make_site(NOTES)
    engine = Engine(SiteLayout.find(root), BuildOptions(search=False))
    engine.produce(MemorySink())
    assert engine.gathering is not None
    last = engine.gathering[1]
    edited = root / "content/a.md"
    edited.write_text(edited.read_text().replace("More text.", "Watched text."))
    engine.produce(MemorySink(), touched=frozenset({str(edited)}))
    assert engine.gathering is not None
    now = engine.gathering[1]
    assert last.starts is not None and now.starts is last.starts, "put in place, not gathered in full"
    full = gathered(now.results, now.drafts, now.base_path)
    assert (now.notes, now.problems) == (full.notes, full.problems)
    assert any("Watched text." in note.body.html for note in now.notes)



def test_a_partial_plan_runs_no_emitter_after_the_one_giving_its_last_page(make_site, monkeypatch):
    """A text edit's pages are pages the last plan made, at URLs no emitter can newly claim: the
    emitters after the one that gives the last of them are not run (none at all when every page
    to plan again waits to be read), and the site is a build from scratch's."""
    from papernotes import emit
    from papernotes.emit import redirects

    ran: list[str] = []

    def recorded(graph: object, config: object, wanted: Callable[[str], bool]) -> Any:
        ran.append("redirects")
        return redirects.emit(graph, config, wanted)  # type: ignore[arg-type]

    monkeypatch.setattr(emit, "EMITTERS", tuple(recorded if f is redirects.emit else f for f in emit.EMITTERS))
    root = make_site(NOTES)
    layout = SiteLayout.find(root)
    engine = Engine(layout, BuildOptions(search=False), render_now=lambda rel: rel == "notes/a/index.html")
    engine.produce(MemorySink())
    ran.clear()
    sink = _after_edit(engine, root / "content/a.md", "More text.", "More text, edited.")
    assert not ran, "the note's page planned again, then no emitter more"
    assert b"More text, edited." in file_bytes(sink["notes/a/index.html"])
    hidden = Engine(layout, BuildOptions(search=False), render_now=lambda rel: False)
    hidden.produce(MemorySink())
    ran.clear()
    _after_edit(hidden, root / "content/a.md", "More text, edited.", "More text.")
    assert not ran



def test_the_images_notes_use_are_gathered_again_only_when_an_edit_changes_a_notes_images(make_site):
    """A text edit leaves the list of images the notes use as it was (the same list, not made
    again from every note); an edit that adds or drops an image has the image copied or gone."""
    root = make_site({**NOTES, "content/fig.png": _png(2, 1)})
    engine = Engine(SiteLayout.find(root), BuildOptions(search=False))
    sink = MemorySink()
    engine.produce(sink)
    assert engine.assets is not None
    listed = engine.assets[1]
    sink = MemorySink(_after_edit(engine, root / "content/a.md", "More text.", "More text, edited."))
    assert engine.assets is not None and engine.assets[1] is listed
    with_image = _after_edit(engine, root / "content/b.md", "unlike [[Nowhere]].", "unlike [[Nowhere]].\n\n![A figure](fig.png)")
    assert any(rel.startswith("assets/") and rel.endswith("fig.png") for rel in with_image)
    assert engine.assets is not None and engine.assets[1] != listed
    engine.produce(MemorySink())
    without = _after_edit(engine, root / "content/b.md", "\n\n![A figure](fig.png)", "")
    assert not any(rel.endswith("fig.png") for rel in without) and engine.assets is not None and engine.assets[1] == listed


# --- hypothesis: any sequence of edits, each rebuild checked against a build from scratch ---------

NAMES = ("a", "b", "c", "d")
TITLES = ("Attention", "Scaling", "Chinchilla", "Digest", "Dropout")


@st.composite
def _note(draw: st.DrawFn) -> str:
    """A note with a title, maybe a date, tags, papers, links and embeds to other notes."""
    lines = ["---", f"title: {draw(st.sampled_from(TITLES))}"]
    if draw(st.booleans()):
        lines.append(f"date: 2024-0{draw(st.integers(1, 9))}-0{draw(st.integers(1, 9))}")
    tags = draw(st.lists(st.sampled_from(("ml", "nlp", "rl", "ML")), max_size=2, unique=True))
    if tags:
        lines.append(f"tags: [{', '.join(tags)}]")
    if draw(st.booleans()):  # two notes with one old URL: a collision
        lines.append(f"aliases: [/old/{draw(st.sampled_from('wxyz'))}.html]")
    lines += ["---", "## Idea", ""]
    for _ in range(draw(st.integers(0, 3))):
        lines.append(draw(st.sampled_from((
            "Plain words about the method.", "On arXiv:1706.03762 and arXiv:2001.08361.",
            "See [[Scaling]] and [[Nowhere]].", "![[Attention#Idea]]", "Compute-optimal: arXiv:2203.15556.",
            "$$E = mc^2$$", "A #tagged sentence.", "Back to [[Digest]].", "![[fig.png]]", "![A figure](fig.png)",
            "![A figure](/img/fig.png)"))))
        lines.append("")
    return "\n".join(lines) + "\n"


_EDIT = st.one_of(
    st.tuples(st.just("write"), st.sampled_from(NAMES), _note()),
    st.tuples(st.just("append"), st.sampled_from(NAMES), st.sampled_from(("More text.", "Now [[Chinchilla]].", "arXiv:2106.09685"))),
    st.tuples(st.just("retag"), st.sampled_from(NAMES), st.lists(st.sampled_from(("ml", "nlp", "rl", "ML")), max_size=3,
                                                                 unique=True).map(", ".join)),
    st.tuples(st.just("delete"), st.sampled_from(NAMES), st.just("")),
    st.tuples(st.just("rename"), st.sampled_from(NAMES), st.sampled_from(NAMES)),
    st.tuples(st.just("config"), st.just(""), st.sampled_from(("title: One\n", "title: Two\npage_size: 1\n", ""))),
    st.tuples(st.just("template"), st.just(""), st.sampled_from(("<h1>Lost</h1>\n", "<h1>Gone: {{ title }}</h1>\n"))),
    st.tuples(st.just("image"), st.sampled_from(("fig.png", "img/fig.png", "sub/fig.png")), st.sampled_from(("", "2x1", "3x2"))),
)


def _png(width: int, height: int) -> bytes:
    """A PNG of ``width`` by ``height`` black pixels."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    pixels = zlib.compress(b"".join(b"\0" + b"\0\0\0" * width for _ in range(height)))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", pixels) + chunk(b"IEND", b""))


def _apply(root: Path, edit: tuple[str, str, str]) -> None:
    kind, name, text = edit
    path = root / "content" / f"{name}.md"
    if kind == "write":
        path.write_text(text)
    elif kind == "append" and path.exists():
        path.write_text(path.read_text() + f"\n{text}\n")
    elif kind == "retag" and path.exists():
        first, *rest = [line for line in path.read_text().split("\n") if not line.startswith("tags:")]
        path.write_text("\n".join([first, *([f"tags: [{text}]"] if text else []), *rest]))
    elif kind == "delete" and len(list((root / "content").glob("*.md"))) > 1:
        path.unlink(missing_ok=True)
    elif kind == "rename" and path.exists():
        path.rename(root / "content" / f"{text}.md")
    elif kind == "config":
        (root / "papernotes.yaml").write_text(text)
    elif kind == "template":
        (root / "templates").mkdir(exist_ok=True)
        (root / "templates" / "404.html").write_text(text)
    elif kind == "image":  # added, changed or removed: the notes naming it are read again
        image = root / "content" / name
        if text:
            image.parent.mkdir(exist_ok=True)
            image.write_bytes(_png(*map(int, text.split("x"))))
        else:
            image.unlink(missing_ok=True)


def _folder(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file() and p.name != ".papernotes-site"}


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(start=st.lists(_note(), min_size=len(NAMES), max_size=len(NAMES)), edits=st.lists(_EDIT, min_size=1, max_size=3))
@example(start=["---\ntitle: Attention\n---\n## Idea\n\n"] * 3 + ["---\ntitle: Attention\ndate: 2024-01-01\naliases: [/old/w.html]\n---\n"],
         edits=[("write", "a", "---\ntitle: Attention\naliases: [/old/w.html]\n---\n## Idea\n\n")])  # a second claim on an old URL
@example(start=["---\ntitle: Attention\n---\n", "---\ntitle: Scaling\naliases: [/old/w.html]\n---\n",
                "---\ntitle: Attention\n---\n", "---\ntitle: Attention\naliases: [/old/x.html]\n---\n"],
         edits=[("write", "b", "---\ntitle: Attention\naliases: [/old/w.html]\n---\n")])  # redirects listed in another order
def test_any_edit_sequence_rebuilds_as_a_build_from_scratch(tmp_path_factory, start, edits):
    """The preview's long-lived engine, the command line's engine restored from the cache
    folder and the one ``build --watch`` keeps between builds all write, after every edit,
    exactly what a build from scratch writes."""
    root = tmp_path_factory.mktemp("site")
    for name, text in zip(NAMES, start):
        (root / "content").mkdir(exist_ok=True)
        (root / "content" / f"{name}.md").write_text(text)
    layout, watched = SiteLayout.find(root), SiteLayout.find(root, root / "watched")
    options = BuildOptions(search=False, workers=1)
    preview = Engine(layout, options, render_now=lambda rel: rel.startswith("notes/"))
    preview.produce(MemorySink())
    build(layout, options)
    kept = KeptEngine()
    build(watched, options, kept_engine=kept)
    try:
        for edit in edits:
            _apply(root, edit)
            sink = MemorySink()
            preview.produce(sink)
            fresh = _fresh(layout)
            assert _files(sink) == fresh, f"preview after {edit}"
            build(layout, options)
            scratch = SiteLayout.find(root, root / "scratch")
            build(scratch, replace(options, cache=False))
            assert _folder(layout.out) == _folder(scratch.out), f"command line after {edit}"
            build(watched, options, kept_engine=kept)
            assert _folder(watched.out) == _folder(scratch.out), f"kept engine after {edit}"
    finally:
        kept.close()


def _renders_logged(monkeypatch: pytest.MonkeyPatch, log: Path) -> Callable[[], list[str]]:
    """The URLs of the pages rendered from now on, in this process or in worker processes."""
    def logged(real: Callable[..., object]) -> Callable[..., object]:
        def render(env: object, page: Page, *rest: object) -> object:
            with open(log, "a", encoding="utf-8") as handle:
                handle.write(page.url + "\n")
            return real(env, page, *rest)
        return render

    monkeypatch.setattr("papernotes.engine.render_reading", logged(engine_module.render_reading))
    monkeypatch.setattr("papernotes.engine.parallel.render_stream", logged(engine_module.parallel.render_stream))
    return lambda: log.read_text(encoding="utf-8").split() if log.exists() else []


def test_a_command_line_build_renders_only_the_pages_an_edit_changed(make_site, monkeypatch, tmp_path):
    """The digests of a build's pages (rendered in parallel or not) are kept in the cache
    folder, so the next ``papernotes build`` links the pages an edit did not change (this edit
    changes the title the note gives a paper: every page is planned, in worker processes)."""
    monkeypatch.setattr("papernotes.engine.PARALLEL_NOTES", 1)
    root = make_site(NOTES)
    layout = SiteLayout.find(root)
    build(layout, BuildOptions(search=False, workers=2))
    rendered = _renders_logged(monkeypatch, tmp_path / "rendered.txt")
    path = root / "content/c.md"
    path.write_text(path.read_text().replace("Compute-optimal", "Compute-optimal training"))
    result = build(layout, BuildOptions(search=False, workers=2))
    assert "/notes/c/" in rendered() and "/tags/nlp/" not in rendered() and len(rendered()) < result.pages
    scratch = SiteLayout.find(root, root / "scratch")
    build(scratch, BuildOptions(search=False, cache=False, workers=1))
    assert _folder(layout.out) == _folder(scratch.out)


@pytest.mark.parametrize("emptied", [False, True], ids=["gone", "emptied"])
def test_a_build_into_an_output_folder_that_is_gone_renders_every_page_in_the_render_workers(make_site, monkeypatch, emptied):
    """A fresh checkout with the cache folder kept (as the publishing workflows keep it) has
    no output folder, or an empty one: the state is restored, but no page of the last build is
    at hand, so the render workers render them all rather than this process one by one; the
    output is a build from scratch's, and the next build after an edit plans only what the
    edit changed."""
    import shutil

    from papernotes.engine.parallel import Parallel

    monkeypatch.setattr("papernotes.engine.PARALLEL_NOTES", 1)
    root = make_site(NOTES)
    layout = SiteLayout.find(root)
    options = BuildOptions(search=False, workers=2)
    build(layout, options)
    shutil.rmtree(layout.out)
    if emptied:
        layout.out.mkdir()
    pooled: list[int] = []
    everything = Parallel.everything
    monkeypatch.setattr(Parallel, "everything", lambda self, *args: pooled.append(1) or everything(self, *args))
    keyed = root / "keyed.txt"  # no file of the last build to keep: each page keyed once, as rendered
    digest = engine_module.parallel.digest_page
    monkeypatch.setattr("papernotes.engine.parallel.digest_page",
                        lambda page, *rest: keyed.open("a").write(page.url + "\n") and digest(page, *rest))
    again = build(layout, options)
    scratch = SiteLayout.find(root, root / "scratch")
    cold = build(scratch, BuildOptions(search=False, cache=False, workers=1))
    assert pooled == [1] and again.pages == cold.pages and _folder(layout.out) == _folder(scratch.out)
    urls = keyed.read_text().split()
    assert len(urls) == len(set(urls)) > 0
    rendered = _renders_logged(monkeypatch, root / "rendered.txt")
    path = root / "content/c.md"
    path.write_text(path.read_text() + "\nOne more line.\n")
    build(layout, options)
    assert pooled == [1] and "/notes/c/" in rendered() and "/tags/nlp/" not in rendered()


def test_a_command_line_build_after_a_text_edit_gives_the_output_folder_only_the_pages_planned_again(make_site, monkeypatch):
    """With every file of the output as the last build left it, a build planning some pages
    again writes those and keeps the others in bulk (no look at each); a static file gone since
    is deleted all the same, the manifest names every file, and the output is a build from
    scratch's. With a file of the output changed by hand, every page is looked at again."""
    from papernotes import inplace, uptodate
    from papernotes.sitefiles import cache_folder

    root = make_site({**NOTES, "static/extra.css": "p { color: red }\n"})
    layout = SiteLayout.find(root)
    options = BuildOptions(search=False, workers=1)
    build(layout, options)
    kept, looked = [], []
    keep = inplace.InPlace.keep
    monkeypatch.setattr(inplace.InPlace, "keep", lambda self, rels: kept.append(list(rels)) or keep(self, kept[-1]))
    monkeypatch.setattr(inplace.InPlace, "reuse", _recorded(inplace.InPlace.reuse, looked))
    time.sleep(1.1)  # no file of the last build racy
    path = root / "content/a.md"
    path.write_text(path.read_text().replace("More text.", "Other text."))
    (root / "static/extra.css").unlink()
    build(layout, options)
    (pages,) = kept  # every page's file named once, in bulk: only those planned again are looked at each
    assert sum(rel.endswith(".html") for rel, _ in looked) < len(pages) / 2
    scratch = SiteLayout.find(root, root / "scratch")
    build(scratch, replace(options, cache=False))
    assert _folder(layout.out) == _folder(scratch.out) and not (layout.out / "extra.css").exists()
    manifest = uptodate.load(cache_folder(str(root), str(layout.content), str(layout.out)))
    assert manifest is not None and set(uptodate.output_stamps(manifest)) == {
        p.relative_to(layout.out).as_posix() for p in layout.out.rglob("*") if p.is_file()}
    kept.clear()
    (layout.out / "tags" / "index.html").write_text("changed by hand")
    path.write_text(path.read_text().replace("Other text.", "More text."))
    build(layout, options)
    again = SiteLayout.find(root, root / "scratch-again")
    build(again, replace(options, cache=False))
    assert not kept and _folder(layout.out) == _folder(again.out), "looked at page by page, the hand's change undone"


def _recorded(method: Any, calls: list[object]) -> Any:
    def recording(self: object, *args: object) -> Any:
        calls.append(args)
        return method(self, *args)
    return recording


def test_a_build_planning_every_page_keeps_in_parallel_the_pages_that_did_not_change(make_site, monkeypatch, tmp_path):
    """A deletion builds the graph anew, so every page is planned and keyed: in worker processes
    too, which render only the pages whose keys changed and keep the others' files."""
    monkeypatch.setattr("papernotes.engine.PARALLEL_NOTES", 1)
    root = make_site(NOTES)
    layout = SiteLayout.find(root)
    options = BuildOptions(search=False, workers=2)
    build(layout, options)
    rendered = _renders_logged(monkeypatch, tmp_path / "rendered.txt")
    (root / "content/d.md").unlink()
    result = build(layout, options)
    assert "/notes/c/" in rendered(), "its older neighbour is gone"
    assert "/papers/arxiv-2001.08361/" not in rendered() and len(rendered()) < result.pages / 2
    scratch = SiteLayout.find(root, root / "scratch")
    build(scratch, BuildOptions(search=False, cache=False, workers=1))
    assert _folder(layout.out) == _folder(scratch.out)


def _engine_after_restore(layout: SiteLayout, monkeypatch: pytest.MonkeyPatch) -> list[Engine]:
    """The engines the next builds run, caught as they are restored."""
    restored: list[Engine] = []
    real = Engine.restore
    monkeypatch.setattr(Engine, "restore", lambda self, stamps: restored.append(real(self, stamps)) or restored[-1])
    return restored


def _engine_after_an_edit(root: Path, layout: SiteLayout, options: BuildOptions, monkeypatch: pytest.MonkeyPatch) -> Engine:
    """The engine of a build after a line was added to b.md, as it was restored."""
    restored = _engine_after_restore(layout, monkeypatch)
    path = root / "content/b.md"
    path.write_text(path.read_text() + "\nOne more line.\n")
    build(layout, options)
    (engine,) = restored
    return engine


KAPLAN = "@article{kaplan2020,\n  title={Scaling Laws for Neural Language Models},\n  author={Kaplan, Jared},\n" \
         "  year={2020},\n  eprint={2001.08361},\n  archivePrefix={arXiv}\n}\n"


@pytest.mark.parametrize("edit", [("Vaswani, Ashish", "Vaswani, Ashish and Shazeer, Noam"),
                                  ("Attention Is All You Need", "Zebra Attention"),
                                  ("@article{vaswani2017,", "@article{vaswani2017attention,"),
                                  ("", KAPLAN), ("REMOVE", "")],
                         ids=["authors", "title", "key", "entry-added", "entry-removed"])
def test_a_registry_edit_builds_as_a_build_from_scratch(make_site, edit):
    """After an edit of papers.bib the graph is built from the earlier one, each paper whose
    entry changed made again: the output is a cold build's, and again after one more edit."""
    bib = "@article{vaswani2017,\n  title={Attention Is All You Need},\n  author={Vaswani, Ashish},\n  year={2017},\n" \
          "  eprint={1706.03762},\n  archivePrefix={arXiv}\n}\n"
    root = make_site({**NOTES, "content/papers.bib": bib, "content/e.md": "Known as [@vaswani2017], beside arXiv:2001.08361."})
    layout = SiteLayout.find(root)
    options = BuildOptions(search=False, workers=1)
    build(layout, options)
    old, new = edit
    registry = root / "content/papers.bib"
    registry.write_text("" if old == "REMOVE" else bib + new if not old else bib.replace(old, new))
    build(layout, options)
    scratch = SiteLayout.find(root, root / "scratch")
    build(scratch, replace(options, cache=False))
    assert _folder(layout.out) == _folder(scratch.out)
    path = root / "content/b.md"
    path.write_text(path.read_text() + "\nA line more.\n")
    build(layout, options)
    build(scratch, replace(options, cache=False))
    assert _folder(layout.out) == _folder(scratch.out)


def test_notes_read_again_to_the_same_result_stay_the_objects_the_graph_holds(make_site, monkeypatch):
    """Files read again under other inputs (here another read-cache format) that come out as
    they were are taken as they were: a note the graph holds as read is the note in memory, not
    an equal copy that the state would then hold beside it in every later build."""
    from papernotes.read import site as read_site_module

    root = make_site({**NOTES, "content/e.md": "---\ntitle: Plain\ndate: 2023-11-01\n---\nNo links here.\n"})
    layout = SiteLayout.find(root)
    options = BuildOptions(search=False, workers=1)
    build(layout, options)
    monkeypatch.setattr(read_site_module, "CACHE_FORMAT", read_site_module.CACHE_FORMAT + 1)
    engine = _engine_after_an_edit(root, layout, options, monkeypatch)
    held = {note.id: note for _, _, result in engine.reads.memory.values() for note in result.notes}
    unlinked = [note for note in engine.graph.notes if not note.body.links]
    assert unlinked and all(held[note.id] is note for note in unlinked)
    assert held["a"] is engine.notes_in[[n.id for n in engine.notes_in].index("a")]


def test_a_feed_read_again_keeps_the_items_that_did_not_change(make_site, monkeypatch):
    """A feed edited in one item is read again whole; its other items stay the notes the graph
    holds, not equal copies held beside them."""
    item = ("<item><title>{0}</title><link>https://blog.example/{0}</link><guid>https://blog.example/{0}</guid>"
            "<pubDate>Fri, 03 Jan 2025 14:31:24 GMT</pubDate><description>About {0}.</description></item>")
    feed = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Blog</title>'
            "<link>https://blog.example/</link>{}</channel></rss>")
    root = make_site({**NOTES, "content/blog.xml": feed.format("".join(item.format(n) for n in ("one", "two", "three")))})
    layout = SiteLayout.find(root)
    options = BuildOptions(search=False, workers=1)
    build(layout, options)
    path = root / "content/blog.xml"
    path.write_text(path.read_text().replace("About two.", "About the second."))
    engine = _engine_after_an_edit(root, layout, options, monkeypatch)
    (_, _, result) = engine.reads.memory["blog.xml"]
    in_graph = {note.id: note for note in engine.graph.notes}
    assert [note.summary for note in result.notes] == ["About one.", "About the second.", "About three."]
    assert all(in_graph[note.id] is note for note in result.notes if note.summary != "About the second.")


def test_the_reads_of_deleted_files_are_forgotten(make_site, monkeypatch):
    """A file deleted leaves no read behind: not in memory, nor in the state the next build restores."""
    root = make_site(NOTES)
    layout = SiteLayout.find(root)
    options = BuildOptions(search=False, workers=1)
    build(layout, options)
    (root / "content/d.md").unlink()
    build(layout, options)
    engine = _engine_after_an_edit(root, layout, options, monkeypatch)
    assert sorted(engine.reads.memory) == ["a.md", "b.md", "c.md"]


@pytest.mark.parametrize("cites", ["Known as [@vaswani2017].", "---\ntitle: Cited\npaper: vaswani2017\n---\nOn it."],
                         ids=["citation", "front-matter"])
def test_a_registry_edit_reads_again_only_the_notes_that_looked_in_it(make_site, monkeypatch, cites):
    """An edit of papers.bib reads again the notes that cite one of its keys or name one in
    their front matter, not the others; the output is a cold build's."""
    from papernotes.read import site as read_site_module

    bib = "@article{vaswani2017,\n  title={Attention Is All You Need},\n  author={Vaswani, Ashish},\n  year={2017},\n" \
          "  eprint={1706.03762},\n  archivePrefix={arXiv}\n}\n"
    root = make_site({**NOTES, "content/papers.bib": bib, "content/e.md": cites})
    layout = SiteLayout.find(root)
    options = BuildOptions(search=False, workers=1)
    build(layout, options)
    read_again: list[str] = []
    real = read_site_module.read_guarded
    monkeypatch.setattr(read_site_module, "read_guarded",
                        lambda path, rel, context: read_again.append(rel) or real(path, rel, context))
    registry = root / "content/papers.bib"
    registry.write_text(bib.replace("Vaswani, Ashish", "Vaswani, Ashish and Shazeer, Noam"))
    build(layout, options)
    assert read_again == ["e.md"]
    scratch = SiteLayout.find(root, root / "scratch")
    build(scratch, replace(options, cache=False))
    assert _folder(layout.out) == _folder(scratch.out)


def test_a_command_line_build_after_an_edit_takes_the_previews_short_way(make_site, monkeypatch):
    """The graph, plan and reads the last build kept in the cache folder let the next one swap the
    edited note into the graph and plan again only the pages holding it, as the preview does."""
    root = make_site(NOTES)
    layout = SiteLayout.find(root)
    options = BuildOptions(search=False, workers=1)
    build(layout, options)
    engine = _engine_after_an_edit(root, layout, options, monkeypatch)
    assert engine.changed is not None and "note:b" in engine.changed, "the graph was not built anew"
    assert "/notes/b/" in engine.plan.dependents["note:b"]
    scratch = SiteLayout.find(root, root / "scratch")
    build(scratch, replace(options, cache=False))
    assert _folder(layout.out) == _folder(scratch.out)


def test_a_walk_taken_again_by_a_command_line_build_is_kept_for_the_next(make_site, monkeypatch):
    """A build that began within a second of a folder's change walks it again in the next build;
    that walk is saved, so the build after it walks nothing (the saved walks are not changed in
    place, where the new one would look like the one saved)."""
    root = make_site(NOTES)
    layout = SiteLayout.find(root)
    options = BuildOptions(search=False, workers=1)
    now = time.time()
    os.utime(root / "content", (now, now))  # the first build's walks are taken within its second
    build(layout, options)
    old = now - 60
    os.utime(root / "content", (old, old))  # the folder's time moves: each walk is taken again
    walked: list[str] = []
    real = walks.walk
    for module in (read_module, assets_module):  # the notes' walk and the static files'
        monkeypatch.setattr(module, "walk_folders", lambda top: walked.append(os.fspath(top)) or real(top))
    path = root / "content/b.md"
    path.write_text(path.read_text() + "\nOne more line.\n")
    build(layout, options)
    assert walked, "the changed folder was walked again"
    walked.clear()
    path.write_text(path.read_text() + "\nAnd another.\n")
    build(layout, options)
    assert not walked, "the walks of the build before were kept"


def test_a_build_run_from_another_folder_takes_the_short_way_and_prints_paths_from_there(make_site, monkeypatch):
    """Notes and problems carry their files' absolute paths, so the kept reads and graph serve a
    build started from any folder; a problem's path is printed relative to the current one."""
    root = make_site(NOTES)
    layout = SiteLayout.find(root)
    options = BuildOptions(search=False, workers=1)
    monkeypatch.chdir(root)
    build(layout, options)
    restored = _engine_after_restore(layout, monkeypatch)
    monkeypatch.chdir(root / "content")
    path = root / "content/b.md"
    path.write_text(path.read_text() + "\nOne more line.\n")
    result = build(layout, options)
    (engine,) = restored
    assert engine.changed is not None and "note:b" in engine.changed, "the graph was built anew"
    (unresolved,) = [d for d in result.diagnostics if "Nowhere" in d.message]
    assert unresolved.path == str(path) and str(unresolved).startswith("b.md:")


@pytest.mark.parametrize("title, file, short_way", [
    ("Digest of attention", "d.md", True),  # no link names either title, and the note keeps its place
    ("Nowhere", "d.md", True),              # b.md's unresolved [[Nowhere]] now leads to it
    ("Aardvark", "d.md", True),             # first by title among notes of other dates: its place is its date's
    ("Focus", "a.md", True),                # c.md's and d.md's [[Attention#Idea]] no longer lead to it
    ("Chinchilla", "a.md", True),           # a title another note has: links naming it lead where a cold build says
])
def test_a_new_title_is_taken_in_place_unless_a_link_or_the_order_depends_on_it(make_site, monkeypatch, title, file,
                                                                                 short_way):
    """A title edit that moves nothing is swapped into the kept graph, as a text edit is (the
    pages naming the note, graph.json and the local graphs of the notes linking to it are made
    again); the notes whose links name either title are linked again, with the notes they lead
    to. Either way the output and the problems told are a cold build's."""
    root = make_site({**NOTES, "content/e.md": "---\ntitle: Elsewhere\ndate: 2024-06-01\n---\nBy its file name: [[d]].\n"})
    layout = SiteLayout.find(root)
    options = BuildOptions(search=False, workers=1)
    build(layout, options)
    restored = _engine_after_restore(layout, monkeypatch)
    path = root / "content" / file
    old = "title: Digest" if file == "d.md" else "title: Attention"
    path.write_text(path.read_text().replace(old, f"title: {title}"))
    result = build(layout, options)
    (engine,) = restored
    assert (engine.changed is not None and f"note:{file[0]}" in engine.changed) == short_way
    scratch = SiteLayout.find(root, root / "scratch")
    cold = build(scratch, replace(options, cache=False))
    assert _folder(layout.out) == _folder(scratch.out)
    assert result.diagnostics == cold.diagnostics
    if short_way:
        _as_cold_and_replayed(root, layout, options, path, restored)


@pytest.mark.parametrize("archive, archive_again", [
    (None, False),  # the theme's archive lists dates and titles: a new tag does not change it
    ('{% for year in years %}{% for note in year.notes %}{{ note.title }} {{ note.tags | join(",") }};'
     '{% endfor %}{% endfor %}', True),  # a site's own archive showing tags is made again
    ('{% for year in years %}{% for note in year.notes %}{{ note | attr("tags") | length }};{% endfor %}{% endfor %}',
     True),  # read by a filter, not by the template's own attribute lookup
])
def test_a_page_is_made_again_only_when_a_field_it_shows_of_a_note_changed(make_site, monkeypatch, archive,
                                                                         archive_again):
    """A page is compared by the fields its templates read of the notes it lists (however they
    read them), so that an edit of a note's tags makes again the pages showing tags and not a
    list of titles; either way the output is a cold build's."""
    files = dict(NOTES)
    if archive is not None:
        files["templates/archive.html"] = archive
    root = make_site(files)
    layout = SiteLayout.find(root)
    options = BuildOptions(search=False, workers=1)
    build(layout, options)
    rendered: list[str] = []
    real = engine_module.render_reading
    monkeypatch.setattr("papernotes.engine.render_reading", lambda env, page, *rest: rendered.append(page.url) or real(env, page, *rest))
    path = root / "content/b.md"
    path.write_text(path.read_text().replace("tags: [ml]", "tags: [ml, vision]"))
    build(layout, options)
    assert "/tags/ml/" in rendered and ("/archive/" in rendered) == archive_again
    scratch = SiteLayout.find(root, root / "scratch")
    build(scratch, replace(options, cache=False))
    assert _folder(layout.out) == _folder(scratch.out)


def test_a_list_reading_no_field_an_edit_changed_is_not_planned_again(make_site, monkeypatch):
    """An edit of a note's tags plans again the pages holding the note, but not a list that read
    none of its tags (the archive: dates and titles), whose key could not change; the output is
    a cold build's."""
    root = make_site(dict(NOTES))
    layout = SiteLayout.find(root)
    options = BuildOptions(search=False, workers=1)
    build(layout, options)
    keyed: list[str] = []
    real = engine_module.digest_page
    monkeypatch.setattr(engine_module, "digest_page", lambda page, *rest: keyed.append(page.url) or real(page, *rest))
    restored = _engine_after_restore(layout, monkeypatch)
    path = root / "content/b.md"
    path.write_text(path.read_text().replace("tags: [ml]", "tags: [ml, nlp]"))  # a tag other notes have: in place
    build(layout, options)
    (engine,) = restored
    assert engine.changed is not None, "taken in place"
    assert "/notes/b/" in keyed and "/2024/02/" in keyed, "the note's page, and its month's list, which shows tags"
    assert "/archive/" not in keyed and "/2024/" not in keyed, "lists of dates and titles"
    scratch = SiteLayout.find(root, root / "scratch")
    build(scratch, replace(options, cache=False))
    assert _folder(layout.out) == _folder(scratch.out)


def _built_with_a_preview(make_site: Callable[..., Path], files: dict[str, str],
                          monkeypatch: pytest.MonkeyPatch) -> tuple[Path, SiteLayout, BuildOptions, Engine, list[Engine]]:
    """A site built from the command line, the preview's engine after its first build, and the
    engines the next command-line builds restore."""
    root = make_site(files)
    layout = SiteLayout.find(root)
    options = BuildOptions(search=False, workers=1)
    build(layout, options)
    preview = Engine(layout, options, render_now=lambda rel: True)
    preview.produce(MemorySink())
    return root, layout, options, preview, _engine_after_restore(layout, monkeypatch)


def _as_cold_and_replayed(root: Path, layout: SiteLayout, options: BuildOptions, path: Path,
                          restored: list[Engine]) -> None:
    """The output is a cold build's, and again after one more edit of ``path``, whose build
    starts from the state saved after the first."""
    scratch = SiteLayout.find(root, root / "scratch")
    build(scratch, replace(options, cache=False))
    assert _folder(layout.out) == _folder(scratch.out)
    path.write_text(path.read_text() + "\nA line more.\n")
    build(layout, options)
    assert len(restored) > 1 and restored[-1].changed is not None, "the saved state was not taken"
    build(scratch, replace(options, cache=False))
    assert _folder(layout.out) == _folder(scratch.out)


SAME_DAY = {
    "content/p.md": "---\ntitle: Alpha\ndate: 2024-05-01\ntags: [ml]\n---\nOn arXiv:1706.03762, and see [[r]].\n",
    "content/q.md": "---\ntitle: Beta\ndate: 2024-05-01\ntags: [ml, nlp]\n---\nOn arXiv:2203.15556; see [[r]].\n",
    "content/r.md": "---\ntitle: Gamma\ndate: 2024-05-01\ntags: [nlp]\n---\nOn arXiv:1706.03762 too.\n",
    "content/s.md": "---\ntitle: Earlier\ndate: 2024-04-01\ntags: [ml]\n---\nOn arXiv:2001.08361.\n",
    "content/t.md": "---\ntitle: Undated one\ntags: [nlp]\n---\nWords.\n",
    "content/u.md": "---\ntitle: Undated two\n---\nOn arXiv:2001.08361.\n",
}


@pytest.mark.parametrize("edit, in_place", [
    (("p.md", "title: Alpha", "title: Bz"), True),        # past Beta, which shares a tag, not a paper: the
                                                          # tag's citation files list their papers anew
    (("q.md", "title: Beta", "title: Aa"), True),         # before Alpha, in the pages of both tags
    (("p.md", "title: Alpha", "title: Zulu"), False),     # past Gamma too, which discusses its paper
    (("r.md", "title: Gamma", "title: Abc"), False),      # the same, the other way
    (("t.md", "title: Undated one", "title: Zz"), True),  # among the notes with no date, past one without its tag
])
def test_a_new_title_moving_a_note_among_those_of_its_date_is_taken_in_place(make_site, monkeypatch, edit, in_place):
    """A title edit that moves a note among the notes of its date (or those with none) moves it in
    the kept graph, unless a note it passes discusses one of its papers; the pages planned again
    are those holding the notes that changed places. The preview and the command line write
    what a cold build writes, and the state saved after it replays."""
    root, layout, options, preview, restored = _built_with_a_preview(make_site, SAME_DAY, monkeypatch)
    built = _graphs_built(monkeypatch)
    name, old, new = edit
    path = root / "content" / name
    sink = _after_edit(preview, path, old, new)
    assert (not built) == in_place
    assert _files(sink) == _fresh(layout)
    built.clear()
    build(layout, options)
    (engine,) = restored
    assert (not built) == in_place
    _as_cold_and_replayed(root, layout, options, path, restored)


@pytest.mark.parametrize("edit, in_place, planned_in_part", [
    (("d.md", "date: 2023-12-01\n", "date: 2023-12-01\ntags: [ml]\n"), True, True),  # joins a tag, whose pages stay
    (("b.md", "tags: [ml]", "tags: [ml, nlp]"), True, True),                        # and another note's related list
    (("a.md", "tags: [nlp, ml]", "tags: [ml, nlp]"), True, True),                   # the same tags in another order
    (("d.md", "date: 2023-12-01\n", "date: 2023-12-01\ntags: [ML]\n"), True, True),  # a tag named as another is
    (("c.md", "tags: [ml]", "tags: [ml, nlp]\ndate: 2024-01-02"), False, True),     # and a new date: built anew, in its place
    (("c.md", "tags: [ml]", "tags: [ml, nlp]\ndate: 2024-03-02"), False, True),     # a date that moves it: planned in part
    (("e.md", "tags: [nlp, solo, lone]", "tags: [nlp, solo]"), True, True),          # lone is left without notes
    (("d.md", "date: 2023-12-01\n", "date: 2023-12-01\ntags: [new]\n"), True, True),    # a new tag: its pages come
    (("a.md", "tags: [nlp, ml]", "tags: [NLP, ml]"), False, False),                 # a new name for nlp (a.md is first)
    (("c.md", "tags: [ml]", "tags: [ml, NLP]"), True, True),                         # nlp as it was named (a.md's)
    (("e.md", "tags: [nlp, solo, lone]", "tags: [nlp, lone]"), True, True),   # solo's notes cite no paper: its
    (("f.md", "tags: [solo]", "tags: [solo, nlp]"), True, True),              # citation files go; f's come
    (("f.md", "tags: [solo]", "tags: [nlp]"), True, True),                    # solo keeps e alone
    (("d.md", "date: 2023-12-01\n", "date: 2023-12-01\ntags: [Fresh, about/notes]\n"), True, True),  # two new
])
def test_a_tag_edit_is_taken_in_place_while_the_tags_keep_their_pages(make_site, monkeypatch, edit, in_place,
                                                                       planned_in_part):
    """An edit of one note's tags alone is swapped into the kept graph, its tags grouped again
    and the related notes of those sharing them found again; the pages planned again are those
    holding the note, every page of the tags it took or left, the tags index, graph.json and the
    notes whose related notes changed; the sitemap too when a tag's pages come or go. A new
    name for a tag (the first note by path names it) builds the graph anew. The preview
    and the command line write what a cold build writes, and the state saved after it replays."""
    root, layout, options, preview, restored = _built_with_a_preview(make_site, {
        **NOTES, "content/e.md": "---\ntitle: Elsewhere\ndate: 2024-06-01\ntags: [nlp, solo, lone]\n---\n"
                                 "On arXiv:1805.00001 alone.\n",
        "content/f.md": "---\ntitle: Fifth\ndate: 2024-07-01\ntags: [solo]\n---\nNo paper.\n"}, monkeypatch)
    planned: list[bool] = []  # each plan: in full or not
    real = engine_module.plan_pages
    monkeypatch.setattr(engine_module, "plan_pages", lambda graph, config, only=None: planned.append(only is None)
                        or real(graph, config, only))
    built = _graphs_built(monkeypatch)
    name, old, new = edit
    path = root / "content" / name
    sink = _after_edit(preview, path, old, new)
    assert (not built, planned[-1] is False) == (in_place, planned_in_part)
    assert _files(sink) == _fresh(layout)
    planned.clear()
    built.clear()
    build(layout, options)
    (engine,) = restored
    assert (not built, planned[-1] is False) == (in_place, planned_in_part)
    _as_cold_and_replayed(root, layout, options, path, restored)


COUNTS = '''from papernotes.model import TextFile


def emit(graph, config, wanted=lambda url: True):
    counts = "".join(f"{group.tag.slug} {len(group.notes)}\\n" for group in graph.tags)
    if wanted("/tag-counts.txt"):
        yield TextFile("/tag-counts.txt", lambda: counts, counts)


emitters = [emit]
'''


def test_a_tag_edit_draws_again_the_local_graphs_showing_the_note(make_site):
    """A note's local graph shows the tags of the notes it links to: a tag edit taken in place
    draws again the pages of the notes linking to the edited one (here neither its neighbour in
    time nor related to it), as a title edit does."""
    root = make_site({"content/x.md": "---\ntitle: X\ndate: 2024-01-01\ntags: [rl]\n---\nSee [[Y]].\n",
                      "content/y.md": "---\ntitle: Y\ndate: 2024-01-03\ntags: [ml]\n---\nPlain words.\n",
                      "content/z.md": "---\ntitle: Z\ndate: 2024-01-02\ntags: [nlp]\n---\nOther words.\n"})
    layout = SiteLayout.find(root)
    preview = Engine(layout, BuildOptions(search=False), render_now=lambda rel: True)
    preview.produce(MemorySink())
    sink = _after_edit(preview, root / "content/y.md", "tags: [ml]", "tags: [ml, nlp]")
    assert preview.changed is not None, "taken in place"
    assert b'"nlp"' in _files(sink)["notes/x/index.html"]
    assert _files(sink) == _fresh(layout)


def test_a_tag_edit_plans_a_sites_own_pages_again(make_site):
    """A site's own emitter may show tags without holding their notes: after a tag edit every
    page is planned, and its page counts the tag's notes as a build from scratch does."""
    root = make_site({**NOTES, "papernotes.yaml": "plugins: [plugins.counts]\n", "plugins/counts.py": COUNTS})
    layout = SiteLayout.find(root)
    preview = Engine(layout, BuildOptions(search=False), render_now=lambda rel: True)
    preview.produce(MemorySink())
    sink = _after_edit(preview, root / "content/d.md", "date: 2023-12-01\n", "date: 2023-12-01\ntags: [ml]\n")
    assert preview.changed is not None, "the graph was built anew"
    assert _files(sink) == _fresh(layout)
    assert b"ml 4" in _files(sink)["tag-counts.txt"]


@pytest.mark.parametrize("damage", ["cut short", "older format", "bodies gone", "changes to another state"])
def test_a_damaged_or_older_state_means_a_build_from_scratch(make_site, monkeypatch, damage):
    root = make_site(NOTES)
    layout = SiteLayout.find(root)
    options = BuildOptions(search=False, workers=1)
    build(layout, options)
    state = layout.cache / engine_module.STATE
    if damage == "cut short":
        state.write_bytes(state.read_bytes()[: state.stat().st_size // 2])
    elif damage == "older format":
        monkeypatch.setattr("papernotes.engine.STATE_FORMAT", engine_module.STATE_FORMAT + 1)
    elif damage == "changes to another state":  # as if a build died between saving the whole and its changes
        other = SiteLayout.find(make_site(NOTES, name="other"))
        build(other, options)
        (layout.cache / engine_module.CHANGES).write_bytes((other.cache / engine_module.CHANGES).read_bytes())
    else:
        (layout.cache / "bodies").write_bytes(b"")
    restored = _engine_after_restore(layout, monkeypatch)
    path = root / "content/a.md"
    path.write_text(path.read_text().replace("More text.", "Other text."))
    build(layout, options)
    (engine,) = restored
    assert engine.changed is None, "nothing of the damaged state was used"
    scratch = SiteLayout.find(root, root / "scratch")
    build(scratch, replace(options, cache=False))
    assert _folder(layout.out) == _folder(scratch.out)


def test_a_second_build_at_the_same_time_keeps_no_state(make_site, monkeypatch):
    """The body store in the cache folder is one build's at a time; another builds without it."""
    from papernotes.bodystore import BodyStore

    root = make_site(NOTES)
    layout = SiteLayout.find(root)
    options = BuildOptions(search=False, workers=1)
    build(layout, options)
    holder = BodyStore.lasting(layout.cache)
    assert holder is not None and BodyStore.lasting(layout.cache) is None
    restored = _engine_after_restore(layout, monkeypatch)
    path = root / "content/a.md"
    path.write_text(path.read_text().replace("More text.", "Other text."))
    state = (layout.cache / engine_module.STATE).read_bytes()
    build(layout, options)
    assert restored == [] and (layout.cache / engine_module.STATE).read_bytes() == state
    assert b"Other text." in (layout.out / "notes/a/index.html").read_bytes()


def test_the_body_store_is_compacted_once_most_of_it_is_no_longer_referred_to(make_site, monkeypatch, tmp_path):
    """Each edit appends the note's new body to the store; the bodies edited away are dropped
    once they outweigh the others (here at once: no slack), and the state then saved refers to
    the bodies where they now are (those of the notes its link index holds as they were too)."""
    from papernotes import bodystore

    monkeypatch.setattr(bodystore, "SLACK", 0)
    root = make_site({**NOTES, "content/d.md": "---\ntitle: Digest\ndate: 2023-12-01\n---\nNo embeds: the index keeps notes as they were.\n",
                      "content/e.md": "---\ntitle: Long\n---\n" + "Many words in a long body.\n\n" * 400})
    layout, options = SiteLayout.find(root), BuildOptions(search=False, workers=1)
    build(layout, options)
    first = (layout.cache / bodystore.BODIES).stat().st_size
    sizes = []
    for number in range(12):
        path = root / "content/e.md"
        path.write_text(path.read_text() + f"\nEdit {number}.\n")
        build(layout, options)
        sizes.append((layout.cache / bodystore.BODIES).stat().st_size)
        assert (layout.cache / engine_module.STATE).is_file(), f"the state was saved after edit {number}"
    assert any(later < earlier for earlier, later in zip(sizes, sizes[1:])), sizes  # compacted
    assert max(sizes) < 2 * first, sizes  # appended only, the file would end with 13 long bodies
    restored = _engine_after_restore(layout, monkeypatch)
    path = root / "content/a.md"
    path.write_text(path.read_text().replace("More text.", "Other text."))
    build(layout, options)
    assert restored[0].changed is not None, "the state saved with the compacted store was used"
    scratch = SiteLayout.find(root, tmp_path / "scratch")
    build(scratch, replace(options, cache=False))
    assert _folder(layout.out) == _folder(scratch.out)


def test_a_command_line_build_into_a_new_folder_after_an_edit_writes_every_page(make_site, monkeypatch):
    """Pages the short way would link are planned and rendered again when their files are gone
    (``deploy`` builds into a new folder each time), the sitemap, planned only in full, too."""
    root = make_site(NOTES)
    options = BuildOptions(search=False, workers=1)
    build(SiteLayout.find(root), options)
    restored = _engine_after_restore(SiteLayout.find(root), monkeypatch)
    path = root / "content/b.md"
    path.write_text(path.read_text() + "\nOne more line.\n")
    elsewhere = SiteLayout.find(root, root / "elsewhere")
    build(elsewhere, options)
    assert restored[0].changed is not None, "the short way was taken"
    scratch = SiteLayout.find(root, root / "scratch")
    build(scratch, replace(options, cache=False))
    assert "sitemap.xml" in _folder(elsewhere.out) and _folder(elsewhere.out) == _folder(scratch.out)


def test_a_command_line_build_after_an_edit_changes_the_output_folder_in_place(make_site):
    """Files whose bytes stay are not touched, changed ones are replaced whole, pages no longer
    made are deleted, and nothing of the build is left beside the output folder."""
    root = make_site(NOTES)
    layout = SiteLayout.find(root)
    options = BuildOptions(search=False, workers=1)
    build(layout, options)
    def stamp(rel: str) -> tuple[int, int]:
        found = os.stat(layout.out / rel)
        return found.st_ino, found.st_mtime_ns

    folder, kept = stamp(""), stamp("tags/nlp/index.html")
    (root / "content/b.md").write_text((root / "content/b.md").read_text() + "\nOne more line.\n")
    (root / "content/c.md").unlink()
    result = build(layout, options)
    assert stamp("")[0] == folder[0], "not a new folder swapped in"
    assert stamp("tags/nlp/index.html") == kept and "tags/nlp/index.html" not in result.changed
    assert "notes/b/index.html" in result.changed and not (layout.out / "notes/c").exists()
    assert "notes/c/index.html" in result.changed, "a page deleted is a file the build changed"
    assert [p.name for p in root.iterdir() if p.name.startswith(".site.")] == []
    scratch = SiteLayout.find(root, root / "scratch")
    build(scratch, replace(options, cache=False))
    assert _folder(layout.out) == _folder(scratch.out)


def test_a_build_cut_short_while_replacing_files_is_repaired_by_the_next(make_site, monkeypatch):
    root = make_site(NOTES)
    layout = SiteLayout.find(root)
    options = BuildOptions(search=False, workers=1)
    build(layout, options)
    (root / "content/c.md").write_text((root / "content/c.md").read_text().replace("Chinchilla", "Chinchilla scaling"))
    real, moved = os.replace, []

    def cut_short(source, target):
        if moved:
            raise KeyboardInterrupt("killed")
        moved.append(target)
        real(source, target)

    monkeypatch.setattr("papernotes.inplace.os.replace", cut_short)
    with pytest.raises(KeyboardInterrupt):
        build(layout, options)
    monkeypatch.setattr("papernotes.inplace.os.replace", real)
    assert moved, "one file was replaced, the others not"
    build(layout, options)
    scratch = SiteLayout.find(root, root / "scratch")
    build(scratch, replace(options, cache=False))
    assert _folder(layout.out) == _folder(scratch.out)


def test_a_template_change_renders_every_page_in_parallel_into_the_output_folder(make_site, monkeypatch):
    monkeypatch.setattr("papernotes.engine.PARALLEL_NOTES", 1)
    root = make_site(NOTES)
    layout = SiteLayout.find(root)
    options = BuildOptions(search=False, workers=2)
    build(layout, options)
    (root / "templates").mkdir()
    (root / "templates/list.html").write_text("<h1>{{ title }}</h1>{% for note in notes %}{{ note.title }}{% endfor %}\n")
    folder = os.stat(layout.out).st_ino
    build(layout, options)
    assert os.stat(layout.out).st_ino == folder, "changed in place"
    scratch = SiteLayout.find(root, root / "scratch")
    build(scratch, replace(options, cache=False))
    assert _folder(layout.out) == _folder(scratch.out)


def _generated_notes(count: int) -> dict[str, str]:
    """A small generated site: notes with dates, shared tags, papers and links to one another."""
    tags = ("ml", "nlp", "rl", "vision")
    return {f"content/n{index:02d}.md": (
        f"---\ntitle: Note {index}\ndate: 2024-{1 + index % 9:02d}-{1 + index % 27:02d}\n"
        f"tags: [{tags[index % 4]}, {tags[(index + 1) % 4]}]\n---\n## Idea\n\nOn arXiv:{1706 + index % 5}.0376{index % 3} "
        f"and [[Note {(index * 7 + 3) % count}]].\n\nMore text.\n") for index in range(count)}


COMMAND_LINE_EDITS = {
    "text": lambda text: text.replace("More text.", "More text, and a second sentence."),
    "title": lambda text: text.replace("title: Note 7\n", "title: An edited title\n"),
    "tag": lambda text: text.replace("tags: [", "tags: [added, "),
    "delete": None,
}


@pytest.mark.parametrize("kind", COMMAND_LINE_EDITS)
def test_a_command_line_build_after_each_kind_of_edit_writes_what_a_cold_build_writes(make_site, kind):
    """After a text, title or tag edit or a deletion, ``papernotes build`` with the state kept
    in the cache folder leaves the output folder byte for byte as a build from scratch does; so
    does the build after it, whose state was saved as changes to the one before."""
    root = make_site(_generated_notes(24))
    layout = SiteLayout.find(root)
    options = BuildOptions(search=False, workers=1)
    build(layout, options)
    for note in ("n07.md", "n12.md"):
        path = root / "content" / note
        edit = COMMAND_LINE_EDITS[kind]
        if edit is None:
            path.unlink()
        else:
            path.write_text(edit(path.read_text()))
        build(layout, options)
        scratch = SiteLayout.find(root, root / f"scratch-{note}")
        build(scratch, replace(options, cache=False))
        assert _folder(layout.out) == _folder(scratch.out), f"{kind} edit of {note}"


def _digest(value: object) -> bytes | None:
    """A digest of ``value`` that takes each note by its content (not by the body store it is kept in)."""
    return engine_module.page_key(TextFile("/", str, value))


def test_state_saved_as_changes_comes_back_as_the_engine_held_it(make_site, monkeypatch):
    """Builds after text edits save only what changed since the state was last saved whole;
    the next build restores reads, notes and graph equal to what the saving build held."""
    root = make_site(_generated_notes(12))
    layout = SiteLayout.find(root)
    options = BuildOptions(search=False, workers=1)
    build(layout, options)
    whole = (layout.cache / engine_module.STATE).read_bytes()

    def held(engine: Engine) -> tuple[object, ...]:
        return (_digest(engine.graph), _digest(engine.notes_in), sorted(engine.reads.memory), engine.relinked)

    saved: list[tuple[object, ...]] = []
    restored: list[tuple[object, ...]] = []
    real_save, real_restore = Engine.save, Engine.restore
    monkeypatch.setattr(Engine, "save", lambda self, basis: saved.append(held(self)) or real_save(self, basis))
    monkeypatch.setattr(Engine, "restore", lambda self, stamps: restored.append(held(real_restore(self, stamps))) or self)
    for round_, note in enumerate(("n03.md", "n05.md", "n03.md")):
        path = root / "content" / note
        path.write_text(path.read_text() + f"\nEdit {round_}.\n")
        build(layout, options)
        assert (layout.cache / engine_module.STATE).read_bytes() == whole, "the whole state was written again"
    assert restored[1:] == saved[:-1] and saved[-1][3] == {"n03", "n05"}
    path = root / "content" / "n04.md"
    path.write_text(path.read_text().replace("title: Note 4", "title: Retitled"))
    build(layout, options)  # the notes linking to it by its old title are linked again: saved as changes too
    assert (layout.cache / engine_module.STATE).read_bytes() == whole, "the whole state was written again"
    path.write_text(path.read_text() + "\nEdit 3.\n")
    build(layout, options)
    assert restored[-1] == saved[-2], "the links made again, and where they lead, come back"
    scratch = SiteLayout.find(root, root / "scratch")
    build(scratch, replace(options, cache=False))
    assert _folder(layout.out) == _folder(scratch.out)


def test_page_digests_are_saved_as_the_ones_restored_and_the_pages_changed_since(monkeypatch):
    """A build after an edit saves the page digests it restored as they were read, with the few
    pages changed, added or gone since; past ``PAGES_CHANGED`` of those, the digests whole."""
    first = {f"/notes/{i}/": engine_module.Rendered(bytes([i]) * 16, f"notes/{i}/index.html", None, frozenset({str(i)}))
             for i in range(6)}
    pages, saved = saved_module.pages_of(saved_module.pages_data(first, None))
    assert pages == first and saved.pages == first
    pages["/notes/1/"] = engine_module.Rendered(b"k" * 16, "notes/1/index.html", None, None)
    pages["/new/"] = engine_module.Rendered(b"n" * 16, "new/index.html", None, frozenset())
    del pages["/notes/2/"]
    data = saved_module.pages_data(pages, saved)
    base, changed, gone = marshal.loads(data)
    assert base == saved.base and set(changed) == {"/notes/1/", "/new/"} and gone == ["/notes/2/"]
    again, saved_again = saved_module.pages_of(data)
    assert again == pages and saved_again.base == saved.base
    monkeypatch.setattr(saved_module, "PAGES_CHANGED", 1)
    whole, latest = saved_module.pages_of(saved_module.pages_data(pages, saved))
    assert whole == pages and latest.pages == pages, "saved whole again"


def test_a_log_dated_by_its_copy_time_is_dated_again_once_most_files_were_edited(make_site):
    """A plain-text log takes its file's time as its date unless most files share that time
    (a copy). Once most files were edited, the ones left unedited no longer share a copy's
    time: a build keeping its reads dates them as a build from scratch does, though their
    own bytes and times did not change."""
    logs = {f"content/log{n}.txt": f"Log {n}\nhttps://arxiv.org/abs/2001.0836{n}\n" for n in range(5)}
    root = make_site(logs)
    copied = time.time() - 3600
    for n in range(5):
        os.utime(root / "content" / f"log{n}.txt", (copied, copied))
    layout = SiteLayout.find(root)
    options = BuildOptions(search=False, workers=1)
    build(layout, options)
    assert "Undated" in (layout.out / "archive" / "index.html").read_text()
    for n in range(3):  # each edited at its own time, far from the copy's
        path = root / "content" / f"log{n}.txt"
        path.write_text(path.read_text() + "More.\n")
        os.utime(path, (copied + 600 * (n + 1),) * 2)
        build(layout, options)
        scratch = SiteLayout.find(root, root / f"scratch-{n}")
        build(scratch, replace(options, cache=False))
        assert _folder(layout.out) == _folder(scratch.out), f"after editing log{n}.txt"
    assert "Undated" not in (layout.out / "archive" / "index.html").read_text()


def test_an_image_added_to_the_static_folder_is_found_by_a_build_keeping_its_reads(make_site):
    """A note naming ``/images/fig.png`` before the file is there gets it once it is put in the
    static folder (made then too), as a build from scratch does: the static folder's images are
    among what reading depends on."""
    root = make_site({"content/a.md": "---\ntitle: A\ndate: 2024-01-01\n---\n![Figure](/images/fig.png)\n"})
    layout = SiteLayout.find(root)
    options = BuildOptions(search=False, workers=1)
    build(layout, options)
    page = layout.out / "notes" / "a" / "index.html"
    assert "/assets/" not in page.read_text()
    for size in (1, 2):  # the image appears, then changes
        (root / "static" / "images").mkdir(parents=True, exist_ok=True)
        (root / "static" / "images" / "fig.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(size * 64))
        build(layout, options)
        scratch = SiteLayout.find(root, root / f"scratch-{size}")
        build(scratch, replace(options, cache=False))
        assert "/assets/" in page.read_text()
        assert _folder(layout.out) == _folder(scratch.out)


def _git(root: Path, *command: str, date: str = "2021-05-06T07:08:09+00:00") -> None:
    import subprocess

    env = {"GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@b", "GIT_COMMITTER_NAME": "a", "GIT_COMMITTER_EMAIL": "a@b",
           "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_DATE": date, "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
           "HOME": str(root)}
    subprocess.run(["git", *command], cwd=root, env=env, check=True, capture_output=True)


@pytest.mark.parametrize("commit", ["edit", "amend", "first"])
def test_a_commit_dates_the_files_it_holds_for_a_build_keeping_its_reads(make_site, monkeypatch, commit):
    """Inside a git checkout a file is dated by its last commit: a commit (or an amended one,
    or a checkout's first) changes the dates of files whose bytes and times did not change, and
    a build keeping its reads dates them as a build from scratch does."""
    import shutil

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    monkeypatch.delenv("GIT_DIR", raising=False)
    root = make_site({"content/log.txt": "Log\nhttps://arxiv.org/abs/2001.08361\n",
                      "content/other.txt": "Other\nhttps://arxiv.org/abs/1706.03762\n"})
    for age, name in enumerate(("log.txt", "other.txt"), 1):  # not changed within a second of a build (racy)
        os.utime(root / "content" / name, (time.time() - 60 * age,) * 2)
    _git(root, "init", "-q")
    if commit != "first":
        _git(root, "add", "content")
        _git(root, "commit", "-q", "-m", "notes")
    layout = SiteLayout.find(root)
    options = BuildOptions(search=False, workers=1)
    log = root / "content" / "log.txt"
    if commit == "edit":
        log.write_text(log.read_text() + "More.\n")
        os.utime(log, (time.time() - 30,) * 2)
    build(layout, options)
    if commit == "amend":
        _git(root, "commit", "-q", "--amend", "-m", "notes", date="2023-04-05T06:07:08+00:00")
    else:
        _git(root, "add", "content")
        _git(root, "commit", "-q", "-m", "more", date="2023-04-05T06:07:08+00:00")
    build(layout, options)
    scratch = SiteLayout.find(root, root / "scratch")
    build(scratch, replace(options, cache=False))
    assert 'datetime="2023-04-05"' in (layout.out / "notes" / "log" / "index.html").read_text()
    assert _folder(layout.out) == _folder(scratch.out)


def test_git_names_no_files_between_commits_it_does_not_have(tmp_path):
    from papernotes.read import committed_between

    assert committed_between(tmp_path, "0" * 40, "1" * 40) is None


def test_a_commit_leaves_a_site_of_markdown_notes_up_to_date(make_site, monkeypatch):
    """Markdown notes never take a date from their commits, so a commit that changes no file
    leaves their site up to date; a site with a plain-text log builds again."""
    import shutil

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    monkeypatch.delenv("GIT_DIR", raising=False)
    root = make_site({"content/a.md": "---\ntitle: A\ndate: 2024-01-01\n---\nOn arXiv:1706.03762.\n"})
    os.utime(root / "content" / "a.md", (time.time() - 60,) * 2)
    _git(root, "init", "-q")
    _git(root, "add", "content")
    _git(root, "commit", "-q", "-m", "notes")
    layout = SiteLayout.find(root)
    options = BuildOptions(search=False, workers=1)
    build(layout, options)
    _git(root, "commit", "-q", "--allow-empty", "-m", "nothing", date="2023-04-05T06:07:08+00:00")
    assert build(layout, options).up_to_date == 1
    (root / "content" / "log.txt").write_text("Log\nhttps://arxiv.org/abs/2001.08361\n")
    os.utime(root / "content" / "log.txt", (time.time() - 60,) * 2)
    build(layout, options)
    _git(root, "add", "content")
    _git(root, "commit", "-q", "-m", "log", date="2023-04-05T06:07:08+00:00")
    again = build(layout, options)
    assert not again.up_to_date and 'datetime="2023-04-05"' in (layout.out / "notes" / "log" / "index.html").read_text()


def test_an_image_added_or_changed_reads_again_only_the_notes_naming_it(make_site, monkeypatch):
    from papernotes.read import site as reading

    root = make_site({"content/a.md": "---\ntitle: A\n---\n\n![Figure](fig.png)\n",
                      "content/b.md": "---\ntitle: B\n---\n\nNo image.\n",
                      "content/sub/c.md": "---\ntitle: C\n---\n\n![[fig.png]]\n"})
    layout = SiteLayout.find(root)
    options = BuildOptions(search=False, workers=1)
    first = build(layout, options)
    assert sum("not found: fig.png" in d.message for d in first.diagnostics) == 2
    read: list[str] = []
    original = reading.read
    monkeypatch.setattr(reading, "read", lambda path, *args: read.append(Path(path).name) or original(path, *args))
    (root / "content/fig.png").write_bytes(_png(2, 1))
    second = build(layout, options)
    assert sorted(read) == ["a.md", "c.md"], "the note without an image is not read again"
    assert not [d for d in second.diagnostics if "not found" in d.message]
    assert 'width="2" height="1"' in (layout.out / "notes/a/index.html").read_text(encoding="utf-8")
    read.clear()
    (root / "content/other.png").write_bytes(_png(1, 1))  # named by no note
    build(layout, options)
    assert read == []
    (root / "content/fig.png").write_bytes(_png(3, 2))
    build(layout, options)
    assert sorted(read) == ["a.md", "c.md"]
    scratch = SiteLayout.find(root, root / "scratch")
    build(scratch, replace(options, cache=False))
    assert _folder(layout.out) == _folder(scratch.out)


def test_a_rebuild_copies_again_only_the_images_and_static_files_whose_sources_changed(make_site, monkeypatch):
    """After an edit of a note, an image or static file is neither read nor compared again while
    its source and the output's copy are as the last build left them (on disk, and in the
    preview's memory); a source changed, one changed within a second of its copy, or a copy
    changed in the output is copied again."""
    from papernotes.engine import copies as copies_module
    from papernotes.serve.preview import memory_builder

    root = make_site({"content/a.md": "---\ntitle: A\n---\n\n![Figure](fig.png)\n",
                      "content/fig.png": _png(2, 1), "static/notes.txt": "kept as it is\n"})
    old = time.time() - 10
    for name in ("content/fig.png", "static/notes.txt"):
        os.utime(root / name, (old, old))
    layout = SiteLayout.find(root)
    options = BuildOptions(search=False, workers=1)
    read: list[str] = []

    real = copies_module.read_regular
    monkeypatch.setattr(copies_module, "read_regular", lambda path: read.append(Path(path).name) or real(path))  # the files the copier reads
    build(layout, options)
    assert {"fig.png", "notes.txt"} <= set(read)
    copied = next(layout.out.glob("assets/*fig.png"))
    read.clear()
    (root / "content/a.md").write_text("---\ntitle: A\n---\n\n![Figure](fig.png)\n\nEdited.\n")
    build(layout, options)
    assert "fig.png" not in read and "notes.txt" not in read
    assert copied.read_bytes() == _png(2, 1) and (layout.out / "notes.txt").read_text() == "kept as it is\n"
    (root / "content/fig.png").write_bytes(_png(3, 2))  # changed now: copied, and copied again next time
    (root / "static/notes.txt").write_text("changed\n")
    build(layout, options)
    assert {"fig.png", "notes.txt"} <= set(read) and (layout.out / "notes.txt").read_text() == "changed\n"
    assert next(layout.out.glob("assets/*fig.png")).read_bytes() == _png(3, 2)
    read.clear()
    (root / "content/a.md").write_text("---\ntitle: A\n---\n\n![Figure](fig.png)\n\nEdited once more.\n")
    build(layout, options)
    assert {"fig.png", "notes.txt"} <= set(read), "changed within a second of their copy: copied again"
    for name in ("content/fig.png", "static/notes.txt"):
        os.utime(root / name, (old, old))
    build(layout, options)
    read.clear()
    (layout.out / "notes.txt").write_text("changed in the output\n")
    (root / "content/a.md").write_text("---\ntitle: A\n---\n\n![Figure](fig.png)\n\nEdited again.\n")
    build(layout, options)
    assert read == ["notes.txt"] and (layout.out / "notes.txt").read_text() == "changed\n"

    rebuild = memory_builder(layout, options)
    rebuild(None)
    read.clear()
    (root / "content/a.md").write_text("---\ntitle: A\n---\n\n![Figure](fig.png)\n\nIn the preview.\n")
    files = rebuild(None).files
    assert read == [] and files["notes.txt"] == b"changed\n"
    assert [data for rel, data in files.items() if rel.endswith("fig.png")] == [_png(3, 2)]


def test_a_setting_only_pages_show_reads_again_only_the_notes_whose_liquid_may_read_it(make_site, monkeypatch):
    """A new site title renders every page again but reads again only the notes with Liquid
    (``{{ site.title }}``); a setting reading depends on (the permalinks) reads every note."""
    from papernotes.read import site as reading

    root = make_site({"papernotes.yaml": "title: First\n",
                      "content/a.md": "---\ntitle: A\n---\n\nPlain text.\n",
                      "content/b.md": "---\ntitle: B\n---\n\nOn {{ site.title }}.\n"})
    layout = SiteLayout.find(root)
    options = BuildOptions(search=False, workers=1)
    build(layout, options)
    read: list[str] = []
    original = reading.read
    monkeypatch.setattr(reading, "read", lambda path, *args: read.append(Path(path).name) or original(path, *args))
    (root / "papernotes.yaml").write_text("title: Second\n")
    build(layout, options)
    assert read == ["b.md"], "the note without Liquid is not read again"
    assert "On Second." in (layout.out / "notes/b/index.html").read_text(encoding="utf-8")
    assert "Second" in (layout.out / "notes/a/index.html").read_text(encoding="utf-8")
    read.clear()
    (root / "papernotes.yaml").write_text("title: Second\npermalink: /n/{slug}/\n")
    build(layout, options)
    assert sorted(read) == ["a.md", "b.md"]
    preview = Engine(layout, options, render_now=lambda rel: True)
    preview.produce(MemorySink())
    read.clear()
    (root / "papernotes.yaml").write_text("title: Third\npermalink: /n/{slug}/\n")
    sink = MemorySink()
    preview.produce(sink)
    assert read == ["b.md"] and b"On Third." in file_bytes(sink["n/b/index.html"])
    assert _files(sink) == _fresh(layout)
    build(layout, options)
    scratch = SiteLayout.find(root, root / "scratch")
    build(scratch, replace(options, cache=False))
    assert _folder(layout.out) == _folder(scratch.out)


@pytest.mark.parametrize("edit, search", [(("c.md", "tags: [ml]", "tags: [ml, nlp]"), False),
                                          (("d.md", "title: Digest", "title: A digest"), False),
                                          (("b.md", "$$E = mc^2$$", "A new sentence."), False),
                                          (("c.md", "tags: [ml]", "tags: [ml, nlp]"), True)],
                         ids=["tags", "title", "text", "tags-searched"])
@pytest.mark.parametrize("lists", [False, True], ids=["files", "lists-too"])
def test_text_files_planned_again_are_written_aside_as_here(make_site, monkeypatch, edit, search, lists):
    """With more than one worker, the text files an edit plans again (graph.json, feeds,
    citation files) that were large are written by a forked process while the pages are
    written (the search index, a thread, starts once it is forked), and so are the large
    pages when many are planned again (here every page, each counted large); the output is a
    cold build's, this build's and the next's, which starts from the state this one saved."""
    monkeypatch.setattr(engine_module, "ASIDE_BYTES", 0)  # this site's files are small: each is written aside
    if lists:
        monkeypatch.setattr(engine_module, "MANY_PAGES", 1)
        monkeypatch.setattr(engine_module, "LARGE_PAGE", 1)
    aside: list[set[str]] = []  # the URLs each forked process wrote, as this one took them back
    real = engine_module.Parallel.aside

    def spied(self, work):
        forked = real(self, work)
        result = forked.result
        forked.result = lambda: (lambda got: aside.append(set(got[1])) or got)(result())
        return forked

    monkeypatch.setattr(engine_module.Parallel, "aside", spied)
    root = make_site(NOTES)
    layout = SiteLayout.find(root)
    options = BuildOptions(search=search, workers=2)
    build(layout, options)
    restored = _engine_after_restore(layout, monkeypatch)
    name, old, new = edit
    path = root / "content" / name
    path.write_text(path.read_text().replace(old, new))
    assert build(layout, options).errors == 0
    (engine,) = restored
    assert engine.changed is not None, "taken in place"
    files = {url for url in aside[0] if url.endswith((".json", ".xml", ".bib", "/_redirects"))} if aside else set()
    assert len(aside) == 1 and files and (aside[0] != files) == lists
    if edit[0] != "b.md":
        assert "/graph.json" in aside[0]
    _as_cold_and_replayed(root, layout, options, path, restored)


def test_a_plan_saved_after_a_few_new_dependencies_comes_back_whole():
    """A plan restored, then given what some pages are drawn from anew, saves those alone beside
    its dependents as saved whole, and comes back as it was."""
    plan = engine_module.Plan("setup", dict.fromkeys(["/a/", "/b/", "/tags/ml/"]), {"note:a": {"/a/", "/tags/ml/"}},
                              {"/a/", "/b/"})
    restored = saved_module.plan_of(saved_module.plan_data(plan))
    assert saved_module.plan_data(restored) is restored.data, "a plan unchanged is saved as it was restored"
    restored.depend("/b/", ["note:a", "paper:x"])
    saved = restored.saved
    again = saved_module.plan_of(saved_module.plan_data(restored))
    assert restored.saved is saved, "the dependents saved whole are not written again"
    assert (again.setup, list(again.pages), again.dependents, again.listed) == (
        "setup", ["/a/", "/b/", "/tags/ml/"], {"note:a": {"/a/", "/b/", "/tags/ml/"}, "paper:x": {"/b/"}}, {"/a/", "/b/"})


def test_a_page_planned_again_from_what_it_was_drawn_from_leaves_the_plan_as_restored():
    """Restored, a plan holds each key's pages as they were saved; a page drawn again from the
    same notes adds nothing, so the plan is saved as the bytes it was restored from."""
    plan = engine_module.Plan("setup", dict.fromkeys(["/a/", "/tags/ml/"]), {"note:a": {"/a/", "/tags/ml/"}, "note:b": {"/tags/ml/"}},
                              {"/a/"})
    restored = saved_module.plan_of(saved_module.plan_data(plan))
    restored.depend("/tags/ml/", ["note:a", "note:b"])
    assert restored.added == {} and saved_module.plan_data(restored) is restored.data
    restored.learn(Page("/b/", "note.html", {}), ["note:b"], keep=False)
    assert set(restored.dependents["note:b"]) == {"/tags/ml/", "/b/"} and set(restored.dependents["note:a"]) == {"/a/", "/tags/ml/"}


def test_a_tag_page_left_to_be_rendered_when_read_shows_the_next_edit_of_its_notes(make_site):
    """A note takes a tag new to the site: the preview plans the tag's pages and leaves them to
    be rendered when read; the next edit of the note's text (its summary) plans them again, as
    they hold it."""
    root = make_site({f"content/{name}.md": "---\ntitle: Attention\n---\n## Idea\n\n" for name in "abcd"})
    layout = SiteLayout.find(root)
    preview = Engine(layout, BuildOptions(search=False, workers=1), render_now=lambda rel: rel.startswith("notes/"))
    preview.produce(MemorySink())
    path = root / "content" / "c.md"
    assert _files(_after_edit(preview, path, "title: Attention\n", "title: Attention\ntags: [ml]\n")) == _fresh(layout)
    assert preview.changed is not None, "taken in place"
    sink = _after_edit(preview, path, "## Idea\n", "## Idea\n\nMore text.\n")
    assert b"More text." in _files(sink)["tags/ml/index.html"]
    assert _files(sink) == _fresh(layout)


LITERATURE = {
    "content/a.md": "---\ntitle: Attention Is All You Need\ndate: 2024-03-01\npapers: [\"1706.03762\"]\ntags: [nlp]\n---\n"
                    "## Idea\n\nThe transformer; compare arXiv:2001.08361 and arXiv:2005.14165.\n",
    "content/b.md": "---\ntitle: Scaling Laws for Neural Language Models\ndate: 2024-02-01\npapers: [\"2001.08361\"]\n---\n"
                    "Power laws, after arXiv:1706.03762 and arXiv:2203.15556.\n",
    "content/c.md": "---\ntitle: Training Compute-Optimal Large Language Models\ndate: 2024-01-01\npapers: [\"2203.15556\"]\n---\n"
                    "Chinchilla, against arXiv:2001.08361, arXiv:2005.14165 and arXiv:1706.03762.\n",
    "content/d.md": "---\ntitle: Language Models are Few-Shot Learners\ndate: 2023-12-01\npapers: [\"2005.14165\"]\n---\n"
                    "GPT-3, after arXiv:1706.03762.\n",
}


@pytest.mark.parametrize("edit", [
    ("a.md", "title: Attention Is All You Need", "title: Transformers Need Attention"),  # its key and place change
    ("d.md", "title: Language Models are Few-Shot Learners", "title: Scaling Laws for Few-Shot Learners"),  # b's key too
    ("c.md", "title: Training Compute-Optimal Large Language Models", "title: Chinchilla"),
])
def test_a_literature_note_retitled_gives_its_paper_the_new_title_in_place(make_site, monkeypatch, edit):
    """A note named after the paper it is about, retitled, retitles the paper without building
    the graph anew: the papers are sorted again by title, the co-mentions of those mentioned with
    it too, and the pages showing a citation key that changed (the paper's, or another's that now
    shares its base) are made again. The preview and the command line write what a cold build
    writes, and the state saved after it replays."""
    _taken_in_place_as_cold(make_site, monkeypatch, LITERATURE, edit)


def _taken_in_place_as_cold(make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, files: dict[str, str],
                            edit: tuple[str, str, str]) -> None:
    """``edit`` (file, old text, new text) of the site ``files`` is taken in place by the
    preview and the command line, each writing what a cold build writes, and the state saved
    after it replays."""
    root, layout, options, preview, restored = _built_with_a_preview(make_site, files, monkeypatch)
    name, old, new = edit
    path = root / "content" / name
    sink = _after_edit(preview, path, old, new)
    assert preview.changed is not None, "taken in place"
    assert _files(sink) == _fresh(layout)
    build(layout, options)
    (engine,) = restored
    assert engine.changed is not None, "taken in place"
    _as_cold_and_replayed(root, layout, options, path, restored)


def test_a_note_embedding_a_note_whose_link_a_new_title_breaks_shows_it_broken(make_site, monkeypatch):
    """A retitled note's old title is what another note links by; a third note embeds that one:
    its page shows the link as it now is (left to lead nowhere), as a cold build does."""
    _taken_in_place_as_cold(make_site, monkeypatch, {
        "content/a.md": "---\ntitle: Attention\ndate: 2024-03-01\n---\n## Idea\n\nText.\n",
        "content/b.md": "---\ntitle: Bridge\ndate: 2024-02-01\n---\nSee [[Attention]].\n",
        "content/c.md": "---\ntitle: Collage\ndate: 2024-01-01\n---\n![[Bridge]]\n"}, ("a.md", "title: Attention", "title: Focus"))


def test_a_state_saved_aside_after_a_deletion_is_the_one_the_next_build_takes(make_site, monkeypatch):
    """A deletion builds the graph anew: the state to save whole is written by a forked process
    while the pages are written (two workers), put in place once whole, and the next build
    restores it and writes what a cold build writes; a build that fails meanwhile leaves no
    part of it behind."""
    root = make_site(NOTES)
    layout = SiteLayout.find(root)
    options = BuildOptions(search=False, workers=2)
    build(layout, options)
    restored = _engine_after_restore(layout, monkeypatch)
    asides: list[Engine] = []
    real = Engine._save_whole_aside
    monkeypatch.setattr(Engine, "_save_whole_aside", lambda self: asides.append(self) or real(self))
    dumped: list[str] = []
    real_dump = Engine._dump
    monkeypatch.setattr(Engine, "_dump", lambda self, name, state: dumped.append(name) or real_dump(self, name, state))
    (root / "content/d.md").unlink()
    build(layout, options)
    assert len(asides) == 1 and dumped == [CHANGES], "the whole state was written aside, the changes here"
    assert restored[-1].whole_aside is None and restored[-1].relinked == frozenset()
    _as_cold_and_replayed(root, layout, options, root / "content/a.md", restored)
    assert not [p.name for p in layout.cache.iterdir() if ".tmp-" in p.name]

    (root / "content/c.md").unlink()
    monkeypatch.setattr(Engine, "_write_pages", lambda *arguments, **named: (_ for _ in ()).throw(OSError("disk full")))
    with pytest.raises(OSError):
        build(layout, options)
    assert len(asides) == 2
    assert not [p.name for p in layout.cache.iterdir() if ".tmp-" in p.name], "the state written aside is gone"


def test_graph_json_after_a_tag_edit_makes_again_only_the_runs_around_the_note(make_site, monkeypatch):
    """graph.json comes in sections, runs of notes (``sectioned``): after a tag edit the build
    makes again the runs holding the edited note's tags and node, copies every other section
    from the file it wrote last, and writes what a build from scratch writes."""
    from papernotes import sectioned
    from papernotes.emit import graphjson

    monkeypatch.setattr(sectioned.runs, "__defaults__", (4,))  # runs of about four papers…
    monkeypatch.setattr(sectioned.cut, "__defaults__", (4,))  # …and notes
    notes = {f"content/n{i:02}.md": f"---\ntitle: Note {i}\ndate: 2024-01-{i % 28 + 1:02}\ntags: [t{i % 3}]\n---\n"
                                    f"On arXiv:2001.{i:05} and [[n{(i + 1) % 40:02}]].\n" for i in range(40)}
    root = make_site(notes)
    layout, options = SiteLayout.find(root), BuildOptions(search=False, workers=1)
    made: list[int] = []
    real = graphjson._joined
    monkeypatch.setattr(graphjson, "_joined", lambda items: made.append(1) or real(items))
    build(layout, options)
    cold = len(made)
    path = root / "content/n17.md"
    path.write_text(path.read_text().replace("tags: [t2]", "tags: [t2, new]"))
    made.clear()
    restored = _engine_after_restore(layout, monkeypatch)
    build(layout, options)
    assert cold > 40 and 0 < len(made) <= 4, "the runs holding the note's discusses and tagged edges and its node, and the tag nodes"
    _as_cold_and_replayed(root, layout, options, path, restored)


def test_a_graph_json_changed_in_the_output_is_not_copied_from(make_site, monkeypatch):
    """The sections of graph.json are copied only from the file the last build left: one changed
    since (here by hand, keeping its size) is made whole again, as a build from scratch makes it."""
    from papernotes.emit import graphjson

    root = make_site(NOTES)
    layout, options = SiteLayout.find(root), BuildOptions(search=False, workers=1)
    build(layout, options)
    written = layout.out / "graph.json"
    written.write_bytes(written.read_bytes().replace(b'"type":"note"', b'"type":"NOTE"'))
    made: list[int] = []
    real = graphjson._joined
    monkeypatch.setattr(graphjson, "_joined", lambda items: made.append(1) or real(items))
    path = root / "content" / "c.md"
    path.write_text(path.read_text().replace("tags: [ml]", "tags: [ml, nlp]"))
    build(layout, options)
    assert b'"NOTE"' not in written.read_bytes() and len(made) > 4, "every section made again"
    scratch = SiteLayout.find(root, root / "scratch")
    build(scratch, replace(options, cache=False))
    assert _folder(layout.out) == _folder(scratch.out)


def test_the_citation_files_after_a_paper_added_make_again_its_run_alone(make_site, monkeypatch):
    """The library's BibTeX and CSL-JSON files of more than one run of papers come in sections:
    a note bringing a new paper makes again the run it joins, copies the others from the last
    files, and writes what a build from scratch writes."""
    from papernotes import sectioned
    from papernotes.emit import common

    notes = {f"content/n{i:02}.md": f"---\ntitle: Note {i}\ndate: 2024-01-{i % 28 + 1:02}\n---\n"
                                    f"On arXiv:2001.{i:05} and arXiv:2002.{i:05}.\n" for i in range(30)}
    root, layout, options = _built_in_runs_of_four(make_site, monkeypatch, sectioned.runs, notes)  # of papers
    made: list[str] = []
    real = common.Citations.csl
    monkeypatch.setattr(common.Citations, "csl", lambda self, meta: made.append(meta.id) or real(self, meta))
    path = root / "content" / "new.md"
    path.write_text("---\ntitle: A new note\ndate: 2024-02-01\n---\nOn arXiv:2003.00001.\n")
    restored = _engine_after_restore(layout, monkeypatch)
    build(layout, options)
    assert "arxiv:2003.00001" in made and 0 < len(made) < 20, "the new paper's run, not the library's 61 papers"
    _as_cold_and_replayed(root, layout, options, path, restored)


def test_the_lists_of_every_note_and_paper_after_a_deletion_render_again_only_the_runs_around_it(make_site, monkeypatch):
    """The archive and the lists of papers come in sections, runs of notes or papers
    (``pagesections``): after a note is deleted the build renders again the runs that held it
    or its papers and copies the others from the pages it wrote last; a title edited after that
    is shown (the page, sections copied, is still compared by the fields they show), and every
    page is a build from scratch's."""
    from papernotes import pagesections

    notes = {f"content/n{i:02}.md": f"---\ntitle: Note {i}\ndate: 2024-0{i % 3 + 1}-{i % 28 + 1:02}\n---\n"
                                    f"On arXiv:2001.{i:05}.\n" for i in range(40)}
    root, layout, options = _built_in_runs_of_four(make_site, monkeypatch, pagesections.section_runs, notes)
    outcomes: list[bool] = []
    real = pagesections.PageSections._copied

    def copied(self: pagesections.PageSections, digest: bytes) -> str | None:
        text = real(self, digest)
        outcomes.append(text is not None)
        return text

    monkeypatch.setattr(pagesections.PageSections, "_copied", copied)
    (root / "content/n17.md").unlink()
    restored = _engine_after_restore(layout, monkeypatch)
    build(layout, options)
    assert outcomes.count(True) > 20 and 0 < outcomes.count(False) <= 8, "the runs that held the note or its paper"
    path = root / "content/n05.md"
    path.write_text(path.read_text().replace("title: Note 5", "title: A title edited"))
    build(layout, options)
    assert b"A title edited" in (layout.out / "archive/index.html").read_bytes()
    _as_cold_and_replayed(root, layout, options, path, restored)


def test_a_retitled_note_passing_others_of_its_date_moves_them_in_the_lists_holding_it_alone(make_site, monkeypatch):
    """Notes of one date are in title order: a retitled note passing others changes their order in
    the lists that hold it, whatever field of their notes those lists show (here the archive shows
    URLs alone), and their own pages (neighbours); the lists holding only the notes it passed, or
    showing no field of any note (the tags index), are not planned again."""
    import papernotes.engine as engine_module

    notes = {f"content/{name}.md": f"---\ntitle: {title}\ndate: 2024-05-01\ntags: [{tag}]\n---\nText of {name}.\n"
             for name, title, tag in [("a", "Alpha", "ml"), ("c", "Gamma", "ml"), ("e", "Epsilon", "cv"), ("g", "Eta", "cv")]}
    archive = ("{% extends 'base.html' %}{% block content %}{% for year in years %}{% for month in year.months %}"
               "{% for note in month.notes %}<a href='{{ note.url }}'></a>{% endfor %}{% endfor %}{% endfor %}{% endblock %}")
    root = make_site({**notes, "templates/archive.html": archive})
    layout, options = SiteLayout.find(root), BuildOptions(search=False, workers=1)
    build(layout, options)
    keyed: list[str] = []
    real = engine_module.digest_page
    monkeypatch.setattr(engine_module, "digest_page", lambda page, *a, **k: keyed.append(page.url) or real(page, *a, **k))
    path = root / "content/a.md"
    path.write_text(path.read_text().replace("title: Alpha", "title: Zeta"))
    restored = _engine_after_restore(layout, monkeypatch)
    build(layout, options)
    assert "/archive/" in keyed and "/tags/" not in keyed
    _as_cold_and_replayed(root, layout, options, path, restored)


def _built_in_runs_of_four(make_site, monkeypatch: pytest.MonkeyPatch, cut: Callable[..., object],
                           notes: dict[str, str]) -> tuple[Path, SiteLayout, BuildOptions]:
    """A site of ``notes`` built once (one worker, no search), ``cut`` (a function cutting items
    into runs, ``sectioned.runs`` or ``pagesections.section_runs``) making runs of about four."""
    monkeypatch.setattr(cut, "__defaults__", (4,))
    root = make_site(notes)
    layout, options = SiteLayout.find(root), BuildOptions(search=False, workers=1)
    build(layout, options)
    return root, layout, options
