"""Bodies that arrive as HTML (feed items): math in their text, headings and word count."""

from __future__ import annotations

import html
import re
from typing import Callable
from urllib.parse import urljoin

from ..markdown.math import Converted, convert_tex, looks_like_tex, tex_fallback, tex_to_mathml
from ..markdown.mathsyntax import CLEARLY_TEX, COMMAND, ENVIRONMENTS
from ..model import Diagnostic, Heading, RenderedBody
from ..markdown.plaintext import html_to_text, prose_words
from ..text import search_from
from ..urls import slugify

_MATHJAX_SCRIPT = re.compile(
    r"<script\s+type=[\"']math/tex(?P<display>;\s*mode=display)?[\"']\s*>(?P<tex>.*?)</script>",
    re.IGNORECASE | re.DOTALL,
)
#: kramdown wraps a formula holding ``<`` or ``&`` so: ``% <![CDATA[ … %]]>`` (TeX comments to MathJax).
_CDATA_WRAPPER = re.compile(r"^\s*%?\s*<!\[CDATA\[(?P<tex>.*?)%?\s*\]\]>\s*$", re.DOTALL)
#: A start tag of a sanitized body (whose attributes are all double-quoted), and an attribute
#: in it holding a URL.
_START_TAG = re.compile(r'<[a-zA-Z][^\s/>]*(?:\s+[^\s"/=>]+(?:="[^"]*")?)*\s*/?>')
_URL_ATTRIBUTE = re.compile(r'(\s(?:href|src)=")([^"#][^"]*)"')
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_VERBATIM_TAGS = "pre|code|kbd|samp|math|script|style"
_BLOCK_TAG = r"</?(?:p|li|ul|ol|div|h[1-6]|table|tr|td|th|blockquote|pre|section|article|br|hr)\b"
_NO_VERBATIM = rf"(?!<(?:{_VERBATIM_TAGS})\b)"
_INSIDE = rf"(?:(?!{_BLOCK_TAG}|\$\$){_NO_VERBATIM}[\s\S])"
#: A ``<code>`` element inside a ``$$`` formula: Markdown read the TeX's ````…''`` quotes as a code span.
_CODE_IN_DISPLAY = r"<code>[^<$]*</code>"
_INLINE_CHAR = rf"(?:(?!</?(?:p|li|div|h[1-6]|td|th)\b){_NO_VERBATIM}[^$\n])"
#: Left to right: a verbatim element (kept as it is) or a formula, in the delimiters MathJax looks for.
_MATH_IN_TEXT = re.compile(
    rf"(?P<verbatim><(?P<tag>{_VERBATIM_TAGS})\b.*?</(?P=tag)\s*>)"
    rf"|\$\$(?P<display>(?:{_CODE_IN_DISPLAY}|{_INSIDE}|</p>\s*<p>)+?)\$\$"  # a blank line in a $$ block split it into paragraphs
    rf"|\\\[(?P<bracket_display>{_INSIDE}+?)\\\]"
    rf"|\\\((?P<paren>{_INSIDE}+?)\\\)"
    rf"|(?P<environment>\\begin\{{(?P<env>{'|'.join(ENVIRONMENTS)})(?P<star>\*?)\}}{_INSIDE}*?\\end\{{(?P=env)(?P=star)\}})"
    rf"|(?<![\\$])\$(?P<inline>{_INLINE_CHAR}+?)(?<!\\)\$(?![\d$])",
    re.IGNORECASE | re.DOTALL,
)
#: Where a match of ``_MATH_IN_TEXT`` can begin (``search_from``: a few times quicker over a feed item).
_MATH_START = re.compile(rf"<(?:{_VERBATIM_TAGS})\b|\$|\\[\[(]|\\begin\{{", re.IGNORECASE)
_EMPHASIS = re.compile(r"</?(em|i)>", re.IGNORECASE)
_STAR_EMPHASIS = re.compile(r"(?<=\^)</?(em|i)>", re.IGNORECASE)  # x^* turned into <em> by Markdown
_STRONG = re.compile(r"</?(strong|b)>", re.IGNORECASE)
_ANY_TAG = re.compile(r"<[^>]+>")
_CODE_TAG = re.compile(r"</?code>", re.IGNORECASE)
_LONE_BACKSLASH_EOL = re.compile(r"(?<!\\)\\[ \t]*\n")
_HEADING = re.compile(r"<h([1-6])((?:\s[^>]*)?)>(.*?)</h\1>", re.IGNORECASE | re.DOTALL)
_ID = re.compile(r"\sid=\"([^\"]*)\"")
_H1 = re.compile(r"<h1[\s>]", re.IGNORECASE)


