"""Where a site's files are (notes, templates, static files, output, cache) and how a build is asked to run."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from typing import TYPE_CHECKING

from .model import Diagnostic
from .output import made_by_build
from .sitefiles import CACHE_DIR, CONFIG_FILE, cache_folder, site_folders, user_cache_dir
from .theme import ON_DEMAND, theme_dir
from .walks import WalkMemo, walk as walk_folders, walked

if TYPE_CHECKING:
    from .config import Config

__all__ = ["CACHE_DIR", "BuildOptions", "SiteLayout", "site_config", "static_files", "templates_stamp", "user_cache_dir"]


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
        """Where reads are cached between builds (``sitefiles.cache_folder``)."""
        return Path(cache_folder(os.fspath(self.root), os.fspath(self.content), os.fspath(self.out)))

    def inputs(self) -> tuple[Path, ...]:
        """What a build reads: the notes, templates and static folders and the config file."""
        return self.content, self.templates, self.static, self.root / CONFIG_FILE

    def is_output(self, path: str) -> bool:
        """Whether ``path`` is in the output folder or in the folders a build makes beside it
        (``output.made_by_build``), which may be inside the notes folder."""
        return made_by_build(self.out, path)

    def folders(self) -> tuple[str, str, str, str, str]:
        """``(root, content, templates, static, out)`` as ``sitefiles.site_folders`` gives them."""
        return (os.fspath(self.root), os.fspath(self.content), os.fspath(self.templates), os.fspath(self.static),
                os.fspath(self.out))

    @classmethod
    def find(cls, site_dir: Path, out_dir: Path | None = None) -> "SiteLayout":
        """The folders of the site in ``site_dir`` (``sitefiles.site_folders``)."""
        found = site_folders(os.fspath(site_dir), None if out_dir is None else os.fspath(out_dir))
        return cls(*map(Path, found))


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


def static_files(layout: SiteLayout, memo: WalkMemo | None = None) -> dict[str, Path]:
    """The theme's static files with the site's own on top (hidden files left out); taken from
    ``memo`` while no folder of them changed."""
    return walked(memo, f"static files:{theme_dir()}:{layout.static}", lambda: _static_walk(layout))


def _static_walk(layout: SiteLayout) -> tuple[list[str], dict[str, Path]]:
    """The folders ``static_files`` walks, and what it finds."""
    files: dict[str, Path] = {}
    folders: list[str] = []
    for folder in (theme_dir() / "static", layout.static):
        if not folder.is_dir():
            folders.append(os.fspath(folder.parent))  # where it would be made
            continue
        root = folder.resolve()
        folders.append(os.fspath(folder))
        on_demand = ON_DEMAND if folder == theme_dir() / "static" else None  # copied as the pages' assets
        for path in sorted(Path(root, name) for root, dirs, names in walk_folders(folder) for name in (*dirs, *names)):
            rel = path.relative_to(folder).as_posix()
            if path.is_dir():
                folders.append(os.fspath(path))
            inside = not path.is_symlink() or path.resolve().is_relative_to(root)  # a link out of the folder is not published
            if on_demand and rel.startswith(on_demand):
                continue
            if inside and path.is_file() and not any(part.startswith(".") for part in rel.split("/")):
                files[rel] = path
    return folders, files


def templates_stamp(folder: Path) -> str:
    """Every template file of ``folder`` with its modification time."""
    if not folder.is_dir():
        return ""
    return "".join(f"{p}:{p.stat().st_mtime_ns};" for p in sorted(folder.rglob("*")) if p.is_file())
