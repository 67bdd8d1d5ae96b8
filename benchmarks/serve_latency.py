"""Measure edit-to-visible latency of ``papernotes serve`` in a real browser.

    python benchmarks/serve_latency.py SITE_DIR [--edits 10] [--chromium /usr/bin/chromium]

Starts the preview server on a free port, opens the middle note of SITE_DIR/content in
headless Chromium (Playwright), printing how long after the start it was serving and the page
was loaded (the preview starts from the state a ``papernotes build`` of SITE_DIR saved, when there is one),
then appends a marker line to that note's file and times
until the marker is on screen. Prints each time and the median, how many edits were swapped
into the page without a reload, and the server's rebuild times. The note is put back as it
was at the end.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    launched = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "papernotes", "serve", str(args.site), "--port", "0", "--no-search"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert server.stdout is not None  # a pipe, asked for above
    try:
        url = None
        while url is None:
            line = server.stdout.readline()
            if not line:
                raise SystemExit("the server stopped")
            match = re.search(r"serving (http://\S+)", line)
            url = match.group(1) if match else None
        serving = time.perf_counter() - launched
        notes = sorted((args.site / "content").glob("*.md"))
        target = notes[len(notes) // 2]
        slug = re.sub(r"^\d{4}-\d{2}-\d{2}-", "", target.stem)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch_persistent_context(
                tempfile.mkdtemp(), executable_path=args.chromium, headless=True, args=FLAGS)
            page = browser.new_page()
            page.goto(f"{url}notes/{slug}/")
            print(f"serving {serving:.2f} s after the server was started; the note loaded after "
                  f"{time.perf_counter() - launched:.2f} s (Chromium started meanwhile)")
            page.wait_for_timeout(500)
            times, swapped = [], 0
            original = target.read_text()
            for edit in range(args.edits):
                marker = f"Latency marker {edit} {time.time()}"
                page.evaluate("window.papernotesKept = true")
                started = time.perf_counter()
                target.write_text(f"{original}\n{marker}\n")
                page.wait_for_function(f"document.body.innerText.includes({marker!r})", timeout=300_000)
                times.append(time.perf_counter() - started)
                swapped += bool(page.evaluate("window.papernotesKept === true"))
                page.wait_for_timeout(300)
            target.write_text(original)
            browser.close()
        print("edit-to-visible ms:", [round(t * 1000) for t in times], "median", round(statistics.median(times) * 1000),
              f"({swapped} of {len(times)} swapped in place, the others reloaded)")
    finally:
        server.terminate()
    log = server.communicate()[0]
    rebuilds = [int(m) for m in re.findall(r"rebuilt in (\d+) ms", log)]
    if rebuilds:
        print("server-side rebuild ms:", rebuilds, "median", round(statistics.median(rebuilds)))
    processor = [int(m) for m in re.findall(r"\((\d+) ms of processor time\)", log)]
    if processor:
        print("of which processor time ms:", processor, "median", round(statistics.median(processor)))


if __name__ == "__main__":
    main()
