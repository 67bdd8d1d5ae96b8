"""Values kept in the cache folder as marshal's bytes: read whole, written whole and put in
place at once. Only ``os`` and ``marshal`` are imported (the up-to-date check uses it)."""

from __future__ import annotations

import marshal
import os

TYPE_CHECKING = False  # as typing's, without importing typing
if TYPE_CHECKING:
    from typing import Any

VERSION = 2  # the marshal version without back-references: equal values, equal bytes


def load(path: str | os.PathLike[str]) -> Any:
    """The value kept at ``path``, read whole (``marshal.load`` on a file reads it piece by piece:
    five times as long for a 5 MB file). Raises OSError, or EOFError, ValueError or TypeError for
    bytes that are not a value."""
    with open(path, "rb") as handle:
        return marshal.loads(handle.read())


def save(path: str | os.PathLike[str], value: Any) -> None:
    """Keep ``value`` at ``path``: written beside it, then put in its place, so that a reader
    finds the old value or the new one whole. Raises OSError (nothing left behind), or
    ValueError for a value marshal cannot write."""
    temporary = f"{os.fspath(path)}.tmp-{os.getpid()}"
    try:
        with open(temporary, "wb") as handle:
            marshal.dump(value, handle, VERSION)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
