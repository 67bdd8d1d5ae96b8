"""A command-line build after an edit: the files the up-to-date check finds changed, the second
process that reads them and looks at the output while the state is restored, and the build
that takes only those files as changed."""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import replace
from pathlib import Path

import pytest

from papernotes import lookahead, uptodate
from papernotes.build import BuildOptions, SiteLayout, build
from papernotes.engine import Engine, ReadCache
from papernotes.engine.registryfiles import REGISTRY_FILES
from papernotes.markdown.assets import AssetFinder
from papernotes.papers import registry
from papernotes.papers.registry import load_registry
from papernotes.read.site import ReadInputs
from papernotes.sitelayout import site_config

NOTES = {
    "content/a.md": "---\ntitle: Attention\ndate: 2024-03-01\n---\nAbout arXiv:1706.03762.\n",
    "content/b.md": "---\ntitle: Scaling\ndate: 2024-02-01\n---\nOn arXiv:2001.08361, see [[Attention]].\n",
    "content/sub/c.md": "---\ntitle: Chinchilla\ndate: 2024-01-01\n---\nCompute-optimal.\n",
}
OPTIONS = BuildOptions(search=False, workers=1)


def _looked(layout: SiteLayout) -> uptodate.Check:
    return uptodate.check(layout.folders(), os.fspath(layout.cache), uptodate.options_key(False, None, False), time.time())


def _aged(root: Path) -> None:
    """Every file of the site older than the racy second, as files are between edits."""
    old = time.time() - 60
    for path in root.rglob("*"):
        os.utime(path, (old, old), follow_symlinks=False)


def _folder(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file() and p.name != ".papernotes-site"}


def test_the_check_names_the_files_added_removed_and_changed(make_site):
    root = make_site(NOTES)
    layout = SiteLayout.find(root)
    build(layout, OPTIONS)
    _aged(root)
    build(layout, OPTIONS)  # a manifest of aged files
    content = os.path.realpath(layout.content)
    assert _looked(layout).changed_files() == frozenset()
    (root / "content/a.md").write_text(NOTES["content/a.md"] + "More.\n")
    (root / "content/d.md").write_text("---\ntitle: New\n---\nNew.\n")
    shutil.rmtree(root / "content/sub")
    looked = _looked(layout)
    assert looked.changed_files() == {
        os.path.join(content, name) for name in ("a.md", "d.md", "sub/c.md")}


