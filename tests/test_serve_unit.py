"""The preview server's parts: path resolution, ignored files, debouncing, change detection, HTTP."""

from __future__ import annotations

import os
import time
from dataclasses import replace
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from papernotes.bodystore import BodyStore
from papernotes.build import SiteLayout, build
from papernotes.engine.readcache import ReadCache
from papernotes import engine as engine_module
from papernotes.model import Diagnostic
from papernotes.serve.preview import memory_builder
from papernotes.build import BuildOptions
from papernotes.serve.http import host_allowed, resolve_request, start_server
from papernotes.serve.state import PreviewState, Snapshot, changes_between, file_bytes
from papernotes.serve.watch import SAVED_SECONDS, Debouncer, event_news, is_ignored


@pytest.mark.parametrize("path, base, expected", [
    ("/", "/", "index.html"), ("/notes/x/", "/", "notes/x/index.html"), ("/css/style.css", "/", "css/style.css"),
    ("/notes/x", "/", "notes/x"), ("/sub/notes/x/", "/sub/", "notes/x/index.html"), ("/sub/", "/sub/", "index.html"),
    ("/notes/x/?q=1#a", "/", "notes/x/index.html"), ("/notes/caf%C3%A9/", "/", "notes/café/index.html"),
    ("/../etc/passwd", "/", None), ("/notes/../../etc/passwd", "/", None), ("/%2e%2e/%2e%2e/etc/passwd", "/", None),
    ("/%252e%252e/etc/passwd", "/", None), ("/notes/..%2f..%2fetc/passwd", "/", None), ("//etc/passwd", "/", None),
    ("/a\\..\\b", "/", None), ("/x%00.html", "/", None), ("/other/", "/sub/", None), ("/./index.html", "/", None),
])
def test_resolve_request(path, base, expected):
    assert resolve_request(path, base) == expected


@pytest.mark.parametrize("name, ignored", [
    ("note.md", False), (".note.md.swp", True), ("note.md~", True), ("4913", True), (".#note.md", True),
    ("#note.md#", True), (".DS_Store", True), ("x.goutputstream-ABC", True), ("a.md___jb_tmp___", True),
    ("papernotes.yaml", False), ("style.css", False), ("notes.tmp", True),
])
def test_editor_temp_files_are_ignored(name, ignored):
    assert is_ignored(f"/site/content/{name}") is ignored


@pytest.mark.parametrize("event, news", [
    (("modified", False, "/s/content/a.md"), (False, "/s/content/a.md")),
    (("closed", False, "/s/content/a.md"), (True, "/s/content/a.md")),
    (("moved", False, "/s/content/.goutputstream-X1", "/s/content/a.md"), (True, "/s/content/a.md")),  # an atomic save
    (("moved", False, "/s/content/a.md", "/s/content/b.md"), (False, None)),
    (("moved", False, "/s/content/a.md", "/s/content/a.md~"), (False, None)),  # a backup made before writing anew
    (("created", False, "/s/content/a.md"), (False, None)),
    (("deleted", True, "/s/content/folder"), (False, None)),
    (("modified", True, "/s/content"), None),
    (("closed", False, "/s/content/.a.md.swp"), None),
    (("opened", False, "/s/content/a.md"), None),
])
def test_what_a_file_event_tells_the_debouncer(event, news):
    assert event_news(*event) == news


def _settled(calls: list, count: int, timeout: float = 10.0) -> bool:
    """Wait until ``calls`` holds ``count`` entries (a loaded machine may be slow to run timers)."""
    deadline = time.monotonic() + timeout
    while len(calls) < count and time.monotonic() < deadline:
        time.sleep(0.01)
    return len(calls) == count


