"""markdown-it-py plugin for the references inside raw HTML a note writes: ``<img src="fig.png">``
finds and copies its image like ``![](fig.png)`` does, ``<a href="…">`` to another note (written
with ``{% post_url %}`` or ``{{< relref >}}``) links to it like a Markdown link, and a link to
nowhere (``<a href="">``, ``[text]()``, as an unset Liquid variable leaves behind) shows as its
text rather than linking the page to itself."""

from __future__ import annotations

import html
import re
from typing import Any, Callable, cast
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

from ..model import LinkRef
from .sanitize import without_empty_links
from ..urls import NOTE_LINK_SCHEME

_IMG_SRC = re.compile(r"""(<img\b[^>]*?\bsrc\s*=\s*)(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)
_NOTE_HREF = re.compile(rf"""<a\b[^>]*?\bhref\s*=\s*(["']){re.escape(NOTE_LINK_SCHEME)}([^"'#]*)(?:#([^"']*))?\1[^>]*>""",
                        re.IGNORECASE)

#: ``resolve(env, src, line)`` → the URL the image is published at (``src`` itself when not local).
Resolver = Callable[[dict[str, Any], str, int], str]
#: ``record(env, link)`` → the number of the link placeholder the link stage resolves.
Recorder = Callable[[dict[str, Any], LinkRef], int]


def html_refs_plugin(md: MarkdownIt, resolve: Resolver, record: Recorder) -> None:
    def note_link(match: re.Match[str], env: dict[str, Any], line: int) -> str:
        index = record(env, LinkRef(unquote(match.group(2)), unquote(match.group(3) or ""), line, 1))
        return f'<a class="wikilink" data-pn-link="{index}">'

    def rewrite(content: str, env: dict[str, Any], line: int) -> str:
        if "<" not in content:
            return content
        content = _IMG_SRC.sub(lambda m: m.group(1) + m.group(2) + html.escape(resolve(env, html.unescape(m.group(3)), line))
                               + m.group(2), content)
        content = _NOTE_HREF.sub(lambda m: note_link(m, env, line), content)
        return without_empty_links(content)

    def rule(state: StateCore) -> None:
        env = cast(dict[str, Any], state.env)  # the dict papernotes handed to parse()
        for token in state.tokens:
            line = token.map[0] if token.map else 0
            if token.type == "html_block":
                token.content = rewrite(token.content, env, line)
            for child in token.children or ():
                if child.type == "html_inline":
                    child.content = rewrite(child.content, env, line)
                elif child.type == "link_open" and not str(child.attrs.get("href", "x")).strip():
                    del child.attrs["href"]

    md.core.ruler.push("papernotes_html_refs", rule)
