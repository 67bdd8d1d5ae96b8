"""Local images referenced by notes: found, given a content-hashed URL, and measured."""

from __future__ import annotations

import functools
import html
import operator
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping
from urllib.parse import unquote, urlsplit

from ..filedigests import file_hash
from ..model import Lookup
from ..sitefiles import MARKER, RACY_SECONDS, extension_of
from ..urls import slugify
from ..walks import WalkMemo, real_folder, walk as walk_folders, walked

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".bmp", ".ico"})
#: Other files an Obsidian vault embeds (``![[paper.pdf]]``): published as links to a copy.
ATTACHMENT_SUFFIXES = frozenset({".pdf", ".mp3", ".wav", ".m4a", ".ogg", ".flac", ".webm", ".mp4", ".ogv", ".mov",
                                 ".mkv", ".3gp", ".csv", ".zip"})
_ASSET_SUFFIXES = IMAGE_SUFFIXES | ATTACHMENT_SUFFIXES
_NAME = operator.attrgetter("name")


@dataclass(frozen=True)
class AssetFinder:
    """Where a note's images can be: beside the note, under the content or static folder, or
    (Obsidian) anywhere in the content folder by file name."""

    content_dir: Path
    static_dir: Path | None = None
    by_name: Mapping[str, Path] = field(default_factory=dict)
    in_static: tuple[Path, ...] = ()  # the static folder's images and attachments, which a note may name by path
    in_content: tuple[Path, ...] = ()  # every image and attachment of the content folder (``by_name`` has the first of a name)

    @classmethod
    def scan(cls, content_dir: Path, static_dir: Path | None, skip: tuple[Path, ...] = (),
             memo: WalkMemo | None = None) -> "AssetFinder":
        skipped = {os.fspath(p.resolve()) for p in skip}
        real_top, top = os.path.realpath(content_dir), os.fspath(content_dir)
        inside = os.path.join(real_top, "")

        def walk() -> tuple[list[str], tuple[dict[str, Path], tuple[Path, ...]]]:
            by_name: dict[str, Path] = {}
            every: list[Path] = []
            folders: list[str] = []

            pending = [top]  # as os.walk goes (without recursion), links to folders not followed, but by DirEntry:
            while pending:   # a file's kind and whether it is a link come with the folder's listing
                root = pending.pop()
                folders.append(root)
                try:
                    with os.scandir(root) as listing:  # the folders and assets alone sorted: a folder may hold thousands of notes
                        entries = sorted((entry for entry in listing if entry.is_dir() or _is_asset(entry.name)
                                          or entry.name == MARKER), key=_NAME)
                except OSError:
                    continue
                if root != top and any(entry.name == MARKER for entry in entries):
                    continue  # a site built into the notes folder: its copies of the images are not the notes'
                for entry in entries:
                    if entry.is_dir() or not _is_asset(entry.name):
                        continue
                    if entry.is_symlink() and not os.path.realpath(entry.path).startswith(inside):
                        continue  # a link out of the notes folder is never published
                    if entry.is_file():  # not a link to nothing
                        every.append(Path(entry.path))
                        by_name.setdefault(entry.name.lower(), every[-1])
                real_root = real_folder(real_top, top, root)
                pending += [entry.path for entry in reversed(entries)
                            if entry.is_dir() and not entry.is_symlink() and not entry.name.startswith(".")
                            and os.path.join(real_root, entry.name) not in skipped]
            return folders, (by_name, tuple(every))

        def walk_static() -> tuple[list[str], tuple[Path, ...]]:
            assert static_dir is not None
            folders, found = [], []
            static, real = os.fspath(static_dir), os.path.realpath(static_dir)
            for root, dirs, files in walk_folders(static_dir):
                folders.append(root)
                real_root = real_folder(real, static, root)
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and os.path.join(real_root, d) not in skipped)
                found += [Path(root, name) for name in sorted(files)
                          if _is_asset(name) and not name.startswith(".") and os.path.isfile(os.path.join(root, name))]
            return folders, tuple(found)

        in_static = walked(memo, f"static assets:{static_dir}", walk_static) if static_dir and static_dir.is_dir() else ()
        by_name, in_content = walked(memo, f"images:{content_dir}", walk)
        return cls(content_dir, static_dir, by_name, in_static, in_content)

    def stamps(self) -> dict[str, tuple[int, int]]:
        """Each image and attachment a note may name, by path, with its size and time: which are
        there and what they hold goes into the pages that show them."""
        stamps = {}
        for path in (*self.in_content, *self.in_static):
            try:
                stat = path.stat()
            except OSError:  # a link to nothing: no image
                continue
            stamps[os.fspath(path)] = (stat.st_size, stat.st_mtime_ns)
        return stamps

    @functools.cached_property
    def _roots(self) -> tuple[Path, ...]:
        """The folders a local image must be in, resolved once (not again for every image)."""
        return (self.content_dir.resolve(), *([self.static_dir.resolve()] if self.static_dir else []))

    def find(self, src: str, note_dir: Path | None, by_name: bool = False) -> Path | None:
        """The local file ``src`` names, or None (remote URLs are never local)."""
        parts = urlsplit(src)
        if parts.scheme or parts.netloc or not parts.path:
            return None
        path = unquote(parts.path)
        candidates = []
        if path.startswith("/"):
            candidates += [self.content_dir / path.lstrip("/")]
            if self.static_dir:
                candidates.append(self.static_dir / path.lstrip("/"))
        elif note_dir is not None:
            candidates.append(note_dir / path)
        for candidate in candidates:
            if not os.path.isfile(candidate):  # one look, where resolving would look at each folder on the way
                continue
            resolved = candidate.resolve()  # a file, as the candidate is: only where it is remains to see
            if any(resolved.is_relative_to(root) for root in self._roots):
                return resolved
        if by_name or "/" not in path:
            return self.by_name.get(Path(path).name.lower())
        return None


