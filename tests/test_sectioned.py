"""Sectioned text files: a section copied from the file last written is the bytes it would be made as."""

from __future__ import annotations

from hypothesis import given, strategies as st

from papernotes.sectioned import Section, Sectioned, digest, runs

_BYTES = st.binary(max_size=6)
_PART = st.one_of(st.tuples(st.just("literal"), _BYTES), st.tuples(st.just("section"), st.lists(_BYTES, max_size=3)))


def _file(parts: list[tuple[str, object]], separator: bytes = b",") -> Sectioned:
    """Literals and sections, each section known by a digest of its pieces and its place."""
    made = []
    for at, (kind, content) in enumerate(parts):
        if kind == "literal":
            made.append(content)
        else:
            made.append(Section(digest(str(at), *content), lambda content=content: iter(content)))
    return Sectioned(tuple(made), separator)


def test_sections_with_bytes_are_joined_by_the_separator_and_empty_ones_leave_no_trace():
    sectioned = _file([("literal", b"["), ("section", [b"1", b"2"]), ("section", []), ("section", [b"", b"3"]),
                       ("literal", b"],["), ("section", []), ("section", [b"4"]), ("literal", b"]")])
    assert b"".join(sectioned.pieces()) == b"[12,3],[4]"


@given(before=st.lists(_PART, max_size=8), changes=st.lists(st.tuples(st.integers(0, 7), st.lists(_BYTES, max_size=3)), max_size=4))
def test_a_file_made_from_the_last_one_is_the_file_made_afresh(before, changes):
    """Whatever sections changed, copying the others from the last file at the places it
    recorded gives the bytes of making every section, and records the places a third build
    copies from in turn."""
    places: list = []
    last = b"".join(_file(before).pieces(record=places))
    after = list(before)
    for at, content in changes:
        if at < len(after) and after[at][0] == "section":
            after[at] = ("section", content)
    fresh = b"".join(_file(after).pieces())
    again: list = []
    assert b"".join(_file(after).pieces(last, places, again)) == fresh
    assert b"".join(_file(after).pieces(fresh, again)) == fresh
    assert all(fresh[start:start + length] == b"".join(content) for (_, start, length), (_, content)
               in zip(again, [part for part in after if part[0] == "section"]))


def test_a_section_is_made_only_when_its_digest_is_not_in_the_last_file():
    made = []

    def section(name: str, content: bytes) -> Section:
        return Section(digest(name, content), lambda: made.append(name) or [content])

    places: list = []
    last = b"".join(Sectioned((b"<", section("a", b"x"), section("b", b"y"), b">"), b",").pieces(record=places))
    made.clear()
    assert b"".join(Sectioned((b"<", section("a", b"x"), section("b", b"z"), b">"), b",").pieces(last, places)) == b"<x,z>"
    assert made == ["b"]
    made.clear()
    assert b"".join(Sectioned((b"<", section("a", b"x"), b">")).pieces(last[:1], places)) == b"<x>"
    assert made == ["a"], "a place past the end of the last file is not taken"


@given(names=st.lists(st.text(max_size=5), unique=True, max_size=60), at=st.integers(0, 60), new=st.text(min_size=6, max_size=8))
def test_an_item_added_changes_its_own_run_alone(names, at, new):
    """Where runs end depends on their own items, so adding one changes the run it joins (or
    cuts it in two, when a run ends after it) and leaves every other run as it was."""
    before = list(runs(names, str, average=4))
    after = list(runs(names[:at] + [new] + names[at:], str, average=4))
    assert [item for run in after for item in run] == names[:at] + [new] + names[at:]
    assert len([run for run in before if run not in after]) <= 1 and len([run for run in after if run not in before]) <= 2


def test_the_last_file_changed_since_it_was_written_is_not_copied_from(tmp_path):
    """``output.LastFile`` reads the file only while it has the size and time it was written
    with: once it changed (here its bytes, its size kept), every section is made again."""
    import os

    from papernotes.output import LastFile

    made = []

    def file() -> Sectioned:
        return Sectioned((b"<", *(Section(digest(name), lambda name=name: made.append(name) or [name.encode()])
                                  for name in ("a", "b")), b">"), b",")

    places: list = []
    written = b"".join(file().pieces(record=places))
    path = tmp_path / "graph.json"
    path.write_bytes(written)
    stat = path.stat()
    last = LastFile(str(path), (stat.st_size, stat.st_mtime_ns))
    made.clear()
    assert b"".join(file().pieces(last, places)) == written and made == []
    path.write_bytes(written.replace(b"a", b"A"))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert b"".join(file().pieces(last, places)) == written and made == ["a", "b"]
    path.unlink()
    assert last[0:1] == b""
