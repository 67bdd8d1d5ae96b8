"""``papernotes build --watch``: the site built into its output folder, then again after each
burst of changes to its notes, templates, static files or config, by one engine kept in memory
between builds (``build.KeptEngine``): a build after an edit reads, plans and writes only what
the edit changed, without loading the last build's state from the cache folder first."""

from __future__ import annotations

import threading
from typing import Callable

from .build import BuildResult, KeptEngine, build
from .serve.watch import Debouncer, watch
from .sitelayout import BuildOptions, SiteLayout

QUIET_SECONDS = 0.2  # how often the loop looks up from waiting (an interrupt is taken at once), and saves the state


def build_on_change(layout: SiteLayout, options: BuildOptions, built: Callable[[BuildResult], None],
                    failed: Callable[[Exception], None], *, poll: bool = False,
                    stop: threading.Event | None = None, watching: Callable[[], None] = lambda: None) -> None:
    """Build the site, then build it again after each burst of changes to its inputs, telling
    ``built`` of each build, until ``stop`` is set or the process is interrupted. The first
    build's errors end it (raised); a later build's unexpected failure is told to ``failed``,
    and the next change builds again from the cache folder. ``watching`` is called once the
    watcher runs, after the first build."""
    kept = KeptEngine()
    changed = threading.Event()
    debouncer = Debouncer(lambda touched: changed.set())
    try:
        built(build(layout, options, kept_engine=kept))
        if kept.engine is not None:
            kept.engine.warm()  # the first edit takes as long as the others
        observer = watch(layout.inputs(), debouncer.poke, poll=poll, ignored=layout.is_output)
        try:
            watching()
            while stop is None or not stop.is_set():
                if not changed.wait(QUIET_SECONDS):
                    kept.save()  # the changes settled: the state kept for a later build of another process
                    continue
                changed.clear()  # a change made while this build runs sets it again: one more build
                try:
                    built(build(layout, options, kept_engine=kept))
                except Exception as exc:  # a half-saved file must not end the watch; the build left the output as it was
                    failed(exc)
        finally:
            debouncer.cancel()
            observer.stop()  # type: ignore[attr-defined]
    finally:
        kept.close()
