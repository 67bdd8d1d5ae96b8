"""The up-to-date check: any change to what a build reads or wrote is seen, nothing else is, and
finding nothing changed loads none of the pipeline."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from papernotes import filedigests, uptodate
from papernotes.build import BuildOptions, SiteLayout, build

OLD = 1_600_000_000_000_000_000  # a modification time (ns) long before any build
NOTE = "---\ntitle: {title}\ndate: 2024-01-02\n---\n\nBody of {title}.\n"

names = st.text("abcxyz", min_size=1, max_size=3)
trees = st.dictionaries(st.lists(names, min_size=1, max_size=3).map("/".join), st.binary(max_size=20), min_size=1,
                        max_size=8).filter(lambda files: not any(f.startswith(g + "/") for f in files for g in files))


def _write(root: Path, files: dict[str, bytes]) -> None:
    """``files`` under ``root``, all dated ``OLD``."""
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        os.utime(path, ns=(OLD, OLD))


def _digest(root: Path) -> str:
    return uptodate.take_inputs([root], (), "options", since=time.time()).key


@settings(max_examples=40, deadline=None)
@given(trees)
def test_the_same_files_written_again_give_the_same_key(files):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        _write(root, files)
        first = _digest(root)
        assert _digest(root) == first
        shutil.rmtree(root)
        root.mkdir()
        _write(root, files)
        assert _digest(root) == first


def _edit(root: Path, rel: str) -> None:
    path = root / rel
    path.write_bytes(path.read_bytes() + b"!")
    os.utime(path, ns=(OLD, OLD))


def _touch(root: Path, rel: str) -> None:
    os.utime(root / rel, ns=(OLD + 1, OLD + 1))


def _remove(root: Path, rel: str) -> None:
    (root / rel).unlink()


def _rename(root: Path, rel: str) -> None:
    path = root / rel
    path.rename(path.with_name(path.name + "-renamed"))


def _move_up(root: Path, rel: str) -> None:
    """Into the folder above (or below, for a file at the top): same name, same bytes, same time."""
    path = root / rel
    target = root / "below" / path.name if path.parent == root else path.parent.parent / path.name
    if target.exists():
        target = target.with_name(target.name + "-moved")
    target.parent.mkdir(exist_ok=True)
    path.rename(target)


def _add(root: Path, rel: str) -> None:
    (root / rel).with_name("added").write_bytes(b"")


@settings(max_examples=60, deadline=None)
@given(trees, st.sampled_from([_edit, _touch, _remove, _rename, _move_up, _add]), st.data())
def test_any_change_to_the_files_changes_the_digest(files, change, data):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        _write(root, files)
        written = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
        before = _digest(root)
        rel = data.draw(st.sampled_from(written))
        if change is _add and (root / rel).with_name("added").exists():
            return
        change(root, rel)
        assert _digest(root) != before, f"{change.__name__} {rel}"


def test_options_version_and_skipped_folders(tmp_path, monkeypatch):
    _write(tmp_path, {"a.md": b"a", "site/index.html": b"x", ".git/HEAD": b"x", ".git/index": b"x", "plugins/__pycache__/p.pyc": b"x"})
    since = time.time()
    digest = uptodate.take_inputs([tmp_path], [tmp_path / "site"], "options", since).key
    assert uptodate.take_inputs([tmp_path], [tmp_path / "site"], "other options", since).key != digest
    for rel in ("site/index.html", ".git/index", "plugins/__pycache__/p.pyc"):
        _edit(tmp_path, rel)
    assert uptodate.take_inputs([tmp_path], [tmp_path / "site"], "options", since).key == digest, \
        "the output, git's files and compiled Python are no inputs"
    monkeypatch.setattr(uptodate, "__version__", "another")
    assert uptodate.take_inputs([tmp_path], [tmp_path / "site"], "options", since).key != digest


def test_files_changed_lately_are_hashed(tmp_path):
    _write(tmp_path, {"old.md": b"old"})
    (tmp_path / "new.md").write_bytes(b"new")
    inputs = uptodate.take_inputs([tmp_path], (), "options", since=time.time() - 5)
    assert list(inputs.recent) == [os.fspath(tmp_path.resolve() / "new.md")]


def _git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, check=True).stdout.strip()


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_the_commit_is_read_as_git_reads_it(tmp_path):
    repo = tmp_path / "repo"
    (repo / "notes").mkdir(parents=True)
    _git(repo, "init", "-q", "-b", "main")
    assert uptodate.git_head(repo / "notes") == "", "an unborn branch"
    for number in (1, 2):
        (repo / "notes/a.md").write_text(str(number))
        _git(repo, "add", ".")
        _git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", str(number))
    head = _git(repo, "rev-parse", "HEAD")
    assert uptodate.git_head(repo / "notes") == head
    _git(repo, "pack-refs", "--all")
    assert not (repo / ".git/refs/heads/main").exists() and uptodate.git_head(repo / "notes") == head
    _git(repo, "worktree", "add", "-q", "--detach", os.fspath(tmp_path / "other"), "HEAD~1")
    assert uptodate.git_head(tmp_path / "other" / "notes") == _git(repo, "rev-parse", "HEAD~1")
    _git(tmp_path / "other", "checkout", "-q", "-b", "side")
    assert uptodate.git_head(tmp_path / "other") == _git(repo, "rev-parse", "HEAD~1")
    assert uptodate.git_head(tmp_path) == ""


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_the_commit_of_the_repository_git_dir_names_is_read(tmp_path, monkeypatch):
    """Dates come from the repository ``GIT_DIR`` names; so does the commit a build stands at."""
    repo, notes = tmp_path / "repo", tmp_path / "notes"
    repo.mkdir()
    notes.mkdir()
    _git(repo, "init", "-q")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "one")
    monkeypatch.setenv("GIT_DIR", os.fspath(repo / ".git"))
    assert uptodate.git_head(notes) == _git(repo, "rev-parse", "HEAD")


def _age(root: Path) -> None:
    """Date every file of the site a minute back, as if written long before the build."""
    old = time.time() - 60
    for path in [root, *root.rglob("*")]:
        os.utime(path, (old, old))


@pytest.fixture
def site(make_site):
    root = make_site({"content/a.md": NOTE.format(title="A"), "content/b.md": NOTE.format(title="B"),
                      "templates/.keep": "", "static/.keep": ""})
    _age(root)
    layout = SiteLayout.find(root, root / "site")
    assert build(layout, BuildOptions(search=False)).up_to_date is None
    return layout


def _again(layout: SiteLayout, **options: object) -> int | None:
    return build(layout, BuildOptions(search=False, **options)).up_to_date  # type: ignore[arg-type]


def test_sequences_with_nothing_changed_are_up_to_date(site, monkeypatch):
    assert _again(site) == 2
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 2)  # two seconds later
    assert _again(site) == 2
    monkeypatch.undo()
    assert _again(site) == 2


@pytest.mark.parametrize("change", [
    lambda root: (root / "content/a.md").write_text(NOTE.format(title="Edited")),
    lambda root: (root / "content/a.md").write_text(NOTE.format(title="Z")),  # the same size, a new time
    lambda root: (root / "content/a.md").rename(root / "content/c.md"),
    lambda root: (root / "content/a.md").unlink(),
    lambda root: (root / "content/c.md").write_text(NOTE.format(title="C")),
    lambda root: (root / "content/figure.png").write_bytes(b"\x89PNG"),
    lambda root: (root / "content/.papers-cache.json").write_text("{}"),
    lambda root: (root / "papernotes.yaml").write_text("title: Other\n"),
    lambda root: (root / "templates/note.html").write_text("{{ note.title }}"),
    lambda root: (root / "static/extra.css").write_text("a {}"),
    lambda root: (root / "site/index.html").unlink(),
    lambda root: (root / "site/index.html").write_text("x", encoding="utf-8"),
    lambda root: shutil.rmtree(root / "site/notes"),
    lambda root: shutil.rmtree(root / "site"),
], ids=["edit", "touch", "rename", "remove", "add", "image", "registry", "config", "template", "static",
        "home page removed", "home page edited", "section removed", "output removed"])
def test_a_change_is_built_then_up_to_date_again(site, change):
    change(site.root)
    assert _again(site) is None
    assert _again(site) is not None


def test_files_of_a_new_time_alone_leave_the_site_up_to_date_and_are_hashed_once(site, monkeypatch):
    a_while_ago = time.time() - 30
    for rel in ("content/a.md", "templates/.keep", "static/.keep"):
        os.utime(site.root / rel, (a_while_ago, a_while_ago))  # touched, saved unchanged, checked out again
    assert _again(site) == 2
    monkeypatch.setattr(filedigests, "content", lambda path: pytest.fail(f"{path} hashed again"))
    assert _again(site) == 2, "the manifest took the new times"
    monkeypatch.undo()
    os.utime(site.root / "content/b.md")  # touched just now: hashed at every check until it is a second old
    assert _again(site) == 2 and _again(site) == 2
    (site.root / "content/b.md").write_text(NOTE.format(title="Y"))
    os.utime(site.root / "content/b.md", (a_while_ago, a_while_ago))
    assert _again(site) is None, "another content of the same size and an old time"
    assert "Y" in (site.out / "notes/b/index.html").read_text(encoding="utf-8")


def test_the_files_of_a_fresh_checkout_are_hashed_once(site, monkeypatch):
    """Every file checked out anew since the last build (as in a publishing workflow, a note
    pushed) is hashed by the up-to-date check, and that digest is the one kept once the build
    is done, not taken again."""
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 30)  # the next run, half a minute later
    (site.root / "content/b.md").write_text(NOTE.format(title="B, pushed"))
    checked_out = real() + 10  # after the last build, settled before this one
    for path in (site.root / "content").iterdir():
        os.utime(path, (checked_out, checked_out))
    hashed: list[str] = []
    content = filedigests.content
    monkeypatch.setattr(filedigests, "content", lambda path: hashed.append(os.path.basename(path)) or content(path))
    assert _again(site) is None, "built"
    assert sorted(hashed) == ["a.md", "b.md"]
    kept = filedigests.looked_up(filedigests.load(site.cache), [os.path.realpath(site.root / "content/a.md")])
    assert [entry[2] for entry in kept.values()] == [content(str(site.root / "content/a.md"))]


def test_the_notes_of_a_fresh_checkout_are_recalled_from_the_saved_state(site, monkeypatch):
    """A fresh checkout's notes have new times but, all except the one pushed, the bytes the
    last build read: their reads are taken from the state it saved, not loaded again from the
    read cache's files one note at a time."""
    from papernotes.engine.readcache import ReadCache

    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 30)  # the next run, half a minute later
    (site.root / "content/b.md").write_text(NOTE.format(title="B, pushed"))
    checked_out = real() + 10
    for path in (site.root / "content").iterdir():
        os.utime(path, (checked_out, checked_out))
    opened: list[str] = []
    file_of = ReadCache._file
    monkeypatch.setattr(ReadCache, "_file", lambda cache, rel: opened.append(rel) or file_of(cache, rel))
    assert _again(site) is None, "built"
    assert "a.md" not in opened and "b.md" in opened  # b.md read and kept anew
    assert "B, pushed" in (site.out / "notes/b/index.html").read_text(encoding="utf-8")
    assert "<h1" in (site.out / "notes/a/index.html").read_text(encoding="utf-8")


