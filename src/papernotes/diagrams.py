"""markdown-it-py plugin: ```` ```mermaid ```` fences as Mermaid diagrams.

The fence becomes ``<pre class="mermaid">`` holding its source, escaped: readable as text
without JavaScript; ``static/js/diagrams.js`` (with the site's own copy of Mermaid, loaded
only by pages that hold a diagram) draws it in the light or dark theme.
"""

from __future__ import annotations

import html
from typing import Any, Sequence

from markdown_it import MarkdownIt
from markdown_it.token import Token

#: What marks a page as holding a diagram (templates load Mermaid only then).
DIAGRAM_MARK = '<pre class="mermaid">'


def diagrams_plugin(md: MarkdownIt) -> None:
    """Draw ``mermaid`` fences as diagrams; every other fence as the fence rule before it did."""
    previous = md.renderer.rules["fence"]

    def fence(renderer: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
        info = tokens[idx].info.strip()
        if info.split(maxsplit=1)[0].lower() == "mermaid" if info else False:
            return f"{DIAGRAM_MARK}{html.escape(tokens[idx].content)}</pre>\n"
        return str(previous(tokens, idx, options, env))

    md.add_render_rule("fence", fence)
