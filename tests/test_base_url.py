"""Absolute URLs: a build without base_url says once what needs it; check names each relative URL."""

from __future__ import annotations

from click.testing import CliRunner

from papernotes.cli import main

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
