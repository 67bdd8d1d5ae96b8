"""Instructions the read stage executes, counted by valgrind: a figure the machine's speed and
load do not move, for comparing two versions of the code where timings drown in noise.

    python benchmarks/instructions.py FOLDER [--limit N] [--src SRC ...]

Every file of FOLDER that a build would read (the first ``--limit`` of them) is read in one
process under ``valgrind --tool=callgrind``, as ``papernotes build --no-cache -j 1`` reads it but
without the per-file time limit (under valgrind a large file runs past it). Setting up (imports,
the config, the folder's scan) is counted in a run that reads nothing and taken off; an uncounted
run first compiles what the reading imports to bytecode, which neither counted run then does. Each
``--src`` is a ``src`` folder of another checkout of papernotes, run with the same Python (its
dependencies must match); the default is this checkout's. Prints the instructions per source and
their ratio to the first. Needs ``valgrind`` (Debian: ``apt-get install valgrind``); about fifty
times slower than a plain run, so a few hundred notes or one large feed is plenty.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

#: Run in the counted process: read the files named on the command line (none: set up only).
READER = """
import sys
from pathlib import Path
from papernotes.config import load_config
from papernotes.markdown.assets import AssetFinder
from papernotes.papers.registry import load_registry
from papernotes.read import READERS, discover, file_dates, read_path
from papernotes.read.site import ReadInputs

site, limit, reading = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "read"
content = site / "content" if (site / "content").is_dir() else site
config, _ = load_config(site)
inputs = ReadInputs(content, config, load_registry(content), AssetFinder.scan(content, site / "static"))
paths = [Path(p) for p in discover(content)][:limit]
context = inputs.context(file_dates(content, paths))
readers = (*config.plugins.readers, *READERS)  # the site's own readers first, as a build has them
if reading:
    notes = sum(len(read_path(p, p.relative_to(content).as_posix(), context, readers).notes) for p in paths)
    print(f"read {len(paths)} files, {notes} notes", file=sys.stderr)
"""
_COLLECTED = re.compile(r"Collected : (\d+)")


def instructions(src: Path, folder: Path, limit: int, reading: bool) -> int:
    """The instructions one run of ``READER`` executes with papernotes from ``src``."""
    command = [sys.executable, "-c", READER, str(folder), str(limit), "read" if reading else "setup"]
    ran = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *command],
                         capture_output=True, text=True, env=_environment(src), check=False)
    found = _COLLECTED.search(ran.stderr)
    if ran.returncode != 0 or found is None:
        raise SystemExit(f"valgrind run failed ({ran.returncode}):\n{ran.stderr[-2000:]}")
    return int(found.group(1))


def _environment(src: Path) -> dict[str, str]:
    """Papernotes from ``src`` first on the path; modules compiled to bytecode as they are imported."""
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, (str(src), os.environ.get("PYTHONPATH"))))
    return environment


def warm_up(src: Path, folder: Path, limit: int) -> None:
    """One run uncounted, so that no counted run compiles a module the other does not."""
    ran = subprocess.run([sys.executable, "-c", READER, str(folder), str(limit), "read"], capture_output=True,
                         text=True, env=_environment(src), check=False)
    if ran.returncode != 0:
        raise SystemExit(f"reading with {src} failed ({ran.returncode}):\n{ran.stderr[-2000:]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--limit", type=int, default=200, help="read at most this many files (default 200)")
    parser.add_argument("--src", type=Path, action="append", help="a checkout's src folder (default: this one's)")
    args = parser.parse_args()
    sources = args.src or [Path(__file__).resolve().parent.parent / "src"]
    if not args.folder.is_dir():
        parser.error(f"{args.folder} is not a folder")
    for src in sources:
        if not (src / "papernotes" / "__init__.py").is_file():
            parser.error(f"{src} holds no papernotes package (give a checkout's src folder)")
    first = None
    for src in sources:
        warm_up(src.resolve(), args.folder.resolve(), args.limit)
        setup = instructions(src.resolve(), args.folder.resolve(), args.limit, reading=False)
        read = instructions(src.resolve(), args.folder.resolve(), args.limit, reading=True) - setup
        first = first or read
        print(f"{src}: {read:,} instructions reading ({setup:,} setting up), {read / first:.3f}× the first", flush=True)


if __name__ == "__main__":
    main()
