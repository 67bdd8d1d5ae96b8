"""``papernotes build --watch``: an engine kept between builds writes what a build from scratch
writes, gives way to another build of the site, and the command keeps building until stopped."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Iterator

import pytest

from papernotes import watchbuilds
from papernotes.build import BuildOptions, BuildResult, KeptEngine, SiteLayout, build

from .conftest import until

NOTE = "---\ntitle: {title}\ndate: 2024-0{day}-02\ntags: [ml]\n---\n\nAbout arXiv:1706.03762 and [[{link}]].\n"
OPTIONS = BuildOptions(search=False, workers=1)


def _site(make_site) -> Path:
    return make_site({f"content/{name}.md": NOTE.format(title=title, day=day, link=link)
                      for name, title, day, link in (("a", "Attention", 1, "Scaling"), ("b", "Scaling", 2, "Attention"),
                                                     ("c", "Chinchilla", 3, "Attention"))})


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file() and p.name != ".papernotes-site"}


def _from_scratch(root: Path, name: str) -> dict[str, bytes]:
    layout = SiteLayout.find(root, root.parent / name)
    build(layout, replace(OPTIONS, cache=False))
    return _files(layout.out)


@pytest.fixture
def watched(make_site) -> Iterator[tuple[Path, SiteLayout, KeptEngine]]:
    """A site, its layout and an engine to keep between its builds (closed after the test)."""
    root = _site(make_site)
    kept = KeptEngine()
    yield root, SiteLayout.find(root, root.parent / "out"), kept
    kept.close()


def test_each_build_after_an_edit_starts_from_the_engine_the_last_one_kept(watched, monkeypatch):
    root, layout, kept = watched
    build(layout, OPTIONS, kept_engine=kept)
    engine = kept.engine
    assert engine is not None
    restores: list[object] = []
    monkeypatch.setattr(type(engine), "restore", lambda self, stamps: restores.append(self) or self)
    edits = [("a.md", lambda text: text.replace("Attention", "Attention, revisited")),  # a title others link by
             ("b.md", lambda text: text.replace("[ml]", "[ml, scaling]")),
             ("c.md", lambda text: text + "\nA line more.\n")]
    for step, (name, edit) in enumerate(edits):
        path = root / "content" / name
        path.write_text(edit(path.read_text()))
        result = build(layout, OPTIONS, kept_engine=kept)
        assert result.up_to_date is None and kept.engine is engine, name
        assert _files(layout.out) == _from_scratch(root, f"scratch-{step}"), name
    (root / "content" / "d.md").write_text(NOTE.format(title="Dropout", day=4, link="Chinchilla"))
    (root / "content" / "b.md").unlink()
    build(layout, OPTIONS, kept_engine=kept)
    assert _files(layout.out) == _from_scratch(root, "scratch-added")
    assert restores == []


def test_a_site_up_to_date_is_restored_once_for_the_builds_that_follow(watched):
    _, layout, kept = watched
    build(layout, OPTIONS)
    first = build(layout, OPTIONS, kept_engine=kept)
    assert first.up_to_date is None and kept.engine is not None  # restored, to be kept
    assert build(layout, OPTIONS, kept_engine=kept).up_to_date == 3  # nothing changed: the engine stays
    assert kept.engine is not None


def test_another_build_of_the_site_meanwhile_makes_the_kept_engine_give_way(watched):
    root, layout, kept = watched
    build(layout, OPTIONS, kept_engine=kept)
    stale = kept.engine
    note = root / "content" / "a.md"
    note.write_text(note.read_text() + "\nWritten by another build.\n")
    build(layout, OPTIONS)  # another process's build: the output and the manifest are no longer the kept engine's
    note.write_text(note.read_text().replace("Attention", "Attention again"))
    build(layout, OPTIONS, kept_engine=kept)
    assert kept.engine is not stale
    assert _files(layout.out) == _from_scratch(root, "scratch")


def test_a_failed_build_lets_the_kept_engine_go(watched, monkeypatch):
    root, layout, kept = watched
    build(layout, OPTIONS, kept_engine=kept)
    engine = kept.engine
    assert engine is not None
    note = root / "content" / "a.md"
    note.write_text(note.read_text() + "\nMore.\n")
    monkeypatch.setattr(type(engine), "produce", lambda *args, **kwargs: (_ for _ in ()).throw(RuntimeError("bug")))
    with pytest.raises(RuntimeError):
        build(layout, OPTIONS, kept_engine=kept)
    assert kept.engine is None
    monkeypatch.undo()
    build(layout, OPTIONS, kept_engine=kept)  # from the cache folder again
    assert _files(layout.out) == _from_scratch(root, "scratch")


@pytest.mark.parametrize("path, inside", [("out/notes/a/index.html", True), ("out", True), (".out.staging-12/x.html", True),
                                          ("content/a.md", False), ("outline.md", False), (".outline/x.md", False)])
def test_the_output_and_the_folders_made_beside_it_are_not_inputs(tmp_path, path, inside):
    layout = SiteLayout(tmp_path, tmp_path, tmp_path / "templates", tmp_path / "static", tmp_path / "out")
    assert layout.is_output(str(tmp_path / path)) is inside


def test_the_watch_builds_again_after_each_change_until_stopped(make_site):
    root = _site(make_site)
    root_out = root / "site"  # inside the folder watched: its writes must not set off builds
    layout = SiteLayout.find(root, root_out)
    builds: list[BuildResult] = []
    failures: list[Exception] = []
    stop, ready = threading.Event(), threading.Event()
    thread = threading.Thread(target=watchbuilds.build_on_change,
                              args=(layout, OPTIONS, builds.append, failures.append),
                              kwargs={"stop": stop, "watching": ready.set})
    thread.start()
    try:
        assert ready.wait(60)
        page = layout.out / "notes" / "a" / "index.html"
        (root / "content" / "a.md").write_text(NOTE.format(title="Attention", day=1, link="Scaling") + "\nWatched edit.\n")
        assert until(lambda: page.is_file() and "Watched edit." in page.read_text())
        time.sleep(0.5)  # the edit's last events told
        count = len(builds)
        time.sleep(1)  # the builds' own writes set off nothing: each would set off another
        assert len(builds) == count
    finally:
        stop.set()
        thread.join(30)
    assert not thread.is_alive() and failures == []
    assert _files(layout.out) == _from_scratch(root, "scratch")


def test_build_watch_from_the_command_line_stops_on_an_interrupt(make_site, tmp_path):
    root = _site(make_site)
    out = tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-m", "papernotes", "build", str(root), "-o", str(out), "--watch",
                                "--no-search", "-j", "1"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(2)]
        assert lines[0].startswith("3 notes,") and lines[1] == f"watching {root} for changes (Ctrl-C to stop)\n", lines
        note = root / "content" / "c.md"
        note.write_text(note.read_text() + "\nSeen by the watch.\n")
        page = out / "notes" / "c" / "index.html"
        assert until(lambda: page.is_file() and "Seen by the watch." in page.read_text())
        process.send_signal(signal.SIGINT)
        said, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0
    assert said.splitlines()[-1] == "stopped"


def test_build_watch_refuses_no_cache(make_site):
    root = _site(make_site)
    done = subprocess.run([sys.executable, "-m", "papernotes", "build", str(root), "--watch", "--no-cache"],
                          capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONUTF8": "1"})
    assert done.returncode == 2 and "--no-cache" in done.stderr


def test_a_folder_given_through_a_link_is_watched_and_its_files_named_through_the_link(tmp_path):
    """The system's watches do not follow a linked folder (``content -> ~/Dropbox/notes``): the
    preview and ``build --watch`` heard no edit at all and never built again."""
    from papernotes.serve.watch import watch

    real = tmp_path / "elsewhere" / "notes"
    real.mkdir(parents=True)
    (tmp_path / "site").mkdir()
    linked = tmp_path / "site" / "content"
    linked.symlink_to(real)
    heard: list[str | None] = []
    observer = watch([linked], lambda saved, changed: heard.append(changed))
    try:
        (linked / "a.md").write_text("# A\n")
        assert until(lambda: str(linked / "a.md") in heard, 30), heard
        assert not any(path and path.startswith(str(real)) for path in heard)
    finally:
        observer.stop()  # type: ignore[attr-defined]


def test_the_watch_builds_again_after_an_edit_in_a_linked_notes_folder(make_site, tmp_path):
    root = _site(make_site)
    real = tmp_path / "notes-elsewhere"
    (root / "content").rename(real)
    (root / "content").symlink_to(real)
    layout = SiteLayout.find(root, tmp_path / "out")
    builds: list[BuildResult] = []
    failures: list[Exception] = []
    stop, ready = threading.Event(), threading.Event()
    thread = threading.Thread(target=watchbuilds.build_on_change, args=(layout, OPTIONS, builds.append, failures.append),
                              kwargs={"stop": stop, "watching": ready.set})
    thread.start()
    try:
        assert ready.wait(60)
        (real / "a.md").write_text((real / "a.md").read_text() + "\nEdited where the link leads.\n")
        page = layout.out / "notes" / "a" / "index.html"
        assert until(lambda: page.is_file() and "Edited where the link leads." in page.read_text())
    finally:
        stop.set()
        thread.join(30)
    assert not thread.is_alive() and failures == []


def test_a_watched_folder_made_after_the_watch_began_is_watched_whole(tmp_path):
    from papernotes.serve.watch import watch

    heard: list[str | None] = []
    observer = watch([tmp_path / "templates"], lambda saved, changed: heard.append(changed))
    try:
        (tmp_path / "templates" / "partials").mkdir(parents=True)
        assert until(lambda: bool(heard), 30)
        time.sleep(0.2)  # the folder is watched from its creation's event on
        (tmp_path / "templates" / "partials" / "card.html").write_text("<p>{{ note.title }}</p>")
        assert until(lambda: any((path or "").endswith("card.html") for path in heard), 30)
    finally:
        observer.stop()  # type: ignore[attr-defined]


def test_a_tree_too_deep_for_watchdogs_walk_is_watched_folder_by_folder(tmp_path):
    """watchdog walks a tree it watches whole with os.walk, which recursed past the limit on a
    folder 1,100 deep: the preview ended with RecursionError before serving a page."""
    from papernotes.output import remove_folder
    from papernotes.serve.watch import watch

    folder = tmp_path / "content"  # made a level at a time: os.makedirs recurses too
    folder.mkdir()
    for _ in range(1100):
        folder = folder / "a"
        folder.mkdir()
    heard: list[str | None] = []
    observer = None
    try:
        observer = watch([tmp_path / "content"], lambda saved, changed: heard.append(changed))
        (folder / "deep.md").write_text("# Deep\n")
        assert until(lambda: any((path or "").endswith("deep.md") for path in heard), 30)
        (folder / "new").mkdir()
        time.sleep(0.2)  # watched from its creation's event on
        (folder / "new" / "newer.md").write_text("# Newer\n")
        assert until(lambda: any((path or "").endswith("newer.md") for path in heard), 30)
    finally:
        if observer is not None:
            observer.stop()  # type: ignore[attr-defined]
        remove_folder(tmp_path)  # pytest's clean-up of old temporary folders recurses as shutil.rmtree does


def test_the_kept_state_is_saved_when_asked_and_a_later_build_starts_from_it(watched, monkeypatch):
    root, layout, kept = watched
    build(layout, OPTIONS, kept_engine=kept)
    note = root / "content" / "b.md"
    note.write_text(note.read_text() + "\nKept, not yet saved.\n")
    build(layout, OPTIONS, kept_engine=kept)
    assert kept.unsaved  # a build by a kept engine leaves saving to its owner
    kept.close()
    assert kept.engine is None and kept.unsaved is None
    from papernotes.engine import Engine
    restored: list[Engine] = []
    real_restore = Engine.restore
    monkeypatch.setattr(Engine, "restore", lambda self, stamps: restored.append(real_restore(self, stamps)) or restored[-1])
    note.write_text(note.read_text() + "\nA plain build after the watch.\n")
    build(layout, OPTIONS)
    assert restored and restored[0].graph is not None  # the state saved on closing, taken up
    assert _files(layout.out) == _from_scratch(root, "scratch")


def test_a_watch_killed_before_it_saved_leaves_a_state_the_next_build_corrects(watched):
    root, layout, kept = watched
    build(layout, OPTIONS)  # a state saved by a plain build
    build(layout, OPTIONS, kept_engine=kept)
    a, b, c = (root / "content" / f"{name}.md" for name in "abc")
    a.write_text(a.read_text().replace("Attention", "Attention, renamed"))
    build(layout, OPTIONS, kept_engine=kept)
    b.unlink()
    build(layout, OPTIONS, kept_engine=kept)
    kept.let_go()  # killed: its state never saved
    c.write_text(c.read_text() + "\nAfter the watch was killed.\n")
    build(layout, OPTIONS)
    assert _files(layout.out) == _from_scratch(root, "scratch")
