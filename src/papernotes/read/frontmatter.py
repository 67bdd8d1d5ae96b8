"""Front matter: read the block a note opens with (YAML, TOML or JSON) and interpret the keys
Jekyll, Hugo and Obsidian use. Each key has one type; a value of another type is a warning at
the key's line and the key keeps its default."""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from .frontblock import Block, Form, find_block, has_block, parse_block
from ..model import Diagnostic, DiagnosticError, NoteDate
from ..dates import ISO_DATE, iso_datetime, parse_date
from ..yamltext import plain

_JEKYLL_PLACEHOLDER = re.compile(r":(year|month|i_month|day|i_day|short_year|title|slug|categories|output_ext)\b")

#: Keys tried in order for each date, as Hugo's defaults and Jekyll do.
DATE_KEYS = ("date", "publishdate", "pubdate", "published")
UPDATED_KEYS = ("updated", "lastmod", "last_modified_at", "modified")
TAG_KEYS = ("tags", "tag", "categories", "category", "series", "keywords")
#: Keys papernotes reads itself; every other key is kept in ``meta`` for templates.
KNOWN_KEYS = frozenset({
    *DATE_KEYS, *UPDATED_KEYS, *TAG_KEYS, "title", "year", "draft", "slug", "permalink", "url", "summary",
    "description", "excerpt", "aliases", "alias", "author", "authors", "paper", "papers",
})
#: Keys kept in ``meta`` whose type is still checked: (key, what it must be).
CHECKED_META = {"layout": "text", "excerpt_separator": "text", "weight": "number", "expirydate": "date",
                "redirect_from": "list", "linktitle": "text"}


@dataclass(frozen=True)
class FrontMatter:
    """The interpreted front matter of one note; ``meta`` keeps the keys papernotes does not use."""

    title: str | None = None
    date: NoteDate | None = None
    updated: NoteDate | None = None
    tags: tuple[str, ...] = ()
    draft: bool = False
    slug: str | None = None
    permalink: str | None = None
    summary: str = ""
    aliases: tuple[str, ...] = ()
    author: str | None = None
    papers: tuple[str, ...] = ()
    meta: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class FrontMatterRead:
    """A note's front matter and the body after it (with the file line where the body starts)."""

    front: FrontMatter
    body: str
    body_line: int
    problems: tuple[Diagnostic, ...] = ()
    form: Form | None = None


def read_front_matter(text: str, path: str) -> FrontMatterRead:
    """Split off and interpret the front matter ``text`` opens with, in any form.

    Raises DiagnosticError when the block exists but cannot be read at all (the note is skipped)."""
    block, problems = find_block(text, path)
    if block is None:
        return FrontMatterRead(FrontMatter(), text, 1, tuple(problems))
    front, found = parse_block_front_matter(block, path)
    return FrontMatterRead(front, block.body, block.body_line, (*problems, *found), block.form)


def parse_block_front_matter(block: Block, path: str) -> tuple[FrontMatter, list[Diagnostic]]:
    data, key_lines = parse_block(block, path)
    if data is None:
        return FrontMatter(), []
    if not isinstance(data, dict):
        raise DiagnosticError(Diagnostic("error", path, block.first_line, 1,
                                         "front matter must be a mapping of keys to values"))
    return interpret(data, path, key_lines, block.first_line)


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """Return ``(yaml, body, body_line)`` for a ``---`` block; text without one has no YAML."""
    block, _ = find_block(text, "")
    if block is None or block.form != "yaml":
        return None, text, 1
    return block.text, block.body, block.body_line


def has_front_matter(text: str) -> bool:
    """True when ``text`` opens with a closed front matter block (``---``, ``+++`` or ``{``)."""
    return has_block(text)


def parse_front_matter(yaml_text: str, path: str) -> tuple[FrontMatter, list[Diagnostic]]:
    """Parse and interpret a YAML front matter block that starts on line 2 of ``path``."""
    return parse_block_front_matter(Block("yaml", yaml_text, 2, "", 1), path)


