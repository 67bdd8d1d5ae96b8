"""``papernotes deploy``: commit a built site to a branch (``gh-pages``) with git, and push it.

The commit is made in a temporary worktree with its own index, so the user's working tree,
index and checked-out branch are never touched. Each commit papernotes makes carries a
``Papernotes-Deploy:`` trailer naming the source commit; a branch holding any commit without
it is someone else's, and is replaced only when asked (``force``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from . import __version__
from .sitefiles import MARKER

TRAILER = "Papernotes-Deploy"
_GITHUB_REMOTE = re.compile(
    r"^(?:https://(?:[^@/]+@)?github\.com/|git@github\.com:|ssh://git@github\.com/)"
    r"(?P<owner>[A-Za-z0-9-]+)/(?P<repo>[A-Za-z0-9._-]+?)(?:\.git)?/?$"
)
_FALLBACK_IDENTITY = {"GIT_AUTHOR_NAME": "papernotes", "GIT_AUTHOR_EMAIL": "papernotes@localhost",
                      "GIT_COMMITTER_NAME": "papernotes", "GIT_COMMITTER_EMAIL": "papernotes@localhost"}


class DeployError(Exception):
    """The site cannot be deployed as asked; the message says why and what to do."""


@dataclass(frozen=True)
class DeployOptions:
    branch: str = "gh-pages"
    remote: str = "origin"  # a remote's name, or a URL or path git can push to
    message: str | None = None
    push: bool = True
    dry_run: bool = False
    force: bool = False  # commit even when the branch holds commits papernotes did not make


@dataclass(frozen=True)
class Deployment:
    """What a deploy did (or, for a dry run, would do)."""

    branch: str
    commit: str | None  # the new commit; None when the branch already holds this site, or on a dry run
    parent: str | None  # the branch's previous commit, None for a new branch
    changes: tuple[str, ...]  # "A path", "M path", "D path" between the branch and this site
    pushed: bool
    branch_updated: bool  # whether the local branch now points at the new commit


def pages_url(remote: str) -> str | None:
    """The GitHub Pages address of a GitHub remote URL (``None`` for any other remote)."""
    found = _GITHUB_REMOTE.match(remote.strip())
    if found is None:
        return None
    owner, repo = found["owner"].lower(), found["repo"]
    if repo.lower() == f"{owner}.github.io":
        return f"https://{owner}.github.io/"
    return f"https://{owner}.github.io/{repo}/"


def site_url(configured: str, remote: str | None) -> str:
    """The base URL to build with: the configured one when set, else the remote's Pages address."""
    if configured not in ("", "/"):
        return configured
    derived = pages_url(remote) if remote else None
    if derived is None:
        where = f"the remote {remote}" if remote else "the repository (it has no such remote)"
        raise DeployError(f"cannot tell the address the site will be served at from {where}: set base_url in "
                          "papernotes.yaml or pass --base-url")
    return derived


def cname_for(base_url: str) -> str | None:
    """The custom domain GitHub Pages needs in ``CNAME``: the host of a base URL served at its root
    that is not a ``github.io`` address."""
    parts = urlsplit(base_url)
    host = (parts.hostname or "").lower()
    if not host or host.endswith(".github.io") or parts.path not in ("", "/") or host in ("localhost", "127.0.0.1"):
        return None
    return host


def repository_root(folder: Path) -> Path:
    """The top of the git working tree that holds ``folder``."""
    try:
        return Path(_git(folder, "rev-parse", "--show-toplevel"))
    except DeployError:
        raise DeployError(f"{folder} is not inside a git repository; papernotes deploy commits the site to a branch "
                          "of the repository that holds it (git init, then commit your notes)") from None


def remote_url(repo: Path, remote: str) -> str | None:
    """The URL of a remote by name, the value itself when it is a URL or path, ``None`` when unknown."""
    try:
        return _git(repo, "remote", "get-url", remote)
    except DeployError:
        return remote if ("/" in remote or ":" in remote) else None


def publish(repo: Path, site: Path, base_url: str, options: DeployOptions) -> Deployment:
    """Commit the built ``site`` folder to ``options.branch`` of ``repo`` and push it (see the module doc)."""
    ref = f"refs/heads/{options.branch}"
    if options.push and remote_url(repo, options.remote) is None:
        raise DeployError(f"there is no remote {options.remote}: add it (git remote add {options.remote} URL), "
                          "name another with --remote, or commit without pushing with --no-push")
    _refuse_checked_out_branch(repo, ref)
    local = _resolve(repo, ref)
    if options.push:
        remote_tip = _fetch_tip(repo, options.remote, ref)
    else:
        remote_tip = _resolve(repo, f"refs/remotes/{options.remote}/{options.branch}")
    base = local if local and (remote_tip is None or _is_ancestor(repo, remote_tip, local)) else remote_tip
    if base and not options.force:
        _refuse_foreign_commits(repo, base, options.branch)
    with tempfile.TemporaryDirectory(prefix="papernotes-deploy-") as scratch:
        worktree = Path(scratch) / "site"
        start = base or _resolve(repo, "HEAD")
        if start is None:
            raise DeployError("the repository has no commit yet; commit your notes first")
        _git(repo, "worktree", "add", "--quiet", "--detach", "--no-checkout", str(worktree), start)
        try:
            tree = _stage(worktree, site, base_url)
        finally:
            _git(repo, "worktree", "remove", "--force", str(worktree))
    changes = _changes(repo, base, tree)
    if options.dry_run:
        return Deployment(options.branch, None, base, changes, pushed=False, branch_updated=False)
    if not changes:  # the branch holds this site already; it may still be ahead of the remote
        behind = options.push and base is not None and base != remote_tip
        if behind:
            _git(repo, "push", "--quiet", options.remote, f"{base}:{ref}")
        return Deployment(options.branch, None, base, changes, pushed=behind, branch_updated=False)
    commit = _commit(repo, tree, base, options.message)
    updated = local is None or _is_ancestor(repo, local, commit)
    if updated:
        _git(repo, "update-ref", "-m", f"papernotes deploy {commit[:12]}", ref, commit, local or "")
    if options.push:
        _git(repo, "push", "--quiet", options.remote, f"{commit}:{ref}")
    return Deployment(options.branch, commit, base, changes, pushed=options.push, branch_updated=updated)


