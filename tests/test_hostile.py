"""Hostile and broken input: entity bombs, huge files, script URLs, pathological Markdown, kills."""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import textwrap
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from papernotes.build import BuildOptions, SiteLayout, build
from papernotes.output import remove_folder
from papernotes.check import check_site

from .fuzz.fuzz_readers import run as fuzz

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
<rss version="2.0"><channel><title>x</title><item><title>&c;</title><description>&c;</description></item></channel></rss>"""
XXE = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>x</title><item><title>&secret;</title></item></channel></rss>"""


def test_entity_declarations_in_feeds_are_refused(build_site):
    result = build_site({"content/bomb.xml": BILLION_LAUGHS, "content/xxe.xml": XXE, "content/ok.md": "# Ok"})
    assert [n.title for n in result.notes] == ["Ok"]
    messages = sorted((d.path.rsplit("/", 1)[-1], d.line, d.message[:30]) for d in result.diagnostics)
    assert messages == [("bomb.xml", 2, "feed declares XML entities (<!"), ("xxe.xml", 2, "feed declares XML entities (<!")]
    assert "root:" not in "".join(p.read_text() for p in result.out_dir.rglob("*.html"))


def test_files_over_the_size_limit_are_skipped(build_site):
    result = build_site({"papernotes.yaml": "max_file_size: 1000\n", "content/big.md": "x" * 2000, "content/ok.md": "# Ok"})
    assert [n.title for n in result.notes] == ["Ok"]
    [warning] = result.diagnostics
    assert "over the 1,000-byte limit" in warning.message


def test_script_urls_are_removed_from_the_sites_own_html(build_site):
    result = build_site({"content/a.md": '<a href="javascript:alert(1)">x</a> <a href=" JaVaScRiPt:alert(1)">y</a> '
                                         '<iframe src="data:text/html,<script>alert(1)</script>"></iframe> '
                                         '[md](javascript:alert(1)) ![img](data:image/png;base64,iVBO)'})
    html = result.notes[0].body.html.lower()
    assert not re.search(r"""(href|src)=["']?\s*(javascript|data:text)""", html)
    assert "data:image/png" in html, "inline images stay"


def test_raw_html_can_be_turned_off_for_markdown(build_site):
    result = build_site({"papernotes.yaml": "markdown: {unsafe_html: false}\n",
                         "content/a.md": "<script>alert(1)</script>\n\n<b onclick=x>bold</b>\n"})
    html = result.notes[0].body.html
    assert "<script" not in html and "&lt;script&gt;" in html and "<b onclick" not in html


def test_pathological_markdown_builds(build_site):
    nested = "> " * 5000 + "deep\n\n" + "- " * 3000 + "list\n\n" + "[" * 20000 + "\n\n" + "*a " * 20000
    result = build_site({"content/headings.md": "".join(f"## Heading {i}\n\n" for i in range(10000)),
                         "content/line.md": "word " * 200_000,
                         "content/nested.md": nested,
                         "content/nested.html.txt": "<div>" * 50000})
    assert result.errors == 0 and len(result.notes) == 4
    headings = next(n for n in result.notes if n.source.path.endswith("headings.md"))
    assert len(headings.body.headings) == 10000 and headings.body.headings[-1].id == "heading-9999"


def test_registry_files_nested_past_the_recursion_limit_are_warned_about_not_a_traceback(build_site):
    deep = "[" * 100_000 + "]" * 100_000
    result = build_site({"content/My Library.json": '[{"type": "article", "id": "a", "title": "T"}, ' + deep + "]",
                         "content/.papers-cache.json": '{"papers": ' + deep + "}",
                         "content/note.md": "# Note\n\nText.\n"})
    warned = {Path(d.path).name: d.message for d in result.diagnostics}
    assert "unreadable" in warned["My Library.json"] and "unreadable" in warned[".papers-cache.json"]
    assert (result.out_dir / "notes/note/index.html").is_file()


def test_fuzz_readers_briefly():
    count, failures = fuzz(200, seed=1)
    assert count == 200 and failures == []


