"""Jekyll's Liquid in imported posts, rendered as Jekyll would before Markdown sees the text.

Output tags ``{{ page.key }}``, ``{{ site.key }}`` and ``{{ 'x' | filter: args }}`` are evaluated
against the note's front matter and the site's settings (a subset of Jekyll's filters, among them
``relative_url``, ``absolute_url``, ``replace``, ``prepend``, ``append``, ``default``). Tags:
``{% highlight lang %}`` becomes a fenced block, ``{% raw %}`` keeps its text as written,
``{% post_url name %}`` and ``{% link path %}`` link to that note (a ``#fragment`` after the tag
is kept), ``{% include figure.html path=… caption=… %}`` (and ``figure.liquid``, ``image.html``,
``video.liquid``) becomes a ``<figure>``, ``{% details title %}…{% enddetails %}`` a ``<details>``
block, jekyll-scholar's ``{% cite key %}`` a Pandoc citation ``[@key]``, ``{% comment %}``
disappears. Any other tag is removed and the text it wraps is kept, with one warning per tag
name. Fenced and inline code is left as written (as with ``{% raw %}``).

The site root (``site.baseurl``, ``relative_url``) renders as ``/``-rooted paths inside the notes
folder, so images and links it builds resolve like any other root-relative path.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping
from urllib.parse import quote, quote_plus

from ..model import Diagnostic
from ..text import sub_from
from ..urls import NOTE_LINK_SCHEME

_HIGHLIGHT = re.compile(r"\{%-?\s*highlight\s+([\w+#.-]+)[^%]*-?%\}\n?(.*?)\n?\{%-?\s*endhighlight\s*-?%\}", re.DOTALL)
_RAW = re.compile(r"\{%-?\s*raw\s*-?%\}(.*?)\{%-?\s*endraw\s*-?%\}", re.DOTALL)
_COMMENT = re.compile(r"\{%-?\s*comment\s*-?%\}.*?\{%-?\s*endcomment\s*-?%\}", re.DOTALL)
_TAG = re.compile(r"(?P<code>(`+)[^`]*?\2)|\{%-?\s*(?P<name>\w+)(?P<args>.*?)-?%\}|\{\{(?![<%])-?\s*(?P<expr>.*?)\s*-?\}\}",
                  re.DOTALL)
_TAG_START = re.compile(r"`|\{[%{]")  # where a match of ``_TAG`` can begin (``sub_from``)
#: What Liquid accepts between ``{{ }}``: a literal or variable, then filters. Anything else (TeX's
#: ``{{a}}``, ``{{|A \\cap B|}}``) would have stopped Jekyll with a syntax error, so it is not Liquid.
_EXPRESSION = re.compile(r"""(?:"[^"]*"|'[^']*'|-?\d+(?:\.\d+)?|[A-Za-z_][\w-]*(?:\.[\w-]+|\[(?:\d+|"[^"]*"|'[^']*'|[\w.]+)\])*)"""
                         r"""(?:\s*\|\s*[A-Za-z_]\w*(?:\s*:\s*(?:"[^"]*"|'[^']*'|[^|"'])*)?)*""")
_FENCE = re.compile(r"^ {0,3}(`{3,}(?=[^`\n]*$)|~{3,})", re.MULTILINE)  # a backtick fence's info has no backtick
_RAW_MARK = "\x00pn-raw-{}\x00"
#: An include's ``key=value``; as in Jekyll, a quoted value may hold its quote escaped (``\\"``).
_ARGUMENT = re.compile(r"""([\w-]+)\s*=\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\s"']+)""")
_FILTER_SPLIT = re.compile(r"""\|(?=(?:[^"']|"[^"]*"|'[^']*')*$)""")
_STRING = re.compile(r"""^(?:"([^"]*)"|'([^']*)')$""")
_FIGURE_INCLUDES = frozenset({"figure.html", "figure.liquid", "image.html", "image.liquid", "img.html"})
_VIDEO_INCLUDES = frozenset({"video.html", "video.liquid", "audio.html", "audio.liquid"})
_YOUTUBE_INCLUDES = frozenset({"youtube.html", "youtube.liquid", "youtubePlayer.html"})
#: Tags that only shape the output of an old site's layout: removed without a word.
_SILENT = frozenset({"endraw", "raw", "endcomment", "capture", "endcapture", "increment", "decrement",
                     "seo", "feed_meta", "bibliography", "endhighlight"})


