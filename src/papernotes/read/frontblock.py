"""Find a note's front matter block in the three forms Jekyll and Hugo write, and parse it with
positions: YAML between ``---`` lines, TOML between ``+++`` lines, or a JSON object opening the file."""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from typing import Any, Literal

from ..model import Diagnostic, DiagnosticError
from ..yamltext import load_yaml_with_lines

Form = Literal["yaml", "toml", "json"]

_YAML_OPEN = re.compile(r"^---[ \t]*$")
_YAML_CLOSE = re.compile(r"^(---|\.\.\.)[ \t]*$")
_TOML_FENCE = re.compile(r"^\+\+\+[ \t]*$")
_JSON_OPEN = re.compile(r'^\{[ \t]*(\n[ \t]*)?("|\}[ \t]*(\n|$))')  # ``{`` then a key (or ``{}``), as Hugo writes it
_LOOKS_LIKE_KEY = re.compile(r"^[ \t]*[\w\"'-]+[ \t]*[:=]")
_TOML_POSITION = re.compile(r"\(at (?:line (\d+), column (\d+)|end of document)\)$")
_TOML_KEY = re.compile(r"""^[ \t]*([A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*')[ \t]*=""")
_TOML_TABLE = re.compile(r"^[ \t]*\[")
_TOML_BARE_DATE = re.compile(r"^(?P<key>[ \t]*[^=\n]+=[ \t]*)(?P<date>[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt ][0-9][0-9:.+\-Zz]*)?)(?P<rest>[ \t]*(?:#.*)?)$")
_JSON_KEY = re.compile(r'^[ \t]*"((?:[^"\\\n]|\\.)*)"[ \t]*:')
MAX_DATE_RETRIES = 50


@dataclass(frozen=True)
class Block:
    """A front matter block: its form, its text, the file line where that text starts, and the
    body after it with the file line where the body starts."""

    form: Form
    text: str
    first_line: int
    body: str
    body_line: int


def find_block(text: str, path: str) -> tuple[Block | None, list[Diagnostic]]:
    """The front matter block opening ``text``, if any. A ``---`` or ``+++`` fence that is never
    closed (and is followed by ``key:`` lines, so not a rule) is a warning, and the text stays body."""
    first, _, rest = text.partition("\n")
    fences: tuple[tuple[Form, re.Pattern[str], re.Pattern[str]], ...] = (
        ("yaml", _YAML_OPEN, _YAML_CLOSE), ("toml", _TOML_FENCE, _TOML_FENCE))
    for form, opening, close in fences:
        if not opening.match(first):
            continue
        lines = rest.split("\n")
        for index, line in enumerate(lines):
            if close.match(line):
                return Block(form, "\n".join(lines[:index]), 2, "\n".join(lines[index + 1:]), index + 3), []
        if any(_LOOKS_LIKE_KEY.match(line) for line in lines[:3]):
            marker = first.strip()
            return None, [Diagnostic("warning", path, 1, 1, f"front matter opened with {marker} is never closed "
                                     f"(no {marker} line after it); read as text")]
        return None, []
    if _JSON_OPEN.match(text):
        try:
            _, end = json.JSONDecoder().raw_decode(text)
        except (ValueError, RecursionError):
            end = _json_end(text)
        rest_start = text.find("\n", end)
        body = "" if rest_start < 0 else text[rest_start + 1:]
        return Block("json", text[:end], 1, body, text.count("\n", 0, end) + 2), []
    return None, []


def _json_end(text: str) -> int:
    """Where a broken JSON block ends: its first line that is only ``}`` (the whole text if none),
    so the error is reported and the body is not mistaken for front matter."""
    match = re.search(r"^\}[ \t]*$", text, re.MULTILINE)
    return match.end() if match else len(text)


def has_block(text: str) -> bool:
    """True when ``text`` opens with a closed front matter block in any form."""
    return text.startswith(("---", "+++", "{")) and find_block(text, "")[0] is not None


def parse_block(block: Block, path: str) -> tuple[Any, dict[str, int]]:
    """The block's value and the file line of each top-level key; DiagnosticError when it cannot be read."""
    if block.form == "yaml":
        return load_yaml_with_lines(block.text, path, block.first_line)
    if block.form == "toml":
        return _load_toml(block.text, path, block.first_line)
    return _load_json(block.text, path, block.first_line)


def _load_toml(text: str, path: str, first_line: int) -> tuple[Any, dict[str, int]]:
    """TOML with errors at their position. A date that does not exist (``2024-02-30``) is read as
    text, so its key alone is reported rather than the whole block failing."""
    for _ in range(MAX_DATE_RETRIES):
        try:
            return tomllib.loads(text), _toml_key_lines(text, first_line)
        except tomllib.TOMLDecodeError as exc:
            message = str(exc)
            match = _TOML_POSITION.search(message)
            line, col = (int(match[1]), int(match[2])) if match and match[1] else (text.count("\n") + 1, 1)
            quoted = _quote_date_on(text, line)
            if quoted is not None:
                text = quoted
                continue
            problem = _TOML_POSITION.sub("", message).strip()
            raise DiagnosticError(_positioned(text, path, first_line, line, col, f"invalid TOML: {problem}")) from None
        except RecursionError:
            raise DiagnosticError(Diagnostic("error", path, first_line, 1, "TOML nested too deeply; refused")) from None
    raise DiagnosticError(Diagnostic("error", path, first_line, 1, "invalid TOML: too many impossible dates"))


def _quote_date_on(text: str, line: int) -> str | None:
    """``text`` with the bare date of ``key = date`` on ``line`` put in quotes, if it has one."""
    lines = text.split("\n")
    match = _TOML_BARE_DATE.match(lines[line - 1]) if 1 <= line <= len(lines) else None
    if not match:
        return None
    lines[line - 1] = f'{match["key"]}"{match["date"].rstrip()}"{match["rest"]}'
    return "\n".join(lines)


def _toml_key_lines(text: str, first_line: int) -> dict[str, int]:
    """File line of each top-level key: the ``key =`` lines before the first ``[table]``."""
    lines: dict[str, int] = {}
    in_table = False
    for offset, row in enumerate(text.split("\n")):
        if _TOML_TABLE.match(row):
            in_table = True
            name = row.strip().strip("[]").strip().strip("\"'")
            lines.setdefault(name.split(".")[0], offset + first_line)
            continue
        match = _TOML_KEY.match(row)
        if match and not in_table:
            lines.setdefault(match[1].strip("\"'"), offset + first_line)
    return lines


def _load_json(text: str, path: str, first_line: int) -> tuple[Any, dict[str, int]]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DiagnosticError(_positioned(text, path, first_line, exc.lineno, exc.colno,
                                          f"invalid JSON front matter: {exc.msg}")) from None
    except RecursionError:
        raise DiagnosticError(Diagnostic("error", path, first_line, 1, "JSON nested too deeply; refused")) from None
    lines: dict[str, int] = {}
    for offset, row in enumerate(text.split("\n")):
        match = _JSON_KEY.match(row)
        if match:
            lines.setdefault(match[1], offset + first_line)
    return value, lines


def _positioned(text: str, path: str, first_line: int, line: int, col: int, message: str) -> Diagnostic:
    rows = text.split("\n")
    source = rows[line - 1] if 1 <= line <= len(rows) and len(rows[line - 1]) <= 200 else None
    return Diagnostic("error", path, line - 1 + first_line, col, message, source)
