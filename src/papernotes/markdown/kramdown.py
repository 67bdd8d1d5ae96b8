"""markdown-it-py plugin for kramdown's attribute lists and extensions, as Jekyll posts use them.

- A block IAL (``{: .class #id key="v"}`` on a line of its own) applies to the block it
  directly follows, else to the block after it (kramdown's rule); when that block is a
  paragraph holding only an image, to the image. ``{:toc}`` on a list (``* TOC``) marks
  where kramdown puts the table of contents: the list is dropped, since the note page shows
  the note's table of contents.
- A span IAL right after an image, link, emphasis or code span applies to it; so does Pandoc's
  form without the colon right after an image, link or code span (``![x](a.png){width=30%}``).
- ALDs (``{:name: .class}``) define attribute lists that IALs name (``{: name}``).
- ``{::comment}…{:/comment}`` is removed; ``{::nomarkdown}…{:/}`` is raw HTML;
  ``{::options parse_block_html="true" /}`` (until ``"false"``) and ``markdown="1"``,
  ``"block"`` or ``"span"`` on an HTML element make the Markdown inside HTML blocks count, with
  kramdown's content models (``p``, ``h1``…, ``th``, ``a``… hold span-level Markdown, other
  elements block-level, ``pre``/``script``… none); other options are ignored.

Which attributes survive is decided in :mod:`attributes`. Nothing of this syntax is ever
printed: an attribute list that cannot be parsed is removed.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from .attributes import Attributes, apply, parse_attributes
from .mathsyntax import is_kramdown

_ALDS_KEY = "kramdown_alds"
_LIST = r"\{:(?!:)[^}\n]*\}"
_BLOCK_LISTS = re.compile(rf"^(?:{_LIST}\s*)+$")
_ONE_LIST = re.compile(r"\{:(?!:)([^}\n]*)\}")
_ALD = re.compile(r"^([A-Za-z][\w-]*):(.*)$", re.DOTALL)
_PANDOC_LIST = re.compile(r"\{([^{}:\n][^{}\n]*)\}")
_PANDOC_TARGETS = frozenset({"image", "link_close", "code_inline"})  # what Pandoc's link_attributes and inline_code_attributes follow
_EXTENSION = re.compile(r"\{::(\w+)([^}]*?)(/?)\}")
_HTML_TAG = re.compile(r"<!--.*?-->|<(/?)([A-Za-z][\w-]*)((?:\s[^>]*)?)>", re.DOTALL)
_MARKDOWN_ATTRIBUTE = re.compile(r"""\smarkdown\s*=\s*["']?(1|block|span|0)["']?""")
_PARSE_BLOCK_HTML = re.compile(r"""parse_block_html\s*=\s*["']?(true|false)""")
#: kramdown's content models: elements whose content is span-level Markdown, and raw elements.
SPAN_ELEMENTS = frozenset("a abbr acronym b bdo big button cite caption del dfn dt em h1 h2 h3 h4 h5 h6 i ins label "
                          "legend optgroup p q rb rbc rp rt rtc ruby select small span strong sub sup th tt".split())
RAW_ELEMENTS = frozenset("pre code script style textarea math svg kbd samp".split())
VOID_ELEMENTS = frozenset("area base br col embed hr img input link meta source track wbr".split())
_SPAN_PAIRS = {"link_close": "link_open", "em_close": "em_open", "strong_close": "strong_open", "s_close": "s_open"}
_STANDALONE = frozenset({"fence", "code_block", "html_block", "hr", "math_block"})


def kramdown_plugin(md: MarkdownIt) -> None:
    """Register kramdown's attribute lists and extensions (see the module docstring)."""
    md.block.ruler.before("fence", "kramdown_block", _block_rule,
                          {"alt": ["paragraph", "reference", "blockquote", "list", "table"]})
    md.inline.ruler.before("escape", "kramdown_span", _span_rule)
    md.inline.ruler2.push("kramdown_span_attributes", _apply_span_lists)
    md.core.ruler.after("block", "kramdown_html_markdown", _markdown_in_html)
    md.core.ruler.after("inline", "kramdown_attributes", _apply_block_lists)
    md.add_render_rule("kramdown_attributes", lambda *args: "")
    md.add_render_rule("kramdown_options", lambda *args: "")
    md.add_render_rule("kramdown_span_attributes", lambda *args: "")


def _block_rule(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    begin = state.bMarks[start_line] + state.tShift[start_line]
    line_text = state.src[begin:state.eMarks[start_line]].rstrip()
    if line_text.startswith("{::"):
        return _block_extension(state, start_line, end_line, silent, line_text)
    if not line_text.startswith("{:") or not _BLOCK_LISTS.match(line_text):
        return False
    if silent:
        return True
    merged = Attributes()
    for match in _ONE_LIST.finditer(line_text):
        definition = _ALD.match(match.group(1))
        if definition:
            parsed = parse_attributes(definition.group(2))
            if parsed is not None:
                state.env.setdefault(_ALDS_KEY, {})[definition.group(1)] = parsed
            continue
        parsed = parse_attributes(match.group(1))
        if parsed is not None:
            merged = merged.merged(parsed)
    token = state.push("kramdown_attributes", "", 0)
    token.meta = {"attributes": merged}
    token.map = [start_line, start_line + 1]
    state.line = start_line + 1
    return True


def _block_extension(state: StateBlock, start_line: int, end_line: int, silent: bool, line_text: str) -> bool:
    match = _EXTENSION.match(line_text)
    if match is None:
        return False
    name, self_closing = match.group(1), match.group(3) == "/"
    last = start_line
    body_start = state.bMarks[start_line] + state.tShift[start_line] + match.end()
    body_end = body_start
    if not self_closing:
        ending = re.compile(r"\{:/(?:" + re.escape(name) + r")?\}")
        line = start_line
        while line < end_line:
            begin = body_start if line == start_line else state.bMarks[line]
            found = ending.search(state.src, begin, state.eMarks[line])
            if found:
                last, body_end = line, found.start()
                break
            line += 1
        else:
            name = ""  # no end tag: kramdown ignores the extension; its tag line goes
    if silent:
        return True
    if name == "nomarkdown":
        token = state.push("html_block", "", 0)
        token.content = state.src[body_start:body_end].strip() + "\n"
        token.map = [start_line, last + 1]
        token.meta = {"markdown": "0"}
    elif name == "options":
        option = _PARSE_BLOCK_HTML.search(match.group(2))
        if option:
            token = state.push("kramdown_options", "", 0)
            token.meta = {"parse_block_html": option.group(1) == "true"}
            token.map = [start_line, last + 1]
    state.line = last + 1
    return True


def _span_rule(state: StateInline, silent: bool) -> bool:
    src, start = state.src, state.pos
    if not src.startswith("{:", start):
        return _pandoc_span(state, silent)
    if src.startswith("{::", start):
        return _span_extension(state, silent)
    match = _ONE_LIST.match(src, start)
    if match is None:
        return False
    parsed = parse_attributes(match.group(1))
    attributes = parsed.resolved(state.env.get(_ALDS_KEY, {})) if parsed is not None and not _ALD.match(match.group(1)) else None
    return _taken(state, attributes, match.end(), silent)


def _pandoc_span(state: StateInline, silent: bool) -> bool:
    """Pandoc's attributes right after an image, link or code span, without kramdown's colon
    (``![Plot](plot.png){width=30% height=25%}``, ``[site](https://x.org){.external}``): a
    list with an id, a class or a key=value, so that ``{word}`` in running text stays text."""
    src, start = state.src, state.pos
    if not src.startswith("{", start) or state.pending or not state.tokens or state.tokens[-1].type not in _PANDOC_TARGETS:
        return False
    match = _PANDOC_LIST.match(src, start)
    parsed = parse_attributes(match.group(1)) if match else None
    if match is None or parsed is None or parsed.refs or not (parsed.id or parsed.classes or parsed.pairs):
        return False
    return _taken(state, parsed, match.end(), silent)


def _taken(state: StateInline, attributes: Attributes | None, end: int, silent: bool) -> bool:
    """The list up to ``end`` consumed, its ``attributes`` (None: none kept) left for the
    element before it (``_apply_span_lists``)."""
    if not silent and attributes is not None:
        token = state.push("kramdown_span_attributes", "", 0)
        token.meta = {"attributes": attributes}
    state.pos = end
    return True


def _apply_span_lists(state: StateInline) -> None:
    """After emphasis is resolved: give each span IAL's attributes to the element before it."""
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type == "kramdown_span_attributes" and index > 0:
            target = _span_target(tokens[:index])
            if target is not None:
                apply(target.attrs, token.meta["attributes"].html())


def _span_extension(state: StateInline, silent: bool) -> bool:
    match = _EXTENSION.match(state.src, state.pos)
    if match is None:
        return False
    end = match.end()
    if match.group(3) != "/":
        closing = re.compile(r"\{:/(?:" + re.escape(match.group(1)) + r")?\}").search(state.src, end)
        if closing is None:  # no end tag: kramdown ignores the extension; the tag goes
            state.pos = end
            return True
        if not silent and match.group(1) == "nomarkdown":
            token = state.push("html_inline", "", 0)
            token.content = state.src[end:closing.start()]
        end = closing.end()
    state.pos = end
    return True


def _span_target(tokens: list[Token]) -> Token | None:
    """The element a span IAL right after it applies to: an image, code span, or the opening
    of a link or emphasis that just closed."""
    if not tokens:
        return None
    last = tokens[-1]
    if last.type in ("image", "code_inline"):
        return last
    opener = _SPAN_PAIRS.get(last.type)
    return _matching_open(tokens, len(tokens) - 1, opener) if opener else None


def _apply_block_lists(state: StateCore) -> None:
    tokens = state.tokens
    definitions = state.env.get(_ALDS_KEY, {})
    dropped: list[tuple[int, int]] = []
    for index, token in enumerate(tokens):
        if token.type != "kramdown_attributes":
            continue
        attributes: Attributes = token.meta["attributes"].resolved(definitions)
        span = _target(tokens, index)
        if span is None:
            continue
        opener = tokens[span[0]]
        if "toc" in token.meta["attributes"].refs and opener.type in ("bullet_list_open", "ordered_list_open"):
            dropped.append(span)
            continue
        target = _lone_image(tokens, span) or opener
        apply(target.attrs, attributes.html())
    for start, end in reversed(dropped):
        del tokens[start:end + 1]


def _target(tokens: list[Token], index: int) -> tuple[int, int] | None:
    """(first, last) token index of the block an IAL at ``index`` applies to: the previous
    sibling when it ends on the line just above, else the next sibling."""
    token = tokens[index]
    line = token.map[0] if token.map else -1
    if index > 0:
        previous = tokens[index - 1]
        if previous.level == token.level and (previous.nesting == -1 or previous.type in _STANDALONE):
            first = index - 1 if previous.nesting == 0 else _open_index(tokens, index - 1)
            block_map = tokens[first].map if first is not None else None
            if first is not None and block_map and block_map[1] == line:
                return first, index - 1
    following = index + 1
    while following < len(tokens) and tokens[following].type == "kramdown_attributes":
        following += 1
    if following < len(tokens) and tokens[following].level == token.level and tokens[following].nesting >= 0:
        last = following if tokens[following].nesting == 0 else _close_index(tokens, following)
        return following, last
    return None


def _open_index(tokens: list[Token], close: int) -> int | None:
    depth = 0
    for index in range(close, -1, -1):
        depth += tokens[index].nesting
        if depth == 0:
            return index
    return None


def _close_index(tokens: list[Token], open_index: int) -> int:
    depth = 0
    for index in range(open_index, len(tokens)):
        depth += tokens[index].nesting
        if depth == 0:
            return index
    return len(tokens) - 1


def _matching_open(tokens: list[Token], close: int, opener: str) -> Token | None:
    index = _open_index(tokens, close)
    return tokens[index] if index is not None and tokens[index].type == opener else None


def _lone_image(tokens: list[Token], span: tuple[int, int]) -> Token | None:
    """The image of a paragraph that holds nothing else."""
    first, last = span
    if tokens[first].type != "paragraph_open" or last - first != 2:
        return None
    children = [c for c in tokens[first + 1].children or () if not (c.type == "text" and not c.content.strip())
                and c.type != "softbreak"]
    return children[0] if len(children) == 1 and children[0].type == "image" else None


def _markdown_in_html(state: StateCore) -> None:
    """Parse the Markdown inside HTML blocks where kramdown would (see the module docstring)."""
    if not is_kramdown(state.env):
        return
    tokens = state.tokens
    enabled = False
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "kramdown_options":
            enabled = token.meta["parse_block_html"]
        elif token.type == "html_block" and "markdown" not in token.meta:
            if enabled or _MARKDOWN_ATTRIBUTE.search(token.content):
                replacement = _html_with_markdown(state, token, enabled)
                tokens[index:index + 1] = replacement
                continue
            token.meta["markdown"] = "0"
        index += 1


def _html_with_markdown(state: StateCore, token: Token, enabled: bool) -> list[Token]:
    """The tokens of an HTML block whose elements hold Markdown: tags stay raw HTML, the text
    between them is parsed by the content model of the element it is in."""
    content, first_line = token.content, token.map[0] if token.map else 0
    out: list[Token] = []
    models: list[tuple[str, str]] = []  # (element, content model) of the open elements
    position = 0

    def emit_text(text: str, start: int) -> None:
        model = models[-1][1] if models else "block"
        if not text.strip() or model == "raw":
            _raw(out, text, token)
            return
        line = first_line + content.count("\n", 0, start)
        if model == "span":
            inline = Token("inline", "", 0, content=text.strip(), map=[line, line + 1], children=[])
            out.append(inline)
            return
        nested: list[Token] = []
        state.md.block.parse(text, state.md, state.env, nested)
        for child in nested:
            child.level += token.level
            if child.map:
                child.map = [child.map[0] + line, child.map[1] + line]
        out.extend(nested)

    for match in _HTML_TAG.finditer(content):
        emit_text(content[position:match.start()], position)
        closing, name = match.group(1), (match.group(2) or "").lower()
        tag = _MARKDOWN_ATTRIBUTE.sub("", match.group(0))
        _raw(out, tag, token)
        if name and not closing and name not in VOID_ELEMENTS and not tag.endswith("/>"):
            models.append((name, _content_model(name, match.group(3) or "", enabled, models)))
        elif name and closing:
            while models and models.pop()[0] != name:
                pass
        position = match.end()
    emit_text(content[position:], position)
    return out


def _content_model(name: str, attributes: str, enabled: bool, models: list[tuple[str, str]]) -> str:
    if name in RAW_ELEMENTS:
        return "raw"
    given = _MARKDOWN_ATTRIBUTE.search(attributes)
    if given:
        value = given.group(1)
        return {"0": "raw", "span": "span", "block": "block"}.get(value, "span" if name in SPAN_ELEMENTS else "block")
    if enabled:
        return "span" if name in SPAN_ELEMENTS else "block"
    return models[-1][1] if models else "raw"


def _raw(out: list[Token], text: str, like: Token) -> None:
    """Append raw HTML, joined to the previous raw piece."""
    if not text:
        return
    if out and out[-1].type == "html_block" and out[-1].meta.get("markdown") == "0":
        out[-1].content += text
        return
    raw = Token("html_block", "", 0, content=text, map=like.map, level=like.level, block=True, meta={"markdown": "0"})
    out.append(raw)
