"""Emoji shortcodes (``:clap:``, ``:+1:``) shown as the emoji, as GitHub, Jekyll's jemoji (on
GitHub Pages), Hugo's ``enableEmoji`` and MkDocs' emoji extension show them; the names are
GitHub's, from the ``emoji`` package's table. A name it does not know stays as written, and so
does one joined to a word (``10:30:45``, ``a:x:b``); code, math and link
targets are no text, so never changed.
"""

from __future__ import annotations

import functools
import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

_SHORTCODE = re.compile(r"(?<!\w):([a-z0-9_+-]{1,40}):(?!\w)")


def emoji_plugin(md: MarkdownIt) -> None:
    md.core.ruler.after("text_join", "emoji", _emojize)  # text pieces joined: a name split at ``:`` is whole again


def _emojize(state: StateCore) -> None:
    for token in state.tokens:
        if token.type == "inline" and token.children:
            for child in token.children:
                if child.type == "text" and ":" in child.content:
                    child.content = _SHORTCODE.sub(_emoji, child.content)


def _emoji(found: re.Match[str]) -> str:
    return _names().get(found[1], found[0])


@functools.cache
def _names() -> dict[str, str]:
    """Each emoji by its GitHub names (its English name, then its aliases, which win)."""
    import emoji  # 37 ms: loaded once a process meets a shortcode

    names: dict[str, str] = {}
    for character, data in emoji.EMOJI_DATA.items():
        for name in (data.get("en", ""), *data.get("alias", ())):
            if name.startswith(":") and name.endswith(":"):
                names[name[1:-1]] = character
    return names
