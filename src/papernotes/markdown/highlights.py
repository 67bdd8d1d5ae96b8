"""markdown-it-py plugin: Obsidian's ``==highlight==`` as ``<mark>``.

The delimiter rules of markdown-it-mark (the ones ``~~strikethrough~~`` uses), so ``==`` pairs
nest with emphasis and never reach into code spans or math, which are parsed first.
"""

from __future__ import annotations

from typing import Literal

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.state_inline import Delimiter

_EQUALS = 0x3D


def highlights_plugin(md: MarkdownIt) -> None:
    """Register ``==text==`` → ``<mark>text</mark>``."""
    md.inline.ruler.before("emphasis", "mark", _tokenize)
    md.inline.ruler2.before("emphasis", "mark", _post_process)


def _tokenize(state: StateInline, silent: bool) -> bool:
    start = state.pos
    if silent or state.src[start] != "=":
        return False
    scanned = state.scanDelims(start, True)
    length = scanned.length
    if length < 2:
        return False
    if length % 2:
        state.push("text", "", 0).content = "="
        length -= 1
    for _ in range(0, length, 2):
        state.push("text", "", 0).content = "=="
        state.delimiters.append(Delimiter(marker=_EQUALS, length=0, token=len(state.tokens) - 1, end=-1,
                                          open=scanned.can_open, close=scanned.can_close))
    state.pos += scanned.length
    return True


def _post_process(state: StateInline) -> None:
    _pair(state, state.delimiters)
    for meta in state.tokens_meta:
        if meta and "delimiters" in meta:
            _pair(state, meta["delimiters"])


def _pair(state: StateInline, delimiters: list[Delimiter]) -> None:
    """Turn matched ``==`` pairs into mark_open/mark_close; move lone closers after the text
    they close (as markdown-it does for strikethrough) so the token order stays balanced."""
    lone: list[int] = []
    for opener in delimiters:
        if opener.marker != _EQUALS or opener.end == -1:
            continue
        closer = delimiters[opener.end]
        ends: tuple[tuple[int, str, Literal[1, -1]], ...] = ((opener.token, "mark_open", 1), (closer.token, "mark_close", -1))
        for index, kind, nesting in ends:
            token = state.tokens[index]
            token.type, token.tag, token.nesting, token.markup, token.content = kind, "mark", nesting, "==", ""
        before = state.tokens[closer.token - 1]
        if before.type == "text" and before.content == "=":
            lone.append(closer.token - 1)
    for index in reversed(lone):
        end = index + 1
        while end < len(state.tokens) and state.tokens[end].type == "mark_close":
            end += 1
        end -= 1
        if index != end:
            state.tokens[index], state.tokens[end] = state.tokens[end], state.tokens[index]
