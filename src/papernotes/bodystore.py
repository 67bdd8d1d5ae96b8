"""Keep note bodies in a file instead of memory while a large site builds.

A 100,000-note site holds about 1.5 GB of rendered HTML; each body is written once to the
store as it is read and read back when its page (or a full-content feed) is rendered. A body
met again (the same text, by digest) is not written twice. The file is either nameless (removed
as soon as it is made, so nothing is left behind) or ``bodies`` in the cache folder, kept for
the next command-line build, whose engine state refers to the bodies in it by place (``dump``,
``load``); forked render workers read it through the same handle. A kept file only grows, so
once most of it is bodies no longer referred to, the build saving its state copies the others
into a new file (``wasteful``, ``compacted``).
"""

from __future__ import annotations

import contextlib
import copy
import copyreg
import dataclasses
import functools
import io
import operator
import os
import pickle
import tempfile
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import IO, Any, Callable, Iterable, Iterator

from .collector import paused
from .model import Note, StoredText, bytes_digest, pack_papers

try:
    import fcntl
except ImportError:  # not on Windows: no store is kept there between builds
    fcntl = None  # type: ignore[assignment]

BODIES, LOCK = "bodies", "bodies.lock"
SLACK = 64 << 20  # bytes of bodies nothing refers to that a kept file may hold before it is compacted


class BodyStore:
    """An append-only file of note bodies."""

    def __init__(self, folder: Path | None = None, *, handle: IO[bytes] | None = None, lock: IO[bytes] | None = None,
                 kept_in: Path | None = None) -> None:
        self._file = handle if handle is not None else tempfile.TemporaryFile(prefix="papernotes-bodies-", dir=folder)
        self._lock = lock  # held while this store lives: one build at a time appends to a kept file
        self._kept_in = kept_in  # the cache folder of a kept file, which is replaced rather than emptied
        self._known: dict[bytes, tuple[int, int]] = {}  # digest → (offset, length) of each body written
        self._moved: tuple[BodyStore, dict[int, int]] | None = None  # compacted from: that store, its offsets → ours

    @classmethod
    def lasting(cls, folder: Path) -> BodyStore | None:
        """The store kept in ``folder`` between builds, this process's alone while it lives; None
        when it cannot be opened or another build holds it."""
        store = cls._locked(folder, "a+b")
        if store is not None:
            store._file.seek(0, os.SEEK_END)
        return store

    @classmethod
    @contextlib.contextmanager
    def borrowed(cls, folder: Path) -> Iterator[BodyStore | None]:
        """The store kept in ``folder``, to load a saved state from while no build writes to it
        (None when there is none or a build holds it). Its bodies stay readable once the block
        ends, when builds may write to the file again: they only append to it, and replace it
        (``compacted``, ``clear``) rather than change what it holds."""
        store = cls._locked(folder, "rb") if (folder / BODIES).is_file() else None
        try:
            yield store
        finally:
            if store is not None:
                store.release()

    @classmethod
    def _locked(cls, folder: Path, mode: str) -> BodyStore | None:
        """The store kept in ``folder``, its file opened in ``mode``, once this process holds its
        lock; None when it cannot be opened or another process holds the lock."""
        if fcntl is None or not cls.available():
            return None
        try:
            folder.mkdir(parents=True, exist_ok=True)
            lock = open(folder / LOCK, "ab")
            try:
                fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                handle = open(folder / BODIES, mode)
            except OSError:
                lock.close()
                raise
        except OSError:
            return None
        return cls(handle=handle, lock=lock, kept_in=folder)

    def release(self) -> None:
        """Let another build keep bodies here; this store's bodies stay readable (until a build
        clears them)."""
        if self._lock is not None:
            self._lock.close()

    @property
    def lasts(self) -> bool:
        """Whether the bodies outlive this process (a next build may refer to them)."""
        return self._lock is not None

    def keep(self, note: Note) -> Note:
        """The note with its body HTML moved to the store; it still equals the note it was."""
        if not isinstance(note.body.stored, str):
            return note
        data = note.body.stored.encode("utf-8")
        digest = bytes_digest(data)
        place = self._known.get(digest)
        if place is None:
            place = self._known[digest] = (self._file.tell(), len(data))
            self._file.write(data)
        moved = copy.copy(note)  # not replace(): the digest, taken of the content, stays as it is
        object.__setattr__(moved, "body", replace(note.body, stored=StoredText(self, *place, digest)))
        return moved

    def stored(self, offset: int, length: int, digest: bytes) -> StoredText:
        """The body a previous build kept at ``offset``."""
        self._known[digest] = (offset, length)
        return StoredText(self, offset, length, digest)

    def intact(self) -> bool:
        """Whether the file still holds every body recalled (``stored``) from a previous build."""
        end = max((offset + length for offset, length in self._known.values()), default=0)
        self.flush()
        return os.fstat(self._file.fileno()).st_size >= end

    def wasteful(self, live: Iterable[StoredText]) -> bool:
        """Whether the kept file holds more bodies that nothing in ``live`` refers to (bodies
        edited or rendered anew since they were kept: the file only grows) than bodies it does,
        and over ``SLACK`` of them."""
        if not self.lasts:
            return False
        kept = sum(self._places(live).values())
        return os.fstat(self._file.fileno()).st_size - kept > max(kept, SLACK)

    def compacted(self, folder: Path, live: Iterable[StoredText]) -> BodyStore:
        """A store in place of this lasting one in ``folder``, holding only the bodies of
        ``live``, which takes this one's lock. This store's bodies stay readable (its file stays
        open); ``dump`` given the new store refers to them by their places in the new file (and
        refuses a body not in ``live``)."""
        live = list(live)
        moved: dict[int, int] = {}

        def copy_live(handle: IO[bytes]) -> None:
            for offset, length in sorted(self._places(live).items()):
                moved[offset] = handle.tell()
                handle.write(self.read(offset, length))

        handle = _put_in_place(folder / BODIES, copy_live)
        store = BodyStore(handle=handle, lock=self._lock, kept_in=folder)
        store._known = {text.digest: (moved[text.offset], text.length) for text in live if text.store is self}
        store._moved = (self, moved)
        self._lock = None
        return store

    def _places(self, texts: Iterable[StoredText]) -> dict[int, int]:
        """The (offset → length) of the bodies among ``texts`` kept in this store."""
        return {text.offset: text.length for text in texts if text.store is self}

    def place_of(self, text: StoredText) -> tuple[int, int, bytes] | None:
        """Where ``text`` is in this store's file (offset, length, digest); None when it is not."""
        if text.store is self:
            return text.offset, text.length, text.digest
        if self._moved is not None and text.store is self._moved[0] and text.offset in self._moved[1]:
            return self._moved[1][text.offset], text.length, text.digest
        return None

    def clear(self) -> None:
        """Forget every body kept (nothing refers to them any more). A kept file is replaced by
        an empty one, so that a preview that read a state from it still reads its bodies."""
        if self._kept_in is None:
            self._file.truncate(0)
            self._file.seek(0)
        else:
            emptied = _put_in_place(self._kept_in / BODIES, lambda handle: None)
            self._file.close()
            self._file = emptied
        self._known.clear()

    def flush(self) -> None:
        """Make what was kept readable (bodies are read with ``read``, not through the buffer)."""
        self._file.flush()

    def read(self, offset: int, length: int) -> bytes:
        return os.pread(self._file.fileno(), length, offset)

    @staticmethod
    def available() -> bool:
        return hasattr(os, "pread")


