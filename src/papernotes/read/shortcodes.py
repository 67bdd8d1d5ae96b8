"""Hugo shortcodes in imported notes, turned into the Markdown and HTML Hugo would have produced.

``{{< relref "x.md#part" >}}`` / ``ref`` become links to that note; ``figure`` and ``img`` a
``<figure>`` (Wowchemy's ``numbered`` captions counted), ``youtube`` and ``vimeo`` a link to the
video, ``highlight`` a fenced block, ``katex`` / ``math`` their formula, ``details`` / ``expand``
a ``<details>`` block, Wowchemy's ``callout`` a callout (as Obsidian's are drawn), ``hl`` a highlight, ``staticref`` a link to
the file, ``list_children`` the list of the section's notes (see sections.py). Any other shortcode is removed and the content it wraps is kept, with one warning per
name. Spacing inside the delimiters is free (``{{<relref "x.md#" >}}``, ``{{% callout note%}}``);
``{{</* x */>}}`` is Hugo's way of showing a shortcode as text, and stays so. Code is left alone.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Callable

from .liquid import figure_html, split_code
from ..model import Diagnostic
from ..text import sub_from
from ..urls import NOTE_LINK_SCHEME

#: Where a section's list of notes goes (filled in once every note is read).
CHILDREN_MARK = "<!--papernotes:section-children-->"

_SHORTCODE = re.compile(
    r"(?P<code>(`+)[^`]*?\2)"
    r"|\{\{(?P<d>(?P<angle><)|%)(?P<escaped>/\*)?-?\s*(?P<close>/)?\s*(?P<name>[\w./-]+)"
    r"(?P<args>(?:\"(?:[^\"\\]|\\.)*\"|'[^']*'|`[^`]*`|[^\"'`])*?)\s*(?(escaped)\*/)-?\s*/?(?(angle)>|%)\}\}",
    re.DOTALL)
_SHORTCODE_START = re.compile(r"`|\{\{")  # where a match of ``_SHORTCODE`` can begin (``sub_from``)
_PAIRED = re.compile(
    r"\{\{([<%])\s*(?P<name>highlight|katex|math)\b(?P<args>[^}]*?)\s*[>%]\}\}\n?(?P<inner>.*?)\n?"
    r"\{\{[<%]\s*/\s*(?P=name)\s*[>%]\}\}", re.DOTALL)
_ARGUMENT = re.compile(r"""(?:([\w-]+)\s*=\s*)?("(?:[^"\\]|\\.)*"|'[^']*'|`[^`]*`|[^\s"'`=]+)""")
_ESCAPE = re.compile(r"\\([\\\"])")
#: A Markdown link in a figure's title or caption, which Hugo's themes markdownify.
_CAPTION_LINK = re.compile(r"\[([^\[\]\n]+)\]\(((?:https?://|/)[^()\s]*)\)")
MORE = "<!--more-->"


def has_shortcodes(text: str) -> bool:
    """True when ``text`` may hold a Hugo shortcode."""
    return "{{<" in text or "{{%" in text


def convert_shortcodes(text: str, path: str, first_line: int) -> tuple[str, list[Diagnostic]]:
    """Markdown with Hugo's shortcodes rendered, and one warning per shortcode name not understood."""
    pieces: list[str] = []
    state = _State(path)
    line = first_line
    for chunk, is_code in split_code(text):
        if not is_code:
            chunk = _PAIRED.sub(_paired, chunk)
            state.chunk, state.first_line = chunk, line
            chunk = sub_from(_SHORTCODE, _SHORTCODE_START, state.render, chunk)
        pieces.append(chunk)
        line += chunk.count("\n")
    return "".join(pieces), list(state.problems.values())


def _paired(match: re.Match[str]) -> str:
    """``highlight`` and the math shortcodes, whose content is code or TeX rather than Markdown."""
    name, inner = match["name"], match["inner"]
    positional, named = parse_arguments(match["args"])
    if name == "highlight":
        language = (positional or [named.get("lang", "")])[0]
        return f"```{language}\n{inner}\n```"
    if "$" in inner or "\\[" in inner or "\\(" in inner:
        # Wowchemy's {{< math >}} wraps $$…$$ written by the author; the tag's line keeps its
        # indentation, which the formula's own would double (making it code in a list item)
        return inner.lstrip(" \t").rstrip()
    display = "display" in positional or named.get("display") in ("true", "display")
    return f"$${inner.strip()}$$" if display or "\n" in inner.strip() else f"${inner.strip()}$"


def parse_arguments(text: str) -> tuple[list[str], dict[str, str]]:
    """Positional and named arguments of one shortcode, quotes removed."""
    positional: list[str] = []
    named: dict[str, str] = {}
    for key, raw in _ARGUMENT.findall(text or ""):
        value = raw[1:-1] if raw[:1] in "\"'`" and len(raw) >= 2 else raw
        if raw[:1] == '"':  # Hugo reads a double-quoted value with Go's escapes: \\ and \"
            value = _ESCAPE.sub(r"\1", value)
        if key:
            named[key.lower()] = value
        else:
            positional.append(value)
    return positional, named


