"""The input files' digests: what is put in is found again, by folder, and a damaged file is
ignored."""

from __future__ import annotations

import marshal
import os

from hypothesis import given, settings
from hypothesis import strategies as st

from papernotes import filedigests

names = st.text("abc.é", min_size=1, max_size=4)
entries = st.tuples(st.integers(0, 2**40), st.integers(-2**62, 2**62), st.binary(min_size=16, max_size=16))
batches = st.lists(st.dictionaries(st.tuples(st.sampled_from(["/n", "/n/a", "/t"]), names).map("/".join), entries,
                                   max_size=6), min_size=1, max_size=4)


@settings(max_examples=80, deadline=None)
@given(batches)
def test_the_last_entry_put_in_for_each_file_is_found(batches):
    digests: filedigests.Digests = {}
    expected = {}
    for batch in batches:
        digests = filedigests.updated(digests, batch)
        expected.update(batch)
    assert filedigests.looked_up(digests, [*expected, "/n/missing", "/elsewhere/x"]) == expected
    assert filedigests.looked_up(filedigests.updated(digests, {}, dropped="/n/"), expected) == \
        {path: entry for path, entry in expected.items() if os.path.dirname(path) == "/t"}


def test_a_file_is_hashed_only_while_it_keeps_its_stamp(tmp_path):
    note = tmp_path / "a.md"
    note.write_text("text")
    stat = note.stat()
    stamp = (stat.st_size, stat.st_mtime_ns)
    assert filedigests.settled(str(note), stamp) == filedigests.content(str(note)) != b""
    assert filedigests.settled(str(note), (stat.st_size, stat.st_mtime_ns + 1)) is None
    assert filedigests.taken({str(note): stamp}, stat.st_mtime_ns - 1, None) == {}, "changed too lately to trust its time"
    assert filedigests.taken({str(note): stamp}, stat.st_mtime_ns, os.path.join(tmp_path, "")) == {}, "under a folder left out"
    assert filedigests.taken({str(note): stamp}, stat.st_mtime_ns, None) == {str(note): (*stamp, filedigests.content(str(note)))}


def test_a_damaged_file_of_digests_is_ignored(tmp_path):
    kept = filedigests.updated({}, {"/n/a.md": (1, 2, b"d" * 16)})
    filedigests.save(tmp_path, kept)
    assert filedigests.load(tmp_path) == kept
    for damaged in (b"", b"\x00garbage", marshal.dumps([1, 2]), marshal.dumps({"/n": ("a.md", b"short", b"d" * 16)}),
                    marshal.dumps({"/n": ("a.md", 1, 2)})):
        (tmp_path / filedigests.FILE).write_bytes(damaged)
        assert filedigests.looked_up(filedigests.load(tmp_path), ["/n/a.md"]) == {}


def test_the_stamps_of_a_folders_files_are_those_os_walk_finds(tmp_path):
    for rel in ("a.html", "x/index.html", "x/y/z.css", "w/b.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(rel)
    os.symlink(tmp_path / "x", tmp_path / "linked")  # a link to a folder: not followed
    expected = {}
    for folder, _, names in os.walk(tmp_path):
        for name in names:
            stat = os.stat(os.path.join(folder, name))
            expected[os.path.relpath(os.path.join(folder, name), tmp_path)] = (stat.st_size, stat.st_mtime_ns)
    assert filedigests.file_stamps(str(tmp_path)) == expected and len(expected) == 4
    assert set(filedigests.file_stamps(str(tmp_path / "x"), "out/x/", "/")) == {"out/x/index.html", "out/x/y/z.css"}


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=300_000))
def test_a_file_digest_is_hashlibs_blake2b_of_its_bytes(tmp_path_factory, data):
    import hashlib

    path = tmp_path_factory.mktemp("digest") / "note.md"
    path.write_bytes(data)
    assert filedigests.content(str(path)) == hashlib.blake2b(data, digest_size=filedigests.SIZE).digest()
    assert filedigests.hasher("sha256", data).hexdigest() == hashlib.sha256(data).hexdigest()
    assert filedigests.content(str(path.with_name("missing.md"))) == b""


def test_the_up_to_date_check_hashes_without_loading_openssl(tmp_path):
    import subprocess
    import sys

    (tmp_path / "a.md").write_text("x")
    probe = ("import sys; from papernotes import filedigests, sitefiles; filedigests.content(sys.argv[1]); "
             "sitefiles.notes_cache_name(sys.argv[1]); print('hashlib' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", probe, str(tmp_path / "a.md")], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_a_python_without_cpythons_hash_modules_hashes_through_hashlib(monkeypatch):
    import hashlib

    monkeypatch.setattr(filedigests, "_BUILT_IN", {"blake2b": "_no_such_module", "sha256": "_no_such_module"})
    assert filedigests.hasher("blake2b", b"notes", digest_size=16).digest() == hashlib.blake2b(b"notes", digest_size=16).digest()
    assert filedigests.hasher("sha256", b"notes").hexdigest() == hashlib.sha256(b"notes").hexdigest()
