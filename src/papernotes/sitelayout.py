"""Where a site's files are (notes, templates, static files, output, cache) and how a build is asked to run."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from typing import TYPE_CHECKING

from .model import Diagnostic
from .theme import ON_DEMAND, theme_dir

if TYPE_CHECKING:
    from .config import Config

CACHE_DIR = ".papernotes-cache"


@dataclass(frozen=True)
class SiteLayout:
    """The folders of one site: notes, template and static overrides, output."""

    root: Path
    content: Path
    templates: Path
    static: Path
    out: Path

    @property
    def cache(self) -> Path:
        """Where reads are cached between builds (git-ignored): in a papernotes site folder; for a
        bare notes folder beside the output, or in the user cache folder when the output itself
        sits inside the notes, so that nothing is ever written into a folder of notes."""
        if self.content != self.root:
            return self.root / CACHE_DIR
        beside_output = self.out.parent
        if not beside_output.is_relative_to(self.content):
            return beside_output / CACHE_DIR
        return user_cache_dir() / hashlib.sha256(os.fsencode(self.content)).hexdigest()[:16]

    @classmethod
    def find(cls, site_dir: Path, out_dir: Path | None = None) -> "SiteLayout":
        """``site_dir/content`` holds the notes; a folder without one is itself the notes
        folder, and then the default output is ``./site`` of the current folder."""
        site_dir = site_dir.resolve()
        content = site_dir / "content"
        if content.is_dir():
            default_out = site_dir / "site"
        else:
            content = site_dir
            default_out = Path.cwd() / "site"
        return cls(site_dir, content, site_dir / "templates", site_dir / "static", (out_dir or default_out).resolve())


@dataclass(frozen=True)
class BuildOptions:
    drafts: bool = False
    base_url: str | None = None
    force: bool = False
    search: bool = True
    cache: bool = True
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)


def site_config(layout: SiteLayout, options: BuildOptions) -> tuple[Config, tuple[Diagnostic, ...]]:
    from .config import load_config, with_overrides  # here: a build with nothing to do reads no config

    config, problems = load_config(layout.root)
    return with_overrides(config, base_url=options.base_url, drafts=options.drafts or None), problems


def static_files(layout: SiteLayout) -> dict[str, Path]:
    """The theme's static files with the site's own on top (hidden files left out)."""
    files: dict[str, Path] = {}
    for folder in (theme_dir() / "static", layout.static):
        if folder.is_dir():
            root = folder.resolve()
            on_demand = ON_DEMAND if folder == theme_dir() / "static" else None  # copied as the pages' assets
            for path in sorted(folder.rglob("*")):
                rel = path.relative_to(folder).as_posix()
                inside = path.resolve().is_relative_to(root)  # a symlink out of the folder is not published
                if on_demand and rel.startswith(on_demand):
                    continue
                if inside and path.is_file() and not any(part.startswith(".") for part in rel.split("/")):
                    files[rel] = path
    return files


def templates_stamp(folder: Path) -> str:
    """Every template file of ``folder`` with its modification time."""
    if not folder.is_dir():
        return ""
    return "".join(f"{p}:{p.stat().st_mtime_ns};" for p in sorted(folder.rglob("*")) if p.is_file())


def user_cache_dir() -> Path:
    """papernotes' folder in the user cache directory (``$XDG_CACHE_HOME``, else ``~/.cache``)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "papernotes"
