"""YAML parsing with positioned errors and a bounded cost, using the C loader when it is present.

Aliases and merge keys let a few hundred bytes of YAML stand for gigabytes once expanded (the
"billion laughs" bomb); deep nesting can exhaust the stack. The parser's events are walked first
and the document is refused, at the alias or node that crosses the line, when its expanded size
grows past a few times the text it came from or it nests deeper than anyone writes by hand.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from .model import Diagnostic, DiagnosticError

MAX_DEPTH = 200
EXPANSION_FACTOR = 4  # an expanded document may be this many times the size of its text…
EXPANSION_FLOOR = 65_536  # …or this many characters, whichever is larger


@functools.cache
def _loader() -> Any:
    """The safe loader (the C one, several times faster on large front matter, when PyYAML has
    it), except that an impossible date (``2024-02-30``) stays the text it was, so the key
    holding it can be reported instead of the whole document failing. PyYAML is imported here,
    when a document is first parsed: a rebuild that reads no YAML does not load it."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    def timestamp_or_text(loader: Any, node: Any) -> Any:
        try:
            return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
        except (ValueError, OverflowError):
            return node.value

    loader: Any = type("_Loader", (base,), {})
    loader.add_constructor("tag:yaml.org,2002:timestamp", timestamp_or_text)
    return loader


def load_yaml(text: str, path: str, first_line: int = 1) -> Any:
    """Parse ``text`` as YAML; ``first_line`` is the file line where ``text`` starts.

    Raises DiagnosticError with the parser's own position mapped to the file.
    """
    return load_yaml_with_lines(text, path, first_line)[0]


def load_yaml_with_lines(text: str, path: str, first_line: int = 1) -> tuple[Any, dict[str, int]]:
    """The parsed document and the file line of each of its top-level keys (``urls``) and of the
    keys of a mapping under one (``urls.tag``)."""
    import yaml

    try:
        key_lines = _measure(text, path, first_line)
        return yaml.load(text, Loader=_loader()), key_lines
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        raise DiagnosticError(_at(text, path, first_line, mark, f"invalid YAML: {problem}")) from None
    except yaml.YAMLError as exc:
        raise DiagnosticError(Diagnostic("error", path, first_line, 1, f"invalid YAML: {exc}")) from None
    except (ValueError, TypeError, OverflowError) as exc:  # a typed scalar such as ``!!int x``
        raise DiagnosticError(Diagnostic("error", path, first_line, 1, f"invalid YAML value: {exc}")) from None


def _measure(text: str, path: str, first_line: int) -> dict[str, int]:
    """Walk the parser's events without building anything: refuse a document that nests too
    deeply or whose aliases expand past the budget, and note where each top-level key stands."""
    import yaml

    budget = max(EXPANSION_FLOOR, EXPANSION_FACTOR * len(text))
    anchors: dict[str, int] = {}
    stack: list[list[Any]] = []  # per open collection: [expanded size, anchor, is mapping, children so far]
    key_lines: dict[str, int] = {}
    top_key = ""
    parser = _loader()(text)
    try:
        while parser.check_event():
            event = parser.get_event()
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                if len(stack) >= MAX_DEPTH:
                    raise DiagnosticError(_at(text, path, first_line, event.start_mark,
                                              f"YAML nested more than {MAX_DEPTH} levels deep; refused"))
                stack.append([1, event.anchor, isinstance(event, yaml.MappingStartEvent), 0])
                continue
            if isinstance(event, yaml.ScalarEvent):
                size, anchor = 1 + len(event.value), event.anchor
                if len(stack) == 1 and stack[0][2] and stack[0][3] % 2 == 0:
                    key_lines.setdefault(event.value, (event.start_mark.line if event.start_mark else 0) + first_line)
                    top_key = event.value
                elif len(stack) == 2 and stack[0][2] and stack[1][2] and stack[1][3] % 2 == 0:
                    key_lines.setdefault(f"{top_key}.{event.value}", (event.start_mark.line if event.start_mark else 0) + first_line)
            elif isinstance(event, yaml.AliasEvent):
                size, anchor = anchors.get(event.anchor or "", 1), None
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                size, anchor, _, _ = stack.pop()
            else:
                continue
            if anchor:
                anchors[anchor] = size
            if stack:
                stack[-1][0] += size
                stack[-1][3] += 1
            if size > budget or (stack and stack[-1][0] > budget):
                raise DiagnosticError(_at(text, path, first_line, event.start_mark,
                                          f"YAML aliases expand to more than {budget:,} characters "
                                          f"(the text has {len(text):,}); refused"))
    finally:
        parser.dispose()
    return key_lines


def _at(text: str, path: str, first_line: int, mark: Any, message: str) -> Diagnostic:
    line = (mark.line if mark else 0) + first_line
    col = (mark.column if mark else 0) + 1
    lines = text.splitlines()
    source = lines[line - first_line] if 0 <= line - first_line < len(lines) else None
    if source is not None and len(source) > 200:
        source = None  # a caret under a huge line helps nobody
    return Diagnostic("error", path, line, col, message, source)


def plain(value: Any) -> Any:
    """Turn YAML values into template-safe plain values (dates become ISO strings)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value