class ManualTimers:
    """Timers that fire only when the test says the quiet period is over, so a loaded machine
    cannot split a burst."""

    def __init__(self) -> None:
        self.started: list[ManualTimer] = []

    def __call__(self, interval: float, function) -> "ManualTimer":
        timer = ManualTimer(interval, function)
        self.started.append(timer)
        return timer

    def quiet(self) -> None:
        """Time passes with no event: every timer not cancelled fires."""
        for timer in self.started:
            if timer.running:
                timer.running = False
                timer.function()


class ManualTimer:
    def __init__(self, interval: float, function) -> None:
        self.interval, self.function, self.running, self.daemon = interval, function, False, False

    def start(self) -> None:
        self.running = True

    def cancel(self) -> None:
        self.running = False


def test_debounce_turns_a_burst_into_one_call():
    calls: list = []
    timers = ManualTimers()
    debouncer = Debouncer(calls.append, delay=0.3, timer=timers)
    for _ in range(10):
        debouncer.poke()
    assert calls == []
    timers.quiet()
    assert calls == [None], "a burst is one call"
    timers.quiet()
    assert len(calls) == 1
    debouncer.poke()
    debouncer.poke(saved=True)  # a writer closed its file: the save is complete
    assert timers.started[-1].interval == SAVED_SECONDS < 0.3
    timers.quiet()
    debouncer.poke(changed="/site/content/a.md")
    debouncer.poke(changed="/site/content/b.md")
    timers.quiet()
    assert calls[-1] == frozenset({"/site/content/a.md", "/site/content/b.md"}), "files changed in place are named"
    debouncer.poke(changed="/site/content/a.md")
    debouncer.poke(saved=True, changed="/site/content/a.md")  # written in place and closed: nothing to wait for
    assert timers.started[-1].interval == 0
    debouncer.poke()  # created, removed or renamed: every file is looked at
    timers.quiet()
    assert calls[-1] is None and len(calls) == 4


def test_debounce_calls_with_real_timers():
    calls: list = []
    debouncer = Debouncer(calls.append, delay=0.05)
    debouncer.poke(changed="/site/content/a.md")
    assert _settled(calls, 1)
    assert calls == [frozenset({"/site/content/a.md"})]


def test_changes_name_pages_and_stylesheet_only_edits():
    old = Snapshot({"a/index.html": b"1", "b/index.html": b"2", "css/style.css": b"x"})
    assert changes_between(old, Snapshot({**old.files, "a/index.html": b"3"})).pages == ("a/index.html",)
    css = changes_between(old, Snapshot({**old.files, "css/style.css": b"y"}))
    assert css.stylesheets_only and css.pages == ()
    gone = changes_between(old, Snapshot({"a/index.html": b"1", "css/style.css": b"x"}))
    assert gone.pages == ("b/index.html",) and not gone.stylesheets_only
    error = Diagnostic("error", "content/a.md", 3, 1, "invalid YAML", "title: [x")
    failed = changes_between(old, Snapshot(old.files, (error,)))
    assert failed.errors == ({"where": "content/a.md:3:1", "message": "invalid YAML", "line": "title: [x"},)


def test_which_pages_an_edit_affects(make_site):
    root = make_site({"content/a.md": "---\ntitle: A\ndate: 2024-01-01\n---\nText A.",
                      "content/b.md": "---\ntitle: B\ndate: 2023-01-01\ntags: [t]\n---\nText B.",
                      "content/c.md": "---\ntitle: C\ndate: 2022-01-01\ntags: [u]\n---\nText C."})
    rebuild = memory_builder(SiteLayout.find(root), BuildOptions(search=False))
    first = rebuild()
    (root / "content/c.md").write_text("---\ntitle: C\ndate: 2022-01-01\ntags: [u]\n---\nText C, edited.")
    changed = changes_between(first, rebuild()).pages
    assert "notes/c/index.html" in changed and "tags/u/index.html" in changed
    assert "notes/a/index.html" not in changed and "tags/t/index.html" not in changed


