"""Broken input is one diagnostic at its place, never a traceback: a table of broken front matter,
feeds and file names with the exact message each gives, and properties over random ones."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from papernotes.build import BuildOptions, SiteLayout, build
from papernotes.config import Config
from papernotes.markdown.pipeline import MarkdownRenderer
from papernotes.model import ReadResult
from papernotes.read.site import read_guarded
from papernotes.read.common import ReadContext

from .conftest import scratch

CONTEXT = ReadContext(Config(), MarkdownRenderer(), MarkdownRenderer(hard_breaks=True))
GOOD = "---\ntitle: Good\ndate: 2024-03-09\n---\nFine.\n"


def read(text: str | bytes, name: str = "note.md") -> ReadResult:
    path = scratch("papernotes-broken-") / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return read_guarded(path, name, CONTEXT)


def messages(result: ReadResult) -> list[str]:
    return [f"{d.line}:{d.col}: {d.severity}: {d.message}" for d in result.diagnostics]


DATE_KEYS = ["date", "updated", "lastmod", "last_modified_at", "modified", "publishDate"]
IMPOSSIBLE = [
    ("2024-02-30", "day is out of range for month"),
    ("2024-13-45", "month must be in 1..12"),
    ("2024-05-01T25:00:00", "hour must be in 0..23"),
    ("2024-05-01 10:61:00", "minute must be in 0..59"),
    ("0000-01-01", "year 0 is out of range"),
]


@pytest.mark.parametrize("key", DATE_KEYS)
@pytest.mark.parametrize("value, reason", IMPOSSIBLE)
@pytest.mark.parametrize("form", ["yaml", "toml", "json"])
def test_impossible_dates_are_warnings_at_their_key(key, value, reason, form):
    if form == "yaml":
        text = f"---\ntitle: Dated\n{key}: {value}\n---\nBody.\n"
    elif form == "toml":
        text = f'+++\ntitle = "Dated"\n{key} = {value.replace(" ", "T")}\n+++\nBody.\n'
        value = value.replace(" ", "T")
    else:
        text = f'{{\n  "title": "Dated",\n  "{key}": "{value}"\n}}\nBody.\n'
    result = read(text)
    assert [n.title for n in result.notes] == ["Dated"], "the note is still published"
    assert messages(result) == [f"3:1: warning: cannot read {key} {value!r}: {reason}"]


def test_a_year_out_of_range_and_a_date_in_a_file_name():
    assert messages(read("---\nyear: 0\n---\nx", "a.md")) == ["2:1: warning: cannot read year 0; use a year such as 2024"]
    result = read("x", "2024-02-30-leap.md")
    assert [n.id for n in result.notes] == ["leap"]
    assert messages(result) == ["1:1: warning: the date in the file name (2024-02-30) is not a date: day is out of range for month"]
    assert read("x", "2019-3-20-unpadded.md").notes[0].date.iso() == "2019-03-20", "Jekyll reads unpadded dates"


WRONG_TYPES = [
    ("title: [a, b]", "title should be text, not a list (['a', 'b']); ignored"),
    ("title: {a: 1}", "title should be text, not a mapping ({'a': 1}); ignored"),
    ("title: yes", "title should be text, not true/false (True); ignored"),
    ("title: 1984", "title should be text, not a number; read as '1984' (put it in quotes)"),
    ("tags: {a: 1}", "tags should be a list of text, not a mapping ({'a': 1}); ignored"),
    ("tags: [a, {b: 1}]", "tags: an item should be text, not a mapping ({'b': 1}); item ignored"),
    ("categories: true", "categories should be a list of text, not true/false (True); ignored"),
    ("slug: {x: 1}", "slug should be text, not a mapping ({'x': 1}); ignored"),
    ("slug: [a]", "slug should be text, not a list (['a']); ignored"),
    ("permalink: [x]", "permalink should be text, not a list (['x']); ignored"),
    ("date: [2020]", "date should be a date such as 2024-03-09, not a list ([2020]); ignored"),
    ("date: {y: 2020}", "date should be a date such as 2024-03-09, not a mapping ({'y': 2020}); ignored"),
    ("date: true", "date should be a date such as 2024-03-09, not true/false (True); ignored"),
    ("draft: maybe", "draft should be true or false, not text ('maybe'); ignored"),
    ("draft: 1", "draft should be true or false, not a number (1); ignored"),
    ("published: sometimes", "published should be true, false or a date such as 2024-03-09, not 'sometimes'; ignored"),
    ("summary: [a]", "summary should be text, not a list (['a']); ignored"),
    ("aliases: {a: b}", "aliases should be a list of text, not a mapping ({'a': 'b'}); ignored"),
    ("author: [[x]]", "author should be a name, a list of names or of {name: …}, not a list (['x']); ignored"),
    ("weight: heavy", "weight should be a number, not text ('heavy'); ignored"),
    ("layout: [post]", "layout should be text, not a list (['post']); ignored"),
]


@pytest.mark.parametrize("line, message", WRONG_TYPES)
def test_wrong_types_are_warnings_and_the_key_keeps_its_default(line, message):
    result = read(f"---\nother: 1\n{line}\n---\nBody.\n", "typed.md")
    [note] = result.notes
    assert messages(result) == [f"3:1: warning: {message}"]
    assert "[" not in note.title and "{" not in note.title
    assert not any("{" in tag or "[" in tag for tag in note.tags)
    assert note.url == "/notes/typed/" or line.startswith("title: 1984")


@pytest.mark.parametrize("text, expected", [
    ("---\ntitle: Never closed\ndate: 2024-01-01\n\nBody\n",
     ["1:1: warning: front matter opened with --- is never closed (no --- line after it); read as text"]),
    ('+++\ntitle = "x"\nBody\n', ["1:1: warning: front matter opened with +++ is never closed (no +++ line after it); read as text"]),
    ("---\ntitle: [unclosed\n---\nx\n", ["3:1: error: invalid YAML: did not find expected ',' or ']'"]),
    ("+++\ntitle = \n+++\nx\n", ["2:1: error: invalid TOML: Invalid value"]),
    ('{\n "title": "x",\n}\nBody\n', ["3:1: error: invalid JSON front matter: Expecting property name enclosed in double quotes"]),
    ("---\n- a\n- b\n---\nx\n", ["2:1: error: front matter must be a mapping of keys to values"]),
    ("---\ntitle: !!python/object/apply:os.system [x]\n---\nx\n",
     ["2:8: error: invalid YAML: could not determine a constructor for the tag 'tag:yaml.org,2002:python/object/apply:os.system'"]),
    ("---\nx: " + "[" * 300 + "]" * 300 + "\n---\n", ["2:203: error: YAML nested more than 200 levels deep; refused"]),
    ("---\n---\nJust a body.\n", []),
    ("---\n\nA rule, then text.\n", []),
])
def test_malformed_front_matter(text, expected):
    assert messages(read(text)) == expected


def laughs(levels: int) -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "---\n" + "\n".join(lines) + "\n---\nx\n"


@pytest.mark.parametrize("levels", [3, 5, 9, 20])
def test_alias_bombs_are_refused_at_the_alias_within_bounds(levels):
    tracemalloc.start()
    started = time.process_time()
    result = read(laughs(levels))
    seconds = time.process_time() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 20_000_000 and seconds < 10, "bounded loosely: the 9-level bomb once took 282 s and 14 GB"
    if levels <= 3:
        assert result.notes and not result.diagnostics, "a few aliases are fine"
        return
    [problem] = result.diagnostics
    assert problem.severity == "error" and problem.message.startswith("YAML aliases expand to more than 65,536 characters")
    # a4's third *a3 brings it to 3 × 27,064 characters: the first alias past the 65,536 budget
    assert (problem.line, problem.col) == (6, 18), "at the first alias that crosses the line"


def test_merge_keys_count_like_aliases():
    blocks = "".join(f"k{i}: &k{i}\n  <<: [*k{i - 1}, *k{i - 1}]\n  z{i}: 1\n" for i in range(1, 25))
    result = read("---\nk0: &k0 {x: 1}\n" + blocks + "---\nx\n")
    assert [d.message[:30] for d in result.diagnostics] == ["YAML aliases expand to more th"]


def test_hugo_and_jekyll_keys():
    toml = ('+++\ntitle = "Kalman &#58; filters"\nauthor = ["Jethro Kuan", "A. N. Other"]\npublishDate = 2020-05-29T21:44:03+08:00\n'
            'lastmod = 2021-01-02\ncategories = ["robotics"]\nseries = ["filters"]\ntags = ["ml"]\nslug = "kalman"\n'
            'weight = 3\n[params]\ntitle = "not this one"\n+++\nBody\n')
    [note] = read(toml).notes
    assert (note.title, note.author, note.id) == ("Kalman : filters", "Jethro Kuan, A. N. Other", "kalman")
    assert (note.date.iso(), note.updated.iso()) == ("2020-05-29T21:44:03+08:00", "2021-01-02")
    assert note.tags == ("ml", "robotics", "filters") and note.meta["weight"] == 3
    jekyll = "---\ntitle: A&amp;amp;B\npermalink: /:categories/:year/:title/\ncategories: ML Theory\npublished: false\n---\nx\n"
    [note] = read(jekyll, "2019-3-20-post.md").notes
    assert (note.title, note.url, note.draft) == ("A&amp;B", "/ml/theory/2019/post/", True)
    hugo = '{\n  "title": "JSON",\n  "url": "/elsewhere/page/",\n  "draft": "true",\n  "Tags": ["x"]\n}\nBody\n'
    [note] = read(hugo).notes
    assert (note.title, note.url, note.draft, note.tags) == ("JSON", "/elsewhere/page/", True, ("x",))


@pytest.mark.parametrize("feed, notes, expected", [
    ('<rss version="2.0"><channel>\n<item><title>ok</title><description>fine</description></item>\n'
     '<item><title>bad &nope; x</title><description>y</description></item>\n<item><title>cut',
     ["ok", "bad &nope; x"], ["3:18: warning: feed is not well-formed XML (its 3 items recovered by a lenient parse are read): undefined entity",
                              "4:1: warning: item 3 has neither title nor content; skipped"]),
    ('<rss version="2.0"><channel>\n<item><title>One</title><pubDate>Mon, 45 Feb 2024 99:00:00 GMT</pubDate></item>\n'
     '<item><description>  </description></item>\n</channel></rss>',
     ["One"], ["2:1: warning: item 1 ('One'): cannot read its published date 'Mon, 45 Feb 2024 99:00:00 GMT'",
               "3:1: warning: item 2 has neither title nor content; skipped"]),
    ("<rss><channel>", [], ["1:15: error: cannot read feed: no element found"]),
])
def test_malformed_feeds(feed, notes, expected):
    result = read(feed, "feed.xml")
    assert sorted(n.title for n in result.notes) == sorted(notes)
    assert messages(result) == expected


def test_a_bug_in_a_reader_is_one_error_naming_the_file(monkeypatch):
    def broken(*args, **kwargs):
        raise KeyError("surprise")

    monkeypatch.setattr("papernotes.read.site.read_path", broken)
    assert messages(read("x")) == ["1:1: error: internal error while reading this file (please report): KeyError: 'surprise'"]


def test_a_read_past_its_time_limit_is_one_error(monkeypatch):
    monkeypatch.setattr("papernotes.read.site.READ_SECONDS_BASE", 0.05)

    def spin(*args, **kwargs):
        while True:
            pass

    monkeypatch.setattr("papernotes.read.site.read_path", spin)
    [problem] = read("x").diagnostics
    assert problem.message.startswith("reading took more than 0 s of processor time for its 1 bytes and was stopped")


def test_broken_files_beside_a_good_note_build_a_site(build_site):
    files = {f"content/bad-{i}.md": text for i, (text, _) in enumerate([
        ("---\ndate: 2024-02-30\n---\nx", 0), (laughs(9), 0), ("---\ntitle: [a, b]\ntags: {a: 1}\n---\nx", 0),
        ("---\ntitle: open\n", 0), ("+++\ndate = 2024-13-45\n+++\n", 0), (b"\x00\x01binary", 0)])}
    files |= {"content/good.md": GOOD, "content/feed.xml": "<rss><channel><item><title>T</title>"}
    result = build_site(files, search=False)
    assert "Good" in {n.title for n in result.notes}
    assert (result.out_dir / "notes/good/index.html").is_file()
    named = {Path(d.path).name for d in result.diagnostics}
    assert {"bad-0.md", "bad-1.md", "bad-2.md", "bad-3.md", "bad-4.md", "bad-5.md"} <= named


def test_a_file_name_that_is_not_utf8_is_text_in_every_page(build_site, make_site):
    """Python hands such a name over with lone surrogates, which no page could hold; the bytes
    that are not UTF-8 are shown as ``\\xff``, in a cached build and an uncached one."""
    root = make_site({"content/other.md": GOOD})
    (root / "content").joinpath(os.fsdecode(b"bad\xffname.md")).write_text("A note without a title.\n")
    for cache in (True, False):
        result = build(SiteLayout.find(root, root / "site"), BuildOptions(search=False, cache=cache))
        assert "Bad\\xffname" in {n.title for n in result.notes} and not result.errors
        for page in result.out_dir.rglob("*.*"):
            if page.suffix in (".html", ".xml", ".json"):
                page.read_bytes().decode("utf-8")


def test_a_locale_that_is_not_utf8_builds_in_utf8(make_site):
    """Under ``LC_ALL=C`` with UTF-8 mode off, the command runs itself again in UTF-8 mode: an
    emoji in a file name reaches the page as the emoji."""
    root = make_site({"content/Welcome! 👋.md": "Hello.\n"})
    environment = {**os.environ, "LC_ALL": "C", "PYTHONUTF8": "0"}
    command = [sys.executable, "-m", "papernotes", "build", os.fspath(root), "-o", os.fspath(root / "out"), "-q",
               "--no-search", "-j", "1"]
    done = subprocess.run(command, env=environment, capture_output=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    [page] = (root / "out" / "notes").glob("*/index.html")
    assert "Welcome! 👋" in page.read_text(encoding="utf-8")


PROPERTY = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
yaml_scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=False),
                         st.text(max_size=30), st.sampled_from(["2024-02-30", "2024-13-45", "2024-05-01T25:00:00",
                                                                 "0000-00-00", "yes", "~", "&a x", "*a", "!!binary x"]))
yaml_values = st.recursive(yaml_scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                                 st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                           max_leaves=12)
keys = st.sampled_from(["title", "date", "updated", "lastmod", "tags", "categories", "slug", "permalink", "draft",
                        "published", "year", "aliases", "author", "authors", "summary", "url", "weight", "x"])


def _yaml(value: object, indent: int = 0) -> str:
    """A YAML rendering of ``value`` in flow style, with strings passed through as written."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {_yaml(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_yaml(v) for v in value) + "]"
    return "null" if value is None else str(value)


