"""``papernotes serve``: the preview server."""

from __future__ import annotations

from pathlib import Path

import click

from ..serve.preview import run_preview
from ..sitelayout import SiteLayout
from . import REPEATS_SHOWN, SITE_DIR, echo_lines, summarized


@click.command("serve")
@SITE_DIR
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
    if not site_dir.is_dir():
        raise click.ClickException(f"{site_dir} is not a folder")
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"warning: listening on {host}: anyone on your network can read this preview", err=True)
    try:
        run_preview(SiteLayout.find(site_dir), host, port, drafts=drafts, open_browser=open_browser, poll=poll,
                    search=not no_search, echo=click.echo, allowed_hosts=allowed_hosts,
                    show=lambda problems: echo_lines(summarized(problems, False, REPEATS_SHOWN, hint="")))
    except OSError as exc:
        if exc.errno in (98, 48, 10048):  # address in use (Linux, macOS, Windows)
            raise click.ClickException(f"port {port} is in use; choose another with --port, or --port 0 for any free port") from None
        raise