def test_a_rebuild_told_which_files_changed_looks_at_those_only(make_site):
    root = make_site({"content/a.md": "---\ntitle: A\n---\nText A.", "content/b.md": "---\ntitle: B\n---\nText B.",
                      "templates/.keep": ""})
    long_ago = time.time() - 60
    os.utime(root / "content", (long_ago, long_ago))  # the walk is trusted again: the same files, not listed anew
    rebuild = memory_builder(SiteLayout.find(root), BuildOptions(search=False))
    rebuild(None)
    for name in ("a", "b"):
        (root / f"content/{name}.md").write_text(f"---\ntitle: {name.upper()}\n---\nText {name.upper()}, edited.")
    told = rebuild(frozenset({str(root / "content/b.md"), str(root / "templates/.keep")}))
    assert b"Text B, edited" in file_bytes(told.files["notes/b/index.html"])
    assert b"Text A, edited" not in file_bytes(told.files["notes/a/index.html"]), "a file not named is not looked at"
    assert b"Text A, edited" in file_bytes(rebuild(None).files["notes/a/index.html"])


def test_the_first_build_leaves_the_preview_ready_for_an_edit(make_site, monkeypatch):
    """After the first build (read in worker processes), the preview's own process has what an
    edit needs: the Markdown pipeline's lexers (the newest note read again) and the papers'
    inverse maps, so that the first edit is as quick as the next ones."""
    notes = {f"content/n{i}.md": f"---\ntitle: N{i}\ndate: 2024-01-{1 + i % 28:02d}\n---\nOn arXiv:1706.03762.\n\n"
             "```python\nx = 1\n```\n" for i in range(40)}
    root = make_site(notes)
    monkeypatch.setattr("papernotes.read.site.PARALLEL_FROM", 2)
    engines: list[engine_module.Engine] = []
    real = engine_module.Engine.warm
    monkeypatch.setattr(engine_module.Engine, "warm", lambda self: engines.append(self) or real(self))
    rebuild = memory_builder(SiteLayout.find(root), BuildOptions(search=False, workers=2))
    rebuild()
    (engine,) = engines
    assert engine.graph is not None and "listed_by" in vars(engine.graph.papers)
    assert engine.inputs is not None and "python" in engine.inputs.renderers[0]._lexers
    rebuild()
    assert len(engines) == 1, "made once, after the first build"


def _built_from_scratch(root: Path) -> dict[str, bytes]:
    return {rel: file_bytes(data) for rel, data in memory_builder(SiteLayout.find(root), BuildOptions(search=False))().files.items()}


@pytest.mark.parametrize("open_pages", [frozenset, lambda: frozenset({"archive/index.html", "tags/ml/index.html"})],
                         ids=["none-open", "lists-open"])
def test_rebuilds_from_the_last_files_equal_a_build_from_scratch(make_site, open_pages):
    root = make_site({"content/a.md": "---\ntitle: A\ndate: 2024-01-01\ntags: [ml]\n---\nText A, see [[B]].\n\n![x](x.png)",
                      "content/x.png": b"png", "content/b.md": "---\ntitle: B\ndate: 2023-01-01\ntags: [ml, nlp]\n---\nText B.",
                      "static/extra.css": "p {}"})
    rebuild = memory_builder(SiteLayout.find(root), BuildOptions(search=False), open_pages)
    last = rebuild(None)
    edits: list[tuple[str, str | None, bool]] = [  # file, its new text (None: removed), whether it changed in place
        ("content/b.md", "---\ntitle: B\ndate: 2023-01-01\ntags: [ml, nlp]\n---\nText B, edited.", True),
        ("content/a.md", "---\ntitle: A\ndate: 2024-01-01\ntags: [ml]\n---\nText A, no image now.", True),
        ("content/b.md", "---\ntitle: B, renamed\ndate: 2023-01-01\ntags: [ml]\n---\nText B.", True),
        ("static/extra.css", None, False),
        ("content/b.md", None, False),
    ]
    for name, text, in_place in edits:
        path = root / name
        if text is None:
            path.unlink()
        else:
            path.write_text(text)
        snapshot = rebuild(frozenset({str(path)}) if in_place else None)
        files = {rel: file_bytes(data) for rel, data in snapshot.files.items()}
        assert files == _built_from_scratch(root), f"after {name} changed"
        assert changes_between(last, snapshot) == changes_between(replace(last, version=0), snapshot), "the same pages reported"
        last = snapshot
    assert not [rel for rel in files if rel.endswith(("x.png", "extra.css")) or rel.startswith("notes/b/")]


