"""Watching the site's folders: editor temp files ignored, a burst of events debounced into one
rebuild that knows which files changed in place."""

from __future__ import annotations

import posixpath
import re
import threading
from pathlib import Path
from typing import Callable, Iterable

IGNORED_NAME = re.compile(r"(^\.#|^#.*#$|~$|\.sw[a-p]$|\.swx$|\.tmp$|^4913$|^\.DS_Store$|\.goutputstream-|___jb_|\.crdownload$)")
DEBOUNCE_SECONDS = 0.1
SAVED_SECONDS = 0.02  # after a file written is closed, the save is done: wait only for a rename that may follow


def is_ignored(path: str) -> bool:
    """Editor temp files, hidden files and swap files never trigger a rebuild."""
    name = posixpath.basename(path.replace("\\", "/"))
    return bool(IGNORED_NAME.search(name)) or name.startswith(".") and name != ".papers-cache.json"


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
        happened); ``saved`` when a writer closed its file, so the burst is over."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            if changed is None:
                self._touched = None
            elif self._touched is not None:
                self._touched.add(changed)
            self._timer = self._make_timer(min(self.delay, SAVED_SECONDS) if saved else self.delay, self._fire)
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


def watch(paths: Iterable[Path], on_change: Callable[[bool, str | None], None], poll: bool = False) -> object:
    """Start a watchdog observer over ``paths`` (folders or files); returns it (``stop()``)."""
    from watchdog.events import FileSystemEvent, FileSystemEventHandler
    from watchdog.observers import Observer
    from watchdog.observers.polling import PollingObserver

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            if event.event_type in ("opened", "closed_no_write") or (event.is_directory and event.event_type == "modified"):
                return  # a folder's "modified" only repeats what its files' events said
            names = [str(event.src_path), str(getattr(event, "dest_path", "") or "")]
            if all(is_ignored(name) for name in names if name) or "/.papernotes-cache/" in names[0]:
                return
            in_place = event.event_type in ("modified", "closed") and not event.is_directory
            # closed after writing: the save is complete
            on_change(event.event_type == "closed", names[0] if in_place else None)

    observer = PollingObserver(timeout=0.5) if poll else Observer()
    handler = Handler()
    for path in paths:
        if path.is_dir():
            observer.schedule(handler, str(path), recursive=True)
        elif path.parent.is_dir():
            observer.schedule(handler, str(path.parent), recursive=False)
    observer.start()
    return observer
