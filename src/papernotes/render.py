"""The Jinja2 environment: the site's own templates first, then the packaged default theme."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, MutableMapping, Sequence
import contextlib
import copy
import hashlib
import html
import json
import os
import re
import shutil
import time
from functools import partial

import jinja2
from jinja2.loaders import split_template_path
from markupsafe import Markup

from .config import Config
from .model import NoteDate, Page, TextFile, joined_pieces
from .pagesections import PageSections, section_runs
from .sectioned import Place, Written
from .papers.mentions import excerpt_html
from .emit.structured import note_json_ld, paper_json_ld
from .precompiled import compiled_theme, write_theme_code
from .theme import theme_dir
from .views import BodyReads, as_view
from .markdown.toc import build_toc
from .text import unmarked

TEMPLATE_PIECES = 4096  # a template's output comes in many small pieces: this many are joined into one write


#: How templates are read and compiled (``compiled_templates`` keys its folder by these).
_TEMPLATE_SYNTAX: dict[str, Any] = {"trim_blocks": True, "lstrip_blocks": True, "keep_trailing_newline": True}
_AUTOESCAPED = ("html", "xml", "htm")
_SETTINGS = repr((sorted(_TEMPLATE_SYNTAX.items()), _AUTOESCAPED))  # what compiled code depends on besides the templates
_UNUSED_FOR = 86_400  # seconds after which another setup's compiled templates are deleted
_IMAGE = re.compile(r"<img\b[^>]*\ssrc=\"([^\"]+)\"", re.IGNORECASE)


def first_image(body: str) -> str | None:
    """The ``src`` of the body's first image, for Open Graph cards."""
    match = _IMAGE.search(body)
    return html.unescape(match.group(1)) if match else None


def make_environment(config: Config, site_templates: Path | None, compiled: Path | None = None) -> jinja2.Environment:
    """An environment with autoescaping on, strict undefined names and the site filters. A
    template once loaded is not looked at on disk again: the engine makes a new environment
    when the site's templates change. ``compiled``: a folder keeping each template's compiled
    code by its source, so a build need not compile templates an earlier one did (see
    ``compiled_templates``)."""
    env = jinja2.Environment(
        loader=_Loader(site_templates if site_templates is not None and site_templates.is_dir() else None,
                       theme_dir() / "templates"),
        autoescape=jinja2.select_autoescape(_AUTOESCAPED, default_for_string=True),
        undefined=jinja2.StrictUndefined,
        auto_reload=False,
        bytecode_cache=_CompiledTemplates(str(compiled)) if compiled is not None else None,
        **_TEMPLATE_SYNTAX,
    )
    def date(value: NoteDate | None, form: str = "human") -> str:
        return _DATE_FORMS[form](value) if value is not None else ""

    env.filters.update(url=config.url, absolute_url=config.absolute_url, date=date, tojson_ld=_json_ld,
                       excerpt=excerpt_html, unmarked=unmarked, first_image=first_image, toc=build_toc, plural=plural,
                       runs=section_runs)
    env.globals.update(note_json_ld=partial(note_json_ld, config=config), paper_json_ld=partial(paper_json_ld, config=config))
    env.globals.update(site=config)
    return env


_DATE_FORMS: dict[str, Callable[[NoteDate], str]] = {"human": NoteDate.human, "iso": NoteDate.iso, "rfc3339": NoteDate.rfc3339}


def write_compiled_theme() -> None:
    """Compile the theme's templates into ``precompiled.CODE`` (``python -m papernotes.precompiled``)."""
    templates = theme_dir() / "templates"
    write_theme_code(make_environment(Config(), None), templates, _SETTINGS)


def compiled_templates(cache: Path, setup: str) -> Path | None:
    """The folder under ``cache`` for the templates compiled for ``setup`` (a digest of the
    config and templates), made if need be (None when it cannot be). Jinja checks compiled code
    by its template's source alone, yet the code holds what the site's filters made of
    constants (``"/x" | url``): so the folder is named for the setup, the syntax and escaping
    settings and Jinja's and papernotes' versions. Other setups' folders unused for a day go."""
    from . import __version__

    settings = repr((setup, jinja2.__version__, __version__, sorted(_TEMPLATE_SYNTAX.items()), _AUTOESCAPED))
    folder = cache / "templates" / hashlib.sha256(settings.encode()).hexdigest()[:16]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        os.utime(folder)  # used now: its time tells other builds how long it has not been
        stale = time.time() - _UNUSED_FOR
        for other in folder.parent.iterdir():
            if other != folder and other.stat().st_mtime < stale:
                shutil.rmtree(other, ignore_errors=True)
    except OSError:
        return None
    return folder


