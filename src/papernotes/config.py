"""Load ``papernotes.yaml`` into a frozen Config, with a default for every key."""

from __future__ import annotations

import dataclasses
import difflib
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping
from urllib.parse import quote, urlsplit

from .model import Diagnostic, DiagnosticError
from .sitefiles import CONFIG_FILE
from .extensions import Plugins, load_plugins
from .siteurls import SiteURLs, site_urls
from .yamltext import load_yaml_with_lines, plain

_URL_SAFE_MARKS = "/#?=&%:~+"  # what a site path keeps as it is, beside letters, digits and ``_.-~``
_URL_SAFE = re.compile(r"[A-Za-z0-9_.\-~/#?=&%:+]*").fullmatch  # a path ``quote`` would leave as it is


@dataclass(frozen=True)
class FeedSource:
    """Per-feed settings, keyed in config by the feed file's stem."""

    tags: tuple[str, ...] = ()
    canonical: bool = True


@dataclass(frozen=True)
class Config:
    """Everything a build needs to know about the site besides its notes."""

    title: str = "Paper notes"
    description: str = ""
    author: str = ""
    base_url: str = "/"
    language: str = "en"
    page_size: int = 10
    permalink: str = "/notes/{slug}/"
    feed_size: int = 20
    max_file_size: int = 10_000_000
    unsafe_html: bool = True  # raw HTML in the site's own Markdown (feeds are always sanitized)
    markdown_flavor: str = "auto"  # auto (per file, see sources/flavor.py), kramdown or commonmark
    math_macros: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))  # TeX macros for every note
    drafts: bool = False
    feeds: Mapping[str, FeedSource] = field(default_factory=lambda: MappingProxyType({}))
    params: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    urls: SiteURLs = field(default_factory=SiteURLs)  # where each kind of page lives
    plugins: Plugins = field(default_factory=Plugins)  # the site's own emitters, readers, markdown plugins

    @functools.cached_property
    def base_path(self) -> str:
        """The path part of base_url, always starting and ending with ``/``."""
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    @functools.cached_property
    def site_origin(self) -> str:
        """``scheme://host`` of base_url, or ``""`` when base_url is only a path."""
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""

    def url(self, path: str) -> str:
        """A site path with the base path in front (``/notes/x/`` → ``/sub/notes/x/``)."""
        if not path or "://" in path or path.startswith(("#", "mailto:")):
            return path
        path = path.lstrip("/")
        return self.base_path + (path if _URL_SAFE(path) else quote(path, safe=_URL_SAFE_MARKS))

    def absolute_url(self, path: str) -> str:
        """``url(path)`` with the site's scheme and host, when base_url has them."""
        return path if "://" in path else self.site_origin + self.url(path)


#: The settings only pages show: no note reads differently for them (but through Liquid's
#: ``site.*``, which a read result tells it may have used: ``ReadResult.site_variables``).
SHOWN_ONLY = ("title", "description", "author", "language", "page_size", "feed_size", "params")


def for_reading(config: Config) -> Config:
    """``config`` as readers see it: the settings pages alone show at their defaults, so that
    changing one reads no note again; all of it when the site has readers of its own."""
    if config.plugins.readers:
        return config
    defaults = Config()
    return dataclasses.replace(config, **{name: getattr(defaults, name) for name in SHOWN_ONLY})


_SCALARS: dict[str, type] = {"title": str, "description": str, "author": str, "base_url": str,
            "language": str, "page_size": int, "permalink": str, "feed_size": int, "max_file_size": int}
#: Every top-level key papernotes reads; another is kept for templates but warned about.
#: What each known key that takes a mapping must hold (any other value is an error, not a template value).
_SHAPES = {"params": "a mapping of names to values for templates",
           "markdown": "a mapping: flavor (auto, kramdown or commonmark) and unsafe_html (true or false)",
           "math": "a mapping such as macros: {\\R: \\mathbb{R}}"}
