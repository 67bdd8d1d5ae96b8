"""Which Markdown a file was written for: ``kramdown`` (Jekyll) or ``commonmark``.

The rule, first match wins:

1. config ``markdown: {flavor: kramdown}`` or ``{flavor: commonmark}`` decides for every file;
   ``auto`` (the default) goes on;
2. a Jekyll site: a ``_config.yml`` in the file's folder or a folder above it (up to the
   content folder) makes its files kramdown, Jekyll's default engine, unless its
   ``markdown:`` key names another engine;
3. a file in a ``_posts`` or ``_drafts`` folder is a Jekyll post, so kramdown;
4. YAML front matter with a ``layout`` key (Jekyll's, as in al-folio pages) is kramdown,
   except Hugo's section files ``_index.md``;
5. anything else is CommonMark.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Mapping

KRAMDOWN = "kramdown"
COMMONMARK = "commonmark"
FLAVORS = ("auto", KRAMDOWN, COMMONMARK)
_ENGINE = re.compile(r"^markdown:\s*['\"]?([\w-]+)", re.MULTILINE)
_JEKYLL_FOLDERS = frozenset({"_posts", "_drafts"})


def markdown_flavor(path: Path, rel: str, configured: str = "auto", front_matter_form: str | None = None,
                    front_matter: Mapping[str, Any] | None = None) -> str:
    """The flavor of the file at ``path`` (``rel`` to the content folder), whose front matter
    (its keys besides the ones papernotes uses) was written as ``front_matter_form`` (``yaml``,
    ``toml``, ``json``); see the module rule."""
    if configured in (KRAMDOWN, COMMONMARK):
        return configured
    folders = rel.split("/")[:-1]
    engine = _jekyll_engine(path.parent, len(folders))
    if engine is not None:
        return KRAMDOWN if engine == KRAMDOWN else COMMONMARK
    if _JEKYLL_FOLDERS.intersection(folders):
        return KRAMDOWN
    if front_matter_form == "yaml" and front_matter and "layout" in front_matter and path.name != "_index.md":
        return KRAMDOWN
    return COMMONMARK


def _jekyll_engine(folder: Path, depth: int) -> str | None:
    """The Markdown engine of the nearest Jekyll ``_config.yml`` at most ``depth`` folders up
    (``kramdown`` when it names none); ``None`` when there is no such file."""
    for candidate in (folder, *folder.parents[:depth]):
        config = candidate / "_config.yml"
        try:
            text = config.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        match = _ENGINE.search(text)
        return match.group(1).lower() if match else KRAMDOWN
    return None
