"""Update an output folder in place: an incremental build's writer.

Every file the build makes that differs from the one in the output folder is written whole
into a scratch folder beside it (the same file system) first; a folder made whole (the search
bundle) is made there too. Only when the build has made all of it does ``finish`` move each
file into place with ``os.replace``, swap each such folder in, and delete the files the last
build made that this one did not. Readers of the output folder see each file old or new,
never half-written; while ``finish`` runs they may see some files new and others still old. A
build killed before or during ``finish`` leaves whole files only, and its manifest is not
written: the next build finds the output not as the last manifest says and makes again what
differs. Files put in the output folder by hand stay until a build from scratch.
"""

from __future__ import annotations

import os
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path
from stat import S_ISREG
from typing import Callable, Iterable, Mapping

from .output import (LastFile, OutputError, exchange, make_folders, remove_folder, same_bytes, scratch_folder, target_in,
                     write_pieces)
from .sitefiles import MARKER
from .filedigests import file_stamps

Stamp = tuple[int, int]  # (size, modification time in nanoseconds)


@dataclass
class InPlace:
    """The files of a build made into the output folder ``out_dir`` as ``finish`` will leave
    it; ``old`` has the stamps of the files the last build left there."""

    out_dir: Path
    scratch: Path
    old: Mapping[str, Stamp]
    current: Mapping[str, Stamp]  # the files of ``old`` found as the last build left them, when this build began
    written: set[str] = field(default_factory=set)
    changed: set[str] = field(default_factory=set)
    stamps: dict[str, Stamp] = field(default_factory=dict)  # the files as they are and will stay
    pending: dict[str, str] = field(default_factory=dict)  # rel → its new bytes' file in the scratch folder
    trees: set[str] = field(default_factory=set)  # folders kept as the last build left them
    wholes: set[str] = field(default_factory=set)  # folders made whole in ``root``, each to replace its namesake
    kept: set[str] = field(default_factory=set)  # files kept as the last build left them (``keep``)

    @property
    def root(self) -> Path:
        """Where folders made whole (the search bundle) are made, as in a staging folder."""
        return self.scratch / "site"

    def folder(self, rel: str) -> Path:
        """The folder to make whole in place of the output's folder ``rel`` (``finish`` swaps
        it in, when it was made)."""
        self.wholes.add(rel)
        return self.root / rel

    def write(self, rel: str, data: bytes) -> None:
        """Keep the current file at ``rel`` when it holds ``data``; else write ``data`` into
        the scratch folder, for ``finish`` to move into place."""
        target = self._target(rel)
        self.written.add(rel)
        try:
            stat = os.lstat(target)
            if S_ISREG(stat.st_mode) and stat.st_size == len(data):
                with open(target, "rb") as handle:
                    if handle.read() == data:
                        self.stamps[rel] = (stat.st_size, stat.st_mtime_ns)
                        return
        except OSError:
            pass
        staged = self._staged()
        with open(staged, "wb") as handle:
            handle.write(data)
        self.pending[rel] = staged
        self.changed.add(rel)

    def write_later(self, rel: str, make: Callable[[], bytes]) -> None:
        """A folder takes every file at once."""
        self.write(rel, make())

    def write_stream(self, rel: str, pieces: Iterable[bytes]) -> None:
        """``write`` for a file made in ``pieces``, each written into the scratch folder as it
        comes; the current file is kept when it holds the same bytes."""
        target = self._target(rel)
        staged = self._staged()
        write_pieces(staged, pieces)
        self.written.add(rel)
        if same_bytes(staged, target):
            os.unlink(staged)
            stat = os.lstat(target)
            self.stamps[rel] = (stat.st_size, stat.st_mtime_ns)
            return
        self.pending[rel] = staged
        self.changed.add(rel)

    def reuse(self, rel: str, stamp: Stamp) -> bool:
        """Keep the file at ``rel`` when it had the (size, modification time) ``stamp`` the last
        build left it with as this build began (``current``). The path is not checked again, as
        ``write`` checks it (the last build wrote the file there after that check)."""
        if rel in self.written:
            raise OutputError(f"two pages want to write {rel!r}")
        if self.current.get(rel) != stamp:
            return False
        self.written.add(rel)
        self.stamps[rel] = stamp
        return True

    def last(self, rel: str, stamp: Stamp) -> LastFile | None:
        """The file at ``rel`` as the last build left it, when it had the ``stamp`` it left it with
        as this build began (read while it still has it)."""
        if rel in self.written or self.current.get(rel) != stamp:
            return None
        return LastFile(os.path.join(self.out_dir, rel), stamp)

    def holds_last_build(self) -> bool:
        """Whether every file the last build left is as it left it (``current`` holds them all):
        a build planning only some pages again then writes those and ``keep``s the others."""
        return len(self.current) == len(self.old)

    def keep(self, rels: Iterable[str]) -> None:
        """Keep each file at ``rels`` that the last build left, and this build did not write, as
        it is (in C: every page of the site not planned again; ``finish`` takes their stamps)."""
        kept = (set(rels) - self.written) & self.old.keys()
        self.written |= kept
        self.kept |= kept

    def reuse_tree(self, rel: str, apart: frozenset[str] = frozenset()) -> bool:
        """Keep a folder of the output (the search bundle) as the last build made it, when its
        files are still as it left them, but for the files and folders named in ``apart`` at its
        top, which the build makes again (``write``, ``folder``)."""
        current = self.out_dir / rel
        if not current.is_dir() or current.is_symlink():
            return False
        top = len(rel) + 1
        inside = {name: stamp for name, stamp in self.old.items()
                  if name.startswith(rel + "/") and name[top:].split("/", 1)[0] not in apart}
        if any(self.current.get(name) != stamp for name, stamp in inside.items()):
            return False
        self.trees.add(rel)
        self.written.update(inside)
        self.stamps.update(inside)
        return True

    def fork(self) -> "InPlace":
        """The same writer for a forked process, whose records ``join`` takes back (made before
        the fork). It takes the files found as the last build left them as the dict they are,
        waiting for a thread still looking at them (``lookahead.Unchanged``): the forked process
        has no such thread, and would find none so and render every page it writes in full."""
        found = getattr(self.current, "found", None)  # a mapping still looked at (``lookahead.Unchanged``): its dict
        return InPlace(self.out_dir, self.scratch, self.old, found() if found is not None else self.current, set(self.written))

    def join(self, share: "InPlace") -> None:
        self.written |= share.written
        self.changed |= share.changed
        self.stamps.update(share.stamps)
        self.pending.update(share.pending)

    def __getstate__(self) -> dict[str, object]:
        """A fork's writer travels back to ``join`` without the stamps of the last build's files
        (one per page), which ``join`` does not take."""
        return {**self.__dict__, "old": {}, "current": {}}

    def _target(self, rel: str) -> str:
        return target_in(self.out_dir, rel, self.written)

    def _staged(self) -> str:
        """A new file's name in the scratch folder, this thread's alone (the search bundle's
        thread writes beside the main one): ``pending`` only grows."""
        return os.path.join(self.scratch, "files", f"{os.getpid()}-{threading.get_native_id()}-{len(self.pending)}")