def _put_in_place(path: Path, fill: Callable[[IO[bytes]], None]) -> IO[bytes]:
    """A new file put whole in place of ``path`` once ``fill`` has written it, open to read and
    write on (a process holding the old file open still reads what it held)."""
    temporary = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    handle = open(temporary, "w+b")
    try:
        fill(handle)
        handle.flush()
        os.replace(temporary, path)
    except BaseException:
        handle.close()
        temporary.unlink(missing_ok=True)
        raise
    return handle


def dump(value: object, handle: IO[bytes], store: BodyStore | None) -> None:
    """Pickle ``value`` into ``handle``, the bodies it holds referred to by their place in
    ``store`` (which must last: a nameless store's bodies are gone with this process). The
    cycle collector waits meanwhile: each of the pickler's reductions is a new object, and the
    full collections they set off would walk every object of a graph just made (half of the
    time to save a 10,000-note state)."""
    with paused():
        _Pickler(handle, store).dump(value)


def load(handle: IO[bytes], store: BodyStore | None) -> Any:
    """What ``dump`` wrote, its bodies read from ``store`` when used. The cycle collector waits
    meanwhile: it would look at the young objects again and again, taking twice as long."""
    with paused():
        return _Unpickler(handle, store).load()


def packed(value: object) -> bytes:
    """``value``, which holds no stored body, pickled as ``dump`` pickles it, to hand to another
    process: a pool's own pickling makes each frozen dataclass with slots again through
    dataclasses' ``__setstate__``, written in Python (see ``_fields_of``)."""
    buffer = io.BytesIO()
    dump(value, buffer, None)
    return buffer.getvalue()


