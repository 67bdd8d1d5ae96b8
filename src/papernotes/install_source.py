"""Where the running papernotes was installed from, and the requirement that installs it again.

pip records a direct install (a VCS URL, an archive URL, a local folder) in the distribution's
``direct_url.json`` (PEP 610); an install by name from a package index has no such file.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urlsplit

from . import __version__

DISTRIBUTION = "papernotes"
PLACEHOLDER = f"{DISTRIBUTION} @ git+https://github.com/OWNER/REPOSITORY.git@COMMIT"

Kind = Literal["index", "vcs", "archive", "local"]


@dataclass(frozen=True)
class InstallSource:
    """How this papernotes was installed.

    ``requirement`` is a pip requirement line that installs this exact version anywhere (a
    package index version, or a public URL pinned to a commit or an archive hash), or ``None``
    when papernotes came from this machine only (a local folder, an editable install, a local
    file), which no CI machine can reach.
    """

    kind: Kind
    version: str
    url: str = ""  # the public URL, or the local path for kind == "local"
    revision: str = ""  # the VCS commit id
    editable: bool = False
    requirement: str | None = None


def parse_direct_url(text: str | None, version: str) -> InstallSource:
    """The install source a PEP 610 ``direct_url.json`` text describes (``None``: installed from an index)."""
    if text is None:
        return InstallSource("index", version, requirement=f"{DISTRIBUTION}=={version}")
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("url"), str):
        return InstallSource("local", version)  # unreadable record: claim no public source
    url: str = data["url"]
    subdirectory = data.get("subdirectory")
    fragment = f"#subdirectory={subdirectory}" if isinstance(subdirectory, str) and subdirectory else ""
    if _is_local(url):
        editable = bool(isinstance(data.get("dir_info"), dict) and data["dir_info"].get("editable"))
        return InstallSource("local", version, url=_local_path(url), editable=editable)
    vcs_info = data.get("vcs_info")
    if isinstance(vcs_info, dict) and isinstance(vcs_info.get("vcs"), str):
        commit = str(vcs_info.get("commit_id", ""))
        pinned = f"@{commit}" if commit else ""
        requirement = f"{DISTRIBUTION} @ {vcs_info['vcs']}+{url}{pinned}{fragment}"
        return InstallSource("vcs", version, url=url, revision=commit, requirement=requirement)
    archive_info = data.get("archive_info")
    if isinstance(archive_info, dict):
        hashes = archive_info.get("hashes")
        digest = f"sha256={hashes['sha256']}" if isinstance(hashes, dict) and "sha256" in hashes else archive_info.get("hash")
        pins = [part for part in (digest if isinstance(digest, str) else "", fragment.lstrip("#")) if part]
        pin = "#" + "&".join(pins) if pins else ""
        return InstallSource("archive", version, url=url, requirement=f"{DISTRIBUTION} @ {url}{pin}")
    return InstallSource("local", version, url=url)


def installed_source() -> InstallSource:
    """The install source of the running papernotes (a source checkout run without installing: local)."""
    try:
        distribution = metadata.distribution(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return InstallSource("local", __version__, url=str(Path(__file__).resolve().parents[2]))
    return parse_direct_url(distribution.read_text("direct_url.json"), distribution.version)


def describe(source: InstallSource) -> str:
    """One line for ``papernotes --version``: the version and where it came from."""
    where = {
        "index": "installed from a package index",
        "vcs": f"installed from {source.url}" + (f" at commit {source.revision}" if source.revision else ""),
        "archive": f"installed from {source.url}",
        "local": (f"editable install of {source.url or 'a local folder'}" if source.editable
                  else f"installed from {source.url or 'a local folder'} on this machine"),
    }[source.kind]
    return f"papernotes {source.version} ({where})"


def requirements_text(source: InstallSource) -> str:
    """``requirements.txt`` for a new site: the pinned requirement, or a commented line to fill in."""
    if source.requirement is not None:
        return f"# The papernotes this site was created with ({describe(source)}).\n{source.requirement}\n"
    suggestion = _public_checkout_requirement(Path(source.url)) if source.url else None
    return (
        f"# papernotes was installed from {source.url or 'a local folder'}, which the machine that\n"
        "# publishes the site cannot reach. Say where to install it from: uncomment the last line and\n"
        "# point it at where this papernotes code is published, pinned to a commit, or replace it with\n"
        f"# {DISTRIBUTION}=={source.version} for a release on a package index. Until then publishing stops\n"
        "# with a message naming this file.\n"
        f"# {suggestion or PLACEHOLDER}\n"
    )


def requirement_notice(source: InstallSource) -> str:
    """What ``init`` says about the requirement it wrote."""
    if source.requirement is not None:
        return f"requirements.txt: {source.requirement}"
    return (f"requirements.txt: this papernotes was installed from {source.url or 'a local folder'}, which the machine "
            "that publishes the site cannot reach, so its requirement is a comment for you to fill in (a git URL "
            "pinned to a commit, or a released version); publishing stops with a message naming requirements.txt "
            "until you do.")


def _is_local(url: str) -> bool:
    return urlsplit(url).scheme in ("", "file")


def _local_path(url: str) -> str:
    parts = urlsplit(url)
    return unquote(parts.path) if parts.scheme == "file" else url


def _public_checkout_requirement(folder: Path) -> str | None:
    """``papernotes @ git+URL@COMMIT`` when ``folder`` is a git checkout with a public https remote."""
    if not folder.is_dir():
        return None
    try:
        remote = _git(folder, "remote", "get-url", "origin")
        commit = _git(folder, "rev-parse", "HEAD")
    except (OSError, subprocess.CalledProcessError):
        return None
    if not remote.startswith("https://") or "@" in urlsplit(remote).netloc:
        return None
    return f"{DISTRIBUTION} @ git+{remote}@{commit}"


def _git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, check=True).stdout.strip()
