"""TeX → MathML at build time, keeping the TeX source as an annotation."""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

from .mathpolish import polish, prepare_tex

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

_MATH_OPEN = re.compile(r"^<math([^>]*)>")
_COMMENT = re.compile(r"(?<!\\)%.*")
_UNKNOWN_COMMAND = re.compile(r"<m[io][^>]*>(\\[A-Za-z]+)</m[io]>")


#: KaTeX's short aliases, which notes written for KaTeX (velog, many Jekyll themes) use.
KATEX_ALIASES = {
    "reals": r"\mathbb{R}", "Reals": r"\mathbb{R}", "R": r"\mathbb{R}", "N": r"\mathbb{N}", "natnums": r"\mathbb{N}",
    "Z": r"\mathbb{Z}", "C": r"\mathbb{C}", "cnums": r"\mathbb{C}", "Complex": r"\mathbb{C}", "Q": r"\mathbb{Q}",
    "infin": r"\infty", "empty": r"\emptyset", "O": r"\emptyset", "exist": r"\exists", "isin": r"\in",
    "lang": r"\langle", "rang": r"\rangle", "sub": r"\subset", "sube": r"\subseteq", "supe": r"\supseteq",
    "plusmn": r"\pm", "sdot": r"\cdot", "bull": r"\bullet", "larr": r"\leftarrow", "rarr": r"\rightarrow",
    "lrarr": r"\leftrightarrow", "Larr": r"\Leftarrow", "Rarr": r"\Rightarrow", "lArr": r"\Leftarrow",
    "rArr": r"\Rightarrow", "Lrarr": r"\Leftrightarrow", "hArr": r"\Leftrightarrow", "harr": r"\leftrightarrow",
    "uarr": r"\uparrow", "darr": r"\downarrow", "alef": r"\aleph", "weierp": r"\wp", "real": r"\Re", "image": r"\Im",
    "argmax": r"\operatorname{argmax}", "argmin": r"\operatorname{argmin}", "arg": r"\operatorname{arg}",
}
_ALIAS = re.compile(r"\\(" + "|".join(sorted(KATEX_ALIASES, key=len, reverse=True)) + r")(?![A-Za-z])")


_TEX_SIGNS = re.compile(r"[\\^_={}+<>|]|^\s*[A-Za-z]\s*$")
#: What MathJax shows but the converters do not know, or show otherwise, rewritten to what they
#: know (or removed); MathJax numbers no equation by default.
_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\\(?:label|require)\s*\{[^{}]*\}|\\(?:nonumber|notag)(?![A-Za-z])"), ""),
    (re.compile(r"(\\\\)\s*\[[^\]]*\]"), r"\1"),  # ``\\[5pt]``: row spacing
    (re.compile(r"\\newline(?![A-Za-z])"), r"\\\\"),  # a row break in MathJax
    (re.compile(r"\\begin\{(?:equation|displaymath|math)\*?\}|\\end\{(?:equation|displaymath|math)\*?\}"), ""),
    (re.compile(r"\\begin\{eqnarray\*?\}"), r"\\begin{array}{rcl}"),
    (re.compile(r"\\end\{eqnarray\*?\}"), r"\\end{array}"),
    (re.compile(r"\\(begin|end)\{(align|gather|multline)\}"), r"\\\1{\2*}"),
)
#: latex2mathml's ``\operatorname``, which it does not know.
_OPERATOR_NAMES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\\operatorname\*\s*\{([^{}]*)\}"), r"\\mathop{\\mathrm{\1}}\\limits"),
    (re.compile(r"\\operatorname\s*\{([^{}]*)\}"), r"\\mathop{\\mathrm{\1}}"),
)
#: A command each rewrite above needs: without one, none applies.
_REWRITTEN = re.compile(r"\\(?:label|require|nonumber|notag|begin|end|newline|\\)")


#: An HTML character reference written in a note's TeX (``X_1, &hellip;``, ``a &lt; b``).
_CHARACTER_REFERENCE = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});")


def references_decoded(tex: str) -> str:
    """A Markdown note's TeX as MathJax read it from the page: the note went to HTML first, so the
    browser had decoded ``&hellip;`` or ``&lt;`` before MathJax saw the formula (a TeX ``&`` is
    followed by a space or a symbol, never by a name and ``;``)."""
    return _CHARACTER_REFERENCE.sub(lambda match: html.unescape(match[0]), tex) if "&" in tex else tex


