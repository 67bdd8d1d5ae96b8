"""Measure what the search index costs a build: time, CPU and the memory of every process.

    python benchmarks/search.py --notes 10000 [--runs 3]
    python benchmarks/search.py --site SITE_DIR [--runs 3]

Builds the site (a synthetic corpus of ``--notes`` notes, see ``bench.py``, or an existing
notes folder) cold, ``papernotes build --no-cache``, with and without ``--no-search``, in
turn (A B A B …, so both see the same machine), each in a fresh process with the output
removed first. For each it reports the median wall seconds, CPU seconds (user + system of the
whole process tree: papernotes, its render workers and the Pagefind processes), the
largest peak RSS of any one process, and the peak of the processes' memory together (their
proportional set sizes summed, sampled every 50 ms; Linux only, else 0). Then two rebuilds with search: after a change that
touches every page but no indexed text (the site title), which must keep the index, and after
one note's text changed, which must index again; for these it reports the search step's own
seconds from ``build -v``.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import make_corpus  # noqa: E402

MEASURE = """
import json, resource, subprocess, sys, tempfile, time

sys.path.insert(0, sys.argv.pop(1))
from scale import kilobytes, process_tree

started = time.perf_counter()
with tempfile.TemporaryFile("w+") as log:
    process = subprocess.Popen(sys.argv[1:], stdout=log, stderr=subprocess.STDOUT, text=True)
    together = 0
    while process.poll() is None:
        together = max(together, sum(kilobytes(f"/proc/{pid}/smaps_rollup", "Pss:") for pid in process_tree(process.pid)))
        time.sleep(0.05)
    wall = time.perf_counter() - started
    log.seek(0)
    output = log.read()
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024,
                  "together_mb": together / 1024, "code": process.returncode, "output": output[-4000:]}))
"""


def run_build(site: Path, out: Path, *flags: str) -> dict[str, object]:
    """One build in a fresh process tree; its wall and CPU seconds, largest process and output."""
    command = [sys.executable, "-c", MEASURE, str(Path(__file__).resolve().parent),  # where ``scale`` is
               sys.executable, "-m", "papernotes", "build", str(site), "-o", str(out), "-v", *flags]
    result: dict[str, object] = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
    if result["code"] != 0:
        raise SystemExit(f"build failed: {result['output']}")
    return result


def search_seconds(result: dict[str, object]) -> float | None:
    found = re.search(r"\bsearch ([\d.]+) s", str(result["output"]))
    return float(found[1]) if found else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--notes", type=int, help="build a synthetic corpus of this many notes")
    source.add_argument("--site", type=Path, help="an existing site or notes folder (it is copied, never written)")
    parser.add_argument("--runs", type=int, default=3, help="cold builds of each kind (default 3)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="papernotes-search-bench-"))
    try:
        site = work / "site"
        if args.notes:
            make_corpus(site, args.notes)
        else:
            shutil.copytree(args.site, site)
        out = work / "out"
        kinds = {"without search": ("--no-search",), "with search": ()}
        runs: dict[str, list[dict[str, object]]] = {kind: [] for kind in kinds}
        for _ in range(args.runs):
            for kind, flags in kinds.items():
                shutil.rmtree(out, ignore_errors=True)
                runs[kind].append(run_build(site, out, "--no-cache", *flags))
        for kind, results in runs.items():
            print(f"cold build {kind}: " + ", ".join(
                f"{name} {statistics.median(float(r[key]) for r in results):.2f}{unit}"  # type: ignore[arg-type]
                for name, key, unit in (("wall", "wall", " s"), ("cpu", "cpu", " s"), ("largest process", "rss_mb", " MB"),
                                        ("all processes together", "together_mb", " MB"))))
        steps = [seconds for r in runs["with search"] if (seconds := search_seconds(r)) is not None]
        print(f"search step of the cold build (build -v): median {statistics.median(steps):.2f} s")
        walls = [float(b["wall"]) / float(a["wall"]) for a, b in zip(runs["without search"], runs["with search"])]  # type: ignore[arg-type]
        print(f"search adds {100 * (statistics.median(walls) - 1):.0f} % to a cold build (median of paired ratios)")
        config = site / "papernotes.yaml"
        settings = config.read_text(encoding="utf-8") if config.exists() else ""
        config.write_text(re.sub(r"(?m)^title:.*\n?", "", settings) + "title: Renamed site\n", encoding="utf-8")
        kept = run_build(site, out)
        print(f"rebuild, no indexed text changed: search step {search_seconds(kept)} s, largest process {kept['rss_mb']:.0f} MB")
        note = next(p for p in sorted(site.rglob("*.md")) if not p.name.startswith("_"))
        note.write_text(note.read_text(encoding="utf-8") + "\n\nOne more searchable sentence.\n", encoding="utf-8")
        edited = run_build(site, out)
        print(f"rebuild, one note edited: search step {search_seconds(edited)} s, largest process {edited['rss_mb']:.0f} MB, "
              f"all processes together {edited['together_mb']:.0f} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
