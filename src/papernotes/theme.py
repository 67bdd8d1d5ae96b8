"""Where the packaged default theme (templates and static files) lives."""

from __future__ import annotations

import os

TYPE_CHECKING = False  # as typing's, without importing typing (this module is on the up-to-date check's path)
if TYPE_CHECKING:
    from pathlib import Path

PACKAGE = os.path.dirname(os.path.realpath(__file__))  # papernotes' own code


def theme_folder() -> str:
    """The folder holding ``templates/`` and ``static/`` of the default theme.

    An installed wheel carries them as ``papernotes/theme/``; a source checkout
    (an editable install) uses the repository's top-level folders.
    """
    packaged = os.path.join(PACKAGE, "theme")
    if os.path.isdir(os.path.join(packaged, "templates")):
        return packaged
    return os.path.dirname(os.path.dirname(PACKAGE))


def theme_dir() -> Path:
    """``theme_folder`` as a ``Path``."""
    from pathlib import Path  # here: the up-to-date check, which uses theme_folder, imports no pathlib

    return Path(theme_folder())


#: Theme files a site gets only when one of its pages uses them (a page records them as assets).
ON_DEMAND = "js/vendor/"


def on_demand_file(rel: str) -> tuple[str, str]:
    """``(site URL, file)`` of the theme's on-demand static file ``rel`` (under ``ON_DEMAND``)."""
    return "/" + rel, os.path.join(theme_folder(), "static", rel)
