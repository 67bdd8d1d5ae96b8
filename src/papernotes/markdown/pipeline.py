"""The one configured markdown-it-py pipeline: CommonMark plus the extensions notes need.

A body is rendered once into HTML; headings (for the table of contents), word count
and positioned problems (math the converter cannot handle) come back with it.
Every extension is registered in ``MarkdownRenderer.__init__``, in one list. A file's flavor
(``commonmark`` or ``kramdown``, see ``sources/flavor.py``) is handed to ``render`` and read by
the plugins whose rules differ between the two.
"""

from __future__ import annotations

import functools
import html
import re
from pathlib import Path
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Mapping, Sequence

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.tasklists import tasklists_plugin
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from .assets import AssetFinder, asset_url, image_size, img_tag, is_remote, looked_up
from .attributes import KEPT
from .blockrefs import block_ids, blockrefs_plugin
from .deflists import definition_lists_plugin
from .emoji import emoji_plugin
from .callouts import callouts_plugin
from .citations import citations_plugin
from .diagrams import diagrams_plugin
from .headings import github_anchor, heading_attributes_plugin, unique_anchor
from .highlights import highlights_plugin
from .htmlrefs import html_refs_plugin
from .joinedlexer import join_states
from .kramdown import kramdown_plugin
from .linkify import QuickLinkify
from .linkurls import normalized_link, normalized_link_text
from .math import Converted, convert_tex, references_decoded, tex_fallback
from .mathsyntax import FLAVOR_KEY, MATH_TOKENS, math_syntax_plugin
from ..model import Diagnostic, Heading, LinkRef, Lookup, RenderedBody
from .plaintext import tex_text, text_with_tex
from ..extensions import MarkdownPlugin
from ..papers.registry import Registry
from .sanitize import neutralise_script_urls
from ..siteurls import SiteURLs
from .texmacros import Macro
from .unusedrules import RuleFitter
from ..urls import slugify
from .wikilinks import wikilinks_plugin

_HTML_OPAQUE = re.compile(r"(<(pre|code|script|style|math|textarea|kbd|samp)\b.*?</\2\s*>|<!--.*?-->|</?[A-Za-z][^>]*>)",
                          re.IGNORECASE | re.DOTALL)
_SPACE = re.compile(r"\s+")


@dataclass
class _RenderState:
    """What one render call collects; lives in markdown-it's ``env`` for that call only."""

    path: str
    first_line: int
    source_dir: Path | None = None
    headings: list[Heading] = field(default_factory=list)
    assets: dict[str, str] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    links: list[LinkRef] = field(default_factory=list)
    words: int = 0
    unknown_commands: set[str] = field(default_factory=set)  # each is warned about once per note
    lookups: dict[tuple[str, bool], Lookup] = field(default_factory=dict)  # local files named, as looked up


class _MarkdownIt(MarkdownIt):
    """markdown-it with links normalized quicker (``linkurls``)."""

    def normalizeLink(self, url: str) -> str:
        return normalized_link(url)

    def normalizeLinkText(self, link: str) -> str:
        return normalized_link_text(link)


