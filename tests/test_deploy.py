"""papernotes deploy: the site committed to a branch of the notes' repository and pushed (to a local bare repository)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from papernotes.cli import main
from papernotes.deploy import TRAILER, DeployError, cname_for, pages_url, site_url
from papernotes.scaffold import init_site

BASE = "https://someone.github.io/notes/"


def git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, check=True).stdout.strip()


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A notes repository with one commit and a bare repository as its ``origin``."""
    for key, value in {"GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@example.org", "GIT_COMMITTER_NAME": "A",
                       "GIT_COMMITTER_EMAIL": "a@example.org", "GIT_CONFIG_GLOBAL": "/dev/null"}.items():
        monkeypatch.setenv(key, value)
    site = tmp_path / "notes"
    init_site(site, requirements="papernotes==0.1.0\n")
    git(tmp_path, "init", "-q", "--bare", "origin.git")
    git(site, "init", "-q", "-b", "main")
    git(site, "add", "-A")
    git(site, "commit", "-q", "-m", "Notes")
    git(site, "remote", "add", "origin", str(tmp_path / "origin.git"))
    monkeypatch.chdir(site)
    return site


def deploy(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["deploy", "--base-url", BASE, *args])
    return result.exit_code, result.output


def untouched(site: Path) -> tuple[bytes, int, str, str]:
    """What the user works with: the index file (bytes and time), the checked-out commit, the working tree's state."""
    index = site / ".git/index"
    return (index.read_bytes(), index.stat().st_mtime_ns, git(site, "rev-parse", "HEAD"),
            git(site, "--no-optional-locks", "status", "--porcelain"))


def test_deploy_pushes_the_site_then_only_what_changed(repo: Path) -> None:
    (repo / "content/draft-in-progress.md").write_text("---\ntitle: Work in progress\n---\nNot committed yet.\n")
    (repo / "content/staged.md").write_text("---\ntitle: Staged\n---\nStaged, not committed.\n")
    git(repo, "add", "content/staged.md")
    before = untouched(repo)
    code, output = deploy()
    assert code == 0, output
    assert "pushed to origin" in output
    bare = repo.parent / "origin.git"
    files = git(bare, "ls-tree", "-r", "--name-only", "gh-pages").splitlines()
    assert {"index.html", ".nojekyll", "feed.xml", "notes/welcome/index.html", "pagefind/pagefind.js"} <= set(files)
    assert "CNAME" not in files and ".papernotes-site" not in files
    assert 'href="/notes/notes/welcome/"' in git(bare, "show", "gh-pages:index.html")
    first = git(bare, "rev-parse", "gh-pages")
    assert f"{TRAILER}: {before[2][:12]}+uncommitted changes" in git(bare, "log", "-1", "--format=%B", first)
    assert untouched(repo) == before, "working tree, index and HEAD as they were"
    assert git(repo, "worktree", "list").count("\n") == 0, "the temporary worktree is gone"
    assert git(repo, "rev-parse", "gh-pages") == first

    code, output = deploy()
    assert code == 0 and "already holds this site" in output
    assert git(bare, "rev-parse", "gh-pages") == first

    welcome = repo / "content/welcome.md"
    welcome.write_text(welcome.read_text() + "\nA second paragraph.\n")
    code, output = deploy("--message", "Notes of the week")
    assert code == 0, output
    second = git(bare, "rev-parse", "gh-pages")
    assert git(bare, "rev-parse", f"{second}^") == first
    assert git(bare, "log", "-1", "--format=%s", second) == "Notes of the week"
    assert "A second paragraph." in git(bare, "show", "gh-pages:notes/welcome/index.html")
    assert "M\tnotes/welcome/index.html" in git(bare, "diff-tree", "-r", "--name-status", first, second).splitlines()
    assert untouched(repo)[2] == before[2]


def test_deploy_refuses_a_branch_with_commits_papernotes_did_not_make(repo: Path) -> None:
    bare = repo.parent / "origin.git"
    other = repo.parent / "other"
    git(repo.parent, "clone", "-q", str(bare), str(other))
    git(other, "checkout", "-q", "--orphan", "gh-pages")
    (other / "index.html").write_text("<p>a hand-made page</p>")
    git(other, "add", "index.html")
    git(other, "commit", "-q", "-m", "Hand-made page")
    git(other, "push", "-q", "origin", "gh-pages")
    foreign = git(bare, "rev-parse", "gh-pages")

    code, output = deploy()
    assert code == 1 and "1 commit(s) papernotes did not make" in output and "Hand-made page" in output
    assert git(bare, "rev-parse", "gh-pages") == foreign

    code, output = deploy("--force")
    assert code == 0, output
    assert git(bare, "rev-parse", "gh-pages^") == foreign
    assert "hand-made" not in git(bare, "show", "gh-pages:index.html")


def test_dry_run_lists_the_changes_and_commits_nothing(repo: Path) -> None:
    code, output = deploy("--dry-run")
    assert code == 0, output
    assert "A\tindex.html" in output and "dry run: would commit" in output
    assert git(repo.parent / "origin.git", "branch") == ""
    assert git(repo, "branch", "--list", "gh-pages") == ""


def test_no_push_commits_to_the_local_branch_and_cname_follows_a_custom_domain(repo: Path) -> None:
    code, output = deploy("--no-push", "--branch", "site", "--base-url", "https://notes.example.org/")
    assert code == 0 and "(not pushed)" in output, output
    assert git(repo, "show", "site:CNAME") == "notes.example.org"
    assert git(repo.parent / "origin.git", "branch") == ""
    code, output = deploy("--branch", "site", "--base-url", "https://notes.example.org/")
    assert code == 0 and "nothing to commit; pushed it to origin" in output, output
    assert git(repo.parent / "origin.git", "rev-parse", "site") == git(repo, "rev-parse", "site")


def test_deploy_explains_what_it_needs(repo: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["deploy"])
    assert result.exit_code == 1 and "set base_url in papernotes.yaml or pass --base-url" in result.output
    git(repo, "remote", "remove", "origin")
    code, output = deploy()
    assert code == 1 and "there is no remote origin" in output
    git(repo, "checkout", "-q", "-b", "gh-pages")
    code, output = deploy("--no-push")
    assert code == 1 and "checked out" in output
    outside = tmp_path / "plain"
    init_site(outside, requirements="papernotes==0.1.0\n")
    result = CliRunner().invoke(main, ["deploy", str(outside), "--base-url", BASE])
    assert result.exit_code == 1 and "not inside a git repository" in result.output


@pytest.mark.parametrize(("remote", "url"), [
    ("https://github.com/Someone/notes.git", "https://someone.github.io/notes/"),
    ("git@github.com:someone/notes", "https://someone.github.io/notes/"),
    ("ssh://git@github.com/someone/someone.github.io.git", "https://someone.github.io/"),
    ("https://gitlab.com/someone/notes.git", None),
    ("/srv/git/notes.git", None),
])
def test_pages_url_of_a_remote(remote: str, url: str | None) -> None:
    assert pages_url(remote) == url


def test_site_url_and_cname() -> None:
    assert site_url("https://notes.example.org/", "https://github.com/a/b") == "https://notes.example.org/"
    assert site_url("/", "https://github.com/a/b") == "https://a.github.io/b/"
    with pytest.raises(DeployError):
        site_url("/", "/srv/git/notes.git")
    assert cname_for("https://notes.example.org/") == "notes.example.org"
    assert cname_for("https://a.github.io/") is None
    assert cname_for("https://example.org/notes/") is None