def test_a_fresh_checkout_keeps_the_reads_of_notes_whose_images_hold_the_same_bytes(make_site, monkeypatch):
    """A note's read depends on the images it shows (their digest and size are in its page): a
    fresh checkout gives them new times but the same bytes, so the note is not read again; an
    image with other bytes makes its note read again."""
    from papernotes.engine import readcache

    root = make_site({"content/a.md": NOTE.format(title="A") + "\n![Figure](figure.png)\n",
                      "content/b.md": NOTE.format(title="B"), "content/figure.png": b"\x89PNG one"})
    _age(root)
    layout = SiteLayout.find(root, root / "site")
    build(layout, BuildOptions(search=False))
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 30)  # the next run, half a minute later
    (root / "content/b.md").write_text(NOTE.format(title="B, pushed"))
    checked_out = real() + 10
    for path in (root / "content").iterdir():
        os.utime(path, (checked_out, checked_out))
    monkeypatch.setattr("papernotes.build.READ_AHEAD", 0)  # a checkout changes more notes than are read ahead
    read: list[str] = []
    read_site = readcache.read_site
    monkeypatch.setattr(readcache, "read_site", lambda paths, *rest: read.extend(p.name for p in paths) or read_site(paths, *rest))
    assert _again(layout) is None, "built"
    assert read == ["b.md"]
    page = (layout.out / "notes/a/index.html").read_text(encoding="utf-8")
    read.clear()
    (root / "content/figure.png").write_bytes(b"\x89PNG two")  # the same size, a new time
    assert _again(layout) is None and read == ["a.md"]
    assert (layout.out / "notes/a/index.html").read_text(encoding="utf-8") != page


