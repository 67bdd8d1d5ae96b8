"""Where each kind of page lives: the ``urls:`` patterns of ``papernotes.yaml`` and their defaults.

A pattern is a site path with placeholders (``/tags/{slug}/``, ``/{year}/{month}/``); this
module is the one place that knows them, so an emitter, the graph and the templates agree.
"""

from __future__ import annotations

import dataclasses
import re
import string
from dataclasses import dataclass
from typing import Any, Mapping

from .urls import UnsafeURL, check_url


@dataclass(frozen=True)
class SiteURLs:
    """The URL pattern of every page kind (each note's own is ``permalink``)."""

    tags: str = "/tags/"
    tag: str = "/tags/{slug}/"
    papers: str = "/papers/"
    paper: str = "/papers/{slug}/"
    papers_read: str = "/papers/read/"
    papers_published: str = "/papers/published/"
    bibliography: str = "/papers.bib"
    authors: str = "/authors/"
    author: str = "/authors/{slug}/"
    venues: str = "/venues/"
    venue: str = "/venues/{slug}/"
    archive: str = "/archive/"
    year: str = "/{year}/"
    month: str = "/{year}/{month}/"
    graph: str = "/graph/"
    graph_json: str = "/graph.json"
    search: str = "/search/"
    feed: str = "/feed.xml"
    json_feed: str = "/feed.json"

    def fixed_pages(self) -> dict[str, str]:
        """The page kinds at one URL each (no ``{slug}``, ``{year}``), by URL: what no note's
        page may take (``/tags/`` → ``tags``)."""
        return {url: name for name, url in vars(self).items() if isinstance(url, str) and "{" not in url}

    @property
    def csl_json(self) -> str:
        """The CSL-JSON twin of ``bibliography`` (``/papers.bib`` → ``/papers.csl.json``)."""
        return self.bibliography.removesuffix(".bib") + ".csl.json"

    def of_tag(self, slug: str) -> str:
        return self.tag.format(slug=slug)

    def of_paper(self, slug: str) -> str:
        return self.paper.format(slug=slug)

    def of_shelf(self, kind: str, slug: str) -> str:
        """An author's (``kind="author"``) or a venue's page."""
        return (self.author if kind == "author" else self.venue).format(slug=slug)

    def of_year(self, year: int) -> str:
        return self.year.format(year=f"{year:04d}")

    def of_month(self, year: int, month: int) -> str:
        return self.month.format(year=f"{year:04d}", month=f"{month:02d}")

    def fixed(self) -> frozenset[str]:
        """The URLs of pages every site has, which a note's permalink cannot take."""
        patterns = (getattr(self, f.name) for f in dataclasses.fields(self))
        return frozenset({*(p for p in patterns if "{" not in p), self.csl_json, *SITE_FILES})


#: Files with a fixed name that hosts and crawlers look for.
SITE_FILES = frozenset({"/", "/404.html", "/sitemap.xml", "/robots.txt", "/_redirects"})

#: The placeholders each pattern must hold (and may hold): the others take none.
PLACEHOLDERS: Mapping[str, frozenset[str]] = {
    "tag": frozenset({"slug"}), "paper": frozenset({"slug"}), "author": frozenset({"slug"}),
    "venue": frozenset({"slug"}), "year": frozenset({"year"}), "month": frozenset({"year", "month"}),
}
_EXAMPLE = {"slug": "example", "year": "2024", "month": "01"}
#: Files whose name says what they are: their URL must keep the extension.
_SUFFIXES = {"graph_json": ".json", "feed": ".xml", "json_feed": ".json", "bibliography": ".bib"}


def site_urls(value: Any) -> tuple[SiteURLs, list[tuple[str, str]]]:
    """The patterns of a ``urls:`` mapping over the defaults, and ``(key, problem)`` for every
    pattern refused (unknown kind, unknown or missing placeholder, a path that could leave the
    output folder); a refused pattern keeps its default."""
    if not isinstance(value, Mapping):
        return SiteURLs(), [("", "must map page kinds to URL patterns such as tag: /topics/{slug}/")]
    kinds = {f.name for f in dataclasses.fields(SiteURLs)}
    chosen: dict[str, str] = {}
    problems: list[tuple[str, str]] = []
    for key, pattern in value.items():
        key = str(key)
        if key not in kinds:
            problems.append((key, f"is no page kind (known: {', '.join(sorted(kinds))})"))
        elif not isinstance(pattern, str):
            problems.append((key, "must be a URL pattern such as /tags/{slug}/"))
        elif (problem := pattern_problem(key, pattern)) is not None:
            problems.append((key, problem))
        else:
            chosen[key] = pattern
    return SiteURLs(**chosen), problems


def pattern_problem(kind: str, pattern: str) -> str | None:
    """Why ``pattern`` cannot be the URL of ``kind``, or None."""
    if not pattern.startswith("/"):
        return f"{pattern!r} must start with '/'"
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}
    except ValueError as exc:
        return f"{pattern!r} is not a pattern: {exc}"
    allowed = PLACEHOLDERS.get(kind, frozenset())
    if unknown := sorted(names - allowed):
        takes = ", ".join("{" + n + "}" for n in sorted(allowed)) or "no placeholder"
        return f"{pattern!r} has unknown placeholder {{{unknown[0]}}} ({kind} takes {takes})"
    if missing := sorted(allowed - names):
        return f"{pattern!r} must contain {{{missing[0]}}}"
    if kind in _SUFFIXES and not pattern.endswith(_SUFFIXES[kind]):
        return f"{pattern!r} must end in {_SUFFIXES[kind]}"
    if kind not in _SUFFIXES and not pattern.endswith("/"):
        return f"{pattern!r} must end with '/' (it is a page)"
    example = re.sub(r"/{2,}", "/", pattern.format(**{n: _EXAMPLE[n] for n in names}))
    try:
        check_url(example)
    except UnsafeURL as exc:
        return str(exc)
    return None