def test_the_preview_starts_from_the_state_a_build_saved(make_site, monkeypatch):
    """The preview's first build takes up the state the last command-line build saved: only the
    note edited since is read, and the preview serves what one built without any cache serves, then and after each
    edit. It leaves the store of note bodies to the next build, which may empty it meanwhile."""
    root = make_site({"content/a.md": "---\ntitle: A\ndate: 2024-01-01\ntags: [ml]\n---\nText A, see [[B]] and arXiv:1706.03762.",
                      "content/b.md": "---\ntitle: B\ndate: 2023-01-01\ntags: [ml, nlp]\n---\nText B.",
                      "content/c.md": "---\ntitle: C\ndate: 2022-01-01\n---\nText C."})
    long_ago = time.time() - 60
    for path in (root / "content").iterdir():  # not written within the build's second, when a time tells too little
        os.utime(path, (long_ago, long_ago))
    build(SiteLayout.find(root, root / "site"), BuildOptions(search=False))
    (root / "content/b.md").write_text("---\ntitle: B\ndate: 2023-01-01\ntags: [ml, nlp]\n---\nText B, edited.")
    read: list[str] = []
    real = ReadCache.read
    monkeypatch.setattr(ReadCache, "read", lambda self, inputs, paths, *rest: (read.extend(paths) or real(self, inputs, paths, *rest)))
    layout = SiteLayout.find(root)
    rebuild = memory_builder(layout, BuildOptions(search=False))

    def files(snapshot: Snapshot) -> dict[str, bytes]:
        return {rel: file_bytes(data) for rel, data in snapshot.files.items()}

    def from_scratch() -> dict[str, bytes]:
        return files(memory_builder(layout, BuildOptions(search=False, cache=False))())

    first = rebuild(None)
    assert [os.path.basename(path) for path in read] == ["b.md"], "the other notes as the build left them"
    store = BodyStore.lasting(layout.cache)
    assert store is not None, "the preview holds no lock on the store"
    store.clear()  # as a build that cannot take up the state does
    store.release()
    assert files(first) == from_scratch() and b"Text C." in files(first)["notes/c/index.html"]
    (root / "content/c.md").write_text("---\ntitle: C\ndate: 2022-01-01\ntags: [nlp]\n---\nText C, tagged.")
    (root / "content/a.md").unlink()
    assert files(rebuild(None)) == from_scratch()


def test_a_list_nobody_has_open_is_planned_and_rendered_when_read(make_site, monkeypatch):
    root = make_site({"content/a.md": "---\ntitle: A\ndate: 2024-01-01\ntags: [ml]\n---\nText A.",
                      "content/b.md": "---\ntitle: B\ndate: 2023-01-01\ntags: [ml]\n---\nText B."})
    rebuild = memory_builder(SiteLayout.find(root), BuildOptions(search=False))
    rebuild(None)
    planned: list[str] = []
    real = engine_module.plan_pages
    monkeypatch.setattr(engine_module, "plan_pages", lambda graph, config, only=None: (
        planned.extend(sorted(only) if only is not None else ["everything"]) or real(graph, config, only=only)))
    (root / "content/b.md").write_text("---\ntitle: B\ndate: 2023-01-01\ntags: [ml]\n---\nText B, edited.")
    snapshot = rebuild(frozenset({str(root / "content/b.md")}))
    assert not {"/notes/b/", "/archive/", "/tags/ml/"} & set(planned), "nobody has them open"
    assert b"Text B, edited" in file_bytes(snapshot.files["notes/b/index.html"]) and planned[-1] == "/notes/b/"
    assert b"Text B, edited" in file_bytes(snapshot.files["tags/ml/feed.xml"])
    assert planned[-1] == "/tags/ml/feed.xml", "planned when read"


