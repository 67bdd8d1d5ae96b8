"""The Markdown rules a text cannot use, turned off while it is parsed.

markdown-it tries its rules one after the other: every block rule at the start of each block,
the rules that can end a paragraph at each of its lines, every inline rule at each character
that may begin markup. Most rules below can only match where the text holds one of their
marks (a table row holds ``|``, a footnote ``[^``, a wikilink ``[[``): without any of them in
the text, the rule cannot match anywhere, so leaving it out changes no token and saves the
calls (about a tenth of the time of rendering a typical note). Every text a rule sees is a piece of
the text given to ``parse``, or that piece with some characters removed (a table cell's ``\\|``
loses its backslash), and no mark holds ``|`` after a backslash: a mark missing from the text
is missing from every piece. A site's own Markdown plugins may parse text they make
themselves: with any, every rule stays on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from markdown_it import MarkdownIt
from markdown_it.ruler import Ruler

from ..text import any_in

Mark = Callable[[str], bool]  # whether a text holds a rule's mark


def _holding(*pieces: str) -> Mark:
    return lambda text: any_in(pieces, text)


#: A table's delimiter row ends its line with ``|``, ``-``, ``:``, spaces and tabs alone, one ``-``
#: at least (``|---|:--:``), whatever the container markers (``> ``, ``- ``) before it.
_DELIMITER_ROW = re.compile(r"[|:-][|: \t-]*$", re.MULTILINE)


def _table(text: str) -> bool:
    if "|" not in text:
        return False
    lines = text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text  # as markdown-it splits them
    return any("-" in row[0] for row in _DELIMITER_ROW.finditer(lines))


#: A definition's line, after the indentation and blockquote markers of its containers.
_DEFINITION = re.compile(r"^[ \t>]*[:~][ \t]", re.MULTILINE)

#: Each rule's marks: it matches only where one of them is (its code was read for this). Rules
#: whose marks are in nearly every note (lists, emphasis, links) are not here.
MARKS: dict[str, Mark] = {
    # block rules
    "table": _table,  # a head line holding ``|`` above a delimiter row
    "math_block": _holding("$$"),
    "math_environment": _holding("\\begin{"),
    "kramdown_block": _holding("{:"),
    "fence": _holding("```", "~~~"),
    "blockquote": _holding(">"),
    "footnote_def": _holding("[^"),
    "reference": _holding("]:"),  # a label's closing bracket right before its colon
    "html_block": _holding("<"),
    "heading": _holding("#"),
    "deflist": lambda text: _DEFINITION.search(text) is not None,  # a line ``: …``, maybe in a blockquote
    # inline rules (and their second passes, of the same names)
    "math_inline": _holding("$"),
    "math_brackets": _holding("\\(", "\\["),
    "math_environment_inline": _holding("\\begin{"),
    "kramdown_span": _holding("{:", "){", "]{", "`{"),  # kramdown's lists, and Pandoc's after a link, image or code
    "escape": _holding("\\"),
    "backticks": _holding("`"),
    "strikethrough": _holding("~~"),
    "mark": _holding("=="),
    "wikilink": _holding("[["),
    "citation": _holding("[@"),
    "image": _holding("!["),
    "footnote_inline": _holding("^["),
    "footnote_ref": _holding("[^"),
    "autolink": _holding("<"),
    "html_inline": _holding("<"),
    "entity": _holding("&"),
    # core rules
    "github-tasklists": _holding("[ ]", "[x]", "[X]"),
}


@dataclass
class RuleFitter:
    """Turns off, for each text parsed, the rules of ``MARKS`` it cannot use, among those the
    parser had on when made (a rule a site's plugin turned off stays off). It changes the parser
    it fits, which is used by one thread at a time, as its renderer is."""

    chains: tuple[tuple[Ruler, frozenset[str]], ...]
    names: tuple[str, ...]  # those of every chain
    off: frozenset[str] = field(default=frozenset())

    @classmethod
    def of(cls, md: MarkdownIt | None) -> RuleFitter:
        """The fitter of ``md``'s rules; None: one that turns no rule off."""
        rulers = (md.core.ruler, md.block.ruler, md.inline.ruler, md.inline.ruler2) if md is not None else ()
        chains = tuple((ruler, frozenset(rule.name for rule in ruler.__rules__ if rule.enabled and rule.name in MARKS))
                       for ruler in rulers)
        return cls(chains, tuple(sorted(set().union(*(names for _, names in chains)))))

    def fit(self, text: str) -> None:
        """Leave on only the rules ``text`` may use (the rulers are changed only when those
        differ from the last text's)."""
        off = frozenset(name for name in self.names if not MARKS[name](text))
        if off == self.off:
            return
        for ruler, names in self.chains:
            ruler.enable(list(names & (self.off - off)))
            ruler.disable(list(names & (off - self.off)))
        self.off = off
