"""Acceptance: real collections (``../shared/corpus/real`` and the seeds, skipped in a lone clone)
edited the ways their owners edit them, each ``papernotes build`` keeping its state compared
byte for byte with a build from scratch of the same notes."""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import replace
from pathlib import Path
from typing import Callable

import pytest

from papernotes.build import BuildOptions, KeptEngine, SiteLayout, build

from .conftest import REAL, SHARED

SEEDS = SHARED / "corpus" / "seeds"
Edit = Callable[[Path], None]


def _append(suffix: str) -> Edit:
    def edit(site: Path) -> None:
        path = sorted(site.rglob(f"*{suffix}"))[0]
        path.write_text(path.read_text(encoding="utf-8") + "\n\nAn added line on arXiv:2305.10601.\n", encoding="utf-8")
    return edit


def _touch_most(suffix: str) -> Edit:
    """Most files written again at once, minutes after the copy: the copy's time no longer is most files'."""
    def edit(site: Path) -> None:
        files = sorted(site.rglob(f"*{suffix}"))
        later = time.time() - 600  # the copy was an hour ago
        for path in files[: len(files) // 2 + 1]:
            os.utime(path, (later, later))
    return edit


def _rename(site: Path) -> None:
    """A note renamed (in a vault its title, its URL and what its wikilinks resolve to change)."""
    notes = sorted(site.rglob("*.md"))
    path = notes[len(notes) // 2]
    path.rename(path.with_name("Renamed note.md"))


def _new_note(site: Path) -> None:
    target = sorted(site.rglob("*.md"))[0].stem
    (site / "new-note.md").write_text(f"---\ntitle: A new note\ntags: [fresh]\n---\n\nOn arXiv:1706.03762 and [[{target}]].\n",
                                      encoding="utf-8")


def _delete(suffix: str) -> Edit:
    def edit(site: Path) -> None:
        sorted(site.rglob(f"*{suffix}"))[-1].unlink()
    return edit


CASES: dict[str, tuple[Path, list[Edit]]] = {
    "seeds": (SEEDS, [_append(".txt"), _touch_most(".txt"), _delete(".txt")]),
    "obsidian-callouts-obsidian-help": (REAL / "obsidian-callouts-obsidian-help",
                                        [_append(".md"), _rename, _new_note, _delete(".md")]),
}


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file() and p.name != ".papernotes-site"}


@pytest.mark.parametrize("keeps_engine", [False, True], ids=["restored", "kept"])
@pytest.mark.parametrize("name", CASES)
def test_each_rebuild_of_a_real_collection_writes_what_a_build_from_scratch_writes(tmp_path, name, keeps_engine):
    source, edits = CASES[name]
    if not source.is_dir():
        pytest.skip(f"{source} is not beside the repository")
    site = tmp_path / "site"
    shutil.copytree(source, site, symlinks=True, copy_function=shutil.copy)  # a copy: every file's time is the copy's
    copied = time.time() - 3600
    for path in [site, *site.rglob("*")]:
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() else 0o644)
            os.utime(path, (copied, copied))
    layout = SiteLayout.find(site, tmp_path / "out")
    options = BuildOptions(search=False, workers=1)
    kept = KeptEngine() if keeps_engine else None  # ``build --watch``: the engine kept in memory between builds
    try:
        build(layout, options, kept_engine=kept)
        for step, edit in enumerate(edits):
            edit(site)
            build(layout, options, kept_engine=kept)
            scratch = SiteLayout.find(site, tmp_path / f"scratch-{step}")
            build(scratch, replace(options, cache=False))
            assert _files(layout.out) == _files(scratch.out), f"{name}: after {edit.__qualname__}"
    finally:
        if kept is not None:
            kept.close()
