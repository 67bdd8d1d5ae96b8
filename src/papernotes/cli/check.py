"""``papernotes check``: the links of a built site."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..check import check_site, fetch_external
from ..config import load_config, with_overrides
from ..sitefiles import MARKER
from ..sitelayout import SiteLayout
from . import base_url_option


@click.command("check")
@click.argument("target", required=False, default=".", type=click.Path(exists=True, file_okay=False, path_type=Path))
@base_url_option("URL the site is served under (default: the site's config).")
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
