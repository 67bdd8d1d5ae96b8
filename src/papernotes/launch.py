"""The ``papernotes`` command's entry point.

``papernotes build`` on a site that has not changed since its last build is answered here from
the manifest (``uptodate``) before the command line parser, or anything more than ``os`` and
``marshal``, is imported: at 10,000 notes the answer then costs half of what it costs once
click and the layout classes are loaded. Every other command line, a build that has to run,
and a build whose last run had errors to tell go to ``cli``, which parses the arguments in full.
"""

from __future__ import annotations

import os
import sys
import time

from . import uptodate
from .sitefiles import cache_folder, site_folders

#: ``build``'s options a plain up-to-date answer understands, by the name ``build_command`` gives them.
FLAGS = {"--drafts": "drafts", "--force": "force", "--no-search": "no_search", "-q": "quiet", "--quiet": "quiet"}
VALUES = {"-o": "out_dir", "--output": "out_dir", "--base-url": "base_url", "-j": "jobs", "--jobs": "jobs"}


def main() -> None:
    """Run the ``papernotes`` command line."""
    started = time.perf_counter()
    _in_utf8_mode()
    options = build_options(sys.argv[1:])
    looked = _look(options) if options is not None else None
    if options is None or looked is None or looked[0].last is None or looked[0].last.errors:
        from .cli import main as command_line

        try:
            command_line(obj=looked[0] if looked is not None else None)  # the build takes the check made here
        except SystemExit as done:
            if sys.argv[1:2] == ["build"] and (done.code is None or isinstance(done.code, int)):
                _exit_at_once(done.code or 0)
            raise
        return
    last, out = looked[0].last, looked[1]
    if not options.get("quiet"):
        print(uptodate.up_to_date_line(last.notes, last.pages, last.warnings, 0, time.perf_counter() - started, out))
        if not last.site_origin:
            print(uptodate.BASE_URL_WARNING, file=sys.stderr)


def _in_utf8_mode() -> None:
    """Run again in Python's UTF-8 mode when the locale would have file names decoded and output
    encoded as something else (``LC_ALL=C`` with ``PYTHONUTF8=0``): notes are read and sites
    written in UTF-8, and a name such as ``Welcome! 👋.md`` would otherwise reach the pages as
    lone surrogates, and a state kept by a build in another locale would name files this one
    cannot open."""
    if sys.flags.utf8_mode or sys.getfilesystemencoding().lower().replace("-", "") == "utf8" or not sys.orig_argv:
        return
    os.execv(sys.executable, [sys.executable, "-X", "utf8", *sys.orig_argv[1:]])


def _exit_at_once(code: int) -> None:
    """End a build's process without freeing what it built one object at a time (at 10,000 notes
    the interpreter's teardown costs half a second): every file it wrote is closed, and its
    worker pools are shut down, by then."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def build_options(args: list[str]) -> dict[str, object] | None:
    """The options of ``build`` in ``args`` when they are all of the plain kinds in ``FLAGS`` and
    ``VALUES``; None for any other command line (another command, help, ``--strict``,
    ``--verbose``, ``--no-cache``, a mistake), which ``cli`` then parses."""
    if not args or args[0] != "build":
        return None
    found: dict[str, object] = {"site_dir": "."}
    positional = 0
    rest = iter(args[1:])
    for arg in rest:
        name, equals, value = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        if name in VALUES:
            given = value if equals else next(rest, None)
            if given is None:
                return None
            found[VALUES[name]] = given
        elif arg in FLAGS:
            found[FLAGS[arg]] = True
        elif arg.startswith("-") or positional:
            return None
        else:
            found["site_dir"], positional = arg, 1
    jobs = found.get("jobs")
    if jobs is not None and not (isinstance(jobs, str) and jobs.isdigit() and int(jobs) >= 1):
        return None
    return found


def _look(options: dict[str, object]) -> tuple[uptodate.Check, str] | None:
    """The up-to-date check of the site ``options`` name and its output folder (None when the
    site folder is missing: the parser says so)."""
    site_dir = str(options["site_dir"])
    if not os.path.isdir(site_dir):
        return None
    folders = site_folders(site_dir, _text(options.get("out_dir")))
    root, content, _, _, out = folders
    key = uptodate.options_key(bool(options.get("drafts")), _text(options.get("base_url")), not options.get("no_search"))
    return uptodate.check(folders, cache_folder(root, content, out), key, time.time()), out


def _text(value: object) -> str | None:
    return None if value is None else str(value)
