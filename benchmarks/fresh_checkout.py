"""Time a build the way a publishing workflow runs it: a fresh checkout of the notes, the cache
folder of the run before restored, no output folder.

    python benchmarks/fresh_checkout.py NOTES_DIR [--runs 3] [--no-search] [--src OTHER_CHECKOUT/src ...]

NOTES_DIR is a folder of notes (such as the harness's corpus); it is only read. For each
``--src`` (default: the papernotes this Python imports) a site folder is made in a temporary
folder and built once to fill its cache folder. Then each run, for each ``--src`` in turn
(A B A B …, so that both see the same machine): the site's notes and output are removed, the
notes copied in again (every file with a new modification time, as a checkout gives it), one
note edited (a push), and ``papernotes build SITE -o SITE/site -q`` timed in a fresh process.
Prints each build's wall and processor seconds (user + system, its workers and Pagefind
included) with the time of each stage ``-v`` reports (reading, linking, writing: the stages
move less with the machine than the whole), and the medians.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def checkout(notes: Path, site: Path, run: int) -> None:
    """The notes copied into ``site/content`` afresh, the middle one edited, the output gone."""
    shutil.rmtree(site / "site", ignore_errors=True)
    shutil.rmtree(site / "content", ignore_errors=True)
    shutil.copytree(notes, site / "content")
    files = sorted(path for path in (site / "content").rglob("*.md"))
    edited = files[len(files) // 2]
    edited.write_text(edited.read_text(encoding="utf-8") + f"\nA line pushed in run {run}.\n", encoding="utf-8")
    os.sync()


def build(site: Path, src: str | None, search: bool) -> tuple[float, float, str]:
    """Wall and processor seconds of one ``papernotes build -v`` of ``site`` with the code at
    ``src``, and the time of each stage it reported."""
    env = {**os.environ, "PYTHONPATH": src} if src else dict(os.environ)
    command = [sys.executable, "-m", "papernotes", "build", str(site), "-o", str(site / "site"), "-v"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command + ([] if search else ["--no-search"]), env=env, check=True,
                          capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    stages = next((line.removeprefix("time: ") for line in (done.stdout + done.stderr).splitlines()
                   if line.startswith("time: ")), "")
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, stages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notes", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-search", dest="search", action="store_false")
    parser.add_argument("--src", action="append", help="a papernotes source folder to import (repeat to compare)")
    args = parser.parse_args()
    sources = args.src or [None]
    with tempfile.TemporaryDirectory(prefix="papernotes-checkout-") as scratch:
        sites = {src: Path(scratch) / f"site-{index}" for index, src in enumerate(sources)}
        for src, site in sites.items():
            site.mkdir()
            (site / "papernotes.yaml").write_text("title: Fresh checkout\n")
            checkout(args.notes, site, 0)
            build(site, src, args.search)  # the run before: fills the cache folder
        times: dict[str | None, list[tuple[float, float]]] = {src: [] for src in sources}
        for run in range(1, args.runs + 1):
            for src, site in sites.items():
                checkout(args.notes, site, run)
                wall, cpu, stages = build(site, src, args.search)
                times[src].append((wall, cpu))
                print(f"{src or 'papernotes'}: {wall:.2f} s wall, {cpu:.2f} s processor ({stages})", flush=True)
        for src, found in times.items():
            print(f"{src or 'papernotes'}: median {statistics.median(w for w, _ in found):.2f} s wall, "
                  f"{statistics.median(c for _, c in found):.2f} s processor over {len(found)} builds")


if __name__ == "__main__":
    main()
