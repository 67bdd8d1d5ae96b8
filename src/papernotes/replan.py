"""Plan again only the pages an edit affects: a long-lived process (the preview server) keeps
the previous plan and, for every note and paper, the pages whose context holds it.

A page whose context holds no note or paper (the sitemap, graph.json, the search page) is made
from the graph's shape alone, which an edit handled here leaves as it was (``graph.note_shape``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Iterable, Mapping

from .config import Config
from .graph import Graph
from .model import Note, Page, TextFile
from .emit import plan_pages
from .papers.papergraph import Paper

Planned = Page | TextFile


@dataclass
class PlanMemo:
    """The previous build's pages by URL (in plan order) and who depends on what."""

    setup: object = None
    pages: dict[str, Planned] = field(default_factory=dict)
    dependents: dict[str, set[str]] = field(default_factory=dict)


def plan_memoized(graph: Graph, config: Config, memo: PlanMemo, setup: object,
                  changed: frozenset[str] | None) -> tuple[Iterable[Planned], set[str] | None]:
    """Every page of the site, and the URLs planned again (None: all). Only the pages that hold a
    ``changed`` note or paper are planned again when ``setup`` (config and templates) and the
    site's shape are what they were."""
    if changed is None or setup != memo.setup or not memo.pages:
        planned = list(plan_pages(graph, config))
        memo.pages, memo.dependents = {page.url: page for page in planned}, {}
        memo.setup = setup if len(memo.pages) == len(planned) else None  # two pages on one URL: plan all each time
        for page in planned:
            for key in dependencies(page):
                memo.dependents.setdefault(key, set()).add(page.url)
        return planned, None
    affected = set().union(*(memo.dependents.get(key, ()) for key in changed))
    for page in plan_pages(graph, config, only=affected):
        memo.pages[page.url] = page
    return memo.pages.values(), affected


def dependencies(page: Planned) -> set[str]:
    """``note:ID`` and ``paper:ID`` of every note and paper the page is drawn from."""
    found: set[str] = set()
    _collect(page.context if isinstance(page, Page) else page.key, found)
    return found


def _collect(value: object, found: set[str]) -> None:
    if isinstance(value, (str, int, float, bytes, type(None))):
        return
    if isinstance(value, Note):
        found.add("note:" + value.id)
    elif isinstance(value, Paper):
        found.add("paper:" + value.id)
    elif isinstance(value, (tuple, list, set, frozenset)):
        for item in value:
            _collect(item, found)
    elif isinstance(value, Mapping):
        for item in value.values():
            _collect(item, found)
    elif dataclasses.is_dataclass(value):
        for item in dataclasses.fields(value):
            _collect(getattr(value, item.name), found)