@PROPERTY
@given(st.dictionaries(keys, yaml_values, max_size=6), st.sampled_from(["yaml", "toml", "json"]))
def test_random_front_matter_never_raises(data, form):
    if form == "yaml":
        text = "---\n" + "".join(f"{k}: {_yaml(v)}\n" for k, v in data.items()) + "---\nBody\n"
    elif form == "toml":
        text = "+++\n" + "".join(f"{k} = {_yaml(v)}\n" for k, v in data.items()) + "+++\nBody\n"
    else:
        text = "{\n" + ",\n".join(f'"{k}": {_yaml(v)}' for k, v in data.items()) + "\n}\nBody\n"
    result = read(text, "random.md")
    assert result.notes or result.diagnostics, "a note, or a reason why not"
    assert not any(d.message.startswith("internal error") for d in result.diagnostics)
    for note in result.notes:
        assert isinstance(note.title, str) and all(isinstance(t, str) for t in note.tags)


feed_pieces = st.sampled_from([
    "<rss version='2.0'>", "<channel>", "<item>", "</item>", "<title>", "</title>", "<description>", "</description>",
    "<pubDate>Mon, 45 Feb 2024 99:00:00 GMT</pubDate>", "<pubDate>Fri, 03 Jan 2025 14:31:24 GMT</pubDate>",
    "<link>https://e.org/a</link>", "<guid>x</guid>", "&amp;", "&nope;", "<![CDATA[", "]]>", "<b>", "$x$", "\n",
    "<feed xmlns='http://www.w3.org/2005/Atom'>", "<entry>", "</entry>", "<updated>2024-02-30T00:00:00Z</updated>",
])


