"""Absolute URLs: a build without base_url says once what needs it; check names each relative URL."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from papernotes.cli import main
from papernotes.config import base_url_problem

NOTE = {"content/a.md": "---\ntitle: A\ndate: 2024-01-02\n---\nHello.\n"}


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_a_build_without_base_url_warns_once(make_site):
    root = make_site(NOTE)
    result = run("build", str(root), "--no-search")
    assert result.exit_code == 0
    assert result.output.count("warning: base_url has no scheme and host") == 1


def test_a_build_with_an_absolute_base_url_does_not_warn(make_site):
    root = make_site(NOTE)
    result = run("build", str(root), "--no-search", "--base-url", "https://example.org/notes/")
    assert result.exit_code == 0 and "base_url" not in result.output


def test_check_reports_relative_urls_in_feeds_sitemap_and_social_tags(make_site):
    root = make_site(NOTE)
    run("build", str(root), "--no-search")
    output = run("check", str(root)).output
    for place in ("og:url is not an absolute URL", "canonical is not an absolute URL", "feed.xml: <id>",
                  "sitemap.xml: <loc>", "robots.txt: Sitemap", "feed.json: feed_url"):
        assert place in output, place
    assert "relative URLs that must be absolute" in output


def test_check_is_quiet_about_urls_when_base_url_is_absolute(make_site):
    root = make_site(NOTE)
    run("build", str(root), "--no-search", "--base-url", "https://example.org/")
    output = run("check", str(root)).output
    assert "not an absolute URL" not in output and "relative URLs" not in output


@pytest.mark.parametrize("value", ["javascript:alert(1)", "user.github.io/notes/", "ftp://example.org/",
                                   "https://example.org/a b/", 'https://example.org/"/', "notes/"])
def test_a_base_url_no_link_could_start_from_is_refused(make_site, value):
    """Every link was made relative to its path (``href="alert(1)/notes/a/"``); now the config's
    is an error and / is used, and the option's is refused before anything is built."""
    root = make_site({**NOTE, "papernotes.yaml": f"title: T\nbase_url: '{value}'\n"})
    result = run("build", str(root), "--no-search")
    assert result.exit_code == 1 and "papernotes.yaml:2:1: error: config key 'base_url'" in result.output
    assert 'href="/notes/a/"' in (root / "site/index.html").read_text()
    (root / "papernotes.yaml").unlink()
    refused = run("build", str(root), "--no-search", "--base-url", value)
    assert refused.exit_code == 2 and "Invalid value for '--base-url'" in refused.output


@pytest.mark.parametrize("value", ["", "/", "/sub/", "https://example.org", "http://localhost:8000/notes/"])
def test_a_base_url_of_a_host_or_a_path_from_the_root_is_taken(value):
    assert base_url_problem(value) is None
