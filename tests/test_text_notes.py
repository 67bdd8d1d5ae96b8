"""Plain-text notes: titles that are words, dates a text states, undated copies, sections of a log."""

from __future__ import annotations

import datetime as dt

import pytest

from papernotes.read import copy_bursts
from papernotes.read.text import name_title, opening_title, section_lines, stated_date

LOG = """Agents:
\t1. ReAct: https://arxiv.org/pdf/2210.03629 (PRINTED)
\t2. Reflexion: https://arxiv.org/pdf/2303.11366

ML/Math/RL:
\t1. PPO: https://arxiv.org/pdf/1707.06347

A closing remark without links.
"""


@pytest.mark.parametrize("stem, title", [
    ("001_2c34e100ffe758c5", None), ("20240301", None), ("7f3a9c0b12", None),
    ("reading-list", "Reading list"), ("papers", "Papers"), ("2024-05-reading_log", "2024 05 reading log"),
])
def test_a_file_name_is_a_title_only_when_it_is_words(stem, title):
    assert name_title(stem) == title


def test_opening_words_are_cut_at_a_word():
    title = opening_title(["", "Inspired by Scott Alexander's monthly links (always an interesting mix of random topics), I decided"])
    assert title == "Inspired by Scott Alexander's monthly links (always an interesting…"


@pytest.mark.parametrize("lines, day", [
    (["Reading log", "2024-03-01: read ReAct", "2024-05-09 read PPO", "see https://x.org/2025-01-01/"], "2024-05-09"),
    (["Notes", "Written on March 9, 2024, in a hurry."], "2024-03-09"),
    (["Notes", "9 March 2024"], "2024-03-09"),
    (["Notes", "nothing here but 2048 tokens and arXiv 2303.11366"], None),
])
def test_the_date_a_text_states(lines, day):
    date = stated_date(lines)
    assert (date.iso() if date else None) == day


def test_a_log_of_headed_blocks_of_links_gets_sections():
    lines = LOG.split("\n")
    assert section_lines(lines) == {0, 4}
    assert section_lines(["Just one block", "https://example.org"]) == set()


def test_copy_times_are_a_burst_shared_by_most_files():
    start = int(dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc).timestamp()) * 10**9  # nanoseconds
    burst = [start + 5_000_000 * i for i in range(4)]
    written = [start - 30 * 86_400 * 10**9 * i for i in range(1, 5)]
    assert copy_bursts(burst) == ((burst[0], burst[-1]),)
    assert copy_bursts(written) == ()
    assert copy_bursts(burst[:2]) == ()
    assert copy_bursts([*burst, *written]) == ((burst[0], burst[-1]),)  # half of all
    assert copy_bursts([*burst, *written, start + 10**12]) == ()


def test_copied_plain_text_is_undated_and_listed_after_dated_notes(build_site):
    result = build_site({
        "content/001_2c34e100ffe758c5.txt": "I AM A LOG! PRAISE IT!\nWelcome to the vault.\n",
        "content/dated.md": "---\ntitle: Dated\ndate: 2020-01-01\n---\nText.\n",
        "content/other.txt": "Other\nbody\n",
        "content/third.txt": "Third\nbody\n",
    })
    log = next(note for note in result.notes if note.source.path.endswith("001_2c34e100ffe758c5.txt"))
    assert log.title == "I AM A LOG! PRAISE IT!" and log.date is None
    home = (result.out_dir / "index.html").read_text()
    assert home.index("Dated") < home.index("I AM A LOG") and "undated" in home


def test_a_log_gets_headings_and_a_table_of_contents(build_site):
    result = build_site({"content/papers.txt": LOG})
    [note] = result.notes
    assert note.title == "Papers"
    assert [(h.level, h.text) for h in note.body.headings] == [(2, "Agents"), (2, "ML/Math/RL")]
    page = (result.out_dir / "notes" / "papers" / "index.html").read_text()
    assert 'class="toc' in page and "<ol>\n<li>ReAct:" in page
