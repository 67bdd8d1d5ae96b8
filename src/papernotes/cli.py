"""The ``papernotes`` command: parses arguments, calls the pipeline, prints what happened."""

from __future__ import annotations

import logging
import re
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Iterable, Iterator

import click

from . import __version__
from .build import BuildOptions, BuildResult, SiteLayout, build, read_notes, site_config
from .papers.fetch import ARXIV_API, REFERENCE_SOURCES, fetch, sources
from .papers.registry import CACHE_FILE, load_registry
from .deploy import DeployError, DeployOptions, publish, remote_url, repository_root, site_url
from .install_source import DISTRIBUTION, PLACEHOLDER, describe, installed_source, requirement_notice, requirements_text
from .scaffold import HOSTS, ScaffoldError, add_host_files, init_site, new_note
from .check import check_site, fetch_external
from .config import load_config, with_overrides
from .read.emptysite import why_no_notes
from .model import Diagnostic
from .read import discover, display_path
from .output import MARKER, OutputError

_SITE_DIR = click.argument("site_dir", required=False, default=".", type=click.Path(file_okay=False, path_type=Path))


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(describe(installed_source()))
        ctx.exit()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-V", "--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
              help=f"Print the version ({__version__}) and where papernotes was installed from.")
def main() -> None:
    """papernotes: turn a folder of paper notes (Markdown, feeds, plain text) into a static site."""
    # bibtexparser logs each bad entry; papernotes reports them as positioned diagnostics instead.
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)


@main.command("build")
@_SITE_DIR
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (default: SITE_DIR/site, or ./site when SITE_DIR has no content/).")
@click.option("--drafts", is_flag=True, help="Publish notes marked draft: true or published: false.")
@click.option("--base-url", help="Public URL of the site, e.g. https://user.github.io/notes/.")
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
@click.option("--force", is_flag=True, help="Replace an output folder papernotes did not create.")
@click.option("--no-cache", is_flag=True, help="Read every note again, ignoring .papernotes-cache/.")
@click.option("--no-search", is_flag=True, help="Do not build the Pagefind search index.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Worker processes for reading (default: one per core).")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
@click.option("-v", "--verbose", is_flag=True, help="Also print each note with its URL and where its date came from.")
def build_command(site_dir: Path, out_dir: Path | None, drafts: bool, base_url: str | None, strict: bool,
                  force: bool, no_cache: bool, no_search: bool, jobs: int | None, quiet: bool, verbose: bool) -> None:
    """Build the site in SITE_DIR (default: the current folder)."""
    if not site_dir.is_dir():
        raise click.ClickException(f"{site_dir} is not a folder")
    layout = SiteLayout.find(site_dir, out_dir)
    try:
        options = BuildOptions(drafts=drafts, base_url=base_url, force=force, cache=not no_cache, search=not no_search)
        with ProgressLine(enabled=not quiet and sys.stderr.isatty()) as progress:
            result = build(layout, replace(options, workers=jobs) if jobs else options, progress=progress)
    except OutputError as exc:
        raise click.ClickException(str(exc)) from None
    report(result, quiet=quiet, verbose=verbose, strict=strict)
    if not result.notes and result.up_to_date is None:
        found = discover(layout.content, exclude=(layout.out, layout.templates, layout.static, layout.cache))
        click.echo(why_no_notes({display_path(p) for p in found}, str(layout.content), result.diagnostics), err=True)
    if not quiet and not site_config(layout, options)[0].site_origin:
        click.echo("warning: base_url has no scheme and host, so feeds, the sitemap and social tags (og:url) carry "
                   "relative URLs that readers and crawlers reject; set base_url: https://… in papernotes.yaml "
                   "or pass --base-url", err=True)
    if result.errors or (strict and result.warnings):
        sys.exit(1)


