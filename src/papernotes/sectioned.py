"""Text files made of sections, each known by a digest of what it is made from: a build that has
the file it wrote last time copies from it every section whose digest is one it wrote there,
and makes only the others. After a tag edit, graph.json makes again the nodes and tags of the
few hundred notes around the edited one and copies its tens of thousands of other nodes and
edges.

A section's bytes are the same whatever surrounds it: the separator joining it to the section
before (a comma between runs of one array's items) is written between them, not held by either.
"""

from __future__ import annotations

import hashlib
import operator
import zlib
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Protocol, Sequence, TypeVar

Place = tuple[bytes, int, int]  # a section's digest, and the offset and length of its bytes in the file written
Item = TypeVar("Item")

RUN = 256  # the items of a run (``runs``), on average


class Written(Protocol):
    """A file as last written: its bytes, or a way to read parts of it (``output.LastFile``),
    which gives fewer bytes than asked for once the file is no longer as it was written."""

    def __len__(self) -> int: ...

    def __getitem__(self, part: slice, /) -> bytes: ...


@dataclass(frozen=True)
class Section:
    """Bytes that ``make`` gives (in pieces) from what ``digest`` digests: equal digests, equal bytes."""

    digest: bytes
    make: Callable[[], Iterable[bytes]]


@dataclass(frozen=True)
class Sectioned:
    """A file of literal bytes and sections, in order; two sections with bytes and no literal
    between them are joined by ``separator``."""

    parts: tuple[bytes | Section, ...]
    separator: bytes = b""

    def pieces(self, last: Written | None = None, places: Sequence[Place] = (),
               record: list[Place] | None = None) -> Iterator[bytes]:
        """The file in pieces: each section whose digest is among ``places`` (where the
        sections of ``last``, the file as last written, are) copied from there, the others
        made; ``record`` hears where each section goes in this file."""
        copies = LastSections(last, places)
        offset, joined = 0, False
        for part in self.parts:
            if isinstance(part, bytes):
                yield part
                offset, joined = offset + len(part), False
                continue
            copied = copies.get(part.digest)
            made = (copied,) if copied is not None else part.make()
            start, length = None, 0
            for piece in made:
                if not piece:
                    continue
                if start is None:
                    if joined:
                        yield self.separator
                        offset += len(self.separator)
                    start = offset
                yield piece
                offset, length = offset + len(piece), length + len(piece)
            joined = joined or start is not None
            if record is not None:
                record.append((part.digest, offset if start is None else start, length))


class LastSections:
    """The sections of a file as last written (``last``) at ``places`` there, each one's bytes
    by its digest while the file still holds them whole."""

    def __init__(self, last: Written | None, places: Sequence[Place]) -> None:
        self._last = last
        self._known = {digest: (start, length) for digest, start, length in places
                       if last is not None and start + length <= len(last)}

    def get(self, digest: bytes) -> bytes | None:
        """The bytes of the section ``digest`` in the last file; None when it has none, or no longer."""
        found = self._known.get(digest)
        if found is None or self._last is None:
            return None
        start, length = found
        data = self._last[start:start + length]
        return data if len(data) == length else None


def digest(*pieces: bytes | str) -> bytes:
    """A digest of ``pieces`` one after another, each after its length."""
    hasher = hashlib.blake2b(digest_size=16)
    for piece in pieces:
        data = piece.encode("utf-8", "surrogatepass") if isinstance(piece, str) else piece
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.digest()


def runs(items: Iterable[Item], name: Callable[[Item], str], average: int = RUN) -> Iterator[list[Item]]:
    """``items`` cut into runs, one ending after each item whose ``name`` hashes to a multiple
    of ``average``: where a run ends depends on its own items alone, so an item added or
    removed changes its run and leaves every other as it was."""
    items = list(items)
    return cut(items, map(zlib.crc32, map(_ENCODED, map(name, items))), average)  # hashed in C, item by item


def cut(items: list[Item], marks: Iterable[int], average: int = RUN) -> Iterator[list[Item]]:
    """``items`` cut into runs, one ending after each item whose mark (one for each item, a hash
    of what it is, such as the digest of a note's id) is a multiple of ``average``."""
    start = 0
    for end, mark in enumerate(marks, 1):
        if not mark % average:
            yield items[start:end]
            start = end
    if start < len(items):
        yield items[start:]


_ENCODED = operator.methodcaller("encode", "utf-8", "surrogatepass")
