"""Skip a build when nothing it reads or wrote has changed since the last one, as make does.

The last build leaves a manifest in the cache folder: a digest of its options, of every file it
could read (notes, images, the paper registry, config, templates, static files, the theme,
papernotes itself) by path, size and modification time, and of the git commit the notes are at;
and the size and time of every output file. A build finding all of these as they were reports
the last build's problems again and writes nothing. As git does for racy files, an input changed
within a second of the last build is not trusted by its size and time (a second change in the
same clock tick would not show): the manifest keeps a digest of its bytes, and the next build
hashes it again.

The check is what ``papernotes build`` does on every run, so it stays cheap: one ``stat`` per
file, the inputs hashed at once and the output files' stamps compared as arrays, the last build's
problems kept as plain tuples, and the manifest's large part (the output files by name, which a
build that does run needs) read only then. This module imports nothing heavy.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import pickle
from array import array
from dataclasses import dataclass, fields
from operator import attrgetter
from pathlib import Path
from typing import Any, Iterable

from . import __version__
from .model import Diagnostic
from .theme import theme_dir
from .walks import RACY_SECONDS

MANIFEST = "last-build.pickle"
FORMAT = 3  # bump whenever the manifest changes shape
_MARSHAL = 2  # the marshal version without back-references: equal values, equal bytes
_NAME, _SIZE, _MTIME = attrgetter("name"), attrgetter("st_size"), attrgetter("st_mtime_ns")
_FIELDS = attrgetter(*(field.name for field in fields(Diagnostic)))  # a diagnostic as the tuple it is made from
_SKIPPED = frozenset({".git", "__pycache__"})  # git's own files (the commit is taken instead), compiled Python


@dataclass(frozen=True)
class LastBuild:
    """What the last build made: its note and page counts, its problems, and the ``scheme://host``
    of its base URL ("" when it had none)."""

    notes: int
    pages: int
    diagnostics: tuple[Diagnostic, ...]
    site_origin: str = ""


@dataclass(frozen=True)
class Inputs:
    """What a build reads, as one digest (paths, sizes, times, options, version, git commit), and
    the digests of the bytes of the files changed lately (``recent``: racy, so looked at by content)."""

    digest: str
    recent: dict[str, str]


@dataclass(frozen=True)
class Manifest:
    """The part of the last build's manifest a check reads: the digest of its inputs, when it
    began, what it made, the bytes of its racy inputs, and its output files (names and stamps)."""

    where: Path
    inputs: str
    output: str
    time: float
    last: LastBuild
    recent: dict[str, str]
    output_names: str  # absolute paths of the output files, "\0"-separated
    output_stamps: tuple[bytes, bytes]  # their sizes and modification times (ns), in that order, as arrays of int64


def take_inputs(roots: Iterable[Path], skip: Iterable[Path], options: object, since: float) -> Inputs:
    """The inputs under ``roots`` (``skip`` left out); files modified after ``since`` (``time.time()``)
    are also hashed. Folders are walked in name order without following links to folders, as
    discovery does."""
    skipped = frozenset(os.fspath(p.resolve()) for p in skip)
    stamps: list[object] = []
    recent: dict[str, str] = {}
    roots = [root.resolve() for root in roots]
    for root in roots:
        _walk(os.fspath(root), skipped, since, stamps, recent)
    if roots:
        stamps.append(git_head(roots[0]))
    digest = hashlib.blake2b(f"{__version__}\0{options!r}".encode(), digest_size=20)
    digest.update(marshal.dumps(stamps, _MARSHAL))
    return Inputs(digest.hexdigest(), recent)


def _walk(top: str, skipped: frozenset[str], since: float, stamps: list[object], recent: dict[str, str]) -> None:
    """Append ``top`` with its files' names, sizes and modification times, then each folder below
    it the same way, to ``stamps``; hash the files modified after ``since``."""
    try:
        if not os.path.isdir(top):
            stat = os.stat(top)
            stamps.append((top, stat.st_size, stat.st_mtime_ns))
            if stat.st_mtime > since:
                recent[top] = _content(top)
            return
        with os.scandir(top) as found:
            entries = sorted(found, key=_NAME)
        folders = [entry for entry in entries if entry.is_dir()]
        files = [entry for entry in entries if not entry.is_dir()]
    except OSError:
        return
    try:
        stats = list(map(os.DirEntry.stat, files))  # no Python loop: most of a large folder's cost
    except OSError:  # a broken link, or a file removed meanwhile: left out, as discovery leaves it
        files, stats = _statted(files)
    stamps.append((top, "\0".join(map(_NAME, files)), *_stamps(stats)))
    limit = int(since * 1e9)
    if stats and max(map(_MTIME, stats)) > limit:
        recent.update((entry.path, _content(entry.path)) for entry, stat in zip(files, stats) if stat.st_mtime_ns > limit)
    for folder in folders:
        if folder.name not in _SKIPPED and folder.path not in skipped and not folder.is_symlink():
            _walk(folder.path, skipped, since, stamps, recent)


def _statted(entries: list[os.DirEntry[str]]) -> tuple[list[os.DirEntry[str]], list[os.stat_result]]:
    """The entries that can be stat'ed, with their stats."""
    kept, stats = [], []
    for entry in entries:
        try:
            stats.append(entry.stat())
        except OSError:
            continue
        kept.append(entry)
    return kept, stats


