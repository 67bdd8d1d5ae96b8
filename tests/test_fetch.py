"""``papernotes papers fetch`` against a fake arXiv API on 127.0.0.1 (never the real one)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner

from papernotes.cli import main
from papernotes.fetch import fetch_arxiv

ATOM = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom"><title>query</title>{entries}</feed>"""
ENTRY = """<entry><id>http://arxiv.org/abs/{id}v2</id><published>2023-05-17T17:59:41Z</published>
<title>Paper {id}:
 a  title</title><summary>  Abstract of {id}. </summary>
<author><name>Ada Lovelace</name></author><author><name>Alan Turing</name></author>
<arxiv:journal_ref>NeurIPS 2023</arxiv:journal_ref></entry>"""


@pytest.fixture
def fake_arxiv():
    requests: list[list[str]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            ids = parse_qs(urlsplit(self.path).query)["id_list"][0].split(",")
            requests.append(ids)
            if "9999.99999" in ids:
                self.send_error(503)
                return
            body = ATOM.format(entries="".join(ENTRY.format(id=i) for i in ids if not i.startswith("0000"))).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/atom+xml")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/api/query", requests
    server.shutdown()


def test_fetch_fills_the_cache_in_batches_and_resumes(fake_arxiv, tmp_path: Path):
    api, requests = fake_arxiv
    cache = tmp_path / ".papers-cache.json"
    ids = [f"arxiv:2305.{n:05d}" for n in range(1, 26)] + ["arxiv:0000.00001", "doi:10.1/x"]
    waits: list[float] = []
    result = fetch_arxiv(ids, cache, api=api, delay=3, sleep=waits.append)
    assert (result.requested, result.fetched, result.missing, result.failed_batches) == (26, 25, ("arxiv:0000.00001",), 0)
    assert [len(r) for r in requests] == [20, 6] and waits == [3]
    papers = json.loads(cache.read_text())["papers"]
    assert papers["arxiv:2305.00001"] == {"title": "Paper 2305.00001: a title", "authors": ["Ada Lovelace", "Alan Turing"],
                                          "year": 2023, "abstract": "Abstract of 2305.00001.", "venue": "NeurIPS 2023"}
    again = fetch_arxiv(ids, cache, api=api, sleep=waits.append)
    assert again.requested == 1 and len(requests) == 3, "only what is still missing is asked for"


def test_failed_request_keeps_what_was_fetched(fake_arxiv, tmp_path: Path):
    api, _ = fake_arxiv
    cache = tmp_path / ".papers-cache.json"
    ids = [f"arxiv:2305.{n:05d}" for n in range(1, 21)] + ["arxiv:9999.99999"]
    result = fetch_arxiv(ids, cache, api=api, sleep=lambda _: None)
    assert result.failed_batches == 1 and len(json.loads(cache.read_text())["papers"]) == 20


def test_cli_fetch_then_build_uses_the_cache_offline(fake_arxiv, make_site):
    api, requests = fake_arxiv
    root = make_site({"content/a.md": "# A\n\nSee arXiv:2305.10601 and [@known].\n",
                      "content/papers.bib": "@misc{known, title={Known}, eprint={2001.08361}, archivePrefix={arXiv}}\n"})
    runner = CliRunner()
    result = runner.invoke(main, ["papers", "fetch", str(root), "--api", api, "--delay", "0"])
    assert result.exit_code == 0, result.output
    assert requests == [["2305.10601"]], "papers the registry already titles are not fetched"
    assert runner.invoke(main, ["build", str(root)]).exit_code == 0
    page = (root / "site/papers/arxiv-2305.10601/index.html").read_text()
    assert "Paper 2305.10601: a title" in page and "Ada Lovelace, Alan Turing" in page and "Abstract of 2305.10601." in page


def test_corrupt_cache_is_ignored_with_a_warning(build_site):
    result = build_site({"content/.papers-cache.json": "{not json", "content/a.md": "arXiv:2305.10601"})
    assert [d.message for d in result.diagnostics] == ["paper metadata cache is unreadable and was ignored"]
