"""Third-party HTML (feed items) made safe with nh3, keeping text formatting and MathML."""

from __future__ import annotations

import functools
import re

import nh3

from ..text import folded

_TEXT_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "details", "dfn", "div",
    "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins",
    "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub", "summary",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul", "var",
}
_MATHML_TAGS = {
    "math", "semantics", "annotation", "mrow", "mi", "mo", "mn", "ms", "mtext", "mspace", "msup", "msub",
    "msubsup", "mfrac", "msqrt", "mroot", "mstyle", "mtable", "mtr", "mtd", "munder", "mover", "munderover",
    "menclose", "mpadded", "mphantom", "merror", "mfenced", "mmultiscripts", "mprescripts", "none",
}
_MATHML_ATTRIBUTES = {
    "display", "mathvariant", "displaystyle", "scriptlevel", "encoding", "stretchy", "fence", "separator",
    "lspace", "rspace", "accent", "accentunder", "columnalign", "rowspacing", "columnspacing", "linethickness",
    "notation", "minsize", "maxsize", "movablelimits", "largeop", "symmetric", "form", "width", "height", "depth",
}
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "code": {"class"},
    "pre": {"class"},
    "span": {"class"},
    "div": {"class"},
    **{f"h{level}": {"id"} for level in range(1, 7)},
    **{tag: _MATHML_ATTRIBUTES for tag in _MATHML_TAGS},
}


def sanitize_html(html: str) -> str:
    """Keep a tight allow-list of formatting, links (``rel="noopener nofollow"``), images,
    tables, code and MathML; drop scripts, styles, event handlers, iframes and
    ``javascript:``/``data:`` URLs. A link to nowhere (``href=""``) is text."""
    return without_empty_links(_cleaner().clean(html))


@functools.cache
def _cleaner() -> nh3.Cleaner:
    """The sanitizer, made once: ``nh3.clean`` makes one from its options at every call, which
    takes eight times as long as cleaning a short item."""
    return nh3.Cleaner(
        tags=_TEXT_TAGS | _MATHML_TAGS,
        clean_content_tags={"script", "style"},
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener nofollow",
        strip_comments=True,
    )


_EMPTY_HREF = re.compile(r"""(<a\b[^>]*?)\s+href\s*=\s*(["'])\s*\2""", re.IGNORECASE)


def without_empty_links(html: str) -> str:
    """``<a href="">`` (a Markdown ``[text]()``, an unset template variable) without its ``href``:
    shown as text rather than as a link to the page itself."""
    return _EMPTY_HREF.sub(r"\1", html) if "href" in html else html


_SCRIPT_URL = re.compile(r"""(\s(?:href|src|action|formaction|xlink:href|poster|data)\s*=\s*["']?)\s*"""
                         r"""(?:javascript|vbscript|data(?!:image/(?:png|gif|jpe?g|webp);))\s*:""", re.IGNORECASE)
_DATA_SCHEME = re.compile(r"data\s*:")  # in folded text: the one scheme word common in prose and attribute names


def neutralise_script_urls(html: str) -> str:
    """``javascript:``, ``vbscript:`` and non-image ``data:`` URLs in attributes become ``#``
    (for the site's own raw HTML, which is otherwise trusted). The case-insensitive pattern is
    run only when the folded text holds a scheme (substring tests, far quicker over a page)."""
    lowered = folded(html)
    if "javascript" not in lowered and "vbscript" not in lowered and not _DATA_SCHEME.search(lowered):
        return html
    return _SCRIPT_URL.sub(lambda m: m.group(1) + "#blocked:", html)
