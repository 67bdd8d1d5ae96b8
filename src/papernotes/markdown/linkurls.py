"""markdown-it's link normalization, answered at once for the links it would leave as they are.

markdown-it-py normalizes every link destination (``MarkdownIt.normalizeLink``): it parses the
URL with mdurl, converts a non-ASCII host to punycode, formats the URL again and percent-encodes
what needs it, some 30 µs a link. Most links a note holds (``https://arxiv.org/abs/…``,
``/notes/…/``, ``#anchor``) come out of that unchanged; ``normalized_link`` knows them by one
pattern and gives them back, and hands every other link to markdown-it. The same goes for the
text of a bare link (``normalizeLinkText``, which decodes rather than encodes), but for a host in
punycode (``xn--``), which that text shows decoded.
"""

from __future__ import annotations

import re

from markdown_it.common.normalize_url import normalizeLink, normalizeLinkText

# What markdown-it returns unchanged: an optional ``http(s)://`` (or ``//``) and a lower-case
# ASCII host with no port or user, then a path of characters mdurl never encodes and no colon
# or ``@`` (which mdurl could take for a scheme, port or user), then a query or fragment that
# may hold them too. A path may not begin ``//`` without a host.
_UNCHANGED = re.compile(r"(?:(?:https?:)?//[a-z0-9.-]+(?=[/?#]|$)|(?!//))"
                        r"[A-Za-z0-9\-._~/!$&'()*+,;=]*"
                        r"(?:[?#][A-Za-z0-9\-._~/?#:!$&'()*+,;=@]*)?")


def normalized_link(url: str) -> str:
    """``markdown_it``'s ``normalizeLink(url)``."""
    return url if _UNCHANGED.fullmatch(url) else normalizeLink(url)


def normalized_link_text(url: str) -> str:
    """``markdown_it``'s ``normalizeLinkText(url)``."""
    return url if _UNCHANGED.fullmatch(url) and "xn--" not in url else normalizeLinkText(url)
