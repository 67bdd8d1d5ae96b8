"""``papernotes papers fetch``: fill paper metadata from the open scholarly APIs into the site's
cache file, ``content/.papers-cache.json``. Builds never touch the network; they read the cache
the user commits.

Sources, each asked only for the ids it knows, in batches, with a pause between requests:

- arXiv (``arxiv:`` ids; the Atom API, 20 ids a request, 3 s apart as arXiv asks);
- Crossref (``doi:``; ``/works?filter=doi:…``, 20 DOIs a request);
- the ACL Anthology (``acl:``; each paper's ``.bib``);
- OpenAlex (arXiv ids and DOIs; ``/works?filter=doi:…|…``; authors with their OpenAlex ids and
  ORCIDs, and the works each paper references);
- Semantic Scholar (every id; ``POST /graph/v1/paper/batch``; references).

The cache is saved after every batch and records which sources answered for each paper, so an
interrupted fetch resumes where it stopped (papers a source did not know are asked again). A record from a later source fills only the gaps an
earlier one left (references are joined).
"""

from __future__ import annotations

import json
import os
import re
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

import bibtexparser
import feedparser

from .identifiers import doi_id, identify
from .bibparse import quiet_bibtexparser

USER_AGENT = "papernotes (https://pypi.org/project/papernotes/)"
ARXIV_API = "https://export.arxiv.org/api/query"
BATCH = 20
REFERENCE_SOURCES = frozenset({"openalex", "semanticscholar"})  # asked about every paper, for its references

Record = dict[str, Any]
Query = Callable[[str, list[str], float], dict[str, Record]]


@dataclass(frozen=True)
class Source:
    """One API: which ids it knows, how many a request takes, the pause between requests."""

    name: str
    api: str
    prefixes: tuple[str, ...]
    batch: int
    delay: float
    query: Query

    def knows(self, paper_id: str) -> bool:
        return paper_id.startswith(self.prefixes)


@dataclass(frozen=True)
class FetchResult:
    requested: int
    fetched: int
    missing: tuple[str, ...]
    failed_batches: int


def load_cache(path: Path) -> dict[str, dict]:
    """The cache's papers, or an empty mapping when the file is missing or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        papers = data.get("papers", {})
        return dict(papers) if isinstance(papers, dict) else {}
    except (OSError, ValueError, AttributeError, RecursionError):
        return {}


def save_cache(path: Path, papers: dict[str, dict]) -> None:
    """Write the cache atomically, sorted, so a killed fetch leaves a valid file behind."""
    text = json.dumps({"version": 1, "papers": dict(sorted(papers.items()))}, ensure_ascii=False, indent=1, sort_keys=True)
    temporary = path.with_name(path.name + f".tmp-{os.getpid()}")
    temporary.write_text(text + "\n", encoding="utf-8")
    os.replace(temporary, path)


def fetch(ids: Iterable[str], cache_path: Path, source: Source, *, refetch: bool = False, timeout: float = 30.0,
          progress: Callable[[str], None] = lambda _: None, sleep: Callable[[float], None] = time.sleep) -> FetchResult:
    """Ask ``source`` about the ids it knows and has not answered for yet, ``source.batch`` at a
    time, pausing ``source.delay`` seconds between requests; the cache is saved after each batch."""
    cache = load_cache(cache_path)
    wanted = sorted({i for i in ids if source.knows(i) and (refetch or source.name not in cache.get(i, {}).get("sources", ()))})
    fetched, failed = 0, 0
    for start in range(0, len(wanted), source.batch):
        batch = wanted[start:start + source.batch]
        if start:
            sleep(source.delay)
        progress(f"{source.name}: {start + 1}–{start + len(batch)} of {len(wanted)}")
        try:
            found = source.query(source.api, batch, timeout)
        except (OSError, ValueError) as exc:
            progress(f"{source.name}: request failed ({exc}); run the command again to resume")
            failed += 1
            continue
        for paper_id, answer in found.items():  # a paper not found is asked about again next time
            record = merge_record(cache.get(paper_id, {}), answer)
            record["sources"] = sorted({*record.get("sources", ()), source.name})
            cache[paper_id] = record
            fetched += 1
        save_cache(cache_path, cache)
    missing = tuple(i for i in wanted if not cache.get(i, {}).get("title"))
    return FetchResult(len(wanted), fetched, missing, failed)


def fetch_arxiv(ids: Iterable[str], cache_path: Path, *, api: str = ARXIV_API, delay: float = 3.0,
                timeout: float = 30.0, progress: Callable[[str], None] = lambda _: None,
                sleep: Callable[[float], None] = time.sleep) -> FetchResult:
    """``fetch`` from arXiv alone."""
    return fetch(ids, cache_path, sources(arxiv=api, delay=delay)[0], timeout=timeout, progress=progress, sleep=sleep)


def merge_record(old: Mapping[str, Any], new: Mapping[str, Any]) -> Record:
    """``old`` with its gaps filled from ``new``; references joined."""
    merged = dict(old)
    for name, value in new.items():
        if name == "references":
            merged[name] = sorted({*merged.get(name, ()), *value})
        elif value not in (None, "", [], {}) and merged.get(name) in (None, "", [], {}):
            merged[name] = value
    return merged


def sources(*, arxiv: str = ARXIV_API, crossref: str = "https://api.crossref.org", acl: str = "https://aclanthology.org",
            openalex: str = "https://api.openalex.org", semanticscholar: str = "https://api.semanticscholar.org",
            delay: float | None = None) -> tuple[Source, ...]:
    """Every source, in the order asked (the first to give a field gives it); ``delay`` overrides
    each API's own pause."""
    def pause(default: float) -> float:
        return default if delay is None else delay
    return (
        Source("arxiv", arxiv, ("arxiv:",), BATCH, pause(3.0), _query_arxiv),
        Source("crossref", crossref, ("doi:",), BATCH, pause(1.0), _query_crossref),
        Source("acl", acl, ("acl:",), 1, pause(1.0), _query_acl),
        Source("openalex", openalex, ("arxiv:", "doi:"), 50, pause(0.2), _query_openalex),
        Source("semanticscholar", semanticscholar, ("arxiv:", "doi:", "acl:", "s2:"), 100, pause(1.0), _query_s2),
    )


