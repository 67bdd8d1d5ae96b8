"""Skip a build when nothing it reads or wrote has changed since the last one, as make does.

The last build leaves a manifest in the cache folder: a digest of its options, of every file it
could read (notes, images, the paper registry, config, templates, static files, the theme) by
size and modification time, and of the git commit the notes are at; and every output file with
its size and time. A build finding all of these as they were reports the last build's problems
again and writes nothing. As git does for racy files, an input changed within a second of the
last build is not trusted by its size and time (a second change in the same clock tick would
not show): the manifest keeps a digest of its bytes, and the next build hashes it again.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from . import __version__
from .model import Diagnostic
from .theme import theme_dir
from .walks import RACY_SECONDS

MANIFEST = "last-build.pickle"
FORMAT = 2  # bump whenever the manifest changes shape


@dataclass(frozen=True)
class LastBuild:
    """What the last build made: its note and page counts and its problems."""

    notes: int
    pages: int
    diagnostics: tuple[Diagnostic, ...]


@dataclass(frozen=True)
class Inputs:
    """What a build reads, as one digest (paths, sizes, times, options, version, git commit), and
    the digests of the bytes of the files changed lately (``recent``: racy, so looked at by content)."""

    digest: str
    recent: dict[str, str]


def take_inputs(roots: Iterable[Path], skip: Iterable[Path], options: object, since: float) -> Inputs:
    """The inputs under ``roots`` (``skip`` left out); files modified after ``since`` (``time.time()``)
    are also hashed."""
    skipped = {os.fspath(p.resolve()) for p in skip} | {".git"}
    digest = hashlib.blake2b(f"{__version__}\0{options!r}".encode(), digest_size=20)
    recent: dict[str, str] = {}

    def add(path: str, stat: os.stat_result) -> None:
        digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
        if stat.st_mtime > since:
            recent[path] = _content(path)

    roots = list(roots)
    for root in roots:
        if root.is_file():
            add(os.fspath(root), root.stat())
            continue
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d not in skipped and os.path.realpath(os.path.join(folder, d)) not in skipped)
            for name in sorted(files):
                path = os.path.join(folder, name)
                try:
                    stat = os.stat(path)
                except OSError:
                    continue
                add(path, stat)
    if roots:
        digest.update(_git_head(roots[0]).encode())
    return Inputs(digest.hexdigest(), recent)


def _content(path: str) -> str:
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "blake2b").hexdigest()
    except OSError:
        return ""


def _git_head(folder: Path) -> str:
    try:
        return subprocess.run(["git", "rev-parse", "HEAD"], cwd=folder if folder.is_dir() else folder.parent,
                              capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def site_inputs(content: Path, templates: Path, static: Path, config: Path) -> list[Path]:
    """Every folder and file a build reads."""
    theme, code = theme_dir(), Path(__file__).resolve().parent  # papernotes itself, for a source checkout
    plugins = config.parent / "plugins"  # the site's own plugin modules (``plugins:`` in the config)
    return [path for path in (content, templates, static, config, plugins, theme / "templates", theme / "static", code)
            if path.exists()]


def load(cache_dir: Path) -> dict[str, Any] | None:
    """The last build's manifest; None when there is none or it cannot be trusted (cut short,
    written by another version)."""
    try:
        with open(cache_dir / MANIFEST, "rb") as handle:
            manifest = pickle.load(handle)
    except Exception:  # missing, truncated or from another version: build
        return None
    return manifest if isinstance(manifest, dict) and manifest.get("format") == (FORMAT, __version__) else None


def racy_since(manifest: dict[str, Any] | None, now: float) -> float:
    """When inputs count as racy: changed within a second of the last build (or of ``now``)."""
    started = manifest["time"] if manifest is not None else now
    return min(started, now) - RACY_SECONDS


def output_stamps(manifest: dict[str, Any] | None) -> dict[str, tuple[int, int]]:
    """(size, modification time) of every output file, as the last build left it."""
    return manifest["files"] if manifest is not None else {}


def recall(manifest: dict[str, Any] | None, out_dir: Path, inputs: Inputs) -> LastBuild | None:
    """The last build, when its manifest matches ``inputs`` (racy files by their bytes) and its
    output is as it left it."""
    if manifest is None or manifest["inputs"] != inputs.digest or manifest["output"] != os.fspath(out_dir):
        return None
    hashed = manifest["recent"]
    since = manifest["time"] - RACY_SECONDS
    try:
        for path, content in inputs.recent.items():
            if os.stat(path).st_mtime > since and hashed.get(path) != content:
                return None
        prefix = os.path.join(out_dir, "")
        for rel, (size, mtime) in manifest["files"].items():
            stat = os.stat(prefix + rel)
            if stat.st_size != size or stat.st_mtime_ns != mtime:
                return None
    except OSError:
        return None
    return manifest["last"]


def remember(cache_dir: Path, out_dir: Path, inputs: Inputs, started: float, made: LastBuild) -> None:
    """Write the manifest of a build that began at ``started`` (``time.time()``)."""
    files: dict[str, tuple[int, int]] = {}
    try:
        for folder, _, names in os.walk(out_dir):
            for name in names:
                path = os.path.join(folder, name)
                stat = os.stat(path)
                files[os.path.relpath(path, out_dir)] = (stat.st_size, stat.st_mtime_ns)
        recent = {path: content for path, content in inputs.recent.items() if os.stat(path).st_mtime > started - RACY_SECONDS}
        manifest = {"format": (FORMAT, __version__), "inputs": inputs.digest, "output": os.fspath(out_dir), "time": started,
                    "last": made, "files": files, "recent": recent}
        cache_dir.mkdir(parents=True, exist_ok=True)
        temporary = cache_dir / f"{MANIFEST}.tmp-{os.getpid()}"
        temporary.write_bytes(pickle.dumps(manifest, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(temporary, cache_dir / MANIFEST)
    except OSError:
        pass
