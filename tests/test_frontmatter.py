import datetime as dt

import pytest

from papernotes.dates import parse_date
from papernotes.read.frontmatter import parse_front_matter, split_front_matter, tags_of
from papernotes.model import DiagnosticError


@pytest.mark.parametrize("value, iso, precision", [
    (dt.date(2024, 3, 9), "2024-03-09", "day"),
    (dt.datetime(2024, 3, 9, 10, 30), "2024-03-09T10:30:00", "time"),
    (2024, "2024", "year"),
    ("2024", "2024", "year"),
    ("2024-03", "2024-03", "month"),
    ("2024-3-9", "2024-03-09", "day"),
    ("2024-03-09T10:30:00Z", "2024-03-09T10:30:00+00:00", "time"),
    ("2024-03-09 10:30:00 +0900", "2024-03-09T10:30:00+09:00", "time"),
    ("Fri, 03 Jan 2025 14:31:24 GMT", "2025-01-03T14:31:24+00:00", "time"),
    ("March 9, 2024", "2024-03-09", "day"),
    ("March 2024", "2024-03", "month"),
])
def test_date_forms(value, iso, precision):
    date = parse_date(value)
    assert date is not None
    assert (date.iso(), date.precision) == (iso, precision)


@pytest.mark.parametrize("value", ["soon", "2024-13-01", "", None, True, [2024]])
def test_unreadable_dates(value):
    assert parse_date(value) is None


def test_year_key_alone_gives_a_year_date():
    front, problems = parse_front_matter('title: "Reading Roundup"\ncategories: []\nyear: 2024', "a.md")
    assert front.title == "Reading Roundup"
    assert front.date.iso() == "2024" and front.date.precision == "year"
    assert problems == []


def test_date_wins_over_year_and_updated_aliases():
    front, _ = parse_front_matter("date: 2023-01-02\nyear: 2020\nlastmod: 2024-05-06", "a.md")
    assert front.date.iso() == "2023-01-02"
    assert front.updated.iso() == "2024-05-06"


def test_bad_date_is_a_warning_on_its_line():
    front, problems = parse_front_matter("title: x\ndate: someday", "n.md")
    assert front.date is None
    assert [str(p) for p in problems] == ["n.md:3:1: warning: cannot read date 'someday'; use YYYY-MM-DD"]


@pytest.mark.parametrize("values, expected", [
    ((["a", "b"],), ("a", "b")),
    (("a, b c",), ("a", "b c")),
    (("a b",), ("a", "b")),
    (("#ml #nlp",), ("ml", "nlp")),
    ((["ML", "ml", "x"], "x, y"), ("ML", "x", "y")),
    ((None, [], ""), ()),
    (([1, 2.5],), ("1", "2.5")),
])
def test_tag_forms(values, expected):
    assert tags_of(*values) == expected


def test_categories_merge_into_tags():
    front, _ = parse_front_matter("tags: [a]\ncategories: b c", "n.md")
    assert front.tags == ("a", "b", "c")


@pytest.mark.parametrize("yaml_text, draft", [
    ("draft: true", True), ("published: false", True), ("draft: false", False),
    ("published: true", False), ("draft: 'yes'", False), ("title: x", False),
])
def test_drafts(yaml_text, draft):
    assert parse_front_matter(yaml_text, "n.md")[0].draft is draft


def test_unknown_keys_pass_through_and_known_ones_are_read():
    front, _ = parse_front_matter(
        "slug: my-note\npermalink: /x/\ndescription: d\naliases: [a, b]\nrating: 5\nwhen: 2024-01-01", "n.md")
    assert (front.slug, front.permalink, front.summary, front.aliases) == ("my-note", "/x/", "d", ("a", "b"))
    assert front.meta == {"rating": 5, "when": "2024-01-01"}


def test_yaml_error_position_is_mapped_to_the_file():
    with pytest.raises(DiagnosticError) as caught:
        parse_front_matter("title: ok\ntags: [a, b\ndate: 2024-01-01", "broken.md")
    diagnostic = caught.value.diagnostic
    assert (diagnostic.path, diagnostic.severity) == ("broken.md", "error")
    assert diagnostic.line >= 3 and diagnostic.message.startswith("invalid YAML")


def test_front_matter_must_be_a_mapping():
    with pytest.raises(DiagnosticError, match="n.md:2:1: error: front matter must be a mapping"):
        parse_front_matter("- a\n- b", "n.md")


def test_split_front_matter():
    assert split_front_matter("---\na: 1\n---\nbody\n") == ("a: 1", "body\n", 4)
    assert split_front_matter("---\na: 1\n...\nbody") == ("a: 1", "body", 4)
    assert split_front_matter("no front matter") == (None, "no front matter", 1)
    assert split_front_matter("---\nnever closed\n") == (None, "---\nnever closed\n", 1)