class _Loader(jinja2.BaseLoader):
    """The site's templates folder first, then the theme's (its code compiled ahead of time,
    ``precompiled``, when that code is current); a template that cannot be loaded (not found,
    or its syntax wrong) fails at once for every page after the first that asks for it, rather
    than being compiled again for each (the engine makes a new environment, so a new loader,
    when the templates change)."""

    def __init__(self, site: Path | None, theme: Path) -> None:
        self._site = jinja2.FileSystemLoader(str(site)) if site is not None else None
        self._theme = jinja2.FileSystemLoader(str(theme))
        self._compiled = compiled_theme(theme, _SETTINGS)
        self._failed: dict[str, jinja2.TemplateError] = {}

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str | None, Callable[[], bool] | None]:
        if self._site is not None:
            with contextlib.suppress(jinja2.TemplateNotFound):
                return self._site.get_source(environment, template)
        return self._theme.get_source(environment, template)

    def list_templates(self) -> list[str]:
        return sorted({*(self._site.list_templates() if self._site is not None else ()), *self._theme.list_templates()})

    def load(self, environment: jinja2.Environment, name: str,
             globals: MutableMapping[str, Any] | None = None) -> jinja2.Template:
        failed = self._failed.get(name)
        if failed is not None:
            raise copy.copy(failed)
        try:
            if self._compiled is not None and not self._in_site(name):
                with contextlib.suppress(jinja2.TemplateNotFound):
                    return self._compiled.load(environment, name, globals)
            return super().load(environment, name, globals)
        except jinja2.TemplateError as exc:
            self._failed[name] = copy.copy(exc).with_traceback(None)  # no frame of this page kept alive
            raise

    def _in_site(self, name: str) -> bool:
        """Whether the site's folder holds ``name`` (looked at, not read: the load reads it)."""
        return self._site is not None and any(
            os.path.isfile(os.path.join(folder, *split_template_path(name))) for folder in self._site.searchpath)


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Jinja's compiled templates kept in a folder; one that cannot be written there (the folder
    deleted meanwhile by a build of another setup) is compiled again next time."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def compile_templates(env: jinja2.Environment) -> list[jinja2.TemplateError]:
    """Compile every page template now (forked render workers then share them rather than each
    compiling its own); the errors of those that cannot be compiled, each once."""
    failed = []
    for name in env.list_templates(extensions=("html",)):
        try:
            env.get_template(name)
        except jinja2.TemplateError as exc:
            failed.append(exc)
    return failed


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """``1 paper``, ``2 papers``, ``0 notes``: the count with the noun in the right number."""
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"


def _json_ld(value: Any) -> Markup:
    """JSON for a ``<script type="application/ld+json">``, safe against ``</script>``."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c").replace(">", "\\u003e")
    return Markup(text)


def _template(env: jinja2.Environment, page: Page) -> jinja2.Template:
    return env.get_template(page.template)


def _context(page: Page, reads: BodyReads | None, sections: PageSections) -> dict[str, Any]:
    return {"page_url": page.url, "section": sections, **{key: as_view(value, reads) for key, value in page.context.items()}}


def render(env: jinja2.Environment, page: Page | TextFile) -> bytes:
    """The bytes of one output file: a page through its template, a text file as it makes itself."""
    return render_reading(env, page)[0]


def render_reading(env: jinja2.Environment, page: Page | TextFile, last: Written | None = None, places: Sequence[Place] = (),
                   record: list[Place] | None = None, earlier: Iterable[str] = ()) -> tuple[bytes, frozenset[str] | None]:
    """``render``, with the ids of the notes whose bodies a page's templates read (None: a text
    file, which may read anything). The sections of the file (a text file's ``Sectioned``, a
    page's ``PageSections``) at ``places`` in ``last``, the file as last written, are copied from
    there; ``record`` hears where each section goes in this file. ``earlier``: what the render
    that wrote ``last`` read, which a page copying a section from it reads too."""
    if isinstance(page, TextFile):
        return b"".join(page.pieces(last, places, record)), None
    reads = BodyReads()
    sections = PageSections(last, places, reads, earlier)
    text = _template(env, page).render(_context(page, reads, sections))
    return "".join(sections.unmarked([text], record)).encode("utf-8"), frozenset(reads)


def render_stream(env: jinja2.Environment, page: Page | TextFile, reads: BodyReads | None = None,
                  record: list[Place] | None = None) -> Iterator[bytes]:
    """``render``'s bytes in pieces, for a file written as it is made: the text of a large page
    (a list of every note, graph.json) is never held whole. ``reads`` hears of each note body a
    page's templates read, as the pieces are made; ``record``, where each section goes."""
    if isinstance(page, TextFile):
        yield from page.pieces(record=record)
        return
    sections = PageSections()
    pieces = joined_pieces(_template(env, page).generate(_context(page, reads, sections)), TEMPLATE_PIECES)
    yield from (text.encode("utf-8") for text in sections.unmarked(pieces, record))  # marks looked for in each batch
