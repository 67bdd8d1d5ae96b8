"""Attribute lists as kramdown, Pandoc and Hugo write them: ``{: #id .class key="value" ref}``.

One parser for block and span IALs, ALDs and heading attributes, and one rule for which
attributes a published page keeps:

- ``id`` (made safe as an HTML id) and ``class`` (each name made safe) are kept everywhere;
- ``width``, ``height``, ``alt`` and ``title`` are kept (they matter on images and tables);
- ``style`` keeps only its ``text-align`` declaration (captions written
  ``{: style="text-align:center; font-size: small;"}`` stay centred); any other style, and every
  other attribute (``target``, event handlers…), is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping

_PART = re.compile(r"""\s*(?:(?P<id>\#[^\s{}"'#.]+)|(?P<cls>\.[^\s{}"'#.]+)|(?P<key>[A-Za-z_][\w:.-]*)=(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'}]+))|(?P<ref>[A-Za-z][\w-]*))""")
_SAFE_NAME = re.compile(r"[^\w-]")
_TEXT_ALIGN = re.compile(r"(?:^|;)\s*text-align\s*:\s*(left|right|center|justify)\s*(?:;|$)", re.IGNORECASE)
KEPT = frozenset({"width", "height", "alt", "title"})


@dataclass(frozen=True)
class Attributes:
    """What an attribute list says: id, classes, other key/values and names of ALDs it uses."""

    id: str | None = None
    classes: tuple[str, ...] = ()
    pairs: tuple[tuple[str, str], ...] = ()
    refs: tuple[str, ...] = ()

    def resolved(self, definitions: Mapping[str, "Attributes"]) -> "Attributes":
        """This list with the ALDs it names merged in (its own attributes win)."""
        base = Attributes()
        for ref in self.refs:
            if ref in definitions:
                base = base.merged(definitions[ref])
        return base.merged(Attributes(self.id, self.classes, self.pairs))

    def merged(self, other: "Attributes") -> "Attributes":
        return Attributes(other.id or self.id, tuple(dict.fromkeys(self.classes + other.classes)),
                          tuple({**dict(self.pairs), **dict(other.pairs)}.items()), self.refs + other.refs)

    def html(self) -> dict[str, str]:
        """The attributes a page keeps (see the module docstring), as name → value."""
        kept: dict[str, str] = {}
        pairs = dict(self.pairs)
        classes = list(self.classes) + pairs.pop("class", "").split()
        element_id = self.id or pairs.pop("id", None)
        if element_id and _SAFE_NAME.sub("", element_id):
            kept["id"] = _SAFE_NAME.sub("-", element_id)
        safe_classes = [name for name in (_SAFE_NAME.sub("", c) for c in classes) if name]
        if safe_classes:
            kept["class"] = " ".join(dict.fromkeys(safe_classes))
        for key, value in pairs.items():
            if key.lower() in KEPT:
                kept[key.lower()] = value
        align = _TEXT_ALIGN.search(pairs.get("style", ""))
        if align:
            kept["style"] = f"text-align: {align.group(1).lower()}"
        return kept


def parse_attributes(text: str) -> Attributes | None:
    """The attribute list inside the braces (without ``{:``/``{`` and ``}``); ``None`` when
    ``text`` is not entirely an attribute list."""
    position, ident, classes, pairs, refs = 0, None, [], [], []
    text = text.strip()
    while position < len(text):
        match = _PART.match(text, position)
        if match is None or match.end() == position:
            return None
        if match.group("id"):
            ident = match.group("id")[1:]
        elif match.group("cls"):
            classes.append(match.group("cls")[1:])
        elif match.group("key"):
            value = next(v for v in (match.group("dq"), match.group("sq"), match.group("bare")) if v is not None)
            pairs.append((match.group("key"), value))
        else:
            refs.append(match.group("ref"))
        position = match.end()
        while position < len(text) and text[position] in " \t":
            position += 1
    return Attributes(ident, tuple(classes), tuple(pairs), tuple(refs))


def apply(token_attrs: dict[str, str | int | float], attributes: dict[str, str]) -> None:
    """Put ``attributes`` on a token's attrs, adding classes to the ones it has."""
    for name, value in attributes.items():
        if name == "class" and token_attrs.get("class"):
            token_attrs["class"] = " ".join(dict.fromkeys(f"{token_attrs['class']} {value}".split()))
        else:
            token_attrs[name] = value
