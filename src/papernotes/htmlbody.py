"""Bodies that arrive as HTML (feed items): math in their text, headings, summary and word count."""

from __future__ import annotations

import html
import re

from .math import looks_like_tex, tex_fallback, tex_to_mathml
from .model import Diagnostic, Heading, RenderedBody
from .plaintext import html_to_text, summarize
from .urls import slugify

_MATHJAX_SCRIPT = re.compile(
    r"<script\s+type=[\"']math/tex(?P<display>;\s*mode=display)?[\"']\s*>(?P<tex>.*?)</script>",
    re.IGNORECASE | re.DOTALL,
)
_VERBATIM = re.compile(r"(<(pre|code|kbd|samp|math|script|style)\b.*?</\2\s*>)", re.IGNORECASE | re.DOTALL)
_BLOCK_TAG = r"</?(?:p|li|ul|ol|div|h[1-6]|table|tr|td|th|blockquote|pre|section|article|br|hr)\b"
_INSIDE = rf"(?:(?!{_BLOCK_TAG}|\$\$)[\s\S])"
_MATH_IN_TEXT = re.compile(
    rf"\$\$(?P<display>(?:{_INSIDE}|</p>\s*<p>)+?)\$\$"  # a blank line in a $$ block split it into paragraphs
    rf"|\\\[(?P<bracket_display>{_INSIDE}+?)\\\]"
    rf"|\\\((?P<paren>{_INSIDE}+?)\\\)"
    r"|(?<![\\$\w])\$(?P<inline>[^\s$<](?:(?:(?!</?(?:p|li|div|h[1-6]|td|th)\b)[^$\n])*?[^\s$\\])?)\$(?![\d$])"
)
_EMPHASIS = re.compile(r"</?(em|i)>", re.IGNORECASE)
_STAR_EMPHASIS = re.compile(r"(?<=\^)</?(em|i)>", re.IGNORECASE)  # x^* turned into <em> by Markdown
_STRONG = re.compile(r"</?(strong|b)>", re.IGNORECASE)
_ANY_TAG = re.compile(r"<[^>]+>")
_LONE_BACKSLASH_EOL = re.compile(r"(?<!\\)\\[ \t]*\n")
_HEADING = re.compile(r"<h([1-6])((?:\s[^>]*)?)>(.*?)</h\1>", re.IGNORECASE | re.DOTALL)
_ID = re.compile(r"\sid=\"([^\"]*)\"")
_H1 = re.compile(r"<h1[\s>]", re.IGNORECASE)


def mathjax_scripts_to_tex(body: str) -> str:
    """MathJax ``<script type="math/tex">`` blocks become ``$…$`` / ``$$…$$`` text before sanitizing."""
    def replace(match: re.Match[str]) -> str:
        tex = html.escape(html.unescape(match["tex"]).strip(), quote=False)
        return f"$${tex}$$" if match["display"] else f"${tex}$"

    return _MATHJAX_SCRIPT.sub(replace, body)


def render_math_in_html(body: str, path: str, line: int) -> tuple[str, list[Diagnostic]]:
    """Turn ``$…$``, ``$$…$$``, ``\\(…\\)`` and ``\\[…\\]`` in text (not code) into MathML.

    Blog engines often ran the TeX through a Markdown renderer first, so ``_`` pairs
    came out as ``<em>`` tags inside the formula; those are turned back into TeX."""
    problems: list[Diagnostic] = []
    chunks = _VERBATIM.split(body)
    out = []
    for index, chunk in enumerate(chunks):
        if index % 3 == 0:
            out.append(_MATH_IN_TEXT.sub(lambda m: _convert(m, path, line, problems), chunk))
        elif index % 3 == 1:
            out.append(chunk)
    return "".join(out), problems


def tex_from_html(fragment: str) -> str:
    """The TeX a Markdown renderer had turned into HTML: emphasis back to ``_``, entities decoded,
    and a lone ``\\`` at a line end (a ``\\\\`` row break eaten by Markdown) restored."""
    tex = _STRONG.sub("__", _EMPHASIS.sub("_", _STAR_EMPHASIS.sub("*", fragment)))
    tex = html.unescape(_ANY_TAG.sub("", tex))
    return _LONE_BACKSLASH_EOL.sub(r"\\\\\n", tex)


def _convert(match: re.Match[str], path: str, line: int, problems: list[Diagnostic]) -> str:
    doubtful = match["bracket_display"] or match["paren"] or (match["display"] if "</p>" in (match["display"] or "") else None)
    if doubtful and not looks_like_tex(tex_from_html(doubtful)):
        return match.group(0)
    display = match["display"] or match["bracket_display"]
    tex = tex_from_html(display or match["paren"] or match["inline"])
    try:
        rendered, warning = tex_to_mathml(tex, display=bool(display))
    except ValueError as exc:
        rendered, warning = tex_fallback(tex, bool(display)), str(exc)
    if warning:
        problems.append(Diagnostic("warning", path, line, 1, warning))
    return rendered


def body_from_html(body: str) -> RenderedBody:
    """Facts of an HTML body: headings get stable unique ids and sit under the page title (an
    imported ``<h1>`` becomes ``<h2>``, and the levels below it move down with it); the summary
    is whole sentences of the first paragraphs, formulas read as text."""
    headings: list[Heading] = []
    used: set[str] = set()
    shift = 1 if _H1.search(body) else 0

    def add_id(match: re.Match[str]) -> str:
        level_text, attributes, inner = match.groups()
        level = min(int(level_text) + shift, 6)
        text = html_to_text(inner)
        found = _ID.search(attributes)
        anchor = slugify(found.group(1) if found else text, "section")
        base, counter = anchor, 1
        while anchor in used:
            counter += 1
            anchor = f"{base}-{counter}"
        used.add(anchor)
        headings.append(Heading(level, anchor, text))
        attributes = _ID.sub("", attributes)
        return f'<h{level}{attributes} id="{anchor}">{inner}</h{level}>'

    body = _HEADING.sub(add_id, body)
    return RenderedBody(body, tuple(headings), len(html_to_text(body).split()), summarize(body))


_IMAGE = re.compile(r"<img\b[^>]*\ssrc=\"([^\"]+)\"", re.IGNORECASE)


def first_image(body: str) -> str | None:
    """The ``src`` of the body's first image, for Open Graph cards."""
    match = _IMAGE.search(body)
    return html.unescape(match.group(1)) if match else None
