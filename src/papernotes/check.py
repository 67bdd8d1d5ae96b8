"""Check a written site: every internal ``href``/``src`` resolves to a file (and anchor) in it.

Pages are read by Lexbor (``selectolax``), an HTML5 parser in C, as a browser reads them: only
the elements that link or can be linked to are looked at. Each link is resolved once for every
page it is found on that would resolve it alike (a root-relative link once for the whole site).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from .interrupt import left_when_stopped


@dataclass(frozen=True)
class BrokenLink:
    page: str
    target: str
    reason: str

    def __str__(self) -> str:
        return f"{self.page}: broken link → {self.target} ({self.reason})"


@dataclass(frozen=True)
class CheckResult:
    pages: int
    links: int
    broken: tuple[BrokenLink, ...]
    external: tuple[str, ...]
    relative: tuple[str, ...] = ()  # places that need an absolute URL (feeds, sitemap, social tags)


@dataclass
class _Page:
    """What a page links to and can be linked to by."""

    links: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    empty: list[str] = field(default_factory=list)  # ``<a href="">``, ``<img>`` without a source: broken wherever they are
    must_be_absolute: list[tuple[str, str]] = field(default_factory=list)


#: The elements a page's check looks at (a node matching several is given once for each).
_LOOKED_AT = "[href], [src], [id], a[name], img, meta, link"


def _read_page(html: str) -> _Page:
    """The links, ids, empty sources and URLs that must be absolute of one page, in page order."""
    page = _Page()
    seen: set[int] = set()
    for node in LexborHTMLParser(html).css(_LOOKED_AT):
        if node.mem_id in seen:
            continue
        seen.add(node.mem_id)
        tag, values = node.tag, node.attributes
        for name in ("id", "name") if tag == "a" else ("id",):
            if values.get(name):
                page.ids.add(values[name] or "")
        if tag == "img" and not (values.get("src") or "").strip() and not (values.get("srcset") or "").strip():
            page.empty.append("<img> without a source" if "src" not in values else '<img src="">')
        if tag == "meta" and values.get("property", values.get("name")) in _ABSOLUTE_META:
            page.must_be_absolute.append((str(values.get("property", values.get("name"))), values.get("content") or ""))
        if tag == "link" and values.get("rel") == "canonical":
            page.must_be_absolute.append(("canonical", values.get("href") or ""))
        for name in ("href", "src"):
            value = values.get(name)
            if value is not None and not value.strip() and not (tag == "img" and name == "src"):
                page.empty.append(f'<{tag} {name}="">')
            if value and not (tag == "link" and values.get("rel") in ("canonical", "alternate") and "://" in value):
                page.links.append(value)
    return page


PARALLEL_PAGES = 400  # below this many pages, reading them in one process is as fast


def _read_pages(pages: list[Path], workers: int) -> Iterable[_Page]:
    """What each of ``pages`` holds, in order, read in ``workers`` forked processes when there
    are many."""
    if workers < 2 or len(pages) < PARALLEL_PAGES:
        return map(_read_file, pages)
    import multiprocessing  # here: a small site starts no pool
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
    with contextlib.suppress(BrokenProcessPool), left_when_stopped(pool):  # a worker killed (out of memory): read here
        return list(pool.map(_read_file, pages, chunksize=max(1, len(pages) // (workers * 8))))
    return map(_read_file, pages)


def _read_file(path: Path) -> _Page:
    return _read_page(path.read_text(encoding="utf-8", errors="replace"))


def check_site(out_dir: Path, base_path: str = "/", workers: int | None = None) -> CheckResult:
    """Every HTML page of ``out_dir`` with its internal links checked; ``base_path`` is the
    path the site is served under (``/notes/`` for ``https://user.github.io/notes/``). The
    pages of a large site are read by ``workers`` processes (default: one per core)."""
    out_dir = out_dir.resolve()
    pages = sorted(out_dir.rglob("*.html"))
    parsed = {os.fspath(page): read for page, read in zip(pages, _read_pages(pages, workers or os.cpu_count() or 1))}
    broken: list[BrokenLink] = []
    external: set[str] = set()
    resolved: dict[tuple[str, str], str | None] = {}  # by the page URL or folder a link resolves against
    files = _Files()
    folder_of_site = os.fspath(out_dir)
    count = 0
    relative = []
    for page, read in zip(pages, parsed.values()):
        rel = page.relative_to(out_dir).as_posix()
        page_url = base_path + rel
        folder = page_url.rpartition("/")[0]
        count += len(read.empty) + len(read.links)
        broken.extend(BrokenLink(rel, element, "empty link") for element in read.empty)
        for link in read.links:
            if link.startswith("#"):  # a section of this very page
                problem = _no_section(link[1:], read)
            else:
                against = "" if link.startswith("/") or _SCHEME.match(link) else page_url if link.startswith("?") else folder
                key = (against, link)
                if key not in resolved:
                    resolved[key] = _resolve(link, page_url, folder_of_site, base_path, parsed, external, files)
                problem = resolved[key]
            if problem:
                broken.append(BrokenLink(rel, link, problem))
        relative += [f"{rel}: {where} is not an absolute URL ({value!r})" for where, value in read.must_be_absolute
                     if not _absolute(value)]
    return CheckResult(len(pages), count, tuple(broken), tuple(sorted(external)), (*relative, *_relative_in_files(out_dir)))


_ABSOLUTE_META = ("og:url", "og:image", "twitter:image")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")  # as ``urlsplit`` tells a scheme: such a link leaves the page aside
_XML_URL = re.compile(r"<(id|loc|uri)>([^<]*)</\1>|<link\b[^>]*\bhref=\"([^\"]*)\"")


def _absolute(value: str) -> bool:
    return "://" in value or value.startswith(("urn:", "tag:", "mailto:"))


def _relative_in_files(out_dir: Path) -> list[str]:
    """Relative URLs where readers need absolute ones: Atom ids and links, sitemap ``<loc>``,
    JSON Feed URLs and robots.txt's ``Sitemap:``."""
    found = []
    for path in sorted(out_dir.rglob("*.xml")):
        rel = path.relative_to(out_dir).as_posix()
        for match in _XML_URL.finditer(path.read_text(encoding="utf-8", errors="replace")):
            value = match.group(2) if match.group(1) else match.group(3)
            if value and not _absolute(value):
                where = f"<{match.group(1)}>" if match.group(1) else "<link href>"
                found.append(f"{rel}: {where} is not an absolute URL ({value!r})")
    for path in sorted(out_dir.rglob("feed.json")):
        try:
            feed = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            continue
        for key, value in _json_urls(feed):
            if not _absolute(value):
                found.append(f"{path.relative_to(out_dir).as_posix()}: {key} is not an absolute URL ({value!r})")
    robots = out_dir / "robots.txt"
    if robots.is_file():
        for line in robots.read_text(encoding="utf-8", errors="replace").splitlines():
            name, _, value = line.partition(":")
            if name.strip().lower() == "sitemap" and not _absolute(value.strip()):
                found.append(f"robots.txt: Sitemap is not an absolute URL ({value.strip()!r})")
    return found


def _json_urls(feed: object) -> Iterable[tuple[str, str]]:
    if not isinstance(feed, dict):
        return
    for key in ("home_page_url", "feed_url"):
        if isinstance(feed.get(key), str):
            yield key, feed[key]
    for item in feed.get("items", ()) if isinstance(feed.get("items"), list) else ():
        if isinstance(item, dict) and isinstance(item.get("url"), str):
            yield "items[].url", item["url"]


class _Files:
    """The output folder's files as a check looks at them: each path's kind and real path
    looked up once (a page's links to its own sections all look at that page)."""

    def __init__(self) -> None:
        self._kinds: dict[str, tuple[bool, bool]] = {}
        self._real: dict[str, str] = {}

    def kind(self, path: str) -> tuple[bool, bool]:
        """Whether ``path`` is a folder, and whether it is a file."""
        found = self._kinds.get(path)
        if found is None:
            found = self._kinds[path] = (os.path.isdir(path), os.path.isfile(path))
        return found

    def real(self, path: str) -> str:
        found = self._real.get(path)
        if found is None:
            found = self._real[path] = os.path.realpath(path)
        return found


def _no_section(fragment: str, page: _Page) -> str | None:
    """Why a link to the section ``fragment`` of ``page`` is broken (None: it is not)."""
    return f"no element with id {fragment!r}" if fragment and unquote(fragment) not in page.ids else None


def _resolve(link: str, page_url: str, out_dir: str, base_path: str,
             parsed: dict[str, _Page], external: set[str], files: _Files) -> str | None:
    """Why ``link`` on the page at ``page_url`` is broken (None: it is not, or it leaves the
    site and is added to ``external``); ``parsed``: every page read, by its real path."""
    parts = urlsplit(link)
    if parts.scheme in ("mailto", "tel", "data", "javascript"):
        return None
    if parts.scheme or parts.netloc:
        external.add(link)
        return None
    absolute, fragment = urldefrag(urljoin(page_url, link))
    path = unquote(urlsplit(absolute).path)
    if not path.startswith(base_path):
        return f"outside the site's base path {base_path}"
    target = os.path.join(out_dir, path[len(base_path):])
    if path.endswith("/") or files.kind(target)[0]:
        target = os.path.join(target, "index.html")
    if not files.kind(target)[1]:
        return "no such file"
    if fragment and os.path.splitext(target)[1] == ".html":
        real = files.real(target)
        return _no_section(fragment, parsed[real] if real in parsed else _Page())
    return None


def fetch_external(urls: Iterable[str], timeout: float = 10.0, workers: int = 8) -> list[tuple[str, str]]:
    """(url, problem) for each external link that does not answer 2xx/3xx; at most ``workers``
    requests at a time, each given ``timeout`` seconds (HEAD first, then GET)."""
    def probe(url: str) -> tuple[str, str] | None:
        for method in ("HEAD", "GET"):
            request = urllib.request.Request(url, method=method, headers={"User-Agent": "papernotes-check"})
            try:
                with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - links of the site
                    if response.status < 400:
                        return None
                    problem = f"HTTP {response.status}"
            except urllib.error.HTTPError as exc:
                problem = f"HTTP {exc.code}"
                if exc.code in (405, 501) and method == "HEAD":
                    continue
            except (urllib.error.URLError, OSError, ValueError) as exc:
                problem = str(getattr(exc, "reason", exc))
            return url, problem
        return url, problem

    with ThreadPoolExecutor(workers) as pool:
        return [found for found in pool.map(probe, sorted(set(urls))) if found]
