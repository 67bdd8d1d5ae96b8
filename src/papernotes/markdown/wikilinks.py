"""markdown-it-py plugin for Obsidian/Foam conventions and links between notes.

``[[Note]]``, ``[[Note|label]]``, ``[[Note#Heading]]``, ``[[/folder/Note]]``, embeds
(``![[image.png|300]]``, ``![[paper.pdf]]``, ``![[Note]]``, ``![[Note#Heading]]``,
``![[Note#^block]]``), inline ``#tags`` (not in code or links), and links to other note files
(``[x](other.md)``, ``[x](/folder/Note)``, Jekyll's ``{% post_url %}``). Links to notes become
placeholders ``<a class="wikilink" data-pn-link="N">`` that links.py resolves once every note is
known; a note embed standing alone in its paragraph becomes ``<div class="pn-embed" …>``, which
links.py fills with the embedded note's content.
"""

from __future__ import annotations

import html
import re
from typing import Any, Callable
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from .assets import ATTACHMENT_SUFFIXES, IMAGE_SUFFIXES
from ..model import LinkRef
from .headings import github_anchor
from ..urls import NOTE_LINK_SCHEME

_IMAGE_SIZE = re.compile(r"(\d+)(?:x\d+)?")
_INLINE_TAG = re.compile(r"(?<![\w/&#:.!?'\"-])#([A-Za-z][\w/-]*[\w])")
_NOTE_FILE = re.compile(r"\.(md|markdown|txt)$", re.IGNORECASE)
_OTHER_FILE = re.compile(r"\.(?!(md|markdown|txt)$)[A-Za-z0-9]{1,5}$")  # /feed.xml, /img/a.png: not notes


