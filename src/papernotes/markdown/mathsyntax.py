"""markdown-it-py plugin for every way Markdown notes write TeX, as MathJax would find it.

Tokens: ``math_inline`` (shown in the line), ``math_inline_double`` (shown as a display
formula although written inside a paragraph), ``math_block`` (a display block) and
``tex_block`` (a ``\\begin{…}`` block of a non-math environment, such as ``algorithm``,
which MathJax cannot typeset either: its TeX is shown as TeX).

- ``$x$``: inline; ``$ x $`` with inner spaces only when the content is clearly TeX (a
  command, ``^``, ``_``, braces or a lone letter), and never next to a digit (unless it holds a
  command, as in ``10.3$\\mu s$``), so ``$5 and $10`` stay dollars;
  ``\\$`` is a dollar.
- ``$$x$$`` inside a paragraph: display, except in kramdown files, where kramdown's rule
  makes it inline; ``$$`` on lines of its own is a display block in every flavor (blank
  lines inside it allowed, as kramdown and MathJax allow them), and ends a paragraph it
  directly follows, except in kramdown files (where it is part of the paragraph) and when it
  closes a ``$$`` opened in the paragraph.
- ``\\(x\\)`` and ``\\[x\\]``, and the doubled ``\\\\(x\\\\)`` / ``\\\\[x\\\\]`` that Markdown
  writers use because Markdown eats one backslash; the doubled form's content went through
  Markdown, so its escapes are undone (``\\_`` → ``_``), as the author's MathJax saw it.
  Single brackets count only around TeX-looking content (``\\[1\\]`` is a bracketed 1);
  ``\\\\[5pt]`` row spacing is not an opening (it has no closing ``\\\\]``).
- ``\\begin{equation|align|gather|multline|…}`` … ``\\end{…}`` outside ``$$`` (the environments
  MathJax looks for in text): a display block (also interrupting a paragraph), or display math
  inside a line; ``\\_`` and ``\\*`` in them were written to keep Markdown's emphasis away and
  are read as ``_`` and ``*``.
- A ``$`` or ``$$`` formula that shows it was written with Markdown's escapes (Hugo's goldmark
  and kramdown outside its ``$$`` undo them before MathJax reads the page): ``\\_`` before a
  subscript or any ``\\*``, or inside a line ``\\\\{``, ``\\\\}``, ``\\\\|``; they are read as MathJax
  read them (``markdown_unescaped``). Not in raw HTML, which no Markdown engine read.

Macros defined in any formula of a note (``\\newcommand``, ``\\def``, ``\\DeclareMathOperator``…),
and those given to the plugin (config ``math.macros``), are expanded in every formula of the note.
"""

from __future__ import annotations

import re
from typing import Any, Iterator, Mapping, Sequence

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.dollarmath.index import is_escaped, math_block_dollar

from .math import looks_like_tex
from .texmacros import Macro, expand, take_definitions

FLAVOR_KEY = "markdown_flavor"  # the env key a renderer sets to the file's Markdown flavor
#: The environments MathJax typesets where it finds them in text (its ``processEnvironments``).
ENVIRONMENTS = ("equation", "align", "gather", "multline", "eqnarray", "flalign", "alignat", "displaymath", "split",
                "aligned", "gathered", "alignedat", "array", "cases", "matrix", "pmatrix", "bmatrix", "Bmatrix",
                "vmatrix", "Vmatrix", "smallmatrix", "subequations")
_ANY_ENV_OPEN = re.compile(r"\\begin\{([A-Za-z]+)((?:\\?\*)?)\}")
_PROTECTED = re.compile(r"\\([_*])")  # ``\_``: an underscore kept from Markdown's emphasis
_ENV_OPEN = re.compile(r"\\begin\{(" + "|".join(ENVIRONMENTS) + r")((?:\\?\*)?)\}")  # ox-hugo writes ``equation\*``
_COMMAND = COMMAND = re.compile(r"\\[A-Za-z]")
#: What makes ``$ x $`` with inner spaces a formula: a command, ``^``, ``_``, braces or a lone letter.
_CLEARLY_TEX = CLEARLY_TEX = re.compile(r"\\[A-Za-z]|[\^_{}]|^\s*[A-Za-z]\s*$")
_UNESCAPED_DOUBLE = re.compile(r"(?<!\\)\$\$")
_MARKDOWN_ESCAPE = re.compile(r"\\([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])")
#: Signs that a ``$`` or ``$$`` formula went through a Markdown engine that does not know math (Hugo's
#: goldmark; kramdown outside its ``$$``), which undid its escapes before MathJax read it: in
#: TeX, ``\_`` before a subscript and ``\*`` print an underscore and a discretionary times sign,
#: which no formula means (``kth\_excluding`` does mean an underscore), and inside a line
#: ``\\{``, ``\\}`` and ``\\|`` are a line break, which means nothing there.
_ESCAPED = re.compile(r"\\_(?:[{\\0-9]|[A-Za-z](?![A-Za-z]))|\\\*")
_ESCAPED_IN_LINE = re.compile(r"\\\\[{}|]")
#: In such a formula: ``\\\\`` (a line break written for Markdown) → ``\\``, ``\_``, ``\*`` → ``_``,
#: ``*``, another ``\\`` as it is; inside a line also ``\\{``, ``\\}``, ``\\|`` → ``\{``, ``\}``, ``\|``.
_ESCAPES = re.compile(r"(\\\\)\\\\|\\\\([{}|])|\\\\|\\([_*])")