def test_files_written_just_before_a_build_are_hashed_until_settled_then_never(make_site, monkeypatch):
    root = make_site({"content/a.md": NOTE.format(title="A"), "content/b.md": NOTE.format(title="B")})
    layout = SiteLayout.find(root, root / "site")  # a folder copied or checked out just now: every file racy
    assert _again(layout) is None and _again(layout) == 2
    time.sleep(1.1)  # a second later: settled, their digests taken
    assert _again(layout) == 2
    monkeypatch.setattr(filedigests, "content", lambda path: pytest.fail(f"{path} hashed again"))
    assert _again(layout) == 2, "the racy files are no longer hashed"
    monkeypatch.undo()
    a_while_ago = time.time() - 30
    os.utime(root / "content/a.md", (a_while_ago, a_while_ago))
    assert _again(layout) == 2, "a touched file is known by the digest taken when it settled"


def test_a_touched_note_dated_by_its_file_builds(make_site):
    root = make_site({"content/log.txt": "Read https://arxiv.org/abs/1706.03762 today.\n", "content/a.md": NOTE.format(title="A")})
    _age(root)
    layout = SiteLayout.find(root, root / "site")
    assert _again(layout) is None and _again(layout) == 2
    os.utime(root / "content/a.md")  # the folder holds a note dated by its file: no file of it is hashed
    assert _again(layout) is None
    os.utime(root / "content/log.txt")
    assert _again(layout) is None, "a plain-text note's time is its date"


