"""TeX macro definitions as MathJax reads them: found in a note's formulas (or given in config)
and expanded in every formula of that note before conversion.

``\\newcommand{\\R}{\\mathbb{R}}``, ``\\newcommand\\norm[1]{\\lVert #1 \\rVert}`` (with an optional
default for the first argument), ``\\renewcommand``, ``\\providecommand``, ``\\def\\E#1{…}`` and
``\\DeclareMathOperator{\\Tr}{Tr}`` (``*`` too) are understood. Expansion is bounded, so a macro
that refers to itself cannot hang a build.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping

_DEFINITION = re.compile(r"\\(newcommand|renewcommand|providecommand|DeclareMathOperator|def)(\*?)(?![A-Za-z])")
_NAME = re.compile(r"\s*(?:\{\s*\\([A-Za-z]+|.)\s*\}|\\([A-Za-z]+|.))")
_ARG_COUNT = re.compile(r"\s*\[\s*(\d)\s*\]")
_DEF_PARAMS = re.compile(r"((?:#\d)*)\s*(?=\{)")
_PARAM = re.compile(r"#(\d)")
MAX_EXPANSIONS = 500  # per formula: more means a macro that calls itself
MAX_LENGTH = 20_000


@dataclass(frozen=True)
class Macro:
    """``\\name`` with ``params`` arguments (the first optional when ``default`` is set)."""

    body: str
    params: int = 0
    default: str | None = None


def macros_from_config(value: Mapping[str, object]) -> dict[str, Macro]:
    """MathJax's and KaTeX's config form: ``{name: body}`` or ``{name: [body, arguments]}``;
    names may be given with or without the backslash."""
    macros = {}
    for name, spec in value.items():
        name = str(name).lstrip("\\")
        if isinstance(spec, str):
            macros[name] = Macro(spec)
        elif isinstance(spec, (list, tuple)) and spec and isinstance(spec[0], str):
            count = spec[1] if len(spec) > 1 and isinstance(spec[1], int) else 0
            default = spec[2] if len(spec) > 2 and isinstance(spec[2], str) else None
            macros[name] = Macro(spec[0], max(0, min(count, 9)), default)
    return macros


def take_definitions(tex: str) -> tuple[str, dict[str, Macro]]:
    """``tex`` without its macro definitions, and the macros they define (in order)."""
    if "\\" not in tex or not _DEFINITION.search(tex):
        return tex, {}
    macros: dict[str, Macro] = {}
    kept: list[str] = []
    position = 0
    for match in _DEFINITION.finditer(tex):
        if match.start() < position:
            continue
        parsed = _parse_definition(tex, match)
        if parsed is None:
            continue
        name, macro, end = parsed
        kept.append(tex[position:match.start()])
        macros[name] = macro
        position = end
    kept.append(tex[position:])
    return "".join(kept), macros


def _parse_definition(tex: str, match: re.Match[str]) -> tuple[str, Macro, int] | None:
    kind, star = match.group(1), match.group(2)
    name_match = _NAME.match(tex, match.end())
    if name_match is None:
        return None
    name = name_match.group(1) or name_match.group(2)
    position = name_match.end()
    if kind == "DeclareMathOperator":
        body, position = _group(tex, position)
        if body is None:
            return None
        operator = rf"\operatorname*{{{body}}}" if star else rf"\operatorname{{{body}}}"
        return name, Macro(operator), position
    params, default = 0, None
    if kind == "def":
        params_match = _DEF_PARAMS.match(tex, position)
        if params_match is None:
            return None
        params, position = len(params_match.group(1)) // 2, params_match.end()
    else:
        count = _ARG_COUNT.match(tex, position)
        if count:
            params, position = int(count.group(1)), count.end()
            if tex.startswith("[", _skip_space(tex, position)):
                default, position = _bracketed(tex, _skip_space(tex, position))
    body, position = _group(tex, position)
    if body is None:
        return None
    return name, Macro(body, params, default), position


def expand(tex: str, macros: Mapping[str, Macro]) -> str:
    """``tex`` with every known macro replaced by its body, arguments filled in."""
    if not macros or "\\" not in tex:
        return tex
    names = sorted(macros, key=len, reverse=True)
    pattern = re.compile(r"\\(" + "|".join(re.escape(n) for n in names) + r")(?![A-Za-z])")
    expansions = 0
    position = 0
    while expansions < MAX_EXPANSIONS and len(tex) < MAX_LENGTH:
        match = pattern.search(tex, position)
        if match is None:
            break
        if match.start() > 0 and tex[match.start() - 1] == "\\":  # ``\\R`` is a line break, then R
            position = match.end()
            continue
        macro = macros[match.group(1)]
        arguments, end = _arguments(tex, match.end(), macro)
        if arguments is None:
            position = match.end()
            continue
        body = _PARAM.sub(lambda m: arguments[int(m.group(1)) - 1] if 0 < int(m.group(1)) <= len(arguments) else "",
                          macro.body)
        # a command name right after the expansion must stay a separate token
        joiner = " " if body and body[-1].isalpha() and end < len(tex) and tex[end].isalpha() else ""
        tex = tex[:match.start()] + body + joiner + tex[end:]
        position = match.start()
        expansions += 1
    return tex


def _arguments(tex: str, position: int, macro: Macro) -> tuple[list[str] | None, int]:
    arguments: list[str] = []
    wanted = macro.params
    if macro.default is not None and wanted:
        start = _skip_space(tex, position)
        if tex.startswith("[", start):
            value, position = _bracketed(tex, start)
            arguments.append(value if value is not None else macro.default)
        else:
            arguments.append(macro.default)
        wanted -= 1
    for _ in range(wanted):
        value, position = _argument(tex, position)
        if value is None:
            return None, position
        arguments.append(value)
    return arguments, position


def _argument(tex: str, position: int) -> tuple[str | None, int]:
    """One macro argument: a brace group, a command, or a single character."""
    position = _skip_space(tex, position)
    if position >= len(tex):
        return None, position
    if tex[position] == "{":
        return _group(tex, position)
    if tex[position] == "\\":
        command = re.match(r"\\(?:[A-Za-z]+|.)", tex[position:])
        assert command is not None
        return command.group(0), position + command.end()
    return tex[position], position + 1


def _group(tex: str, position: int) -> tuple[str | None, int]:
    """The contents of the brace group starting at ``position`` (after spaces), and where it ends."""
    position = _skip_space(tex, position)
    if not tex.startswith("{", position):
        return None, position
    depth = 0
    index = position
    while index < len(tex):
        char = tex[index]
        if char == "\\":
            index += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return tex[position + 1:index], index + 1
        index += 1
    return None, position


def _bracketed(tex: str, position: int) -> tuple[str | None, int]:
    end = tex.find("]", position)
    return (None, position) if end < 0 else (tex[position + 1:end], end + 1)


def _skip_space(tex: str, position: int) -> int:
    while position < len(tex) and tex[position] in " \t\n":
        position += 1
    return position

