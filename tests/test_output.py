"""Writing output files made in pieces (large pages and graph.json, written as they are made)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

import pytest

from papernotes import inplace, output


def pieces(*parts: bytes) -> Iterator[bytes]:
    yield from parts


def broken() -> Iterator[bytes]:
    yield b"<h1>half a page"
    raise RuntimeError("the template failed")


def current_site(tmp_path: Path) -> Path:
    out = tmp_path / "site"
    (out / "notes/a").mkdir(parents=True)
    (out / "notes/a/index.html").write_bytes(b"<h1>A</h1>\n")
    return out


def test_a_file_made_in_pieces_is_written_whole_and_linked_when_unchanged(tmp_path: Path) -> None:
    out = current_site(tmp_path)
    staging = output.start(out)
    staging.write_stream("notes/a/index.html", pieces(b"<h1>", b"A</h1>\n"))
    staging.write_stream("graph.json", pieces(b'{"edges":[', b"],", b'"nodes":[]}\n'))
    made = staging.root
    assert (made / "graph.json").read_bytes() == b'{"edges":[],"nodes":[]}\n'
    assert os.stat(made / "notes/a/index.html").st_ino == os.stat(out / "notes/a/index.html").st_ino, "kept, not rewritten"
    assert staging.changed == {"graph.json"} and staging.written == {"graph.json", "notes/a/index.html"}
    assert sorted(p.name for p in (made / "notes/a").iterdir()) == ["index.html"], "no link left beside it"
    output.abandon(staging)


def test_pieces_that_fail_leave_no_file(tmp_path: Path) -> None:
    staging = output.start(current_site(tmp_path))
    with pytest.raises(RuntimeError):
        staging.write_stream("notes/b/index.html", broken())
    assert not (staging.root / "notes/b/index.html").exists() and "notes/b/index.html" not in staging.written
    output.abandon(staging)


def test_an_output_folder_changed_in_place_keeps_a_file_whose_pieces_are_its_bytes(tmp_path: Path) -> None:
    out = current_site(tmp_path)
    stamp = os.stat(out / "notes/a/index.html")
    found = {"notes/a/index.html": (stamp.st_size, stamp.st_mtime_ns)}
    writer = inplace.start(out, found, found)
    writer.write_stream("notes/a/index.html", pieces(b"<h1>A</h1>", b"\n"))
    writer.write_stream("notes/c/index.html", pieces(b"<h1>C</h1>\n"))
    with pytest.raises(RuntimeError):
        writer.write_stream("notes/d/index.html", broken())
    assert writer.changed == {"notes/c/index.html"} and set(writer.pending) == {"notes/c/index.html"}
    assert writer.stamps["notes/a/index.html"] == (stamp.st_size, stamp.st_mtime_ns)
    assert len(list((writer.scratch / "files").iterdir())) == 1, "the failed file is not left in the scratch folder"
    inplace.finish(writer)
    assert (out / "notes/c/index.html").read_bytes() == b"<h1>C</h1>\n"
    assert os.stat(out / "notes/a/index.html").st_mtime_ns == stamp.st_mtime_ns