def _content(path: str) -> str:
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "blake2b").hexdigest()
    except OSError:
        return ""


def git_head(folder: Path) -> str:
    """The commit checked out in the git repository holding ``folder`` ("" outside one), read from
    the repository's files; git itself is asked only when they are not the plain kind."""
    for parent in (folder, *folder.parents):
        dot_git = parent / ".git"
        try:
            if dot_git.is_dir():
                return _ref(dot_git, dot_git) or _ask_git(parent)
            if dot_git.is_file():  # a worktree or submodule: "gitdir: <path>"
                text = dot_git.read_text(encoding="utf-8").strip()
                if not text.startswith("gitdir: "):
                    return _ask_git(parent)
                git_dir = (parent / text.removeprefix("gitdir: ")).resolve()
                common = git_dir / "commondir"
                shared = (git_dir / common.read_text(encoding="utf-8").strip()).resolve() if common.is_file() else git_dir
                return _ref(git_dir, shared) or _ask_git(parent)
        except (OSError, UnicodeDecodeError):
            return _ask_git(parent)
    return ""


def _ref(git_dir: Path, shared: Path) -> str:
    """What HEAD names, as a commit id; "" when the refs are not loose or packed files."""
    head = (git_dir / "HEAD").read_text(encoding="utf-8").strip()
    if not head.startswith("ref: "):
        return head  # a detached HEAD holds the commit itself
    ref = head.removeprefix("ref: ")
    for folder in (git_dir, shared):
        loose = folder / ref
        if loose.is_file():
            return loose.read_text(encoding="utf-8").strip()
    packed = shared / "packed-refs"
    if packed.is_file():
        for line in packed.read_text(encoding="utf-8").splitlines():
            commit, _, name = line.partition(" ")
            if name == ref:
                return commit
    return ""  # an unborn branch or another ref storage: git answers


