"""What every reader shares: the source file, the read context, and turning facts into a Note."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Mapping

from ..config import Config
from .frontmatter import FrontMatter
from ..markdown.plaintext import summarize
from ..papers.mentions import papers_in_html
from ..model import Diagnostic, Note, NoteDate, PaperRef, ReadResult, RenderedBody, SourceSpan
from ..papers.identifiers import find_mentions
from ..papers.registry import Lookups, Registry
from .sitevars import SiteSettings
from ..text import name_text
from ..urls import UnsafeURL, check_slug, expand_permalink, slugify

if TYPE_CHECKING:
    from ..markdown.pipeline import MarkdownRenderer

_JEKYLL_NAME = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})[-_ ](?P<slug>.+)$")
#: A folder's own note: GitHub shows ``README.md`` (any case), Jekyll and Quartz serve ``index.md``,
#: Hugo takes ``_index.md`` as a section's introduction.
_FOLDER_NOTE = re.compile(r"^(readme|index|_index)$", re.IGNORECASE)
_DATE_IN_NAME = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})[-_.]?(?P<m>0[1-9]|1[0-2])(?:[-_.]?(?P<d>0[1-9]|[12]\d|3[01]))?(?!\d)")


@dataclass(frozen=True)
class SourceFile:
    """One decoded input file: its path relative to the content folder and its text."""

    path: Path
    rel: str
    text: str

    @property
    def shown(self) -> str:
        """The path as problems carry it (absolute: the same from any current folder;
        ``model.shown_path`` prints it relative to the current one)."""
        return str(self.path)

    @property
    def stem(self) -> str:
        """The file's name without its suffix, as text (``name_text``)."""
        return name_text(self.path.stem)



@dataclass(frozen=True)
class ReadContext:
    """What readers need besides the file: config, the Markdown renderer and file dates."""

    config: Config
    markdown: MarkdownRenderer
    plain_text: MarkdownRenderer
    file_dates: Mapping[str, tuple[dt.datetime, str]] = field(default_factory=dict)
    registry: Registry = field(default_factory=Registry)
    lookups: Lookups = field(default_factory=Lookups)  # told of each look into ``registry`` (``registry.noting``)
    site: SiteSettings = field(default_factory=SiteSettings)  # ``site.*`` for Liquid (``_config.yml``)


def make_note(source: SourceFile, context: ReadContext, front: FrontMatter, body: RenderedBody,
              *, item: int | None = None, slug_hint: str | None = None,
              original_url: str | None = None, fallback_dates: bool = False) -> ReadResult:
    """Derive slug, URL, title and date for one note, reporting unsafe slugs and permalinks."""
    line = 2 if item is None else 1
    name_date, name_slug, name_problem = _name_facts(source.stem)
    folder = folder_of_note(source, front.title) if item is None else None
    problems = []
    try:
        slug = check_slug(front.slug) if front.slug else slugify(slug_hint or folder or name_slug or source.stem)
        date, date_source = _choose_date(front, name_date, source, context, fallback_dates)
        url = expand_permalink(context.config.permalink, slug, date)
        wanted = expand_permalink(front.permalink, slug, date) if front.permalink else None
        if wanted in context.config.urls.fixed():
            problems.append(Diagnostic("warning", source.shown, line, 1, f"permalink {front.permalink!r} is the site's "
                                       f"own {wanted} page; the note is published at {url}"))
        elif wanted:
            url = wanted
    except UnsafeURL as exc:
        return ReadResult((), (Diagnostic("error", source.shown, line, 1, f"{exc}; note skipped"),))
    title = front.title or humanise(folder or name_slug or source.stem)
    summary = front.summary or summarize(body.html)  # the body's own only when the front matter gives none
    papers, paper_problems = _papers(front, body, summary, context.registry, source.shown)
    if name_problem and item is None:
        paper_problems.insert(0, Diagnostic("warning", source.shown, 1, 1, name_problem))
    note = Note(
        id=slug,
        title=title,
        url=url,
        date=date,
        body=body,
        source=SourceSpan(source.shown, 1, item, source.rel),
        tags=front.tags,
        updated=front.updated,
        date_source=date_source,
        summary=summary,
        draft=front.draft,
        aliases=front.aliases,
        original_url=original_url,
        author=front.author,
        papers=papers,
        meta=front.meta,
    )
    return ReadResult((note,), (*problems, *paper_problems))


def is_folder_note(rel: str) -> bool:
    """True for a folder's own note: ``README.md``, ``index.md``, ``_index.md``."""
    return bool(_FOLDER_NOTE.match(rel.rpartition("/")[2].rpartition(".")[0]))


def folder_of_note(source: SourceFile, title: str | None) -> str | None:
    """For a folder's own note (``README.md``, ``index.md``, ``_index.md``), the name its URL takes:
    the folder's name, or for the top folder the note's title; ``None`` for other notes."""
    if not is_folder_note(source.rel):
        return None
    folder = source.rel.rpartition("/")[0].rpartition("/")[2]
    return folder or title or name_text(source.path.resolve().parent.name)


def _papers(front: FrontMatter, body: RenderedBody, summary: str, registry: Registry,
            shown: str) -> tuple[tuple[PaperRef, ...], list[Diagnostic]]:
    """Papers declared in front matter (ids, URLs, BibTeX keys, ``[id] Title``; excerpted by the
    note's ``summary``) first, then those the body mentions."""
    declared: list[PaperRef] = []
    problems = []
    for value in front.papers:
        mentions = find_mentions(value)
        paper_id = mentions[0].id if mentions else registry.resolve(value)
        if paper_id is None:
            problems.append(Diagnostic("warning", shown, 2, 1, f"paper {value!r} is not an identifier, URL or BibTeX key"))
            continue
        title = mentions[0].title if mentions else None
        declared.append(PaperRef(paper_id, "", title, summary, declared=True))
    return (*declared, *papers_in_html(body.html)), problems


def _choose_date(front: FrontMatter, name_date: NoteDate | None, source: SourceFile,
                 context: ReadContext, fallback: bool) -> tuple[NoteDate | None, str]:
    if front.date is not None:
        return front.date, "front matter"
    if name_date is not None:
        return name_date, "file name"
    if fallback and source.rel in context.file_dates:
        stamp, origin = context.file_dates[source.rel]
        return NoteDate(stamp, "day"), origin
    return None, "none"


def _name_facts(stem: str) -> tuple[NoteDate | None, str | None, str | None]:
    """A Jekyll ``YYYY-MM-DD-slug`` name (zero padding optional) gives date and slug; a date
    elsewhere in a name gives a date. The third value explains a Jekyll date that does not exist."""
    match = _JEKYLL_NAME.match(stem)
    if match:
        try:
            return NoteDate(dt.datetime(int(match["y"]), int(match["m"]), int(match["d"])), "day"), match["slug"], None
        except ValueError as exc:
            return None, match["slug"], f"the date in the file name ({stem[:match.start('slug') - 1]}) is not a date: {exc}"
    match = _DATE_IN_NAME.search(stem)
    if match:
        day = int(match["d"]) if match["d"] else None
        try:
            stamp = dt.datetime(int(match["y"]), int(match["m"]), day or 1)
        except ValueError:
            return None, None, None
        return NoteDate(stamp, "day" if day else "month"), None, None
    return None, None, None


def humanise(name: str) -> str:
    """``2024-reading_list`` → ``2024 reading list``; the first letter is capitalised."""
    words = re.sub(r"[-_]+", " ", name).strip()
    return words[:1].upper() + words[1:] if words else "Untitled"
