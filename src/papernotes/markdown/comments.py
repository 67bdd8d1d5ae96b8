"""Private comments out of a Markdown body before anything else reads it.

Obsidian's ``%%…%%`` (inline or over many lines; an unclosed ``%%`` hides the rest of the
note, as in Obsidian) and HTML ``<!-- … -->`` comments are removed; code (fenced blocks and
inline code spans) and math (where ``%`` starts a LaTeX comment) are left as written. Each
comment leaves its line breaks behind, so positions reported later still point at the right line.
"""

from __future__ import annotations

import re

_IN_BLOCK = r"(?!\n[ \t]*\n)."  # any character that does not end a paragraph
_SCAN = re.compile(
    r"(?P<fence>^[ ]{0,3}(?P<mark>`{3,}|~{3,})[^\n]*"
    r"(?:\n.*?\n[ ]{0,3}(?P=mark)[`~]*[ \t]*(?=\n|\Z)|.*\Z))"
    r"|(?P<code>(?P<ticks>`+)(?:(?!\n[ \t]*\n).)+?(?<!`)(?P=ticks)(?!`))"
    # math, where %% is a LaTeX comment: $$…$$, \[…\], \(…\), \begin{env}…\end{env} (never over
    # a blank line, which math cannot hold), and $…$ by the rules the math parser uses (no space
    # inside the dollars, no digit after the closing one)
    rf"|(?P<math>\$\$(?:{_IN_BLOCK})+?\$\$|\\\[(?:{_IN_BLOCK})+?\\\]|\\\((?:{_IN_BLOCK})+?\\\)"
    rf"|\\begin\{{(?P<env>[A-Za-z*]+)\}}(?:{_IN_BLOCK})*?\\end\{{(?P=env)\}}"
    r"|(?<![\\$])\$(?![\s$])[^$\n]*?(?<![\s\\])\$(?![\d$]))"
    r"|(?P<comment>%%.*?(?:%%|\Z)|<!--.*?(?:-->|\Z))",
    re.MULTILINE | re.DOTALL,
)


_MORE = re.compile(r"<!--\s*more\s*-->", re.IGNORECASE)


def has_comments(text: str) -> bool:
    """Whether ``text`` may hold a comment (a cheap test before ``strip_comments``)."""
    return "%%" in text or "<!--" in text


def strip_comments(text: str) -> str:
    """``text`` without its ``%%…%%`` and ``<!--…-->`` comments (code untouched), each comment
    replaced by the line breaks it spanned. ``<!--more-->``, the summary divider of Hugo and
    Jekyll, holds nothing private and stays."""
    if not has_comments(text):
        return text
    return _SCAN.sub(_without_comment, text)


def _without_comment(match: re.Match[str]) -> str:
    """Nothing for an inline comment; for one over several lines, its line breaks, each with the
    quote markers and indent the line began with, so a comment inside a callout or a list item
    does not end it."""
    comment = match.group("comment")
    if comment is None or _MORE.fullmatch(comment):
        return match.group(0)
    return "".join("\n" + line[:len(line) - len(line.lstrip(" \t>"))] for line in comment.split("\n")[1:])