def mathjax_scripts_to_tex(body: str) -> str:
    """MathJax ``<script type="math/tex">`` blocks become ``\\(…\\)`` / ``\\[…\\]`` text before sanitizing
    (the delimiters that are always math, whatever is next to them)."""
    def replace(match: re.Match[str]) -> str:
        tex = html.unescape(match["tex"])
        wrapped = _CDATA_WRAPPER.match(tex)
        tex = html.escape((wrapped["tex"] if wrapped else tex).strip(), quote=False)
        if not tex:
            return ""
        return f"\\[{tex}\\]" if match["display"] else f"\\({tex}\\)"

    return _MATHJAX_SCRIPT.sub(replace, body)


def absolute_urls(body: str, base: str) -> str:
    """The relative URLs of a sanitized body made absolute against ``base`` (an item's ``xml:base``
    or link), as a feed reader shows them: an image at ``/assets/x.png`` is the original site's.
    In-page ``#`` links stay as they are."""
    if not base:
        return body

    def absolute(match: re.Match[str]) -> str:
        if _SCHEME.match(match[2]):
            return match[0]
        url = urljoin(base, html.unescape(match[2]))
        return f'{match[1]}{url.replace("&", "&amp;").replace(chr(34), "&quot;")}"'

    def in_tag(match: re.Match[str]) -> str:
        return _URL_ATTRIBUTE.sub(absolute, match[0]) if "=" in match[0] else match[0]

    return _START_TAG.sub(in_tag, body) if "=" in body else body


def render_math_in_html(body: str, path: str, line: int,
                        convert: Callable[[str, bool], Converted] = convert_tex) -> tuple[str, list[Diagnostic]]:
    """Turn ``$…$``, ``$$…$$``, ``\\(…\\)``, ``\\[…\\]`` and ``\\begin{equation}…`` (MathJax's
    environments) in text, not in code, into MathML, as MathJax would have found them.

    ``\\(…\\)`` and ``\\[…\\]`` are always math (in HTML no Markdown is left to have escaped a
    bracket); ``$ … $`` with inner spaces only when its content is clearly TeX, and never after a
    digit unless it holds a command, the rules of Markdown notes. Blog engines often ran the TeX
    through a Markdown renderer first, so ``_`` pairs came out as ``<em>`` tags inside the
    formula; those are turned back into TeX. ``convert`` turns TeX into MathML (a reader passes
    its Markdown renderer's, which remembers the formulas it converted)."""
    problems: list[Diagnostic] = []
    out: list[str] = []
    position = 0
    while True:
        match = search_from(_MATH_IN_TEXT, _MATH_START, body, position)
        if match is None:
            out.append(body[position:])
            break
        out.append(body[position:match.start()])
        rendered = None if match["verbatim"] else _convert(match, path, line, problems, convert)
        if rendered is None and not match["verbatim"]:  # not a formula: its opening is text, look on after it
            out.append(body[match.start()])
            position = match.start() + 1
            continue
        out.append(match.group(0) if rendered is None else rendered)
        position = match.end()
    return "".join(out), problems


def tex_from_html(fragment: str) -> str:
    """The TeX a Markdown renderer had turned into HTML: emphasis back to ``_``, code spans back to
    ````…''`` quotes, entities decoded, and a lone ``\\`` at a line end (a ``\\\\`` row break eaten
    by Markdown) restored."""
    tex = fragment
    if "<" in tex:  # most formulas hold no tag, no entity and no line end: nothing to undo
        tex = _STRONG.sub("__", _EMPHASIS.sub("_", _STAR_EMPHASIS.sub("*", tex)))
        tex = _ANY_TAG.sub("", _CODE_TAG.sub("``", tex))
    tex = html.unescape(tex)
    return _LONE_BACKSLASH_EOL.sub(r"\\\\\n", tex) if "\n" in tex else tex


def _convert(match: re.Match[str], path: str, line: int, problems: list[Diagnostic],
             convert: Callable[[str, bool], Converted]) -> str | None:
    """The formula's MathML, or None when the match is not a formula after all."""
    display = match["display"]
    if display is not None and ("</p>" in display or "<code>" in display) and not looks_like_tex(tex_from_html(display)):
        return None
    inline = match["inline"]
    block = display or match["bracket_display"] or match["environment"]
    tex = tex_from_html(block or match["paren"] or inline)
    if inline is not None:
        if tex != tex.strip() and not CLEARLY_TEX.search(tex):
            return None
        if match.start() > 0 and match.string[match.start() - 1].isdigit() and not COMMAND.search(tex):
            return None
    if not tex.strip():
        return None
    try:
        rendered, warning = tex_to_mathml(tex, display=bool(block), converter=convert)
    except ValueError as exc:
        rendered, warning = tex_fallback(tex, bool(block)), str(exc)
    if warning:
        problems.append(Diagnostic("warning", path, line, 1, warning))
    return rendered


def body_from_html(body: str) -> RenderedBody:
    """Facts of an HTML body: headings get stable unique ids and sit under the page title (an
    imported ``<h1>`` becomes ``<h2>``, and the levels below it move down with it), and the
    word count (of the prose, as for a Markdown body: reading each formula as text to count
    its words took a tenth of reading a feed)."""
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
    return RenderedBody(body, tuple(headings), prose_words(body))
