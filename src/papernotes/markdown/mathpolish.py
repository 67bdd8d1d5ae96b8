"""latex2mathml's MathML, adjusted so a MathML Core browser with an OpenType MATH font draws what TeX draws.

Each rule mends one gap seen side by side with KaTeX: limits of big operators and ``\\lim``-like
names go under and over in display style (``movablelimits`` keeps them as scripts inline); ``\\hat``
uses the modifier circumflex (ASCII ``^`` draws as a second chevron); ``\\infty`` is an identifier
(so ``-\\infty`` is a sign, not a subtraction); ``\\max`` without limits is a name, not an operator
spaced on both sides; named functions are followed by a thin space; a display integral's upper
limit clears the slanted sign; and ``aligned`` (which the converter does not know) is read as
``split``, its display-style twin.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

_NS = "http://www.w3.org/1998/Math/MathML"
_ALIGNED = re.compile(r"\\(begin|end)\{aligned\}")
#: Operators whose limits TeX sets under and over in display style.
_LARGE_OPERATORS = set("∑∏∐⋃⋂⨁⨂⨀⨄⨆⋁⋀")
_LIMIT_NAMES = {"lim", "liminf", "limsup", "lim inf", "lim sup", "max", "min", "sup", "inf", "det", "Pr", "gcd"}
_FUNCTION_NAMES = {"log", "ln", "exp", "sin", "cos", "tan", "sec", "csc", "cot", "sinh", "cosh", "tanh", "arcsin",
                   "arccos", "arctan", "lg", "deg", "dim", "ker", "hom", "arg", "tr", "Tr", "diag", "rank", "sgn"}
_INTEGRALS = set("∫∬∭∮∯∰")
_SCRIPTS = {"msub": "munder", "msubsup": "munderover"}
_CHAR_REF = re.compile(r"&#(\d+);")
#: Every rule below starts from an ``<mo>`` or ``<mi>`` whose text is one of these (or a word).
_RULE_TEXTS = _LARGE_OPERATORS | _LIMIT_NAMES | _FUNCTION_NAMES | _INTEGRALS | {"^", "∞"}
_TOKEN_START = re.compile(r"<m[io][\s/>]")
_TOKEN_TEXT = re.compile(r"<m[io](?:\s(?:[^<>\"']|\"[^\"]*\"|'[^']*')*)?>([^<]*)</m[io]>")


def prepare_tex(tex: str) -> str:
    """TeX with environments the converter lacks renamed to an equivalent one it knows."""
    return _ALIGNED.sub(lambda match: f"\\{match.group(1)}{{split}}", tex)


def polish(mathml: str) -> str:
    """The same formula with the adjustments above; unchanged when it is not well-formed XML."""
    if not _may_change(mathml):
        return mathml
    try:
        root = ET.fromstring(mathml)
    except ET.ParseError:
        return mathml
    if not _polish_tree(root):
        return mathml
    ET.register_namespace("", _NS)
    text = ET.tostring(root, encoding="us-ascii", short_empty_elements=True).decode("ascii")
    text = text.removeprefix("<?xml version='1.0' encoding='us-ascii'?>\n")
    return _CHAR_REF.sub(lambda match: f"&#x{int(match.group(1)):05X};", text)


def _may_change(mathml: str) -> bool:
    """False when no rule can apply: no ``<mo>`` or ``<mi>`` holds a text a rule looks for, read
    from the text (most formulas) rather than from a parsed tree."""
    texts = _TOKEN_TEXT.findall(mathml)
    if len(texts) != len(_TOKEN_START.findall(mathml)):  # an element of another shape: parse it
        return True
    return any(_names_a_rule(html.unescape(text).strip()) for text in texts)


def _names_a_rule(text: str) -> bool:
    return text in _RULE_TEXTS or (len(text) > 1 and text.isalpha())


def _polish_tree(root: ET.Element) -> bool:
    changed = False
    display = root.get("display") == "block"
    for parent in root.iter():
        children = list(parent)
        for index, element in enumerate(children):
            tag = _local(element.tag)
            first = element[0] if len(element) else None
            if display and tag in ("msubsup", "msup") and first is not None and _local(first.tag) == "mo" \
                    and first.text in _INTEGRALS and len(element) >= 2:
                upper = element[-1]
                shifted = ET.Element(_qualified("mrow", element.tag))
                shifted.append(ET.Element(_qualified("mspace", element.tag), {"width": "0.45em"}))
                shifted.append(upper)
                element.remove(upper)
                element.append(shifted)
                changed = True
            elif tag in _SCRIPTS and first is not None and _has_limits(first):
                element.tag = _qualified(_SCRIPTS[tag], element.tag)
                first.set("movablelimits", "true")
                changed = True
            elif tag == "mover" and len(element) == 2 and _local(element[1].tag) == "mo" and element[1].text == "^":
                element[1].text = "\u02c6"
                changed = True
            elif tag == "mo" and (element.text or "").isalpha() and len(element.text or "") > 1 \
                    and _local(parent.tag) not in ("munder", "munderover", "msub", "msubsup"):
                element.tag = _qualified("mi", element.tag)  # \max(a, b): a name, not an operator spaced on both sides
                changed = True
            elif tag == "mo" and element.text == "∞":
                element.tag = _qualified("mi", element.tag)
                changed = True
            elif tag == "mi" and element.text in _FUNCTION_NAMES and index + 1 < len(children) \
                    and _local(children[index + 1].tag) in ("mi", "mn", "msub", "msup", "msubsup", "mfrac"):
                thin = ET.Element(_qualified("mspace", element.tag), {"width": "0.1667em"})
                parent.insert(list(parent).index(element) + 1, thin)
                changed = True
    return changed


def _has_limits(element: ET.Element) -> bool:
    return _local(element.tag) == "mo" and (element.text or "").strip() in (_LARGE_OPERATORS | _LIMIT_NAMES)


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _qualified(name: str, like: str) -> str:
    """``name`` in the namespace of the tag ``like``."""
    return like[: like.index("}") + 1] + name if like.startswith("{") else name
