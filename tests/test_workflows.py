"""The build files ``papernotes init --host`` writes, run as each host runs them.

Each test reads the host's file (the GitHub workflow's YAML, netlify.toml, the Cloudflare build
script, .gitlab-ci.yml), runs its commands in order in a fresh virtual environment on the site
``init`` wrote, and checks the folder the host would publish. papernotes comes from a wheel built
from this checkout, named by the site's requirements.txt; its dependencies are the ones already
installed for the tests (pip runs without an index), so nothing is downloaded.
Deselect with ``-m "not workflows"``.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import pytest
import yaml

from papernotes import __version__
from papernotes.check import check_site
from papernotes.install_source import InstallSource, requirements_text
from papernotes.scaffold import init_site

from .conftest import REPO

pytestmark = pytest.mark.workflows
UNFILLED = "requirements.txt does not say where to install papernotes from yet"


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from this checkout, once per session (shared by the pytest-xdist workers)."""
    session = tmp_path_factory.getbasetemp()
    folder = (session.parent if os.environ.get("PYTEST_XDIST_WORKER") else session) / "papernotes-wheel"
    folder.mkdir(exist_ok=True)
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one worker builds, the others wait for its wheel
        if not any(folder.glob("papernotes-*.whl")):
            built = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(folder), str(REPO)],
                                   capture_output=True, text=True)
            assert built.returncode == 0, built.stderr
    return next(folder.glob("papernotes-*.whl"))


