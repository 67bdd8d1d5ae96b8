"""Why a build published no notes: no note files found, or every file skipped, counted by reason."""

from __future__ import annotations

import re
from collections import Counter
from typing import Collection, Iterable

from ..model import Diagnostic

_DETAIL = re.compile(r"[:;(]")


def reason_of(diagnostic: Diagnostic) -> str:
    """The kind of a diagnostic, without its details (``invalid YAML``, ``binary file skipped``)."""
    return _DETAIL.split(diagnostic.message, 1)[0].strip() or diagnostic.message


def why_no_notes(files: Collection[str], folder: str, diagnostics: Iterable[Diagnostic]) -> str:
    """One line saying why the note ``files`` (as diagnostics name them) in ``folder`` gave no
    note: each file's first error (else its first warning) is its reason; files with neither
    were drafts or empty."""
    if not files:
        return (f"0 notes: no note files found in {folder} (Markdown, feeds and plain text are read; "
                "hidden folders, assets and site files are not)")
    first: dict[str, Diagnostic] = {}
    for diagnostic in diagnostics:
        if diagnostic.path not in files:
            continue  # about the config, say
        kept = first.get(diagnostic.path)
        if kept is None or (kept.severity != "error" and diagnostic.severity == "error"):
            first[diagnostic.path] = diagnostic
    reasons = Counter(reason_of(d) for d in first.values())
    silent = len(files) - len(first)
    if silent > 0:
        reasons["drafts or published: false (build with --drafts to include them)"] += silent
    counted = ", ".join(f"{count} {reason}" for reason, count in reasons.most_common())
    count = len(files)
    return f"0 notes: {count} file{'s' if count != 1 else ''} found in {folder}, every one skipped: {counted}"
