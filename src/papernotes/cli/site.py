"""``papernotes init``, ``new`` and ``deploy``: making a site, a note, and publishing the site."""

from __future__ import annotations

import tempfile
from pathlib import Path

import click

from ..build import BuildOptions, SiteLayout, build
from ..config import load_config
from ..deploy import DeployError, DeployOptions, publish, remote_url, repository_root, site_url
from ..install_source import DISTRIBUTION, PLACEHOLDER, installed_source, requirement_notice, requirements_text
from ..interrupt import stopped_as_interrupted
from ..output import OutputError
from ..scaffold import HOSTS, ScaffoldError, add_host_files, init_site, new_note
from . import SITE_DIR, base_url_option, end_outright, report


@click.command("init")
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


@click.command("deploy")
@SITE_DIR
@click.option("--branch", default="gh-pages", show_default=True, help="Branch to commit the site to.")
@click.option("--remote", default="origin", show_default=True, help="Remote (a name or URL) to push the branch to.")
@click.option("-m", "--message", help="Commit message (default: names the source commit and papernotes version).")
@base_url_option("Public URL of the site (default: base_url in papernotes.yaml, else the GitHub Pages "
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
        with stopped_as_interrupted(end_outright), tempfile.TemporaryDirectory(prefix="papernotes-site-") as scratch:
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


@click.command("new")
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
