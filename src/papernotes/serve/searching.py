"""The preview's search bundle, kept in step with its builds: made after the first build, then
made again after each build in a thread of its own, the bundles whose documents changed alone
(as ``papernotes build`` does), and served from memory once made."""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from dataclasses import replace
from pathlib import Path
from typing import Callable

from .. import output
from ..emit.search import BUNDLE, update_bundle
from ..graph import Graph
from .state import PreviewState

PRINTS = "papers.marshal"  # the papers' document prints, kept beside the bundle between updates


class PreviewSearch:
    """Index each graph ``offer`` hands over, one at a time and the latest first (builds made
    while one is indexed are taken together), into a folder of its own, and serve the bundle
    (``PreviewState.extra_files``); ``close`` stops it and removes the folder. ``built``: the
    search folder a build made (its output's), whose bundles the first index takes where their
    documents are the preview's (after a ``papernotes build``, every one), as a build takes
    those of the output it replaces."""

    def __init__(self, state: PreviewState, echo: Callable[[str], None], built: Path | None = None) -> None:
        self.state, self.echo, self.built = state, echo, built
        self.folder = Path(tempfile.mkdtemp(prefix="papernotes-preview-"))
        self.site = self.folder / "site"
        self._waiting: tuple[Graph, str] | None = None
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._served: dict[str, tuple[tuple[int, int, int], bytes]] = {}  # rel → ((inode, size, time), bytes)
        self._thread = threading.Thread(target=self._run, name="preview search", daemon=True)
        self._thread.start()

    def offer(self, graph: Graph, language: str) -> None:
        """Index ``graph`` (in the site's ``language``) once the bundle being made, if any, is served."""
        with self._lock:
            self._waiting = (graph, language)
        self._wake.set()

    def close(self) -> None:
        """Stop indexing (a running Pagefind is stopped) and remove the folder."""
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=10)
        shutil.rmtree(self.folder, ignore_errors=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait()
            self._wake.clear()
            with self._lock:
                waiting, self._waiting = self._waiting, None
            if waiting is not None and not self._stop.is_set():
                self._update(*waiting)

    def _update(self, graph: Graph, language: str) -> None:
        staging = output.start(self.site)
        try:
            problem = update_bundle(staging, graph, language, cancelled=self._stop, memo=self.folder / PRINTS, spare=self.built)
            if self._stop.is_set():
                output.abandon(staging)
                return
            output.finish(staging)
        except Exception as exc:  # the preview outlives anything its search index can meet
            output.abandon(staging)
            self.echo(f"search index was not updated: {exc!r}")
            return
        if problem:
            self.echo(str(problem))
        self._serve()

    def _serve(self) -> None:
        """Serve the bundle as it now is in the folder: its files read again only when new (a
        bundle kept is hard-linked, so its files keep their inodes)."""
        served: dict[str, tuple[tuple[int, int, int], bytes]] = {}
        for folder, _, names in os.walk(self.site / BUNDLE):
            for name in names:
                path = os.path.join(folder, name)
                stat = os.stat(path)
                stamp = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
                rel = Path(path).relative_to(self.site).as_posix()
                known = self._served.get(rel)
                served[rel] = known if known is not None and known[0] == stamp else (stamp, Path(path).read_bytes())
        self._served = served
        bundle = {rel: data for rel, (_, data) in served.items()}
        state = self.state
        with state.lock:
            files = {rel: data for rel, data in state.snapshot.files.items() if not rel.startswith(f"{BUNDLE}/")}
            state.snapshot = replace(state.snapshot, files={**files, **bundle})
            state.extra_files = bundle
