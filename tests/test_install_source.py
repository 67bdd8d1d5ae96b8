"""Where papernotes was installed from (PEP 610 direct_url.json) and the requirement init writes."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from papernotes import __version__
from papernotes.cli import main
from papernotes.install_source import InstallSource, describe, parse_direct_url, requirements_text

COMMIT = "8d2f0c4a61b6e0a3d9d3c0f4b5c1e2a7f9b8c6d5"


def test_an_install_by_name_pins_the_version() -> None:
    source = parse_direct_url(None, "1.2.0")
    assert (source.kind, source.requirement) == ("index", "papernotes==1.2.0")
    assert describe(source) == "papernotes 1.2.0 (installed from a package index)"


def test_a_vcs_install_pins_the_commit() -> None:
    record = {"url": "https://github.com/someone/papernotes.git",
              "vcs_info": {"vcs": "git", "requested_revision": "main", "commit_id": COMMIT}}
    source = parse_direct_url(json.dumps(record), "0.1.0")
    assert source.requirement == f"papernotes @ git+https://github.com/someone/papernotes.git@{COMMIT}"
    assert COMMIT in describe(source) and "github.com/someone" in describe(source)
    record["subdirectory"] = "python"
    assert parse_direct_url(json.dumps(record), "0.1.0").requirement.endswith(f"@{COMMIT}#subdirectory=python")


def test_an_archive_install_pins_its_hash() -> None:
    url = "https://example.org/dist/papernotes-0.1.0-py3-none-any.whl"
    record = {"url": url, "archive_info": {"hashes": {"sha256": "ab" * 32}, "hash": "sha256=" + "ab" * 32}}
    assert parse_direct_url(json.dumps(record), "0.1.0").requirement == f"papernotes @ {url}#sha256={'ab' * 32}"
    assert parse_direct_url(json.dumps({"url": url, "archive_info": {}}), "0.1.0").requirement == f"papernotes @ {url}"


def test_local_installs_have_no_public_requirement() -> None:
    editable = parse_direct_url('{"url": "file:///home/me/src/papernotes", "dir_info": {"editable": true}}', "0.1.0")
    assert (editable.kind, editable.url, editable.editable, editable.requirement) == \
        ("local", "/home/me/src/papernotes", True, None)
    assert describe(editable) == "papernotes 0.1.0 (editable install of /home/me/src/papernotes)"
    wheel = parse_direct_url('{"url": "file:///tmp/papernotes-0.1.0-py3-none-any.whl", "archive_info": {}}', "0.1.0")
    assert wheel.requirement is None
    assert describe(wheel) == "papernotes 0.1.0 (installed from /tmp/papernotes-0.1.0-py3-none-any.whl on this machine)"
    clone = parse_direct_url(json.dumps({"url": "file:///srv/papernotes", "vcs_info": {"vcs": "git", "commit_id": COMMIT}}),
                             "0.1.0")
    assert clone.requirement is None, "a clone on this disk is out of reach of the machine that publishes"


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
                        st.sampled_from(["url", "vcs_info", "archive_info", "dir_info", "vcs", "commit_id", "hashes",
                                         "hash", "editable", "subdirectory"]), inner, max_size=4), max_leaves=12))
def test_any_record_gives_a_source(record: object) -> None:
    source = parse_direct_url(json.dumps(record), "0.1.0")
    assert source.requirement is None or source.requirement.startswith("papernotes ")
    assert parse_direct_url("{not json", "0.1.0").requirement is None


def test_requirements_text_is_the_requirement_or_a_commented_line_to_fill_in() -> None:
    pinned = requirements_text(InstallSource("index", "1.2.0", requirement="papernotes==1.2.0"))
    assert [line for line in pinned.splitlines() if not line.startswith("#")] == ["papernotes==1.2.0"]
    missing = requirements_text(InstallSource("local", "1.2.0", url="/nowhere/papernotes"))
    assert all(line.startswith("#") for line in missing.splitlines())
    assert "/nowhere/papernotes" in missing and "papernotes==1.2.0" in missing
    assert missing.splitlines()[-1] == "# papernotes @ git+https://github.com/OWNER/REPOSITORY.git@COMMIT"


def test_version_names_the_install_source() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and result.output.startswith(f"papernotes {__version__} (")
    assert "install" in result.output


def test_a_checkout_with_a_public_remote_suggests_its_commit(tmp_path: Path) -> None:
    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(tmp_path), *args], capture_output=True, text=True, check=True).stdout.strip()

    git("init", "-q")
    git("-c", "user.name=a", "-c", "user.email=a@example.org", "commit", "-q", "--allow-empty", "-m", "x")
    git("remote", "add", "origin", "https://github.com/someone/papernotes.git")
    text = requirements_text(InstallSource("local", "0.1.0", url=str(tmp_path), editable=True))
    commit = git("rev-parse", "HEAD")
    assert text.splitlines()[-1] == f"# papernotes @ git+https://github.com/someone/papernotes.git@{commit}"
