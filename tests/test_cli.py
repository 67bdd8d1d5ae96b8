"""The command line: summary line, diagnostics, exit codes."""

from __future__ import annotations

import os
from pathlib import Path

from click.testing import CliRunner

from papernotes import __version__
from papernotes.cli import main


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_version_and_help():
    assert run("--version").output.startswith(f"papernotes {__version__} (")  # and where it was installed from
    for args in (["--help"], ["build", "--help"], ["check", "--help"]):
        result = run(*args)
        assert result.exit_code == 0 and "Usage:" in result.output


def test_build_prints_a_summary_and_exits_zero(make_site):
    root = make_site({"content/a.md": "---\ntitle: A\n---\nHello"})
    result = run("build", str(root))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("1 notes, ")
    assert " 0 warnings, 0 errors in " in result.output


def test_errors_are_printed_with_positions_and_exit_one(make_site, monkeypatch):
    root = make_site({"content/a.md": "---\ntitle: [unclosed\n---\n", "content/b.md": "# B"})
    monkeypatch.chdir(root)
    result = run("build")
    assert result.exit_code == 1
    assert "content/a.md:3:1: error: invalid YAML" in result.output
    assert "1 notes" in result.output and "1 errors" in result.output


def test_strict_fails_on_warnings(make_site):
    root = make_site({"content/a.md": "---\ntitle: A\ndate: whenever\n---\n"})
    assert run("build", str(root)).exit_code == 0
    result = run("build", str(root), "--strict")
    assert result.exit_code == 1 and "warning: cannot read date" in result.output


def test_quiet_prints_only_errors(make_site):
    root = make_site({"content/a.md": "---\ntitle: A\ndate: whenever\n---\n"})
    assert run("build", str(root), "-q").output == ""


def test_verbose_names_where_each_date_came_from(make_site):
    root = make_site({"content/2024-01-02-a.md": "x", "content/b.md": "---\ndate: 2020-01-01\n---\n",
                      "content/log.txt": "a plain text log"})
    written = (root / "content" / "log.txt").stat().st_mtime - 40 * 86400  # edited, not copied with the rest
    os.utime(root / "content" / "log.txt", (written, written))
    output = run("build", str(root), "-v").output
    assert "/notes/a/ · 2024-01-02 (file name)" in output
    assert "/notes/b/ · 2020-01-01 (front matter)" in output
    assert "(modification time)" in output


def test_output_option_and_refusal_to_overwrite(make_site, tmp_path: Path):
    root = make_site({"content/a.md": "# A"})
    out = tmp_path / "elsewhere"
    out.mkdir()
    (out / "precious.txt").write_text("x")
    result = run("build", str(root), "-o", str(out))
    assert result.exit_code == 1 and "--force" in result.output
    assert run("build", str(root), "-o", str(out), "--force").exit_code == 0
    assert (out / "notes/a/index.html").is_file()


def test_check_reports_broken_links(make_site):
    root = make_site({"content/a.md": "[gone](/nowhere/) and [ok](/tags/) and [anchor](#missing)"})
    assert run("build", str(root)).exit_code == 0
    result = run("check", str(root))
    assert result.exit_code == 1
    assert "notes/a/index.html: broken link → /nowhere/ (no such file)" in result.output
    assert "broken link → #missing (no element with id 'missing')" in result.output


def test_messages_alike_are_counted_after_the_first_three():
    from papernotes.cli import summarized
    from papernotes.model import Diagnostic

    alike = [Diagnostic("warning", f"n{i}.md", i, 1, f"unknown TeX command \\foo in '{i}'") for i in range(1, 8)]
    other = Diagnostic("error", "x.md", 2, 1, "invalid YAML: bad")
    lines = list(summarized([*alike, other], color=False, limit=3))
    assert lines == ["n1.md:1:1: warning: unknown TeX command \\foo in '1'", "n2.md:2:1: warning: unknown TeX command \\foo in '2'",
                     "n3.md:3:1: warning: unknown TeX command \\foo in '3'", "… and 4 more like this (-v shows them all)",
                     "x.md:2:1: error: invalid YAML: bad"]
    assert len(list(summarized(alike[:4], color=False, limit=3))) == 4, "never '… and 1 more'"
    assert len(list(summarized(alike, color=False, limit=None))) == 7


def test_config_typos_and_empty_sites_are_explained(make_site):
    root = make_site({"papernotes.yaml": "title: T\ntitel: Typo\n", "content/a.md": "---\ntitle: [x\n---\n",
                      "content/b.md": "---\ndraft: true\n---\nx"})
    result = run("build", str(root))
    assert "papernotes.yaml:2:1: warning: unknown config key 'titel' (did you mean 'title'?)" in result.output
    assert "0 notes: 2 files found in" in result.output
    assert "every one skipped: 1 invalid YAML, 1 drafts or published: false (build with --drafts to include them)" in result.output
    assert run("serve", str(root / "nope")).exit_code != 0