def looks_like_tex(text: str) -> bool:
    """For ``\\(…\\)`` and ``\\[…\\]``, which Markdown writers also use for escaped
    brackets: only content with TeX signs (a command, ``^``, ``_``, ``=``, braces…) or a lone
    variable counts as math, so ``\\[1\\]`` stays a bracketed 1."""
    return bool(_TEX_SIGNS.search(text))


@dataclass(frozen=True)
class Converted:
    """A formula as MathML, with the TeX commands that were not known (shown as upright text)."""

    mathml: str
    unknown: tuple[str, ...] = ()


def tex_to_mathml(tex: str, display: bool,
                  converter: Callable[[str, bool], Converted] | None = None) -> tuple[str, str | None]:
    """Convert ``tex`` to a ``<math>`` element, with a warning when something was guessed.

    Unknown commands are shown as upright text (``\\err`` → err) and named in the warning;
    raises ValueError when the converter cannot handle the formula at all. ``converter`` stands
    in for ``convert_tex`` (one that remembers formulas)."""
    converted = (converter or convert_tex)(tex, display)
    if not converted.unknown:
        return converted.mathml, None
    return converted.mathml, f"unknown TeX command {', '.join(converted.unknown)} in {tex.strip()[:60]!r}, shown as text"


def convert_tex(tex: str, display: bool) -> Converted:
    """``tex`` as MathML with its unknown commands; raises ValueError when it cannot be converted.
    math-core converts it (in Rust, a thirtieth of latex2mathml's time, into the MathML Core that
    browsers draw), commands neither converter knows shown as upright text; a formula it refuses
    otherwise (a command only latex2mathml knows, a symbol typed as itself) goes to latex2mathml."""
    source = _ALIAS.sub(lambda m: KATEX_ALIASES[m.group(1)], _COMMENT.sub("", tex).strip())
    if _REWRITTEN.search(source):
        for pattern, replacement in _REWRITES:
            source = pattern.sub(replacement, source)
        source = source.strip()
    if not source:
        return Converted("")
    converted, unknown = _core(source, display) or _latex2mathml(source, display, tex)
    match = _MATH_OPEN.match(converted)
    if not match or not converted.endswith("</math>"):
        raise ValueError(f"cannot render math {tex.strip()[:60]!r}")
    inner = converted[match.end():-len("</math>")]
    annotation = f'<annotation encoding="application/x-tex">{html.escape(tex.strip(), quote=False)}</annotation>'
    if "href=" in inner:  # ``\\href{javascript:…}{x}``: a link of the formula's, kept only to a safe place
        from .sanitize import neutralise_script_urls  # here: seldom needed, and it loads the sanitizer

        inner = neutralise_script_urls(inner)
    return Converted(f"<math{match.group(1)}><semantics><mrow>{inner}</mrow>{annotation}</semantics></math>", unknown)


def _core(source: str, display: bool) -> tuple[str, tuple[str, ...]] | None:
    """math-core's MathML of ``source`` (its named character references written as the
    characters, which XML feeds take) and the commands it did not know, shown as text; None
    when it refuses the formula otherwise, or latex2mathml's MathML, adjusted, draws it closer
    to TeX (``_LATEX2MATHML_DRAWS_BETTER``)."""
    if _latex2mathml_draws_better(source) or _nesting(source) > CORE_NESTING:
        return None
    unknown: list[str] = []
    while len(unknown) <= CORE_UNKNOWN:
        try:
            converted = core_converter().convert_with_local_state(source, displaystyle=display)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # its LatexError, or a panic of the Rust code (which is not an Exception)
            named = _UNKNOWN_IN_ERROR.search(str(exc))
            if named is None or named[1] in unknown or _latex2mathml_knows(named[1]):
                return None
            unknown.append(named[1])
            source = _as_text(source, named[1])
            continue
        if "&" in converted or "<<" in converted:
            converted = _well_formed(converted)
        if display and "^" in source and _INTEGRAL.search(source):
            converted = polish(converted)  # a display integral's upper limit, set on the sign's slanted top
        return converted, tuple(sorted(unknown))
    return None


CORE_UNKNOWN = 20  # commands math-core does not know, each shown as text, before latex2mathml is asked
_UNKNOWN_IN_ERROR = re.compile(r'Unknown command "(\\[A-Za-z]+)"')