def _get(url: str, timeout: float, data: bytes | None = None) -> bytes:
    headers = {"User-Agent": USER_AGENT, "Accept": "application/json, application/atom+xml;q=0.9, */*;q=0.1"}
    if data is not None:
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, headers=headers)
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - the URL is the configured API
        return bytes(response.read())


def _query_arxiv(api: str, batch: list[str], timeout: float) -> dict[str, Record]:
    query = urllib.parse.urlencode({"id_list": ",".join(i.split(":", 1)[1] for i in batch), "max_results": len(batch)})
    feed = feedparser.parse(_get(f"{api}?{query}", timeout))
    found = {}
    for entry in feed.entries:
        arxiv_id = _arxiv_of(entry.get("id", ""))
        if not arxiv_id or not entry.get("title") or entry.get("title") == "Error":
            continue
        published = entry.get("published", "")
        found[f"arxiv:{arxiv_id}"] = _record(
            title=entry.title, authors=[a.get("name", "") for a in entry.get("authors", []) if a.get("name")],
            year=int(published[:4]) if published[:4].isdigit() else None, abstract=entry.get("summary"),
            venue=entry.get("arxiv_journal_ref"), doi=entry.get("arxiv_doi"),
        )
    return found


def _query_crossref(api: str, batch: list[str], timeout: float) -> dict[str, Record]:
    dois = [i.split(":", 1)[1] for i in batch]
    query = urllib.parse.urlencode({"filter": ",".join(f"doi:{d}" for d in dois), "rows": len(dois)})
    items = json.loads(_get(f"{api.rstrip('/')}/works?{query}", timeout)).get("message", {}).get("items", [])
    found = {}
    for item in items:
        paper_id = doi_id(str(item.get("DOI", "")))
        if paper_id not in batch:
            continue
        issued = (item.get("issued") or {}).get("date-parts") or [[None]]
        found[paper_id] = _record(
            title=_first(item.get("title")), authors=[_crossref_name(a) for a in item.get("author", [])],
            orcids=[_orcid(a.get("ORCID")) for a in item.get("author", [])], year=issued[0][0],
            venue=_first(item.get("container-title")), abstract=_strip_tags(item.get("abstract")), type=item.get("type"),
            references=[doi_id(r["DOI"]) for r in item.get("reference", []) if r.get("DOI")],
        )
    return found


def _query_acl(api: str, batch: list[str], timeout: float) -> dict[str, Record]:
    found = {}
    quiet_bibtexparser()
    for paper_id in batch:
        library = bibtexparser.parse_string(_get(f"{api.rstrip('/')}/{paper_id.split(':', 1)[1]}.bib", timeout).decode("utf-8"))
        for entry in library.entries:
            fields = {name.lower(): str(value) for name, value in entry.items()}
            found[paper_id] = _record(
                title=fields.get("title", "").replace("{", "").replace("}", ""),
                authors=[_bib_name(a) for a in re.split(r"\s+and\s+", fields.get("author", "")) if a.strip()],
                year=int(fields["year"]) if fields.get("year", "").isdigit() else None,
                venue=fields.get("booktitle") or fields.get("journal"), doi=fields.get("doi"), abstract=fields.get("abstract"),
                type=entry.entry_type.lower(),
            )
    return found