def test_killing_a_build_never_leaves_a_half_written_site(tmp_path: Path):
    site = tmp_path / "site-src"
    (site / "content").mkdir(parents=True)
    for i in range(150):
        (site / "content" / f"n{i}.md").write_text(f"---\ntitle: Note {i}\ntags: [t{i % 7}]\n---\n\n" + "Text. " * 300)
    out = site / "site"
    command = [sys.executable, "-m", "papernotes", "build", str(site), "-q", "--no-search", "--no-cache", "-j", "1"]
    subprocess.run(command, check=True)
    expected = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    rng = random.Random(7)
    for attempt in range(20):
        note = site / "content" / f"n{attempt}.md"
        note.write_text(note.read_text() + f"\nEdit {attempt}.\n")
        process = subprocess.Popen(command)
        time.sleep(rng.uniform(0.05, 1.2))
        process.send_signal(signal.SIGKILL)
        process.wait()
        files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
        assert files == expected, f"kill {attempt}: the site is not complete"
        assert check_site(out).broken == ()
    result = build(SiteLayout.find(site), BuildOptions(search=False))
    assert result.errors == 0
    assert not [p for p in site.iterdir() if p.name.startswith(".site.")], "leftovers of killed builds are cleaned up"


SLOW_EMITTER = '''import time

from papernotes.model import TextFile


def emit(graph, config, wanted=lambda url: True):
    for number in range(400):
        if wanted(f"/slow/{number}.txt"):
            yield TextFile(f"/slow/{number}.txt", lambda: time.sleep(0.05) or "slow", number)


emitters = [emit]
'''


def _writing_pages(site: Path, **popen: Any) -> tuple[Path, subprocess.Popen[bytes]]:
    """``site`` (500 notes and a slow emitter) made, and a build of it started in worker
    processes (``popen``: more of ``Popen``'s arguments), once it writes its pages."""
    (site / "content").mkdir(parents=True)
    (site / "plugins").mkdir()
    (site / "plugins" / "slow.py").write_text(SLOW_EMITTER)
    (site / "papernotes.yaml").write_text("plugins: [plugins.slow]\n")
    for i in range(500):  # enough to be read and rendered by worker processes
        (site / "content" / f"n{i}.md").write_text(f"---\ntitle: Note {i}\n---\n\n" + "Text. " * 100)
    process = subprocess.Popen([sys.executable, "-m", "papernotes", "build", str(site), "-q", "--no-cache", "-j", "2"],
                               stderr=subprocess.PIPE, **popen)
    deadline = time.monotonic() + 120
    while not list(site.glob(".site.staging-*")) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert process.poll() is None, "the build ended before it was stopped"
    time.sleep(0.3)  # the render workers at work
    return site, process


