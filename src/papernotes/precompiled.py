"""The default theme's templates compiled ahead of time.

Parsing the theme's templates and making Python code of them takes 0.15-0.25 s, every build
that has no compiled templates in its cache folder pays it (a first build, ``--no-cache``), and
a small site's whole build is under a second. So the code Jinja makes of each is kept in
``theme_code/`` beside this module, as Jinja's ``compile_templates`` writes it (installed as
any module is, its bytecode compiled), and loaded there instead. It is used only while
``THEME_DIGEST`` (``theme_code/__init__.py``) is that of the theme's templates as they are, this
Jinja and these settings; otherwise the templates are compiled as before. The code is made
without Jinja's optimizer, and without applying papernotes' filters to constants (Jinja would
bake what ``"/x" | url`` makes with one site's config into the code). After changing a
template: ``python -m papernotes.precompiled`` (a test fails until it is run).
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import NoReturn

import jinja2
from jinja2.defaults import DEFAULT_FILTERS

CODE = Path(__file__).with_name("theme_code")
_INIT = '''"""Made by ``python -m papernotes.precompiled`` from the theme's templates: do not edit."""

THEME_DIGEST = "{digest}"
'''


def theme_digest(templates: Path, settings: str) -> str:
    """A digest of the theme's templates in ``templates`` (names and bytes), Jinja's version and
    the environment's ``settings``: what the compiled code follows from."""
    digest = hashlib.sha256(f"{jinja2.__version__}\0{settings}".encode())
    for path in sorted(path for path in templates.rglob("*") if path.is_file()):
        digest.update(f"\0{path.relative_to(templates).as_posix()}\0".encode() + path.read_bytes())
    return digest.hexdigest()


def compiled_theme(templates: Path, settings: str) -> jinja2.ModuleLoader | None:
    """A loader of the code kept for the theme's templates in ``templates``, when that code was
    made from them as they are (None: compile them)."""
    try:
        from .theme_code import THEME_DIGEST
    except ImportError:
        return None
    return jinja2.ModuleLoader(str(CODE)) if THEME_DIGEST == theme_digest(templates, settings) else None


def write_theme_code(environment: jinja2.Environment, templates: Path, settings: str, target: Path = CODE) -> None:
    """Write into ``target`` the code of every template in ``templates`` as ``environment``
    (the theme's alone, with the build's settings and filters) compiles it without optimizing,
    and the digest it follows from."""
    shutil.rmtree(target, ignore_errors=True)
    unoptimized = environment.overlay(optimized=False, loader=jinja2.FileSystemLoader(str(templates)))
    # a filter that fails is not applied to a constant as the code is made (output is folded
    # even unoptimized): papernotes' filters, some of which follow the site's config, run in pages
    unoptimized.filters = {name: function if name in DEFAULT_FILTERS else _at_render_time
                           for name, function in environment.filters.items()}
    unoptimized.compile_templates(str(target), zip=None)
    (target / "__init__.py").write_text(_INIT.format(digest=theme_digest(templates, settings)), encoding="utf-8")


def _at_render_time(*args: object, **kwargs: object) -> NoReturn:
    raise RuntimeError("applied when a page is rendered, not when its template is compiled")


if __name__ == "__main__":
    from .render import write_compiled_theme

    write_compiled_theme()
    print(f"compiled the theme's templates into {CODE}")
