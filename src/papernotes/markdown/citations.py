"""markdown-it-py plugin for Pandoc-style citations: ``[@key]``, ``[@key, p. 3]``, ``[@a; @b]``.

Each cited key is looked up in the paper registry and links to the paper's page; the link
carries ``data-paper`` so the citation counts as a mention of that paper. A note that cites
papers ends with their reference list."""

from __future__ import annotations

import html
import re
from typing import Any, Callable

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from ..papers.identifiers import paper_slug
from ..papers.registry import Registry

_ITEM = re.compile(r"^\s*@(?P<key>[\w:.#$%&+?<>~/-]+[\w])\s*(?:,\s*(?P<locator>[^;]*?))?\s*$")


def citations_plugin(md: MarkdownIt, registry: Registry, base_path: str,
                     warn: Callable[[dict[str, Any], int, int, str], None], paper_url: str = "/papers/{slug}/") -> None:
    """``warn(env, line_in_block, col, message)`` reports an unknown key; ``paper_url`` is the
    pattern of a paper's page."""

    def citation(state: StateInline, silent: bool) -> bool:
        src, start = state.src, state.pos
        if not src.startswith("[@", start):
            return False
        close = src.find("]", start)
        if close < 0 or "\n" in src[start:close] or src.startswith("(", close + 1):
            return False
        items = [_ITEM.match(part) for part in src[start + 1:close].split(";")]
        if not all(items):
            return False
        if not silent:
            token = state.push("citation", "", 0)
            before = src[:start]
            token.meta = {"items": [(m["key"], (m["locator"] or "").strip()) for m in items if m],
                          "line_in_block": before.count("\n"), "col": start - (before.rfind("\n") + 1) + 1}
        state.pos = close + 1
        return True

    def render(renderer: Any, tokens: list[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
        meta = tokens[idx].meta
        parts = []
        for key, locator in meta["items"]:
            paper_id = registry.keys.get(key)
            suffix = f", {html.escape(locator)}" if locator else ""
            if paper_id is None:
                warn(env, meta.get("line", 0) + meta["line_in_block"], meta["col"], f"unknown citation key @{key}")
                parts.append(f'<span class="citation broken">@{html.escape(key)}{suffix}</span>')
                continue
            label = html.escape(_label(registry, paper_id, key))
            href = _paper_href(paper_id, base_path, paper_url)
            parts.append(f'<a class="citation" href="{href}" data-paper="{html.escape(paper_id)}">{label}{suffix}</a>')
        return f'<span class="citations">[{"; ".join(parts)}]</span>'

    def references(state: StateCore) -> None:
        """A reference list after the body: each paper the note cites, once, in order of first citation."""
        cited = [registry.keys[key] for token in state.tokens for child in token.children or ()
                 if child.type == "citation" for key, _ in child.meta["items"] if key in registry.keys]
        if cited:
            block = Token("html_block", "", 0)
            block.content = reference_list(registry, list(dict.fromkeys(cited)), base_path, paper_url)
            state.tokens.append(block)

    md.inline.ruler.before("link", "citation", citation)
    md.add_render_rule("citation", render)
    md.core.ruler.push("citation_references", references)


def reference_list(registry: Registry, paper_ids: list[str], base_path: str, paper_url: str = "/papers/{slug}/") -> str:
    """``<section class="references">`` listing the papers: authors, year, title (linked to the
    paper's page, not a mention of its own: the citations are), venue."""
    items = []
    for paper_id in paper_ids:
        paper = registry.papers.get(paper_id)
        if paper is None:
            continue
        authors = ", ".join(paper.authors[:6]) + (" et al." if len(paper.authors) > 6 else "")
        year = f" ({paper.year})" if paper.year else ""
        venue = f" <em>{html.escape(paper.venue)}</em>." if paper.venue else ""
        href = _paper_href(paper_id, base_path, paper_url)
        title = html.escape(paper.title or paper.key or paper_id)
        items.append(f'<li>{html.escape(authors)}{html.escape(year)}. <a href="{href}">{title}</a>.{venue}</li>')
    return '<section class="references"><h2>References</h2>\n<ol>\n' + "\n".join(items) + "\n</ol>\n</section>\n"


def _paper_href(paper_id: str, base_path: str, paper_url: str) -> str:
    return base_path + paper_url.format(slug=paper_slug(paper_id)).lstrip("/")


def _label(registry: Registry, paper_id: str, key: str) -> str:
    """``Yao et al., 2023`` from the registry; the key when authors are unknown."""
    paper = registry.papers.get(paper_id)
    if paper is None or not paper.authors:
        return key
    surname = paper.authors[0].split()[-1]
    who = surname if len(paper.authors) == 1 else f"{surname} and {paper.authors[1].split()[-1]}" \
        if len(paper.authors) == 2 else f"{surname} et al."
    return f"{who}, {paper.year}" if paper.year else who
