"""markdown-it-py plugin: Obsidian callouts and GitHub alerts.

``> [!type] Optional title`` opens a callout; ``[!type]-`` folds it closed and ``[!type]+``
open (as ``<details>``, so folding needs no JavaScript). Types and aliases are Obsidian's;
GitHub's ``> [!NOTE]``/``[!TIP]``/``[!IMPORTANT]``/``[!WARNING]``/``[!CAUTION]`` are the same
syntax. ``data-callout`` holds the type as written (lower-cased), as in Obsidian, so CSS
snippets written for Obsidian (``.callout[data-callout="my-type"] { --callout-color: 0, 0, 0; }``)
apply; an alias or a type Obsidian does not know also gets ``data-callout-family`` (a custom
type looks like a note). Callouts nest as quotes do.
"""

from __future__ import annotations

import html
import re
from typing import Any, Sequence

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

#: Each alias → the type whose colour and icon it takes (Obsidian's list).
CALLOUT_TYPES: dict[str, str] = {
    "note": "note",
    "abstract": "abstract", "summary": "abstract", "tldr": "abstract",
    "info": "info",
    "todo": "todo",
    "tip": "tip", "hint": "tip", "important": "tip",
    "success": "success", "check": "success", "done": "success",
    "question": "question", "help": "question", "faq": "question",
    "warning": "warning", "caution": "warning", "attention": "warning",
    "failure": "failure", "fail": "failure", "missing": "failure",
    "danger": "danger", "error": "danger",
    "bug": "bug",
    "example": "example",
    "quote": "quote", "cite": "quote",
}

_MARKER = re.compile(r"^\[!([^\]\s]+)\]([+-]?)(?:\s+(.*))?$")  # \s: a no-break space too, as Obsidian


def callouts_plugin(md: MarkdownIt) -> None:
    """Register the callout rule (after block parsing, before inline parsing) and its HTML."""
    md.core.ruler.after("block", "callouts", _callouts)
    md.add_render_rule("callout_open", _render_open)
    md.add_render_rule("callout_close", _render_close)
    md.add_render_rule("callout_title_open", _render_title_open)
    md.add_render_rule("callout_title_close", _render_title_close)
    md.add_render_rule("callout_content_open", lambda *_: '<div class="callout-content">\n')
    md.add_render_rule("callout_content_close", lambda *_: "</div>\n")


def parse_marker(line: str) -> tuple[str, str, str] | None:
    """(type as written, fold ``""``/``"+"``/``"-"``, title) of a callout's first line, else None."""
    match = _MARKER.match(line.strip())
    if match is None:
        return None
    return match.group(1), match.group(2), (match.group(3) or "").strip()


def _callouts(state: StateCore) -> None:
    tokens = state.tokens
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if (token.type == "blockquote_open" and index + 2 < len(tokens)
                and tokens[index + 1].type == "paragraph_open" and tokens[index + 2].type == "inline"):
            first, _, rest = tokens[index + 2].content.partition("\n")
            marker = parse_marker(first)
            if marker is not None:
                _make_callout(tokens, index, marker, rest)
        index += 1


def _make_callout(tokens: list[Token], start: int, marker: tuple[str, str, str], rest: str) -> None:
    written, fold, title = marker
    kind = written.lower()
    end = next(i for i in range(start + 1, len(tokens))
               if tokens[i].type == "blockquote_close" and tokens[i].level == tokens[start].level)
    opener, inline = tokens[start], tokens[start + 2]
    opener.type, opener.tag = "callout_open", "div"
    opener.meta = {"kind": kind, "family": CALLOUT_TYPES.get(kind, "note"), "fold": fold}
    closer = tokens[end]
    closer.type, closer.tag, closer.meta = "callout_close", "div", opener.meta
    title_inline = Token("inline", "", 0, content=title or _default_title(kind), map=inline.map,
                         level=inline.level, children=[])
    head = [Token("callout_title_open", "div", 1, meta=opener.meta, level=opener.level + 1), title_inline,
            Token("callout_title_close", "div", -1, meta=opener.meta, level=opener.level + 1)]
    marker_only = not rest.strip()  # the marker line was the whole first paragraph
    if not marker_only:
        inline.content = rest
        if inline.map:
            inline.map = [inline.map[0] + 1, inline.map[1]]
    if not marker_only or end > start + 4:
        tokens[end:end] = [Token("callout_content_close", "div", -1, level=opener.level + 1)]
        head.append(Token("callout_content_open", "div", 1, level=opener.level + 1))
    tokens[start + 1:start + (4 if marker_only else 1)] = head


def _default_title(kind: str) -> str:
    return kind[:1].upper() + kind[1:].replace("-", " ")


def _render_open(renderer: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    meta = tokens[idx].meta
    attrs = f'class="callout" data-callout="{html.escape(meta["kind"])}"'
    if meta["kind"] != meta["family"]:
        attrs += f' data-callout-family="{html.escape(meta["family"])}"'
    if meta["fold"]:
        return f'<details {attrs}{" open" if meta["fold"] == "+" else ""}>\n'
    return f"<div {attrs}>\n"


def _render_close(renderer: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return "</details>\n" if tokens[idx].meta["fold"] else "</div>\n"


def _render_title_open(renderer: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    tag = "summary" if tokens[idx].meta["fold"] else "div"
    return f'<{tag} class="callout-title"><span class="callout-icon" aria-hidden="true"></span><span class="callout-title-inner">'


def _render_title_close(renderer: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return "</span></summary>\n" if tokens[idx].meta["fold"] else "</span></div>\n"
