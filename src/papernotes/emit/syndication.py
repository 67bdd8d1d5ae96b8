"""Feeds out (Atom 1.0, JSON Feed 1.1), the sitemap and robots.txt.

Everything here is derived from note dates, never from the clock, so two builds of the
same notes give byte-identical files."""

from __future__ import annotations

import html
import json
import re
from typing import Callable, Iterable, Sequence

from ..config import Config
from ..model import Note, NoteDate
from ..text import unmarked

_RELATIVE_URL = re.compile(r'(\s(?:href|src))="/(?!/)')


def escape(text: str) -> str:
    """XML character data: ``&``, ``<`` and ``>`` escaped, as ``xml.sax.saxutils.escape`` does
    (whose module loads urllib.request, and with it http and ssl: tens of milliseconds a build),
    and the characters XML cannot carry left out (a control character pasted into a note from a
    PDF would make the whole feed unreadable)."""
    text = html.escape(text, quote=False)
    return _NOT_IN_XML.sub("", text) if _NOT_IN_XML.search(text) else text


_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def quoteattr(text: str) -> str:
    """An XML attribute value in its quotes, as ``xml.sax.saxutils.quoteattr`` gives it: line
    ends and tabs as character references, single quotes around a value holding only ``"``."""
    text = escape(text).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in text:
        return f'"{text}"'
    if "'" not in text:
        return f"'{text}'"
    return '"' + text.replace('"', "&quot;") + '"'


def absolute_urls(body: str, origin: str) -> str:
    """Root-relative ``href``/``src`` in a body made absolute, as feed readers need."""
    return _RELATIVE_URL.sub(lambda m: f'{m.group(1)}="{origin}/', body) if origin else body


def _stamp(note: Note) -> NoteDate | None:
    return note.updated or note.date


def _newest(notes: Sequence[Note]) -> str:
    stamps = [s for s in (_stamp(n) for n in notes) if s is not None]
    return max(stamps, key=lambda s: s.seconds()).rfc3339() if stamps else "1970-01-01T00:00:00+00:00"


def atom_feed(notes: Sequence[Note], config: Config, *, title: str, page_url: str, feed_url: str,
              absolute: Callable[[str], str], full_content: bool = True) -> str:
    """An Atom 1.0 document of ``notes`` (already newest first and cut to size); without
    ``full_content`` entries carry their summary and link only."""
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(config.language)}>',
        f"  <title>{escape(title)}</title>",
    ]
    if config.description:
        lines.append(f"  <subtitle>{escape(config.description)}</subtitle>")
    lines += [
        f"  <id>{escape(absolute(feed_url))}</id>",
        f'  <link rel="self" type="application/atom+xml" href={quoteattr(absolute(feed_url))}/>',
        f'  <link rel="alternate" type="text/html" href={quoteattr(absolute(page_url))}/>',
        f"  <updated>{_newest(notes)}</updated>",
        f"  <author><name>{escape(config.author or config.title)}</name></author>",
        '  <generator uri="https://pypi.org/project/papernotes/">papernotes</generator>',
    ]
    origin = config.site_origin  # bodies already carry the base path
    for note in notes:
        url = absolute(note.url)
        stamp = _stamp(note)
        lines.append("  <entry>")
        lines.append(f"    <title>{escape(note.title)}</title>")
        lines.append(f"    <id>{escape(url)}</id>")
        lines.append(f'    <link rel="alternate" type="text/html" href={quoteattr(url)}/>')
        if note.date:
            lines.append(f"    <published>{note.date.rfc3339()}</published>")
        lines.append(f"    <updated>{stamp.rfc3339() if stamp else '1970-01-01T00:00:00+00:00'}</updated>")
        if note.author:
            lines.append(f"    <author><name>{escape(note.author)}</name></author>")
        for tag in note.tags:
            lines.append(f"    <category term={quoteattr(tag)}/>")
        if note.summary:
            lines.append(f"    <summary>{escape(unmarked(note.summary))}</summary>")
        if full_content:
            lines.append(f'    <content type="html">{escape(absolute_urls(note.body.html, origin))}</content>')
        lines.append("  </entry>")
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def json_feed(notes: Sequence[Note], config: Config, *, feed_url: str, absolute: Callable[[str], str]) -> str:
    """A JSON Feed 1.1 document of ``notes``."""
    origin = config.site_origin  # bodies already carry the base path
    items = []
    for note in notes:
        item: dict[str, object] = {"id": absolute(note.url), "url": absolute(note.url), "title": note.title,
                "content_html": absolute_urls(note.body.html, origin)}
        if note.summary:
            item["summary"] = unmarked(note.summary)
        if note.date:
            item["date_published"] = note.date.rfc3339()
        if note.updated:
            item["date_modified"] = note.updated.rfc3339()
        if note.tags:
            item["tags"] = list(note.tags)
        if note.author:
            item["authors"] = [{"name": note.author}]
        if note.original_url:
            item["external_url"] = note.original_url
        items.append(item)
    document = {
        "version": "https://jsonfeed.org/version/1.1", "title": config.title, "home_page_url": absolute("/"),
        "feed_url": absolute(feed_url), "language": config.language, "items": items,
    }
    if config.description:
        document["description"] = config.description
    if config.author:
        document["authors"] = [{"name": config.author}]
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def sitemap(entries: Iterable[tuple[str, NoteDate | None]], absolute: Callable[[str], str]) -> str:
    """``/sitemap.xml`` listing every page URL, with the last change where a note gives it."""
    lines = ['<?xml version="1.0" encoding="utf-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for url, stamp in entries:
        lastmod = f"<lastmod>{stamp.rfc3339()}</lastmod>" if stamp else ""
        lines.append(f"  <url><loc>{escape(absolute(url))}</loc>{lastmod}</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots(absolute: Callable[[str], str]) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {absolute('/sitemap.xml')}\n"
