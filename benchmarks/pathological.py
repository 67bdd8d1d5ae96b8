"""Time cold builds of the three largest single inputs notes are known to hold.

    python benchmarks/pathological.py [--keep DIR] [--only reading-list|readme|feed] [--processes]

- ``reading-list``: one note listing 5,900 arXiv papers (``papers_scale.py``'s site: a
  ``- [Title](link)`` line each, a heading every fifty) beside 50 ordinary notes;
- ``readme``: an "awesome list" README of 1,098 papers, about 950 KB: a heading per year, each
  paper a bold title, authors, a ``[[pdf]]`` link and a paragraph about it;
- ``feed``: an Atom feed just under the 10 MB ``max_file_size``, entries of escaped HTML with
  headings, lists, arXiv links and ``$…$`` math, as blogs export them.

Each site is built with ``papernotes build -v --no-search --no-cache`` in a fresh process; the
script prints wall and processor seconds (user + system, the build and its workers) and the
peak memory of the largest process, with the stage times ``-v`` reports. ``--processes`` adds the
processor time of each process: the main one and each pool's workers (read, then render). On a
machine shared with other work wall time says little, but the main process's time plus that of
each pool's busiest worker is about what the build takes on idle cores (the main process waits
while a pool works; work a pool cannot split, one file read in one worker, stays on one core).
The sites and their output go in the temporary folder (``--keep`` elsewhere): ``TMPDIR=/dev/shm``
keeps them in memory, so that a disk grown slow at making files (the list writes 23,676 of them)
does not count in the figures.
"""

from __future__ import annotations

import argparse
import html
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from papers_scale import WORDS, paper_id, title, write_site as write_reading_list

FEED_BYTES = 9_900_000
README_PAPERS = 1098


def sentence(rng: random.Random, words: int = 16) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def formula(rng: random.Random, index: int) -> str:
    """Inline math as blog posts write it: some symbols again and again, most formulas once."""
    if rng.random() < 0.4:
        return rng.choice(("$\\theta$", "$x_i$", "$O(n^2)$", "$\\mathcal{L}$", "$\\nabla_\\theta J(\\theta)$"))
    return f"$\\alpha_{{{index}}} = \\frac{{{rng.randint(1, 99)}}}{{\\sqrt{{d_{{{rng.randint(1, 9)}}}}}}}$"


def write_readme(root: Path) -> None:
    """An awesome-list README: 1,098 papers, each with a paragraph, about 950 KB."""
    rng = random.Random(11)
    lines = ["# Awesome papers", "", "A curated list of papers worth reading, by year.", ""]
    for index in range(README_PAPERS):
        if index % 100 == 0:
            lines += [f"## {2012 + index // 100}", ""]
        authors = ", ".join(f"{rng.choice('ABCDEFGHJKLMNPRSTW')}. {rng.choice(WORDS).capitalize()}" for _ in range(3))
        lines.append(f"- **{title(rng)}** ({2012 + index // 100}), {authors} et al. "
                     f"[[pdf]](https://arxiv.org/pdf/{paper_id(index * 7)}.pdf) [[code]](https://github.com/x/y{index})")
        lines.append("  " + " ".join(sentence(rng, 14) for _ in range(6)) + f" It reports $O(n \\log n)$ on {rng.choice(WORDS)}.")
        lines.append("")
    root.mkdir(parents=True)
    (root / "README.md").write_text("\n".join(lines) + "\n")


def write_feed(root: Path) -> None:
    """An Atom feed of escaped HTML entries, just under 10 MB."""
    rng = random.Random(13)
    head = ('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
            " <title>Papers I read</title>\n <id>https://example.org/papers</id>\n <updated>2024-07-04T00:00:00Z</updated>\n")
    entries, size, index = [], len(head), 0
    while True:
        paper = paper_id(index * 13)
        body = "".join(
            f"<h2 id=\"part-{part}\">{html.escape(title(rng))}</h2>\n<ul>\n"
            + "".join(f"  <li><p>{sentence(rng, 24)} See {formula(rng, index)}.</p></li>\n" for _ in range(5))
            + "</ul>\n" for part in range(4))
        body += f'<p><a href="https://arxiv.org/abs/{paper}">Link to the paper</a></p>\n'
        entry = (f" <entry>\n  <title>{html.escape(title(rng))}</title>\n"
                 f'  <link href="https://example.org/papers/{index}"/>\n'
                 f"  <updated>{2016 + index % 8}-{1 + index % 12:02d}-{1 + index % 28:02d}T00:00:00Z</updated>\n"
                 f"  <id>https://example.org/papers/{index}</id>\n"
                 f'  <content type="html">{html.escape(body)}</content>\n </entry>\n')
        if size + len(entry) + len("</feed>\n") > FEED_BYTES:
            break
        entries.append(entry)
        size += len(entry)
        index += 1
    root.mkdir(parents=True)
    (root / "atom.xml").write_text(head + "".join(entries) + "</feed>\n")


