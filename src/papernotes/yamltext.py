"""YAML parsing with positioned errors, using the C loader when it is present."""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml

from .model import Diagnostic, DiagnosticError

try:  # the C loader is several times faster on large front matter
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader


def load_yaml(text: str, path: str, first_line: int = 1) -> Any:
    """Parse ``text`` as YAML; ``first_line`` is the file line where ``text`` starts.

    Raises DiagnosticError with the parser's own position mapped to the file.
    """
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line if mark else 0) + first_line
        col = (mark.column if mark else 0) + 1
        problem = exc.problem or exc.context or "invalid YAML"
        lines = text.splitlines()
        source = lines[line - first_line] if 0 <= line - first_line < len(lines) else None
        raise DiagnosticError(
            Diagnostic("error", path, line, col, f"invalid YAML: {problem}", source)
        ) from None
    except yaml.YAMLError as exc:
        raise DiagnosticError(Diagnostic("error", path, first_line, 1, f"invalid YAML: {exc}")) from None


def plain(value: Any) -> Any:
    """Turn YAML values into template-safe plain values (dates become ISO strings)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value