@dataclass(frozen=True)
class LiquidScope:
    """What ``{{ … }}`` can name: the note's front matter (``page``) and the site settings (``site``).
    Outside a Jekyll site (``jekyll=False``) only Jekyll's own names are Liquid: ``{{title}}`` and
    ``{% if %}`` in an Obsidian template note are text, as Obsidian shows them."""

    page: Mapping[str, Any] = field(default_factory=dict)
    site: Mapping[str, Any] = field(default_factory=dict)
    jekyll: bool = True


def has_liquid(text: str) -> bool:
    """True when ``text`` holds anything Liquid would process."""
    return "{%" in text or "{{" in text


def convert_liquid(text: str, path: str, first_line: int, scope: LiquidScope = LiquidScope()) -> tuple[str, list[Diagnostic]]:
    """Markdown with its Liquid rendered, and a warning per tag name or filter that was not understood."""
    problems: dict[str, Diagnostic] = {}
    assigned: dict[str, Any] = {}
    raws: list[str] = []

    def keep_raw(match: re.Match[str]) -> str:
        raws.append(match.group(1))
        return _RAW_MARK.format(len(raws) - 1)

    text = _HIGHLIGHT.sub(lambda m: f"```{m.group(1)}\n{_RAW.sub(lambda r: r.group(1), m.group(2))}\n```", text)
    text = _COMMENT.sub("", _RAW.sub(keep_raw, text))
    pieces: list[str] = []
    line = first_line
    for chunk, is_code in split_code(text):
        if is_code:
            pieces.append(chunk)
        else:
            renderer = _Renderer(scope, path, line, chunk, problems, assigned)
            pieces.append(sub_from(_TAG, _TAG_START, renderer, chunk))
        line += chunk.count("\n")
    text = "".join(pieces)
    for index, raw in enumerate(raws):
        text = text.replace(_RAW_MARK.format(index), raw)
    return text, list(problems.values())


def split_code(text: str) -> list[tuple[str, bool]]:
    """The text cut into (chunk, is fenced code) pieces."""
    pieces: list[tuple[str, bool]] = []
    position = 0
    fence: str | None = None
    start = 0
    for match in _FENCE.finditer(text):
        marker = match.group(1)
        if fence is None:
            pieces.append((text[position:match.start()], False))
            fence, start = marker, match.start()
        elif marker[0] == fence[0] and len(marker) >= len(fence):
            end = text.find("\n", match.end())
            end = len(text) if end < 0 else end
            pieces.append((text[start:end], True))
            position, fence = end, None
    pieces.append((text[start:], True) if fence is not None else (text[position:], False))
    return pieces