def _ask_git(folder: Path) -> str:
    import subprocess  # here: seldom needed

    try:
        return subprocess.run(["git", "rev-parse", "--verify", "--quiet", "HEAD"], cwd=folder, capture_output=True, text=True,
                              timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def site_inputs(content: Path, templates: Path, static: Path, config: Path) -> list[Path]:
    """Every folder and file a build reads."""
    theme, code = theme_dir(), Path(__file__).resolve().parent  # papernotes itself, for a source checkout
    plugins = config.parent / "plugins"  # the site's own plugin modules (``plugins:`` in the config)
    return [path for path in (content, templates, static, config, plugins, theme / "templates", theme / "static", code)
            if path.exists()]


def load(cache_dir: Path) -> Manifest | None:
    """The last build's manifest; None when there is none or it cannot be trusted (cut short,
    written by another version)."""
    try:
        with open(cache_dir / MANIFEST, "rb") as handle:
            header = pickle.load(handle)
        if header["format"] != (FORMAT, __version__):
            return None
        notes, pages, problems, site_origin = header["last"]
        last = LastBuild(notes, pages, tuple(Diagnostic(*problem) for problem in problems), site_origin)
        return Manifest(cache_dir, header["inputs"], header["output"], header["time"], last, header["recent"],
                        header["output_names"], header["output_stamps"])
    except Exception:  # missing, truncated or from another version: build
        return None


def racy_since(manifest: Manifest | None, now: float) -> float:
    """When inputs count as racy: changed within a second of the last build (or of ``now``)."""
    started = manifest.time if manifest is not None else now
    return min(started, now) - RACY_SECONDS


def output_stamps(manifest: Manifest | None) -> dict[str, tuple[int, int]]:
    """(size, modification time) of every output file by its path in the output folder, as the
    last build left it."""
    if manifest is None:
        return {}
    try:
        with open(manifest.where / MANIFEST, "rb") as handle:
            pickle.load(handle)  # the header
            files = pickle.load(handle)
    except Exception:  # changed or cut short since: no output file is taken as it is
        return {}
    return files if isinstance(files, dict) else {}


def recall(manifest: Manifest | None, out_dir: Path, inputs: Inputs) -> LastBuild | None:
    """The last build, when its manifest matches ``inputs`` (racy files by their bytes) and its
    output is as it left it."""
    if manifest is None or manifest.inputs != inputs.digest or manifest.output != os.fspath(out_dir):
        return None
    since = manifest.time - RACY_SECONDS
    try:
        for path, content in inputs.recent.items():
            if os.stat(path).st_mtime > since and manifest.recent.get(path) != content:
                return None
        names = manifest.output_names.split("\0") if manifest.output_names else []
        if _stamps(list(map(os.stat, names))) != manifest.output_stamps:
            return None
    except OSError:
        return None
    return manifest.last


def _stamps(stats: list[os.stat_result]) -> tuple[bytes, bytes]:
    """Sizes and modification times, each as the bytes of an array of int64 (made without a Python loop)."""
    return array("q", map(_SIZE, stats)).tobytes(), array("q", map(_MTIME, stats)).tobytes()


def remember(cache_dir: Path, out_dir: Path, inputs: Inputs, started: float, made: LastBuild) -> None:
    """Write the manifest of a build that began at ``started`` (``time.time()``)."""
    files: dict[str, tuple[int, int]] = {}
    names, stats = [], []
    try:
        for folder, _, found in os.walk(out_dir):
            for name in found:
                path = os.path.join(folder, name)
                stat = os.stat(path)
                files[os.path.relpath(path, out_dir)] = (stat.st_size, stat.st_mtime_ns)
                names.append(path)
                stats.append(stat)
        recent = {path: content for path, content in inputs.recent.items() if os.stat(path).st_mtime > started - RACY_SECONDS}
        problems = list(map(_FIELDS, made.diagnostics))  # tuples: ten times faster to load than the dataclasses
        header: dict[str, Any] = {"format": (FORMAT, __version__), "inputs": inputs.digest, "output": os.fspath(out_dir),
                                  "time": started, "last": (made.notes, made.pages, problems, made.site_origin),
                                  "recent": recent, "output_names": "\0".join(names), "output_stamps": _stamps(stats)}
        cache_dir.mkdir(parents=True, exist_ok=True)
        temporary = cache_dir / f"{MANIFEST}.tmp-{os.getpid()}"
        with open(temporary, "wb") as handle:
            pickle.dump(header, handle, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(files, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, cache_dir / MANIFEST)
    except OSError:
        pass
