"""Sections of a page: a section copied from the page last written is the bytes it renders as."""

from __future__ import annotations

import jinja2
from hypothesis import given, strategies as st

from papernotes.pagesections import PageSections, section_digest, section_runs
from papernotes.views import BodyReads

_TEMPLATE = ('<ol>{% for run in items | runs(3) %}{% call section("items", run, heading) %}'
             '{% for item in run %}<li>{{ heading }}: {{ item }}</li>{% endfor %}{% endcall %}{% endfor %}</ol>')


def _render(items: list[str], heading: str = "é", last: bytes | None = None, places: tuple = (),
            record: list | None = None, reads: BodyReads | None = None, earlier: tuple = ()) -> bytes:
    """The page's bytes, its sections copied from ``last`` at ``places`` where they can be."""
    env = jinja2.Environment(autoescape=True)
    env.filters["runs"] = section_runs
    sections = PageSections(last, places, reads, earlier)
    text = env.from_string(_TEMPLATE).render(items=items, heading=heading, section=sections)
    return "".join(sections.unmarked([text], record)).encode("utf-8")


def _fresh(items: list[str], heading: str = "é") -> bytes:
    env = jinja2.Environment(autoescape=True)
    text = env.from_string("<ol>{% for item in items %}<li>{{ heading }}: {{ item }}</li>{% endfor %}</ol>")
    return text.render(items=items, heading=heading).encode("utf-8")


_ITEMS = st.lists(st.text(alphabet="ab<é\x00", min_size=1, max_size=4), max_size=12)


@given(before=_ITEMS, after=_ITEMS, heading=st.sampled_from(["é", "x"]))
def test_a_page_rendered_from_the_last_one_is_the_page_rendered_afresh(before, after, heading):
    """Whatever items changed, came or went, copying the unchanged sections from the page last
    written at the places it recorded gives the bytes of rendering every section, with no mark
    left, and records the places a third render copies from in turn."""
    places: list = []
    last = _render(before, record=places)
    assert last == _fresh(before)
    again: list = []
    made = _render(after, heading, last, tuple(places), again)
    assert made == _fresh(after, heading)
    third = _render(after, heading, made, tuple(again))
    assert third == made


def test_only_the_sections_whose_items_changed_are_rendered_again():
    """An item added changes its own run (split in two when the item ends a run) and no other."""
    copied: list[str] = []
    items = [f"item {i}" for i in range(40)]
    places: list = []
    last = _render(items, record=places)
    sections = PageSections(last, places)
    real = sections._copied

    def copying(digest: bytes) -> str | None:
        text = real(digest)
        copied.extend([text] if text is not None else [])
        return text

    sections._copied = copying  # type: ignore[method-assign]
    rendered: list[list[str]] = []
    env = jinja2.Environment(autoescape=True)
    env.filters["runs"] = section_runs
    changed = [*items[:20], "a new item", *items[20:]]
    template = env.from_string(_TEMPLATE.replace("{% for item in run %}", "{% for item in run %}{% if loop.first %}"
                                                 "{{ rendering(run) }}{% endif %}"))
    text = template.render(items=changed, heading="é", section=sections, rendering=lambda run: rendered.append(list(run)) or "")
    assert "".join(sections.unmarked([text])).encode("utf-8") == _fresh(changed)
    assert len(places) > 4 and len(copied) == len(places) - 1 and len(rendered) <= 2 and "a new item" in rendered[0]


def test_a_copied_section_tells_the_page_what_the_last_render_read():
    """A section copied read nothing of its notes now: what the render that wrote it read is
    told instead, so that the page is still compared by the fields its sections show."""
    places: list = []
    last = _render(["a", "b"], record=places)
    reads = BodyReads()
    _render(["a", "b"], last=last, places=tuple(places), reads=reads, earlier=("\0title", "n1"))
    assert reads == {"\0title", "n1"}
    untouched = BodyReads()
    _render(["a", "b"], reads=untouched, earlier=("\0title",))
    assert not untouched, "nothing copied, nothing told"


def test_a_section_of_values_it_cannot_digest_is_rendered_every_time_and_not_recorded():
    assert section_digest("x", (object(),)) is None
    env = jinja2.Environment(autoescape=True)
    sections = PageSections()
    text = env.from_string('{% call section("x", thing) %}<b>{{ 1 }}</b>{% endcall %}').render(thing=object(), section=sections)
    record: list = []
    assert "".join(sections.unmarked([text], record)) == "<b>1</b>" and record == []


def test_section_digests_tell_labels_and_values_apart():
    digests = {section_digest(label, values) for label, values in
               [("a", ()), ("b", ()), ("a", ("",)), ("a", ((),)), ("a", (0,)), ("a", (False,)), ("a", (None,)), ("a", ("0",))]}
    assert len(digests) == 8
