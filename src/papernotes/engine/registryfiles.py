"""The registry files' records kept in the cache folder between command-line builds, each
under its file's size and time: a reference manager's library (hundreds of BibTeX entries whose
LaTeX takes seconds to decode) is parsed again only when it changes, by the build and by the
process that reads the edited notes ahead of it alike."""

from __future__ import annotations

import os
import pickle
import time
from pathlib import Path

from .. import __version__
from ..papers.registry import RegistryFiles
from ..sitefiles import RACY_SECONDS

REGISTRY_FILES = "registry-files.pickle"


def kept_registry_files(cache: Path) -> RegistryFiles:
    """The records last kept in ``cache`` (none when there are none, or another version kept
    them); ``load_registry`` reads a file again unless its size and time are those kept."""
    try:
        with (cache / REGISTRY_FILES).open("rb") as handle:
            kept = pickle.load(handle)
        if isinstance(kept, dict) and kept.get("version") == __version__ and isinstance(kept.get("files"), dict):
            return kept["files"]
    except Exception:  # missing, cut short or written by another version: read the files again
        pass
    return {}


def registry_stamps(files: RegistryFiles) -> dict[str, tuple[int, int]]:
    """Each file's size and time as ``files`` has them, to tell whether there is anything new to keep."""
    return {path: entry[0] for path, entry in files.items()}


def keep_registry_files(cache: Path, files: RegistryFiles) -> None:
    """Keep ``files`` in ``cache`` for the next build, but for a file changed in the last
    ``RACY_SECONDS`` (written again within its time's resolution, it could keep size and time)."""
    now = time.time()
    settled = {path: entry for path, entry in files.items() if now - entry[0][1] / 1e9 >= RACY_SECONDS}
    target = cache / REGISTRY_FILES
    temporary = target.with_suffix(f".tmp-{os.getpid()}")
    try:
        with temporary.open("wb") as handle:
            pickle.dump({"version": __version__, "files": settled}, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, target)
    except (OSError, pickle.PicklingError):
        pass
    finally:
        temporary.unlink(missing_ok=True)
