"""``papernotes serve``'s state: the built site in memory and what a rebuild changed.

The preview knows nothing of the pipeline: it is handed a ``rebuild`` callable returning the new
files and the problems found. A watcher (``watch``) debounces file events into rebuilds; open
pages learn over Server-Sent Events (``http``) whether *their* page changed (fetched again and
its changed parts swapped in, or reloaded keeping the scroll position), whether only stylesheets
changed (swapped in place), or that the build reported errors (shown as an overlay until fixed).
A failed build keeps the last good site.
"""

from __future__ import annotations

import json
import functools
import queue
import threading
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Mapping

from ..model import Diagnostic, shown_path


FileData = bytes | Callable[[], bytes]


def file_bytes(data: FileData) -> bytes:
    """A file's bytes; a page the build left to be rendered when read is rendered now."""
    return data if isinstance(data, bytes) else data()


@dataclass(frozen=True)
class Snapshot:
    """The site as last built: files by path (``notes/x/index.html``), each its bytes or a
    function making them when first read, and the build's problems."""

    files: Mapping[str, FileData]
    diagnostics: tuple[Diagnostic, ...] = ()
    version: int = 0
    changed: frozenset[str] | None = None  # the only files that can differ from build ``version - 1``'s (None: any)

    @functools.cached_property
    def errors(self) -> tuple[Diagnostic, ...]:
        """The build's errors (asked for by each rebuild's report and each page served)."""
        return tuple(d for d in self.diagnostics if d.severity == "error")


@dataclass(frozen=True)
class Change:
    """What a rebuild changed, as told to open pages."""

    pages: tuple[str, ...]
    stylesheets_only: bool
    errors: tuple[dict[str, object], ...]

    def message(self) -> str:
        return json.dumps({"pages": list(self.pages), "css": self.stylesheets_only, "errors": list(self.errors)})


def changes_between(old: Snapshot, new: Snapshot) -> Change:
    """Which pages differ, and whether only stylesheets did (only the files ``new`` says may
    differ are compared when ``old`` is the build before it)."""
    near = new.changed is not None and new.version == old.version + 1
    candidates = new.changed if near and new.changed is not None else set(old.files) | set(new.files)
    changed = [rel for rel in candidates if old.files.get(rel) != new.files.get(rel)]
    pages = sorted(rel for rel in changed if rel.endswith(".html"))
    css_only = bool(changed) and all(rel.endswith(".css") for rel in changed)
    errors: tuple[dict[str, object], ...] = tuple({"where": f"{shown_path(d.path)}:{d.line}:{d.col}", "message": d.message, "line": d.source_line or _source_line(d)}
                   for d in new.errors)
    return Change(tuple(pages), css_only, errors)


def _source_line(diagnostic: Diagnostic) -> str:
    try:
        lines = Path(diagnostic.path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    return lines[diagnostic.line - 1] if 0 < diagnostic.line <= len(lines) else ""


@dataclass
class PreviewState:
    """The current snapshot and the open pages' event queues; shared by server threads."""

    snapshot: Snapshot
    base_path: str = "/"
    listeners: list[queue.Queue[str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stopping: threading.Event = field(default_factory=threading.Event)
    last_change: Change | None = None
    extra_files: Mapping[str, bytes] = field(default_factory=dict)  # e.g. the search bundle, kept across rebuilds
    watched: Counter[str] = field(default_factory=Counter)  # pages open in a browser (by file), per connection
    allowed_hosts: frozenset[str] = frozenset()  # host names besides IP addresses and localhost (see host_allowed)

    def open_pages(self) -> frozenset[str]:
        with self.lock:
            return frozenset(rel for rel, count in self.watched.items() if count > 0)

    def publish(self, snapshot: Snapshot) -> Change:
        with self.lock:
            if snapshot.files and self.extra_files:
                snapshot = replace(snapshot, files={**snapshot.files, **self.extra_files})
            change = changes_between(self.snapshot, snapshot)
            if snapshot.errors:  # keep serving the last good site (of the version it is), only show the errors
                snapshot = Snapshot(self.snapshot.files, snapshot.diagnostics, self.snapshot.version)
            self.snapshot = snapshot
            self.last_change = change
            for listener in list(self.listeners):
                listener.put(change.message())
        return change


def rebuild_loop(state: PreviewState, rebuild: Callable[[frozenset[str] | None], Snapshot],
                 report: Callable[[Snapshot, Change, float, float], None]) -> Callable[[frozenset[str] | None], None]:
    """The debounced action: rebuild (one at a time) knowing which files changed in place (None:
    unknown), publish, report (the seconds it took and the processor seconds it used); never raises."""
    running = threading.Lock()

    def run(touched: frozenset[str] | None = None) -> None:
        with running:
            started, processor = time.perf_counter(), time.thread_time()
            snapshot = rebuild(touched)
            change = state.publish(snapshot)
            report(snapshot, change, time.perf_counter() - started, time.thread_time() - processor)

    return run
