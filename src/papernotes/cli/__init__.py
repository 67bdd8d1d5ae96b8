"""The ``papernotes`` command: parses arguments, calls the pipeline, prints what happened.

``build`` is here with the printing every command shares; each other command lives in its own
module, imported only when that command runs (or ``--help`` lists them all), so that
``papernotes build`` on a site that has not changed loads none of the pipeline.
"""

from __future__ import annotations

import importlib
import os
import re
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Callable, Collection, Iterable, Iterator, TypeVar

import click

from .. import __version__
from ..build import BuildOptions, BuildResult, SiteLayout, build
from ..uptodate import BASE_URL_WARNING, Check, up_to_date_line
from ..model import Diagnostic, shown_path, visible
from ..interrupt import GRACE, stopped_as_interrupted
from ..output import OutputError

FC = TypeVar("FC", bound=Callable[..., object])


def base_url_option(help: str) -> Callable[[FC], FC]:
    """``--base-url``, refused unless it is an http(s) URL with a host or a path from the root."""

    def checked(context: click.Context, parameter: click.Parameter, value: str | None) -> str | None:
        if value is None:
            return None
        from ..config import base_url_problem  # here: an up-to-date build loads no config module

        refused = base_url_problem(value)
        if refused:
            raise click.BadParameter(refused)
        return value

    return click.option("--base-url", help=help, callback=checked)


SITE_DIR = click.argument("site_dir", required=False, default=".", type=click.Path(file_okay=False, path_type=Path))


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        from ..install_source import describe, installed_source

        click.echo(describe(installed_source()))
        ctx.exit()


class Commands(click.Group):
    """A command group whose ``LAZY`` commands are imported from their module when asked for."""

    LAZY = {"check": "check:check_command", "deploy": "site:deploy_command", "init": "site:init_command",
            "new": "site:new_command", "papers": "papers:papers_group", "serve": "serve:serve_command"}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.LAZY})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.LAZY:
            return super().get_command(ctx, cmd_name)
        module, name = self.LAZY[cmd_name].split(":")
        command = getattr(importlib.import_module(f"{__name__}.{module}"), name)
        assert isinstance(command, click.Command)
        return command


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-V", "--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
              help=f"Print the version ({__version__}) and where papernotes was installed from.")
def main() -> None:
    """papernotes: turn a folder of paper notes (Markdown, feeds, plain text) into a static site."""


@main.command("build")
@SITE_DIR
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (default: SITE_DIR/site, or ./site when SITE_DIR has no content/).")
@click.option("--drafts", is_flag=True, help="Publish notes marked draft: true or published: false.")
@base_url_option("Public URL of the site, e.g. https://user.github.io/notes/.")
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
@click.option("--force", is_flag=True, help="Replace an output folder papernotes did not create.")
@click.option("--no-cache", is_flag=True, help="Read every note again, ignoring .papernotes-cache/.")
@click.option("--no-search", is_flag=True, help="Do not build the Pagefind search index.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Worker processes for reading (default: one per core).")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
@click.option("-v", "--verbose", is_flag=True, help="Also print each note with its URL and where its date came from.")
@click.option("-w", "--watch", is_flag=True, help="Keep running: build again each time a note, template, static "
              "file or the config changes (Ctrl-C stops).")
@click.option("--poll", is_flag=True, help="With --watch: look for changes by polling (network drives, containers).")
@click.pass_obj
def build_command(looked: Check | None, site_dir: Path, out_dir: Path | None, drafts: bool, base_url: str | None,
                  strict: bool, force: bool, no_cache: bool, no_search: bool, jobs: int | None, quiet: bool,
                  verbose: bool, watch: bool, poll: bool) -> None:
    """Build the site in SITE_DIR (default: the current folder)."""
    if not site_dir.is_dir():
        raise click.ClickException(f"{site_dir} is not a folder")
    if watch and no_cache:
        raise click.UsageError("--watch keeps each build's state for the next one; it cannot be used with --no-cache")
    layout = SiteLayout.find(site_dir, out_dir)
    options = BuildOptions(drafts=drafts, base_url=base_url, force=force, cache=not no_cache, search=not no_search)
    options = replace(options, workers=jobs) if jobs else options
    if watch:
        return _build_on_change(layout, options, quiet=quiet, verbose=verbose, strict=strict, poll=poll)
    try:
        with stopped_as_interrupted(end_outright), ProgressLine(enabled=not quiet and sys.stderr.isatty()) as progress:
            result = build(layout, options, progress=progress, looked=looked if isinstance(looked, Check) else None)
    except OutputError as exc:
        raise click.ClickException(str(exc)) from None
    report(result, quiet=quiet, verbose=verbose, strict=strict)
    if not result.notes and result.up_to_date is None:
        from ..engine import note_files
        from ..read.emptysite import why_no_notes

        click.echo(why_no_notes(set(note_files(layout)), shown_path(str(layout.content)), result.diagnostics), err=True)
    if not quiet and not result.site_origin:
        click.echo(BASE_URL_WARNING, err=True)
    if result.errors or (strict and result.warnings):
        sys.exit(1)