class _Keys:
    """Typed access to a front matter mapping: keys looked up without regard to case (as Hugo
    does), each read as one type, with a warning at the key's line for a value of another."""

    def __init__(self, data: Mapping[Any, Any], path: str, key_lines: Mapping[str, int], first_line: int) -> None:
        self.values = {str(k).lower(): v for k, v in reversed(list(data.items()))}
        self.names = {str(k).lower(): str(k) for k in data}
        self.lines = {str(k).lower(): line for k, line in key_lines.items()}
        self.path, self.first_line = path, first_line
        self.problems: list[Diagnostic] = []

    def warn(self, key: str, message: str) -> None:
        self.problems.append(Diagnostic("warning", self.path, self.lines.get(key, self.first_line), 1, message))

    def given(self, key: str) -> bool:
        return self.values.get(key) not in (None, "")

    def wrong(self, key: str, expected: str) -> None:
        value = self.values[key]
        self.warn(key, f"{self.names.get(key, key)} should be {expected}, not {_kind(value)} "
                       f"({_preview(value)}); ignored")

    def text(self, key: str) -> str | None:
        """A text value; a number or date is used as its text with a warning to quote it."""
        if not self.given(key):
            return None
        value = self.values[key]
        if isinstance(value, str):
            return value
        if isinstance(value, (int, float, dt.date)) and not isinstance(value, bool):
            shown = value.isoformat() if isinstance(value, dt.date) else str(value)
            self.warn(key, f"{self.names.get(key, key)} should be text, not {_kind(value)}; "
                           f"read as {shown!r} (put it in quotes)")
            return shown
        self.wrong(key, "text")
        return None

    def flag(self, key: str) -> bool | None:
        """``true``/``false`` (also the strings ``"true"``/``"false"``, as Hugo accepts)."""
        if not self.given(key):
            return None
        value = self.values[key]
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            return value.strip().lower() == "true"
        self.wrong(key, "true or false")
        return None

    def strings(self, key: str, split: bool = False) -> list[str]:
        """A list of text items or one text; with ``split``, ``"a, b"`` and ``"a b"`` are lists."""
        if not self.given(key):
            return []
        value = self.values[key]
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return _split_words(str(value)) if split and isinstance(value, str) else [str(value)]
        if not isinstance(value, list):
            self.wrong(key, "a list of text")
            return []
        items = []
        for item in value:
            if isinstance(item, (str, int, float)) and not isinstance(item, bool):
                items.append(str(item))
            elif item is not None:
                self.warn(key, f"{self.names.get(key, key)}: an item should be text, not {_kind(item)} "
                               f"({_preview(item)}); item ignored")
        return [item for item in items if item]

    def date(self, key: str) -> NoteDate | None:
        if not self.given(key):
            return None
        value = self.values[key]
        parsed = parse_date(value)
        if parsed is None:
            self.warn(key, date_problem(self.names.get(key, key), value))
        return parsed

    def number(self, key: str) -> float | None:
        value = self.values.get(key)
        if value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)):
            return value
        self.wrong(key, "a number")
        return None


def interpret(data: Mapping[Any, Any], path: str, key_lines: Mapping[str, int] | None = None,
              first_line: int = 2) -> tuple[FrontMatter, list[Diagnostic]]:
    """Turn a front matter mapping into a FrontMatter, warning about values it cannot use."""
    keys = _Keys(data, path, key_lines or {}, first_line)
    date = _first(keys, DATE_KEYS, keys.date)
    if date is None and not any(keys.given(k) for k in DATE_KEYS):
        date = _year(keys)
    published = keys.flag("published") if _is_flag(keys.values.get("published")) else None
    draft = keys.flag("draft")
    tags: list[str] = []
    for key in TAG_KEYS:
        tags += keys.strings(key, split=True)
    checks: dict[str, Callable[[str], object]] = {"text": keys.text, "number": keys.number, "date": keys.date,
                                                  "list": keys.strings}
    for key, kind in CHECKED_META.items():
        if keys.given(key):
            checks[kind](key)
    title = keys.text("title")
    summary = next((s for s in (keys.text(k) for k in ("summary", "description", "excerpt")) if s), "")
    permalink = keys.text("permalink") or keys.text("url")
    return FrontMatter(
        title=html.unescape(title).strip() or None if title else None,
        date=date,
        updated=_first(keys, UPDATED_KEYS, keys.date),
        tags=tags_of(tags),
        draft=draft is True or published is False,
        slug=keys.text("slug"),
        permalink=jekyll_permalink(permalink, tags) if permalink else None,
        summary=html.unescape(summary).strip(),
        aliases=tuple(keys.strings("aliases") or keys.strings("alias")),
        author=_authors(keys),
        papers=tuple(keys.strings("paper") + keys.strings("papers")),
        meta={str(k): plain(v) for k, v in data.items() if str(k).lower() not in KNOWN_KEYS},
    ), keys.problems


def _first(keys: _Keys, names: tuple[str, ...], read: Callable[[str], NoteDate | None]) -> NoteDate | None:
    """The date of the first of ``names`` that is given (Jekyll's true/false ``published`` is a
    flag; Hugo's ``published`` is a date)."""
    for name in names:
        if keys.given(name) and not (name == "published" and _is_flag(keys.values[name])):
            return read(name)
    return None


