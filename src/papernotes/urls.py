"""Slugs, permalinks and the mapping from a URL to a file inside the output folder.

Every URL the site uses is a site-relative path such as ``/notes/x/``; only these
functions turn one into a file path, and they refuse anything that could leave the
output folder or that an operating system would reject.
"""

from __future__ import annotations

import re
import unicodedata
from posixpath import normpath

from .model import NoteDate

MAX_SEGMENT = 120
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
_SAFE_SEGMENT = re.compile(r"^[\w.~+-]+$", re.UNICODE)


class UnsafeURL(ValueError):
    """A slug or permalink that would escape the output folder or name an invalid file."""


def slugify(text: str, fallback: str = "note") -> str:
    """A lowercase, hyphenated, URL- and file-safe form of ``text``."""
    text = unicodedata.normalize("NFKC", text).lower().replace("'", "").replace("’", "")
    slug = _NON_WORD.sub("-", text).strip("-_")[:80].strip("-_")
    if not slug or slug.split(".")[0] in _WINDOWS_RESERVED:
        slug = f"{fallback}-{slug}" if slug else fallback
    return slug


def check_slug(slug: str) -> str:
    """Accept a user-given slug only if it is one safe path segment."""
    return _check_segment(unicodedata.normalize("NFKC", str(slug)).strip(), "slug")


def _check_segment(segment: str, what: str) -> str:
    if segment in ("", ".", "..") or not _SAFE_SEGMENT.match(segment):
        raise UnsafeURL(f"{what} {segment!r} must be a single path segment of letters, digits, '.', '-', '_' or '~'")
    if len(segment.encode("utf-8")) > MAX_SEGMENT:
        raise UnsafeURL(f"{what} {segment[:40]!r}… is longer than {MAX_SEGMENT} bytes")
    if segment.split(".")[0].lower() in _WINDOWS_RESERVED:
        raise UnsafeURL(f"{what} {segment!r} is a reserved file name on Windows")
    return segment


def check_url(url: str) -> str:
    """Normalise a site-relative URL path, refusing traversal and unsafe segments."""
    url = unicodedata.normalize("NFKC", str(url)).strip()
    if "\\" in url or "\x00" in url or "://" in url:
        raise UnsafeURL(f"permalink {url!r} must be a path such as /notes/my-note/")
    raw_segments = [s for s in url.split("/") if s]
    if any(s in (".", "..") for s in raw_segments):
        raise UnsafeURL(f"permalink {url!r} must not contain '.' or '..' segments")
    for segment in raw_segments:
        _check_segment(segment, "permalink segment")
    path = normpath("/" + "/".join(raw_segments))
    if path == "/":
        return "/"
    trailing = url.endswith("/") or not _has_extension(raw_segments[-1])
    return path + "/" if trailing else path


#: A link to another note by its source name (``{% post_url %}``, ``{{< relref >}}``), resolved once
#: every note is known.
NOTE_LINK_SCHEME = "pn-note:"

#: Files hosts read by name, which have no extension but are files, not folders.
EXTENSIONLESS_FILES = frozenset({"_redirects", "_headers", "CNAME"})


def _has_extension(segment: str) -> bool:
    return segment in EXTENSIONLESS_FILES or bool(re.search(r"\.[A-Za-z0-9]{1,8}$", segment))


def expand_permalink(pattern: str, slug: str, date: NoteDate | None) -> str:
    """Fill a pattern like ``/{year}/{month}/{day}/{slug}.html`` for one note."""
    fields = {"slug": slug, "year": "", "month": "", "day": ""}
    if date is not None:
        fields["year"] = f"{date.value.year:04d}"
        if date.precision != "year":
            fields["month"] = f"{date.value.month:02d}"
        if date.precision in ("day", "time"):
            fields["day"] = f"{date.value.day:02d}"
    url = pattern.format(**fields)
    return check_url(re.sub(r"/{2,}", "/", url))


def output_file(url: str) -> str:
    """The file, relative to the output folder, that serves ``url``."""
    path = check_url(url)
    if path.endswith("/"):
        return (path + "index.html").lstrip("/")
    return path.lstrip("/")
