"""XSS payloads from feeds and notes, opened in Chromium: nothing runs, no handler reaches the DOM."""

from __future__ import annotations

from pathlib import Path

from papernotes.build import BuildOptions, SiteLayout, build

from ..conftest import write_files
from ..test_sources import XSS, rss
from .conftest import serve

# A cheat-sheet selection beyond the feed list: Markdown-level tricks and attribute breakouts.
MARKDOWN_PAYLOADS = [
    "[click](javascript:alert(1))", "[click](JAVASCRIPT:alert(1))", "![x](javascript:alert(1))",
    "[x](vbscript:msgbox(1))", "<a href='javascript:alert(1)'>raw</a>", "<img src=x onerror=alert(1)>",
    '"><script>alert(1)</script>', "<svg><script>alert(1)</script></svg>", "[[<img src=x onerror=alert(1)>]]",
    "$\\href{javascript:alert(1)}{x}$", "<details open ontoggle=alert(1)>", "`<script>alert(1)</script>`",
    "[@<script>alert(1)</script>]", "<iframe srcdoc='<script>alert(1)</script>'></iframe>",
]
HOOK = """
window.__fired = [];
for (const name of ["alert", "confirm", "prompt"]) window[name] = (...a) => window.__fired.push(name + ":" + a.join());
"""


def test_no_payload_executes(browser_context, tmp_path: Path):
    notes = {f"content/note-{i}.md": f"---\ntitle: Payload {i}\n---\n\n{payload}\n" for i, payload in enumerate(MARKDOWN_PAYLOADS)}
    site = write_files(tmp_path / "hostile", {
        "papernotes.yaml": "markdown: {unsafe_html: false}\n",
        "content/evil.xml": rss(*[(f"Item {i} <script>alert(1)</script>", f"item-{i}", body) for i, body in enumerate(XSS)]),
        **notes,
    })
    out = tmp_path / "out"
    build(SiteLayout.find(site, out), BuildOptions(search=False))
    server, url = serve(out)
    tab = browser_context.new_page()
    messages: list[str] = []
    dialogs: list[str] = []
    tab.on("console", lambda m: messages.append(m.text))
    tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    tab.add_init_script(HOOK)
    try:
        pages = sorted(p for p in (out / "notes").rglob("index.html"))
        assert len(pages) == len(XSS) + len(MARKDOWN_PAYLOADS)
        for page in [*pages, out / "index.html", out / "papers/index.html"]:
            tab.goto(url + page.relative_to(out).parent.as_posix() + "/")
            tab.wait_for_timeout(50)
            assert tab.evaluate("window.__fired") == [], page
            handlers = tab.evaluate("""() => [...document.querySelectorAll('*')].flatMap(el =>
                [...el.attributes].filter(a => a.name.startsWith('on') || /^\\s*(javascript|vbscript):/i.test(a.value))
                .map(a => el.tagName + ' ' + a.name + '=' + a.value))""")
            assert handlers == [], f"{page}: {handlers}"
            assert tab.locator(".note-body script, .note-body iframe, .note-body object, .note-body embed").count() == 0
    finally:
        tab.close()
        server.shutdown()
    assert dialogs == [] and not [m for m in messages if "alert" in m or "1" == m]
