"""``papernotes serve``: a live-reload preview server.

The server holds the built site in memory and knows nothing of the pipeline: it is handed a
``rebuild`` callable returning the new files and the problems found. A watchdog observer
debounces file events into rebuilds; open pages learn over Server-Sent Events whether *their*
page changed (reload, keeping the scroll position), whether only stylesheets changed (swapped
in place), or that the build reported errors (shown as an overlay until fixed). A failed
build keeps the last good site.
"""

from __future__ import annotations

import ipaddress
import json
import mimetypes
import posixpath
import queue
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Iterable, Mapping
from urllib.parse import parse_qs, unquote, urlsplit

from ..model import Diagnostic

EVENTS_PATH = "__papernotes/events"
CLIENT_PATH = "__papernotes/reload.js"
IGNORED_NAME = re.compile(r"(^\.#|^#.*#$|~$|\.sw[a-p]$|\.swx$|\.tmp$|^4913$|^\.DS_Store$|\.goutputstream-|___jb_|\.crdownload$)")
DEBOUNCE_SECONDS = 0.1
SAVED_SECONDS = 0.02  # after a file written is closed, the save is done: wait only for a rename that may follow
_CLIENT = (Path(__file__).resolve().parent / "reload.js")


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

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == "error")


@dataclass(frozen=True)
class Change:
    """What a rebuild changed, as told to open pages."""

    pages: tuple[str, ...]
    stylesheets_only: bool
    errors: tuple[dict[str, object], ...]

    def message(self) -> str:
        return json.dumps({"pages": list(self.pages), "css": self.stylesheets_only, "errors": list(self.errors)})


def is_ignored(path: str) -> bool:
    """Editor temp files, hidden files and swap files never trigger a rebuild."""
    name = posixpath.basename(path.replace("\\", "/"))
    return bool(IGNORED_NAME.search(name)) or name.startswith(".") and name != ".papers-cache.json"


def resolve_request(raw_path: str, base_path: str) -> str | None:
    """The site file a request path names (``index.html`` for folders), or None when the path
    is outside the base path or tries to leave the site (``..``, encoded or not)."""
    path = raw_path.split("?", 1)[0].split("#", 1)[0]  # not urlsplit: "//x/y" is a path here, not a host
    for _ in range(3):  # undo double encoding such as %252e%252e as well
        decoded = unquote(path)
        if decoded == path:
            break
        path = decoded
    if "\x00" in path or "\\" in path or not path.startswith(base_path):
        return None
    rest = path[len(base_path):]
    parts = rest.split("/")
    if any(part in ("..", ".") for part in parts) or rest.startswith("/"):
        return None
    rest = posixpath.normpath(rest) if rest else ""
    rest = "" if rest == "." else rest
    if rest.startswith(("../", "/")) or rest == "..":
        return None
    if rest == "" or path.endswith("/"):
        return (rest + "/index.html").lstrip("/")
    return rest


def host_allowed(host_header: str | None, allowed: Iterable[str] = ()) -> bool:
    """Whether a request's ``Host`` may see the preview, by Vite's ``allowedHosts`` rule: an IP
    address, ``localhost`` or a ``*.localhost`` name, or one of ``allowed`` (``.example.org``
    allows its subdomains too). A name a DNS-rebinding page controls is refused; a request without
    ``Host`` (not a browser) is let in."""
    if host_header is None:
        return True
    host = host_header.strip().lower()
    if host.startswith("["):
        name = host[1:host.find("]")] if "]" in host else host
    else:
        name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    name = name.rstrip(".")
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        pass
    if name == "localhost" or name.endswith(".localhost"):
        return True
    for entry in allowed:
        entry = entry.strip().lower().strip("[]")
        if name == entry.lstrip(".") or (entry.startswith(".") and name.endswith(entry)):
            return True
    return False


