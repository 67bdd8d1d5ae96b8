"""Folder walks that a long-lived process (the preview server) does again only when needed.

Adding, removing or renaming a file changes its folder's modification time, so a walk's result
holds while every folder it went through keeps its time. As git does for racy files, a walk
taken within a second of a folder's change is not trusted again: a later change in the same
clock tick would not show.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, TypeVar

from .sitefiles import RACY_SECONDS

Found = TypeVar("Found")


@dataclass
class WalkMemo:
    """Earlier walks by name, and the names asked for since this memo was made (``used``)."""

    walks: dict[str, tuple[dict[str, int], float, Any]] = field(default_factory=dict)
    asked: set[str] = field(default_factory=set)

    def recall(self, name: str) -> Any:
        """The result of the walk called ``name`` when no folder it went through changed, else None."""
        self.asked.add(name)
        remembered = self.walks.get(name)
        if remembered is None:
            return None
        folders, started, result = remembered
        for folder, stamp in folders.items():
            try:
                if os.stat(folder).st_mtime_ns != stamp or started - stamp / 1e9 < RACY_SECONDS:
                    return None
            except OSError:
                return None
        return result

    def keep(self, name: str, folders: list[str], started: float, result: Any) -> None:
        """Remember a walk that began at ``started`` (``time.time()``) through ``folders``."""
        stamps = {}
        for folder in folders:
            try:
                stamps[folder] = os.stat(folder).st_mtime_ns
            except OSError:
                return
        self.walks[name] = (stamps, started, result)

    def used(self) -> dict[str, tuple[dict[str, int], float, Any]]:
        """The walks asked for since this memo was made (those of a folder no longer built are left out)."""
        return {name: walk for name, walk in self.walks.items() if name in self.asked}


def walked(memo: WalkMemo | None, name: str, walk: Callable[[], tuple[list[str], Found]]) -> Found:
    """What ``walk`` finds (it returns the folders it went through and its finding), taken from
    ``memo`` while none of those folders changed. A walk taken again that finds what the last
    one found gives that finding itself, the same object, so that what later steps made of it
    holds: an editor that saves a note by renaming a new file over it (vim, Emacs, JetBrains'
    safe write, a git checkout) changes its folder's time, not the files in the folder."""
    earlier = None
    if memo is not None:
        remembered = memo.recall(name)
        if remembered is not None:
            return remembered
        earlier = memo.walks.get(name)
    started = time.time()
    folders, found = walk()
    if earlier is not None and earlier[2] == found:
        found = earlier[2]
    if memo is not None:
        memo.keep(name, folders, started, found)
    return found


def real_folder(real_top: str, top: str, folder: str) -> str:
    """The real path of ``folder``, met by a walk of ``top`` (whose real path is ``real_top``)
    that follows no link to a folder: the top's real path and the path below it, with no system
    call (resolving each folder on the way took a 1,000-deep tree a minute)."""
    return real_top + folder[len(top):]


def walk(top: str | os.PathLike[str]) -> Iterator[tuple[str, list[str], list[str]]]:
    """``os.walk(top)``: each folder top down with its folders (which the caller may prune) and
    other entries, links to folders listed but not followed, a folder that cannot be listed left
    out; without recursion, as Python 3.11's walk recurses a level at a time and a notes folder
    nested a thousand deep (a path of 2,200 characters) raised RecursionError."""
    pending = [os.fspath(top)]
    while pending:
        root = pending.pop()
        folders: list[str] = []
        files: list[str] = []
        try:
            with os.scandir(root) as entries:
                for entry in entries:
                    try:
                        is_folder = entry.is_dir()
                    except OSError:
                        is_folder = False
                    (folders if is_folder else files).append(entry.name)
        except OSError:
            continue
        yield root, folders, files
        pending += [path for name in reversed(folders) if not os.path.islink(path := os.path.join(root, name))]