@main.command("serve")
@_SITE_DIR
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port (0: any free port).")
@click.option("--drafts", is_flag=True, help="Show drafts too.")
@click.option("--open", "open_browser", is_flag=True, help="Open the site in a browser.")
@click.option("--poll", is_flag=True, help="Poll for changes (network drives, WSL, containers).")
@click.option("--no-search", is_flag=True, help="Do not build the search index.")
@click.option("--allow-host", "allowed_hosts", multiple=True, metavar="NAME",
              help="Also answer requests for this host name (repeatable; .example.org allows its subdomains). "
                   "IP addresses, localhost and --host are always allowed.")
def serve_command(site_dir: Path, host: str, port: int, drafts: bool, open_browser: bool, poll: bool, no_search: bool,
                  allowed_hosts: tuple[str, ...]) -> None:
    """Build SITE_DIR in memory, serve it, and rebuild and reload pages when files change."""
    from .serve.preview import run_preview

    if not site_dir.is_dir():
        raise click.ClickException(f"{site_dir} is not a folder")
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"warning: listening on {host}: anyone on your network can read this preview", err=True)
    try:
        run_preview(SiteLayout.find(site_dir), host, port, drafts=drafts, open_browser=open_browser, poll=poll,
                    search=not no_search, echo=click.echo, allowed_hosts=allowed_hosts,
                    show=lambda problems: _echo_lines(summarized(problems, False, REPEATS_SHOWN, hint="")))
    except OSError as exc:
        if exc.errno in (98, 48, 10048):  # address in use (Linux, macOS, Windows)
            raise click.ClickException(f"port {port} is in use; choose another with --port, or --port 0 for any free port") from None
        raise


@main.command("init")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--host", "hosts", multiple=True, type=click.Choice(list(HOSTS)),
              help="Where the site is built and served: writes that host's build file (repeatable; default: github). "
                   "In a folder that already holds a site, writes only the build files it lacks.")
def init_command(folder: Path, hosts: tuple[str, ...]) -> None:
    """Create a new site in FOLDER: config, two example notes, template notes, the host's build file."""
    source = installed_source()
    requirements = requirements_text(source)
    try:
        if hosts and folder.is_dir() and any(folder.iterdir()):
            written, kept = add_host_files(folder, hosts, requirements)
        else:
            written, kept = init_site(folder, hosts=hosts or ("github",), requirements=requirements), []
    except ScaffoldError as exc:
        raise click.ClickException(str(exc)) from None
    for path in written:
        click.echo(f"  {path}")
    for path in kept:
        click.echo(f"  {path} (exists; kept as it is)")
        if path.name == "requirements.txt" and DISTRIBUTION not in path.read_text(encoding="utf-8", errors="replace"):
            click.echo(f"warning: {path} names no papernotes; the build files install from it, so add: "
                       f"{source.requirement or PLACEHOLDER}", err=True)
    if folder / "requirements.txt" in written:
        click.echo("\n" + requirement_notice(source))
    if folder / "content/welcome.md" in written:
        click.echo(f"\nNext: cd {folder} && papernotes build && papernotes serve")
    for host in hosts or ("github",):
        click.echo(f"To publish on {host}: {HOSTS[host].next_step}.")


@main.command("deploy")
@_SITE_DIR
@click.option("--branch", default="gh-pages", show_default=True, help="Branch to commit the site to.")
@click.option("--remote", default="origin", show_default=True, help="Remote (a name or URL) to push the branch to.")
@click.option("-m", "--message", help="Commit message (default: names the source commit and papernotes version).")
@click.option("--base-url", help="Public URL of the site (default: base_url in papernotes.yaml, else the GitHub Pages "
                                 "address of the remote).")
