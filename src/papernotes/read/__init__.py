"""The read stage: find the note files of a site, decode them, recognise their format by content,
and read each into a ``Note`` (one per feed item).

This module discovers and sniffs; the readers are ``markdown`` (Markdown with YAML/TOML/JSON front
matter: ``frontblock``, ``frontmatter``), ``feeds`` (RSS/Atom; bodies by ``htmlbody``) and ``text``
(plain-text logs), sharing ``common``. Imported sites' template
syntax is rendered before Markdown sees it: ``liquid`` (Jekyll), ``shortcodes`` (Hugo), ``distill``,
``sitevars``; ``unsupported`` reports what is not. ``site`` reads a whole site (in parallel),
``emptysite`` explains a build that found no notes.
"""

from __future__ import annotations

import codecs
import datetime as dt
import importlib
import os
import re
import subprocess
from dataclasses import dataclass, replace
from itertools import pairwise
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from ..extensions import ReaderRule
from .frontmatter import has_front_matter
from .liquid import has_liquid
from ..model import Diagnostic, ReadResult
from ..filedigests import read_regular
from ..sitefiles import MARKER, extension_of, in_git_checkout
from ..text import name_text
from .common import ReadContext, SourceFile
from ..walks import WalkMemo, real_folder, walk as walk_folders, walked

Reader = Callable[[SourceFile, ReadContext], ReadResult]


@dataclass(frozen=True)
class _Imported:
    """The ``read`` of a reader module, imported when a file is first read with it: a build whose
    notes all come from the read cache loads no Markdown, feed or text machinery."""

    module: str

    def __call__(self, source: SourceFile, context: ReadContext) -> ReadResult:
        reader: Reader = importlib.import_module(self.module, __package__).read
        return reader(source, context)


read_feed, read_markdown, read_text = _Imported(".feeds"), _Imported(".markdown"), _Imported(".text")

#: Files that belong to the site but are not notes (images, data, the paper registry).
ASSET_SUFFIXES = frozenset(
    ".png .jpg .jpeg .gif .svg .webp .avif .ico .bmp .tif .tiff .pdf .mp4 .webm .mp3 .ogg .wav "
    ".zip .gz .tar .css .js .mjs .map .woff .woff2 .ttf .otf .bib .yaml .yml .json .toml .csv .ipynb .py".split()
)
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd"})
SKIPPED_DIRS = frozenset({"node_modules", "site", "public", "__pycache__"})
#: Jekyll's folders that never hold notes; its output ``_site`` is skipped beside a ``_config.yml``.
JEKYLL_DIRS = frozenset({"_layouts", "_includes", "_sass", "_data", "_plugins", "_config"})
SKIPPED_NAMES = frozenset({"papernotes.yaml", "LICENSE", "CNAME"})
#: Jekyll renders these through Liquid into site files (``feed.xml``, ``sitemap.xml``, ``404.html``);
#: with front matter they are templates of the site, not notes.
TEMPLATE_SUFFIXES = frozenset({".html", ".htm", ".xml", ".rss", ".atom", ".liquid", ".xsl", ".txt", ".webmanifest"})
#: Beside a Jekyll ``_config.yml``, the README describes the repository, not the site.
_README = re.compile(r"^readme(\.[^.]+)?$", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"^<\?xml[^>]*encoding=[\"']([A-Za-z0-9._-]+)[\"']")
_FEED_START = re.compile(r"^\s*(<\?xml|<rss[\s>]|<feed[\s>]|<rdf:RDF[\s>])", re.IGNORECASE)


def discover(content_dir: Path, exclude: Iterable[Path] = (), memo: WalkMemo | None = None) -> list[str]:
    """Every candidate note file below ``content_dir`` by its path (as text: a site's state keeps
    the list, and text loads in a tenth of the time Path objects take), sorted, skipping hidden
    files, the output and cache folders, any other folder a build wrote (``sitefiles.MARKER``:
    a site built into the notes folder, such as ``docs/`` for GitHub Pages), assets and site
    files (and a Jekyll site's README)."""
    excluded = {os.fspath(p.resolve()) for p in exclude}
    content = os.fspath(content_dir)
    real = os.path.realpath(content)

    def walk() -> tuple[list[str], list[str]]:
        found, folders = [], []
        for root, dirs, files in walk_folders(content_dir):
            real_root = real_folder(real, content, root)
            folders.append(root)  # a built site's too: the walk is taken again once its marker goes
            if MARKER in files and root != content:  # a site built into the notes folder (``-o docs``)
                dirs[:] = []
                continue
            jekyll_root = os.path.isfile(os.path.join(root, "_config.yml"))
            jekyll_output = {"_site"} if jekyll_root else set()
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED_DIRS
                             and d not in JEKYLL_DIRS and d not in jekyll_output
                             and os.path.join(real_root, d) not in excluded)
            inside = os.path.join(root, "")
            found += [inside + name for name in files if not name.startswith(".") and name not in SKIPPED_NAMES
                      and extension_of(name) not in ASSET_SUFFIXES and not (jekyll_root and _README.match(name))]
        return folders, sorted(found)

    return walked(memo, f"notes:{content_dir}", walk)


