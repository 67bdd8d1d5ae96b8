"""Time the paper graph on a note that lists thousands of papers (an "awesome list" README).

    python benchmarks/papers_scale.py [--papers 5900] [--notes 50]

Writes a site whose ``papers.md`` lists ``--papers`` arXiv papers, one ``- [Title](link)`` line
each under a heading every fifty lines, plus ``--notes`` ordinary notes that each discuss a few
of the same papers; builds it with ``papernotes build -v --no-search`` in a fresh process and
prints the stage times (``graph`` is the stage that groups mentions into papers, co-mentions
and related notes) and the peak memory of the build.
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = ("attention model token gradient layer loss scaling context memory kernel sparse dense retrieval "
         "alignment reward policy diffusion sampler encoder decoder latent prior").split()


def paper_id(index: int) -> str:
    """A valid new-style arXiv id: five digits from 2015 on."""
    month = 1 + index % 12
    return f"{16 + index // 99_999 % 9}{month:02d}.{index % 99_999:05d}"


def title(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 9))).capitalize()


def write_site(root: Path, papers: int, notes: int) -> None:
    rng = random.Random(7)
    content = root / "content"
    content.mkdir(parents=True)
    (root / "papernotes.yaml").write_text("title: Paper scale\n")
    lines = ["---", "title: A very long reading list", "date: 2024-01-01", "---", ""]
    for index in range(papers):
        if index % 50 == 0:
            lines += ["", f"## Part {index // 50 + 1}", ""]
        lines.append(f"- [{title(rng)}](https://arxiv.org/abs/{paper_id(index)}) - {rng.choice(WORDS)}")
    (content / "papers.md").write_text("\n".join(lines) + "\n")
    for number in range(notes):
        cited = [paper_id(rng.randrange(papers)) for _ in range(5)]
        body = "\n\n".join(f"On {rng.choice(WORDS)}: see arXiv:{pid}." for pid in cited)
        (content / f"note-{number}.md").write_text(f"---\ntitle: Note {number}\ndate: 2024-02-{1 + number % 28:02d}\n---\n\n{body}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=5900)
    parser.add_argument("--notes", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "site"
        write_site(root, args.papers, args.notes)
        started = time.perf_counter()
        run = subprocess.run([sys.executable, "-m", "papernotes", "build", str(root), "-v", "--no-search", "--no-cache"],
                             capture_output=True, text=True, check=False)
        wall = time.perf_counter() - started
        if run.returncode:
            sys.exit(run.stderr or run.stdout)
        times = next((line for line in run.stdout.splitlines() if line.startswith("time: ")), "time: ?")
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"{args.papers} papers in one note, {args.notes} other notes: {wall:.1f} s wall, peak {peak:.0f} MB")
        print(times)


if __name__ == "__main__":
    main()
