"""Time ``papernotes build`` finding nothing to do, in each sequence a user runs it in.

    python benchmarks/uptodate.py SITE_DIR OUT_DIR [--runs 5] [--search] [--papernotes CMD]

``SITE_DIR`` is built into ``OUT_DIR`` first (slow the first time; build a copy of your notes or
of ``gen_corpus.py``'s, never a folder you cannot let a cache sit beside). Then, ``--runs`` times
each, the whole ``papernotes build SITE_DIR -o OUT_DIR`` process is timed:

- ``again``: right after the last build;
- ``after 2 s``: two seconds after it (the files written just before that build are racy, and
  their bytes are hashed);
- ``touched``: right after a note was touched (its time set ten seconds back, its bytes
  unchanged: an editor saving unchanged, a checkout rewriting it as it was): the check hashes
  it, finds the bytes the last build had and takes its new time;
- ``touched, then again``: the build after that, which hashes nothing.

Each line gives the median, min and max of processor seconds (user + system of the process, as
the system accounts it) and of wall seconds, and whether every run said ``up to date``.
"""

from __future__ import annotations

import argparse
import os
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path


def timed(command: list[str]) -> tuple[float, float, str]:
    """Processor and wall seconds of one run of ``command``, and what it printed."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = process.stdout.read() if process.stdout else ""
    _, _, usage = os.wait4(process.pid, 0)
    return usage.ru_utime + usage.ru_stime, time.perf_counter() - started, output


def summary(name: str, runs: list[tuple[float, float, str]]) -> str:
    cpu, wall = [r[0] for r in runs], [r[1] for r in runs]
    told = all("up to date" in r[2] for r in runs)
    return (f"{name:24} cpu {statistics.median(cpu):.3f} s ({min(cpu):.3f}–{max(cpu):.3f})   "
            f"wall {statistics.median(wall):.3f} s ({min(wall):.3f}–{max(wall):.3f})   "
            f"{'up to date' if told else 'BUILT (not up to date)'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--search", action="store_true", help="Build the search index too (default: --no-search).")
    parser.add_argument("--papernotes", default=f"{shlex.quote(sys.executable)} -m papernotes",
                        help="The command to time (default: this Python's papernotes).")
    args = parser.parse_args()
    command = [*shlex.split(args.papernotes), "build", str(args.site), "-o", str(args.out)]
    command += [] if args.search else ["--no-search"]
    print("building once:", " ".join(command), flush=True)
    subprocess.run([*command, "-q"], check=True)
    time.sleep(1.1)  # files written within a second of a build (a folder just copied) are hashed by the next
    subprocess.run([*command, "-q"], check=True)
    note = next(p for p in sorted(args.site.rglob("*.md")) if ".papernotes-cache" not in p.parts)

    again = [timed(command) for _ in range(args.runs)]
    later = []
    for _ in range(args.runs):
        time.sleep(2)
        later.append(timed(command))
    touched, settled = [], []
    for run in range(args.runs):
        moment = time.time() - 10 - run  # a new time each run, older than a second: not racy
        os.utime(note, (moment, moment))
        touched.append(timed(command))
        settled.append(timed(command))
    for name, runs in (("again", again), ("after 2 s", later), ("touched", touched), ("touched, then again", settled)):
        print(summary(name, runs))


if __name__ == "__main__":
    main()
