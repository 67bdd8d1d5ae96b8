"""Watching the site's folders: editor temp files ignored, a burst of events debounced into one
rebuild that knows which files changed in place."""

from __future__ import annotations

import contextlib
import os
import posixpath
import re
import threading
from pathlib import Path
from typing import Any, Callable, Iterable

from ..walks import walk

IGNORED_NAME = re.compile(r"(^\.#|^#.*#$|~$|\.sw[a-p]$|\.swx$|\.tmp$|^4913$|^\.DS_Store$|\.goutputstream-|___jb_|\.crdownload$)")
DEBOUNCE_SECONDS = 0.1
SAVED_SECONDS = 0.02  # a file closed after something was created or renamed: wait for a rename that may follow


def is_ignored(path: str) -> bool:
    """Editor temp files, hidden files and swap files never trigger a rebuild."""
    name = posixpath.basename(path.replace("\\", "/"))
    return bool(IGNORED_NAME.search(name)) or name.startswith(".") and name != ".papers-cache.json"


def event_news(kind: str, is_directory: bool, source: str, destination: str = "") -> tuple[bool, str | None] | None:
    """What a watcher's event (``kind``: created, modified, closed, moved...) tells the
    debouncer: whether a save is complete, and the file changed in place (None: something else
    happened); None when it says nothing new. A writer closing its file completes a save, and
    so does an editor renaming its temporary file over the note (the note alone changed)."""
    if kind in ("opened", "closed_no_write") or (is_directory and kind == "modified"):
        return None  # a folder's "modified" only repeats what its files' events said
    if all(is_ignored(name) for name in (source, destination) if name) or "/.papernotes-cache/" in source:
        return None
    if is_directory:
        return False, None
    if kind == "moved" and destination and is_ignored(source):
        return True, destination
    return kind == "closed", source if kind in ("modified", "closed") else None


class Debouncer:
    """Calls ``action`` once events have been quiet for ``delay`` seconds (a burst of saves, a
    ``git checkout``, an editor's write-rename dance: one rebuild), with the files the burst
    changed in place, or None when it did more (created, removed or renamed something)."""

    def __init__(self, action: Callable[[frozenset[str] | None], None], delay: float = DEBOUNCE_SECONDS,
                 timer: Callable[[float, Callable[[], None]], threading.Timer] = threading.Timer) -> None:
        self.action, self.delay, self._make_timer = action, delay, timer
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()
        self._touched: set[str] | None = set()

    def poke(self, saved: bool = False, changed: str | None = None) -> None:
        """Note an event: ``changed`` names the file it changed in place (None: something else
        happened); ``saved`` when a writer closed its file, so the burst is over: at once when
        it only wrote files in place, else after a moment for a rename that may follow."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            if changed is None:
                self._touched = None
            elif self._touched is not None:
                self._touched.add(changed)
            wait = (0.0 if self._touched is not None else min(self.delay, SAVED_SECONDS)) if saved else self.delay
            self._timer = self._make_timer(wait, self._fire)
            self._timer.daemon = True
            self._timer.start()

    def _fire(self) -> None:
        with self._lock:
            touched, self._touched = self._touched, set()
        self.action(frozenset(touched) if touched is not None else None)

    def cancel(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()


def watch(paths: Iterable[Path], on_change: Callable[[bool, str | None], None], poll: bool = False,
          ignored: Callable[[str], bool] = lambda path: False) -> object:
    """Start a watchdog observer over ``paths`` (folders or files), deaf to events of paths
    ``ignored`` (a build's output inside a watched folder); returns it (``stop()``). A path that
    is missing is watched for in its parent folder, and watched whole once a folder appears
    there (a site's ``templates/`` or ``static/`` made while it is watched). A folder is watched
    by its real path (the system's watches do not follow a link such as ``content -> ~/notes``);
    events name their files under the path it was given as, as the build names them."""
    from watchdog.events import FileSystemEvent, FileSystemEventHandler
    from watchdog.observers import Observer
    from watchdog.observers.polling import PollingObserver

    def made() -> Any:
        return PollingObserver(timeout=0.5) if poll else Observer()

    observer = made()
    paths = list(paths)
    awaited = {os.path.abspath(path) for path in paths if not path.is_dir()}
    folder_by_folder = False  # each folder watched on its own (``schedule``): a tree too deep for watchdog's walk

    named: dict[str, str] = {}  # a folder watched by its real path → the path it was given as

    def as_given(path: str) -> str:
        for real in sorted(named, key=len, reverse=True):  # the deepest: templates/ may lie in the notes' real folder
            if path == real or path.startswith(real + os.sep):
                return named[real] + path[len(real):]
        return path

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            source, destination = as_given(str(event.src_path)), as_given(str(getattr(event, "dest_path", "") or ""))
            if all(ignored(path) for path in (source, destination) if path):
                return
            appeared = os.path.abspath(destination or source)
            if event.is_directory and event.event_type in ("created", "moved") and (appeared in awaited or folder_by_folder):
                awaited.discard(appeared)
                schedule(appeared)  # what it already holds: the build looks at every file
            told = event_news(event.event_type, event.is_directory, source, destination)
            if told is not None:
                on_change(*told)

    def schedule(folder: str) -> None:
        real = os.path.realpath(folder)
        if real != os.path.abspath(folder):
            named[real] = os.path.abspath(folder)
            folder = real
        if not folder_by_folder:
            observer.schedule(handler, folder, recursive=True)
            return
        for root, _, _ in walk(folder):
            observer.schedule(handler, root, recursive=False)

    handler = Handler()

    def start() -> None:
        for path in paths:
            if path.is_dir():
                schedule(str(path))
            elif path.parent.is_dir():
                observer.schedule(handler, str(path.parent), recursive=False)
        observer.start()

    try:
        start()
    except RecursionError:  # watchdog walks a tree it watches whole with os.walk, which recurses a level at a time
        with contextlib.suppress(Exception):
            observer.stop()
        observer, folder_by_folder = made(), True
        start()
    return observer
