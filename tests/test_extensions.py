"""Extension points: a site's own emitters, readers and Markdown plugins (``plugins:`` and entry
points), and the URL of every page kind from ``urls:``."""

from __future__ import annotations

import json
import pickle
import re
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest
from click.testing import CliRunner

from papernotes import extensions
from papernotes.cli import main
from papernotes.config import config_from_mapping, load_config
from papernotes.extensions import Plugins, load_plugins
from papernotes.siteurls import SiteURLs, pattern_problem

README = Path(__file__).resolve().parents[1] / "README.md"
NOTE = "---\ntitle: On ToT\ndate: 2024-02-15\ntags: [llm]\n---\nWe read Tree of Thoughts, arXiv:2305.10601.\n"


def build(root: Path, *args: str):
    return CliRunner().invoke(main, ["build", str(root), "--no-search", *args])


def readme_example() -> dict[str, str]:
    """The files of the README's worked example: each code block there that starts with a
    comment naming its path."""
    section = README.read_text(encoding="utf-8").split("## Extending", 1)[1].split("\n## ", 1)[0]
    files = {}
    for block in re.findall(r"```\w*\n(.*?)```", section, flags=re.S):
        named = re.match(r"(?:# |\{# )([\w./-]+\.(?:py|html|yaml))(?: #\})?\n", block)
        if named:
            files[named[1]] = block[named.end():]
    return files


def test_readme_worked_example_builds_its_page(make_site):
    example = readme_example()
    assert set(example) == {"plugins/reading_list.py", "templates/reading.html", "papernotes.yaml"}
    root = make_site({**example, "content/tot.md": NOTE})
    result = build(root)
    assert result.exit_code == 0, result.output
    page = (root / "site/reading/index.html").read_text()
    assert '<a href="/papers/arxiv-2305.10601/">' in page and "1 note" in page
    assert "<title>Reading list · " in page
    assert "/reading/</loc>" in (root / "site/sitemap.xml").read_text()


def test_a_plugin_that_cannot_be_imported_is_named_and_the_site_builds(make_site):
    root = make_site({"papernotes.yaml": "title: T\nplugins:\n  - plugins.broken\n  - not_a_module_anywhere\n",
                      "plugins/broken.py": "def emit(graph, config:\n", "content/a.md": "# A\n"})
    result = build(root)
    assert result.exit_code == 1
    assert "papernotes.yaml:2:1: error: plugin 'plugins.broken' was not loaded: SyntaxError" in result.output
    assert "plugin 'not_a_module_anywhere' was not loaded: ModuleNotFoundError" in result.output
    assert "Traceback" not in result.output
    assert (root / "site/notes/a/index.html").is_file()


@pytest.mark.parametrize("name", ["../outside", "/tmp/evil", "plugins/x", "a..b", ""])
def test_a_plugin_named_by_a_path_is_refused_before_any_file_is_looked_at(tmp_path, name):
    (tmp_path / "outside.py").write_text("raise SystemExit('ran')\n")
    site = tmp_path / "site"
    site.mkdir()
    plugins, problems = load_plugins([name], site)
    assert plugins.emitters == () and len(problems) == 1
    assert problems[0].message == f"plugin {name!r} was not loaded: ImportError: not a module name such as plugins.my_emitter"


def test_an_emitter_that_raises_is_named_and_the_other_pages_are_written(make_site):
    root = make_site({"papernotes.yaml": "plugins: [plugins.boom]\n", "content/a.md": "# A\n",
                      "plugins/boom.py": "def explode(graph, config):\n    yield from ()\n    1 / 0\n\nemitters = [explode]\n"})
    result = build(root)
    assert result.exit_code == 1
    assert "papernotes.yaml:1:1: error: plugin 'plugins.boom' failed in emitter explode: ZeroDivisionError" in result.output
    assert "Traceback" not in result.output
    assert (root / "site/notes/a/index.html").is_file() and not (root / "site/papernotes.yaml").exists()


def test_a_plugin_holding_something_else_is_refused():
    plugins, problems = load_plugins(["json"], None)  # a real module, but with no plugin values: nothing added
    assert problems == () and plugins.emitters == ()
    _, problems = config_from_mapping({"plugins": "x"}, key_lines={"plugins": 3})
    assert problems[0].line == 3 and "plugin 'x' was not loaded" in problems[0].message
    _, problems = config_from_mapping({"plugins": {"a": 1}})
    assert "must list module names" in problems[0].message


def test_a_site_reader_claims_its_files_before_the_built_in_ones(make_site):
    reader = '''
from papernotes.extensions import ReaderRule
from papernotes.read.common import make_note
from papernotes.read.frontmatter import FrontMatter

def is_org(text, suffix):
    return suffix == ".org"

def read_org(source, context):
    title = next((line[9:] for line in source.text.splitlines() if line.startswith("#+TITLE: ")), source.stem)
    text = "\\n".join(line for line in source.text.splitlines() if not line.startswith("#+"))
    body, problems = context.markdown.render(text, source.shown)
    return make_note(source, context, FrontMatter(title=title), body)

readers = [ReaderRule("org", is_org, read_org)]
'''
    root = make_site({"papernotes.yaml": "plugins: [orgreader]\n", "orgreader.py": reader,
                      "content/ideas.org": "#+TITLE: Ideas from Org\nSome *ideas*.\n"})
    result = build(root)
    assert result.exit_code == 0, result.output
    page = (root / "site/notes/ideas/index.html").read_text()
    assert "Ideas from Org" in page and "<em>ideas</em>" in page