#: The byte order marks of UTF-32 (first: its little-endian mark begins as UTF-16's) and UTF-16.
_WIDE_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
              (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode(data: bytes) -> str | None:
    """Text of a file: UTF-8 with or without BOM, UTF-16 or UTF-32 with their BOM (as Windows
    editors save), else the encoding an XML prolog declares. ``None`` for binary or
    undecodable data. Line endings become ``\\n``."""
    wide = next((name for bom, name in _WIDE_BOMS if data.startswith(bom)), None)
    if wide is not None:
        try:
            return data.decode(wide).replace("\r\n", "\n").replace("\r", "\n")
        except UnicodeDecodeError:
            return None
    if b"\x00" in data[:8192]:
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        match = _XML_ENCODING.match(data)
        if not match:
            return None
        try:
            text = data.decode(codecs.lookup(match.group(1).decode("ascii")).name)
        except (LookupError, UnicodeDecodeError):
            return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def is_site_template(text: str, suffix: str) -> bool:
    """A Jekyll page that is not Markdown: front matter over HTML, XML or Liquid (``feed.xml``,
    ``404.html``)."""
    suffix = suffix.lower()
    return has_front_matter(text) and suffix in TEMPLATE_SUFFIXES and (suffix != ".txt" or has_liquid(text))


def is_feed(text: str, suffix: str) -> bool:
    return _FEED_START.match(text) is not None


def is_markdown(text: str, suffix: str) -> bool:
    """Front matter (of a file with any extension), else a Markdown extension."""
    return has_front_matter(text) or suffix.lower() in MARKDOWN_SUFFIXES


def is_anything(text: str, suffix: str) -> bool:
    return True


def read_template(source: SourceFile, context: ReadContext) -> ReadResult:
    """A site template (``feed.xml`` with front matter and Liquid) is no note: noted, not published."""
    return ReadResult((), (Diagnostic("info", source.shown, 1, 1, "site template (front matter over HTML, XML or "
                                      "Liquid), not a note: not published"),))


#: Every reader with the rule that picks it, by content first, then by extension: the first rule
#: that claims a file reads it (a site's own readers, from ``plugins:``, are tried before these).
READERS: tuple[ReaderRule, ...] = (
    ReaderRule("template", is_site_template, read_template),
    ReaderRule("markdown", lambda text, suffix: has_front_matter(text), read_markdown),
    ReaderRule("feed", is_feed, read_feed),
    ReaderRule("markdown", is_markdown, read_markdown),
    ReaderRule("text", is_anything, read_text),
)


def reader_for(text: str, suffix: str, readers: Sequence[ReaderRule] = READERS) -> ReaderRule:
    """The first rule of ``readers`` that claims the text (the last built-in one claims any)."""
    return next((rule for rule in readers if rule.claims(text, suffix)), READERS[-1])


def sniff(text: str, suffix: str) -> str:
    """``markdown``, ``feed``, ``text`` or ``template``: the kind of reader a file calls for."""
    return reader_for(text, suffix).kind


def read_path(path: Path, rel: str, context: ReadContext, readers: Sequence[ReaderRule] = READERS) -> ReadResult:
    """Read one file with the first reader whose rule claims its content."""
    source = open_source(path, rel, context)
    if isinstance(source, ReadResult):
        return source
    return as_drafts(rel, reader_for(source.text, path.suffix, readers).read(source, context))


def open_source(path: Path, rel: str, context: ReadContext) -> SourceFile | ReadResult:
    """The file's decoded text, or why it is not read: over ``max_file_size``, unreadable,
    binary, not UTF-8."""
    shown = str(path)
    try:
        size = path.stat().st_size
        if size > context.config.max_file_size:
            return ReadResult((), (Diagnostic("warning", shown, 1, 1, f"file skipped: {size:,} bytes is over the "
                                              f"{context.config.max_file_size:,}-byte limit (max_file_size)"),))
        data = read_regular(path)
    except OSError as exc:
        return ReadResult((), (Diagnostic("error", shown, 1, 1, f"cannot read file: {exc.strerror}"),))
    text = decode(data)
    if text is None:
        binary = b"\x00" in data[:8192]
        problem = Diagnostic("warning", shown, 1, 1, "binary file skipped") if binary else Diagnostic("error", shown, 1, 1, "not UTF-8 text")
        return ReadResult((), (problem,))
    return SourceFile(path, rel, text)


def as_drafts(rel: str, result: ReadResult) -> ReadResult:
    """The notes of a file in ``_drafts/`` are drafts."""
    if rel.startswith("_drafts/"):
        return replace(result, notes=tuple(replace(n, draft=True) for n in result.notes))
    return result


Bursts = tuple[tuple[int, int], ...]  # the first and last modification time (nanoseconds) of each copy


def takes_file_date(rel: str) -> bool:
    """Whether the file may be dated by its commit or time: a plain-text note may, a Markdown
    file (read as Markdown whatever it holds) never is."""
    return extension_of(rel) not in MARKDOWN_SUFFIXES


def file_dates(content_dir: Path, paths: Iterable[str | Path],
               copies: Bursts | None = None) -> dict[str, tuple[dt.datetime, str]]:
    """For each path (relative to ``content_dir``) that ``takes_file_date``: its last git commit
    date when the folder is a git checkout, else its modification time; with where the date came
    from. A modification time within ``copies`` (by default the bursts ``copy_bursts`` finds among
    those of ``paths``, git's files too) is when the folder was copied or unpacked, not written:
    its origin is ``copy time``, which readers do not take as a date. A site of Markdown notes
    asks git nothing (its history can take longer to walk than its notes to read)."""
    paths = list(paths)
    rels = dict(zip(relative_names(paths, content_dir), paths))
    dated = [rel for rel in rels if takes_file_date(rel)]
    if not dated:
        return {}
    stats = {rel: os.stat(rels[rel]) for rel in (rels if copies is None else dated)}  # bursts: over every file
    bursts = copy_bursts(stat.st_mtime_ns for stat in stats.values()) if copies is None else copies
    in_git = in_git_checkout(os.fspath(content_dir))
    committed = dict(_git_dates(content_dir, sorted(dated) if len(dated) <= 20 else ())) if in_git else {}
    return {rel: (committed[rel], "git commit") if rel in committed else
            (dt.datetime.fromtimestamp(stats[rel].st_mtime, dt.timezone.utc),
             "copy time" if in_bursts(stats[rel].st_mtime_ns, bursts) else "modification time")
            for rel in dated}


def copy_bursts(stamps: Iterable[int], gap: int = 2_000_000_000) -> Bursts:
    """The bursts of modification times (nanoseconds; each within ``gap`` of the previous) that
    hold at least three and at least half of all ``stamps`` (so two at most): a copy, a checkout,
    an unpacked archive."""
    ordered = sorted(stamps)
    ends = [at for at, (before, stamp) in enumerate(pairwise(ordered), 1) if stamp - before > gap]
    least = max(3, len(ordered) / 2)
    return tuple((ordered[start], ordered[end - 1]) for start, end in zip([0, *ends], [*ends, len(ordered)])
                 if end - start >= least)


def in_bursts(stamp: int, bursts: Bursts) -> bool:
    """Whether the modification time ``stamp`` is a copy's."""
    return any(first <= stamp <= last for first, last in bursts)


def relative_names(paths: Sequence[str | Path], folder: Path) -> list[str]:
    """Each path relative to ``folder``, with forward slashes (cheaper than Path.relative_to), as
    text: the bytes of a name that are not UTF-8 written as ``\\xff`` (``name_text``)."""
    prefix = os.path.join(os.fspath(folder), "")
    return [name_text(text[len(prefix):].replace(os.sep, "/") if (text := os.fspath(path)).startswith(prefix)
                      else Path(path).relative_to(folder).as_posix()) for path in paths]



def committed_between(content_dir: Path, before: str, after: str) -> set[str] | None:
    """The files (relative to ``content_dir``) that commits in one of the checkouts ``before``
    and ``after`` and not in the other touched: those whose last commit date may differ between
    them. None when git cannot say (a commit it does not have, as in a shallow clone)."""
    output = _git_log(content_dir, "--format=", f"{before}...{after}", "--", ".")
    return None if output is None else {name for name in output.split("\n") if name}


def _git_log(content_dir: Path, *arguments: str) -> str | None:
    """What ``git log --name-only`` prints in ``content_dir`` (names relative to it, as
    ``relative_names`` gives them); None when git could not answer."""
    try:
        return subprocess.run(
            ["git", "--literal-pathspecs", "-c", "core.quotepath=off", "log", "--name-only", "--relative", *arguments],
            cwd=content_dir, capture_output=True, timeout=60, check=True,
        ).stdout.decode("utf-8", "backslashreplace")
    except (OSError, subprocess.SubprocessError):
        return None


def _git_dates(content_dir: Path, rels: Iterable[str] = ()) -> Iterator[tuple[str, dt.datetime]]:
    """(path relative to content_dir, last commit date) from one ``git log`` run, over the
    given files only when there are few (a rebuild after an edit), else the whole folder."""
    output = _git_log(content_dir, "--format=%x00%cI", "--", *(rels or ["."]))
    if output is None:
        return
    seen: set[str] = set()
    for block in output.split("\x00")[1:]:
        lines = block.strip().split("\n")
        try:
            stamp = dt.datetime.fromisoformat(lines[0])
        except ValueError:
            continue
        for name in lines[1:]:
            if name and name not in seen:
                seen.add(name)
                yield name, stamp
