"""Long-running fuzzing of every reader and the Markdown pipeline with hypothesis.

    python tests/fuzz/fuzz_readers.py --examples 20000

Each case writes arbitrary text or bytes (biased towards front matter, feeds, math, wikilinks,
Liquid and HTML fragments) as a note, reads it with the format its content calls for, and
checks (with raw HTML in Markdown turned off, as for untrusted notes) that nothing but a
Diagnostic comes out and that the HTML is well-formed (every tag
opened is closed, no script survives from a feed). Prints how many cases ran and what failed.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import traceback
from html.parser import HTMLParser
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from papernotes.config import Config
from papernotes.markdown.pipeline import MarkdownRenderer
from papernotes.read.site import READERS
from papernotes.read import read_path
from papernotes.read.common import ReadContext

PIECES = st.sampled_from([
    "---\n", "title: x\n", "date: 2024-01-01\n", "tags: [a, b\n", "<?xml version='1.0'?>", "<rss><channel><item>",
    "<title>T</title>", "<description>", "</description>", "</item></channel></rss>", "<feed><entry>", "</entry>",
    "$", "$$", "\\frac{", "}", "\\(", "\\)", "\\[", "\\]", "[[", "]]", "|", "#tag ", "```\n", "~~~", "{% raw %}",
    "{% highlight py %}", "{% endhighlight %}", "{{ site.baseurl }}", "<script>alert(1)</script>", "<img onerror=x>",
    "&lt;script&gt;", "[@key]", "[^1]", "- ", "1. ", "> ", "|a|b|\n|-|-|\n", "\n", "\r\n", "\ufeff", "\x00",
    "https://arxiv.org/abs/2305.10601", "`", "*", "_", "<", "&amp;", "<![CDATA[", "]]>", "<!ENTITY x 'y'>",
])
TEXTS = st.one_of(st.text(max_size=400), st.lists(st.one_of(PIECES, st.text(max_size=10)), max_size=60).map("".join))
VOID = {"br", "hr", "img", "input", "meta", "link", "source", "col", "wbr", "area", "base", "embed", "track", "mspace", "none", "mprescripts"}


class _Balance(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        pass

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass
        else:
            self.problems.append(f"</{tag}> closes nothing")


def check_html(html: str, from_feed: bool) -> list[str]:
    parser = _Balance()
    parser.feed(html)
    parser.close()
    problems = list(parser.problems)
    if from_feed and "<script" in html.lower():
        problems.append("a <script> survived")
    return problems


def run(examples: int, seed: int | None = None) -> tuple[int, list[str]]:
    folder = Path(tempfile.mkdtemp(prefix="papernotes-fuzz-"))
    context = ReadContext(Config(unsafe_html=False), MarkdownRenderer(raw_html=False),
                          MarkdownRenderer(hard_breaks=True, raw_html=False))
    count = 0
    failures: list[str] = []

    @settings(max_examples=examples, deadline=None, database=None, derandomize=seed is not None,
              suppress_health_check=list(HealthCheck))
    @given(st.one_of(TEXTS.map(lambda t: t.encode("utf-8", "surrogatepass")), st.binary(max_size=300)),
           st.sampled_from([".md", ".txt", ".xml", ""]))
    def case(data: bytes, suffix: str) -> None:
        nonlocal count
        count += 1
        path = folder / f"note{suffix}"
        path.write_bytes(data)
        try:
            result = read_path(path, path.name, context, READERS)
        except Exception:  # anything but a Diagnostic is a bug
            failures.append(f"{data!r} ({suffix}): {traceback.format_exc(limit=3)}")
            return
        for note in result.notes:
            for problem in check_html(note.body.html, note.source.item is not None):
                failures.append(f"{data[:200]!r} ({suffix}): {problem}")

    try:
        case()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return count, failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=5000)
    args = parser.parse_args()
    count, failures = run(args.examples)
    print(f"{count} cases, {len(failures)} failures")
    for failure in failures[:20]:
        print(failure)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