@dataclass
class _Renderer:
    """Renders the tags of one chunk of text (a callable for ``re.sub``); problems keyed by what
    went wrong, so each tag name or filter is reported once per note."""

    scope: LiquidScope
    path: str
    first_line: int
    chunk: str
    problems: dict[str, Diagnostic]
    assigned: dict[str, Any]  # ``{% assign x = … %}`` so far in the note

    def __call__(self, match: re.Match[str]) -> str:
        if match.group("code"):
            return match.group(0)
        if match.group("expr") is not None:
            expression = match.group("expr")
            if not _EXPRESSION.fullmatch(expression) or _unknown_name(expression, self.scope, self.assigned):
                return match.group(0)
            return _to_text(self.evaluate(expression, match))
        name, arguments = match.group("name"), match.group("args").strip()
        tag = _TAGS.get(name)
        if tag is not None:
            return tag(self, arguments, match)
        if not self.scope.jekyll:
            return match.group(0)
        if name not in _SILENT and not name.startswith("end") and name not in ("else", "elsif", "when"):
            self.warn(f"tag:{name}", match, f"Liquid tag {{% {name} %}} is not supported: removed, the text it wraps kept")
        return ""

    def warn(self, key: str, match: re.Match[str], message: str) -> None:
        if key in self.problems:
            return
        line = self.first_line + self.chunk.count("\n", 0, match.start())
        col = match.start() - self.chunk.rfind("\n", 0, match.start())
        self.problems[key] = Diagnostic("warning", self.path, line, col, message)

    def evaluate(self, expression: str, match: re.Match[str]) -> Any:
        """The value of ``value | filter: a, b | …``."""
        first, *filters = _FILTER_SPLIT.split(expression)
        value = self.value(first.strip(), match)
        for text in filters:
            name, _, rest = text.strip().partition(":")
            name = name.strip()
            arguments = [self.value(a.strip(), match) for a in _split_arguments(rest)] if rest.strip() else []
            apply = _FILTERS.get(name)
            if apply is None:
                self.warn(f"filter:{name}", match, f"Liquid filter {name!r} is not supported: the value is left unfiltered")
                continue
            try:
                value = apply(value, *arguments)
            except (TypeError, ValueError, IndexError):
                self.warn(f"filter:{name}", match, f"Liquid filter {name!r} cannot take these arguments: left unfiltered")
        return value

    def value(self, text: str, match: re.Match[str]) -> Any:
        """A literal or a variable such as ``site.baseurl`` or ``page.authors[0].name``."""
        literal = _STRING.match(text)
        if literal:
            return literal.group(1) if literal.group(1) is not None else literal.group(2)
        if re.fullmatch(r"-?\d+(\.\d+)?", text):
            return float(text) if "." in text else int(text)
        if text in ("true", "false", "nil", "empty", "blank"):
            return {"true": True, "false": False}.get(text)
        root, *keys = re.findall(r"[\w-]+|\[\d+\]|\[[\"'][^\"']*[\"']\]", text) or [""]
        current: Any = {"page": self.scope.page, "site": self.scope.site}.get(root)
        if current is None and root in ("include", "layout", "content", "paginator", "forloop", "jekyll"):
            return None
        if current is None:
            current = self.assigned[root] if root in self.assigned else self.scope.page.get(root)
        for key in keys:
            current = _lookup(current, key.strip("[]'\""))
            if current is None:
                break
        if current is None and root == "site" and keys and keys[0] not in _SITE_ROOT_KEYS:
            self.warn(f"variable:{text}", match, f"Liquid variable {{{{ {text} }}}} is not set in _config.yml or "
                                                 f"papernotes.yaml: it renders as nothing")
        return current


_JEKYLL_NAMES = frozenset({"page", "site", "include", "layout", "content", "paginator", "jekyll"})


def _unknown_name(expression: str, scope: LiquidScope, assigned: Mapping[str, Any]) -> bool:
    """``{{x}}`` naming neither ``page``, ``site``, an assigned variable nor a front matter key (or,
    outside a Jekyll site, anything but Jekyll's own names): TeX's braces or another tool's
    template, left as written."""
    root = re.match(r"[A-Za-z_][\w-]*", expression)
    if root is None or root.group(0) in _JEKYLL_NAMES:
        return False
    return not scope.jekyll or (root.group(0) not in scope.page and root.group(0) not in assigned)


def _lookup(value: Any, key: str) -> Any:
    if isinstance(value, Mapping):
        return value.get(key)
    if isinstance(value, (list, tuple)):
        if key.isdigit() and int(key) < len(value):
            return value[int(key)]
        if key == "size":
            return len(value)
        if key in ("first", "last") and value:
            return value[0] if key == "first" else value[-1]
    if isinstance(value, str) and key == "size":
        return len(value)
    return None


