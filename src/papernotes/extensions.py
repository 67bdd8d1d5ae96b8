"""A site's own emitters, readers and markdown-it plugins: the ``plugins:`` key of
``papernotes.yaml`` and the ``papernotes.*`` entry points.

A plugin is a Python module (a file beside ``papernotes.yaml`` such as ``plugins/my_emitter.py``
named ``plugins.my_emitter``, or any importable module) that defines any of

- ``emitters``: functions ``emit(graph, config)`` (or ``emit(graph, config, wanted)``) yielding
  ``Page`` and ``TextFile`` values, run after the built-in emitters;
- ``readers``: ``ReaderRule(kind, claims, read)`` values, tried before the built-in readers;
- ``markdown_plugins``: markdown-it plugins ``plugin(md, **opts)``, or ``(plugin, opts)`` pairs.

Installed packages add the same through entry points in the groups ``papernotes.emitters``,
``papernotes.readers`` and ``papernotes.markdown`` (each entry point names one emitter, rule or
plugin). A plugin that cannot be loaded is a diagnostic naming it; the site builds without it.
"""

from __future__ import annotations

import functools
import hashlib
import re
import importlib
import importlib.util
import inspect
import sys
from dataclasses import dataclass, field
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, Iterable, Iterator, Mapping

from .model import Diagnostic, DiagnosticError, Page, ReadResult, TextFile

#: ``papernotes.<group>`` entry points, by what they provide.
ENTRY_POINT_GROUPS = {"emitters": "papernotes.emitters", "readers": "papernotes.readers",
                      "markdown": "papernotes.markdown"}


@dataclass(frozen=True)
class ReaderRule:
    """A reader with its sniffing rule: ``claims(text, suffix)`` says whether ``read(source,
    context) -> ReadResult`` reads a decoded file; the first rule that claims a file reads it."""

    kind: str
    claims: Callable[[str, str], bool]
    read: Callable[..., ReadResult]


MarkdownPlugin = tuple[Callable[..., None], Mapping[str, Any]]


@dataclass(frozen=True)
class Plugins:
    """The loaded plugins. Two are equal when they name the same modules with the same source,
    so a config holding them is a stable cache key; a worker process loads them again by name."""

    names: tuple[str, ...] = ()
    site_dir: str = ""
    digest: str = ""
    emitters: tuple[Callable[..., Iterable[Any]], ...] = field(default=(), compare=False, repr=False)
    readers: tuple[ReaderRule, ...] = field(default=(), compare=False, repr=False)
    markdown: tuple[MarkdownPlugin, ...] = field(default=(), compare=False, repr=False)

    def __reduce__(self) -> tuple[Any, ...]:
        return _reload, (self.names, self.site_dir, self.digest)


def load_plugins(names: Iterable[str], site_dir: Path | None, shown: str = "papernotes.yaml",
                 line: int = 1) -> tuple[Plugins, tuple[Diagnostic, ...]]:
    """The plugins ``names`` (looked up beside the config first, then on the import path) and every
    installed ``papernotes.*`` entry point; one diagnostic per plugin that fails to load."""
    emitters: list[Callable[..., Iterable[Any]]] = []
    readers: list[ReaderRule] = []
    markdown: list[MarkdownPlugin] = []
    problems: list[Diagnostic] = []
    sources: list[bytes] = []
    names = tuple(names)
    for name in names:
        try:
            module = _import(name, site_dir)
            sources.append(_source(module))
            emitters += [_guarded(f, name, shown, line) for f in getattr(module, "emitters", ())]
            readers += [_checked_rule(rule) for rule in getattr(module, "readers", ())]
            markdown += [_as_markdown_plugin(p) for p in getattr(module, "markdown_plugins", ())]
        except Exception as exc:  # a plugin is the site's own code: any failure is reported, not raised
            problems.append(Diagnostic("error", shown, line, 1, f"plugin {name!r} was not loaded: {_why(exc)}"))
    for kind, group in ENTRY_POINT_GROUPS.items():
        for point in installed(group):
            label = f"{group}:{point.name}"
            try:
                loaded = point.load()
                if kind == "emitters":
                    emitters.append(_guarded(loaded, label, shown, line))
                elif kind == "readers":
                    readers.append(_checked_rule(loaded))
                else:
                    markdown.append(_as_markdown_plugin(loaded))
                sources.append(f"{label}={point.value}".encode())
            except Exception as exc:
                problems.append(Diagnostic("error", shown, line, 1, f"plugin {label!r} was not loaded: {_why(exc)}"))
    digest = hashlib.blake2b(b"\0".join(sources), digest_size=8).hexdigest() if sources else ""
    plugins = Plugins(names, str(site_dir or ""), digest, tuple(emitters), tuple(readers), tuple(markdown))
    return plugins, tuple(problems)


