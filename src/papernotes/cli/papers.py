"""``papernotes papers``: the paper registry."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..build import BuildOptions, SiteLayout, read_notes, site_config
from ..papers.fetch import ARXIV_API, REFERENCE_SOURCES, fetch, sources
from ..papers.registry import CACHE_FILE, load_registry
from . import SITE_DIR


@click.group("papers")
def papers_group() -> None:
    """Work with the paper registry."""


@papers_group.command("fetch")
@SITE_DIR
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
