"""The digests of a site's input files by their size and time, as git's index keeps them: a file
found with a new time but its old size is hashed and compared, rather than built.

Kept in the cache folder by folder: each folder's file names (joined by NUL), their (size, time)
pairs and their digests, packed into bytes, so that loading the digests of 10,000 notes makes a
handful of objects rather than tens of thousands (the up-to-date check loads them whenever a
file's time changed). A digest counts only while its file keeps the size and time it was taken
at; one that no longer does is harmless, and left until the next build that hashes every file.
The (size, time) of every file under a folder, the output's, are taken here too (``file_stamps``).
Only ``os``, ``sys``, ``errno``, ``stat`` and ``marshalfile`` are imported (CPython's BLAKE2 module when hashing), as
by the up-to-date check.
"""

from __future__ import annotations

import errno
import os
import sys
from stat import S_ISREG

from . import marshalfile

TYPE_CHECKING = False  # as typing's, without importing typing
if TYPE_CHECKING:
    from typing import Any, Iterable, Mapping

    Digests = dict[str, tuple[str, bytes, bytes]]  # folder → (names, packed (size, time) pairs, packed digests)
    Stamp = tuple[int, int]  # (size, modification time in nanoseconds)
    Entry = tuple[int, int, bytes]  # (size, time, digest)

FILE = "input-digests.marshal"
HASHED_UP_TO = 16 << 20  # bytes: a larger file is not hashed (a new time builds)
SIZE = 16  # bytes of a digest, and of a packed (size, time) pair


def open_regular(path: str | os.PathLike[str]) -> int:
    """A descriptor reading the regular file at ``path``; OSError for anything else found under
    that name: a named pipe would hold the build until something wrote into it, a device might
    never end (opened without waiting, so a pipe is refused at once)."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    if not S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        raise OSError(errno.EINVAL, "not a regular file (a named pipe, socket or device)")
    return descriptor


def read_regular(path: str | os.PathLike[str]) -> bytes:
    """The bytes of the regular file at ``path`` (``open_regular``)."""
    with open(open_regular(path), "rb") as handle:
        return handle.read()


def content(path: str) -> bytes:
    """A digest of the file's bytes (b"": it cannot be read)."""
    try:
        return file_hash(path, "blake2b", digest_size=SIZE).digest()
    except OSError:
        return b""


def file_hash(path: str, name: str, **options: int) -> Any:
    """``hasher(name, **options)`` fed the file's bytes, read in blocks (OSError: it cannot be read)."""
    digest = hasher(name, b"", **options)
    with open(open_regular(path), "rb", buffering=0) as handle:
        while block := handle.read(1 << 18):
            digest.update(block)
    return digest


#: CPython's own module of each hash hashlib offers, by version (``hashlib.__get_builtin_constructor``).
_BUILT_IN = {"blake2b": "_blake2", "sha256": "_sha2" if sys.version_info >= (3, 12) else "_sha256"}


def hasher(name: str, data: bytes = b"", **options: int) -> Any:
    """``hashlib``'s ``name`` hash (``"blake2b"`` or ``"sha256"``) of ``data``, from CPython's own
    module for it: hashlib's import loads OpenSSL, which took 5 ms of every up-to-date check."""
    try:
        return getattr(__import__(_BUILT_IN[name]), name)(data, **options)
    except (ImportError, AttributeError):  # another Python
        import hashlib

        made: Any = getattr(hashlib, name)
        return made(data, **options)


def settled(path: str, stamp: Stamp, digest: bytes = b"") -> bytes | None:
    """The digest of the file's bytes, when it still has the (size, time) ``stamp`` once hashed
    (``digest``: the file hashed already, since it was found with ``stamp``)."""
    digest = digest or content(path)
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return digest if digest and (stat.st_size, stat.st_mtime_ns) == stamp else None


def taken(stamps: Mapping[str, Stamp], limit: int, skipped: str | None,
          hashed: Mapping[str, bytes] | None = None) -> dict[str, Entry]:
    """The digests of the files of ``stamps`` as they are now, with those stamps: not of a file
    under the folder ``skipped``, larger than ``HASHED_UP_TO``, of a time after ``limit``
    (nanoseconds: it may change again unseen within its clock tick) or changed since its stamp.
    ``hashed``: the digests of files hashed since they were found with their stamps (by the
    up-to-date check), each taken for a file that still has its stamp rather than hashed again
    (a fresh checkout's every file: a second pass over 10,000 notes)."""
    hashed = hashed or {}
    found = {}
    for path, stamp in stamps.items():
        if stamp[0] <= HASHED_UP_TO and stamp[1] <= limit and not (skipped is not None and path.startswith(skipped)):
            digest = settled(path, stamp, hashed.get(path, b""))
            if digest is not None:
                found[path] = (*stamp, digest)
    return found