def file_name(src: str) -> str:
    """The name of the file ``src`` names, as ``find`` looks it up by name (in lowercase)."""
    return Path(unquote(urlsplit(src).path)).name.lower()


def looked_up(src: str, note_dir: Path | None, by_name: bool, found: Path | None) -> Lookup:
    """What a note's reading depended on when it looked ``src`` up: the file it found (and its
    size and the digest of its bytes: the page shows that digest and the image's size), or none."""
    folder = sys.intern(os.fspath(note_dir or ""))  # one string for a folder's notes, in memory and in the state kept
    if found is None:
        return (src, folder, by_name, "", 0, "")
    try:
        size, digest = _stamped_digest(found)
    except OSError:  # gone meanwhile: a lookup that no longer holds
        return (src, folder, by_name, os.fspath(found), -1, "")
    return (src, folder, by_name, os.fspath(found), size, digest)


def still_found(finder: AssetFinder, lookup: Lookup) -> bool:
    """Whether ``finder`` finds what ``lookup`` found: the same file, with the same bytes (a
    file of a new time alone, as a fresh checkout gives every file, still is), or still none."""
    src, note_dir, by_name, was, size, digest = lookup
    found = finder.find(src, Path(note_dir) if note_dir else None, by_name)
    if found is None or was == "":
        return found is None and was == ""
    try:
        return os.fspath(found) == was and _stamped_digest(found) == (size, digest)
    except OSError:
        return False


def _stamped_digest(path: Path) -> tuple[int, str]:
    """The file's size and the SHA-256 of its bytes in hex (OSError: it cannot be read), hashed
    once a process for each size and time it has, but while that time is recent (a second
    write within its clock tick would not show)."""
    stat = path.stat()
    if time.time_ns() - stat.st_mtime_ns < RACY_SECONDS * 1e9:
        return stat.st_size, _digest_of.__wrapped__(os.fspath(path), stat.st_size, stat.st_mtime_ns)
    return stat.st_size, _digest_of(os.fspath(path), stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=4096)
def _digest_of(path: str, size: int, mtime: int) -> str:
    return file_hash(path, "sha256").hexdigest()


def _is_asset(name: str) -> bool:
    return extension_of(name) in _ASSET_SUFFIXES


def is_remote(src: str) -> bool:
    parts = urlsplit(src)
    return bool(parts.scheme or parts.netloc)


def asset_url(path: Path) -> str:
    """``/assets/<first 10 hex of sha256>-<name>``: a new file name whenever the bytes change."""
    digest = _stamped_digest(path)[1][:10]
    stem = slugify(path.stem, "image")[:60]
    return f"/assets/{digest}-{stem}{path.suffix.lower()}"


def image_size(path: Path) -> tuple[int, int] | None:
    """(width, height) in pixels when the file's header says so."""
    import imagesize  # here: only a note with a local image needs it

    try:
        width, height = imagesize.get(str(path))
    except (OSError, ValueError):
        return None
    return (int(width), int(height)) if width and height and width > 0 and height > 0 else None


def img_tag(src: str, alt: str, size: tuple[int, int] | None = None, width: str | None = None, title: str | None = None) -> str:
    """An ``<img>`` that loads lazily and reserves its space when its size is known."""
    attributes = [f'src="{html.escape(src)}"', f'alt="{html.escape(alt)}"']
    if title:
        attributes.append(f'title="{html.escape(title)}"')
    if width:
        attributes.append(f'width="{html.escape(width)}"')
    elif size:
        attributes.append(f'width="{size[0]}" height="{size[1]}"')
    attributes += ['loading="lazy"', 'decoding="async"']
    return f"<img {' '.join(attributes)}>"