KNOWN_KEYS = frozenset({*_SCALARS, "feeds", "markdown", "math", "params", "urls", "plugins"})


def load_config(site_dir: Path) -> tuple[Config, tuple[Diagnostic, ...]]:
    """Read ``site_dir/papernotes.yaml`` if present; unknown keys go to ``params``."""
    path = site_dir / CONFIG_FILE
    shown = str(path)
    if not path.is_file():
        return config_from_mapping({}, shown, {}, site_dir)
    try:
        data, key_lines = load_yaml_with_lines(path.read_text(encoding="utf-8-sig"), shown)
    except DiagnosticError as exc:
        return Config(), (exc.diagnostic,)
    except (OSError, UnicodeDecodeError) as exc:
        return Config(), (Diagnostic("error", shown, 1, 1, f"cannot read config: {exc}"),)
    if data is None:
        return config_from_mapping({}, shown, key_lines, site_dir)
    if not isinstance(data, dict):
        return Config(), (Diagnostic("error", shown, 1, 1, "config must be a mapping of keys to values"),)
    return config_from_mapping(data, shown, key_lines, site_dir)


def config_from_mapping(data: Mapping[str, Any], shown: str = CONFIG_FILE, key_lines: Mapping[str, int] | None = None,
                        site_dir: Path | None = None) -> tuple[Config, tuple[Diagnostic, ...]]:
    """Build a Config from parsed YAML, reporting keys of the wrong type and unknown keys (with the
    known key they were probably meant to be); plugins are looked up in ``site_dir`` first."""
    problems: list[Diagnostic] = []
    values: dict[str, Any] = {}
    params: dict[str, Any] = {}
    lines = key_lines or {}
    for key, value in data.items():
        key = str(key)
        if key not in KNOWN_KEYS:
            problems.append(Diagnostic("warning", shown, lines.get(key, 1), 1, unknown_key_message(key)))
        if value is None and key in _SHAPES:  # ``math:`` with its keys commented out: the defaults
            value = {}
        if key == "params" and isinstance(value, dict):
            params.update({str(k): plain(v) for k, v in value.items()})
        elif key in _SCALARS:
            kind = _SCALARS[key]
            if isinstance(value, kind) and not isinstance(value, bool) and (not isinstance(value, int) or value > 0):
                values[key] = value
            else:
                problems.append(Diagnostic("error", shown, lines.get(key, 1), 1, f"config key {key!r} must be a {'positive whole number' if kind is int else 'string'}"))
        elif key == "feeds":
            values["feeds"] = MappingProxyType(_feed_sources(value, shown, problems))
        elif key == "markdown" and isinstance(value, dict) and isinstance(value.get("unsafe_html", True), bool):
            values["unsafe_html"] = value.get("unsafe_html", True)
            values.update(_markdown_flavor(value, shown, lines.get(key, 1), problems))
        elif key == "math" and isinstance(value, dict):
            values.update(_math_settings(value, shown, lines.get(key, 1), problems))
        elif key == "plugins":
            names = [value] if isinstance(value, str) else value
            if isinstance(names, list) and all(isinstance(n, str) for n in names):
                values["plugins"], failed = load_plugins(names, site_dir, shown, lines.get(key, 1))
                problems += failed
            else:
                problems.append(Diagnostic("error", shown, lines.get(key, 1), 1,
                                           "config key 'plugins' must list module names such as plugins.my_emitter"))
        elif key == "urls":
            values["urls"], refused = site_urls(value)
            problems += [Diagnostic("error", shown, lines.get(f"urls.{kind}", lines.get(key, 1)), 1,
                                    f"config key 'urls{'.' + kind if kind else ''}' {problem}") for kind, problem in refused]
        elif key in _SHAPES:  # a known key holding what it cannot
            problems.append(Diagnostic("error", shown, lines.get(key, 1), 1, f"config key {key!r} must be {_SHAPES[key]}"))
        else:
            params[str(key)] = plain(value)
    if "plugins" not in values and "plugins" not in data:  # installed entry points still count
        values["plugins"], failed = load_plugins((), site_dir, shown)
        problems += failed
    unusable = base_url_problem(values.get("base_url", Config.base_url))
    if unusable:
        problems.append(Diagnostic("error", shown, lines.get("base_url", 1), 1, f"config key 'base_url' {unusable}; / is used"))
        values.pop("base_url", None)
    permalink = values.get("permalink", Config.permalink)
    if not permalink.startswith("/") or "{slug}" not in permalink:
        problems.append(Diagnostic("error", shown, 1, 1, "config key 'permalink' must start with '/' and contain {slug}"))
        values.pop("permalink", None)
    return Config(**values, params=MappingProxyType(params)), tuple(problems)


