"""Pausing Python's cycle collector while a stage makes many objects that outlive it."""

from __future__ import annotations

import contextlib
import gc
from typing import Iterator


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """The cycle collector waits meanwhile (and runs again after, if it ran before): every
    collection would walk the young objects again, though they all live on."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
