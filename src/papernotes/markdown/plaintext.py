"""The plain text of rendered HTML: for summaries, meta tags, feeds and titles.

Each formula is read once, as text a reader understands (``∑ᵢ xᵢ``, ``√(a/b)``), from its
MathML; the TeX kept in ``<annotation>`` never shows. Code keeps its text, footnote marks go.
"""

from __future__ import annotations

import html
import re
import unicodedata
import xml.etree.ElementTree as ET
from functools import lru_cache
from itertools import chain, islice
from typing import Iterator

from ..text import CODE_MARK
from .math import tex_to_mathml

_MATH = re.compile(r"<math\b.*?</math\s*>", re.IGNORECASE | re.DOTALL)
_ANNOTATION = re.compile(r"<annotation(?:-xml)?\b.*?</annotation(?:-xml)?\s*>", re.IGNORECASE | re.DOTALL)
_FOOTNOTE_REF = re.compile(r"<sup\b[^>]*class=\"footnote-ref\"[^>]*>.*?</sup>", re.IGNORECASE | re.DOTALL)
_DROPPED = re.compile(r"<(script|style|template|button|svg)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_SVG_TAG = re.compile(r"<(/?)svg\b[^>]*>", re.IGNORECASE)  # a drawing may hold drawings (diagrams.net puts MathJax's in)
_FOOTNOTES = re.compile(r"<(section|div)\b[^>]*class=\"footnotes\"[^>]*>.*?</\1>", re.IGNORECASE | re.DOTALL)
_PARAGRAPH = re.compile(r"<p\b[^>]*>.*?</p\s*>", re.IGNORECASE | re.DOTALL)
#: Sentence ends: ., ! or ? (or an ellipsis) before a space and a capital, digit or quote, not after a
#: one-letter initial or a common abbreviation.
_SENTENCE_END = re.compile(r"(?<![A-Z])(?<!\be\.g)(?<!\bi\.e)(?<!\bvs)(?<!\bcf)(?<!\bet al)(?<!\bFig)(?<!\bEq)(?<=[.!?…])\s+(?=[\"“‘(\[]?[A-Z0-9])")
_TERMINATED = re.compile(r"[.!?…:;]['\"”’)]?$")
_CODE = re.compile(r"(<(?:pre|code|kbd|samp)\b.*?</(pre|code|kbd|samp)\s*>)", re.IGNORECASE | re.DOTALL)
_NOT_PROSE = re.compile(r"<(script|style|template|button|svg|math|pre|code|kbd|samp)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TEX_SPAN = re.compile(r"\\\((.+?)\\\)|\\\[(.+?)\\\]|\$\$(.+?)\$\$|(\\begin\{([a-z]+\*?)\}.*?\\end\{\5\})", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
_SPACE_BEFORE_PUNCTUATION = re.compile(r" ([,.;:!?)\]’”])")  # in text whose spaces are single: a first character to skip by

#: A summary is whole sentences of about this many characters.
SUMMARY_SHORTEST = 160
SUMMARY_LONGEST = 300
#: A paragraph this short, of fewer words, without sentence punctuation is a heading-like line.
HEADING_LIKE = 60
PROSE_WORDS = 7
#: Opening paragraphs searched for the first that reads as prose.
OPENING = 6

_SUPERSCRIPTS = str.maketrans("0123456789+-=()niT⊤′", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱᵀᵀ′")
_SUBSCRIPTS = str.maketrans("0123456789+-=()aeiojkrtuvxnm", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑᵢₒⱼₖᵣₜᵤᵥₓₙₘ")
_CAN_SUPERSCRIPT = set("0123456789+-=()niT⊤′")
_CAN_SUBSCRIPT = set("0123456789+-=()aeiojkrtuvxnm")


def summarize(body: str, shortest: int = SUMMARY_SHORTEST, longest: int = SUMMARY_LONGEST) -> str:
    """Whole sentences from the body's first paragraphs, from ``shortest`` up to ``longest``
    characters. Heading-like opening lines ("GPT", "LLM Acceleration", a list of labels) are
    skipped when prose follows them within the first few paragraphs. A first sentence longer
    than ``longest`` is cut at a word with an ellipsis."""
    paragraphs = _paragraphs(_FOOTNOTES.sub("", body))
    opening = list(islice(paragraphs, OPENING))
    start = next((index for index, text in enumerate(opening) if not looks_like_heading(text)), 0)
    summary = ""
    for text in chain(opening[start:], paragraphs):
        for index, sentence in enumerate(_SENTENCE_END.split(text)):
            # fragments (list items, labels) without a full stop are kept apart by a middle dot
            joint = " · " if index == 0 and summary and not _TERMINATED.search(summary) else " "
            candidate = f"{summary}{joint}{sentence}".strip()
            if len(candidate) > longest:
                return summary or _cut(sentence, longest)
            summary = candidate
            if len(summary) >= shortest:
                return summary
    return summary


def _paragraphs(body: str) -> Iterator[str]:
    """The text of each ``<p>``, or the whole text when there is none."""
    found = False
    for match in _PARAGRAPH.finditer(body):
        text = html_to_text(match.group(0), CODE_MARK)
        if text:
            found = True
            yield text
    if not found:
        text = html_to_text(body, CODE_MARK)
        if text:
            yield text


def looks_like_heading(text: str) -> bool:
    """A short line of a few words with no sentence punctuation at its end: a label, not prose."""
    return len(text) <= HEADING_LIKE and len(text.split()) < PROSE_WORDS and not _TERMINATED.search(text)


def _cut(text: str, limit: int) -> str:
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:.-–—(")
    return cut + "…"


def html_to_text(fragment: str, code_mark: str = "") -> str:
    """The text a reader sees in ``fragment``, on one line: formulas as text, tags gone, entities
    decoded; inline code between ``code_mark``s (``text.CODE_MARK`` for a summary shown on a page)."""
    fragment = _DROPPED.sub(" ", _without_drawings(_FOOTNOTE_REF.sub("", fragment)))
    fragment = _MATH.sub(lambda match: " " + html.escape(math_text(match.group(0)), quote=False) + " ", fragment)
    pieces = _CODE.split(fragment)
    text = "".join(_code_text(piece, code_mark if pieces[index + 1].lower() != "pre" else "") if index % 3 == 1
                   else text_with_tex(html.unescape(_TAG.sub(" ", piece)))
                   for index, piece in enumerate(pieces) if index % 3 != 2)
    return _SPACE_BEFORE_PUNCTUATION.sub(r"\1", " ".join(text.split())).strip()  # split() takes what \s does: spaces single


def _code_text(fragment: str, mark: str) -> str:
    code = html.unescape(_TAG.sub(" ", fragment))
    return f"{mark}{code.strip()}{mark}" if mark and code.strip() else code


def prose_words(fragment: str) -> int:
    """How many words of prose ``fragment`` holds, counted as a Markdown body's are: formulas,
    code and what no reader sees left out."""
    return len(html.unescape(_TAG.sub(" ", _NOT_PROSE.sub(" ", _without_drawings(_FOOTNOTE_REF.sub("", fragment))))).split())


def _without_drawings(fragment: str) -> str:
    """``fragment`` with each outermost ``<svg>`` (the drawings it holds with it) as a space: a
    drawing's labels are no prose. One left open stays, as the patterns above leave it."""
    pieces: list[str] = []
    depth = start = kept = 0
    for tag in _SVG_TAG.finditer(fragment):
        if not tag.group(1) and tag.group(0).endswith("/>"):  # an empty drawing holds no label
            continue
        if not tag.group(1):
            if depth == 0:
                start = tag.start()
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                pieces += [fragment[kept:start], " "]
                kept = tag.end()
    return "".join(pieces) + fragment[kept:] if pieces else fragment


def text_with_tex(text: str) -> str:
    """Plain text in which TeX spans (``\\(…\\)``, ``\\[…\\]``, ``$$…$$``, ``\\begin{…}…\\end{…}``) that
    a converter left as text are read as text."""
    return _TEX_SPAN.sub(_tex_span_text, text) if "\\" in text or "$$" in text else text


def _tex_span_text(match: re.Match[str]) -> str:
    return tex_text(next(group for group in match.groups() if group is not None))


def tex_text(tex: str) -> str:
    """TeX as readable text (``\\hat y`` → ``ŷ``), by way of its MathML; the source when it cannot be read."""
    try:
        mathml, _ = tex_to_mathml(tex, display=False)
    except ValueError:
        return tex.strip()
    return math_text(mathml) if mathml else ""


@lru_cache(maxsize=4096)
def math_text(mathml: str) -> str:
    """A ``<math>`` element as readable text: scripts as Unicode super/subscripts where they exist,
    fractions as ``a/b``, roots as ``√x``; its TeX annotation is left out."""
    source = _ANNOTATION.sub("", mathml)
    try:
        root = ET.fromstring(source)
    except ET.ParseError:
        return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", source))).strip()
    return unicodedata.normalize("NFC", _SPACE.sub(" ", _text(root)).strip())


def _text(element: ET.Element) -> str:
    tag = element.tag.rpartition("}")[2]
    if tag in ("mi", "mn", "mo", "mtext", "ms"):  # tokens: their own text, whatever they hold
        text = "".join(element.itertext()).strip()  # ``\\textsf{…}``'s text is in a ``<span>``
        if tag == "mtext":
            return f" {text} "
        if tag == "mo" and text in _INVISIBLE:
            return " " if text == _APPLY_FUNCTION else ""
        if tag == "mo" and text in _SPACED:
            return f" {text} "
        if tag == "mo" and text in (",", ";"):
            return f"{text} "
        return text
    parts = [_text(child) for child in element]
    if tag in ("msub", "munder") and len(parts) == 2:
        return parts[0] + _script(parts[1], _CAN_SUBSCRIPT, _SUBSCRIPTS, "_") + _after(parts[0])
    if tag in ("msup", "mover") and len(parts) == 2:
        if tag == "mover" and parts[1] in _ACCENTS:
            return parts[0] + _ACCENTS[parts[1]]
        return parts[0] + _script(parts[1], _CAN_SUPERSCRIPT, _SUPERSCRIPTS, "^")
    if tag in ("msubsup", "munderover") and len(parts) == 3:
        return (parts[0] + _script(parts[1], _CAN_SUBSCRIPT, _SUBSCRIPTS, "_")
                + _script(parts[2], _CAN_SUPERSCRIPT, _SUPERSCRIPTS, "^") + _after(parts[0]))
    if tag == "mfrac" and len(parts) == 2:
        return f"{_grouped(parts[0])}/{_grouped(parts[1])}"
    if tag == "msqrt":
        return "√" + _grouped("".join(parts))
    if tag == "mroot" and len(parts) == 2:
        return _script(parts[1], _CAN_SUPERSCRIPT, _SUPERSCRIPTS, "^") + "√" + _grouped(parts[0])
    if tag == "mspace":
        return " " if element.get("width", "").endswith("em") else ""
    if tag in ("munder", "munderover", "msubsup", "msub", "msup") and parts:
        return "".join(parts)
    if tag == "mtr":
        return " " + " ".join(parts) + ";"
    if tag in ("annotation", "annotation-xml"):
        return ""
    return "".join(parts)


#: Operators read with a space on each side.
_SPACED = set("=<>≤≥≠≈→←∈∉∼∝≡⇒⟹↦+−×·∪∩⊂⊆⊕⊗∧∨") | {"-", ":="}
_APPLY_FUNCTION = "\u2061"  # ``\\log x``: the name applied to what follows, read as a space
_INVISIBLE = {_APPLY_FUNCTION, "\u2062", "\u2063", "\u2064"}  # invisible times, separator and plus: nothing

_OPERATORS = set("∑∏∐⋃⋂⨁⨂∫∬∭∮")

#: Accents drawn over a letter, as combining characters.
_ACCENTS = {"^": "\u0302", "ˆ": "\u0302", "~": "\u0303", "˜": "\u0303", "¯": "\u0304", "‾": "\u0305",
            "→": "\u20d7", "˙": "\u0307", "¨": "\u0308", "˙˙": "\u0308", "ˇ": "\u030c", "´": "\u0301", "`": "\u0300"}


def _after(base: str) -> str:
    """A space after a big operator or a named one (``∑ᵢ xᵢ``, ``lim aₙ``), none after a letter."""
    return " " if base in _OPERATORS or (len(base) > 1 and base.isalpha()) else ""


def _script(text: str, allowed: set[str], table: dict[int, int], mark: str) -> str:
    text = _SPACE.sub("", text)
    if text and all(character in allowed for character in text):
        return text.translate(table)
    return f"{mark}{_grouped(text)}"


def _grouped(text: str) -> str:
    text = text.strip()
    if len(text) <= 1 or re.fullmatch(r"√?(?:[\w.]+|\(.*\)|\[.*\]|\{.*\})", text):
        return text
    return f"({text})"
