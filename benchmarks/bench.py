"""Measure papernotes build speed: cold, warm (cache present, nothing changed) and one-note edits.

    python benchmarks/bench.py --notes 1000 [--notes 10000 ...] [--runs 3] [--edits 20] [--no-search]

For each size it writes a corpus of synthetic paper notes (front matter, headings, lists,
a table, a Python block, inline and display math, arXiv links, wikilinks) into a temporary
folder, then reports median wall seconds and peak memory (RSS) of:

- cold:  ``papernotes build --no-cache`` in a fresh process, output folder removed first;
- warm:  ``papernotes build`` in a fresh process, cache and output of the previous build present,
         nothing changed since;
- one file changed: the same, after one note was edited (reads of the other notes from the cache);
- edit:  one note changed and rebuilt in-process the way ``papernotes serve`` rebuilds (in memory,
         reads and rendered pages remembered from the previous build; median of ``--edits`` edits).

    python benchmarks/bench.py --site SITE_DIR [--edits 20]

times only the one-note edits in an existing site (such as the peer harness's corpus), with
and without the file watcher naming the changed file.

    python benchmarks/bench.py --site SITE_DIR --command-line [--out OUT] [--edits 5] [--no-search]

times ``papernotes build SITE_DIR`` in a fresh process after each of these edits of the site's
middle note, in CPU seconds (user + system, the build's worker processes included; wall time
means little on a busy machine, and is given beside it: the work spans processes) and peak
memory: its text (median of ``--edits``), one more tag that other notes have, its title (list
pages change), one more tag new to the site, the note deleted and a new note written beside it
(dated today, so first on the home page, with a tag other notes have), each from the site as it was (undone and the site built again, untimed, after each). The site must have been built
once (its cache folder filled). With ``--watch``, each build is made as ``papernotes build
--watch`` makes it after a change: in this process, by the engine the previous build kept.
With ``--preview``, as ``papernotes serve`` rebuilds after a change: in memory, in this
process, by the preview's engine, no page open and every file looked at (as after a poll).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, TypeVar

Done = TypeVar("Done")
WORDS = ("attention model token gradient layer loss scaling context memory kernel sparse dense "
         "retrieval alignment reward policy diffusion sampler encoder decoder latent prior training "
         "inference benchmark dataset throughput latency batch optimizer schedule warmup").split()
TAGS = [f"topic-{i}" for i in range(150)]
FORMULAS = [r"\mathcal{L} = -\sum_i \log p_\theta(x_i \mid x_{<i})", r"\nabla_\theta J(\theta)",
            r"\mathrm{softmax}\left(\frac{QK^\top}{\sqrt{d_k}}\right)V", r"O(n^2 d)", r"\lambda \|\theta\|_2^2"]
CODE = '''```python
def step(params, grads, lr={lr}):
    return [p - lr * g for p, g in zip(params, grads)]
```'''


def sentence(rng: random.Random, n: int = 14) -> str:
    words = rng.choices(WORDS, k=n)
    return " ".join(words).capitalize() + "."


def note_text(index: int, total: int, rng: random.Random) -> str:
    paper = f"{rng.randint(15, 24):02d}{rng.randint(1, 12):02d}.{rng.randint(1, 20000):05d}"
    other = rng.randrange(total)
    tags = ", ".join(rng.sample(TAGS, 3))
    paragraphs = "\n\n".join(" ".join(sentence(rng) for _ in range(5)) for _ in range(6))
    return f"""---
title: "Note {index}: {' '.join(rng.choices(WORDS, k=4))}"
date: {2018 + index % 7}-{1 + index % 12:02d}-{1 + index % 28:02d}
tags: [{tags}]
papers: ["{paper}"]
---

## Summary

