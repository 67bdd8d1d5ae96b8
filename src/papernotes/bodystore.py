"""Keep note bodies in a file instead of memory while a large site builds.

A 100,000-note site holds about 1.5 GB of rendered HTML; each body is written once to the
store as it is read and read back when its page (or a full-content feed) is rendered. The
file has no name (it is removed as soon as it is made), so nothing is left behind, and it
lives as long as a note refers to it; forked render workers read it through the same handle.
"""

from __future__ import annotations

import copy
import hashlib
import os
import tempfile
from dataclasses import replace
from pathlib import Path

from .model import Note, StoredText


class BodyStore:
    """An append-only, nameless file of note bodies."""

    def __init__(self, folder: Path | None = None) -> None:
        self._file = tempfile.TemporaryFile(prefix="papernotes-bodies-", dir=folder)

    def keep(self, note: Note) -> Note:
        """The note with its body HTML moved to the store; it still equals the note it was."""
        if not isinstance(note.body.stored, str):
            return note
        data = note.body.stored.encode("utf-8")
        offset = self._file.tell()
        self._file.write(data)
        moved = copy.copy(note)  # not replace(): the digest, taken of the content, stays as it is
        object.__setattr__(moved, "body", replace(note.body, stored=StoredText(self, offset, len(data), hashlib.blake2b(data, digest_size=16).digest())))
        return moved

    def flush(self) -> None:
        """Make what was kept readable (bodies are read with ``read``, not through the buffer)."""
        self._file.flush()

    def read(self, offset: int, length: int) -> bytes:
        return os.pread(self._file.fileno(), length, offset)

    @staticmethod
    def available() -> bool:
        return hasattr(os, "pread")