def _split_arguments(text: str) -> list[str]:
    return re.findall(r"""(?:"[^"]*"|'[^']*'|[^,])+""", text)


def _to_text(value: Any) -> str:
    if value is None or value is False:
        return ""
    if isinstance(value, (list, tuple)):
        return "".join(_to_text(v) for v in value)
    if value is True:
        return "true"
    return str(value)


def _relative_url(value: Any) -> str:
    """Jekyll's ``relative_url``: the path from the site root (which papernotes prefixes with its
    own base path when it resolves the link or copies the image)."""
    text = _to_text(value)
    if "://" in text or text.startswith(("#", "mailto:", "//")):
        return text
    return "/" + text.lstrip("/")


_FILTERS: dict[str, Callable[..., Any]] = {
    "relative_url": _relative_url,
    "absolute_url": _relative_url,
    "replace": lambda v, a, b="": _to_text(v).replace(_to_text(a), _to_text(b)),
    "replace_first": lambda v, a, b="": _to_text(v).replace(_to_text(a), _to_text(b), 1),
    "remove": lambda v, a: _to_text(v).replace(_to_text(a), ""),
    "remove_first": lambda v, a: _to_text(v).replace(_to_text(a), "", 1),
    "append": lambda v, a: _to_text(v) + _to_text(a),
    "prepend": lambda v, a: _to_text(a) + _to_text(v),
    "default": lambda v, a="": a if v in (None, "", False, [], {}) else v,
    "downcase": lambda v: _to_text(v).lower(),
    "upcase": lambda v: _to_text(v).upper(),
    "capitalize": lambda v: _to_text(v).capitalize(),
    "strip": lambda v: _to_text(v).strip(),
    "lstrip": lambda v: _to_text(v).lstrip(),
    "rstrip": lambda v: _to_text(v).rstrip(),
    "strip_html": lambda v: re.sub(r"<[^>]*>", "", _to_text(v)),
    "strip_newlines": lambda v: _to_text(v).replace("\n", ""),
    "escape": lambda v: html.escape(_to_text(v)),
    "xml_escape": lambda v: html.escape(_to_text(v)),
    "cgi_escape": lambda v: quote_plus(_to_text(v)),
    "uri_escape": lambda v: quote(_to_text(v), safe="/:?#[]@!$&'()*+,;="),
    "url_encode": lambda v: quote_plus(_to_text(v)),
    "slugify": lambda v: re.sub(r"[^a-z0-9]+", "-", _to_text(v).lower()).strip("-"),
    "markdownify": _to_text,
    "smartify": _to_text,
    "jsonify": _to_text,
    "date": lambda v, fmt="": _to_text(v),
    "date_to_string": _to_text,
    "date_to_long_string": _to_text,
    "size": lambda v: len(v) if isinstance(v, (str, list, tuple, dict)) else 0,
    "first": lambda v: v[0] if v else None,
    "last": lambda v: v[-1] if v else None,
    "join": lambda v, sep=" ": _to_text(sep).join(_to_text(x) for x in v) if isinstance(v, (list, tuple)) else _to_text(v),
    "split": lambda v, sep: _to_text(v).split(_to_text(sep)),
    "number_of_words": lambda v: len(_to_text(v).split()),
    "truncate": lambda v, n=50, end="...": _to_text(v) if len(_to_text(v)) <= int(n) else _to_text(v)[:max(0, int(n) - len(end))] + end,
}

#: ``site.*`` keys that name the site's root: empty when unset, as a root-relative path needs.
_SITE_ROOT_KEYS = frozenset({"baseurl", "url", "github", "base"})


def _note_link(renderer: _Renderer, arguments: str, match: re.Match[str]) -> str:
    """``{% post_url 2019-03-20-name %}`` and ``{% link _posts/x.md %}``: a link to that note,
    which the link stage resolves; a ``#fragment`` written after the tag follows it."""
    target = arguments.split()[0].strip("\"'") if arguments.split() else ""
    return NOTE_LINK_SCHEME + target if target else ""