def _query_openalex(api: str, batch: list[str], timeout: float) -> dict[str, Record]:
    by_doi = {_doi_of(paper_id): paper_id for paper_id in batch}
    query = urllib.parse.urlencode({"filter": "doi:" + "|".join(by_doi), "per-page": len(by_doi)})
    results = json.loads(_get(f"{api.rstrip('/')}/works?{query}", timeout)).get("results", [])
    found = {}
    for work in results:
        paper_id = by_doi.get(str(work.get("doi") or "").lower().removeprefix("https://doi.org/"))
        if paper_id is None:
            continue
        authors = [a.get("author") or {} for a in work.get("authorships", [])]
        source = ((work.get("primary_location") or {}).get("source") or {})
        found[paper_id] = _record(
            title=work.get("title") or work.get("display_name"), authors=[a.get("display_name", "") for a in authors],
            author_ids=[_short(a.get("id")) for a in authors], orcids=[_orcid(a.get("orcid")) for a in authors],
            year=work.get("publication_year"), venue=source.get("display_name"), venue_id=_short(source.get("id")),
            abstract=_from_inverted_index(work.get("abstract_inverted_index")), openalex=_short(work.get("id")),
            referenced_works=[_short(w) for w in work.get("referenced_works", [])],
        )
    return found


_S2_PREFIX = {"arxiv": "ARXIV", "doi": "DOI", "acl": "ACL", "s2": ""}
_S2_FIELDS = "title,authors,year,venue,abstract,externalIds,references.externalIds"


def _query_s2(api: str, batch: list[str], timeout: float) -> dict[str, Record]:
    asked = [f"{_S2_PREFIX[i.split(':', 1)[0]]}:{i.split(':', 1)[1]}".lstrip(":") for i in batch]
    url = f"{api.rstrip('/')}/graph/v1/paper/batch?fields={_S2_FIELDS}"
    answers = json.loads(_get(url, timeout, json.dumps({"ids": asked}).encode()))
    found = {}
    for paper_id, paper in zip(batch, answers):
        if not isinstance(paper, dict):
            continue
        found[paper_id] = _record(
            title=paper.get("title"), authors=[a.get("name", "") for a in paper.get("authors") or []],
            year=paper.get("year"), venue=paper.get("venue"), abstract=paper.get("abstract"),
            doi=(paper.get("externalIds") or {}).get("DOI"), arxiv=(paper.get("externalIds") or {}).get("ArXiv"),
            s2=paper.get("paperId"),
            references=[i for i in (_s2_id(r.get("externalIds") or {}) for r in paper.get("references") or []) if i],
        )
    return found


def _record(**fields: Any) -> Record:
    """A cache record of the fields given, text with its spaces folded and empties dropped."""
    record = {}
    for name, value in fields.items():
        if isinstance(value, str):
            value = " ".join(value.split()) or None
        if value not in (None, [], ""):
            record[name] = value
    return record


def _s2_id(external: Mapping[str, Any]) -> str | None:
    if external.get("ArXiv"):
        return identify(f"arXiv:{external['ArXiv']}")
    if external.get("DOI"):
        return doi_id(str(external["DOI"]))
    if external.get("ACL"):
        return f"acl:{external['ACL']}"
    return None


def _doi_of(paper_id: str) -> str:
    """The DOI OpenAlex knows a paper by (arXiv's own DOI for an arXiv paper)."""
    kind, _, value = paper_id.partition(":")
    return f"10.48550/arxiv.{value}" if kind == "arxiv" else value


def _arxiv_of(url: str) -> str | None:
    """``http://arxiv.org/abs/2305.10601v2`` → ``2305.10601``."""
    found = identify(url)
    return found.split(":", 1)[1] if found and found.startswith("arxiv:") else None


def _first(values: Any) -> Any:
    return values[0] if isinstance(values, list) and values else values or None


def _crossref_name(author: Mapping[str, Any]) -> str:
    return " ".join(part for part in (author.get("given"), author.get("family")) if part) or str(author.get("name", ""))


def _bib_name(name: str) -> str:
    family, _, given = name.partition(",")
    return f"{given.strip()} {family.strip()}".strip() if given else name.strip()


def _orcid(value: Any) -> str | None:
    found = re.search(r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]", str(value or ""))
    return found.group(0) if found else None


def _short(value: Any) -> str | None:
    """``https://openalex.org/W2741809807`` → ``W2741809807``."""
    return str(value).rsplit("/", 1)[-1] if value else None


def _strip_tags(text: Any) -> str | None:
    return re.sub(r"<[^>]+>", " ", str(text)) if text else None


def _from_inverted_index(index: Any) -> str | None:
    """OpenAlex gives abstracts as word → positions."""
    if not isinstance(index, dict):
        return None
    words = sorted((position, word) for word, positions in index.items() for position in positions)
    return " ".join(word for _, word in words) or None