MATH_TOKENS = frozenset({"math_inline", "math_inline_double", "math_block"})


def math_syntax_plugin(md: MarkdownIt, macros: Mapping[str, Macro] | None = None, raw_html: bool = False) -> None:
    """Register the math rules (see the module docstring); ``macros`` apply to every note.
    ``raw_html``: the text is HTML's, where no Markdown ate a backslash, so ``\\(…\\)`` is
    always math (as it is for MathJax)."""
    known = dict(macros or {})
    md.core.ruler.after("inline", "math_macros", lambda state: _expand_macros(state, known, not raw_html))
    md.inline.ruler.before("escape", "math_inline", _dollar_math)
    md.inline.ruler.before("escape", "math_brackets", lambda state, silent: _bracket_math(state, silent, raw_html))
    md.inline.ruler.before("escape", "math_environment_inline", _environment_inline)
    md.block.ruler.before("fence", "math_block", _dollar_block(math_block_dollar(False, None, True)),
                          {"alt": ["paragraph", "reference", "blockquote", "list"]})
    md.block.ruler.before("fence", "math_environment", _environment_block,
                          {"alt": ["paragraph", "reference", "blockquote", "list"]})


def is_kramdown(env: Any) -> bool:
    return isinstance(env, dict) and env.get(FLAVOR_KEY) == "kramdown"


