"""markdown-it-py plugin: Obsidian block identifiers.

``^id`` at the end of a paragraph or list item gives that element the ``id`` ``^id`` (so
``[[Note#^id]]`` links to ``…/note/#^id``, the fragment Obsidian writes) and disappears from
the text. A ``^id`` alone in a paragraph names the block just before it (a list, a quote, a
table), as Obsidian does. The ids a body defines go to ``env["papernotes_blocks"]``.
"""

from __future__ import annotations

import re
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

_TRAILING_ID = re.compile(r"(?:^|[ \t])\^([A-Za-z0-9-]+)[ \t]*$")


def blockrefs_plugin(md: MarkdownIt) -> None:
    """Register the block-id rule (after inline parsing)."""
    md.core.ruler.after("inline", "block_ids", _block_ids)


def _block_ids(state: StateCore) -> None:
    tokens = state.tokens
    found: list[str] = state.env.setdefault("papernotes_blocks", [])
    index = 1
    while index < len(tokens) - 1:
        inline, opener = tokens[index], tokens[index - 1]
        if inline.type == "inline" and opener.type == "paragraph_open" and inline.children:
            block_id, alone = _take_trailing_id(inline.children)
            if block_id is not None:
                if alone and index >= 2 and tokens[index - 2].nesting == -1:
                    target = _opener_of(tokens, index - 2)
                    del tokens[index - 1:index + 2]
                    index -= 1
                else:
                    target = tokens[index - 2] if index >= 2 and tokens[index - 2].type == "list_item_open" else opener
                if not target.attrGet("id"):
                    target.attrSet("id", "^" + block_id)
                    found.append(block_id)
        index += 1


def _take_trailing_id(children: list[Token]) -> tuple[str | None, bool]:
    """Remove a trailing ``^id`` from inline ``children``: (the id, whether it was all the text)."""
    last = children[-1]
    if last.type != "text" or "^" not in last.content:
        return None, False
    match = _TRAILING_ID.search(last.content)
    if match is None:
        return None, False
    last.content = last.content[:match.start()].rstrip()
    if not last.content:
        children.pop()
        while children and children[-1].type in ("softbreak", "hardbreak"):
            children.pop()
    return match.group(1), not children


def _opener_of(tokens: list[Token], close_index: int) -> Token:
    """The token opening the block that ``tokens[close_index]`` closes."""
    closer = tokens[close_index]
    for index in range(close_index - 1, -1, -1):
        if tokens[index].nesting == 1 and tokens[index].level == closer.level:
            return tokens[index]
    return closer


def block_ids(env: dict[str, Any]) -> tuple[str, ...]:
    """The block ids a render defined, in order."""
    return tuple(dict.fromkeys(env.get("papernotes_blocks", ())))