@click.option("--no-push", is_flag=True, help="Commit to the local branch only.")
@click.option("--dry-run", is_flag=True, help="Build and list what would change; commit and push nothing.")
@click.option("--force", is_flag=True, help="Deploy even when the branch holds commits papernotes did not make.")
def deploy_command(site_dir: Path, branch: str, remote: str, message: str | None, base_url: str | None,
                   no_push: bool, dry_run: bool, force: bool) -> None:
    """Build SITE_DIR strictly and commit the site to a branch (gh-pages) of its git repository, then push it.

    The commit is made in a temporary git worktree: your working tree and index are not touched."""
    if not site_dir.is_dir():
        raise click.ClickException(f"{site_dir} is not a folder")
    options = DeployOptions(branch=branch, remote=remote, message=message, push=not no_push, dry_run=dry_run, force=force)
    try:
        layout = SiteLayout.find(site_dir)
        repo = repository_root(layout.root)
        url = base_url or site_url(load_config(layout.root)[0].base_url, remote_url(repo, remote))
        with tempfile.TemporaryDirectory(prefix="papernotes-site-") as scratch:
            result = build(SiteLayout.find(site_dir, Path(scratch) / "site"), BuildOptions(base_url=url))
            report(result, quiet=False, verbose=False)
            if result.errors or result.warnings:
                raise click.ClickException("deploy publishes a clean build only: fix the warnings and errors above")
            deployment = publish(repo, result.out_dir, url, options)
    except (DeployError, OutputError) as exc:
        raise click.ClickException(str(exc)) from None
    changed = f"{len(deployment.changes)} file{'' if len(deployment.changes) == 1 else 's'} changed"
    if not deployment.changes:
        pushed = f"; pushed it to {remote}" if deployment.pushed else ""
        click.echo(f"{branch} already holds this site ({url}); nothing to commit{pushed}")
    elif dry_run:
        for line in deployment.changes:
            click.echo(f"  {line}")
        click.echo(f"dry run: would commit {changed} to {branch}" + ("" if no_push else f" and push it to {remote}"))
    else:
        pushed = f", pushed to {remote}" if deployment.pushed else " (not pushed)"
        kept = "" if deployment.branch_updated else f"; the local {branch} has other commits and was left as it was"
        click.echo(f"committed {deployment.commit} to {branch}: {changed}{pushed}{kept} → {url}")


@main.command("new")
@click.argument("title")
@click.option("--paper", "papers", multiple=True, help="arXiv id, DOI or paper URL the note is about (repeatable).")
@click.option("--site", "site_dir", default=".", type=click.Path(file_okay=False, path_type=Path), help="Site folder.")
def new_command(title: str, papers: tuple[str, ...], site_dir: Path) -> None:
    """Create a note titled TITLE in the site's content folder, with its front matter filled in."""
    try:
        path = new_note(SiteLayout.find(site_dir).content, title, papers)
    except ScaffoldError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(str(path))