def _build_on_change(layout: SiteLayout, options: BuildOptions, *, quiet: bool, verbose: bool, strict: bool,
                     poll: bool) -> None:
    """``build --watch``: build, then build again on each change, reporting each build, until
    interrupted."""
    from ..watchbuilds import build_on_change

    def failed(exc: Exception) -> None:
        click.echo(f"error: the build failed: {exc!r}; the output is as the last build left it", err=True)

    def watching() -> None:
        if not quiet:
            click.echo(f"watching {shown_path(str(layout.root))} for changes (Ctrl-C to stop)")  # notes, templates, config

    told: frozenset[Diagnostic] | None = None  # the problems of the last build reported (None: none yet)

    def built(result: BuildResult) -> None:
        nonlocal told
        if told is None or result.up_to_date is None:  # a save that changed nothing is not worth a line
            report(result, quiet=quiet, verbose=verbose, strict=strict, told=told or (), count_changed=told is not None)
            told = frozenset(result.diagnostics)

    try:
        with stopped_as_interrupted(end_outright):
            build_on_change(layout, options, built, failed, poll=poll, watching=watching)
    except OutputError as exc:
        raise click.ClickException(str(exc)) from None
    except KeyboardInterrupt:
        if not quiet:
            click.echo("stopped")


class ProgressLine:
    """One self-rewriting status line on a terminal, shown only once a build has taken a second."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.started = time.monotonic()
        self.last = 0.0
        self.shown = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if not self.enabled or now - self.started < 1 or now - self.last < 0.1:
            return
        self.last, self.shown = now, True
        count = f" {done}/{total}" if total else (f" {done}" if done else "")
        sys.stderr.write(f"\r\033[K{stage}{count}…")
        sys.stderr.flush()

    def __enter__(self) -> "ProgressLine":
        return self

    def __exit__(self, *exc: object) -> None:
        if self.shown:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


def end_outright() -> None:
    """End a command that was asked to stop and has not cleaned up in time (a worker process
    killed while sending a result can leave its pool waiting forever)."""
    click.echo(f"papernotes: not stopped within {GRACE:.0f} s of being asked to; ending now", err=True)
    sys.stderr.flush()
    os._exit(1)


def report(result: BuildResult, *, quiet: bool, verbose: bool, strict: bool = False,
           told: Collection[Diagnostic] = (), count_changed: bool = False) -> None:
    """Print diagnostics (errors always, warnings unless quiet) but those ``told`` already, and a
    one-line summary (with the number of output files changed, when ``count_changed``). A build
    that found the site up to date tells the last build's warnings again only when they fail it
    (``strict``)."""
    color = sys.stderr.isatty()
    if verbose:
        for note in result.notes:
            date = note.date.iso() if note.date else "no date"
            click.echo(f"{shown_path(note.source.path)}: {note.url} · {date} ({note.date_source})")
    shown = [d for d in result.diagnostics if (d.severity == "error" or not quiet) and d not in told]
    if result.up_to_date is not None and not verbose and not strict:
        shown = [d for d in shown if d.severity == "error"]  # the warnings were printed when the site was built
    for line in summarized(shown, color, limit=None if verbose else REPEATS_SHOWN):
        click.echo(line, err=True)
    if verbose:
        click.echo("time: " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in result.timings))
    if not quiet and result.up_to_date is not None:
        click.echo(up_to_date_line(result.up_to_date, result.pages, result.warnings, result.errors, result.seconds,
                                   result.out_dir))
    elif not quiet:
        changed = f", {len(result.changed)} file{'s' if len(result.changed) != 1 else ''} changed" if count_changed else ""
        click.echo(
            f"{len(result.notes)} notes, {result.pages} pages, {result.warnings} warnings, "
            f"{result.errors} errors in {result.seconds:.2f} s{changed} → {result.out_dir}"
        )


MESSAGE_CHARS = 400
REPEATS_SHOWN = 3  # of one kind of message, before "… and N more like this"
_VARIABLE = re.compile(r"'[^']*'|\"[^\"]*\"|\{\{.*?\}\}|\d+")


def echo_lines(lines: Iterable[str]) -> None:
    for line in lines:
        click.echo(line)


def summarized(diagnostics: Iterable[Diagnostic], color: bool, limit: int | None,
               hint: str = " (-v shows them all)") -> Iterator[str]:
    """Each diagnostic formatted, but of messages alike (the same words around different quoted
    values and numbers) only the first ``limit``, then a count of the rest."""
    groups: dict[tuple[str, str], list[Diagnostic]] = {}
    for diagnostic in diagnostics:
        groups.setdefault((diagnostic.severity, _VARIABLE.sub("…", diagnostic.message)), []).append(diagnostic)
    for group in groups.values():
        shown = group if limit is None or len(group) <= limit + 1 else group[:limit]  # never "… and 1 more"
        for diagnostic in shown:
            yield format_diagnostic(diagnostic, color)
        if len(shown) < len(group):
            yield f"… and {len(group) - len(shown)} more like this{hint}"


def format_diagnostic(diagnostic: Diagnostic, color: bool = False) -> str:
    """``path:line:col: severity: message``, with the source line and a caret when known; a
    message quoting a huge input is cut short."""
    text = str(diagnostic)
    if len(text) > MESSAGE_CHARS:
        text = text[:MESSAGE_CHARS - 1] + "…"
    if color:
        tint = "red" if diagnostic.severity == "error" else "yellow"
        text = text.replace(f" {diagnostic.severity}:", " " + click.style(diagnostic.severity + ":", fg=tint, bold=True), 1)
    source = diagnostic.source_line
    if source is None and color:
        source = _line_of(diagnostic.path, diagnostic.line)
    if source is not None and len(source) <= MESSAGE_CHARS:
        text += f"\n    {visible(source)}\n    {' ' * (diagnostic.col - 1)}^"
    return text


def _line_of(path: str, line: int) -> str | None:
    """The file's line, for showing under a diagnostic on a terminal."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            for number, text in enumerate(handle, 1):
                if number == line:
                    return text.rstrip("\n")
    except OSError:
        return None
    return None
