"""Where the packaged default theme (templates and static files) lives."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def theme_dir() -> Path:
    """The folder holding ``templates/`` and ``static/`` of the default theme.

    An installed wheel carries them as ``papernotes/theme/``; a source checkout
    (an editable install) uses the repository's top-level folders.
    """
    packaged = _PACKAGE / "theme"
    if (packaged / "templates").is_dir():
        return packaged
    return _PACKAGE.parent.parent


#: Theme files a site gets only when one of its pages uses them (a page records them as assets).
ON_DEMAND = "js/vendor/"


def on_demand_file(rel: str) -> tuple[str, str]:
    """``(site URL, file)`` of the theme's on-demand static file ``rel`` (under ``ON_DEMAND``)."""
    return "/" + rel, str(theme_dir() / "static" / rel)
