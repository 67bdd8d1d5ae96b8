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
from papernotes.papers.fetch import fetch_arxiv

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
    assert papers["arxiv:2305.00001"] == {"title": "Paper 2305.00001: a title", "authors": ["Ada Lovelace", "Alan Turing"], "sources": ["arxiv"],
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
    result = runner.invoke(main, ["papers", "fetch", str(root), "--source", "arxiv", "--api", api, "--delay", "0"])
    assert result.exit_code == 0, result.output
    assert requests == [["2305.10601"]], "papers the registry already titles are not fetched"
    assert runner.invoke(main, ["build", str(root)]).exit_code == 0
    page = (root / "site/papers/arxiv-2305.10601/index.html").read_text()
    assert "Paper 2305.10601: a title" in page and "Abstract of 2305.10601." in page
    assert '<a href="/authors/ada-lovelace/">Ada Lovelace</a>, <a href="/authors/alan-turing/">Alan Turing</a>' in page
    author = (root / "site/authors/ada-lovelace/index.html").read_text()
    assert 'href="/papers/arxiv-2305.10601/"' in author and 'href="/notes/a/"' in author, "the author's papers and the notes on them"


def test_corrupt_cache_is_ignored_with_a_warning(build_site):
    result = build_site({"content/.papers-cache.json": "{not json", "content/a.md": "arXiv:2305.10601"})
    assert [d.message for d in result.diagnostics] == ["paper metadata cache is unreadable and was ignored"]


CROSSREF = {"message": {"items": [{
    "DOI": "10.1038/nature14539", "title": ["Deep learning"], "type": "journal-article", "container-title": ["Nature"],
    "issued": {"date-parts": [[2015, 5, 27]]}, "abstract": "<jats:p>Deep learning allows models.</jats:p>",
    "author": [{"given": "Yann", "family": "LeCun", "ORCID": "https://orcid.org/0000-0001-2345-6789"}, {"given": "Yoshua", "family": "Bengio"}],
    "reference": [{"DOI": "10.48550/arXiv.1706.03762"}, {"DOI": "10.9999/unknown"}]}]}}
OPENALEX = {"results": [
    {"id": "https://openalex.org/W1", "doi": "https://doi.org/10.48550/arxiv.1706.03762", "title": "Attention Is All You Need",
     "publication_year": 2017, "authorships": [{"author": {"id": "https://openalex.org/A1", "display_name": "Ashish Vaswani",
                                                           "orcid": None}}],
     "primary_location": {"source": {"id": "https://openalex.org/S1", "display_name": "Neural Information Processing Systems"}},
     "abstract_inverted_index": {"The": [0], "dominant": [1]}, "referenced_works": []},
    {"id": "https://openalex.org/W2", "doi": "https://doi.org/10.1038/nature14539", "title": "Deep learning",
     "publication_year": 2015, "authorships": [], "referenced_works": ["https://openalex.org/W1", "https://openalex.org/W9"]}]}
S2 = {"paperId": "abc", "title": "Attention Is All You Need", "year": 2017, "venue": "NeurIPS",
       "authors": [{"name": "Ashish Vaswani"}], "externalIds": {"ArXiv": "1706.03762"},
      "references": [{"externalIds": {"DOI": "10.1038/NATURE14539"}}]}
ACL_BIB = """@inproceedings{devlin-etal-2019-bert, title = "{BERT}: Pre-training of Deep Bidirectional Transformers",
  author = "Devlin, Jacob and Chang, Ming-Wei", booktitle = "Proceedings of NAACL", year = "2019", doi = "10.18653/v1/N19-1423"}"""


@pytest.fixture
def fake_apis():
    """Crossref, OpenAlex, Semantic Scholar and the ACL Anthology on one 127.0.0.1 server."""
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def _send(self, body: bytes, kind: str = "application/json") -> None:
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            seen.append(self.path)
            if self.path.startswith("/crossref/works"):
                self._send(json.dumps(CROSSREF).encode())
            elif self.path.startswith("/openalex/works"):
                self._send(json.dumps(OPENALEX).encode())
            elif self.path == "/acl/N19-1423.bib":
                self._send(ACL_BIB.encode(), "text/plain")
            else:
                self.send_error(404)

        def do_POST(self) -> None:  # noqa: N802
            asked = json.loads(self.rfile.read(int(self.headers["Content-Length"])))["ids"]
            seen.append(f"{self.path} {sorted(asked)}")
            self._send(json.dumps([S2 if paper_id == "ARXIV:1706.03762" else None for paper_id in asked]).encode())

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", seen
    server.shutdown()


def test_every_source_fills_metadata_authors_venues_and_citations(fake_apis, make_site):
    base, seen = fake_apis
    root = make_site({"content/a.md": "# A\n\nOn arXiv:1706.03762 and doi:10.1038/nature14539.\n",
                      "content/b.md": "# B\n\nBERT: https://aclanthology.org/N19-1423/\n"})
    options = ["--crossref-api", f"{base}/crossref", "--openalex-api", f"{base}/openalex", "--acl-api", f"{base}/acl",
               "--semanticscholar-api", f"{base}/s2", "--delay", "0"]
    runner = CliRunner()
    result = runner.invoke(main, ["papers", "fetch", str(root), "--source", "crossref", "--source", "acl", "--source", "openalex",
                                  "--source", "semanticscholar", *options])
    assert result.exit_code == 0, result.output
    assert any(p.startswith("/crossref/works?filter=doi%3A10.1038%2Fnature14539") for p in seen)
    cache = json.loads((root / "content/.papers-cache.json").read_text())["papers"]
    assert cache["doi:10.1038/nature14539"]["authors"] == ["Yann LeCun", "Yoshua Bengio"]
    assert cache["doi:10.1038/nature14539"]["abstract"] == "Deep learning allows models."
    assert cache["arxiv:1706.03762"]["references"] == ["doi:10.1038/nature14539"]
    assert cache["acl:N19-1423"]["title"] == "BERT: Pre-training of Deep Bidirectional Transformers"
    assert sorted(cache["arxiv:1706.03762"]["sources"]) == ["openalex", "semanticscholar"]
    again = len(seen)
    assert runner.invoke(main, ["papers", "fetch", str(root), "--source", "crossref", "--source", "openalex", *options]).exit_code == 0
    assert len(seen) == again, "a resumed fetch asks nothing already answered"

    assert runner.invoke(main, ["build", str(root)]).exit_code == 0
    site = root / "site"
    graph = json.loads((site / "graph.json").read_text())
    edges = {(e["source"], e["target"], e["type"]) for e in graph["edges"]}
    assert ("paper:doi:10.1038/nature14539", "paper:arxiv:1706.03762", "cites") in edges, "OpenAlex's referenced works"
    assert ("paper:arxiv:1706.03762", "paper:doi:10.1038/nature14539", "cites") in edges, "Semantic Scholar's references"
    assert ("author:ashish-vaswani", "paper:arxiv:1706.03762", "wrote") in edges
    assert ("paper:doi:10.1038/nature14539", "venue:nature", "published_in") in edges
    assert {n["type"] for n in graph["nodes"]} == {"note", "paper", "author", "venue"} and graph["version"] == 1
    page = (site / "papers/doi-10.1038-nature14539/index.html").read_text()
    assert "Cites 1 / cited by 1 of the papers in these notes" in page and "@article{lecun2015deep," in page
    assert (site / "authors/yann-lecun/index.html").is_file() and (site / "venues/nature/index.html").is_file()
    assert 'href="https://orcid.org/0000-0001-2345-6789"' in (site / "authors/yann-lecun/index.html").read_text()


def test_a_doi_the_metadata_knows_as_an_arxiv_paper_is_that_paper(build_site):
    cache = {"version": 1, "papers": {"doi:10.5555/3295222.3295349": {
        "title": "Attention Is All You Need", "arxiv": "1706.03762", "sources": ["semanticscholar"]}}}
    result = build_site({"content/.papers-cache.json": json.dumps(cache),
                         "content/a.md": "See https://doi.org/10.5555/3295222.3295349 and arXiv:1706.03762.\n"})
    assert {ref.id for ref in result.notes[0].papers} == {"arxiv:1706.03762"}
    assert "Attention Is All You Need" in (result.out_dir / "papers/arxiv-1706.03762/index.html").read_text()