def file_stamps(top: str, prefix: str = "", sep: str = os.sep) -> dict[str, tuple[int, int]]:
    """Every file under the folder ``top`` with its (size, modification time), by its path there
    (joined by ``sep``) after ``prefix``; a link to a folder is not followed (as ``os.walk``
    does not). Each folder is listed through its descriptor and its files looked at by name
    there: a 10,000-note site's output (30,000 files and folders) took a second through
    ``os.walk``, ``os.stat`` and ``os.path.relpath``, a quarter of that so."""
    files = {}
    folders = [(top, prefix)]
    while folders:
        folder, inside = folders.pop()
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            with os.scandir(descriptor) as found:
                for entry in found:
                    if not entry.is_dir():
                        stat = entry.stat()
                        files[inside + entry.name] = (stat.st_size, stat.st_mtime_ns)
                    elif not entry.is_symlink():
                        folders.append((os.path.join(folder, entry.name), f"{inside}{entry.name}{sep}"))
        finally:
            os.close(descriptor)
    return files


def load(cache_dir: str | os.PathLike[str]) -> Digests:
    """The digests kept in ``cache_dir`` (none when missing or damaged)."""
    try:
        digests = marshalfile.load(os.path.join(cache_dir, FILE))
    except (OSError, ValueError, EOFError, TypeError):
        return {}
    if not isinstance(digests, dict):
        return {}
    return {folder: kept for folder, kept in digests.items() if _well_formed(folder, kept)}


def _well_formed(folder: object, kept: object) -> bool:
    """Whether a folder's entry is as ``updated`` makes them (a damaged file may hold anything)."""
    if not (isinstance(folder, str) and isinstance(kept, tuple) and len(kept) == 3):
        return False
    names, stamps, hashes = kept
    return (isinstance(names, str) and isinstance(stamps, bytes) and isinstance(hashes, bytes)
            and len(stamps) == len(hashes) == SIZE * (names.count("\0") + 1 if names else 0))


def save(cache_dir: str | os.PathLike[str], digests: Digests) -> None:
    """Keep ``digests`` in ``cache_dir``, put in place at once (not at all when it cannot be)."""
    try:
        marshalfile.save(os.path.join(cache_dir, FILE), digests)
    except (OSError, ValueError):
        pass


def looked_up(digests: Digests, paths: Iterable[str]) -> dict[str, Entry]:
    """The (size, time, digest) kept for each of ``paths`` that has one."""
    found = {}
    for folder, names in by_folder(paths).items():
        kept = digests.get(folder)
        if kept is None:
            continue
        listed, stamps, hashes = kept
        positions = {name: index for index, name in enumerate(listed.split("\0"))}
        for name in names:
            index = positions.get(name)
            if index is not None:
                at = index * SIZE
                found[os.path.join(folder, name)] = (int.from_bytes(stamps[at:at + 8], "little", signed=True),
                                                     int.from_bytes(stamps[at + 8:at + SIZE], "little", signed=True),
                                                     hashes[at:at + SIZE])
    return found


def updated(digests: Digests, found: Mapping[str, Entry], dropped: str | None = None) -> Digests:
    """``digests`` with the entries ``found`` put in (replacing those of the same files) and
    every folder under ``dropped`` (a folder path ending in a separator) left out."""
    new = {folder: kept for folder, kept in digests.items()
           if dropped is None or not os.path.join(folder, "").startswith(dropped)}
    for folder, names in by_folder(found).items():
        listed_names, packed_stamps, packed_hashes = new.get(folder, ("", b"", b""))
        listed = listed_names.split("\0") if listed_names else []
        positions = {name: index for index, name in enumerate(listed)}
        stamps, hashes = bytearray(packed_stamps), bytearray(packed_hashes)
        for name in names:
            size, time, digest = found[os.path.join(folder, name)]
            pair = size.to_bytes(8, "little", signed=True) + time.to_bytes(8, "little", signed=True)
            index = positions.get(name)
            if index is None:
                positions[name] = len(listed)
                listed.append(name)
                stamps += pair
                hashes += digest
            else:
                stamps[index * SIZE:(index + 1) * SIZE] = pair
                hashes[index * SIZE:(index + 1) * SIZE] = digest
        new[folder] = ("\0".join(listed), bytes(stamps), bytes(hashes))
    return new


def by_folder(paths: Iterable[str]) -> dict[str, list[str]]:
    """``paths`` by folder, each as its name in it."""
    folders: dict[str, list[str]] = {}
    for path in paths:
        folder, name = os.path.split(path)
        folders.setdefault(folder, []).append(name)
    return folders
