"""distill.pub's elements in al-folio posts (``layout: distill``), turned into what papernotes
renders itself: ``<d-cite key="a,b">`` a Pandoc citation ``[@a; @b]`` (resolved through the
site's bibliographies, with a reference list), ``<d-footnote>`` an inline footnote ``^[…]``,
``<d-math>`` a formula (``block`` for display), ``<d-code>`` code (``block``: a highlighted
block); the ``authors:`` list of the front matter gives
the note's author line, with affiliations."""

from __future__ import annotations

import re

_CITE = re.compile(r"<d-cite\s+(?:[^>]*?\s)?key\s*=\s*([\"'])(?P<keys>[^\"']*)\1[^>]*>\s*(?:</d-cite>)?", re.IGNORECASE)
_FOOTNOTE = re.compile(r"<d-footnote\s*>(?P<text>.*?)</d-footnote>", re.IGNORECASE | re.DOTALL)
_CODE = re.compile(r"<d-code(?P<block>\s+block)?(?:\s+language\s*=\s*[\"']?(?P<language>[\w+#.-]*)[\"']?)?[^>]*>"
                   r"(?P<code>.*?)</d-code>", re.IGNORECASE | re.DOTALL)
_MATH = re.compile(r"<d-math(?P<block>\s+block)?[^>]*>(?P<tex>.*?)</d-math>", re.IGNORECASE | re.DOTALL)


def has_distill(text: str) -> bool:
    """True when ``text`` uses distill's elements."""
    return "<d-" in text or "<D-" in text


def convert_distill(text: str) -> str:
    """Markdown with distill's citation, footnote and math elements written as Markdown."""
    text = _CITE.sub(lambda m: "[" + "; ".join(f"@{key.strip()}" for key in m["keys"].split(",") if key.strip()) + "]", text)
    text = _FOOTNOTE.sub(lambda m: "^[" + re.sub(r"\s*\n\s*", " ", m["text"].strip()) + "]", text)
    text = _CODE.sub(_code, text)
    return _MATH.sub(lambda m: f"$${m['tex'].strip()}$$" if m["block"] else f"${m['tex'].strip()}$", text)


def _code(match: re.Match[str]) -> str:
    """``<d-code block language="js">`` a fenced block; without ``block``, inline code."""
    code = match["code"]
    if match["block"]:
        return f"\n```{match['language'] or ''}\n{code.strip(chr(10))}\n```\n"
    fence = "``" if "`" in code else "`"
    return f"{fence}{code.strip()}{fence}"