def _dollar_block(rule: Any) -> Any:
    """The ``$$`` block rule, which also ends a paragraph (a ``$$`` line right after a text line,
    as Hugo's and GitHub's MathJax and Obsidian show it) except in kramdown files, and except when
    the paragraph so far holds an unclosed ``$$`` (the line closes it)."""
    def dollar_block(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        if not state.src.startswith("$$", state.bMarks[start_line] + state.tShift[start_line]):
            return False  # as the rule finds, before the paragraph so far is looked at
        if silent:
            if is_kramdown(state.env) or _in_open_double(state, start_line):
                return False
            line, count = state.line, len(state.tokens)  # the plugin's rule ignores ``silent``
            found = rule(state, start_line, end_line, False)
            del state.tokens[count:]
            state.line = line
            return found
        return rule(state, start_line, end_line, silent)
    return dollar_block


def _in_open_double(state: StateBlock, start_line: int) -> bool:
    """Whether ``start_line``, when tried as the end of a paragraph, follows an unclosed ``$$``
    in that paragraph (so it is inside inline display math, and ends nothing)."""
    if state.parentType != "paragraph" or state.line >= start_line:
        return False
    before = state.src[state.bMarks[state.line]:state.bMarks[start_line]]
    return len(_UNESCAPED_DOUBLE.findall(before)) % 2 == 1


def _dollar_math(state: StateInline, silent: bool) -> bool:
    src, start = state.src, state.pos
    if src[start] != "$" or is_escaped(state, start):
        return False
    if src.startswith("$$", start):
        return _double_dollar(state, silent)
    end = _closing_dollar(state, start + 1)
    if end is None or (end + 1 < len(src) and src[end + 1].isdigit()):
        return False
    content = src[start + 1:end]
    if not content.strip() or (content != content.strip() and not _CLEARLY_TEX.search(content)):
        return False
    if start > 0 and src[start - 1].isdigit() and not _COMMAND.search(content):  # ``10.3$\mu s$`` is math
        return False
    if not silent:
        _push(state, "math_inline", "$", content)
    state.pos = end + 1
    return True


def _closing_dollar(state: StateInline, position: int) -> int | None:
    src = state.src
    while True:
        end = src.find("$", position)
        if end < 0:
            return None
        if not is_escaped(state, end):
            return end
        position = end + 1


def _double_dollar(state: StateInline, silent: bool) -> bool:
    src, start = state.src, state.pos
    position = start + 2
    while True:
        end = src.find("$$", position)
        if end < 0:
            return False
        if not is_escaped(state, end):
            break
        position = end + 1
    content = src[start + 2:end]
    if not content.strip():
        return False
    if not silent:
        _push(state, "math_inline" if is_kramdown(state.env) else "math_inline_double", "$$", content)
    state.pos = end + 2
    return True


def _bracket_math(state: StateInline, silent: bool, always: bool = False) -> bool:
    src, start = state.src, state.pos
    if src[start] != "\\":
        return False
    doubled = src.startswith("\\\\", start)
    opener = 3 if doubled else 2
    kind = src[start + opener - 1:start + opener]
    if kind not in ("(", "[") or (start > 0 and src[start - 1] == "\\"):
        return False
    closing = ("\\\\" if doubled else "\\") + (")" if kind == "(" else "]")
    end = src.find(closing, start + opener)
    if end < 0:
        return False
    content = src[start + opener:end]
    if doubled:  # nobody writes ``\\(`` for a parenthesis: always math
        content = _MARKDOWN_ESCAPE.sub(r"\1", content)
    if not content.strip() or not (doubled or always or looks_like_tex(content)):
        return False
    if not silent:
        _push(state, "math_inline" if kind == "(" else "math_inline_double", src[start:start + opener], content)
    state.pos = end + len(closing)
    return True


def _environment_inline(state: StateInline, silent: bool) -> bool:
    src, start = state.src, state.pos
    match = _ENV_OPEN.match(src, start) if src.startswith("\\begin{", start) else None
    if match is None or (start > 0 and src[start - 1] == "\\"):
        return False
    closing = f"\\end{{{match.group(1)}{match.group(2)}}}"
    end = src.find(closing, match.end())
    if end < 0:
        return False
    if not silent:
        _push(state, "math_inline_double", "\\begin", _PROTECTED.sub(r"\1", src[start:end + len(closing)]))
    state.pos = end + len(closing)
    return True


def _environment_block(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """A ``\\begin{…}`` block on lines of its own: display math for MathJax's environments, and
    TeX shown as TeX (``tex_block``) for others, such as ``algorithm`` pseudocode."""
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    begin = state.bMarks[start_line] + state.tShift[start_line]
    match = _ANY_ENV_OPEN.match(state.src, begin)
    if match is None or (silent and _in_open_double(state, start_line)):
        return False
    closing = f"\\end{{{match.group(1)}{match.group(2)}}}"
    line = start_line
    while line < end_line:
        text = state.src[state.bMarks[line] + state.tShift[line]:state.eMarks[line]]
        found = text.find(closing)
        if found >= 0:
            if text[found + len(closing):].strip():
                return False
            break
        line += 1  # blank lines inside are allowed, as in ``$$`` blocks
    else:
        return False
    if silent:
        return True
    content = _PROTECTED.sub(r"\1", state.src[begin:state.eMarks[line]].strip())
    is_math = match.group(1) in ENVIRONMENTS
    token = state.push("math_block" if is_math else "tex_block", "math" if is_math else "pre", 0)
    token.info = match.group(1)
    token.block = True
    token.content = content
    token.markup = "\\begin"
    token.map = [start_line, line + 1]
    state.line = line + 1
    return True


def _push(state: StateInline, kind: str, markup: str, content: str) -> None:
    token = state.push(kind, "math", 0)
    token.content = content
    token.markup = markup


def _expand_macros(state: StateCore, configured: Mapping[str, Macro], markdown_escapes: bool = True) -> None:
    """Take macro definitions out of the note's formulas and expand them in all of them; first,
    undo in a ``$`` or ``$$`` formula the Markdown escapes it shows it was written with
    (``markdown_escapes``: the text is Markdown's, not raw HTML's)."""
    formulas = [token for token in _all_tokens(state.tokens) if token.type in MATH_TOKENS]
    macros = dict(configured)
    for token in formulas:
        if markdown_escapes and token.markup in ("$", "$$") and "\\" in token.content:
            token.content = markdown_unescaped(token.content, in_line=token.markup == "$")
        if "\\" in token.content:
            token.content, defined = take_definitions(token.content)
            macros.update(defined)
    if macros:
        for token in formulas:
            token.content = expand(token.content, macros)


def markdown_unescaped(tex: str, in_line: bool) -> str:
    """``tex`` as MathJax read it, when it shows that a Markdown engine undid its escapes first
    (``_ESCAPED``), read with them undone (``_ESCAPES``; ``\\\\{``, ``\\\\}``, ``\\\\|`` only in a
    formula ``in_line``, ``$…$``); else ``tex`` as written."""
    if not (_ESCAPED.search(tex) or (in_line and _ESCAPED_IN_LINE.search(tex))):
        return tex
    return _ESCAPES.sub(lambda m: m[1] or ("\\" + m[2] if m[2] and in_line else m[3] or m[0]), tex)


def _all_tokens(tokens: Sequence[Token]) -> Iterator[Token]:
    for token in tokens:
        yield token
        if token.children:
            yield from token.children
