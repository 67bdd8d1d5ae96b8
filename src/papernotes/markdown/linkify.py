"""linkify-it with a quicker pretest: the same answers as ``LinkifyIt.pretest``, found without
trying its one large pattern at every character of every paragraph.

markdown-it-py asks ``pretest`` about every inline block before it looks for bare links in it.
linkify-it answers with one case-insensitive search for ``(schema test)|(fuzzy host)|@``, whose
schema branch first matches any punctuation or space character: the regex engine runs it at
every position, which took a sixth of a note's Markdown rendering. Here each branch is asked
on its own, after a substring test that it cannot match without: ``@``; a dot then a host
ending; ``localhost`` or ``www.``; a schema name (``http:``, ``//``…) confirmed by the
character before it.
"""

from __future__ import annotations

import re

from linkify_it import LinkifyIt

from ..text import folded

_FLAGS = re.IGNORECASE  # what linkify-it searches with
_NAMED_HOSTS = ("localhost", "www.")


class QuickLinkify(LinkifyIt):  # linkify-it has no type hints (see pyproject: ignore_missing_imports)
    """``LinkifyIt`` whose ``pretest`` asks each branch of its pattern on its own."""

    def _compile(self) -> None:
        super()._compile()
        expressions = self.re
        names = [name for name, value in self._compiled.items() if name and value]
        hosts = ("localhost|www\\.|\\.\\d{1,3}\\.|(?:\\.(?:" + expressions["src_tlds"] + ")(?:"
                 + expressions["src_ZPCc"] + "|>|$))")
        self._quick: _Branches | None = None
        if hosts == expressions["host_fuzzy_test"] and names:  # else another linkify-it: its own pretest
            self._quick = _Branches(tuple(name.lower() for name in names), "|".join(map(re.escape, names)),
                                    expressions["schema_test"], expressions["src_tlds"], expressions["src_ZPCc"])

    def pretest(self, text: str) -> bool:
        """Whether ``text`` may hold a link (``LinkifyIt.pretest``)."""
        if self._quick is None:
            return bool(super().pretest(text))
        return self._quick.pretest(text)

    def test(self, text: str) -> bool:
        """Whether ``text`` holds a link (``LinkifyIt.test``). Each way it finds one (a schema, a
        fuzzy host, an ``@``) is a branch of the pretest, so a text that fails the quick pretest
        (most text around a link in a paragraph that has one) is not searched again."""
        if self._quick is not None and not self._quick.pretest(text):
            return False
        return bool(super().test(text))


class _Branches:
    """The three branches of linkify-it's pretest pattern, each searched only where it can match."""

    def __init__(self, names: tuple[str, ...], schemas: str, schema_test: str, tlds: str, separators: str) -> None:
        self.names = names
        self.schema_start = re.compile(f"(?={schemas})", _FLAGS)  # every start of a schema name, overlapping
        self.schema_test = re.compile(schema_test, _FLAGS)
        self.named_host = re.compile("localhost|www\\.", _FLAGS)
        self.dotted_host = re.compile(f"\\.(?:\\d{{1,3}}\\.|(?:{tlds})(?:{separators}|>|$))", _FLAGS)

    def pretest(self, text: str) -> bool:
        if "@" in text or ("." in text and self.dotted_host.search(text)):
            return True
        lowered = folded(text)
        if any(host in lowered for host in _NAMED_HOSTS) and self.named_host.search(text):
            return True
        if not any(name in lowered for name in self.names):
            return False
        # The schema test matches a schema name at the start, or right after a character it accepts.
        return any(self.schema_test.match(text, max(found.start() - 1, 0)) for found in self.schema_start.finditer(text))
