"""Pagefind's indexer (``pagefind --site``) run over a folder of documents: HTML in, a search
bundle out.

Each document is written as the file that serves its URL (``urls.output_file``) in a temporary
folder, outside the site and the notes (in memory, ``/dev/shm``, where the system has one with
room to spare: making thousands of small files costs up to a millisecond each on some disks).
Pagefind gives each page the URL of its file, so the URLs come back as they went in; it runs in
that folder without the ``PAGEFIND_*`` variables, so no ``pagefind.yml`` or setting of the
user's is read, and writes the bundle into its place.
Over the same documents this takes about a fifth less processor time than Pagefind's indexing
service (``pagefind --service``, the protocol of its Node and Python APIs), spreads the parsing
over the cores, and the bundle does not travel back through a pipe as base64.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

from ..urls import UnsafeURL, output_file

IN_MEMORY = "/dev/shm"
MEMORY_ROOM = 512 << 20  # bytes free there for it to be used (a container's may hold 64 MB)
SCRATCH_PREFIX = "papernotes-search-"  # then the process id: a folder whose process is gone is removed
USER_INTERFACE = re.compile(r"pagefind-((component-|modular-)?ui\.(js|css)|highlight\.js)")  # not the index


class PagefindError(Exception):
    """Pagefind could not be started, failed, or ran out of time."""


@dataclass(frozen=True)
class Document:
    """One page as Pagefind indexes it: its URL and the HTML to read its text, title and
    headings from (a ``data-pagefind-body`` element, a ``data-pagefind-meta="title"``)."""

    url: str
    html: str


@dataclass(frozen=True)
class Indexed:
    """What Pagefind did: pages indexed, the documents refused before it ran (with the reason),
    and how many of the others it left out."""

    pages: int
    refused: tuple[tuple[str, str], ...] = ()
    left_out: int = 0


def executable() -> Path:
    """The Pagefind binary the ``pagefind`` package would run (``pagefind[bin]`` ships one). Its
    binary packages are asked first, as ``pagefind.service`` asks them, without importing that
    module, whose asyncio service takes a build 35 ms to load; it is asked only when they are
    not installed (it then looks on the ``PATH``)."""
    named = os.environ.get("PAGEFIND_BINARY_PATH")
    if named is not None:
        return Path(named)
    for package in ("pagefind_bin_extended", "pagefind_bin"):
        try:
            return Path(importlib.import_module(package).get_executable())
        except ImportError:
            continue
        except FileNotFoundError as exc:  # the package without its binary
            raise PagefindError(f"the Pagefind binary was not found: {exc}") from exc
    try:
        from pagefind.service import get_executable
    except ImportError as exc:
        raise PagefindError("the pagefind package is not installed (pip install 'pagefind[bin]')") from exc
    found = get_executable()
    if found is None:
        raise PagefindError("the Pagefind binary was not found (pip install 'pagefind[bin]')")
    return found


def write_bundle(documents: Iterable[Document], bundle_dir: Path, exclude_selectors: tuple[str, ...] = (),
                 timeout: float = 600, interface: bool = True, cancelled: threading.Event | None = None) -> Indexed:
    """Index ``documents`` and write the search bundle into ``bundle_dir`` (without Pagefind's
    search interfaces unless ``interface``: a bundle merged into another needs only its index).
    Pagefind adds its files to what the folder holds (the other bundles' folders). Raises
    PagefindError, writing nothing more, once ``cancelled`` is set (Pagefind, if running, killed)."""
    scratch = _scratch()
    _sweep(scratch or tempfile.gettempdir())
    with tempfile.TemporaryDirectory(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-", dir=scratch) as folder:
        written, refused = _write_documents(documents, Path(folder), cancelled)
        if cancelled is not None and cancelled.is_set():
            raise PagefindError("cancelled")
        if not written:  # Pagefind makes no index of nothing
            return Indexed(0, tuple(refused))
        command = [str(executable()), "--site", ".", "--output-path", str(bundle_dir.resolve())]  # no --quiet: 1.2 has none
        for selector in exclude_selectors:
            command += ["--exclude-selectors", selector]
        returncode, output = _run(command, folder, timeout, cancelled)
    if returncode != 0:
        said = [line.strip() for line in output.decode("utf-8", "replace").splitlines() if line.strip()]
        errors = [line for line in said if "err" in line.lower()]  # "Error: …", a panic's "… an `Err` value: …"
        raise PagefindError((errors[:1] or said[:1] or [f"Pagefind exited with status {returncode}"])[0])
    if not interface:
        for file in bundle_dir.iterdir():
            if USER_INTERFACE.fullmatch(file.name):
                file.unlink()
    pages = _pages_in(bundle_dir)
    return Indexed(pages, tuple(refused), max(0, len(written) - pages))


def _run(command: list[str], folder: str, timeout: float, cancelled: threading.Event | None) -> tuple[int, bytes]:
    """Run Pagefind in ``folder``: its exit status and what it said (errors first). It is
    killed when out of time, or once ``cancelled`` is set (a build stopped waits for no index)."""
    try:
        with subprocess.Popen(command, cwd=folder, env=_without_settings(os.environ),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    out, err = process.communicate(timeout=0.1)  # retried, it loses nothing said
                    return process.returncode, err + b"\n" + out
                except subprocess.TimeoutExpired:
                    stopped = cancelled is not None and cancelled.is_set()
                    if stopped or time.monotonic() > deadline:
                        process.kill()
                        process.communicate()
                        raise PagefindError("cancelled" if stopped else f"Pagefind took more than {timeout:g} s")
    except OSError as exc:  # not started
        raise PagefindError(f"cannot run Pagefind: {exc}") from exc


def _without_settings(environment: Mapping[str, str]) -> dict[str, str]:
    """The environment without Pagefind's settings (``PAGEFIND_ROOT_SELECTOR`` and the like),
    which would change what it reads of the documents."""
    return {name: value for name, value in environment.items() if not name.upper().startswith("PAGEFIND_")}


def _scratch() -> str | None:
    """Where the documents are written: the memory file system when there is one with room to
    spare, else the system's temporary folder (None)."""
    try:
        room = os.statvfs(IN_MEMORY)
    except (OSError, AttributeError):  # none, or no statvfs (Windows)
        return None
    spare = room.f_bavail * room.f_frsize >= MEMORY_ROOM
    return IN_MEMORY if spare and os.access(IN_MEMORY, os.W_OK | os.X_OK) else None


def _sweep(where: str) -> None:
    """Remove the document folders in ``where`` of builds no longer running (killed outright:
    ``/dev/shm`` is memory, and nothing else would free it before the machine restarts)."""
    if os.name != "posix":  # elsewhere ``os.kill`` would end the process rather than look for it
        return
    try:
        names = os.listdir(where)
    except OSError:
        return
    for name in names:
        pid = name.removeprefix(SCRATCH_PREFIX).split("-", 1)[0]
        if name.startswith(SCRATCH_PREFIX) and pid.isdigit() and not _running(int(pid)):
            shutil.rmtree(os.path.join(where, name), ignore_errors=True)


def _running(pid: int) -> bool:
    """Whether the process ``pid`` runs (another user's counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's: running
        return True
    return True


def _write_documents(documents: Iterable[Document], site: Path,
                     cancelled: threading.Event | None = None) -> tuple[list[str], list[tuple[str, str]]]:
    """Write each document as the file that serves its URL under ``site``: the URLs written, and
    those refused with the reason (no more once ``cancelled`` is set)."""
    written: list[str] = []
    refused: list[tuple[str, str]] = []
    for document in documents:
        if cancelled is not None and cancelled.is_set():
            break
        try:
            rel = output_file(document.url)
        except UnsafeURL as exc:
            refused.append((document.url, str(exc)))
            continue
        if not rel.endswith(".html"):
            refused.append((document.url, "not the URL of an HTML page"))
            continue
        target = site / rel
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(document.html.encode("utf-8", "replace"))
        except OSError as exc:  # a name this file system does not take
            refused.append((document.url, exc.strerror or str(exc)))
            continue
        written.append(document.url)
    return written, refused


def _pages_in(bundle: Path) -> int:
    """The pages the bundle holds, by its entry file (0 when it has none)."""
    try:
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        return sum(int(language["page_count"]) for language in entry["languages"].values())
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return 0
