"""``papernotes init`` (a new site) and ``papernotes new`` (a new note)."""

from __future__ import annotations

import datetime as dt
import email.utils
from dataclasses import dataclass
from pathlib import Path

from .install_source import installed_source, requirements_text
from .papers.identifiers import identify
from .urls import slugify

_FILES = Path(__file__).resolve().parent / "scaffold"

REQUIREMENT_CHECK = (
    "grep -q '^[[:space:]]*[^#[:space:]]' requirements.txt || "
    "{ echo 'requirements.txt does not say where to install papernotes from yet:"
    " fill in the line its comments describe' >&2; exit 1; }"
)
"""The shell line every host runs before ``pip install -r requirements.txt``: it stops the build
with a message naming the file when the requirement is still a comment (pip would install nothing)."""


@dataclass(frozen=True)
class Host:
    """A place that builds and serves the site: the files ``init --host`` writes, and what to do next."""

    files: tuple[tuple[str, str], ...]  # (path in the site, scaffold template)
    output: str  # the folder the host publishes
    next_step: str


HOSTS = {
    "github": Host(((".github/workflows/pages.yml", "pages.yml"),), "site",
                   "push to GitHub and choose Settings → Pages → Source: GitHub Actions"),
    "netlify": Host((("netlify.toml", "netlify.toml"),), "site",
                    "import the repository on Netlify; netlify.toml sets the build command and output folder"),
    "cloudflare": Host((("cloudflare-pages.sh", "cloudflare-pages.sh"), (".python-version", "python-version")), "site",
                       "create a Cloudflare Pages project from the repository with build command "
                       "`sh cloudflare-pages.sh` and build output directory `site`"),
    "gitlab": Host(((".gitlab-ci.yml", "gitlab-ci.yml"),), "public",
                   "push to GitLab; the pages job publishes public/ (Deploy → Pages shows the address)"),
}


class ScaffoldError(Exception):
    """The site or note cannot be created as asked."""


def init_site(folder: Path, today: dt.date | None = None, *, hosts: tuple[str, ...] = ("github",),
              requirements: str | None = None) -> list[Path]:
    """Write a new site into ``folder`` (which must be empty or missing); returns the files written.

    ``hosts`` name the :data:`HOSTS` to write build files for; ``requirements`` is the text of
    ``requirements.txt`` (default: the requirement that installs the running papernotes).
    """
    if folder.exists() and any(folder.iterdir()):
        raise ScaffoldError(f"{folder} is not empty; papernotes init only writes a new site into a new or empty "
                            "folder (to add a host's build file to an existing site: papernotes init FOLDER --host NAME)")
    host_files = _host_files(hosts, requirements)
    today = today or dt.date.today()
    noon = dt.datetime(today.year, today.month, today.day, 12, tzinfo=dt.timezone.utc)
    files = {
        "papernotes.yaml": _read("papernotes.yaml"),
        "content/welcome.md": _read("welcome.md").replace("{date}", today.isoformat()).replace("{{", "{").replace("}}", "}"),
        "content/reading.xml": _read("reading.xml").replace("{rfc822}", email.utils.format_datetime(noon, usegmt=True)),
        "templates/README.md": _read("templates-README.md"),
        "static/.gitkeep": "",
        ".gitignore": _read("gitignore") + "".join(f"/{HOSTS[h].output}/\n" for h in hosts if HOSTS[h].output != "site"),
        **host_files,
    }
    return _write(folder, files)


def add_host_files(folder: Path, hosts: tuple[str, ...], requirements: str | None = None) -> tuple[list[Path], list[Path]]:
    """Write the hosts' build files and ``requirements.txt`` into an existing site, keeping any file
    already there; returns the files written and the files kept."""
    if not folder.is_dir():
        raise ScaffoldError(f"{folder} is not a folder")
    files = _host_files(hosts, requirements)
    kept = [folder / rel for rel in files if (folder / rel).exists()]
    return _write(folder, {rel: text for rel, text in files.items() if not (folder / rel).exists()}), kept


def _host_files(hosts: tuple[str, ...], requirements: str | None) -> dict[str, str]:
    unknown = sorted(set(hosts) - set(HOSTS))
    if unknown:
        raise ScaffoldError(f"unknown host {', '.join(unknown)}; choose from {', '.join(HOSTS)}")
    files = {"requirements.txt": requirements_text(installed_source()) if requirements is None else requirements}
    for host in hosts:
        for rel, template in HOSTS[host].files:
            files[rel] = _read(template).replace("__REQUIREMENT_CHECK__", REQUIREMENT_CHECK)
    return files


def _write(folder: Path, files: dict[str, str]) -> list[Path]:
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