def start(out_dir: Path, old: Mapping[str, Stamp], current: Mapping[str, Stamp]) -> InPlace:
    """A writer into the existing output folder ``out_dir``, whose files the last build left
    with the stamps ``old``, of which those in ``current`` were found so as this build began."""
    scratch = scratch_folder(out_dir)
    (scratch / "files").mkdir()
    (scratch / "site").mkdir()
    return InPlace(out_dir.resolve(), scratch, old, current)


def finish(sink: InPlace) -> dict[str, Stamp]:
    """Move the new files into place, swap in the folders made whole, delete the files no
    longer made; the output's files and their stamps come back (for the manifest)."""
    out_dir, real = sink.out_dir, os.path.realpath(sink.out_dir)
    if MARKER not in sink.written and MARKER in sink.old:
        sink.reuse(MARKER, sink.old[MARKER])
    wholes = sorted(rel for rel in sink.wholes if (sink.root / rel).is_dir())
    kept_whole = tuple(f"{rel}/" for rel in sink.trees.union(wholes))  # their files go with their folder
    emptied = set()
    for rel in sink.old.keys() - sink.written:
        path = out_dir / rel
        if rel.startswith(kept_whole) or not _inside(real, path.parent):
            continue
        path.unlink(missing_ok=True)
        sink.changed.add(rel)  # gone: the build changed it too
        emptied.add(path.parent)
    for folder in sorted(emptied, key=lambda path: len(path.parts), reverse=True):
        _remove_empty(folder, out_dir)
    for rel, staged in sorted(sink.pending.items()):
        target = out_dir / rel
        if not _inside(real, target.parent):
            raise OutputError(f"refusing to write {rel!r} through a link out of the output folder")
        make_folders(target.parent)
        os.replace(staged, target)
        stat = os.stat(target)
        sink.stamps[rel] = (stat.st_size, stat.st_mtime_ns)
    for rel in wholes:
        if not _inside(real, (out_dir / rel).parent):
            raise OutputError(f"refusing to write {rel!r} through a link out of the output folder")
        sink.stamps.update(_swap_in(sink.root / rel, out_dir / rel, rel))
    if MARKER not in sink.stamps:
        (out_dir / MARKER).write_text("This folder is written by papernotes build; it is replaced on each build.\n")
        stat = os.stat(out_dir / MARKER)
        sink.stamps[MARKER] = (stat.st_size, stat.st_mtime_ns)
    remove_folder(sink.scratch)
    if not sink.kept:
        return sink.stamps
    stamps = dict(sink.old)  # most files kept: the last build's stamps copied in C, but for the others
    for rel in sink.old.keys() - sink.kept:
        del stamps[rel]
    stamps.update(sink.stamps)
    return stamps


def abandon(sink: InPlace) -> None:
    """Throw the scratch folder away; the output folder is untouched."""
    remove_folder(sink.scratch)


def _inside(real: str, folder: Path) -> bool:
    """Whether ``folder`` (or, while it does not exist, its nearest parent that does) really lies
    in the folder whose real path is ``real``: no link in the output folder leads out of it."""
    while not folder.exists() and folder.parent != folder:
        folder = folder.parent
    found = os.path.realpath(folder)
    return found == real or found.startswith(real + os.sep)


def _swap_in(made: Path, target: Path, rel: str) -> dict[str, Stamp]:
    """Put the folder ``made`` in place of ``target``; the stamps of its files by their ``rel``."""
    if target.exists() and exchange(made, target):
        shutil.rmtree(made, ignore_errors=True)
    else:
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        elif target.exists() or target.is_symlink():
            target.unlink()
        os.rename(made, target)
    return file_stamps(os.fspath(target), f"{rel}/", "/")


def _remove_empty(folder: Path, out_dir: Path) -> None:
    """Remove ``folder`` and its parents below ``out_dir`` while they are empty."""
    while folder != out_dir and out_dir in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
