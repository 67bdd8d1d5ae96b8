"""Full-text search: Pagefind indexes the written site as the last build step."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

from ..model import Diagnostic

BUNDLE = "pagefind"


def index_site(site_dir: Path, timeout: float = 600) -> Diagnostic | None:
    """Run Pagefind over ``site_dir``, writing its bundle to ``site_dir/pagefind/``.
    Returns a warning when Pagefind is missing or fails; the site is usable without search."""
    if importlib.util.find_spec("pagefind") is None:
        return Diagnostic("warning", str(site_dir), 1, 1, "search is disabled: the pagefind package is not installed (pip install 'pagefind[bin]')")
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-subdir", BUNDLE, "--silent",
               "--exclude-selectors", "annotation"]  # a formula's TeX source is not searchable text
    try:
        finished = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.SubprocessError) as exc:
        return Diagnostic("warning", str(site_dir), 1, 1, f"search index was not built: {exc}")
    if finished.returncode != 0 or not (site_dir / BUNDLE / "pagefind.js").is_file():
        reason = (finished.stderr or finished.stdout).strip().splitlines()
        return Diagnostic("warning", str(site_dir), 1, 1, f"search index was not built: {reason[-1] if reason else 'pagefind failed'}")
    return None
