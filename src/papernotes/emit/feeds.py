"""Feeds: Atom and JSON Feed of the whole site with full content, and a summary-only Atom feed
per tag (``feed.xml`` under the tag's page)."""

from __future__ import annotations

from functools import partial
from typing import Iterator

from ..config import Config
from ..graph import Graph
from ..model import TextFile
from .common import Wanted, everything
from .syndication import atom_feed, json_feed


def emit(graph: Graph, config: Config, wanted: Wanted = everything) -> Iterator[TextFile]:
    size = config.feed_size
    newest = graph.notes[:size]
    site, json = config.urls.feed, config.urls.json_feed
    if wanted(site):
        yield TextFile(site, partial(atom_feed, newest, config, title=config.title, page_url="/", feed_url=site,
                                     absolute=config.absolute_url), ("atom", newest))
    if wanted(json):
        yield TextFile(json, partial(json_feed, newest, config, feed_url=json, absolute=config.absolute_url), ("json", newest))
    for group in graph.tags:
        if not wanted(f"{group.tag.url}feed.xml"):
            continue
        notes = group.notes[:size]
        yield TextFile(f"{group.tag.url}feed.xml", partial(
            atom_feed, notes, config, title=f"{config.title}: #{group.tag.name}", page_url=group.tag.url,
            feed_url=f"{group.tag.url}feed.xml", absolute=config.absolute_url, full_content=False), (group.tag, notes))