def test_a_site_markdown_plugin_runs_after_the_built_in_ones(make_site):
    root = make_site({"papernotes.yaml": "plugins: [plugins.terms]\n",
                      "plugins/terms.py": "from mdit_py_plugins.deflist import deflist_plugin\n\nmarkdown_plugins = [deflist_plugin]\n",
                      "content/a.md": "# A\n\nTerm\n: Its definition\n"})
    result = build(root)
    assert result.exit_code == 0, result.output
    assert "<dl>\n<dt>Term</dt>\n<dd>Its definition</dd>\n</dl>" in (root / "site/notes/a/index.html").read_text()


def test_entry_point_emitters_are_loaded_without_config(make_site, monkeypatch):
    point = EntryPoint("note_count", "tests.plugin_entry_point:note_count", "papernotes.emitters")
    monkeypatch.setattr(extensions, "installed", lambda group: (point,) if group == "papernotes.emitters" else ())
    root = make_site({"content/a.md": "# A\n", "content/b.md": "# B\n"})
    result = build(root, "--no-cache")
    assert result.exit_code == 0, result.output
    assert (root / "site/notes.txt").read_text() == "2 notes\n"


def test_plugins_compare_by_name_and_source_and_travel_to_worker_processes(make_site):
    root = make_site({"papernotes.yaml": "plugins: [plugins.reading_list]\n", **{
        k: v for k, v in readme_example().items() if k != "papernotes.yaml"}})
    first, problems = load_config(root)
    assert problems == ()
    again = pickle.loads(pickle.dumps(first.plugins))
    assert again == first.plugins and repr(again) == repr(first.plugins) and len(again.emitters) == 1
    (root / "plugins/reading_list.py").write_text((root / "plugins/reading_list.py").read_text() + "\n# edited\n")
    assert load_config(root)[0] != first


def test_page_urls_come_from_config(make_site):
    root = make_site({"papernotes.yaml": "urls:\n  tag: /topics/{slug}/\n  tags: /topics/\n  paper: /p/{slug}/\n"
                                         "  year: /y{year}/\n  graph_json: /data/graph.json\n",
                      "content/tot.md": NOTE + "\nAlso #reasoning.\n"})
    result = build(root)
    assert result.exit_code == 0, result.output
    site = root / "site"
    for page in ("topics/index.html", "topics/llm/index.html", "topics/llm/feed.xml",
                 "p/arxiv-2305.10601/index.html", "y2024/index.html", "data/graph.json"):
        assert (site / page).is_file(), page
    assert not (site / "tags").exists() and not (site / "papers/arxiv-2305.10601").exists()
    note = (site / "notes/tot/index.html").read_text()
    assert 'href="/topics/llm/"' in note and 'href="/topics/reasoning/"' in note and 'href="/p/arxiv-2305.10601/"' in note
    assert 'href="/topics/"' in (site / "index.html").read_text()
    urls = {node["url"] for node in json.loads((site / "data/graph.json").read_text())["nodes"]}
    assert {"/topics/llm/", "/p/arxiv-2305.10601/"} <= urls


def test_a_note_permalink_cannot_take_a_configured_site_page(make_site):
    root = make_site({"papernotes.yaml": "urls:\n  tags: /topics/\n", "content/a.md": "---\npermalink: /topics/\n---\n# A\n"})
    result = build(root)
    assert "is the site's own /topics/ page" in result.output


@pytest.mark.parametrize("kind, pattern, problem", [
    ("tag", "/topics/{slug}/", None),
    ("month", "/{year}/{month}/", None),
    ("bibliography", "/library.bib", None),
    ("tag", "/topics/{name}/", "has unknown placeholder {name} (tag takes {slug})"),
    ("tags", "/tags/{slug}/", "has unknown placeholder {slug} (tags takes no placeholder)"),
    ("paper", "/papers/", "must contain {slug}"),
    ("month", "/{year}/", "must contain {month}"),
    ("tag", "topics/{slug}/", "must start with '/'"),
    ("tag", "/topics/{slug}", "must end with '/'"),
    ("feed", "/feed/", "must end in .xml"),
    ("tag", "/../{slug}/", "must not contain '.' or '..' segments"),
    ("tag", "/a b/{slug}/", "must be a single path segment"),
    ("tag", "/t/{slug/", "is not a pattern"),
])
def test_url_patterns_are_checked(kind, pattern, problem):
    found = pattern_problem(kind, pattern)
    assert (found is None) if problem is None else (problem in (found or "")), found


def test_a_refused_url_pattern_is_an_error_at_its_line_and_keeps_the_default(tmp_path):
    (tmp_path / "papernotes.yaml").write_text("title: T\nurls:\n  tag: /topics/{name}/\n  paper: /p/{slug}/\n  shelf: /x/\n")
    config, problems = load_config(tmp_path)
    assert config.urls == SiteURLs(paper="/p/{slug}/")
    assert [(p.line, p.message) for p in problems] == [
        (3, "config key 'urls.tag' '/topics/{name}/' has unknown placeholder {name} (tag takes {slug})"),
        (5, "config key 'urls.shelf' is no page kind (known: archive, author, authors, bibliography, feed, graph, "
            "graph_json, json_feed, month, paper, papers, papers_published, papers_read, search, tag, tags, venue, venues, year)"),
    ]
    assert config_from_mapping({"urls": ["/x/"]})[1][0].message.startswith("config key 'urls' must map page kinds")


def test_default_plugins_are_empty_and_equal():
    assert Plugins() == load_plugins((), None)[0]