def _include(renderer: _Renderer, arguments: str, match: re.Match[str]) -> str:
    """al-folio's and Jekyll themes' common includes; any other include is reported and removed."""
    name, _, rest = arguments.partition(" ")
    name = name.strip("\"'")
    values = {key: re.sub(r"\\([\"'])", r"\1", raw[1:-1]) if raw[:1] in "\"'" else renderer.value(raw, match)
              for key, raw in _ARGUMENT.findall(rest)}
    source = values.get("path") or values.get("url") or values.get("src") or values.get("file") or values.get("id")
    caption = _to_text(values.get("caption") or values.get("description"))
    if name in _FIGURE_INCLUDES | _VIDEO_INCLUDES | _YOUTUBE_INCLUDES and not source:
        renderer.warn(f"include:{name}", match, f"Liquid include {name!r} names no path: removed")
        return ""
    if name in _FIGURE_INCLUDES:
        return figure_html(_relative_url(source), caption, _to_text(values.get("alt") or values.get("title")),
                           _to_text(values.get("class")), _to_text(values.get("width")))
    if name in _YOUTUBE_INCLUDES:
        video = html.escape(_to_text(source))
        return f'<a class="video-link" href="https://www.youtube.com/watch?v={video}">▶ YouTube video {video}</a>'
    if name in _VIDEO_INCLUDES:
        source = _relative_url(source)
        return (f'<figure class="video"><video src="{html.escape(source)}" controls></video>'
                + (f"<figcaption>{caption}</figcaption>" if caption else "") + "</figure>")
    renderer.warn(f"include:{name}", match, f"Liquid include {name!r} is not supported: removed")
    return ""


def figure_html(src: str, caption: str = "", alt: str = "", css_class: str = "", width: str = "", link: str = "") -> str:
    """One ``<figure>`` on one line: an image (linking to ``link`` if given), its caption (HTML, as
    written) below it."""
    attributes = f' class="{html.escape(css_class)}"' if css_class else ""
    size = f' width="{html.escape(width)}"' if width else ""
    image = f'<img src="{html.escape(src)}" alt="{html.escape(alt)}"{size}>'
    if link:
        image = f'<a href="{html.escape(link)}">{image}</a>'
    from .htmlbody import render_math_in_html  # here: reading a note without Liquid needs none of it

    caption_html = f"<figcaption>{render_math_in_html(caption, '', 1)[0]}</figcaption>" if caption else ""
    return f"<figure{attributes}>{image}{caption_html}</figure>"


def _details(renderer: _Renderer, arguments: str, match: re.Match[str]) -> str:
    """al-folio's ``{% details title %}``: a ``<details>`` block whose body is Markdown."""
    summary = arguments.strip().strip("\"'")
    return f"<details><summary>{html.escape(summary)}</summary>\n"


def _assign(renderer: _Renderer, arguments: str, match: re.Match[str]) -> str:
    """``{% assign name = value | filters %}``: remembered for the rest of the note."""
    name, equals, expression = arguments.partition("=")
    if equals and re.fullmatch(r"[A-Za-z_][\w-]*", name.strip()) and _EXPRESSION.fullmatch(expression.strip()):
        renderer.assigned[name.strip()] = renderer.evaluate(expression.strip(), match)
    return ""


def _cite(renderer: _Renderer, arguments: str, match: re.Match[str]) -> str:
    """jekyll-scholar's ``{% cite a b --file refs %}``: a Pandoc citation the citation plugin renders."""
    keys = [word for word in arguments.split("--")[0].split() if word]
    return "[" + "; ".join(f"@{key}" for key in keys) + "]" if keys else ""


_TAGS: dict[str, Callable[[_Renderer, str, re.Match[str]], str]] = {
    "post_url": _note_link,
    "link": _note_link,
    "include": _include,
    "include_relative": _include,
    "details": _details,
    "enddetails": lambda renderer, arguments, match: "\n</details>",
    "cite": _cite,
    "assign": _assign,
    "citation": _cite,
}
