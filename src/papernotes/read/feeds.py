"""RSS 2.0, Atom 1.0 and RSS 1.0 (RDF) feeds: one note per item, with sanitized HTML."""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import html
import re
from dataclasses import dataclass, replace
from typing import Any, Callable, Sequence
from urllib.parse import parse_qsl, urlsplit

from ..config import FeedSource
from .frontmatter import FrontMatter, tags_of
from .htmlbody import absolute_urls, body_from_html, mathjax_scripts_to_tex, render_math_in_html
from ..model import Diagnostic, Note, NoteDate, ReadResult, Severity
from ..markdown.plaintext import summarize
from ..markdown.sanitize import sanitize_html
from ..urls import slugify
from .common import ReadContext, SourceFile, humanise, make_note

_ENTITY_DECLARATION = re.compile(r"<!ENTITY", re.IGNORECASE)
_ITEM_START = re.compile(r"<(?:\w+:)?(?:item|entry)[\s>/]")
_ITEM_END = re.compile(r"</(?:\w+:)?(?:item|entry)\s*>")
_BASE_ATTRIBUTE = re.compile(r"\s(?:xml:)?base\s*=", re.IGNORECASE)
_GENERIC_SEGMENTS = {"index", "post", "posts", "entry", "item", "p", "blog", "article", "articles", "feed", "view"}
_EXTENSION = re.compile(r"\.(html?|php|aspx?|xml)$", re.IGNORECASE)
_DATE_KEYS = ("published", "updated", "created")


@dataclass(frozen=True)
class FeedItem:
    """What a note is made of, taken from one parsed item: plain values, so that the item can be
    read in another process than the one that parsed the feed."""

    index: int
    line: int  # where the item starts in the feed
    slug: str  # from its link, id or title; made unique within the feed by ``parse`` ("" for an empty item, skipped)
    identity: str  # what tells it from another item of the same slug
    title: str  # as the feed gives it (HTML entities and all)
    content: str
    base: str  # what the content's relative URLs are relative to: its ``xml:base``, else the item's link
    dates: tuple[NoteDate | None, NoteDate | None, NoteDate | None]  # published, updated, created
    unread_dates: tuple[tuple[str, str], ...]  # (key, text) of the dates that could not be read
    tags: tuple[str, ...]
    author: str | None
    link: str | None

    @property
    def empty(self) -> bool:
        return not self.title.strip() and not self.content.strip()