def _is_flag(value: Any) -> bool:
    return isinstance(value, bool) or (isinstance(value, str) and value.strip().lower() in ("true", "false"))


def _year(keys: _Keys) -> NoteDate | None:
    if not keys.given("year"):
        return None
    value = keys.values["year"]
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 9999:
        return NoteDate(dt.datetime(value, 1, 1), "year")
    keys.warn("year", f"cannot read year {_preview(value)}; use a year such as 2024")
    return None


def _authors(keys: _Keys) -> str | None:
    """``author``/``authors`` as one line: text, a list of names, or distill's list of
    ``{name: …, affiliations: …}``."""
    names: list[str] = []
    for key in ("author", "authors"):
        value = keys.values.get(key)
        items = value if isinstance(value, list) else [value] if value not in (None, "") else []
        for item in items:
            if isinstance(item, dict) and isinstance(item.get("name"), str):
                names.append(_with_affiliations(item["name"].strip(), item.get("affiliations")))
            elif isinstance(item, str):
                names.append(item.strip())
            else:
                keys.warn(key, f"{keys.names.get(key, key)} should be a name, a list of names or of "
                               f"{{name: …}}, not {_kind(item)} ({_preview(item)}); ignored")
        if names:
            break
    return ", ".join(dict.fromkeys(n for n in names if n)) or None


def _with_affiliations(name: str, affiliations: Any) -> str:
    """``Jacob Austin (Google DeepMind)``: a distill author with the names of their affiliations."""
    places = [affiliations] if isinstance(affiliations, dict) else affiliations if isinstance(affiliations, list) else []
    where = ", ".join(str(p["name"]) for p in places if isinstance(p, dict) and p.get("name"))
    return f"{name} ({where})" if where else name


def jekyll_permalink(permalink: str, categories: list[str]) -> str:
    """A front matter permalink as a ``{slug}`` pattern: Jekyll's ``:title``/``:year``… placeholders
    become papernotes' fields, so ``/:categories/:title/`` works as Jekyll builds it."""
    pattern = permalink.replace("{", "{{").replace("}", "}}")
    fields = {"year": "{year}", "short_year": "{year}", "month": "{month}", "i_month": "{month}", "day": "{day}",
              "i_day": "{day}", "title": "{slug}", "slug": "{slug}", "output_ext": ".html",
              "categories": "/".join(re.sub(r"[^\w.~-]+", "-", c).strip("-").lower() for c in categories)}
    return _JEKYLL_PLACEHOLDER.sub(lambda m: fields[m[1]], pattern)


def _split_words(text: str) -> list[str]:
    return text.split(",") if "," in text else text.split()


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, (dt.date, dt.datetime)):
        return "a date"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "text" if isinstance(value, str) else type(value).__name__


def _preview(value: Any) -> str:
    shown = repr(plain(value)) if not isinstance(value, str) else repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "…"


def tags_of(*values: Any) -> tuple[str, ...]:
    """Tags from lists or ``"a, b"`` / ``"a b"`` strings, without ``#`` and duplicates, in order."""
    tags: list[str] = []
    seen: set[str] = set()
    for value in values:
        for item in _as_list(value):
            text = str(item)
            parts = text.split(",") if "," in text else text.split() if isinstance(value, str) else [text]
            for part in parts:
                tag = part.strip().lstrip("#").strip()
                if tag and tag.lower() not in seen:
                    seen.add(tag.lower())
                    tags.append(tag)
    return tuple(tags)


def _as_list(value: Any) -> list[Any]:
    if value is None or value == "":
        return []
    if isinstance(value, (list, tuple)):
        return [v for v in value if v not in (None, "") and not isinstance(v, (dict, list))]
    return [] if isinstance(value, dict) else [value]


def date_problem(key: str, value: Any) -> str:
    """Why ``value`` is not a date, as a diagnostic message."""
    if key.lower() == "published":
        return f"{key} should be true, false or a date such as 2024-03-09, not {_preview(value)}; ignored"
    if isinstance(value, str):
        match = ISO_DATE.match(value.strip())
        if match:
            return f"cannot read {key} {value!r}: {_iso_error(match)}"
        return f"cannot read {key} {value!r}; use YYYY-MM-DD"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"cannot read {key} {value!r}; use YYYY-MM-DD"
    return f"{key} should be a date such as 2024-03-09, not {_kind(value)} ({_preview(value)}); ignored"


def _iso_error(match: re.Match[str]) -> str:
    try:
        iso_datetime(match)
    except ValueError as exc:
        return str(exc)
    return "not a date"