@PROPERTY
@given(st.lists(st.one_of(feed_pieces, st.text(max_size=6)), max_size=30).map("".join))
def test_random_feed_fragments_never_raise(fragment):
    result = read("<?xml version='1.0'?>\n" + fragment, "random.xml")
    assert not any(d.message.startswith("internal error") for d in result.diagnostics)


def test_links_out_of_the_notes_folder_are_not_published(make_site, tmp_path):
    from papernotes.build import BuildOptions, SiteLayout, build

    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0")
    root = make_site({"content/ok.md": "# Ok\n\n![pic](pic.png)\n"})
    (root / "content/passwd.md").symlink_to(secret)
    (root / "content/pic.png").symlink_to(secret)
    result = build(SiteLayout.find(root), BuildOptions(search=False))
    assert [n.title for n in result.notes] == ["Ok"]
    assert any(d.message == "symbolic link to a file outside the notes folder; skipped" for d in result.diagnostics)
    assert not any("root:x" in p.read_text(errors="replace") for p in result.out_dir.rglob("*") if p.is_file())


@pytest.mark.parametrize("folder", ["content", "static"])
def test_an_image_that_is_a_link_to_nothing_is_an_image_not_found(make_site, folder):
    """A dangling link where a note's image should be (a moved file, a vault synced in part) is
    reported as an image not found; the site builds."""
    from papernotes.build import BuildOptions, SiteLayout, build

    root = make_site({"content/ok.md": "# Ok\n\n![pic](/pic.png) ![by name](pic.png)\n", "static/site.css": ""})
    (root / folder / "pic.png").symlink_to(root / folder / "moved-away.png")
    result = build(SiteLayout.find(root), BuildOptions(search=False))
    assert [n.title for n in result.notes] == ["Ok"]
    assert any(d.message == "image not found: /pic.png" for d in result.diagnostics)
    assert not any(d.severity == "error" for d in result.diagnostics)


def test_control_characters_in_names_and_notes_are_printed_as_escapes(tmp_path: Path):
    """A newline in a file's name split its diagnostic over two lines, and an escape sequence
    quoted from a note reached the terminal (this one sets its title)."""
    (tmp_path / "bad\nname.md").write_text("# Bad\n\n[[missing]]\n")
    (tmp_path / "inject.md").write_text("# Note\n\n[[a\x1b]2;pwned\x07b]]\n")
    done = subprocess.run([sys.executable, "-m", "papernotes", "build", str(tmp_path), "-o", str(tmp_path / "site"),
                           "--no-search"], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    lines = (done.stdout + done.stderr).splitlines()
    assert "bad\\nname.md:3:1: warning: unresolved wikilink [[missing]]" in lines
    assert "inject.md:3:1: warning: unresolved wikilink [[a\\x1b]2;pwned\\x07b]]" in lines
    assert not any(char in done.stdout + done.stderr for char in "\x1b\x07")
