"""Write the site into a staging folder, then swap it in place of the output folder at once.

The output folder is never half-written: readers of it see the old complete site until
the swap and the new complete site after it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from stat import S_ISREG
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from .sitefiles import MARKER

_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class OutputError(Exception):
    """The output folder cannot be written as asked."""


@dataclass
class Staging:
    """A folder the new site is written into before it replaces the output folder."""

    out_dir: Path
    root: Path
    written: set[str] = field(default_factory=set)
    changed: set[str] = field(default_factory=set)
    folders: set[str] = field(default_factory=set, repr=False)  # made already
    replacing: bool = field(init=False, repr=False)  # whether a current site is there to compare files with

    def __post_init__(self) -> None:
        self.replacing = os.path.isdir(self.out_dir)

    def write(self, rel: str, data: bytes) -> None:
        """Write ``data`` at ``rel``, refusing any path that would leave the staging folder.
        A file whose bytes equal the current site's is hard-linked instead, so it keeps its
        modification time and costs no write. The staging folder is new and only this class
        makes folders in it, so no link inside it can lead out: checking the path as text
        is enough."""
        target = self._target(rel)
        self._folder(target)
        if not self._link_unchanged(rel, target, data):
            with open(target, "wb") as handle:
                handle.write(data)
            self.changed.add(rel)
        self.written.add(rel)

    def write_later(self, rel: str, make: Callable[[], bytes]) -> None:
        """A folder takes every file at once."""
        self.write(rel, make())

    def write_stream(self, rel: str, pieces: Iterable[bytes]) -> None:
        """``write`` for a file made in ``pieces``, each written as it comes: the file is
        written in full, then swapped for a hard link to the current site's file when the two
        hold the same bytes. A file whose pieces fail is not left half-written."""
        target = self._target(rel)
        self._folder(target)
        size = write_pieces(target, pieces)
        current = os.path.join(self.out_dir, rel)
        if not (self.replacing and same_bytes(target, current, size) and _linked_over(current, target)):
            self.changed.add(rel)
        self.written.add(rel)

    def last(self, rel: str, stamp: tuple[int, int]) -> LastFile | None:
        """The current site's file at ``rel``, read while it has the ``stamp`` the last build left it with."""
        return LastFile(os.path.join(self.out_dir, rel), stamp) if self.replacing else None

    def reuse(self, rel: str, stamp: tuple[int, int]) -> bool:
        """Hard-link the current site's file at ``rel`` into the new one when it still has the
        (size, modification time) ``stamp`` it had when the last build wrote it."""
        target = self._target(rel)
        current = os.path.join(self.out_dir, rel)
        try:
            if not as_stamped(os.lstat(current), stamp):
                return False
            self._folder(target)
            os.link(current, target)
        except OSError:
            return False
        self.written.add(rel)
        return True

    def fork(self) -> "Staging":
        """A staging of the same folder for a forked process, whose records ``join`` takes back."""
        return Staging(self.out_dir, self.root, set(self.written))

    def join(self, share: "Staging") -> None:
        self.written |= share.written
        self.changed |= share.changed

    def __getstate__(self) -> dict[str, object]:
        """A fork's staging travels back to ``join`` without the folders it made (one per page)."""
        return {**self.__dict__, "folders": set()}

    def _target(self, rel: str) -> str:
        return target_in(self.root, rel, self.written)

    def _folder(self, target: str) -> None:
        """Make the folder of ``target`` unless made already: usually its parent is there, so
        one ``mkdir`` does."""
        folder = os.path.dirname(target)
        if folder in self.folders:
            return
        try:
            os.mkdir(folder)
        except FileNotFoundError:
            make_folders(folder)
        except FileExistsError:
            if not os.path.isdir(folder):
                raise
        self.folders.add(folder)

    def _link_unchanged(self, rel: str, target: str, data: bytes) -> bool:
        if not self.replacing:
            return False
        current = os.path.join(self.out_dir, rel)
        try:
            stat = os.lstat(current)
            if not S_ISREG(stat.st_mode) or stat.st_size != len(data):
                return False
            with open(current, "rb") as handle:
                if handle.read() != data:
                    return False
            os.link(current, target)
        except OSError:
            return False
        return True

    def holds_last_build(self) -> bool:
        """A folder is given every file of each build."""
        return False

    def keep(self, rels: Iterable[str]) -> None:
        """Never asked: a staging folder holds nothing of the last build."""
        raise OutputError("a new output folder keeps no file of the last build")

    def folder(self, rel: str) -> Path:
        """The folder to make whole at ``rel`` (the search bundle)."""
        return self.root / rel

    def reuse_tree(self, rel: str, apart: frozenset[str] = frozenset()) -> bool:
        """Hard-link a folder of the current site (the search bundle) into the new one, but for
        the files and folders named in ``apart`` at its top, which the build makes again."""
        current = self.out_dir / rel
        if not current.is_dir() or current.is_symlink():
            return False
        try:
            shutil.copytree(current, self.root / rel, copy_function=os.link,
                            ignore=lambda where, names: [name for name in names if name in apart and Path(where) == current])
        except (OSError, shutil.Error):
            shutil.rmtree(self.root / rel, ignore_errors=True)
            return False
        return True