@pytest.fixture(scope="session")
def dependencies(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The installed packages (pip and papernotes' dependencies) without papernotes itself."""
    folder = tmp_path_factory.mktemp("deps")
    for entry in Path(sysconfig.get_paths()["purelib"]).iterdir():
        if "papernotes" not in entry.name.lower() and not entry.name.startswith("__editable__"):
            (folder / entry.name).symlink_to(entry)
    return folder


@pytest.fixture
def fresh_env(tmp_path: Path, wheel: Path, dependencies: Path) -> dict[str, str]:
    """Environment variables for commands run in a new virtual environment with no papernotes installed."""
    return virtual_env(tmp_path / "venv", wheel, dependencies)


def virtual_env(venv: Path, wheel: Path, dependencies: Path) -> dict[str, str]:
    """A new virtual environment that sees ``dependencies`` and installs papernotes only from ``wheel``'s folder."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    purelib = subprocess.run([venv / "bin/python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    (Path(purelib) / "test-dependencies.pth").write_text(f"{dependencies}\n")
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "PIP_"))}
    return {**keep, "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}", "VIRTUAL_ENV": str(venv),
            "PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(wheel.parent), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


def new_site(folder: Path, host: str) -> Path:
    """The site ``init --host HOST`` writes, its requirement still a comment to fill in (a local install)."""
    init_site(folder, hosts=(host,), requirements=requirements_text(InstallSource("local", "0.1.0", url="/src/papernotes")))
    return folder


def run(commands: list[str], site: Path, env: dict[str, str], shell: str = "bash") -> subprocess.CompletedProcess[str]:
    """Run the commands in order, each as the host does (``bash -e``), stopping at the first failure."""
    for command in commands:
        finished = subprocess.run([shell, "-e", "-c", command], cwd=site, env=env, capture_output=True, text=True)
        if finished.returncode != 0:
            return finished
    return finished


def fill_in_requirement(site: Path, wheel: Path) -> None:
    path = site / "requirements.txt"
    path.write_text(path.read_text() + f"papernotes @ {wheel.as_uri()}\n")


def assert_publishable(out: Path, base_path: str, origin: str) -> None:
    """What a host would publish: the pages, the feeds, the search bundle, and no broken link."""
    for name in ("index.html", "404.html", "feed.xml", "feed.json", "sitemap.xml", "pagefind/pagefind.js",
                 "notes/welcome/index.html"):
        assert (out / name).is_file(), name
    assert check_site(out, base_path).broken == ()
    assert f'href="{base_path}notes/welcome/"' in (out / "index.html").read_text()
    assert json.loads((out / "feed.json").read_text())["home_page_url"].startswith(origin)
    assert not (out / "pagefind").is_symlink()


def test_github_workflow_steps_build_the_pages_artifact(tmp_path: Path, fresh_env: dict[str, str], wheel: Path) -> None:
    site = new_site(tmp_path / "mysite", "github")
    workflow = yaml.safe_load((site / ".github/workflows/pages.yml").read_text())
    outputs = {"steps.pages.outputs.base_url": "https://someone.github.io/mysite"}
    commands: list[str] = []
    artifact = None
    for step in workflow["jobs"]["build"]["steps"]:
        action = step.get("uses", "").split("@")[0]
        if "run" in step:
            commands.append(re.sub(r"\$\{\{\s*([^}]+?)\s*\}\}", lambda m: outputs[m[1]], step["run"]))
        elif action == "actions/upload-pages-artifact":
            artifact = site / step["with"]["path"]
        else:  # the checkout, Python, Pages settings and cache: provided here by the test itself
            assert action in {"actions/checkout", "actions/setup-python", "actions/configure-pages", "actions/cache"}, action

    stopped = run(commands, site, fresh_env)
    assert stopped.returncode != 0 and UNFILLED in stopped.stderr and "pip" not in stopped.stderr

    fill_in_requirement(site, wheel)
    finished = run(commands, site, fresh_env)
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert "0 broken" in finished.stdout
    assert artifact is not None
    assert_publishable(artifact, "/mysite/", "https://someone.github.io/mysite/")
    installed = subprocess.run(["papernotes", "--version"], env=fresh_env, capture_output=True, text=True).stdout
    assert f"{wheel.name} on this machine" in installed, "papernotes came from the wheel"


def test_gitlab_pages_job_publishes_public(tmp_path: Path, fresh_env: dict[str, str], wheel: Path) -> None:
    site = new_site(tmp_path / "mysite", "gitlab")
    job = yaml.safe_load((site / ".gitlab-ci.yml").read_text())["pages"]
    assert job["artifacts"]["paths"] == ["public"] and "public" in (site / ".gitignore").read_text()
    env = {**fresh_env, **job.get("variables", {}), "CI_PAGES_URL": "https://someone.gitlab.io/mysite"}
    assert UNFILLED in run(job["script"], site, env, shell="sh").stderr
    fill_in_requirement(site, wheel)
    finished = run(job["script"], site, env, shell="sh")
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert_publishable(site / "public", "/mysite/", "https://someone.gitlab.io/mysite/")


def test_netlify_build_command_publishes_site(tmp_path: Path, fresh_env: dict[str, str], wheel: Path) -> None:
    site = new_site(tmp_path / "mysite", "netlify")
    build = tomllib.loads((site / "netlify.toml").read_text())["build"]
    assert build["publish"] == "site" and build["environment"]["PYTHON_VERSION"].startswith("3.")
    env = {**fresh_env, "URL": "https://mysite.netlify.app"}
    assert UNFILLED in run([build["command"]], site, env).stderr
    fill_in_requirement(site, wheel)
    finished = run([build["command"]], site, env)
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert_publishable(site / build["publish"], "/", "https://mysite.netlify.app/")


def test_cloudflare_build_script_publishes_site(tmp_path: Path, fresh_env: dict[str, str], wheel: Path) -> None:
    site = new_site(tmp_path / "mysite", "cloudflare")
    script = site / "cloudflare-pages.sh"
    assert "Build output directory:  site" in script.read_text()
    assert (site / ".python-version").read_text().strip().startswith("3.")
    env = {**fresh_env, "CF_PAGES_URL": "https://1a2b3c4d.mysite.pages.dev"}
    assert UNFILLED in run(["sh cloudflare-pages.sh"], site, env).stderr
    fill_in_requirement(site, wheel)
    finished = run(["sh cloudflare-pages.sh"], site, env)
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert_publishable(site / "site", "/", "https://1a2b3c4d.mysite.pages.dev/")
    finished = run(["sh cloudflare-pages.sh"], site, {**env, "SITE_URL": "https://notes.example.org"})
    assert finished.returncode == 0 and "notes.example.org" in (site / "site/feed.xml").read_text()


def test_init_from_a_released_version_writes_a_requirement_that_installs(tmp_path: Path, wheel: Path, dependencies: Path) -> None:
    first = virtual_env(tmp_path / "first", wheel, dependencies)
    installed = run(["python -m pip install -q papernotes", "papernotes init mysite"], tmp_path, first)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    requirements = (tmp_path / "mysite/requirements.txt").read_text()
    assert requirements.splitlines()[-1] == f"papernotes=={__version__}"
    assert "installed from a package index" in run(["papernotes --version"], tmp_path, first).stdout
    second = virtual_env(tmp_path / "second", wheel, dependencies)
    finished = run(["python -m pip install -q -r requirements.txt", "papernotes build --strict"], tmp_path / "mysite", second)
    assert finished.returncode == 0, finished.stdout + finished.stderr