class MarkdownRenderer:
    """Renders Markdown text to a RenderedBody. Create one per process and reuse it."""

    def __init__(self, *, hard_breaks: bool = False, base_path: str = "/", registry: Registry | None = None,
                 assets: AssetFinder | None = None, raw_html: bool = True,
                 math_macros: Mapping[str, Macro] | None = None, urls: SiteURLs = SiteURLs(),
                 plugins: Sequence[MarkdownPlugin] = ()) -> None:
        self._base_path = base_path
        self._assets = assets
        # Notes repeat formulas and snippets; both conversions are pure, so remember recent ones.
        self._mathml = functools.lru_cache(maxsize=4096)(convert_tex)
        self._highlighted = functools.lru_cache(maxsize=1024)(self._highlight)
        self._lexers: dict[str, Lexer | None] = {}
        self._formatter = HtmlFormatter(nowrap=True)
        md = _MarkdownIt("commonmark", {"html": raw_html, "linkify": True, "typographer": False, "breaks": hard_breaks})
        md.enable(["table", "strikethrough", "linkify"])
        md.linkify = QuickLinkify()
        for rule in ("math_inline", "math_inline_double", "math_block"):
            md.add_render_rule(rule, _as_rule(self._render_math))
        md.add_render_rule("tex_block", _as_rule(self._render_tex_block))
        md.add_render_rule("html_block", _as_rule(self._render_html_block))
        md.add_render_rule("fence", _as_rule(self._render_fence))
        md.add_render_rule("image", _as_rule(self._render_image))
        md.add_render_rule("code_block", _as_rule(self._render_fence))
        # The plugin list: one line per extension, in this order (later rules see earlier ones'
        # tokens; a plugin that wraps a render rule above, such as diagrams' fence, comes after it).
        md.use(footnote_plugin)
        md.use(tasklists_plugin)
        md.use(definition_lists_plugin)
        md.use(emoji_plugin)
        md.use(math_syntax_plugin, macros=math_macros)
        md.use(kramdown_plugin)
        md.use(heading_attributes_plugin)
        md.core.ruler.push("papernotes_facts", _collect_facts)  # headings, words, lines: before the rules below
        md.use(wikilinks_plugin, record=_record_link, tag_url=lambda name: base_path + urls.of_tag(slugify(name, 'tag')).lstrip("/"),
               image=self._image_html, attachment=self._attachment_html)
        md.use(callouts_plugin)
        md.use(highlights_plugin)
        md.use(blockrefs_plugin)
        md.use(citations_plugin, registry=registry or Registry(), base_path=base_path, warn=_warn, paper_url=urls.paper)
        md.use(html_refs_plugin, resolve=self._image_src, record=_record_link)
        md.use(diagrams_plugin)
        for plugin, options in plugins:  # the site's own (``plugins:`` in papernotes.yaml), last
            md.use(plugin, **options)
        # MathJax typesets TeX in raw HTML too: a second parser that knows only the math syntax.
        self._math_only = MarkdownIt("zero").use(math_syntax_plugin, macros=math_macros, raw_html=True)
        self._math_only.add_render_rule("text", lambda renderer, tokens, idx, *_: tokens[idx].content)
        for rule in ("math_inline", "math_inline_double", "math_block"):
            self._math_only.add_render_rule(rule, _as_rule(self._render_math))
        self._md = md
        self._rules = RuleFitter.of(md if not plugins else None)  # a site's plugin may parse text it makes itself

    def forget(self) -> None:
        """Forget the formulas and snippets converted so far, as a new process has none."""
        self._mathml.cache_clear()
        self._highlighted.cache_clear()

    def render(self, text: str, path: str, first_line: int = 1, source_dir: Path | None = None,
               flavor: str = "commonmark") -> tuple[RenderedBody, tuple[Diagnostic, ...]]:
        """Render ``text``, whose first line is line ``first_line`` of ``path``, as Markdown of
        ``flavor``; relative images are looked up from ``source_dir``."""
        state = _RenderState(path, first_line, source_dir)
        env: dict[str, Any] = {"papernotes": state, FLAVOR_KEY: flavor}
        self._rules.fit(text)
        tokens = self._md.parse(text, env)
        body = neutralise_script_urls(self._md.renderer.render(tokens, self._md.options, env))
        tags = tuple(dict.fromkeys(env.get("papernotes_tags", ())))
        rendered = RenderedBody(body, tuple(state.headings), state.words, tuple(state.links), tags,
                                tuple(sorted(state.assets.items())), tuple(state.lookups.values()), block_ids(env))
        return rendered, tuple(state.diagnostics)

    def convert_tex(self, tex: str, display: bool) -> Converted:
        """``math.convert_tex``, remembering the formulas this renderer converted last."""
        return self._mathml(tex, display)

    # -- render rules -------------------------------------------------------------------

    def _render_math(self, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
        token = tokens[idx]
        if not token.content.strip():
            return ""  # a formula that only defined macros
        display = token.type != "math_inline"
        state: _RenderState = env["papernotes"]
        line = token.meta.get("line", token.map[0] if token.map else 0) + state.first_line
        try:
            converted: Converted = self._mathml(references_decoded(token.content), display)
            rendered = converted.mathml
        except ValueError as exc:
            rendered = tex_fallback(token.content, display)
            state.diagnostics.append(Diagnostic("warning", state.path, line, 1, str(exc)))
        else:
            new = [command for command in converted.unknown if command not in state.unknown_commands]
            if new:
                state.unknown_commands.update(new)
                state.diagnostics.append(Diagnostic(
                    "warning", state.path, line, 1, f"unknown TeX command {', '.join(new)} in "
                    f"{token.content.strip()[:60]!r}, shown as text (define it in config math.macros)"))
        if not rendered:
            return ""
        return f'<div class="math-display">{rendered}</div>\n' if token.type == "math_block" else rendered

    def _render_tex_block(self, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
        token = tokens[idx]
        state: _RenderState = env["papernotes"]
        if token.info not in state.unknown_commands:
            state.unknown_commands.add(token.info)
            line = (token.map[0] if token.map else 0) + state.first_line
            state.diagnostics.append(Diagnostic("warning", state.path, line, 1,
                                                f"TeX environment {token.info!r} is not math; shown as TeX"))
        return tex_fallback(token.content, True) + "\n"

    def _render_html_block(self, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
        """Raw HTML as written, with the TeX in its text (outside code) turned into MathML."""
        content = tokens[idx].content
        if "$" not in content and "\\" not in content:
            return content
        block_map = tokens[idx].map
        line = block_map[0] if block_map else 0
        pieces = _HTML_OPAQUE.split(content)
        for index in range(0, len(pieces), 3):
            if "$" in pieces[index] or "\\" in pieces[index]:
                pieces[index] = self._math_in_html_text(pieces[index], env, line)
        return "".join(piece for index, piece in enumerate(pieces) if index % 3 != 2)

    def _math_in_html_text(self, text: str, env: dict[str, Any], line: int) -> str:
        inline = self._math_only.parseInline(text, env)
        for child in inline[0].children or ():
            child.meta["line"] = line
            if child.type in MATH_TOKENS:
                child.content = html.unescape(child.content)
        return self._math_only.renderer.render(inline[0].children or [], self._math_only.options, env)

    def _render_image(self, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
        token = tokens[idx]
        alt = "".join(child.content for child in token.children or ()) if token.children else token.content
        title = str(token.attrs.get("title") or "") or None
        width = str(token.attrs["width"]) if "width" in token.attrs else None
        tag = self._image_html(env, str(token.attrs.get("src", "")), alt, token.meta.get("line", 0), by_name=False,
                               title=title, width=width)
        return _with_attributes(tag, token.attrs)

    def _image_html(self, env: dict[str, Any], src: str, alt: str, line: int, *, by_name: bool = True,
                    width: str | None = None, title: str | None = None) -> str:
        """A local image gets a content-hashed URL (the file is copied there) and its size; a missing
        one a warning; a remote one is left where it is."""
        found = self._find_image(env, src, line, by_name)
        if found is None:
            return img_tag(src, alt, width=width, title=title)
        return img_tag(self._published(env, found), alt, image_size(found), width, title)

    def _find_image(self, env: dict[str, Any], src: str, line: int, by_name: bool = False) -> Path | None:
        """The local file an image reference names; a warning when a local one is missing."""
        state: _RenderState = env["papernotes"]
        if not src or is_remote(src) or src.startswith(("data:", "#")) or self._assets is None:
            return None
        found = self._look_up(state, src, by_name)
        if found is None:
            state.diagnostics.append(Diagnostic("warning", state.path, line + state.first_line, 1, f"image not found: {src}"))
        return found

    def _look_up(self, state: _RenderState, src: str, by_name: bool) -> Path | None:
        """The local file ``src`` names, the lookup kept with the body (an image added, moved
        or changed later makes again the notes that named it, not every note)."""
        assert self._assets is not None
        found = self._assets.find(src, state.source_dir, by_name=by_name)
        state.lookups[src, by_name] = looked_up(src, state.source_dir, by_name, found)
        return found

    def _published(self, env: dict[str, Any], found: Path) -> str:
        """The URL a local image is copied to (recorded for copying)."""
        url = asset_url(found)
        env["papernotes"].assets[url] = str(found)
        return self._base_path + url.lstrip("/")

    def _image_src(self, env: dict[str, Any], src: str, line: int) -> str:
        """Where the image of a raw ``<img src>`` is published; ``src`` as written when not local."""
        found = self._find_image(env, src, line)
        return src if found is None else self._published(env, found)

    def _attachment_html(self, env: dict[str, Any], src: str, label: str, line: int) -> str:
        """A link to a local file (a PDF, a recording) copied beside the images; a missing one a warning."""
        state: _RenderState = env["papernotes"]
        found = self._look_up(state, src, True) if self._assets else None
        if found is None:
            state.diagnostics.append(Diagnostic("warning", state.path, line + state.first_line, 1, f"file not found: {src}"))
            return f'<span class="embed-file broken">{html.escape(label)}</span>'
        url = asset_url(found)
        state.assets[url] = str(found)
        return f'<a class="embed-file" href="{html.escape(self._base_path + url.lstrip("/"))}">{html.escape(label)}</a>'

    def _render_fence(self, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
        token = tokens[idx]
        language = token.info.strip().split(maxsplit=1)[0].lower() if token.info.strip() else ""
        if language in ("math", "latex-math"):
            return self._render_math_fence(token, env)
        code = self._highlighted(token.content, language)
        label = f' data-lang="{html.escape(language)}"' if language else ""
        css = f' class="language-{html.escape(language)}"' if language else ""
        return f'<pre class="highlight"{label}><code{css}>{code}</code></pre>\n'

    def _highlight(self, code: str, language: str) -> str:
        lexer = self._lexer(language) if language else None
        return html.escape(code) if lexer is None else highlight(code, lexer, self._formatter)

    def _render_math_fence(self, token: Token, env: dict[str, Any]) -> str:
        math_token = Token("math_block", "math", 0, content=token.content, map=token.map)
        return self._render_math([math_token], 0, None, env)

    def _lexer(self, language: str) -> Lexer | None:
        if language not in self._lexers:
            try:
                self._lexers[language] = join_states(get_lexer_by_name(language, stripnl=False, ensurenl=False))
            except ClassNotFound:
                self._lexers[language] = None
        return self._lexers[language]


def _with_attributes(tag: str, attrs: Mapping[str, Any]) -> str:
    """An ``<img …>`` with the id, class, height and style an attribute list gave it."""
    extra = "".join(f' {name}="{html.escape(str(attrs[name]))}"' for name in ("id", "class", "style", "height")
                    if name in attrs and name in KEPT | {"id", "class", "style"} and f" {name}=" not in tag)
    return tag[:-1] + extra + ">" if extra else tag


def _warn(env: dict[str, Any], line: int, col: int, message: str) -> None:
    state: _RenderState = env["papernotes"]
    state.diagnostics.append(Diagnostic("warning", state.path, line + state.first_line, col, message))


def _record_link(env: dict[str, Any], link: LinkRef) -> int:
    state: _RenderState = env["papernotes"]
    state.links.append(replace(link, line=link.line + state.first_line))
    return len(state.links) - 1


def _as_rule(method: Callable[..., str]) -> Callable[..., str]:
    """markdown-it binds render rules to its renderer; ours are methods of MarkdownRenderer."""
    def rule(renderer: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
        return method(tokens, idx, options, env)
    return rule


def _collect_facts(state: Any) -> None:
    """Core rule: give headings stable unique ids, record them, count words, mark lines."""
    facts: _RenderState | None = state.env.get("papernotes")
    if facts is None:
        return
    used: dict[str, int] = {}
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "inline":
            continue
        line = token.map[0] if token.map else 0
        for child in token.children or ():
            child.meta["line"] = line
            if child.type == "text":
                facts.words += len(child.content.split())
        if index > 0 and tokens[index - 1].type == "heading_open":
            opener = tokens[index - 1]
            given = opener.attrs.get("id")
            anchor = str(given) if given else unique_anchor(github_anchor(_inline_text(token)), used)
            used.setdefault(anchor, 0)
            opener.attrSet("id", anchor)
            facts.headings.append(Heading(int(opener.tag[1]), str(anchor), _inline_text(token, readable=True)))


def _inline_text(token: Token, readable: bool = False) -> str:
    """The text of an inline token; ``readable`` reads formulas as text, else they stay TeX (for ids)."""
    parts = []
    for child in token.children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in MATH_TOKENS:
            parts.append(tex_text(child.content) if readable else child.content)
        elif child.type == "wikilink":
            parts.append(child.meta["label"] or child.meta["target"].partition("#")[0])
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    text = _SPACE.sub(" ", "".join(parts)).strip()
    return text_with_tex(text) if readable else text
