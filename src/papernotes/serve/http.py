"""The preview's HTTP side: pages from the in-memory snapshot with the live-reload client
injected, the client itself, and the Server-Sent Events stream on the same port; requests whose
``Host`` is not this preview's are refused, and no path leaves the site."""

from __future__ import annotations

import ipaddress
import mimetypes
import posixpath
import queue
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterable
from urllib.parse import parse_qs, unquote, urlsplit

from .state import PreviewState, file_bytes

EVENTS_PATH = "__papernotes/events"
CLIENT_PATH = "__papernotes/reload.js"
_CLIENT = Path(__file__).resolve().parent / "reload.js"


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


class PreviewHandler(BaseHTTPRequestHandler):
    """Serves the snapshot's files (pages with the client injected), the client and the event stream."""

    server: PreviewServer
    server_version = "papernotes"
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms wait for an ACK

    def log_message(self, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:  # noqa: N802
        self.do_GET(head=True)

    def do_GET(self, head: bool = False) -> None:  # noqa: N802
        state = self.server.state
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
            return self._send(HTTPStatus.OK, self.server.client, "text/javascript; charset=utf-8", head)
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
        state = self.server.state
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
        state = self.server.state
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


def _content_type(rel: str) -> str:
    kind = mimetypes.guess_type(rel)[0] or "application/octet-stream"
    if rel.endswith(".json"):
        kind = "application/json"
    elif rel.endswith(".xml"):
        kind = "application/xml"
    return f"{kind}; charset=utf-8" if kind.startswith("text/") or kind in ("application/json", "application/xml", "application/javascript") else kind


class PreviewServer(ThreadingHTTPServer):
    """An HTTP server holding the preview's state (and the injected client) for its handlers."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], state: PreviewState) -> None:
        self.state, self.client = state, _CLIENT.read_text(encoding="utf-8").encode()
        super().__init__(address, PreviewHandler)


def start_server(state: PreviewState, host: str, port: int) -> PreviewServer:
    """Serve ``state`` on ``host:port`` from a background thread."""
    server = PreviewServer((host, port), state)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True).start()
    return server