def test_the_check_names_a_racy_file_by_its_bytes(make_site):
    """A file changed within the last build's second keeps its size and time through a second
    change in the same clock tick: its bytes tell."""
    root = make_site(NOTES)
    layout = SiteLayout.find(root)
    build(layout, OPTIONS)
    note = root / "content/a.md"
    stat = note.stat()
    note.write_text(NOTES["content/a.md"].replace("About", "Abuot"))  # the same size
    os.utime(note, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    looked = _looked(layout)
    assert os.path.realpath(note) in looked.changed_files()


def test_other_options_mean_no_list_of_files(make_site):
    root = make_site(NOTES)
    layout = SiteLayout.find(root)
    build(layout, OPTIONS)
    looked = uptodate.check(layout.folders(), os.fspath(layout.cache), uptodate.options_key(True, None, False), time.time())
    assert looked.changed_files() is None


def test_the_lookahead_reads_the_edited_note_into_the_cache_and_finds_the_output_moved(make_site):
    root = make_site(NOTES)
    layout = SiteLayout.find(root)
    build(layout, OPTIONS)
    note = root / "content/a.md"
    note.write_text(NOTES["content/a.md"] + "A line more.\n")
    page = layout.out / "notes/b/index.html"
    page.write_text("edited by hand")
    manifest = _looked(layout).manifest
    assert manifest is not None
    stamps = uptodate.output_stamps(manifest)
    ahead = lookahead.start(layout, OPTIONS, {os.fspath(note)}, stamps)
    assert ahead is not None
    assert ahead.current() == ["notes/b/index.html"]
    config, _ = site_config(layout, OPTIONS)
    inputs = ReadInputs(layout.content, config, load_registry(layout.content),
                        AssetFinder.scan(layout.content, layout.static, skip=(layout.out,)))
    cache = ReadCache(layout.cache)
    ((_, result, kept),) = cache.read(inputs, [os.fspath(note)], ["a.md"])
    assert kept and b"A line more." in result.notes[0].body.html.encode()
    assert cache.root is not None and (cache._file("a.md")).is_file()


def test_a_build_after_an_edit_takes_the_edited_file_alone_as_changed(make_site, monkeypatch):
    """Its engine looks again at the file the check names (the others keep their reads), and
    writes again the page edited by hand that the lookahead found: a build from scratch's output."""
    root = make_site(NOTES)
    layout = SiteLayout.find(root)
    build(layout, OPTIONS)
    _aged(root)
    build(layout, OPTIONS)
    (root / "content/b.md").write_text(NOTES["content/b.md"] + "\nA sentence more.\n")
    (layout.out / "notes/a/index.html").write_text("edited by hand")
    told: list[frozenset[str] | None] = []
    real = Engine.produce
    monkeypatch.setattr(Engine, "produce", lambda self, sink, progress, touched=None, parallel=None, beside=None:
                        told.append(touched) or real(self, sink, progress, touched, parallel, beside))
    build(layout, OPTIONS)
    assert told == [{os.path.join(layout.content, "b.md")}]
    scratch = SiteLayout.find(root, root / "scratch")
    build(scratch, replace(OPTIONS, cache=False))
    assert _folder(layout.out) == _folder(scratch.out)


def test_a_state_older_than_the_manifest_has_every_file_looked_at(make_site, monkeypatch):
    """The files the check names changed are those changed since the last build; a state saved
    by an earlier build (the last one stopped before saving its own) missed more, so its
    build looks at every file."""
    root = make_site(NOTES)
    layout = SiteLayout.find(root)
    build(layout, OPTIONS)
    _aged(root)
    build(layout, OPTIONS)
    kept = layout.cache.parent / "kept-state"
    shutil.copytree(layout.cache, kept)
    (root / "content/a.md").write_text(NOTES["content/a.md"] + "First edit.\n")
    build(layout, OPTIONS)  # its manifest stays; its state is lost
    for name in ("engine.pickle", "engine-changes.pickle", "bodies"):
        shutil.copy2(kept / name, layout.cache / name)
    (root / "content/b.md").write_text(NOTES["content/b.md"] + "Second edit.\n")
    told: list[frozenset[str] | None] = []
    real = Engine.produce
    monkeypatch.setattr(Engine, "produce", lambda self, sink, progress, touched=None, parallel=None, beside=None:
                        told.append(touched) or real(self, sink, progress, touched, parallel, beside))
    build(layout, OPTIONS)
    assert told == [None]
    assert b"First edit." in (layout.out / "notes/a/index.html").read_bytes()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")
def test_a_lookahead_that_fails_leaves_the_build_to_do_its_work(make_site, monkeypatch):
    root = make_site(NOTES)
    layout = SiteLayout.find(root)
    build(layout, OPTIONS)
    monkeypatch.setattr(lookahead, "read_ahead", lambda layout, options, notes: 1 / 0)  # the forked process fails
    (root / "content/a.md").write_text(NOTES["content/a.md"] + "Edited.\n")
    result = build(layout, OPTIONS)
    assert b"Edited." in (layout.out / "notes/a/index.html").read_bytes() and not result.errors


def test_a_fork_of_the_output_writer_finds_unchanged_what_a_thread_is_still_looking_at(tmp_path, monkeypatch):
    """The writer a forked process is given (a render worker, the pages written aside in
    ``build --watch``) has the files found as the last build left them though the thread
    looking at them had not finished: the forked process has no such thread, and found no file
    unchanged (every sectioned page it wrote rendered in full, not copied)."""
    from papernotes import inplace
    from papernotes.engine import Parallel
    from papernotes.forked import Forked

    out = tmp_path / "out"
    out.mkdir()
    (out / "a.html").write_text("a", encoding="utf-8")
    stat = os.lstat(out / "a.html")
    stamps = {"a.html": (stat.st_size, stat.st_mtime_ns)}
    looking = lookahead.differing
    monkeypatch.setattr(lookahead, "differing", lambda layout, output: (time.sleep(0.3), looking(layout, output))[1])
    sink = inplace.start(out, stamps, lookahead.Unchanged(SiteLayout.find(tmp_path, out), stamps))
    try:
        aside = Parallel(sink, 2).aside(lambda forked: forked.current.get("a.html"))  # type: ignore[arg-type,return-value]
        assert aside.result() == stamps["a.html"]  # the build's own forked writer
        share = sink.fork()
        assert Forked(lambda: share.current.get("a.html")).result() == stamps["a.html"]
    finally:
        inplace.abandon(sink)


def test_a_library_parsed_once_is_not_parsed_again_by_the_lookahead_or_the_build_after_an_edit(make_site, monkeypatch):
    bib = "@article{Sher2019, title = {Review of Algorithms}, author = {Sher, Yoni}, year = {2019}, " \
          "url = {http://arxiv.org/abs/1908.01642}, abstract = {Up to 50\\% fewer samples.}}\n"
    root = make_site({**NOTES, "content/My Library.bib": bib})
    _aged(root)
    layout = SiteLayout.find(root)
    build(layout, OPTIONS)
    assert (layout.cache / REGISTRY_FILES).is_file()
    note = root / "content/a.md"
    note.write_text(NOTES["content/a.md"] + "A line more, on arXiv:1908.01642.\n")

    def parsed(path: Path) -> None:
        raise AssertionError(f"{path} parsed again")

    monkeypatch.setattr(registry, "_read_bib", parsed)
    lookahead.read_ahead(layout, OPTIONS, {os.fspath(note)})
    build(layout, OPTIONS)
    assert "Up to 50% fewer samples." in (layout.out / "papers/arxiv-1908.01642/index.html").read_text()
    (root / "content/My Library.bib").write_text(bib.replace("Review of", "A Review of"))
    monkeypatch.undo()
    build(layout, OPTIONS)
    assert "A Review of Algorithms" in (layout.out / "papers/arxiv-1908.01642/index.html").read_text()