def _processes_naming(text: str) -> list[int]:
    """The processes whose command line holds ``text``."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and text.encode() in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def test_a_build_stopped_by_sigterm_cleans_up_as_one_stopped_with_ctrl_c(tmp_path: Path):
    """``kill``, a CI timeout or a service manager sends SIGTERM to the build alone: its render
    workers are stopped with it and its staging folder removed (it used to die at once, leaving
    a half-made site beside the output folder and its search documents in memory)."""
    site, process = _writing_pages(tmp_path / "stopped-site")
    process.send_signal(signal.SIGTERM)
    _, said = process.communicate(timeout=120)
    assert process.returncode == 1 and b"Aborted" in said and b"Traceback" not in said
    assert not list(site.glob(".site.*")) and not (site / "site").exists()
    assert _processes_naming(str(site)) == [], "a worker outlived the build"


def test_a_pool_is_left_without_waiting_when_its_block_is_interrupted():
    """Its workers are killed by then; one killed while sending a result would leave a pool shut
    down the usual way waiting for the rest of that result forever."""
    from concurrent.futures import Executor

    from papernotes.interrupt import left_when_stopped

    class Recording(Executor):
        def __init__(self) -> None:
            self.shutdowns: list[tuple[bool, bool]] = []

        def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
            self.shutdowns.append((wait, cancel_futures))

    finished, stopped = Recording(), Recording()
    with left_when_stopped(finished):
        pass
    with pytest.raises(KeyboardInterrupt), left_when_stopped(stopped):
        raise KeyboardInterrupt
    assert finished.shutdowns == [(True, False)] and stopped.shutdowns == [(False, True)]


def test_an_interrupt_lost_where_it_was_raised_is_raised_again(capsys):
    """SIGTERM handled in code whose exceptions Python only reports (a callback around a fork,
    such as logging's while a pool starts a worker; a ``__del__``) still stops the command: the
    interrupt is sent again and raised at the next point that can take it, nothing reported."""
    import os

    from papernotes.interrupt import stopped_as_interrupted

    class StoppedWhileDeleted:
        def __del__(self) -> None:
            os.kill(os.getpid(), signal.SIGTERM)  # raised here, where Python can only report it

    with pytest.raises(KeyboardInterrupt), stopped_as_interrupted():
        StoppedWhileDeleted()
        for _ in range(500):
            time.sleep(0.01)
    assert "Exception ignored" not in capsys.readouterr().err


def test_a_worker_terminated_while_the_command_is_stopped_ends_quietly(tmp_path: Path):
    """A worker process forked while SIGTERM is taken as an interrupt (a pool's, which its
    shutdown terminates with SIGTERM; one started after the command's own workers were killed)
    ends as SIGTERM ends a process, with nothing said: not an interrupt with its traceback."""
    script = tmp_path / "terminated.py"
    script.write_text(textwrap.dedent("""
        import multiprocessing, time
        from papernotes.interrupt import stopped_as_interrupted
        with stopped_as_interrupted():
            worker = multiprocessing.get_context("fork").Process(target=time.sleep, args=(30,))
            worker.start()
            time.sleep(0.2)
            worker.terminate()
            worker.join(10)
            print(worker.exitcode)
    """))
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == str(-signal.SIGTERM), done.stderr
    assert "Traceback" not in done.stderr and "KeyboardInterrupt" not in done.stderr


def test_a_build_stopped_with_ctrl_c_ends_with_its_workers(tmp_path: Path):
    """Ctrl-C in a terminal sends SIGINT to the build and its worker processes at once: the
    build cleans up and ends, and so does every worker (they used to be left waiting, for ever,
    to send back the interrupt they had caught, holding the terminal's output open)."""
    site, process = _writing_pages(tmp_path / "interrupted-site", start_new_session=True)  # a group, as a terminal's job
    os.killpg(process.pid, signal.SIGINT)
    _, said = process.communicate(timeout=60)  # every process holding its standard error has ended
    assert process.returncode == 1 and b"Aborted" in said and b"Traceback" not in said
    assert not list(site.glob(".site.*")) and not (site / "site").exists()
    assert _processes_naming(str(site)) == [], "a worker outlived the build"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_a_named_pipe_among_the_notes_is_an_error_not_a_build_waiting_for_ever(tmp_path: Path):
    """Reading a named pipe waits for a writer: a build (and the up-to-date check hashing a new
    file) waited for ever. Run as a process, so that a wait fails the test rather than hangs it."""
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "content/a.md").write_text("# A\n\nText.\n")
    os.mkfifo(site / "content/pipe.md")
    os.mkfifo(site / "content/image.png")
    command = [sys.executable, "-m", "papernotes", "build", str(site), "--no-search"]
    for _ in range(2):  # built, then looked at by the up-to-date check
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)
        assert done.returncode == 1 and "pipe.md:1:1: error: cannot read file: not a regular file" in done.stdout + done.stderr
    assert (site / "site/notes/a/index.html").is_file()


def test_folders_nested_past_the_recursion_limit_build_and_rebuild(tmp_path: Path):
    """Python 3.11's os.walk and os.makedirs recurse a level at a time, and each folder's real
    path was worked out from the top: notes and static files 1,100 folders deep raised
    RecursionError, and the rebuild after an edit then took 80 s (a path resolved per folder)."""
    site = tmp_path / "site"
    try:
        for top in ("content", "static"):
            folder = site / top
            folder.mkdir(parents=True)
            for _ in range(1100):
                folder = folder / "a"
                os.mkdir(folder)
            (folder / ("deep.md" if top == "content" else "deep.css")).write_text("# Deep\n\nText.\n")
        (site / "content/top.md").write_text("# Top\n\nText.\n")
        layout = SiteLayout.find(site)
        options = BuildOptions(search=False, workers=1)
        assert not build(layout, options).errors
        (site / "content/top.md").write_text("# Top\n\nText, edited.\n")
        assert not build(layout, options).errors
        assert "edited" in (layout.out / "notes/top/index.html").read_text()
        assert (layout.out / "notes/deep/index.html").is_file() and (layout.out / ("a/" * 1100 + "deep.css")).is_file()
        assert not build(layout, replace(options, cache=False)).errors  # the site before removed whole
    finally:  # pytest's own clean-up of old temporary folders recurses as shutil.rmtree does
        remove_folder(tmp_path)
    assert not tmp_path.exists()
