"""Check a written site: every internal ``href``/``src`` resolves to a file (and anchor) in it."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterable
from urllib.parse import unquote, urldefrag, urljoin, urlsplit


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


class _LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.empty: list[str] = []  # ``<a href="">``, ``<img>`` without a source: broken wherever they are
        self.must_be_absolute: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("id", "name") if tag == "a" else ("id",):
            if values.get(name):
                self.ids.add(values[name] or "")
        if tag == "img" and not (values.get("src") or "").strip() and not (values.get("srcset") or "").strip():
            self.empty.append("<img> without a source" if "src" not in values else '<img src="">')
        if tag == "meta" and values.get("property", values.get("name")) in _ABSOLUTE_META:
            self.must_be_absolute.append((str(values.get("property", values.get("name"))), values.get("content") or ""))
        if tag == "link" and values.get("rel") == "canonical":
            self.must_be_absolute.append(("canonical", values.get("href") or ""))
        for name in ("href", "src"):
            value = values.get(name)
            if value is not None and not value.strip() and not (tag == "img" and name == "src"):
                self.empty.append(f'<{tag} {name}="">')
            if value and not (tag == "link" and values.get("rel") in ("canonical", "alternate") and "://" in value):
                self.links.append(value)


def check_site(out_dir: Path, base_path: str = "/") -> CheckResult:
    """Every HTML page of ``out_dir`` with its internal links checked; ``base_path`` is the
    path the site is served under (``/notes/`` for ``https://user.github.io/notes/``)."""
    out_dir = out_dir.resolve()
    pages = sorted(out_dir.rglob("*.html"))
    parsed: dict[Path, _LinkParser] = {}
    for page in pages:
        parser = _LinkParser()
        parser.feed(page.read_text(encoding="utf-8", errors="replace"))
        parsed[page] = parser
    broken: list[BrokenLink] = []
    external: set[str] = set()
    count = 0
    for page, parser in parsed.items():
        page_url = base_path + page.relative_to(out_dir).as_posix()
        for element in parser.empty:
            count += 1
            broken.append(BrokenLink(page.relative_to(out_dir).as_posix(), element, "empty link"))
        for link in parser.links:
            count += 1
            problem = _resolve(link, page_url, out_dir, base_path, parsed, external)
            if problem:
                broken.append(BrokenLink(page.relative_to(out_dir).as_posix(), link, problem))
    relative = [f"{page.relative_to(out_dir).as_posix()}: {where} is not an absolute URL ({value!r})"
                for page, parser in parsed.items() for where, value in parser.must_be_absolute if not _absolute(value)]
    return CheckResult(len(pages), count, tuple(broken), tuple(sorted(external)), (*relative, *_relative_in_files(out_dir)))


_ABSOLUTE_META = ("og:url", "og:image", "twitter:image")
_XML_URL = re.compile(r"<(id|loc|uri)>([^<]*)</\1>|<link\b[^>]*\bhref=\"([^\"]*)\"")


def _absolute(value: str) -> bool:
    return "://" in value or value.startswith(("urn:", "tag:", "mailto:"))


def _relative_in_files(out_dir: Path) -> list[str]:
    """Relative URLs where readers need absolute ones: Atom ids and links, sitemap ``<loc>``,
    JSON Feed URLs and robots.txt's ``Sitemap:``."""
    found = []
    for path in sorted(out_dir.rglob("*.xml")):
        for match in _XML_URL.finditer(path.read_text(encoding="utf-8", errors="replace")):
            value = match.group(2) if match.group(1) else match.group(3)
            if value and not _absolute(value):
                where = f"<{match.group(1)}>" if match.group(1) else "<link href>"
                found.append(f"{path.relative_to(out_dir).as_posix()}: {where} is not an absolute URL ({value!r})")
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


def _resolve(link: str, page_url: str, out_dir: Path, base_path: str,
             parsed: dict[Path, _LinkParser], external: set[str]) -> str | None:
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
    target = out_dir / path[len(base_path):]
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    if not target.is_file():
        return "no such file"
    if fragment and target.suffix == ".html":
        ids = parsed[target.resolve()].ids if target.resolve() in parsed else set()
        if unquote(fragment) not in ids:
            return f"no element with id {fragment!r}"
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
