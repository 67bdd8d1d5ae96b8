"""Front matter: split the YAML block off a text and interpret the keys Jekyll, Hugo and Obsidian use."""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from .model import Diagnostic, DiagnosticError, NoteDate
from .yamltext import load_yaml, plain

_FENCE = re.compile(r"^---[ \t]*$")
_CLOSE = re.compile(r"^(---|\.\.\.)[ \t]*$")
_ISO = re.compile(
    r"^(?P<y>\d{4})(?:-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2})"
    r"(?:[T ](?P<time>\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?)?)?)?$"
)
KNOWN_KEYS = frozenset({
    "title", "date", "year", "updated", "lastmod", "last_modified_at", "modified", "tags", "tag",
    "categories", "category", "draft", "published", "slug", "permalink", "summary", "description",
    "excerpt", "aliases", "alias", "layout", "paper", "papers",
})


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


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """Return ``(yaml, body, body_line)``: the YAML between ``---`` fences, the rest, and the
    1-based line where the body starts. Text without a leading fence has no YAML."""
    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0]):
        return None, text, 1
    for index in range(1, len(lines)):
        if _CLOSE.match(lines[index]):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1:]), index + 2
    return None, text, 1


def has_front_matter(text: str) -> bool:
    """True when ``text`` opens with a closed ``---`` front matter block."""
    return split_front_matter(text)[0] is not None


def parse_front_matter(yaml_text: str, path: str) -> tuple[FrontMatter, list[Diagnostic]]:
    """Parse and interpret a front matter block that starts on line 2 of ``path``."""
    data = load_yaml(yaml_text, path, first_line=2)
    if data is None:
        return FrontMatter(), []
    if not isinstance(data, dict):
        raise DiagnosticError(Diagnostic("error", path, 2, 1, "front matter must be a mapping of keys to values"))
    return interpret(data, path, _key_lines(yaml_text))


def _key_lines(yaml_text: str) -> dict[str, int]:
    """File line of each top-level key, so a bad value is reported where it stands."""
    lines = {}
    for offset, line in enumerate(yaml_text.split("\n")):
        match = re.match(r"^([A-Za-z_][\w-]*)\s*:", line)
        if match:
            lines.setdefault(match.group(1), offset + 2)
    return lines


def interpret(data: Mapping[str, Any], path: str, key_lines: Mapping[str, int] | None = None) -> tuple[FrontMatter, list[Diagnostic]]:
    """Turn a front matter mapping into a FrontMatter, warning about values it cannot use."""
    key_lines = key_lines or {}
    problems: list[Diagnostic] = []

    def warn(key: str, message: str) -> None:
        problems.append(Diagnostic("warning", path, key_lines.get(key, 2), 1, message))

    def date_of(*keys: str) -> NoteDate | None:
        for key in keys:
            if data.get(key) not in (None, ""):
                parsed = parse_date(data[key])
                if parsed is None:
                    warn(key, f"cannot read {key} {data[key]!r}; use YYYY-MM-DD")
                return parsed
        return None

    date = date_of("date") or (date_of("year") if "date" not in data else None)
    title = data.get("title")
    slug = data.get("slug")
    permalink = data.get("permalink")
    summary = next((data[k] for k in ("summary", "description", "excerpt") if isinstance(data.get(k), str)), "")
    author = data.get("author")
    return FrontMatter(
        title=str(title).strip() if title not in (None, "") else None,
        date=date,
        updated=date_of("updated", "lastmod", "last_modified_at", "modified"),
        tags=tags_of(data.get("tags"), data.get("tag"), data.get("categories"), data.get("category")),
        draft=data.get("draft") is True or data.get("published") is False,
        slug=str(slug) if slug not in (None, "") else None,
        permalink=str(permalink) if permalink not in (None, "") else None,
        summary=summary.strip(),
        aliases=tuple(str(a) for a in _as_list(data.get("aliases", data.get("alias")))),
        author=str(author) if isinstance(author, (str, int, float)) else None,
        papers=tuple(str(p) for p in (*_as_list(data.get("paper")), *_as_list(data.get("papers")))),
        meta={k: plain(v) for k, v in data.items() if k not in KNOWN_KEYS},
    ), problems


def _as_list(value: Any) -> list[Any]:
    if value is None or value == "":
        return []
    if isinstance(value, (list, tuple)):
        return [v for v in value if v not in (None, "")]
    return [value]


def tags_of(*values: Any) -> tuple[str, ...]:
    """Tags from lists or ``"a, b"`` / ``"a b"`` strings, without ``#`` and duplicates, in order."""
    tags: list[str] = []
    for value in values:
        for item in _as_list(value):
            text = str(item)
            parts = text.split(",") if "," in text else text.split() if isinstance(value, str) else [text]
            for part in parts:
                tag = part.strip().lstrip("#").strip()
                if tag and tag.lower() not in (t.lower() for t in tags):
                    tags.append(tag)
    return tuple(tags)


def parse_date(value: Any) -> NoteDate | None:
    """Read a YAML date, datetime, year number or date string, keeping its precision."""
    if isinstance(value, dt.datetime):
        return NoteDate(value, "time")
    if isinstance(value, dt.date):
        return NoteDate(dt.datetime(value.year, value.month, value.day), "day")
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 9999:
        return NoteDate(dt.datetime(value, 1, 1), "year")
    if not isinstance(value, str):
        return None
    text = value.strip()
    match = _ISO.match(text)
    if match:
        return _from_iso_match(match)
    try:
        return NoteDate(email.utils.parsedate_to_datetime(text), "time")
    except (TypeError, ValueError, IndexError):
        pass
    for layout in ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%B %Y", "%b %Y"):
        try:
            stamp = dt.datetime.strptime(text, layout)
        except ValueError:
            continue
        return NoteDate(stamp, "month" if "%d" not in layout else "day")
    return None


def _from_iso_match(match: re.Match[str]) -> NoteDate | None:
    year, month, day = int(match["y"]), int(match["m"] or 1), int(match["d"] or 1)
    try:
        stamp = dt.datetime(year, month, day)
        if match["time"]:
            parts = [float(p) for p in match["time"].split(":")]
            stamp = stamp.replace(hour=int(parts[0]), minute=int(parts[1]), second=int(parts[2]) if len(parts) > 2 else 0)
            if match["tz"]:
                stamp = stamp.replace(tzinfo=_zone(match["tz"]))
            return NoteDate(stamp, "time")
    except ValueError:
        return None
    precision = "day" if match["d"] else "month" if match["m"] else "year"
    return NoteDate(stamp, precision)


def _zone(text: str) -> dt.tzinfo:
    if text == "Z":
        return dt.timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
