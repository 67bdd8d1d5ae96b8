"""``papernotes init`` (a new site) and ``papernotes new`` (a new note)."""

from __future__ import annotations

import datetime as dt
import email.utils
from pathlib import Path

from .papers import identify
from .urls import slugify

_FILES = Path(__file__).resolve().parent / "scaffold"


class ScaffoldError(Exception):
    """The site or note cannot be created as asked."""


def init_site(folder: Path, today: dt.date | None = None) -> list[Path]:
    """Write a new site into ``folder`` (which must be empty or missing); returns the files written."""
    if folder.exists() and any(folder.iterdir()):
        raise ScaffoldError(f"{folder} is not empty; papernotes init only writes into a new or empty folder")
    today = today or dt.date.today()
    noon = dt.datetime(today.year, today.month, today.day, 12, tzinfo=dt.timezone.utc)
    files = {
        "papernotes.yaml": _read("papernotes.yaml"),
        "content/welcome.md": _read("welcome.md").replace("{date}", today.isoformat()).replace("{{", "{").replace("}}", "}"),
        "content/reading.xml": _read("reading.xml").replace("{rfc822}", email.utils.format_datetime(noon, usegmt=True)),
        "templates/README.md": _read("templates-README.md"),
        "static/.gitkeep": "",
        ".gitignore": _read("gitignore"),
        "requirements.txt": "papernotes\n",
        ".github/workflows/pages.yml": _read("pages.yml"),
    }
    written = []
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def new_note(content_dir: Path, title: str, papers: tuple[str, ...] = (), today: dt.date | None = None) -> Path:
    """Create ``content/YYYY-MM-DD-slug.md`` with front matter filled in; never overwrites."""
    today = today or dt.date.today()
    slug = slugify(title)
    ids = []
    for value in papers:
        paper = identify(value)
        if paper is None:
            raise ScaffoldError(f"{value!r} is not an arXiv id, DOI or paper URL")
        ids.append(paper)
    path = content_dir / f"{today.isoformat()}-{slug}.md"
    if path.exists():
        raise ScaffoldError(f"{path} already exists")
    lines = ["---", f"title: {_yaml_string(title)}", f"date: {today.isoformat()}", f"slug: {slug}", "tags: []"]
    if ids:
        lines.append("papers: [" + ", ".join(_yaml_string(i) for i in ids) + "]")
    lines += ["---", "", ""]
    content_dir.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _yaml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _read(name: str) -> str:
    return (_FILES / name).read_text(encoding="utf-8")