def _latex2mathml_knows(command: str) -> bool:
    """Whether latex2mathml draws ``command`` (``\\href``, ``\\mbox``, ``\\thicksim``), which math-core does not know."""
    from latex2mathml import commands, symbols_parser

    return command in commands.CONVERSION_MAP or symbols_parser.convert_symbol(command) is not None


def _as_text(source: str, command: str) -> str:
    """``source`` with the command ``command`` written as upright text (``\\err`` → err)."""
    return re.sub(re.escape(command) + r"(?![A-Za-z])", rf"\\text{{{command[1:]}}}", source)


#: What math-core draws unlike TeX in Chromium, side by side with latex2mathml's MathML as
#: ``mathpolish`` adjusts it: ``\\vec``'s arrow (a combining one, set beside the letter), the
#: brackets of a matrix (their glyphs assembled with a gap), in text a space after ``\\%`` or
#: the like (dropped, as TeX keeps it), and ``\\cancel``'s strokes (drawn by a stylesheet, which
#: Chromium sets askew; latex2mathml's draws none).
_LATEX2MATHML_DRAWS_BETTER = re.compile(r"\\(?:vec|[bx]?cancel|sout)(?![A-Za-z])|\\begin\{[pbBvV]?matrix\}"
                                        r"|\\(?:text[a-z]*|[mh]box)\s*\{[^{}]*\\[#$%&_{}]\s")
#: An integral sign, whose upper limit in display style Chromium sets on the sign's slanted top.
_INTEGRAL = re.compile(r"\\(?:i{1,3}nt|oint)(?![A-Za-z])")


def _latex2mathml_draws_better(source: str) -> bool:
    """Whether latex2mathml's MathML, adjusted, draws ``source`` closer to TeX than math-core's."""
    return "\\" in source and _LATEX2MATHML_DRAWS_BETTER.search(source) is not None


#: Groups (braces, ``\\left``, ``\\begin``) deeper than this go to latex2mathml: math-core's Rust
#: recursion takes a thread's whole stack at some thousands (the process ends, nothing to catch),
#: on a platform whose threads have small stacks at some hundreds; no real formula nests so deep.
CORE_NESTING = 100
_GROUPING = re.compile(r"(\{|\\left(?![A-Za-z])|\\begin(?![A-Za-z]))|\}|\\right(?![A-Za-z])|\\end(?![A-Za-z])")


def _nesting(source: str) -> int:
    """How deep the groups of ``source`` nest (at most: an escaped brace counts too)."""
    if source.count("{") + source.count("\\left") + source.count("\\begin") <= CORE_NESTING:
        return 0  # not enough openings to nest past the limit
    depth = deepest = 0
    for match in _GROUPING.finditer(source):
        depth += 1 if match.group(1) else -1
        deepest = max(deepest, depth)
    return deepest


def _well_formed(mathml: str) -> str:
    """math-core's MathML as XML (feeds) takes it: its named character references (``&ApplyFunction;``)
    written as the characters, and a ``&`` or ``<`` of the formula it left raw escaped (the one
    character of ``\\operatorname<`` or ``\\operatorname\\&``)."""
    mathml = _NAMED_REFERENCE.sub(lambda match: html.unescape(match[0]), mathml)
    return _RAW_LESS_THAN.sub("&lt;", _RAW_AMPERSAND.sub("&amp;", mathml))


#: A named character reference other than XML's own five.
_NAMED_REFERENCE = re.compile(r"&(?!(?:amp|lt|gt|quot|apos);)[A-Za-z][A-Za-z0-9]*;")
_RAW_LESS_THAN = re.compile(r"<(?![A-Za-z/])")  # a ``<`` that begins no tag


@functools.cache
def core_converter() -> Any:
    """math-core's converter, made when first asked for (a process about to fork readers asks
    first, so that they share it), its errors told as plain text."""
    from math_core import LatexToMathML

    return LatexToMathML(fancy_error=False)


def _latex2mathml(source: str, display: bool, tex: str) -> tuple[str, tuple[str, ...]]:
    """latex2mathml's MathML of ``source`` and the commands it did not know, shown as text."""
    if "\\operatorname" in source:
        for pattern, replacement in _OPERATOR_NAMES:
            source = pattern.sub(replacement, source)
    converted = _convert(source, display, tex)
    unknown = tuple(sorted(set(_UNKNOWN_COMMAND.findall(converted))))
    if unknown:
        for command in unknown:
            source = _as_text(source, command)
        converted = _convert(source, display, tex)
    return converted, unknown


