"""markdown-it-py plugin: ```` ```mermaid ```` fences as Mermaid diagrams.

The fence becomes ``<pre class="mermaid">`` holding its source, escaped: readable as text
without JavaScript; ``static/js/diagrams.js`` (with the site's own copy of Mermaid, loaded
only by pages that hold a diagram) draws it in the light or dark theme. Mermaid is recorded as
an asset of the note, so a site without a diagram does not carry its 3.6 MB.
"""

from __future__ import annotations

import html
from typing import Any, Sequence

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..theme import ON_DEMAND, on_demand_file

#: What marks a page as holding a diagram (templates load Mermaid only then).
DIAGRAM_MARK = '<pre class="mermaid">'
MERMAID_FILES = (f"{ON_DEMAND}mermaid.min.js", f"{ON_DEMAND}mermaid.LICENSE.txt")


def diagrams_plugin(md: MarkdownIt) -> None:
    """Draw ``mermaid`` fences as diagrams; every other fence as the fence rule before it did."""
    previous = md.renderer.rules["fence"]  # type: ignore[attr-defined]  # RendererHTML's rules

    def fence(renderer: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
        info = tokens[idx].info.strip()
        if info.split(maxsplit=1)[0].lower() == "mermaid" if info else False:
            state = env.get("papernotes") if isinstance(env, dict) else None
            if state is not None:
                state.assets.update(on_demand_file(rel) for rel in MERMAID_FILES)
            return f"{DIAGRAM_MARK}{html.escape(tokens[idx].content)}</pre>\n"
        return str(previous(tokens, idx, options, env))

    md.add_render_rule("fence", fence)