def check_output_dir(out_dir: Path, force: bool, inputs: Iterable[Path] = ()) -> None:
    """Refuse to replace a non-empty folder that papernotes did not create, unless forced, and
    forced or not a folder that is or holds any of ``inputs`` (the notes, the templates: a
    build replaces its output folder whole)."""
    out = out_dir.resolve()
    for held in inputs:
        held = held.resolve()
        if held == out or out in held.parents:
            raise OutputError(f"{out_dir} holds the site's own files ({held}), which a build would replace; "
                              "choose another output folder")
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"{out_dir} exists and is not a folder")
    if out_dir.is_dir() and not force and not (out_dir / MARKER).exists() and any(out_dir.iterdir()):
        raise OutputError(f"{out_dir} is not empty and was not written by papernotes; use --force to replace it")


def start(out_dir: Path) -> Staging:
    """Create a fresh staging folder beside ``out_dir`` (same file system, so the swap is a
    rename); OutputError when none can be made there (a read-only place, a file on the way)."""
    try:
        return Staging(out_dir.resolve(), scratch_folder(out_dir))
    except (FileExistsError, NotADirectoryError):
        raise OutputError(f"cannot write the site into {out_dir}: a file stands where a folder of its path would be") from None
    except OSError as exc:
        raise OutputError(f"cannot write the site into {out_dir}: {exc.strerror or exc}") from None


def scratch_folder(out_dir: Path) -> Path:
    """A new empty folder beside ``out_dir``, on its file system; those a killed build left go."""
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    for leftover in [*out_dir.parent.glob(f"{_beside(out_dir)}staging-*"), *out_dir.parent.glob(f"{_beside(out_dir)}old-*")]:
        remove_folder(leftover)  # from a build that was killed
    root = out_dir.parent / f"{_beside(out_dir)}staging-{os.getpid()}"
    root.mkdir()
    return root


def _beside(out_dir: Path) -> str:
    """How the names of the folders a build makes beside ``out_dir`` begin (``.OUT.``)."""
    return f".{out_dir.name}."


def made_by_build(out_dir: Path, path: str) -> bool:
    """Whether ``path`` is in ``out_dir`` or in a folder a build makes beside it (staging, the
    old site while it is swapped out), which may be inside the notes folder."""
    out, path = os.path.abspath(out_dir), os.path.abspath(path)
    if path == out or path.startswith(out + os.sep):
        return True
    rel = os.path.relpath(path, os.path.dirname(out))
    return not rel.startswith(os.pardir) and rel.split(os.sep, 1)[0].startswith(_beside(Path(out)))


def finish(staging: Staging) -> None:
    """Swap the staging folder in for the output folder, then delete the old site."""
    (staging.root / MARKER).write_text("This folder is written by papernotes build; it is replaced on each build.\n")
    out_dir = staging.out_dir
    if out_dir.exists() and exchange(staging.root, out_dir):
        remove_folder(staging.root)
        return
    if out_dir.exists():  # no atomic exchange here: two renames, a moment without the folder
        old = out_dir.parent / f"{_beside(out_dir)}old-{os.getpid()}"
        os.rename(out_dir, old)
        os.rename(staging.root, out_dir)
        remove_folder(old)
    else:
        os.rename(staging.root, out_dir)


def abandon(staging: Staging) -> None:
    """Throw the staging folder away; the output folder is untouched."""
    remove_folder(staging.root)


def exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths with Linux's renameat2(RENAME_EXCHANGE); False where unsupported."""
    import ctypes  # here: only a build that writes needs it
    import ctypes.util

    name = ctypes.util.find_library("c")
    if not name:
        return False
    try:
        libc = ctypes.CDLL(name, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def write_pieces(target: str, pieces: Iterable[bytes]) -> int:
    """Write the file ``target`` from ``pieces`` and return its size; when making them fails, no
    file is left. The pieces (each a batch of a page's text) go straight to the file descriptor:
    a buffered file object would cost a few more system calls per file."""
    descriptor = os.open(target, _NEW_FILE, 0o666)
    try:
        try:
            return sum(_write_all(descriptor, piece) for piece in pieces)
        finally:
            os.close(descriptor)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(target)
        raise


def _write_all(descriptor: int, data: bytes) -> int:
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view):]
    return len(data)


def as_stamped(stat: os.stat_result, stamp: tuple[int, int]) -> bool:
    """Whether ``stat`` is of a regular file with the (size, modification time) ``stamp``."""
    return S_ISREG(stat.st_mode) and (stat.st_size, stat.st_mtime_ns) == tuple(stamp)


@dataclass(frozen=True)
class LastFile:
    """A file of the output as the last build left it, read in parts while it is still the
    regular file (not a link) with the (size, modification time) ``stamp`` that build left: a
    part read once it changed comes back empty, and a part cut short by the file changing
    meanwhile comes back short, so that no read of it is taken for what that build wrote."""

    path: str
    stamp: tuple[int, int]

    def __len__(self) -> int:
        return self.stamp[0]

    def __getitem__(self, part: slice) -> bytes:
        try:
            descriptor = os.open(self.path, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:
            return b""
        try:
            if not as_stamped(os.fstat(descriptor), self.stamp):
                return b""
            return os.pread(descriptor, part.stop - part.start, part.start)
        except OSError:
            return b""
        finally:
            os.close(descriptor)


def same_bytes(made: str, current: str, size: int | None = None) -> bool:
    """Whether the file ``current`` is a regular file holding the bytes of the file ``made``
    (whose ``size``, when known, spares looking)."""
    try:
        stat = os.lstat(current)
        if not S_ISREG(stat.st_mode) or stat.st_size != (os.stat(made).st_size if size is None else size):
            return False
        with open(made, "rb") as mine, open(current, "rb") as theirs:
            while block := mine.read(1 << 20):
                if block != theirs.read(1 << 20):
                    return False
    except OSError:
        return False
    return True


def _linked_over(current: str, target: str) -> bool:
    """Put a hard link to ``current`` in place of ``target`` (so the file keeps its time);
    False, and ``target`` left as it is, when it cannot be linked."""
    link = f"{target}.link-{os.getpid()}"
    try:
        os.link(current, link)
        os.replace(link, target)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(link)
        return False
    return True


def target_in(root: Path, rel: str, written: set[str]) -> str:
    """Where the output file ``rel`` goes under ``root``; an error when that is outside it or a
    file already ``written`` there."""
    folder = os.fspath(root)
    target = os.path.normpath(os.path.join(folder, rel))
    if not target.startswith(folder + os.sep) or os.path.isabs(rel):
        raise OutputError(f"refusing to write {rel!r} outside the output folder")
    if rel in written:
        raise OutputError(f"two pages want to write {rel!r}")
    return target


def make_folders(folder: str | os.PathLike[str]) -> None:
    """``os.makedirs(folder, exist_ok=True)`` without recursion: Python's recurses a level at a
    time, and a static file 1,000 folders deep raised RecursionError."""
    missing = []
    path = os.fspath(folder)
    while not os.path.isdir(path):
        missing.append(path)
        parent = os.path.dirname(path)
        if parent == path:
            break
        path = parent
    for path in reversed(missing):
        try:
            os.mkdir(path)
        except FileExistsError:
            if not os.path.isdir(path):
                raise


def remove_folder(folder: str | os.PathLike[str]) -> None:
    """``shutil.rmtree(folder, ignore_errors=True)``, going on without recursion where that
    recursed too deep (a site whose static files nest 1,000 folders deep): links are removed,
    never followed."""
    try:
        shutil.rmtree(folder, ignore_errors=True)
        return
    except RecursionError:
        pass
    pending, emptied = [os.fspath(folder)], []
    while pending:
        path = pending.pop()
        emptied.append(path)
        try:
            with os.scandir(path) as entries:
                found = list(entries)
        except OSError:
            continue
        for entry in found:
            if entry.is_dir(follow_symlinks=False):
                pending.append(entry.path)
            else:
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
    for path in reversed(emptied):
        with contextlib.suppress(OSError):
            os.rmdir(path)