def installed(group: str) -> tuple[EntryPoint, ...]:
    """The entry points of ``group`` of every installed package, by name."""
    return _installed()[group]


@functools.cache  # installed packages do not change while papernotes runs: one scan (~6 ms) serves every group
def _installed() -> dict[str, tuple[EntryPoint, ...]]:
    found = entry_points()
    return {group: tuple(sorted(found.select(group=group), key=lambda point: point.name))
            for group in ENTRY_POINT_GROUPS.values()}


@functools.lru_cache(maxsize=8)  # a worker process unpickles many contexts: load each set of plugins once
def _reload(names: tuple[str, ...], site_dir: str, digest: str) -> Plugins:
    """The plugins a ``Plugins`` value was loaded from (``digest`` tells an edited set apart)."""
    if not names and not digest:
        return Plugins(site_dir=site_dir)
    return load_plugins(names, Path(site_dir) if site_dir else None)[0]


_MODULE_NAME = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")


def _import(name: str, site_dir: Path | None) -> ModuleType:
    """The module ``name``: ``site_dir/<name>.py`` (dots are folders) or a package folder there,
    else an importable module."""
    if not _MODULE_NAME.fullmatch(name):  # a path would reach files outside the site
        raise ImportError("not a module name such as plugins.my_emitter")
    rel = name.removesuffix(".py").replace(".", "/")
    for candidate in ((site_dir / f"{rel}.py", site_dir / rel / "__init__.py") if site_dir else ()):
        if candidate.is_file():
            return _load_file(name, candidate)
    return importlib.import_module(name)


def _load_file(name: str, path: Path) -> ModuleType:
    """Run a site-local plugin file as a module of its own (named by its path and content, so an
    edited plugin is loaded afresh by a long-lived preview)."""
    data = path.read_bytes()
    unique = f"papernotes_site_plugin_{hashlib.blake2b(str(path).encode() + data, digest_size=6).hexdigest()}"
    if unique in sys.modules:
        return sys.modules[unique]
    spec = importlib.util.spec_from_file_location(unique, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[unique] = module  # dataclasses and pickling look a module up by name
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[unique]
        raise
    return module


def _source(module: ModuleType) -> bytes:
    try:
        return inspect.getsource(module).encode()
    except (OSError, TypeError):
        return module.__name__.encode()


def _guarded(emitter: Callable[..., Iterable[Any]], name: str, shown: str, line: int) -> Callable[..., Iterator[Any]]:
    """The emitter as ``emit(graph, config, wanted)``: its pages filtered by ``wanted``, and a
    failure turned into a file that reports it, at the ``plugins:`` line, when the build writes it
    (the rest still builds)."""
    if not callable(emitter):
        raise TypeError(f"emitter {emitter!r} is not a function")
    takes_wanted = len(inspect.signature(emitter).parameters) >= 3
    label = getattr(emitter, "__name__", repr(emitter))

    def emit(graph: Any, config: Any, wanted: Callable[[str], bool]) -> Iterator[Any]:
        try:
            for page in (emitter(graph, config, wanted) if takes_wanted else emitter(graph, config)):
                if not isinstance(page, (Page, TextFile)):
                    raise TypeError(f"it yielded {type(page).__name__}, not a Page or TextFile")
                if wanted(page.url):
                    yield page
        except Exception as exc:
            problem = Diagnostic("error", shown, line, 1, f"plugin {name!r} failed in emitter {label}: {_why(exc)}")
            yield TextFile("/" + Path(shown).name, _fail(problem), None)

    emit.__name__ = f"{name}.{label}"
    return emit


def _fail(problem: Diagnostic) -> Callable[[], str]:
    """A file that stands for a failed emitter's pages: making it raises the diagnostic, which
    the build reports as it reports any file it cannot make."""
    def make() -> str:
        raise DiagnosticError(problem)
    return make


def _checked_rule(rule: Any) -> ReaderRule:
    if not isinstance(rule, ReaderRule):
        raise TypeError(f"readers must hold ReaderRule(kind, claims, read) values, not {type(rule).__name__}")
    return rule


def _as_markdown_plugin(plugin: Any) -> MarkdownPlugin:
    if callable(plugin):
        return plugin, {}
    if isinstance(plugin, tuple) and len(plugin) == 2 and callable(plugin[0]) and isinstance(plugin[1], Mapping):
        return plugin[0], plugin[1]
    raise TypeError(f"markdown_plugins must hold plugin(md, **opts) functions or (plugin, options) pairs, not {plugin!r}")


def _why(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {str(exc)[:300]}"