@functools.cache
def load_converter() -> Callable[..., Element]:
    """latex2mathml's ``convert_to_element``, imported when first asked for (by a process that
    meets a formula math-core leaves to it; most builds never load it). Its
    walker looks its tokenizer up by name at each formula: ``textokens.tokenize`` is put there,
    the same tokens in a third of the time, when the installed tokenizer is the one it copies."""
    from latex2mathml import walker
    from latex2mathml.converter import convert_to_element

    from . import textokens

    if textokens.copies_installed():
        walker.tokenize = textokens.tokenize
    return convert_to_element


def _convert(source: str, display: bool, tex: str) -> str:
    try:
        return polish(mathml_text(load_converter()(prepare_tex(source), display="block" if display else "inline")))
    except Exception as exc:  # latex2mathml raises many exception types for bad input
        raise ValueError(f"cannot render math {tex.strip()[:60]!r}: {_reason(exc)}") from None


def mathml_text(element: Element) -> str:
    """``element`` (a tree of latex2mathml's) written as MathML. latex2mathml's own ``convert``
    escapes the tree as XML, then unescapes ``&amp;``, ``&lt;`` and ``&gt;`` again to keep the
    character references it puts in text (``&#x003B8;``): so the text of ``\\text{<b>}`` came out
    as a ``<b>`` tag, and ``\\text{<script>…}`` as a script, in pages and in sanitized feeds.
    Here text keeps its references and escapes every other ``&``, ``<`` and ``>``; attribute values
    are escaped as XML. Written without ElementTree's general serializer, a fifth of the time of
    converting a formula. Tags are plain names (no namespace) in latex2mathml's trees. The text
    of ``\\text{…}`` loses the backslash of its escaped characters (``\\#``, ``\\%``, ``\\_``…), which
    latex2mathml keeps and MathJax does not show."""
    out: list[str] = []

    def write(node: Element) -> None:
        tag = node.tag
        if not isinstance(tag, str) or "{" in tag:
            raise TypeError(f"not a plain element: {tag!r}")
        out.append("<" + tag)
        for name, value in node.items():
            out.append(f' {name}="{_escaped(value, attribute=True)}"')
        text = node.text
        if text and tag == "mtext" and "\\" in text:  # latex2mathml keeps ``\text{\# words}``'s escapes
            text = _TEXT_ESCAPE.sub(r"\1", text)
        if text or len(node):
            out.append(">")
            if text:
                out.append(_escaped(text))
            for child in node:
                write(child)
            out.append(f"</{tag}>")
        else:
            out.append(" />")
        if node.tail:
            out.append(_escaped(node.tail))

    write(element)
    return "".join(out)


_TEXT_ESCAPE = re.compile(r"\\([#$%&_{}])")  # in text mode, as MathJax shows them: the character
_RAW_AMPERSAND = re.compile(r"&(?!#[0-9]+;|#[xX][0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;)")
_ATTRIBUTE_ESCAPES = {'"': "&quot;", "\r": "&#13;", "\n": "&#10;", "\t": "&#09;"}


def _escaped(text: str, attribute: bool = False) -> str:
    """``text`` with its character references kept and every other ``&``, ``<`` and ``>``
    escaped (and in an attribute value ``"`` and line-break characters)."""
    if "&" in text:
        text = _RAW_AMPERSAND.sub("&amp;", text)
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if attribute:
        for character, escape in _ATTRIBUTE_ESCAPES.items():
            if character in text:
                text = text.replace(character, escape)
    return text


def _reason(exc: Exception) -> str:
    """``MissingSuperScriptOrSubscriptError()`` → ``missing super script or subscript``."""
    if str(exc):
        return str(exc)
    words = re.sub(r"(?<!^)(?=[A-Z])", " ", type(exc).__name__.removesuffix("Error"))
    return words.lower() or "invalid TeX"


def tex_fallback(tex: str, display: bool) -> str:
    """The TeX source shown as code when it cannot be converted."""
    tag = "pre" if display else "code"
    return f'<{tag} class="math-error" title="this formula could not be rendered">{html.escape(tex)}</{tag}>'
