"""What a command-line build looks at in a second process while the first restores its state.

Restoring the state of a large site (every note, paper and page digest the last build left) is
the longest step of a build after an edit, and it keeps one core busy while the other waits.
Meanwhile a forked process reads the note files the up-to-date check found changed into the
read cache on disk, where the build's own reading finds them under the same digests, and looks
at every file the last build left in the output folder, telling which no longer has the size
and time it was left with. The build waits for it before it reads. Where it cannot fork, or
the process fails, the build does both itself: nothing the lookahead does is trusted but the
stamps it reports and the read results the cache checks by digest.
"""

from __future__ import annotations

import marshal
import os
import threading
from dataclasses import dataclass
from typing import Collection, Iterator, Mapping

from .output import as_stamped
from .sitelayout import BuildOptions, SiteLayout, site_config

Stamp = tuple[int, int]  # (size, modification time in nanoseconds)


@dataclass(frozen=True)
class Lookahead:
    """A forked process looking ahead, and the pipe it answers on."""

    pid: int
    channel: int

    def current(self) -> list[str] | None:
        """Wait for the process: the output files it found not as the last build left them
        (None: it did not finish)."""
        with os.fdopen(self.channel, "rb") as pipe:
            data = pipe.read()
        os.waitpid(self.pid, 0)
        try:
            differing = marshal.loads(data)
        except (EOFError, ValueError, TypeError):
            return None
        return differing if isinstance(differing, list) else None


def start(layout: SiteLayout, options: BuildOptions, notes: Collection[str], output: Mapping[str, Stamp]) -> Lookahead | None:
    """Fork a process that reads the files ``notes`` (paths as discovery gives them) into the
    read cache and looks at the output files ``output`` (by path in the output folder, with
    the stamps the last build left them with); None when no process could be forked."""
    if not hasattr(os, "fork"):
        return None
    reader, writer = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(reader)
        os.close(writer)
        return None
    if pid:
        os.close(writer)
        return Lookahead(pid, reader)
    code = 1
    try:  # the forked process: whatever happens, it ends here, without the parent's clean-up
        os.close(reader)
        if notes:
            read_ahead(layout, options, notes)
        with os.fdopen(writer, "wb") as pipe:
            pipe.write(marshal.dumps(differing(layout, output)))
        code = 0
    finally:
        os._exit(code)


def read_ahead(layout: SiteLayout, options: BuildOptions, notes: Collection[str]) -> None:
    """Read the note files among ``notes`` into the read cache, as the build's engine would read them."""
    from .engine import ReadCache, note_files, read_inputs
    from .engine.registryfiles import kept_registry_files
    from .papers.registry import load_registry
    from .read import relative_names

    config, _ = site_config(layout, options)
    inputs = read_inputs(layout, config, load_registry(layout.content, remembered=kept_registry_files(layout.cache)))
    paths = [path for path in note_files(layout) if path in notes]
    for _ in ReadCache(layout.cache).read(inputs, paths, relative_names(paths, layout.content)):
        pass


class Unchanged(Mapping[str, Stamp]):
    """The files of ``output`` still as stamped, looked at (``differing``) by a thread begun when
    this is made, so that the build reads and plans meanwhile (the system calls let it run); the
    first look up waits for the thread. Should it fail, no file is taken as unchanged."""

    def __init__(self, layout: SiteLayout, output: Mapping[str, Stamp]) -> None:
        self._found: dict[str, Stamp] = {}
        self._looking = threading.Thread(target=self._look, args=(layout, output), daemon=True)
        self._looking.start()

    def _look(self, layout: SiteLayout, output: Mapping[str, Stamp]) -> None:
        self._found = as_left(output, differing(layout, output))

    def _current(self) -> dict[str, Stamp]:
        if self._looking.is_alive():
            self._looking.join()
        return self._found

    def found(self) -> dict[str, Stamp]:
        """The files found as the last build left them, as the dict they are (waiting for the
        thread): what a forked process is given, which has no such thread."""
        return self._current()

    def get(self, rel: str, default: Stamp | None = None) -> Stamp | None:  # type: ignore[override]
        return self._current().get(rel, default)

    def __getitem__(self, rel: str) -> Stamp:
        return self._current()[rel]

    def __iter__(self) -> Iterator[str]:
        return iter(self._current())

    def __len__(self) -> int:
        return len(self._current())


def as_left(output: Mapping[str, Stamp], moved: Collection[str]) -> dict[str, Stamp]:
    """The files of ``output`` but those ``differing`` found ``moved``."""
    moved = set(moved)
    return {rel: stamp for rel, stamp in output.items() if rel not in moved}


def differing(layout: SiteLayout, output: Mapping[str, Stamp]) -> list[str]:
    """The files of ``output`` (by path in the output folder) that are no longer regular files
    with the stamps given."""
    folder = os.path.join(os.fspath(layout.out.resolve()), "")
    found = []
    for rel, stamp in output.items():
        try:
            stat = os.lstat(folder + rel)
        except OSError:
            found.append(rel)
            continue
        if not as_stamped(stat, stamp):
            found.append(rel)
    return found