@main.command("check")
@click.argument("target", required=False, default=".", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--base-url", help="URL the site is served under (default: the site's config).")
@click.option("--external", "fetch_links", is_flag=True,
              help="Also request every external link (8 at a time, 10 s each) and report those that fail.")
def check_command(target: Path, base_url: str | None, fetch_links: bool) -> None:
    """Check every internal link of a built site (TARGET: a site folder or its output folder)."""
    if (target / MARKER).exists():
        out_dir, config_root = target, target.parent
    else:
        layout = SiteLayout.find(target)
        out_dir, config_root = layout.out, layout.root
    if not out_dir.is_dir():
        raise click.ClickException(f"{out_dir} does not exist; run papernotes build first")
    config, _ = load_config(config_root)
    config = with_overrides(config, base_url=base_url)
    result = check_site(out_dir, config.base_path)
    for broken in result.broken:
        click.echo(str(broken))
    for place in result.relative:
        click.echo(place)
    for link in result.external:
        click.echo(f"external: {link}")
    if fetch_links:
        for link, problem in fetch_external(result.external):
            click.echo(f"unreachable external link → {link} ({problem})")
    click.echo(f"{result.pages} pages, {result.links} links, {len(result.broken)} broken, {len(result.external)} external"
               + (f", {len(result.relative)} relative URLs that must be absolute (set base_url)" if result.relative else ""))
    if result.broken:
        sys.exit(1)


@main.group("papers")
def papers_group() -> None:
    """Work with the paper registry."""


@papers_group.command("fetch")
@_SITE_DIR
@click.option("--source", "chosen", multiple=True, type=click.Choice([s.name for s in sources()]),
              help="Ask only this API (repeatable); all of them by default.")
@click.option("--api", default=ARXIV_API, show_default=True, help="arXiv API endpoint.")
@click.option("--crossref-api", default="https://api.crossref.org", show_default=True)
@click.option("--acl-api", default="https://aclanthology.org", show_default=True)
@click.option("--openalex-api", default="https://api.openalex.org", show_default=True)
@click.option("--semanticscholar-api", default="https://api.semanticscholar.org", show_default=True)
@click.option("--delay", type=float, default=None, help="Seconds between requests [each API's own: arXiv 3, others 0.2–1].")
@click.option("--all", "refetch", is_flag=True, help="Ask again about papers already answered for, and those the "
              "BibTeX/YAML registry titles.")
def papers_fetch_command(site_dir: Path, chosen: tuple[str, ...], api: str, crossref_api: str, acl_api: str,
                         openalex_api: str, semanticscholar_api: str, delay: float | None, refetch: bool) -> None:
    """Fill paper metadata (titles, authors, year, venue, abstract, references) from arXiv, Crossref,
    the ACL Anthology, OpenAlex and Semantic Scholar into content/.papers-cache.json; commit it,
    builds never fetch. Interrupted, it resumes where it stopped."""
    layout = SiteLayout.find(site_dir)
    config, _ = site_config(layout, BuildOptions())
    registry = load_registry(layout.content)
    notes = read_notes(layout, config, registry).notes
    mentioned = sorted({registry.canonical(ref.id) for note in notes for ref in note.papers})
    curated = load_registry(layout.content, with_cache=False).papers  # papers.bib and papers.yaml
    untitled = [i for i in mentioned if refetch or not (curated.get(i) and curated[i].title)]
    failed = 0
    for source in sources(arxiv=api, crossref=crossref_api, acl=acl_api, openalex=openalex_api,
                          semanticscholar=semanticscholar_api, delay=delay):
        if chosen and source.name not in chosen:
            continue
        wanted = mentioned if source.name in REFERENCE_SOURCES else untitled
        result = fetch(wanted, layout.content / CACHE_FILE, source, refetch=refetch, progress=click.echo)
        failed += result.failed_batches
        if result.requested:
            click.echo(f"{source.name}: {result.fetched} of {result.requested} found")
    click.echo(f"cache: {layout.content / CACHE_FILE}")
    if failed:
        sys.exit(1)


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


def report(result: BuildResult, *, quiet: bool, verbose: bool, strict: bool = False) -> None:
    """Print diagnostics (errors always, warnings unless quiet) and a one-line summary. A build
    that found the site up to date tells the last build's warnings again only when they fail it
    (``strict``)."""
    color = sys.stderr.isatty()
    if verbose:
        for note in result.notes:
            date = note.date.iso() if note.date else "no date"
            click.echo(f"{note.source.path}: {note.url} · {date} ({note.date_source})")
    shown = [d for d in result.diagnostics if d.severity == "error" or not quiet]
    if result.up_to_date is not None and not verbose and not strict:
        shown = [d for d in shown if d.severity == "error"]  # the warnings were printed when the site was built
    for line in summarized(shown, color, limit=None if verbose else REPEATS_SHOWN):
        click.echo(line, err=True)
    if verbose:
        click.echo("time: " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in result.timings))
    if not quiet and result.up_to_date is not None:
        click.echo(f"up to date: nothing changed since the last build ({result.up_to_date} notes, {result.pages} pages, "
                   f"{result.warnings} warnings, {result.errors} errors); checked in {result.seconds:.2f} s → {result.out_dir}")
    elif not quiet:
        click.echo(
            f"{len(result.notes)} notes, {result.pages} pages, {result.warnings} warnings, "
            f"{result.errors} errors in {result.seconds:.2f} s → {result.out_dir}"
        )


MESSAGE_CHARS = 400
REPEATS_SHOWN = 3  # of one kind of message, before "… and N more like this"
_VARIABLE = re.compile(r"'[^']*'|\"[^\"]*\"|\{\{.*?\}\}|\d+")


def _echo_lines(lines: Iterable[str]) -> None:
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
        text += f"\n    {source}\n    {' ' * (diagnostic.col - 1)}^"
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


if __name__ == "__main__":  # pragma: no cover
    main()
