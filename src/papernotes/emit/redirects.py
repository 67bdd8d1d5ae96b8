"""Redirects from a note's old addresses (path-like ``aliases`` and ``redirect_from``): an HTML
page at each old URL, and ``/_redirects`` for hosts that read one (Netlify, Cloudflare Pages)."""

from __future__ import annotations

from functools import partial
from typing import Iterable, Iterator

from ..config import Config
from ..graph import Graph
from ..model import Note, Page, TextFile
from ..urls import UnsafeURL, check_url
from .common import Wanted, everything

HOST_FILE = "/_redirects"


def emit(graph: Graph, config: Config, wanted: Wanted = everything) -> Iterator[Page | TextFile]:
    for old, note in redirects(graph.notes):
        if wanted(old):
            yield Page(old, "redirect.html", {"title": note.title, "kind": "redirect", "note": note})
    if wanted(HOST_FILE):
        lines = "".join(f"{config.url(old)} {config.url(note.url)} 301\n" for old, note in redirects(graph.notes))
        yield TextFile(HOST_FILE, partial(str, lines), lines)


def redirects(notes: Iterable[Note]) -> Iterator[tuple[str, Note]]:
    """(old URL, note) for every alias or ``redirect_from`` that is a path (``/2019/01/x.html``);
    aliases that are names (``Chinchilla``) only serve wikilinks."""
    for note in notes:
        if not note.aliases and "redirect_from" not in note.meta:
            continue
        for alias in (*note.aliases, *_as_strings(note.meta.get("redirect_from"))):
            if alias.startswith("/") or alias.endswith((".html", ".htm")):
                try:
                    old = check_url(alias)
                except UnsafeURL:
                    continue
                if old != note.url:
                    yield old, note


def _as_strings(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value) if isinstance(value, (list, tuple)) else ()
