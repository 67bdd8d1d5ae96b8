"""BibTeX parsed by bibtexparser, as the registry reads it: only the fields it uses, their LaTeX
decoded, authors split into name parts. Imported only when a site has a bibliography."""

from __future__ import annotations

import functools
import logging
from typing import Any

import bibtexparser
from bibtexparser import Library, middlewares
from pylatexenc.latex2text import LatexNodes2Text

# The BibTeX fields the registry reads; a reference manager's export carries many more (file
# paths, keywords, notes), and decoding their LaTeX would cost seconds for nothing.
_BIB_FIELDS = frozenset({"title", "author", "year", "date", "journal", "journaltitle", "booktitle", "publisher", "abstract",
                         "doi", "url", "eprint", "arxiv", "archiveprefix", "eprinttype", "note", "howpublished", "id"})


# Left as written: long, and shown only for the papers the notes mention (``PaperMeta.shown``).
_UNDECODED = frozenset({"abstract"})


@functools.cache
def _decoder() -> LatexNodes2Text:
    return LatexNodes2Text()


def decode_latex(text: str) -> str:
    """``text`` with its LaTeX decoded as pylatexenc does (accents, dashes, ``\\&``, math as text);
    as written where pylatexenc cannot (groups nested deeper than Python's recursion limit)."""
    try:
        return _decoder().latex_to_text(text)
    except Exception:  # RecursionError among them: its parser recurses into each group
        return text


class _KeepFields(middlewares.BlockMiddleware):
    """Drop the fields the registry does not read and decode the LaTeX of the others but the
    abstract (only where there is any: pylatexenc takes milliseconds a value)."""

    def __init__(self) -> None:
        super().__init__(allow_inplace_modification=True)

    def transform_entry(self, entry: Any, *args: Any) -> Any:
        for field_ in list(entry.fields):
            key = field_.key.lower()
            if key not in _BIB_FIELDS:
                entry.pop(field_.key)
            elif key not in _UNDECODED and isinstance(field_.value, str) and "\\" in field_.value:
                field_.value = decode_latex(field_.value)
        return entry


def quiet_bibtexparser() -> None:
    """bibtexparser logs each bad entry; papernotes reports them as positioned diagnostics instead."""
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)


def parse_bib(text: str) -> Library:
    """The entries of ``text`` (and the blocks that failed), with ``quiet_bibtexparser``."""
    quiet_bibtexparser()
    return bibtexparser.parse_string(
        text, append_middleware=[_KeepFields(), middlewares.SeparateCoAuthors(), middlewares.SplitNameParts()])
