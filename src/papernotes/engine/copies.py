"""The files a build copies as they are (the images and attachments notes use, the theme's and
the site's static files), each read and written again only when its source changed since the
build that copied it or the output no longer holds what that build left: a vault of a few
thousand images is not read again, and compared with the output, after every edit of a note.

A source counts as unchanged by its path, size and modification time; one modified within
``RACY_SECONDS`` of its copy is copied again next time, as the up-to-date check hashes such a
file, since a second change in the same clock tick would not show."""

from __future__ import annotations

import os
import time
from typing import Iterable, Mapping

from ..filedigests import read_regular
from ..sitefiles import RACY_SECONDS
from .pages import Sink

Source = tuple[str, int, int]  # (path, size, modification time in nanoseconds) of a file copied
Stamp = tuple[int, int]  # (size, modification time in nanoseconds) of an output file


class Copies:
    """The sources of the files the last build copied, by the output file each became."""

    def __init__(self, copied: Mapping[str, Source] | None = None) -> None:
        self.copied: dict[str, Source] = dict(copied or {})

    def copy(self, sink: Sink, files: Iterable[tuple[str, str]], stamps: Mapping[str, Stamp],
             looked: Mapping[str, Stamp]) -> None:
        """Put each ``(rel, source path)`` of ``files`` into ``sink``: as the last build left it
        when the source is as it was then and the sink still holds that file (``stamps``: the
        output files as the last build left them), else read anew. ``looked``: the size and time
        of sources this build looked at already (the images the notes may name), by path.
        What was copied is remembered for the next build, instead of what the last one copied."""
        settled = time.time_ns() - int(RACY_SECONDS * 1e9)
        copied: dict[str, Source] = {}
        for rel, path in files:
            size, mtime = looked.get(path) or _stamp(os.stat(path))
            source = (path, size, mtime)
            if self.copied.get(rel) != source or not _kept(sink, rel, stamps.get(rel)):
                sink.write(rel, read_regular(path))
                if mtime >= settled:
                    continue
            copied[rel] = source
        self.copied = copied


def _stamp(stat: os.stat_result) -> Stamp:
    return stat.st_size, stat.st_mtime_ns


def _kept(sink: Sink, rel: str, stamp: Stamp | None) -> bool:
    """Keep at ``rel`` the file the last build put there: on disk while it has the ``stamp`` it
    was left with, in the preview's memory while the memory holds it."""
    if stamp is not None and sink.reuse(rel, stamp):
        return True
    held = sink.last(rel, stamp or (0, 0))
    if isinstance(held, bytes):
        sink.write(rel, held)
        return True
    return False