This note covers [arXiv:{paper}](https://arxiv.org/abs/{paper}). {paragraphs}

## Method

- {sentence(rng)} The loss is ${rng.choice(FORMULAS)}$.
- {sentence(rng)}
- {sentence(rng)} See [[Note {other}]].

$$
{rng.choice(FORMULAS)}
$$

| setting | value |
|---|---|
| lr | {rng.random():.4f} |
| batch | {rng.choice([32, 64, 128])} |

{CODE.format(lr=round(rng.random(), 3))}

## Takeaways

{paragraphs}
"""


def make_corpus(folder: Path, notes: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    content = folder / "content"
    content.mkdir(parents=True)
    for index in range(notes):
        (content / f"note-{index:06d}.md").write_text(note_text(index, notes, rng), encoding="utf-8")
    (folder / "papernotes.yaml").write_text("title: Benchmark\nbase_url: https://example.org/\n")


def timed_process(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of a child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak, before) / 1024


def measure(notes: int, runs: int, edits: int, search: bool) -> dict[str, object]:
    folder = Path(tempfile.mkdtemp(prefix=f"papernotes-bench-{notes}-"))
    try:
        make_corpus(folder, notes)
        command = [sys.executable, "-m", "papernotes", "build", str(folder), "-q"] + ([] if search else ["--no-search"])
        cold, cold_rss = [], 0.0
        for _ in range(runs):
            shutil.rmtree(folder / "site", ignore_errors=True)
            shutil.rmtree(folder / ".papernotes-cache", ignore_errors=True)
            wall, rss = timed_process(command + ["--no-cache"])
            cold.append(wall)
            cold_rss = max(cold_rss, rss)
        timed_process(command)  # fills the cache
        time.sleep(1.1)  # inputs changed within a second of a build are not trusted to be unchanged
        timed_process(command)
        warm = [timed_process(command)[0] for _ in range(runs)]
        target = folder / "content" / "note-000000.md"
        touched = []
        for edit in range(runs):
            target.write_text(target.read_text() + f"\nCommand-line edit {edit}.\n")
            touched.append(timed_process(command)[0])
        edit_times = edit_latency(folder, target, edits)
        return {"notes": notes, "cold_s": statistics.median(cold), "cold_runs": cold, "cold_peak_mb": round(cold_rss),
                "warm_s": statistics.median(warm), "warm_runs": warm, "touched_s": statistics.median(touched),
                "edit_s": statistics.median(edit_times),
                "search": search}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def edit_latency(site: Path, target: Path, edits: int, named: bool = False, cpu: list[float] | None = None,
                 stages: dict[str, list[float]] | None = None) -> list[float]:
    """Seconds of each in-process rebuild after an edit of ``target``, done the way ``papernotes
    serve`` rebuilds (no browser open; ``named``: the watcher names the changed file), and into
    ``cpu`` each one's processor seconds and into ``stages`` the seconds of each of the engine's
    stages (reading, the graph, planning and writing). The note gets one line added each time
    and is put back at the end."""
    from papernotes.build import BuildOptions, SiteLayout
    from papernotes.serve.preview import memory_builder

    timed: list[tuple[tuple[str, float], ...]] = []
    rebuild = memory_builder(SiteLayout.find(site), BuildOptions(search=False), built=lambda made: timed.append(made.laps))
    rebuild(None)
    timed.clear()
    original, times = target.read_text(), []
    try:
        for edit in range(edits):
            target.write_text(f"{original}\nEdit {edit}.\n")
            started, processor = time.perf_counter(), time.process_time()
            if not rebuild(frozenset({str(target.resolve())}) if named else None).files:  # named as the watcher does
                raise SystemExit("the rebuild failed")
            times.append(time.perf_counter() - started)
            if cpu is not None:
                cpu.append(time.process_time() - processor)
    finally:
        target.write_text(original)
    if stages is not None:
        for name, seconds in (lap for laps in timed for lap in laps):
            stages.setdefault(name, []).append(seconds)
    return times


def process_costs(args: list[str]) -> tuple[float, float, float]:
    """CPU seconds (user + system, with those of the processes it waited for), wall seconds and
    peak RSS (MB) of a child process."""
    before, started = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall, after = time.perf_counter() - started, resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, wall, after.ru_maxrss / 1024


def known_tag(target: Path, own: str) -> str | None:
    """A tag another note of ``target``'s folder has and ``own`` (its tags line) does not name."""
    for other in sorted(target.parent.glob("*.md")):
        if other == target:
            continue
        line = next((line for line in other.read_text(encoding="utf-8").splitlines() if line.startswith("tags:")), "")
        for tag in line.removeprefix("tags:").strip(" []").split(","):
            tag = tag.strip().strip("\"'")
            if tag and tag not in own:
                return tag
    return None


def kept_engine_costs(site: Path, out: Path | None, search: bool) -> Callable[[], tuple[float, float, float]]:
    """What ``papernotes build --watch`` does after each change, in this process: a build by the
    engine the last one kept (made here, untimed, by a first build), then, untimed, the state
    saved as the watch saves it once the changes settle. Each call gives the CPU seconds (this
    process's and its workers'), wall seconds and peak RSS (MB) of one build."""
    from papernotes.build import BuildOptions, KeptEngine, SiteLayout, build

    layout, options, kept = SiteLayout.find(site, out), BuildOptions(search=search), KeptEngine()
    build(layout, options, kept_engine=kept)

    def costs() -> tuple[float, float, float]:
        cpu, wall, _ = _timed(lambda: build(layout, options, kept_engine=kept))
        kept.save()
        return cpu, wall, _peak_mb()

    return costs


def preview_costs(site: Path) -> Callable[[], tuple[float, float, float]]:
    """What ``papernotes serve`` does after each change, in this process: a rebuild into memory
    by the preview's engine (made here, untimed, by a first build), no page open, every file
    looked at. Each call gives the CPU seconds, wall seconds and peak RSS (MB) of one rebuild."""
    from papernotes.build import BuildOptions, SiteLayout
    from papernotes.serve.preview import memory_builder

    rebuild = memory_builder(SiteLayout.find(site), BuildOptions(search=False))
    rebuild(None)

    def costs() -> tuple[float, float, float]:
        cpu, wall, snapshot = _timed(lambda: rebuild(None))
        if not snapshot.files:
            raise SystemExit("the rebuild failed")
        return cpu, wall, _peak_mb()

    return costs


def _timed(work: Callable[[], Done]) -> tuple[float, float, Done]:
    """The CPU seconds (this process's and its workers') and wall seconds ``work`` took, and what it gave."""
    before, started = _cpu_seconds(), time.perf_counter()
    done = work()
    return _cpu_seconds() - before, time.perf_counter() - started, done


def _peak_mb() -> float:
    """This process's peak resident memory so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_seconds() -> float:
    return sum(usage.ru_utime + usage.ru_stime for usage in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)))


def command_line_edits(site: Path, target: Path, costs: Callable[[], tuple[float, float, float]],
                       edits: int) -> list[tuple[str, float, float, float]]:
    """(edit, CPU s, wall s, peak MB) of a build (``costs`` makes one and says what it cost)
    after each kind of edit of ``target``. Each edit writes text no earlier run wrote (a mark
    of this run in it: in a comment where the edit is to front matter), as a person's edit
    would: a build keeps each file's read by its contents, and an edit made again would be
    given the read kept by the earlier run rather than the note read anew."""
    original = target.read_text(encoding="utf-8")
    run_mark = time.time_ns()
    lines = original.splitlines(keepends=True)
    title = next(i for i, line in enumerate(lines) if line.startswith("title:"))
    tags = next((i for i, line in enumerate(lines) if line.startswith("tags:")), None)

    def with_line(index: int | None, text: str) -> str:
        """The note with line ``index`` (None: a new line after the opening fence) made ``text``,
        this run's mark in a comment after it."""
        changed = list(lines)
        text = f"{text.rstrip()}  # edit {run_mark}\n"
        if index is None:
            changed.insert(1, text)
        else:
            changed[index] = text
        return "".join(changed)

    added = target.with_name("bench-added-note.md")

    def run(name: str, text: str | None, path: Path = target, renamed: bool = False) -> tuple[str, float, float, float]:
        """The costs of the build after one edit (``text`` written to ``path``, in place or, as
        vim, Emacs and JetBrains' safe write save, into a new file ``renamed`` over it; or the
        note deleted) of the site as it was: each edit is undone (and the site built again,
        untimed) before the next, so that no edit is timed with another."""
        if text is None:
            target.unlink()
        elif renamed:
            saving = path.with_name(f".{path.name}.saving")
            saving.write_text(text, encoding="utf-8")
            os.replace(saving, path)
        else:
            path.write_text(text, encoding="utf-8")
        time.sleep(1.1)  # not racy: the build sees the edit by the file's size and time, as it would a person's
        spent = costs()
        target.write_text(original, encoding="utf-8")
        added.unlink(missing_ok=True)
        time.sleep(1.1)
        costs()
        return (name, *spent)

    rows = []
    try:
        for edit in range(edits):
            rows.append(run("text", f"{original}\nCommand-line edit {edit} of run {run_mark}.\n"))
        rows.append(run("text saved by renaming", f"{original}\nA renamed save of run {run_mark}.\n", renamed=True))
        known = known_tag(target, lines[tags] if tags is not None else "")
        if known is not None:
            rows.append(run("known tag", with_line(tags, lines[tags].replace("[", f"[{known}, ", 1) if tags is not None
                                                   else f"tags: [{known}]\n")))
        rows.append(run("title", with_line(title, "title: An edited title")))
        rows.append(run("tag", with_line(tags, lines[tags].replace("[", "[bench-tag, ", 1) if tags is not None else "tags: [bench-tag]\n")))
        rows.append(run("delete", None))
        written = f"---\ntitle: A note just written\ndate: {dt.date.today().isoformat()}\ntags: [{known or 'bench-tag'}]\n---\n"
        rows.append(run("new note", written + f"On arXiv:1706.03762 (run {run_mark}).\n", added))
    finally:
        target.write_text(original, encoding="utf-8")
        added.unlink(missing_ok=True)
        costs()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notes", type=int, action="append", help="corpus size (repeatable); default 1000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--no-search", action="store_true", help="skip the Pagefind index in every build")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--site", type=Path, help="only time one-note edits in this existing site (its middle note)")
    parser.add_argument("--command-line", action="store_true", help="with --site: time `papernotes build` after edits")
    parser.add_argument("--out", type=Path, help="with --command-line: the output folder to build into")
    parser.add_argument("--watch", action="store_true", help="with --command-line: build as `papernotes build --watch` "
                        "does after a change, by the engine the last build kept, in this process")
    parser.add_argument("--preview", action="store_true", help="with --command-line: rebuild as `papernotes serve` "
                        "does after a change, into memory, in this process")
    args = parser.parse_args()
    if args.site:
        notes = sorted((args.site / "content").glob("*.md")) or sorted(args.site.glob("*.md"))
        if args.command_line:
            build = [sys.executable, "-m", "papernotes", "build", str(args.site), "-q"]
            build += (["-o", str(args.out)] if args.out else []) + (["--no-search"] if args.no_search else [])
            costs = (preview_costs(args.site) if args.preview
                     else kept_engine_costs(args.site, args.out, not args.no_search) if args.watch
                     else lambda: process_costs(build))
            rows = command_line_edits(args.site, notes[len(notes) // 2], costs, args.edits)
            texts = [(cpu, wall) for name, cpu, wall, _ in rows if name == "text"]
            print(f"text edited: median {statistics.median(c for c, _ in texts):.2f} CPU s, "
                  f"{statistics.median(w for _, w in texts):.2f} s wall over {len(texts)} builds "
                  f"{[(round(c, 2), round(w, 2)) for c, w in texts]}")
            for name, seconds, wall, _ in rows:
                if name != "text":
                    print(f"{name} edited: {seconds:.2f} CPU s, {wall:.2f} s wall")
            print(f"peak {max(peak for *_, peak in rows):.0f} MB")
            return
        for named in (True, False):
            cpu: list[float] = []
            stages: dict[str, list[float]] = {}
            times = edit_latency(args.site, notes[len(notes) // 2], args.edits, named, cpu, stages)
            print(f"one edit, {'file named by the watcher' if named else 'every file looked at'}: median "
                  f"{statistics.median(times) * 1000:.0f} ms over {len(times)} edits "
                  f"({statistics.median(cpu) * 1000:.0f} ms of processor time; "
                  + ", ".join(f"{name} {statistics.median(seconds) * 1000:.0f}" for name, seconds in stages.items()) + " ms)")
        return
    results = [measure(n, args.runs, args.edits, not args.no_search) for n in (args.notes or [1000])]
    print("| notes | cold s | warm s (nothing changed) | one file changed s | one edit in the preview s | cold peak MB |")
    print("|---:|---:|---:|---:|---:|---:|")
    for row in results:
        print(f"| {row['notes']} | {row['cold_s']:.2f} | {row['warm_s']:.2f} | {row['touched_s']:.2f} | {row['edit_s']:.3f} "
              f"| {row['cold_peak_mb']} |")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