def _stage(worktree: Path, site: Path, base_url: str) -> str:
    """Put exactly the site's files in the worktree's own index; returns the tree id."""
    _git(worktree, "read-tree", "--empty")
    shutil.copytree(site, worktree, dirs_exist_ok=True)
    (worktree / MARKER).unlink(missing_ok=True)  # the output folder's own bookkeeping, not part of the site
    (worktree / ".nojekyll").write_text("", encoding="utf-8")  # serve _files and folders as they are
    cname = cname_for(base_url)
    if cname and not (worktree / "CNAME").exists():
        (worktree / "CNAME").write_text(cname + "\n", encoding="utf-8")
    _git(worktree, "add", "--all", "--force", ".")
    return _git(worktree, "write-tree")


def _changes(repo: Path, base: str | None, tree: str) -> tuple[str, ...]:
    if base is None:
        return tuple(f"A\t{path}" for path in _git(repo, "ls-tree", "-r", "--name-only", tree).splitlines())
    return tuple(_git(repo, "diff-tree", "-r", "--no-renames", "--name-status", base, tree).splitlines())


def _commit(repo: Path, tree: str, parent: str | None, message: str | None) -> str:
    source = _resolve(repo, "HEAD") or "none"
    dirty = bool(_git(repo, "--no-optional-locks", "status", "--porcelain"))  # leaves the index file alone
    origin = source[:12] + ("+uncommitted changes" if dirty else "")
    text = message or f"Deploy {source[:12]} with papernotes {__version__}"
    parents = ["-p", parent] if parent else []
    env = None if _has_identity(repo) else {**os.environ, **_FALLBACK_IDENTITY}
    return _git(repo, "commit-tree", tree, *parents, "-m", text, "-m", f"{TRAILER}: {origin}", env=env)


def _refuse_checked_out_branch(repo: Path, ref: str) -> None:
    listing = _git(repo, "worktree", "list", "--porcelain")
    if f"branch {ref}" in listing.splitlines():
        raise DeployError(f"{ref.removeprefix('refs/heads/')} is checked out in a working tree of this repository; "
                          "deploy to a branch nobody works on (--branch)")


def _refuse_foreign_commits(repo: Path, base: str, branch: str) -> None:
    foreign = _git(repo, "rev-list", "--invert-grep", f"--grep=^{TRAILER}: ", base).splitlines()
    if foreign:
        subject = _git(repo, "log", "-1", "--format=%h %s", foreign[0])
        raise DeployError(f"the branch {branch} has {len(foreign)} commit(s) papernotes did not make (latest: {subject}); "
                          "deploying would replace what it holds. Choose another --branch, or pass --force to "
                          "deploy on top of it")


def _fetch_tip(repo: Path, remote: str, ref: str) -> str | None:
    """The remote branch's commit, fetched so it can be built on (``None``: no such branch yet)."""
    listed = _git(repo, "ls-remote", "--heads", remote, ref).split()
    if not listed:
        return None
    _git(repo, "fetch", "--quiet", "--no-tags", remote, ref)
    return listed[0]


def _resolve(repo: Path, rev: str) -> str | None:
    try:
        return _git(repo, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    except DeployError:
        return None


def _is_ancestor(repo: Path, ancestor: str, descendant: str) -> bool:
    return subprocess.run(["git", "-C", str(repo), "merge-base", "--is-ancestor", ancestor, descendant],
                          capture_output=True).returncode == 0


def _has_identity(repo: Path) -> bool:
    return subprocess.run(["git", "-C", str(repo), "var", "GIT_COMMITTER_IDENT"], capture_output=True).returncode == 0


def _git(folder: Path, *args: str, env: dict[str, str] | None = None) -> str:
    try:
        finished = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, env=env)
    except FileNotFoundError:
        raise DeployError("git is not installed; papernotes deploy needs it") from None
    if finished.returncode != 0:
        reason = (finished.stderr or finished.stdout).strip().splitlines()
        raise DeployError(f"git {args[0]} failed: {reason[-1] if reason else f'exit status {finished.returncode}'}")
    return finished.stdout.strip()
