"""TeX → MathML at build time, keeping the TeX source as an annotation."""

from __future__ import annotations

import html
import re

from latex2mathml.converter import convert

_MATH_OPEN = re.compile(r"^<math([^>]*)>")


def tex_to_mathml(tex: str, display: bool) -> str:
    """Convert ``tex`` to a ``<math>`` element; raises ValueError when the converter cannot."""
    try:
        converted = convert(tex.strip(), display="block" if display else "inline")
    except Exception as exc:  # latex2mathml raises many exception types for bad input
        raise ValueError(f"cannot render math {tex.strip()[:60]!r}: {exc or type(exc).__name__}") from None
    match = _MATH_OPEN.match(converted)
    if not match or not converted.endswith("</math>"):
        raise ValueError(f"cannot render math {tex.strip()[:60]!r}")
    inner = converted[match.end():-len("</math>")]
    annotation = f'<annotation encoding="application/x-tex">{html.escape(tex.strip(), quote=False)}</annotation>'
    return f"<math{match.group(1)}><semantics><mrow>{inner}</mrow>{annotation}</semantics></math>"


def tex_fallback(tex: str, display: bool) -> str:
    """The TeX source shown as code when it cannot be converted."""
    tag = "pre" if display else "code"
    return f'<{tag} class="math-error" title="this formula could not be rendered">{html.escape(tex)}</{tag}>'
