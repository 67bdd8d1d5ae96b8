"""Processor seconds of the read stage of a cold build, in one process, split by step.

    python benchmarks/read_stage.py SITE_OR_NOTES_DIR [--repeat N]

Every Markdown file of the folder is read as ``papernotes build --no-cache -j 1`` reads it
(front matter, Markdown rendering, paper mentions); then the steps that work on the rendered
HTML are timed again on their own over the same bodies:

- ``read``: the whole read stage (``read.site.read`` per file);
- ``markdown``: ``MarkdownRenderer.render`` alone (parse, render rules, Pygments, summary);
- ``mentions``: ``papers_in_html`` over every rendered body;
- ``summary``: ``summarize`` over every rendered body.

Figures are ``time.process_time`` seconds, the best of ``--repeat`` runs (default 3), each with
the renderers' memory of converted formulas and highlighted snippets cleared, as a build's
processes begin (what stays is made once a process: compiled patterns, lexers' joined states).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Callable

from papernotes.config import load_config
from papernotes.markdown.assets import AssetFinder
from papernotes.markdown.plaintext import math_text, summarize
from papernotes.papers.mentions import papers_in_html
from papernotes.papers.registry import load_registry
from papernotes.read import discover, file_dates
from papernotes.read.site import ReadInputs, read


def best(repeat: int, run: Callable[[], object], inputs: ReadInputs) -> float:
    """The least processor time ``run`` took in ``repeat`` runs, each as cold as a build's: the
    renderers' memory of converted formulas and highlighted snippets cleared first (a second
    pass would otherwise convert and highlight nothing)."""
    times = []
    for _ in range(repeat):
        for renderer in inputs.renderers:
            renderer.forget()
        math_text.cache_clear()
        start = time.process_time()
        run()
        times.append(time.process_time() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    site: Path = args.site.resolve()
    content = site / "content" if (site / "content").is_dir() else site
    config, _ = load_config(site)
    registry = load_registry(content)
    inputs = ReadInputs(content, config, registry, AssetFinder.scan(content, site / "static"))
    paths = [Path(path) for path in discover(content) if path.lower().endswith((".md", ".markdown"))]
    dates = file_dates(content, paths)
    renderer = inputs.renderers[0]
    texts = [(path, path.read_text(encoding="utf-8")) for path in paths]
    bodies = [note.body.html for path in paths for note in read(path, inputs, dates).notes]

    figures = {
        "read": best(args.repeat, lambda: [read(path, inputs, dates) for path in paths], inputs),
        "markdown": best(args.repeat, lambda: [renderer.render(text, str(path)) for path, text in texts], inputs),
        "mentions": best(args.repeat, lambda: [papers_in_html(body) for body in bodies], inputs),
        "summary": best(args.repeat, lambda: [summarize(body) for body in bodies], inputs),
    }
    print(f"{len(paths)} Markdown files, {sum(map(len, bodies)) / 1e6:.1f} MB of HTML")
    for step, seconds in figures.items():
        print(f"{step:10} {seconds:7.2f} s  {1000 * seconds / max(1, len(paths)):6.2f} ms/file")


if __name__ == "__main__":
    main()
