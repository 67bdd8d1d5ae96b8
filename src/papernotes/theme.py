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