def base_url_problem(value: str) -> str | None:
    """Why ``value`` cannot be a site's base URL (None: it can). Pages link to each other under its
    path, so a value such as ``javascript:x`` or ``user.github.io/notes`` made every link relative."""
    parts = urlsplit(value)
    if any(mark in value for mark in ' "<>\\`\'') or any(ord(c) < 32 for c in value):
        return "must not hold spaces, quotes, angle brackets or backslashes"
    if (parts.scheme in ("http", "https") and parts.netloc) or (not parts.scheme and not parts.netloc
                                                                and (not value or value.startswith("/"))):
        return None
    return "must be an http(s) URL with a host (https://user.github.io/notes/) or a path from the site's root (/notes/)"


def unknown_key_message(key: str) -> str:
    """``unknown config key 'titel' (did you mean 'title'?)``, and where such a value goes."""
    guess = difflib.get_close_matches(key, sorted(KNOWN_KEYS), n=1, cutoff=0.6)
    hint = f" (did you mean {guess[0]!r}?)" if guess else ""
    return (f"unknown config key {key!r}{hint}; kept for templates as site.params.{key} "
            "(put template values under params: to silence this)")


def _markdown_flavor(value: Mapping[str, Any], shown: str, line: int, problems: list[Diagnostic]) -> dict[str, Any]:
    flavor = value.get("flavor", "auto")
    if flavor in ("auto", "kramdown", "commonmark"):
        return {"markdown_flavor": flavor}
    problems.append(Diagnostic("error", shown, line, 1, "config key 'markdown.flavor' must be auto, kramdown or commonmark"))
    return {}


def _math_settings(value: Mapping[str, Any], shown: str, line: int, problems: list[Diagnostic]) -> dict[str, Any]:
    macros = value.get("macros", {})
    if not isinstance(macros, dict):
        problems.append(Diagnostic("error", shown, line, 1, "config key 'math.macros' must map macro names to TeX"))
        return {}
    return {"math_macros": MappingProxyType({str(k): plain(v) for k, v in macros.items()})}


def _feed_sources(value: Any, shown: str, problems: list[Diagnostic]) -> dict[str, FeedSource]:
    if not isinstance(value, dict):
        problems.append(Diagnostic("error", shown, 1, 1, "config key 'feeds' must map feed names to settings"))
        return {}
    feeds = {}
    for name, settings in value.items():
        settings = settings or {}
        tags = settings.get("tags", ()) if isinstance(settings, dict) else ()
        tags = (tags,) if isinstance(tags, str) else tuple(str(t) for t in tags)
        canonical = bool(settings.get("canonical", True)) if isinstance(settings, dict) else True
        feeds[str(name)] = FeedSource(tags=tags, canonical=canonical)
    return feeds


def with_overrides(config: Config, **changes: Any) -> Config:
    """A copy of ``config`` with the CLI's overrides applied (``None`` leaves a key alone)."""
    return dataclasses.replace(config, **{k: v for k, v in changes.items() if v is not None})
