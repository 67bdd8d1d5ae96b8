"""Measure how a cold build grows with the site: time and the peak memory of every process.

    python benchmarks/scale.py --notes 1000 [--notes 10000 ...] [--interval 0.2]
    python benchmarks/scale.py --site NOTES_FOLDER [--site ...]

Each size is a synthetic corpus (``bench.py``'s notes) written into a temporary folder; ``--site``
builds an existing notes folder instead (it is only read; its files count as its notes). Every build is ``papernotes build
--no-cache --no-search -q`` in a fresh process into a fresh output folder. While it runs, the
build's process tree is sampled from ``/proc`` (Linux): each process's peak resident memory
(``VmHWM``, which the kernel keeps, so a sample late in a process's life sees its whole peak)
and its proportional share (``Pss``: pages shared with the parent after ``fork`` counted once
across the processes that share them). Prints, per build, the processor seconds (user + system,
all processes), the wall seconds, the number of processes, and the largest peak RSS and PSS of
any one process; ``--json`` keeps every process's figures.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import make_corpus  # noqa: E402  (the same synthetic notes as the other benchmarks)


@dataclass
class Peak:
    """The largest figures seen for one process, in kB."""

    pid: int
    name: str
    rss: int = 0
    pss: int = 0


@dataclass
class Run:
    site: str
    notes: int
    wall: float
    cpu: float
    exit: int
    processes: list[Peak] = field(default_factory=list)

    @property
    def largest_rss(self) -> Peak:
        return max(self.processes, key=lambda peak: peak.rss)

    @property
    def largest_pss(self) -> Peak:
        return max(self.processes, key=lambda peak: peak.pss)


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found += [int(child) for child in handle.read().split()]
    except OSError:
        pass
    return found


def process_tree(root: int) -> list[int]:
    """``root`` and every process under it now (``/proc``)."""
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        todo += _children(pid)
    return pids


def kilobytes(path: str, name: str) -> int:
    """The figure on the line of ``/proc`` file ``path`` that begins with ``name`` (0: none)."""
    try:
        with open(path) as handle:
            for line in handle:
                if line.startswith(name):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def sample(pid: int, peaks: dict[int, Peak]) -> None:
    """Update ``peaks`` with the figures of ``pid`` and every process under it now."""
    for each in process_tree(pid):
        try:
            with open(f"/proc/{each}/cmdline", "rb") as handle:
                name = handle.read().replace(b"\0", b" ").decode(errors="replace").strip()[:80]
        except OSError:
            continue
        peak = peaks.setdefault(each, Peak(each, name))
        peak.name = peak.name or name  # a process that has ended has no command line left
        peak.rss = max(peak.rss, kilobytes(f"/proc/{each}/status", "VmHWM:"))
        peak.pss = max(peak.pss, kilobytes(f"/proc/{each}/smaps_rollup", "Pss:"))


def build(site: Path, notes: int, interval: float) -> Run:
    """One cold build of ``site`` in a fresh process, its process tree sampled every ``interval`` s."""
    with tempfile.TemporaryDirectory(prefix="papernotes-scale-") as folder:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "papernotes", "build", str(site), "-o", str(Path(folder) / "site"),
                                    "--no-cache", "--no-search", "-q"])
        peaks: dict[int, Peak] = {}
        while process.poll() is None:
            sample(process.pid, peaks)
            time.sleep(interval)
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if not peaks:  # over before the first sample: the largest process of the tree, as the kernel kept it
        peaks[process.pid] = Peak(process.pid, "papernotes build", after.ru_maxrss)
    return Run(str(site), notes, wall, cpu, process.returncode, sorted(peaks.values(), key=lambda peak: -peak.rss))


def _count_files(site: Path) -> int:
    """The files of an existing notes folder (not hidden), standing for its number of notes."""
    return sum(1 for path in site.rglob("*") if path.is_file() and not path.name.startswith("."))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notes", type=int, action="append", default=[], help="synthetic corpus size (repeatable)")
    parser.add_argument("--site", type=Path, action="append", default=[], help="an existing notes folder (repeatable)")
    parser.add_argument("--interval", type=float, default=0.2, help="seconds between samples of the process tree")
    parser.add_argument("--json", type=Path, help="also write every process's figures here")
    args = parser.parse_args()
    if not Path("/proc/self/status").exists():
        parser.error("reads process memory from /proc: Linux only")
    runs = []
    print(f"{'notes':>8} {'cpu s':>8} {'wall s':>8} {'cpu ms/note':>11} {'procs':>5} {'max RSS MB':>10} {'max PSS MB':>10}  site")
    with tempfile.TemporaryDirectory(prefix="papernotes-corpus-") as corpora:
        sites = [(site, _count_files(site)) for site in args.site]
        for notes in args.notes or ([] if args.site else [1000]):
            site = Path(corpora) / f"n{notes}"
            make_corpus(site, notes)
            sites.append((site, notes))
        for site, notes in sites:
            run = build(site, notes, args.interval)
            runs.append(run)
            print(f"{notes:>8} {run.cpu:>8.1f} {run.wall:>8.1f} {1000 * run.cpu / max(notes, 1):>11.2f} "
                  f"{len(run.processes):>5} {run.largest_rss.rss / 1024:>10.0f} {run.largest_pss.pss / 1024:>10.0f}  "
                  f"{site}{'' if run.exit == 0 else f' (exit {run.exit})'}", flush=True)
    if args.json:
        args.json.write_text(json.dumps([{**asdict(run), "largest_rss_kb": run.largest_rss.rss} for run in runs], indent=1))


if __name__ == "__main__":
    main()
