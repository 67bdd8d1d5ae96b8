"""Stopping a command politely: SIGTERM (and SIGHUP, a closed terminal) raised as
``KeyboardInterrupt`` in the main thread, so that a build stopped by ``kill``, a CI timeout or a
service manager cleans up as one stopped with Ctrl-C does (its staging and scratch folders
removed, its search documents in ``/dev/shm`` with them)."""

from __future__ import annotations

import contextlib
import signal
import threading
from typing import Iterator

SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


@contextlib.contextmanager
def stopped_as_interrupted() -> Iterator[None]:
    """While inside, SIGTERM and SIGHUP raise ``KeyboardInterrupt`` (in the main thread only:
    elsewhere signals cannot be handled, and nothing changes)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {number: signal.signal(number, interrupt) for number in SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def interrupt(signum: int, frame: object) -> None:
    """Stop the worker processes this one started (they would finish their share of the pages
    before the build could clean up), then this one."""
    import multiprocessing  # here: loaded already wherever a pool was started

    for child in multiprocessing.active_children():
        child.kill()  # they hold nothing to clean up: their writes are in the folders this one removes
    raise KeyboardInterrupt