@dataclass
class _State:
    """What one note's shortcodes share: its path, the chunk being rendered, the figure count and
    the problems found (keyed by shortcode name, so each is reported once)."""

    path: str
    chunk: str = ""
    first_line: int = 1
    figures: int = 0
    problems: dict[str, Diagnostic] = field(default_factory=dict)

    def render(self, match: re.Match[str]) -> str:
        if match["code"]:
            return match.group(0)
        if match["escaped"]:
            return "{{" + match["d"] + " " + f"{'/' if match['close'] else ''}{match['name']}{match['args']}".strip() + " " + \
                ("%" if match["d"] == "%" else ">") + "}}"
        name = match["name"].lower()
        positional, named = parse_arguments(match["args"])
        handler = (_CLOSERS if match["close"] else _OPENERS).get(name)
        if handler is not None:
            return handler(self, positional, named)
        if name not in self.problems:
            line = self.first_line + self.chunk.count("\n", 0, match.start())
            col = match.start() - self.chunk.rfind("\n", 0, match.start())
            self.problems[name] = Diagnostic("warning", self.path, line, col, f"Hugo shortcode {{{{< {name} >}}}} is not "
                                                                             "supported: removed, the content it wraps kept")
        return ""


def _note_link(state: _State, positional: list[str], named: dict[str, str]) -> str:
    target = (positional or [named.get("path", "")])[0]
    if not target or target.startswith("#"):
        return target
    return NOTE_LINK_SCHEME + target.rstrip("#")


def _figure(state: _State, positional: list[str], named: dict[str, str]) -> str:
    caption = _with_links(html.escape(named.get("caption", ""), quote=False).replace("&lt;", "<").replace("&gt;", ">"))
    if named.get("numbered", "").lower() == "true":
        state.figures += 1
        caption = f"Figure {state.figures}: {caption}" if caption else f"Figure {state.figures}"
    title = named.get("title", "")
    if title:
        caption = f"<strong>{_with_links(html.escape(title, quote=False))}</strong>" + (f" {caption}" if caption else "")
    source = named.get("src") or (positional[0] if positional else "")
    alt = named.get("alt") or re.sub(r"<[^>]*>", "", named.get("caption", "")) or title
    return figure_html(source, caption, alt, named.get("class", ""), named.get("width", ""),
                       named.get("link", ""))


def _with_links(text: str) -> str:
    """``[text](url)`` in a figure's caption or title as the link it is on the Hugo site."""
    return _CAPTION_LINK.sub(lambda m: f'<a href="{html.escape(m.group(2))}">{m.group(1)}</a>', text)


def _video(site: str, url: str) -> Callable[[_State, list[str], dict[str, str]], str]:
    def render(state: _State, positional: list[str], named: dict[str, str]) -> str:
        video = named.get("id") or (positional[0] if positional else "")
        title = named.get("title") or f"{site} video {video}"
        return f'<a class="video-link" href="{html.escape(url + video)}">▶ {html.escape(title)}</a>' if video else ""
    return render


def _details(state: _State, positional: list[str], named: dict[str, str]) -> str:
    summary = named.get("summary") or named.get("title") or (positional[0] if positional else "Details")
    opened = " open" if named.get("open", "").lower() == "true" else ""
    return f"<details{opened}><summary>{html.escape(summary)}</summary>\n"


def _callout(state: _State, positional: list[str], named: dict[str, str]) -> str:
    kind = re.sub(r"[^\w-]", "", (positional or [named.get("type", "note")])[0].lower()) or "note"
    return f'<div class="callout" data-callout="{kind}"><div class="callout-content">\n'


def _staticref(state: _State, positional: list[str], named: dict[str, str]) -> str:
    target = (positional or [named.get("path", "")])[0]
    new_tab = ' target="_blank" rel="noopener"' if "newtab" in positional[1:] else ""
    return f'<a href="/{html.escape(target.lstrip("/"))}"{new_tab}>'


_OPENERS: dict[str, Callable[[_State, list[str], dict[str, str]], str]] = {
    "relref": _note_link,
    "ref": _note_link,
    "figure": _figure,
    "img": _figure,
    "youtube": _video("YouTube", "https://www.youtube.com/watch?v="),
    "vimeo": _video("Vimeo", "https://vimeo.com/"),
    "details": _details,
    "expand": _details,
    "callout": _callout,
    "alert": _callout,
    "notice": _callout,
    "hint": _callout,
    "hl": lambda state, positional, named: "<mark>",
    "staticref": _staticref,
    "toc": lambda state, positional, named: "",
    "list_children": lambda state, positional, named: "\n" + CHILDREN_MARK + "\n",
    "children": lambda state, positional, named: "\n" + CHILDREN_MARK + "\n",
}
_CLOSERS: dict[str, Callable[[_State, list[str], dict[str, str]], str]] = {
    "details": lambda state, positional, named: "\n</details>",
    "expand": lambda state, positional, named: "\n</details>",
    "callout": lambda state, positional, named: "\n</div></div>",
    "alert": lambda state, positional, named: "\n</div></div>",
    "notice": lambda state, positional, named: "\n</div></div>",
    "hint": lambda state, positional, named: "\n</div></div>",
    "hl": lambda state, positional, named: "</mark>",
    "staticref": lambda state, positional, named: "</a>",
}
