"""Where the seconds of ``papernotes build`` go after one note is edited, added or deleted, part by part.

    python benchmarks/edit_parts.py SITE_DIR OUT_DIR [--edits 3] [--edit text|tag|title|delete|new]

``SITE_DIR`` must have been built into ``OUT_DIR`` once (its cache folder filled, as
``papernotes build SITE_DIR -o OUT_DIR --no-search`` leaves it). Then, ``--edits`` times, a line
is added to the site's middle note (``--edit tag``: a tag another note has put first in its
tags; ``--edit title``: its title changed; ``--edit delete``: the note removed; ``--edit new``:
a note added beside it) and ``papernotes build SITE_DIR -o OUT_DIR --no-search -q``
runs in a fresh process, its parts timed from inside it:

- ``start-up``: the interpreter starting, until the command's first module is imported;
- ``imports, the rest``: the modules a build loads (the command line, the engine, Markdown,
  templates) and what it does besides the parts below (the command line parsed, the config
  read, the output folder opened): the time in the process that none of them took;
- ``up-to-date check``: every input file looked at and compared with the last build's;
- ``restore``: the state the last build saved, of which ``unpickle`` (the reads and the graph,
  and what changed in them since they were saved whole), ``page digests`` and ``plan``;
- ``produce``: the edited note read, the graph, the pages planned, rendered and written, of
  which ``read and link`` (the note read, the notes gathered, the graph) and ``graph`` alone;
- ``manifest`` and ``save``: what the next build starts from;
- ``process``: the whole process, as its caller waits for it.

The note is put back and the site built again (untimed) after each run. Each line gives the
median and the range of wall seconds. For the whole process in CPU seconds against other kinds
of edits, see ``bench.py --command-line``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

#: Run in the timed process: times the build's parts (each function wrapped) and, as the build
#: ends the process, prints them as JSON on the last line of its standard error.
WRAPPER = """
import json, sys, time
started = time.perf_counter()
import papernotes.launch as launch
from papernotes import engine, uptodate
parts = {}
def timed(owner, name, part):
    work = getattr(owner, name)
    def wrapped(*args, **kwargs):
        begun = time.perf_counter()
        try:
            return work(*args, **kwargs)
        finally:
            parts[part] = parts.get(part, 0.0) + time.perf_counter() - begun
    setattr(owner, name, wrapped)
for owner, name, part in ((uptodate, "check", "up-to-date check"), (engine.Engine, "restore", "restore"),
                          (engine.Engine, "_load", "unpickle"), (engine, "pages_of", "page digests"),
                          (engine, "plan_of", "plan"), (engine.Engine, "produce", "produce"),
                          (engine.Engine, "_read_and_link", "read and link"), (engine.Engine, "_graph", "graph"),
                          (uptodate, "remember", "manifest"), (engine.Engine, "save", "save")):
    timed(owner, name, part)
ending = launch._exit_at_once
def ended(code):
    parts["in process"] = time.perf_counter() - started
    print(json.dumps(parts), file=sys.stderr)
    ending(code)
launch._exit_at_once = ended
sys.argv = ["papernotes", *sys.argv[1:]]
launch.main()
"""
#: The parts timed inside ``restore``, and those that make up the process with the imports.
WITHIN_RESTORE = ("unpickle", "page digests", "plan")
WITHIN_PRODUCE = ("read and link", "graph")
OUTER = ("up-to-date check", "restore", "produce", "manifest", "save")


def timed_build(site: Path, out: Path) -> dict[str, float]:
    """The parts of one ``papernotes build`` of ``site`` into ``out`` (``WRAPPER``)."""
    begun = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", WRAPPER, "build", str(site), "-o", str(out), "--no-search", "-q"],
                          capture_output=True, text=True)
    process = time.perf_counter() - begun
    lines = done.stderr.strip().splitlines()
    if done.returncode != 0 or not lines:
        raise SystemExit(f"the build failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
    parts: dict[str, float] = json.loads(lines[-1])
    parts["imports, the rest"] = parts["in process"] - sum(parts.get(name, 0.0) for name in OUTER)
    parts["start-up"] = process - parts.pop("in process")
    parts["process"] = process
    return parts


def middle_note(site: Path) -> Path:
    notes = sorted(path for path in site.rglob("*.md") if ".papernotes-cache" not in path.parts)
    if not notes:
        raise SystemExit(f"no Markdown note in {site}")
    return notes[len(notes) // 2]


def edited(original: str, edit: str, site: Path, note: Path) -> str:
    """The note's text after one edit of the kind ``edit``."""
    if edit == "text":
        return original + f"\n\nOne more line, {time.time_ns()}.\n"
    lines = original.splitlines(keepends=True)
    key = "tags:" if edit == "tag" else "title:"
    at = next((index for index, line in enumerate(lines) if line.startswith(key)), None)
    if at is None:
        raise SystemExit(f"{note} has no {key} line to edit")
    if edit == "title":
        lines[at] = f"title: A title edited at {time.time_ns()}\n"
        return "".join(lines)
    lines[at] = lines[at].replace("[", f"[{known_tag(site, note)}, ", 1)
    return "".join(lines)


def known_tag(site: Path, note: Path) -> str:
    """The first tag of the first other note whose tags are listed as ``tags: [a, b]``."""
    for other in sorted(site.rglob("*.md")):
        if other == note:
            continue
        line = next((line for line in other.read_text(encoding="utf-8").splitlines() if line.startswith("tags: [")), "")
        tag = line.removeprefix("tags: [").split(",")[0].strip(' "]')
        if tag:
            return tag
    raise SystemExit("no other note lists a tag")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--edit", choices=("text", "tag", "title", "delete", "new"), default="text")
    args = parser.parse_args()
    note = middle_note(args.site)
    original = note.read_bytes()
    added = note.with_name("a-note-just-written.md")
    runs: list[dict[str, float]] = []
    try:
        for edit in range(args.edits):
            if args.edit == "delete":
                note.unlink()
            elif args.edit == "new":
                added.write_text(f"---\ntitle: A note just written\ntags: [{known_tag(args.site, note)}]\n---\n\nIts text.\n",
                                 encoding="utf-8")
            else:
                note.write_bytes(edited(original.decode("utf-8"), args.edit, args.site, note).encode("utf-8"))
            runs.append(timed_build(args.site, args.out))
            note.write_bytes(original)
            added.unlink(missing_ok=True)
            subprocess.run([sys.executable, "-m", "papernotes", "build", str(args.site), "-o", str(args.out),
                            "--no-search", "-q"], capture_output=True, check=True)
    finally:
        note.write_bytes(original)
        added.unlink(missing_ok=True)
    print(f"{note.relative_to(args.site)}: {args.edit}, {args.edits} runs; wall seconds, median (min–max)")
    for part in ("start-up", "imports, the rest", *OUTER[:2], *WITHIN_RESTORE, OUTER[2], *WITHIN_PRODUCE, *OUTER[3:],
                 "process"):
        values = [run.get(part, 0.0) for run in runs]
        name = f"  {part}" if part in WITHIN_RESTORE + WITHIN_PRODUCE else part
        print(f"{name:20} {statistics.median(values):.3f} ({min(values):.3f}–{max(values):.3f})")


if __name__ == "__main__":
    main()