def changes_between(old: Snapshot, new: Snapshot) -> Change:
    """Which pages differ, and whether only stylesheets did."""
    changed = [rel for rel in set(old.files) | set(new.files) if old.files.get(rel) != new.files.get(rel)]
    pages = sorted(rel for rel in changed if rel.endswith(".html"))
    css_only = bool(changed) and all(rel.endswith(".css") for rel in changed)
    errors: tuple[dict[str, object], ...] = tuple({"where": f"{d.path}:{d.line}:{d.col}", "message": d.message, "line": d.source_line or _source_line(d)}
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
                snapshot = Snapshot({**snapshot.files, **self.extra_files}, snapshot.diagnostics, snapshot.version)
            change = changes_between(self.snapshot, snapshot)
            if snapshot.errors:  # keep serving the last good site, only show the errors
                snapshot = Snapshot(self.snapshot.files, snapshot.diagnostics, snapshot.version)
            self.snapshot = snapshot
            self.last_change = change
            for listener in list(self.listeners):
                listener.put(change.message())
        return change


def make_handler(state: PreviewState) -> type[BaseHTTPRequestHandler]:
    client = _CLIENT.read_text(encoding="utf-8")

    class Handler(BaseHTTPRequestHandler):
        server_version = "papernotes"
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms wait for an ACK

        def log_message(self, *args: object) -> None:
            pass

        def do_HEAD(self) -> None:  # noqa: N802
            self.do_GET(head=True)

        def do_GET(self, head: bool = False) -> None:  # noqa: N802
            host = self.headers.get("Host")
            if not host_allowed(host, state.allowed_hosts):
                name = (host or "").rsplit(":", 1)[0][:100]
                refusal = (f"Blocked request: Host {name!r} is not an address this preview listens on "
                           f"(to allow it: papernotes serve --allow-host {name}).\n")
                return self._send(HTTPStatus.FORBIDDEN, refusal.encode(), "text/plain; charset=utf-8", head)
            path = urlsplit(self.path).path
            if path == state.base_path + EVENTS_PATH:
                return self._events()
            if path == state.base_path + CLIENT_PATH:
                return self._send(HTTPStatus.OK, client.encode(), "text/javascript; charset=utf-8", head)
            rel = resolve_request(self.path, state.base_path)
            files = state.snapshot.files
            if rel is not None and rel not in files and (rel + "/index.html") in files:
                return self._redirect(path + "/")
            if rel is None or rel not in files:
                body = file_bytes(files.get("404.html", b"<h1>Not found</h1>"))
                return self._send(HTTPStatus.NOT_FOUND, self._inject(body, "404.html"), "text/html; charset=utf-8", head)
            body = file_bytes(files[rel])
            kind = _content_type(rel)
            if kind.startswith("text/html"):
                body = self._inject(body, rel)
            self._send(HTTPStatus.OK, body, kind, head)

        def _inject(self, body: bytes, rel: str) -> bytes:
            tag = (f'<script src="{state.base_path}{CLIENT_PATH}" data-events="{state.base_path}{EVENTS_PATH}" '
                   f'data-page="{rel}" data-version="{state.snapshot.version}"></script>').encode()
            index = body.rfind(b"</body>")
            return body[:index] + tag + body[index:] if index >= 0 else body + tag

        def _send(self, status: HTTPStatus, body: bytes, kind: str, head: bool) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if not head:
                self.wfile.write(body)

        def _redirect(self, location: str) -> None:
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _events(self) -> None:
            listener: queue.Queue[str] = queue.Queue()
            page = resolve_request(parse_qs(urlsplit(self.path).query).get("page", [""])[0], state.base_path) or ""
            with state.lock:
                state.listeners.append(listener)
                state.watched[page] += 1
                current = state.last_change
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            try:
                self.wfile.write(b"retry: 500\n\n")
                if current is not None and current.errors:
                    self.wfile.write(f"data: {current.message()}\n\n".encode())
                self.wfile.flush()
                while not state.stopping.is_set():
                    try:
                        message = listener.get(timeout=0.5)
                    except queue.Empty:
                        self.wfile.write(b": keep-alive\n\n")
                    else:
                        self.wfile.write(f"data: {message}\n\n".encode())
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError, OSError):
                pass
            finally:
                with state.lock:
                    state.watched[page] -= 1
                    if listener in state.listeners:
                        state.listeners.remove(listener)

    return Handler


def _content_type(rel: str) -> str:
    kind = mimetypes.guess_type(rel)[0] or "application/octet-stream"
    if rel.endswith(".json"):
        kind = "application/json"
    elif rel.endswith(".xml"):
        kind = "application/xml"
    return f"{kind}; charset=utf-8" if kind.startswith("text/") or kind in ("application/json", "application/xml", "application/javascript") else kind


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


def start_server(state: PreviewState, host: str, port: int) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer((host, port), make_handler(state))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True).start()
    return server


def rebuild_loop(state: PreviewState, rebuild: Callable[[frozenset[str] | None], Snapshot],
                 report: Callable[[Snapshot, Change, float], None]) -> Callable[[frozenset[str] | None], None]:
    """The debounced action: rebuild (one at a time) knowing which files changed in place (None:
    unknown), publish, report; never raises."""
    running = threading.Lock()

    def run(touched: frozenset[str] | None = None) -> None:
        with running:
            started = time.perf_counter()
            snapshot = rebuild(touched)
            change = state.publish(snapshot)
            report(snapshot, change, time.perf_counter() - started)

    return run
