"""Tag pages: the index of tags and one paginated list per tag (of ``LIST_PAGES`` at most, then a
page listing all the tag's notes by date); the tag's feed is made with the other feeds, in
``feeds``."""

from __future__ import annotations

from typing import Iterator

from ..config import Config
from ..graph import Graph, group_dates
from ..model import Page
from .common import LIST_PAGES, Wanted, everything, paginated


def emit(graph: Graph, config: Config, wanted: Wanted = everything) -> Iterator[Page]:
    if wanted(config.urls.tags):
        yield Page(config.urls.tags, "tags.html", {"title": "Tags", "tags": graph.tags, "kind": "tags"})
    for group in graph.tags:
        every = f"{group.tag.url}all/"
        yield from paginated(group.tag.url, f"Tagged “{group.tag.name}”", group.notes, config.page_size, wanted,
                             most=LIST_PAGES, rest=(every, f"All notes tagged #{group.tag.name}"), kind="tag", tag=group.tag)
        if len(group.notes) > LIST_PAGES * config.page_size and wanted(every):
            years, undated = group_dates(group.notes)
            yield Page(every, "archive.html", {"title": f"All notes tagged “{group.tag.name}”", "kind": "tag-archive",
                                               "years": years, "undated": undated, "tag": group.tag})
