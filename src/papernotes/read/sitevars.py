"""The site settings an imported site's templates name: Jekyll's ``_config.yml`` beside the notes,
under papernotes' own ``papernotes.yaml`` settings, as Liquid's ``site.*``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from ..config import Config
from ..model import DiagnosticError
from ..yamltext import load_yaml, plain

JEKYLL_CONFIG = "_config.yml"


@dataclass(frozen=True)
class SiteSettings:
    """``site.*`` for Liquid, and whether the notes are a Jekyll site (a ``_config.yml`` beside them)."""

    variables: Mapping[str, Any] = field(default_factory=dict)
    jekyll: bool = False


def site_settings(content_dir: Path, config: Config) -> SiteSettings:
    """The site settings of the notes in ``content_dir``."""
    return SiteSettings(site_variables(content_dir, config), (content_dir / JEKYLL_CONFIG).is_file())


def site_variables(content_dir: Path, config: Config) -> dict[str, Any]:
    """``site.*`` for Liquid: ``_config.yml`` (when it is readable YAML), then papernotes' settings;
    ``baseurl`` and ``url`` are empty, so that paths built from them stay inside the notes folder."""
    found: Mapping[str, Any] = {}
    path = content_dir / JEKYLL_CONFIG
    if path.is_file():
        try:
            loaded = load_yaml(path.read_text(encoding="utf-8-sig"), str(path))
        except (DiagnosticError, OSError, UnicodeDecodeError):
            loaded = None  # the old site's own settings are a convenience, not an input papernotes checks
        found = loaded if isinstance(loaded, dict) else {}
    own = {"title": config.title, "description": config.description, "author": config.author}
    merged = {**{str(k): plain(v) for k, v in found.items()}, **{k: v for k, v in own.items() if v},
              **dict(config.params)}
    return {**merged, "baseurl": "", "url": "", "base": ""}
