"""Definition lists as Hugo (Goldmark), kramdown, PHP Markdown Extra and MkDocs write them:
a term on its own line, each definition on a line of its own beginning with ``:`` and a space.

Org-mode's description lists reach Hugo this way (ox-hugo writes ``tags`` then ``: [Statistics]…``
under every note). mdit-py-plugins' ``deflist`` parses them; it also takes Pandoc's ``~`` marker,
which none of those tools knows, so a list must begin with ``:`` (a line such as ``~ 5 minutes``
under a sentence stays text).
"""

from __future__ import annotations

from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from mdit_py_plugins.deflist import deflist_plugin


def definition_lists_plugin(md: MarkdownIt) -> None:
    md.use(deflist_plugin)
    rule: Any = next(rule for rule in md.block.ruler.__rules__ if rule.name == "deflist")
    parse = rule.fn

    def colon_first(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        """The plugin's rule, for a list whose first definition's marker is ``:``."""
        line = start if silent else start + 1
        if line < end and state.src[state.bMarks[line] + state.tShift[line]:state.eMarks[line]].startswith("~"):
            return False
        return bool(parse(state, start, end, silent))

    md.block.ruler.at("deflist", colon_first, {"alt": rule.alt})
