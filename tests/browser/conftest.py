"""Browser fixtures: a built site served on 127.0.0.1 and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import contextlib
import functools
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

import pytest

CHROMIUM = os.environ.get("PAPERNOTES_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]

if not Path(CHROMIUM).exists():
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)
playwright_api = pytest.importorskip("playwright.sync_api")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def serve(root: Path, mount: str = "/") -> tuple[ThreadingHTTPServer, str]:
    """Serve ``root`` at ``mount`` on 127.0.0.1 (a sub-path mount is how a project site is hosted)."""
    class Handler(_QuietHandler):
        def translate_path(self, path: str) -> str:
            if not path.startswith(mount):
                return str(root / "__missing__")
            return super().translate_path("/" + path[len(mount):])

    handler = functools.partial(Handler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}{mount}"


@contextlib.contextmanager
def preview_server(site: Path, search: bool = False) -> Iterator[str]:
    """``papernotes serve SITE`` on a free port for the ``with`` block; yields its URL."""
    process = subprocess.Popen([sys.executable, "-m", "papernotes", "serve", str(site), "--port", "0",
                                *(() if search else ("--no-search",))],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and url is None and process.stdout is not None:
            match = re.search(r"serving (http://\S+)", process.stdout.readline())
            url = match.group(1) if match else None
        assert url, "the server did not start"
        yield url
    finally:
        process.terminate()
        assert process.wait(timeout=5) is not None


@pytest.fixture(scope="session")
def browser_context() -> Iterator[object]:
    """One Chromium with a fresh profile for the session; pages are opened per test."""
    profile = tempfile.mkdtemp(prefix="papernotes-chromium-")
    with playwright_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, viewport={"width": 1200, "height": 900})
        yield context
        context.close()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def page(browser_context):
    """A fresh tab that records console errors and page errors in ``page.errors``."""
    tab = browser_context.new_page()
    tab.errors = []
    tab.on("console", lambda message: tab.errors.append(message.text) if message.type == "error" else None)
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    yield tab
    tab.close()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
