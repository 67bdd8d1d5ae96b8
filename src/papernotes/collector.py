"""Pausing Python's cycle collector while a stage makes many objects that outlive it, or
letting it run less often."""

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


#: Container objects made, less those freed, between two collections of the youngest: Python's
#: 700 has a build collect every few thousand objects a page's rendering makes and drops.
YOUNG_OBJECTS = 10_000


@contextlib.contextmanager
def seldom() -> Iterator[None]:
    """The cycle collector runs meanwhile once ``YOUNG_OBJECTS`` more are alive rather than
    700: most of a build's objects die young, before a collection looks at them (a deletion at
    10,000 notes: the collector's time 50 -> 18 ms; those that live on are walked all the same)."""
    thresholds = gc.get_threshold()
    gc.set_threshold(max(YOUNG_OBJECTS, thresholds[0]), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