def test_a_page_changed_by_hand_deeper_in_the_output_is_not_looked_for(site):
    page = site.out / "notes/a/index.html"
    page.unlink()
    assert _again(site) == 2, "the output is trusted below its top level"
    assert _again(site, cache=False) is None and page.is_file(), "--no-cache writes every page again"


def test_other_options_build(site):
    assert _again(site, drafts=True) is None
    assert _again(site, base_url="https://example.org/") is None
    assert _again(site, cache=False) is None, "--no-cache always builds"


def test_a_manifest_cut_short_or_of_another_format_is_not_trusted(site, monkeypatch):
    manifest = site.cache / uptodate.MANIFEST
    manifest.write_bytes(manifest.read_bytes()[:100])
    assert _again(site) is None
    monkeypatch.setattr(uptodate, "FORMAT", uptodate.FORMAT + 1)
    assert _again(site) is None
    assert _again(site) == 2


def test_a_manifest_whose_details_are_gone_tells_no_problems_it_cannot_read(site):
    (site.root / "content/a.md").write_text(NOTE.format(title="A") + "\n![Figure](missing.png)\n")
    first = build(site, BuildOptions(search=False))
    assert [d.message for d in first.diagnostics] == ["image not found: missing.png"]
    (site.cache / uptodate.DETAILS).unlink()
    again = build(site, BuildOptions(search=False))
    assert again.up_to_date is None and [d.message for d in again.diagnostics] == ["image not found: missing.png"]
    told = build(site, BuildOptions(search=False))
    assert told.up_to_date == 2 and [d.message for d in told.diagnostics] == ["image not found: missing.png"]


