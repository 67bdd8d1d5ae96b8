"""Template syntax papernotes does not render (an unknown Liquid tag or filter, a Hugo shortcode
it does not know) is reported once per name for the whole site, at its first use, with the
number of other notes that use it: a site using one theme tag in every post gets one warning."""

from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from ..model import Diagnostic

#: Ends the message of every such warning; the rest of the message names the tag.
NOT_SUPPORTED = " is not supported"


def once_per_site(diagnostics: Sequence[Diagnostic]) -> Sequence[Diagnostic]:
    """``diagnostics`` with each 'not supported' warning kept at its first note only, counting
    the others (``diagnostics`` itself when it holds none)."""
    if not any(NOT_SUPPORTED in diagnostic.message for diagnostic in diagnostics):
        return diagnostics
    seen: dict[str, int] = {}
    paths: dict[str, set[str]] = {}
    for index, diagnostic in enumerate(diagnostics):
        if diagnostic.severity == "warning" and NOT_SUPPORTED in diagnostic.message:
            seen.setdefault(diagnostic.message, index)
            paths.setdefault(diagnostic.message, set()).add(diagnostic.path)
    kept = []
    for index, diagnostic in enumerate(diagnostics):
        first = seen.get(diagnostic.message) if diagnostic.severity == "warning" else None
        if first is None:
            kept.append(diagnostic)
        elif first == index:
            others = len(paths[diagnostic.message]) - 1
            kept.append(replace(diagnostic, message=diagnostic.message + f" (also in {others} other note"
                                f"{'s' if others > 1 else ''})") if others else diagnostic)
    return kept