def unpacked(data: bytes) -> Any:
    """What ``packed`` made ``data`` of."""
    return load(io.BytesIO(data), None)


def _stored(offset: int, length: int, digest: bytes) -> StoredText:
    raise pickle.UnpicklingError("a stored body is loaded only with its store")  # ``load`` gives the store's own


def _read_only(mapping: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    return MappingProxyType(mapping)


def _fields_of(kind: type) -> Callable[[object], tuple[Any, ...]] | None:
    """For a dataclass with slots that its fields, in order, make again: what gets them (it is
    pickled as those: its own ``__setstate__``, in Python, costs four times as much to load)."""
    if not dataclasses.is_dataclass(kind) or "__slots__" not in vars(kind) or hasattr(kind, "__post_init__"):
        return None
    fields = dataclasses.fields(kind)
    if len(fields) < 2 or not all(item.init and not item.kw_only for item in fields):
        return None
    return operator.attrgetter(*(item.name for item in fields))


class _Pickler(pickle.Pickler):
    """The state's pickler. It refers to nothing that refers back to it (a reduction that is
    its bound method would): its memo, which holds every object pickled and each reduction's
    values, then goes with it rather than waiting for the cycle collector, which would walk
    them all (a third of a second after a 10,000-note state)."""

    def __init__(self, handle: IO[bytes], store: BodyStore | None) -> None:
        super().__init__(handle, protocol=5)
        self.dispatch_table = _Reductions(functools.partial(_place_of, store))


def _place_of(store: BodyStore | None, obj: StoredText) -> tuple[Callable[..., StoredText], tuple[int, int, bytes]]:
    """A stored body's reduction: its place in ``store``."""
    place = store.place_of(obj) if store is not None and store.lasts else None
    if place is None:
        raise pickle.PicklingError("a body kept in a store that does not last")
    return _stored, place


class _Reductions(dict[type, Callable[[Any], Any]]):
    """The pickler's reduction of each type, found when the type is first met (the pickler
    looks a type up here in C; ``reducer_override`` would be a call in Python for every object):
    a stored body by its place, a read-only mapping as a dict, a note with its papers packed
    (``Note.packed_state``; notes sharing their papers share the bytes), a dataclass with slots
    by its fields (``_fields_of``), any other object as pickle's default would reduce it. A class
    is left to pickle, which saves it by name."""

    def __init__(self, stored: Callable[[StoredText], Any]) -> None:
        super().__init__({StoredText: stored, MappingProxyType: _as_dict, Note: functools.partial(_packed_note, {})})

    def __missing__(self, kind: type) -> Callable[[Any], Any]:
        if issubclass(kind, type):
            raise KeyError(kind)
        fields = _fields_of(kind)
        reduction = _default_reduction if fields is None else functools.partial(_by_fields, kind, fields)
        self[kind] = reduction
        return reduction


_default_reduction = operator.methodcaller("__reduce_ex__", 5)  # what pickle calls for a type it has no reduction of
_NEW_OBJECT = copyreg.__newobj__  # type: ignore[attr-defined]  # pickle writes its NEWOBJ for it: ``cls.__new__`` in C


def _packed_note(packed: dict[int, tuple[tuple[Any, ...], bytes]], note: Note) -> tuple[Any, ...]:
    """A note's reduction, made again in C (``copyreg.__newobj__``, then its state): its papers
    packed once for each tuple of them (``packed``, by the tuple's identity, which it holds)."""

    def pack(papers: tuple[Any, ...]) -> bytes:
        found = packed.get(id(papers))
        if found is None:
            found = packed[id(papers)] = (papers, pack_papers(papers))
        return found[1]

    return _NEW_OBJECT, (Note,), note.packed_state(pack)


def _by_fields(kind: type, fields: Callable[[object], tuple[Any, ...]], obj: object) -> tuple[type, tuple[Any, ...]]:
    return kind, fields(obj)


def _as_dict(mapping: MappingProxyType[Any, Any]) -> tuple[Callable[..., Any], tuple[dict[Any, Any]]]:
    return _read_only, (dict(mapping),)  # a read-only mapping of the config


class _Unpickler(pickle.Unpickler):
    def __init__(self, handle: IO[bytes], store: BodyStore | None) -> None:
        super().__init__(handle)
        self.store = store

    def find_class(self, module: str, name: str) -> Any:
        if module == __name__ and name == _stored.__name__:
            if self.store is None or not self.store.lasts:
                raise pickle.UnpicklingError("stored bodies without their store")
            return self.store.stored
        return super().find_class(module, name)