def test_an_up_to_date_build_loads_none_of_the_pipeline(site):
    probe = ("import sys\nfrom papernotes.cli import main\n"
             f"try:\n    main(['build', {os.fspath(site.root)!r}, '-o', {os.fspath(site.out)!r}, '--no-search'])\n"
             "except SystemExit:\n    pass\n"
             "print(' '.join(sorted(sys.modules)))\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert "up to date" in done.stdout
    loaded = set(done.stdout.split("\n")[-2].split())
    heavy = {"jinja2", "markdown_it", "yaml", "pygments", "feedparser", "bibtexparser", "papernotes.engine",
             "papernotes.config", "papernotes.read", "papernotes.emit", "ctypes", "subprocess"}
    assert not heavy & loaded


def test_a_broken_link_is_left_out_and_the_rest_still_counts(tmp_path):
    _write(tmp_path, {"a.md": b"a", "b.md": b"b"})
    (tmp_path / "broken.md").symlink_to(tmp_path / "nowhere.md")
    before = _digest(tmp_path)
    (tmp_path / "broken.md").unlink()
    assert _digest(tmp_path) == before, "a link to nothing is no input"
    (tmp_path / "broken.md").symlink_to(tmp_path / "nowhere.md")
    _edit(tmp_path, "b.md")
    assert _digest(tmp_path) != before


def test_the_command_answers_an_unchanged_site_before_loading_its_parser(site):
    probe = ("import sys\nfrom papernotes.launch import main\n"
             f"sys.argv = ['papernotes', 'build', {os.fspath(site.root)!r}, '--output', {os.fspath(site.out)!r}, '--no-search']\n"
             "main()\nprint(' '.join(sorted(sys.modules)))\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert "up to date: nothing changed since the last build (2 notes" in done.stdout
    loaded = set(done.stdout.split("\n")[-2].split())
    assert not {"click", "pathlib", "dataclasses", "typing", "pickle", "collections", "papernotes.cli",
                "papernotes.model"} & loaded


def test_the_quick_answer_knows_every_build_option_or_leaves_the_command_line_to_the_parser():
    from papernotes.cli import build_command
    from papernotes.launch import FLAGS, VALUES, build_options

    parsed = {"--strict", "-v", "--verbose", "--no-cache", "-w", "--watch", "--poll", "-h", "--help"}  # left to the full parser
    given = {flag for param in build_command.params for flag in (*param.opts, *param.secondary_opts) if flag.startswith("-")}
    assert given | {"-h", "--help"} == {*FLAGS, *VALUES, *parsed}
    names = {param.name for param in build_command.params}
    assert set(FLAGS.values()) | set(VALUES.values()) <= names
    assert build_options(["build", "notes", "-o", "out", "--base-url=https://x.org/", "-j", "2", "-q"]) == {
        "site_dir": "notes", "out_dir": "out", "base_url": "https://x.org/", "jobs": "2", "quiet": True}
    for args in (["serve"], ["build", "--strict"], ["build", "-j", "0"], ["build", "a", "b"], ["build", "-o"], ["build", "-qv"]):
        assert build_options(args) is None, args


def test_a_build_process_ends_with_its_exit_code_its_output_printed_and_its_state_saved(make_site):
    """``papernotes build`` ends its process at once (no teardown), yet prints everything, exits
    with the build's code and leaves the state the next build restores."""
    root = make_site({"content/a.md": NOTE.format(title="A"), "content/b.md": NOTE.format(title="B") + "\n[[Nowhere]]\n"})
    out = root / "out"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "papernotes", "build", os.fspath(root), "-o", os.fspath(out), "--no-search", *args]
        return subprocess.run(command, capture_output=True, text=True)

    strict = run("--strict")
    assert strict.returncode == 1 and "Nowhere" in strict.stderr and "2 notes" in strict.stdout
    done = run()
    assert done.returncode == 0 and "2 notes" in done.stdout
    layout = SiteLayout.find(root, out)
    assert {"engine.pickle", "engine-changes.pickle", uptodate.MANIFEST} <= {p.name for p in layout.cache.iterdir()}
    time.sleep(1.1)  # past the racy second
    assert "up to date" in run().stdout
