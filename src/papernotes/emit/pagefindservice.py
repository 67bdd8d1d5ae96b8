"""Pagefind's indexing service (``pagefind --service``): HTML documents in, a search bundle out.

The service reads requests from stdin and answers on stdout, each message base64-encoded JSON
followed by a comma (the protocol of Pagefind's Node and Python indexing APIs). Requests are
pipelined, at most ``IN_FLIGHT`` unanswered at a time, so neither process holds more than a
window of documents (the ``pagefind`` package's Python API waits for each answer in turn and
polls every 0.1 s: 1,000 s for 10,000 pages). The bundle is asked for (GetFiles) and written
here, as the service's own WriteFiles answers before its last files are on disk.
"""

from __future__ import annotations

import base64
import json
import re
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Iterable, Iterator

IN_FLIGHT = 32  # requests sent and not yet answered
USER_INTERFACE = re.compile(r"pagefind-((component-|modular-)?ui\.(js|css)|highlight\.js)")  # not the index


class PagefindError(Exception):
    """The service could not be started, failed, or answered with an error."""


@dataclass(frozen=True)
class Document:
    """One page as Pagefind indexes it: its URL and the HTML to read its text, title and
    headings from (a ``data-pagefind-body`` element, a ``data-pagefind-meta="title"``)."""

    url: str
    html: str


@dataclass(frozen=True)
class Indexed:
    """What the service did: pages indexed, and the documents it refused with its reason."""

    pages: int
    refused: tuple[tuple[str, str], ...] = ()


def executable() -> Path:
    """The Pagefind binary the ``pagefind`` package would run (``pagefind[bin]`` ships one)."""
    try:
        from pagefind.service import get_executable
    except ImportError as exc:
        raise PagefindError("the pagefind package is not installed (pip install 'pagefind[bin]')") from exc
    found = get_executable()
    if found is None:
        raise PagefindError("the Pagefind binary was not found (pip install 'pagefind[bin]')")
    return found


def write_bundle(documents: Iterable[Document], bundle_dir: Path, exclude_selectors: tuple[str, ...] = (),
                 timeout: float = 600, interface: bool = True) -> Indexed:
    """Index ``documents`` and write the search bundle into ``bundle_dir`` (without Pagefind's
    search interfaces unless ``interface``: a bundle merged into another needs only its index)."""
    with tempfile.TemporaryFile() as errors:
        try:
            service = subprocess.Popen([str(executable()), "--service"], stdin=subprocess.PIPE,
                                       stdout=subprocess.PIPE, stderr=errors)
        except OSError as exc:
            raise PagefindError(f"cannot start Pagefind: {exc}") from exc
        watchdog = threading.Timer(timeout, service.kill)
        watchdog.start()
        try:
            return _session(service, documents, bundle_dir, exclude_selectors, interface)
        except (OSError, ValueError, KeyError) as exc:  # a broken pipe or a garbled answer
            errors.seek(0)
            said = errors.read().decode("utf-8", "replace").strip().splitlines()
            raise PagefindError(said[-1] if said else f"Pagefind stopped: {exc!r}") from exc
        finally:
            watchdog.cancel()
            _stop(service)


def _stop(service: subprocess.Popen[bytes]) -> None:
    """End the service: at the end of its input it exits (killed if it does not within seconds)."""
    if service.stdin is not None and not service.stdin.closed:
        try:
            service.stdin.close()
        except OSError:  # a broken pipe: it has gone already
            pass
    try:
        service.wait(timeout=10)
    except subprocess.TimeoutExpired:
        service.kill()
        service.wait()


def _session(service: subprocess.Popen[bytes], documents: Iterable[Document], bundle_dir: Path,
             exclude_selectors: tuple[str, ...], interface: bool) -> Indexed:
    requests, replies = service.stdin, service.stdout
    assert requests is not None and replies is not None
    answers = _answers(replies)
    _send(requests, 0, {"type": "NewIndex", "config": {"exclude_selectors": list(exclude_selectors)}})
    index_id = _expect(next(answers), "NewIndex")["index_id"]
    window = threading.BoundedSemaphore(IN_FLIGHT)
    sent: list[str] = []  # URL of each request, by message id - 1
    done = threading.Event()
    failure: list[BaseException] = []

    def feed() -> None:
        try:
            for document in documents:
                window.acquire()
                sent.append(document.url)
                _send(requests, len(sent), {"type": "AddFile", "index_id": index_id, "url": document.url,
                                                 "file_path": None, "file_contents": document.html})
        except BaseException as exc:  # reported by the reading side
            failure.append(exc)
        finally:
            done.set()

    feeder = threading.Thread(target=feed, name="pagefind-feed", daemon=True)
    feeder.start()
    pages, refused, answered = 0, [], 0
    while not (done.is_set() and answered == len(sent)):
        if answered == len(sent):  # nothing to wait for yet: the feeder is producing
            done.wait(0.01)
            continue
        message = next(answers)
        answered += 1
        window.release()
        payload = message["payload"]
        if payload["type"] == "Error":
            number = message.get("message_id")
            refused.append((sent[number - 1] if number else "?", str(payload.get("message", ""))))
        else:
            pages += 1
    feeder.join()
    if failure:
        raise failure[0]
    # WriteFiles answers before the service's last files are on disk, and a service that is
    # stopped then leaves them empty: the bundle is asked for and written here instead.
    _send(requests, len(sent) + 1, {"type": "GetFiles", "index_id": index_id})
    files = _expect(next(answers), "GetFiles")["files"]
    requests.close()
    for file in files:
        if not interface and USER_INTERFACE.fullmatch(file["path"]):
            continue
        target = bundle_dir / file["path"]
        if not target.resolve().is_relative_to(bundle_dir.resolve()):
            raise PagefindError(f"Pagefind named a file outside its bundle: {file['path']!r}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(base64.b64decode(file["content"]))
    return Indexed(pages, tuple(refused))


def _send(stream: IO[bytes], message_id: int, payload: dict[str, Any]) -> None:
    stream.write(base64.b64encode(json.dumps({"message_id": message_id, "payload": payload}).encode("utf-8")) + b",")
    stream.flush()


def _answers(stream: IO[bytes]) -> Iterator[dict[str, Any]]:
    """The service's messages, in the order it sends them (ValueError when it exits)."""
    pending = bytearray()
    while chunk := stream.read1(1 << 16):  # type: ignore[attr-defined]
        start = len(pending)  # a comma can only be in what just came
        pending += chunk
        end = pending.find(b",", start)
        while end != -1:
            encoded = bytes(pending[:end])
            del pending[:end + 1]
            if encoded.strip():
                yield json.loads(base64.b64decode(encoded))
            end = pending.find(b",")
    raise ValueError("Pagefind exited before answering")


def _expect(message: dict[str, Any], kind: str) -> dict[str, Any]:
    payload: dict[str, Any] = message["payload"]
    if payload["type"] != kind:
        raise PagefindError(f"Pagefind: {payload.get('message') or payload['type']}")
    return payload
