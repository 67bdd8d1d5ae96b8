"""Jekyll leftovers in imported posts: Liquid tags turned into Markdown, or removed with a warning.

``{% highlight lang %}`` becomes a fenced block, ``{% raw %}`` markers disappear,
``{{ site.baseurl }}`` becomes the site root, ``{% post_url name %}`` and ``{% link path %}``
become links to the note, and any other tag is removed with a warning. Text inside
fenced code and ``{% raw %}`` is left alone.
"""

from __future__ import annotations

import re

from .model import Diagnostic

NOTE_LINK_SCHEME = "pn-note:"
_HIGHLIGHT = re.compile(r"\{%-?\s*highlight\s+([\w+#.-]+)[^%]*-?%\}\n?(.*?)\{%-?\s*endhighlight\s*-?%\}", re.DOTALL)
_RAW = re.compile(r"\{%-?\s*raw\s*-?%\}(.*?)\{%-?\s*endraw\s*-?%\}", re.DOTALL)
_TAG = re.compile(r"(?P<code>(`+)[^`]*?\2)|\{%-?\s*(\w+)([^%]*?)-?%\}|\{\{-?\s*([^}]*?)\s*-?\}\}")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})", re.MULTILINE)
_SITE_ROOT = {"site.baseurl", "site.url", "site.github.url", "base", "site.base", "baseurl"}
_RAW_MARK = "\x00pn-raw-{}\x00"


def has_liquid(text: str) -> bool:
    """True when ``text`` holds anything Liquid would process."""
    return "{%" in text or "{{" in text


def convert_liquid(text: str, path: str, first_line: int) -> tuple[str, list[Diagnostic]]:
    """Markdown without Liquid syntax, and a warning for each tag that was dropped."""
    problems: list[Diagnostic] = []
    text = _HIGHLIGHT.sub(lambda m: f"```{m.group(1)}\n{m.group(2).rstrip()}\n```", text)
    raws: list[str] = []

    def keep_raw(match: re.Match[str]) -> str:
        raws.append(match.group(1))
        return _RAW_MARK.format(len(raws) - 1)

    text = _RAW.sub(keep_raw, text)
    pieces = []
    for chunk, is_code in _split_code(text):
        if is_code:
            pieces.append(chunk)
        else:
            offset = sum(p.count("\n") for p in pieces)
            pieces.append(_TAG.sub(lambda m: _replace(m, chunk, path, first_line + offset, problems), chunk))
    text = "".join(pieces)
    for index, raw in enumerate(raws):
        text = text.replace(_RAW_MARK.format(index), raw)
    return text, problems


def _split_code(text: str) -> list[tuple[str, bool]]:
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


def _replace(match: re.Match[str], chunk: str, path: str, first_line: int, problems: list[Diagnostic]) -> str:
    if match.group("code"):
        return match.group(0)
    name, arguments, expression = match.group(3), (match.group(4) or "").strip(), match.group(5)
    if expression is not None:
        variable = expression.split("|")[0].strip()
        if variable in _SITE_ROOT:
            return ""
        what = f"Liquid expression {{{{ {expression} }}}}"
    elif name in ("post_url", "link"):
        return NOTE_LINK_SCHEME + arguments.split()[0] if arguments else ""
    elif name in ("endraw", "raw"):
        return ""
    else:
        what = f"Liquid tag {{% {name} %}}"
    line = first_line + chunk.count("\n", 0, match.start())
    col = match.start() - chunk.rfind("\n", 0, match.start())
    problems.append(Diagnostic("warning", path, line, col, f"{what} is not supported and was removed"))
    return ""
