"""latex2mathml's tokenizer, the same tokens in a third of the time.

latex2mathml splits a formula with one pattern of alternatives and, at every match, collects the
groups that matched by calling a lambda on each of the pattern's twenty-two groups. Most tokens
are a letter, a digit run, a single character or a command, which match one group whose text is
the whole match and which latex2mathml yields as it is; those are yielded here at once
(converting the real collections' formulas takes a sixth less time). Every other match (comments, ``\\verb``, ``\\text{…}``,
dimensions, ``\\begin{…}``, font commands) goes through latex2mathml's own steps, copied below.
``tests/test_textokens.py`` holds the two to the same tokens over real formulas and random text.
The tokenizer changed in latex2mathml 3.79, 3.80 and 3.81.0, so this one stands in only for the
one it copies (``copies_installed``); with any other, latex2mathml keeps its own.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Iterator

from latex2mathml import commands, tokenizer
from latex2mathml.symbols_parser import convert_symbol

#: sha256 of the ``tokenizer.py`` this module copies (latex2mathml 3.81.0 and 3.81.1).
COPIED = "09c491e1299e12ab8059682104be6b7076d402b290c5a8b0bbbec7558a147a8d"
_WHOLE = frozenset({"letter", "number", "escaped"})  # yielded as matched
_NOT_WHOLE = ("\\verb", "\\math")  # commands latex2mathml looks at again (its VERB and MATH, which older versions lack)


def copies_installed() -> bool:
    """Whether the installed latex2mathml's tokenizer is the one this module copies."""
    try:
        return hashlib.sha256(Path(tokenizer.__file__).read_bytes()).hexdigest() == COPIED
    except (OSError, TypeError):  # no source file to read
        return False


def tokenize(latex_string: str, skip_comments: bool = True) -> Iterator[str]:
    """``latex2mathml.tokenizer.tokenize`` (of the version ``COPIED``): the tokens of ``latex_string``."""
    for match in tokenizer.PATTERN.finditer(latex_string):
        kind = match.lastgroup
        if kind in _WHOLE:
            yield match.group()
        elif kind == "command" and not match.group().startswith(_NOT_WHOLE):
            yield match.group()
        elif kind == "char" and match.group() != "%":
            yield match.group()
        else:
            yield from _matched(tuple(group for group in match.groups() if group is not None), skip_comments)


def _matched(tokens: tuple[str, ...], skip_comments: bool) -> Iterator[str]:
    """The tokens of one match of ``PATTERN`` made of ``tokens``, its groups that matched, as
    latex2mathml makes them."""
    if tokens[0].startswith(commands.VERB):
        yield commands.VERB
        yield tokens[2]  # verb_content
        return
    if tokens[0].startswith(commands.MATH) and tokens[0] not in commands.MATH_NON_FONT_COMMANDS:
        symbol = convert_symbol("".join(tokens))
        if symbol:
            yield f"&#x{symbol};"
            return
    for captured in tokens:
        if skip_comments and captured.startswith("%"):
            break
        if captured.endswith(tokenizer.UNITS) and captured[0:1].isdigit():
            yield captured.replace(" ", "")
            continue
        if captured.startswith((commands.BEGIN, commands.END, commands.OPERATORNAME)):
            yield "".join(captured.split(" "))
            continue
        yield captured
