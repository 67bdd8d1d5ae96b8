"""``/robots.txt`` and ``/sitemap.xml``. The sitemap lists the pages the other emitters planned,
so ``plan`` makes it from them (``sitemap_file``) once they are all known; a rebuild that makes
or removes pages makes it again from the URLs it keeps."""

from __future__ import annotations

import hashlib
from functools import partial
from typing import Iterable, Iterator

from ..config import Config
from ..graph import Graph
from ..jsonbytes import compact_json
from ..model import Page, TextFile
from .common import Wanted, everything
from .syndication import robots, sitemap

ROBOTS, SITEMAP = "/robots.txt", "/sitemap.xml"
#: Pages search engines are not pointed to: the error page and redirects to a note's new address.
UNLISTED_KINDS = frozenset({"404", "redirect"})


def emit(graph: Graph, config: Config, wanted: Wanted = everything) -> Iterator[TextFile]:
    if wanted(ROBOTS):
        yield TextFile(ROBOTS, partial(robots, config.absolute_url), "robots")


def listed(page: Page | TextFile) -> bool:
    """Whether the sitemap names the page."""
    return isinstance(page, Page) and page.context.get("kind") not in UNLISTED_KINDS


def sitemap_file(graph: Graph, config: Config, urls: Iterable[str]) -> TextFile:
    """The sitemap of ``urls`` in URL order (the same however the pages were planned), each
    with its note's date when it is a note. Its key is a digest of those, taken here in one
    pass: a site has tens of thousands of pages, each a value to walk for a page key."""
    stamps = {n.url: n.updated or n.date for n in graph.notes}
    entries = tuple((url, stamps.get(url)) for url in sorted(urls))
    listing = compact_json([(url, stamp.value.isoformat(), stamp.precision) if stamp else url for url, stamp in entries])
    key = hashlib.blake2b(listing, digest_size=16).digest()
    return TextFile(SITEMAP, partial(sitemap, entries, config.absolute_url), ("sitemap", key))
