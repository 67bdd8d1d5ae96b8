"""``papernotes papers fetch``: fill missing arXiv metadata from the arXiv API into the site's
cache file. Builds never touch the network; they read the cache the user commits."""

from __future__ import annotations

import json
import os
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import feedparser

from .papers import identify

ARXIV_API = "https://export.arxiv.org/api/query"
BATCH = 20
USER_AGENT = "papernotes (https://pypi.org/project/papernotes/)"


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
    except (OSError, ValueError, AttributeError):
        return {}


def save_cache(path: Path, papers: dict[str, dict]) -> None:
    """Write the cache atomically, sorted, so a killed fetch leaves a valid file behind."""
    text = json.dumps({"version": 1, "papers": dict(sorted(papers.items()))}, ensure_ascii=False, indent=1, sort_keys=True)
    temporary = path.with_name(path.name + f".tmp-{os.getpid()}")
    temporary.write_text(text + "\n", encoding="utf-8")
    os.replace(temporary, path)


def fetch_arxiv(ids: Iterable[str], cache_path: Path, *, api: str = ARXIV_API, delay: float = 3.0,
                timeout: float = 30.0, progress: Callable[[str], None] = lambda _: None,
                sleep: Callable[[float], None] = time.sleep) -> FetchResult:
    """Fetch metadata for the ``arxiv:`` ids not yet in the cache, ``BATCH`` at a time, waiting
    ``delay`` seconds between requests (arXiv asks for 3); the cache is saved after each batch,
    so an interrupted fetch resumes where it stopped."""
    cache = load_cache(cache_path)
    wanted = sorted({i for i in ids if i.startswith("arxiv:") and i not in cache})
    fetched, failed = 0, 0
    for start in range(0, len(wanted), BATCH):
        batch = wanted[start:start + BATCH]
        if start:
            sleep(delay)
        progress(f"fetching {start + 1}–{start + len(batch)} of {len(wanted)}")
        try:
            found = _query(api, batch, timeout)
        except OSError as exc:
            progress(f"request failed: {exc}; run the command again to resume")
            failed += 1
            continue
        cache.update(found)
        fetched += len(found)
        save_cache(cache_path, cache)
    missing = tuple(i for i in wanted if i not in cache)
    return FetchResult(len(wanted), fetched, missing, failed)


def _query(api: str, batch: list[str], timeout: float) -> dict[str, dict]:
    query = urllib.parse.urlencode({"id_list": ",".join(i.split(":", 1)[1] for i in batch), "max_results": len(batch)})
    request = urllib.request.Request(f"{api}?{query}", headers={"User-Agent": USER_AGENT})
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - the URL is the configured API
        feed = feedparser.parse(response.read())
    found = {}
    for entry in feed.entries:
        arxiv_id = _entry_id(entry.get("id", ""))
        if not arxiv_id or not entry.get("title") or entry.get("title") == "Error":
            continue
        published = entry.get("published", "")
        found[f"arxiv:{arxiv_id}"] = {
            "title": " ".join(entry.title.split()),
            "authors": [a.get("name", "") for a in entry.get("authors", []) if a.get("name")],
            "year": int(published[:4]) if published[:4].isdigit() else None,
            "abstract": " ".join(entry.get("summary", "").split()) or None,
            "venue": entry.get("arxiv_journal_ref") or None,
        }
    return found


def _entry_id(url: str) -> str | None:
    """``http://arxiv.org/abs/2305.10601v2`` → ``2305.10601``."""
    found = identify(url)
    return found.split(":", 1)[1] if found and found.startswith("arxiv:") else None