@dataclass(frozen=True)
class FeedItems:
    """A parsed feed whose items are still to be read. Each item is read on its own, so reading
    the runs of ``runs()`` anywhere and joining their results in order is reading them all."""

    source: SourceFile  # without its text: the items hold all they need
    settings: FeedSource
    items: tuple[FeedItem, ...]
    problems: tuple[Diagnostic, ...] = ()  # the feed's own, reported before its items'

    def runs(self, count: int) -> tuple[FeedItems, ...]:
        """The items in ``count`` runs of about equal length (the first keeps the feed's problems)."""
        size = max(1, -(-len(self.items) // max(1, count)))
        return tuple(replace(self, items=self.items[start:start + size], problems=self.problems if start == 0 else ())
                     for start in range(0, len(self.items), size)) or (self,)

    @property
    def size(self) -> int:
        """Characters of content the items hold: what reading them costs."""
        return sum(len(item.content) for item in self.items)


def read(source: SourceFile, context: ReadContext) -> ReadResult:
    """Every item of the feed as a note; a feed that cannot be parsed at all is one error."""
    parsed = parse(source, context)
    return parsed if isinstance(parsed, ReadResult) else read_items(parsed, context)


@dataclass(frozen=True)
class FeedPart:
    """Consecutive items of a feed as a feed of their own, between the feed's head and tail, to
    be parsed in another process."""

    text: str
    first: int  # the index of its first item in the feed
    count: int  # how many items it holds
    settings: FeedSource


#: Parses parts of a feed, in order, somewhere (a pool of processes): each part's items, or None
#: for a part that does not parse cleanly to its items alone.
PartParser = Callable[[Sequence[FeedPart]], Sequence["tuple[FeedItem, ...] | None"]]


def parse(source: SourceFile, context: ReadContext, parts: tuple[int, PartParser] | None = None) -> ReadResult | FeedItems:
    """The feed's items, still to be read with ``read_items``; a feed that cannot be parsed at
    all is one error, one without items a warning. ``parts``: (how many, how) to parse the feed
    in parts, when it can be cut into feeds that parse to the same items as the whole does."""
    declaration = _ENTITY_DECLARATION.search(source.text)
    if declaration:
        line = source.text.count("\n", 0, declaration.start()) + 1
        return ReadResult((), (Diagnostic("error", source.shown, line, 1, "feed declares XML entities (<!ENTITY …>); "
                                          "refused, as entity expansion and external entities are unsafe"),))
    settings = context.config.feeds.get(source.stem) or FeedSource()
    if parts is not None:
        count, parse_parts = parts
        pieces = split(source.text, count, settings)
        parsed = parse_parts(pieces) if pieces else ()
        if parsed and all(items is not None for items in parsed):
            return _feed_items(source, settings, [item for items in parsed if items is not None for item in items], ())
    parsed_feed = _parse(source.text)
    entries = parsed_feed.get("entries", [])
    broken = parsed_feed.get("bozo_exception") if parsed_feed.get("bozo") else None
    if not entries:
        if broken is not None:
            return ReadResult((), (_parse_error(source, broken, "error", "cannot read feed"),))
        return ReadResult((), (Diagnostic("warning", source.shown, 1, 1, "feed has no items"),))
    problems: list[Diagnostic] = []
    from feedparser import CharacterEncodingOverride  # loaded by ``_parse``

    if broken is not None and not isinstance(broken, CharacterEncodingOverride):
        problems.append(_parse_error(source, broken, "warning", f"feed is not well-formed XML (its {len(entries)} "
                                                                 f"item{'s' if len(entries) != 1 else ''} recovered by a lenient parse are read)"))
    return _feed_items(source, settings, [_item(entry, index, settings) for index, entry in enumerate(entries)], problems)


def split(text: str, count: int, settings: FeedSource) -> tuple[FeedPart, ...]:
    """The feed's items in ``count`` parts, each the feed's head, some items and its tail; none
    when the feed cannot be cut so: fewer than two items, or an ``xml:base`` among the items
    (feedparser carries a base on past the element that set it, which only the whole feed shows).
    A part cut wrongly (an item start found in a comment or CDATA) does not parse cleanly, or not
    to as many items as it was cut for: ``parse_part`` says None and the whole feed is parsed."""
    starts = [match.start() for match in _ITEM_START.finditer(text)]
    end = max((match.end() for match in _ITEM_END.finditer(text, starts[-1])), default=-1) if starts else -1
    if len(starts) < 2 or count < 2 or end < 0 or _BASE_ATTRIBUTE.search(text, starts[0], end):
        return ()
    head, tail, size = text[:starts[0]], text[end:], -(-len(starts) // count)
    bounds = [*starts, end]
    return tuple(FeedPart(head + text[bounds[first]:bounds[min(first + size, len(starts))]] + tail, first,
                          min(size, len(starts) - first), settings) for first in range(0, len(starts), size))


def parse_part(part: FeedPart) -> tuple[FeedItem, ...] | None:
    """The items of a part of a feed, or None when it does not parse cleanly to as many items as
    it was cut for."""
    parsed = _parse(part.text)
    entries = parsed.get("entries", [])
    if parsed.get("bozo") or len(entries) != part.count:
        return None
    return tuple(_item(entry, part.first + offset, part.settings) for offset, entry in enumerate(entries))


def _parse(text: str) -> Any:
    """The feed as feedparser reads it, its HTML as the feed holds it: feedparser's own resolving of
    relative URLs writes every item's HTML again through an SGML parser, which drops MathJax
    scripts wrapped in ``<![CDATA[`` and costs a tenth of reading a feed; ``absolute_urls``
    resolves them after sanitizing instead."""
    import feedparser  # here: a site without feeds need not load it

    text = _DECLARED_ENCODING.sub(r"\1\2utf-8\2", text, count=1)  # decoded already: a UTF-16 feed said so
    return feedparser.parse(text, sanitize_html=False, resolve_relative_uris=False)


#: The encoding an XML declaration names, which the text (decoded from it) no longer has.
_DECLARED_ENCODING = re.compile(r"""\A(\ufeff?\s*<\?xml\b[^>]*?\bencoding\s*=\s*)(["'])[^"']*\2""")


def _feed_items(source: SourceFile, settings: FeedSource, items: list[FeedItem], problems: Sequence[Diagnostic]) -> FeedItems:
    """The items with the line each starts on and a slug unique within the feed."""
    lines = _item_lines(source.text)
    used: set[str] = set()
    for position, item in enumerate(items):
        line = lines[item.index] if item.index < len(lines) else 1
        slug = "" if item.empty else _unique(item.slug, item.identity, used)
        items[position] = replace(item, line=line, slug=slug)
    return FeedItems(replace(source, text=""), settings, tuple(items), tuple(problems))


def read_items(feed: FeedItems, context: ReadContext) -> ReadResult:
    """A note for each of the feed's items that has a title or content, with the problems met."""
    notes: list[Note] = []
    problems = list(feed.problems)
    for item in feed.items:
        if item.empty:
            problems.append(Diagnostic("warning", feed.source.shown, item.line, 1,
                                       f"item {item.index + 1} has neither title nor content; skipped"))
            continue
        result = _read_item(feed.source, feed.settings, context, item)
        notes.extend(result.notes)
        problems.extend(_at_line(d, item.line) for d in result.diagnostics)
    return ReadResult(tuple(notes), tuple(problems))


def _item(entry: Any, index: int, settings: FeedSource) -> FeedItem:
    """The facts of a parsed item its note is made of (its line and unique slug still to come)."""
    dates = tuple(_date(entry, key) for key in _DATE_KEYS)
    unread = tuple((key, raw) for key, date in zip(_DATE_KEYS, dates)
                   if date is None and isinstance(raw := dict.get(entry, key), str) and raw.strip())
    identity = str(entry.get("id") or entry.get("link") or entry.get("title"))
    content, base = _content(entry)
    link = entry.get("link") or None
    return FeedItem(index, 1, _item_slug(entry, index), identity, entry.get("title", ""), content,
                    base or (link if link and _is_web_url(link) else ""), (dates[0], dates[1], dates[2]), unread,
                    tags_of([t.get("term") or t.get("label") for t in entry.get("tags", [])], list(settings.tags)),
                    entry.get("author") or None, link)


def _item_lines(text: str) -> list[int]:
    """The line each item starts on, counted in one pass over the feed."""
    lines, line, counted = [], 1, 0
    for match in _ITEM_START.finditer(text):
        line += text.count("\n", counted, match.start())
        counted = match.start()
        lines.append(line)
    return lines


def _read_item(source: SourceFile, settings: FeedSource, context: ReadContext, item: FeedItem) -> ReadResult:
    title = " ".join(html.unescape(item.title).split())
    label = f"item {item.index + 1}" + (f" ({title[:60]!r})" if title else "")
    body_html = absolute_urls(sanitize_html(mathjax_scripts_to_tex(item.content)), item.base)
    body_html, problems = render_math_in_html(body_html, source.shown, 1, context.markdown.convert_tex)
    problems = [_name_item(p, label) for p in problems]
    for key, raw in item.unread_dates:
        problems.append(Diagnostic("warning", source.shown, 1, 1, f"{label}: cannot read its {key} date {raw[:60]!r}"))
    body = body_from_html(body_html)
    published, updated, created = item.dates
    front = FrontMatter(
        title=title or summarize(body.html)[:80] or humanise(item.slug),
        date=published or updated or created,
        updated=updated,
        tags=item.tags,
        author=item.author,
        meta={"canonical_is_original": settings.canonical},
    )
    result = make_note(source, context, front, body, item=item.index, slug_hint=item.slug,
                       original_url=item.link if _is_web_url(item.link) else None)
    return ReadResult(result.notes, (*problems, *(_name_item(d, label) for d in result.diagnostics)))


def _content(entry: Any) -> tuple[str, str]:
    """Full content (``content:encoded``, Atom ``content``) before ``description``/``summary``, as
    HTML, with the ``xml:base`` in force where it stood ("" for none)."""
    for content in entry.get("content", []):
        if content.get("value"):
            value = content["value"]
            return html.escape(value) if content.get("type") == "text/plain" else value, content.get("base") or ""
    summary = entry.get("summary", "")
    detail = entry.get("summary_detail", {})
    return html.escape(summary) if detail.get("type") == "text/plain" else summary, detail.get("base") or ""


def _date(entry: Any, key: str) -> NoteDate | None:
    parsed = dict.get(entry, f"{key}_parsed")  # not entry.get: it maps updated to published
    if not parsed:
        return None
    try:
        return NoteDate(dt.datetime.fromtimestamp(calendar.timegm(parsed), dt.timezone.utc), "time")
    except (ValueError, OverflowError, OSError, TypeError):  # a year feedparser accepts but datetime cannot hold
        return None


def _item_slug(entry: Any, index: int) -> str:
    """A slug that survives re-imports: from the item's link or guid, never its position."""
    for candidate in (entry.get("link"), entry.get("id")):
        slug = _slug_from_url(candidate) if candidate else None
        if slug:
            return slug
    title = entry.get("title")
    if title:
        return slugify(html.unescape(title))
    digest = hashlib.sha1((entry.get("summary", "") or str(index)).encode("utf-8")).hexdigest()[:10]
    return f"item-{digest}"


def _slug_from_url(url: str) -> str | None:
    parts = urlsplit(url)
    segments = [_EXTENSION.sub("", s) for s in parts.path.split("/") if s]
    meaningful = [s for s in segments if s.lower() not in _GENERIC_SEGMENTS]
    if meaningful:
        last = meaningful[-1]
        if last.isdigit() and len(meaningful) > 1:
            last = f"{meaningful[-2]}-{last}"
        return slugify(last.lstrip("@"))
    for key, value in parse_qsl(parts.query):
        if value:
            return slugify(f"{key}-{value}")
    if not parts.scheme and url.strip():
        return slugify(url)
    return None


def _unique(slug: str, identity: str, used: set[str]) -> str:
    if slug in used:
        digest = hashlib.sha1(identity.encode()).hexdigest()[:8]
        slug = f"{slug}-{digest}"
    used.add(slug)
    return slug


def _is_web_url(url: str | None) -> bool:
    return bool(url) and urlsplit(url).scheme in ("http", "https")


def _name_item(diagnostic: Diagnostic, label: str) -> Diagnostic:
    return Diagnostic(diagnostic.severity, diagnostic.path, diagnostic.line, diagnostic.col,
                      f"{label}: {diagnostic.message}", diagnostic.source_line)


def _at_line(diagnostic: Diagnostic, line: int) -> Diagnostic:
    """An item's diagnostic placed at the line where the item starts, when it has no better place."""
    return replace(diagnostic, line=line) if diagnostic.line == 1 else diagnostic


def _parse_error(source: SourceFile, exc: Any, severity: Severity, what: str) -> Diagnostic:
    """The XML parser's complaint at the parser's own position."""
    line = getattr(exc, "getLineNumber", lambda: 1)() or 1
    col = (getattr(exc, "getColumnNumber", lambda: 0)() or 0) + 1
    if not source.text.startswith("<?xml"):
        line = max(1, line - 1)  # feedparser put an XML declaration line in front
    message = getattr(exc, "getMessage", lambda: str(exc))()
    return Diagnostic(severity, source.shown, line, col, f"{what}: {message}")