def wikilinks_plugin(md: MarkdownIt, record: Callable[[dict[str, Any], LinkRef], int], tag_url: Callable[[str], str],
                     image: Callable[..., str], attachment: Callable[..., str] | None = None) -> None:
    """``record(env, link)`` stores a link (its line counted from the body's start) and returns
    its index; ``tag_url(name)`` gives a tag's URL; ``image(env, src, alt, line, width=…)`` draws an
    image embed and ``attachment(env, src, label, line)`` links another embedded file."""

    def wikilink(state: StateInline, silent: bool) -> bool:
        src, start = state.src, state.pos
        embed = src.startswith("![[", start)
        if not (embed or src.startswith("[[", start)):
            return False
        open_end = start + (3 if embed else 2)
        close = src.find("]]", open_end)
        inner = src[open_end:close] if close >= 0 else ""
        if close < 0 or not inner.strip() or "\n" in inner or "[" in inner:
            return False
        if src.startswith("(", close + 2):  # ``[[pdf]](url)``: a link whose text is in brackets
            return False
        if not silent:
            target, _, label = inner.partition("|")
            token = state.push("wikilink", "", 0)
            line, col = _position(state, start)
            token.meta = {"target": target.strip(), "label": label.strip(), "embed": embed, "line_in_block": line, "col": col}
        state.pos = close + 2
        return True

    def render_wikilink(renderer: Any, tokens: list[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
        meta = tokens[idx].meta
        target, label, embed = meta["target"], meta["label"], meta["embed"]
        name, _, anchor = target.partition("#")
        line = meta.get("line", 0) + meta["line_in_block"]
        if embed and name.lower().endswith(tuple(IMAGE_SUFFIXES)):
            size = _IMAGE_SIZE.fullmatch(label)  # ![[a.png|300]] or ![[a.png|300x200]]: the width counts
            alt = label if label and not size else name.rsplit("/", 1)[-1]
            return image(env, name, alt, line, width=size.group(1) if size else None)
        if embed and attachment is not None and name.lower().endswith(tuple(ATTACHMENT_SUFFIXES)):
            return attachment(env, name, label or name.rsplit("/", 1)[-1], line)
        shown = label or _shown(name, anchor)
        if not name:  # [[#Heading]] points into the same note
            fragment = anchor if anchor.startswith("^") else (github_anchor(anchor) or "section")
            return f'<a href="#{html.escape(fragment)}">{html.escape(shown)}</a>'
        block = bool(meta.get("block"))
        index = record(env, LinkRef(name, anchor, line, meta["col"], embed=block))
        if block:
            return f'<div class="pn-embed" data-pn-link="{index}">{html.escape(shown)}</div>\n'
        css = "wikilink embed" if embed else "wikilink"
        return f'<a class="{css}" data-pn-link="{index}">{html.escape(shown)}</a>'

    def note_links_and_tags(state: Any) -> None:
        """Core rule: relative links to note files become placeholders; inline #tags become tag
        links; a link to nowhere (``[text]()``, a placeholder left unfilled) is just its text."""
        env = state.env
        if "papernotes" not in env:
            return
        for block in state.tokens:
            if block.type != "inline" or not block.children:
                continue
            children, in_link, empty, in_raw_text = [], 0, [], 0
            for token in block.children:
                if token.type == "html_inline" and (raw := _RAW_TEXT_TAG.match(token.content)):
                    in_raw_text = max(0, in_raw_text + (-1 if raw.group(1) else 1))
                if token.type == "link_open":
                    in_link += 1
                    empty.append(not str(token.attrs.get("href", "")).strip())
                    if empty[-1]:
                        continue
                    _note_link(token, block, env, record)
                elif token.type == "link_close":
                    in_link -= 1
                    if empty.pop():
                        continue
                if token.type == "text" and not in_link and not in_raw_text and "#" in token.content:
                    children.extend(_split_tags(token, env, tag_url))
                else:
                    children.append(token)
            block.children = children

    md.inline.ruler.before("link", "wikilink", wikilink)
    md.add_render_rule("wikilink", render_wikilink)
    md.core.ruler.push("papernotes_note_links", note_links_and_tags)
    md.core.ruler.push("papernotes_block_embeds", _block_embeds)


def _block_embeds(state: Any) -> None:
    """Core rule: a paragraph holding nothing but note embeds (one a line, as Obsidian users write
    them) loses its ``<p>``, and each embed is marked to be filled with the note's content."""
    tokens = state.tokens
    for index in range(1, len(tokens) - 1):
        inline = tokens[index]
        if inline.type != "inline" or tokens[index - 1].type != "paragraph_open" or not inline.children:
            continue
        embeds = [t for t in inline.children if t.type == "wikilink"]
        rest = [t for t in inline.children if t.type != "wikilink"]
        if embeds and all(_is_note_embed(t) for t in embeds) and all(
                t.type in ("softbreak", "hardbreak") or (t.type == "text" and not t.content.strip()) for t in rest):
            tokens[index - 1].hidden = tokens[index + 1].hidden = True
            inline.children = [t for t in inline.children if t.type == "wikilink"]
            for embed in inline.children:
                embed.meta["block"] = True


def _is_note_embed(token: Token) -> bool:
    name = token.meta["target"].partition("#")[0].lower()
    return bool(token.meta["embed"] and name and not name.endswith(tuple(IMAGE_SUFFIXES | ATTACHMENT_SUFFIXES)))


def _shown(name: str, anchor: str) -> str:
    """What a link without a label reads: ``Note › Heading``; a block id (``^id``) is not prose,
    so ``[[Note#^id]]`` reads ``Note``."""
    if anchor.startswith("^"):
        return name or "↑"
    return f"{name} › {anchor}" if name and anchor else name or anchor


def _position(state: StateInline, offset: int) -> tuple[int, int]:
    """File-relative (line offset inside the block, column) of ``offset`` in the inline source."""
    before = state.src[:offset]
    line = before.count("\n")
    col = offset - (before.rfind("\n") + 1) + 1
    return line, col


def _note_link(token: Token, block: Token, env: dict[str, Any], record: Callable[[dict[str, Any], LinkRef], int]) -> None:
    href = str(token.attrs.get("href", ""))
    if href.startswith(NOTE_LINK_SCHEME):
        target, _, anchor = href[len(NOTE_LINK_SCHEME):].partition("#")
    else:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path:
            return
        vault_path = parts.path.startswith("/") and not _OTHER_FILE.search(parts.path)
        if not (vault_path or _NOTE_FILE.search(parts.path)):
            return
        target, anchor = unquote(parts.path), unquote(parts.fragment)
    line = (block.map[0] if block.map else 0)
    index = record(env, LinkRef(target, anchor, line, 1, fallback=href if target.startswith("/") else ""))
    del token.attrs["href"]
    token.attrSet("class", "wikilink")
    token.attrSet("data-pn-link", str(index))


#: Raw HTML whose content is CSS or script, not text: ``#f0f0f0`` in a ``<style>`` is no tag.
_RAW_TEXT_TAG = re.compile(r"<(/?)(?:style|script)\b", re.IGNORECASE)


def _split_tags(token: Token, env: dict[str, Any], tag_url: Callable[[str], str]) -> list[Token]:
    text = token.content
    pieces: list[Token] = []
    position = 0
    for match in _INLINE_TAG.finditer(text):
        if match.group(1).isdigit():
            continue
        if match.start() > position:
            pieces.append(_text(text[position:match.start()]))
        name = match.group(1)
        env.setdefault("papernotes_tags", []).append(name)
        link = Token("html_inline", "", 0)
        link.content = f'<a class="tag" href="{html.escape(tag_url(name))}">#{html.escape(name)}</a>'
        pieces.append(link)
        position = match.end()
    if not pieces:
        return [token]
    if position < len(text):
        pieces.append(_text(text[position:]))
    return pieces


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token