def test_http_serving(make_site, tmp_path: Path):
    root = make_site({"content/a.md": "# A\n\nHello", "static/secret-link": b"x"})
    (tmp_path / "outside.txt").write_text("secret")
    (root / "static/leak.txt").symlink_to(tmp_path / "outside.txt")
    rebuild = memory_builder(SiteLayout.find(root), BuildOptions(search=False))
    state = PreviewState(rebuild())
    server = start_server(state, "127.0.0.1", 0)
    base = f"http://127.0.0.1:{server.server_address[1]}"

    def get(path: str) -> tuple[int, str, bytes]:
        try:
            with urllib.request.urlopen(base + path) as response:
                return response.status, response.headers["Content-Type"], response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers["Content-Type"], exc.read()

    try:
        status, kind, body = get("/notes/a/")
        assert status == 200 and kind == "text/html; charset=utf-8" and b"__papernotes/reload.js" in body
        assert get("/css/style.css")[1] == "text/css; charset=utf-8"
        assert get("/feed.json")[1] == "application/json; charset=utf-8"
        status, _, body = get("/no/such/page/")
        assert status == 404 and b"Page not found" in body
        assert get("/leak.txt")[0] == 404, "a symlink out of the site is not served"
        with urllib.request.urlopen(base + "/notes/a/") as response:
            assert response.headers["Cache-Control"] == "no-store"
    finally:
        state.stopping.set()
        server.shutdown()


@pytest.mark.parametrize("host, allowed, expected", [
    ("127.0.0.1:8000", (), True), ("localhost:8000", (), True), ("[::1]:8000", (), True), ("LOCALHOST", (), True),
    ("app.localhost:5173", (), True), ("192.168.1.20:8000", (), True), (None, (), True),
    ("evil.example", (), False), ("evil.example:8000", (), False), ("localhost.evil.example", (), False),
    ("127.0.0.1.nip.io", (), False), ("notes.lan:8000", ("notes.lan",), True), ("a.notes.lan", (".notes.lan",), True),
    ("notes.lan", (".notes.lan",), True), ("evilnotes.lan", (".notes.lan",), False), ("", (), False),
])
def test_host_check_follows_vites_allowed_hosts(host, allowed, expected):
    assert host_allowed(host, allowed) is expected


def test_a_foreign_host_header_is_refused(make_site):
    root = make_site({"content/a.md": "# A\n\nHello"})
    state = PreviewState(memory_builder(SiteLayout.find(root), BuildOptions(search=False))(),
                         allowed_hosts=frozenset({"notes.lan"}))
    server = start_server(state, "127.0.0.1", 0)
    base = f"http://127.0.0.1:{server.server_address[1]}"

    def get(path: str, host: str) -> tuple[int, dict[str, str], bytes]:
        request = urllib.request.Request(base + path, headers={"Host": host})
        try:
            with urllib.request.urlopen(request) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read()

    try:
        status, headers, body = get("/notes/a/", "evil.example")
        assert status == 403
        assert body == (b"Blocked request: Host 'evil.example' is not an address this preview listens on "
                        b"(to allow it: papernotes serve --allow-host evil.example).\n")
        assert get("/__papernotes/events", "evil.example:80")[0] == 403, "the event stream is refused too"
        for host in ("127.0.0.1", "localhost:1234", "notes.lan"):
            status, headers, _ = get("/notes/a/", host)
            assert status == 200
            assert not any(name.lower().startswith("access-control-") for name in headers), "no CORS headers"
    finally:
        state.stopping.set()
        server.shutdown()