#: Run in the build's process: each process, the main one and every forked worker, appends
#: "pid started ended cpu" to the file PROCESS_LOG names when it ends.
PROCESS_TIMES = """
import atexit, multiprocessing.util, os, resource, sys, time
def record(started):
    usage = resource.getrusage(resource.RUSAGE_SELF)
    with open(os.environ["PROCESS_LOG"], "a") as log:
        log.write(f"{os.getpid()} {started} {time.monotonic()} {usage.ru_utime + usage.ru_stime}\\n")
class Forked:
    pass
forked = Forked()  # pool workers end through multiprocessing's finalizers, not atexit
multiprocessing.util.register_after_fork(forked, lambda _: multiprocessing.util.Finalize(
    None, record, args=(time.monotonic(),), exitpriority=0))
atexit.register(record, time.monotonic())
from papernotes.cli import main
sys.argv[0] = "papernotes"
main()
"""


def process_times(log: Path) -> str:
    """The main process's processor time and each pool's (workers forked while the others of the
    pool ran), with what the build would take on idle cores."""
    rows = sorted((float(started), float(ended), float(cpu), int(pid)) for pid, started, ended, cpu
                  in (line.split() for line in log.read_text().splitlines()))
    main, *workers = rows  # the main process started first
    pools: list[list[tuple[float, float, float, int]]] = []
    for row in workers:
        if pools and row[0] < max(r[1] for r in pools[-1]):
            pools[-1].append(row)
        else:
            pools.append([row])
    parts = [f"main {main[2]:.1f} s"]
    for pool in pools:
        cpus = [r[2] for r in pool]
        parts.append(f"pool of {len(pool)}: {sum(cpus):.1f} s, busiest {max(cpus):.1f} s")
    idle = main[2] + sum(max(r[2] for r in pool) for pool in pools)
    return f"processes: {'; '.join(parts)}; about {idle:.1f} s on idle cores"


SITES = {"reading-list": lambda root: write_reading_list(root, 5900, 50), "readme": write_readme, "feed": write_feed}


def build(root: Path, processes: bool = False) -> None:
    out = root.parent / (root.name + "-site")
    shutil.rmtree(out, ignore_errors=True)  # a cold build: no earlier output to compare with or replace
    log = root.parent / (root.name + "-processes.log")
    log.unlink(missing_ok=True)
    start = [sys.executable, "-c", PROCESS_TIMES] if processes else [sys.executable, "-m", "papernotes"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    run = subprocess.run([*start, "build", str(root), "-o", str(out), "-v", "--no-search", "--no-cache"],
                         capture_output=True, text=True, check=False, env={**os.environ, "PROCESS_LOG": str(log)})
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if run.returncode:
        sys.exit(run.stderr or run.stdout)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    lines = run.stdout.splitlines()
    times = next((line for line in lines if line.startswith("time: ")), "time: ?")
    summary = next((line for line in lines if " notes, " in line and " pages" in line), "")
    print(f"{root.name}: {wall:.1f} s wall, {cpu:.1f} s processor, peak {after.ru_maxrss / 1024:.0f} MB (largest process so far)")
    print(f"  {times}\n  {summary}")
    if processes:
        print(f"  {process_times(log)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="write the sites and their output here and keep them")
    parser.add_argument("--only", choices=sorted(SITES), action="append", help="only this input (repeatable)")
    parser.add_argument("--processes", action="store_true", help="also the processor time of each process")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        base = args.keep or Path(folder)
        for name in args.only or SITES:
            root = base / name
            if not root.exists():
                SITES[name](root)
            build(root, args.processes)


if __name__ == "__main__":
    main()
