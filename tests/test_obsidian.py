"""Obsidian vaults end to end: private comments never published, embeds, block references,
vault-absolute links, and embeds kept fresh by incremental rebuilds."""

from __future__ import annotations

import functools
import gzip
import re
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from papernotes.build import BuildOptions, SiteLayout
from papernotes.engine import Engine
from papernotes.markdown.callouts import CALLOUT_TYPES, parse_marker
from papernotes.markdown.comments import strip_comments
from papernotes.markdown.pipeline import MarkdownRenderer
from papernotes.serve.preview import MemorySink
from papernotes.serve.state import file_bytes

SECRET = "SECRET-7f3a"

PRIVATE = {
    "content/Public.md": (
        "---\ntitle: Public note\ndate: 2024-05-01\ntags: [ml]\n---\n"
        f"Opening line %%{SECRET} inline%% about [[Other]] and arXiv:1706.03762.\n\n"
        f"%%\n{SECRET} over\nseveral lines\n%%\n\n## Section %%{SECRET}-heading%%\n\n"
        f"Closing text <!-- {SECRET} html --> here.\n"
    ),
    "content/Other.md": (
        "---\ntitle: Other\ndate: 2024-04-01\n---\n"
        f"%%{SECRET} first%% The summary sentence.\n\n![[Public]]\n"
    ),
    "content/Titled.md": f"# Heading title %%{SECRET}-title%%\n\nBody.\n",
}


def _output_texts(out: Path) -> dict[str, bytes]:
    """Every output file's bytes, Pagefind's compressed index files uncompressed."""
    texts = {}
    for path in out.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if "pagefind" in path.parts and data[:2] == b"\x1f\x8b":
                data = gzip.decompress(data)
            texts[str(path.relative_to(out))] = data
    return texts


def test_comments_reach_no_output_file(build_site) -> None:
    result = build_site(PRIVATE, search=True)
    texts = _output_texts(result.out_dir)
    kinds = {"notes/public/index.html", "notes/other/index.html", "feed.xml", "feed.json", "graph.json",
             "index.html", "sitemap.xml"}
    assert kinds <= set(texts), "every output kind was written"
    assert any(name.startswith("pagefind/") for name in texts), "the search index was written"
    assert b"Opening line" in texts["notes/public/index.html"] and b"The summary sentence" in texts["feed.xml"]
    assert [name for name, data in texts.items() if SECRET.encode() in data] == []
    assert b"%%" not in texts["notes/public/index.html"]


@pytest.mark.parametrize("text, expected", [
    ("a %%x%% b", "a  b"),
    ("`%%code%%` %%gone%%", "`%%code%%` "),
    ("```\n%%kept%%\n```\n%%gone%%", "```\n%%kept%%\n```\n"),
    ("$$\n\\begin{align*}\n%% source\nx\n\\end{align*}\n$$\n\n%%gone%%", "$$\n\\begin{align*}\n%% source\nx\n\\end{align*}\n$$\n\n"),
    ("\\begin{equation}\n%% c\n\\end{equation} %%gone%%", "\\begin{equation}\n%% c\n\\end{equation} "),
    ("$x %% y$ %%gone%%", "$x %% y$ "),
    ("cost $5 %%gone%% and $10", "cost $5  and $10"),           # not math: the dollars do not pair
    ("stray $$ %%gone%%\n\nlater $$", "stray $$ \n\nlater $$"),  # math never spans a blank line
    ("<!-- gone --> <!--more-->", " <!--more-->"),
    ("open %%to the end\n\nof the note", "open \n\n"),
    ("> [!note]\n> a\n> %%\n> secret\n> %%\n> b", "> [!note]\n> a\n> \n> \n> \n> b"),  # the callout goes on
])
def test_comments_go_and_code_and_math_stay(text, expected) -> None:
    assert strip_comments(text) == expected


def test_comment_positions_keep_line_numbers() -> None:
    text = "a %%x\ny%% b\n%%\nz\n%%\nc [[Missing]]\n"
    assert strip_comments(text).count("\n") == text.count("\n")


_CODE_FREE = st.text(alphabet=st.sampled_from("ab %\n<!->`~"), max_size=60)


@given(_CODE_FREE)
def test_stripping_comments_is_idempotent_and_keeps_lines(text) -> None:
    once = strip_comments(text)
    assert strip_comments(once) == once
    assert once.count("\n") == text.count("\n")
    if "`" not in text and "~~~" not in text:
        assert "%%" not in once and "<!--" not in once


@pytest.mark.parametrize("line, expected", [
    ("[!note]", ("note", "", "")),
    ("[!NOTE]", ("NOTE", "", "")),
    ("[!tip]- Folded title", ("tip", "-", "Folded title")),
    ("[!faq]+", ("faq", "+", "")),
    ("[!my-type] x", ("my-type", "", "x")),
    ("[!note]title", None),
    ("[note]", None),
    ("text [!note]", None),
])
def test_callout_markers(line, expected) -> None:
    assert parse_marker(line) == expected


def test_every_obsidian_alias_has_a_family_with_a_style() -> None:
    css = (Path(__file__).parents[1] / "static" / "css" / "obsidian.css").read_text()
    for family in set(CALLOUT_TYPES.values()):
        assert f'.callout[data-callout-family="{family}"]' in css


VAULT = {
    "content/Host.md": (
        "---\ntitle: Host\n---\nIntro.\n\n![[Source]]\n\n![[Source#Method]]\n\n![[Source#^key]]\n\n"
        "![[Nowhere]]\n\n![[Source#Missing heading]]\n\nSee [[Source#^key]], [[Source#^gone]], "
        "[[/deep/folder/Leaf]] and [leaf](/deep/folder/Leaf) and [site page](/about/).\n\n"
        "![[Source#Method#Later]]\n"
    ),
    "content/Source.md": (
        "---\ntitle: Source\n---\nSource intro.\n\n## Method\n\nThe key idea. ^key\n\n## Later\n\nLater text.\n"
    ),
    "content/deep/folder/Leaf.md": "---\ntitle: Leaf\n---\nA leaf.\n\n![[Loop A]]\n",
    "content/Loop A.md": "---\ntitle: Loop A\n---\nA.\n\n![[Loop B]]\n",
    "content/Loop B.md": "---\ntitle: Loop B\n---\nB.\n\n![[Loop A]]\n",
}


@pytest.fixture(scope="module")
def vault(tmp_path_factory):
    from papernotes.build import build
    from .conftest import write_files
    root = write_files(tmp_path_factory.mktemp("vault"), VAULT)
    result = build(SiteLayout.find(root, root / "site"), BuildOptions(search=False))
    return result, (root / "site" / "notes" / "host" / "index.html").read_text()


def _embeds(page: str) -> list[str]:
    return re.findall(r'<blockquote class="embed".*?</blockquote>', page, re.DOTALL)


def test_embeds_show_the_note_a_section_or_a_block(vault) -> None:
    _, page = vault
    whole, section, block = _embeds(page)[:3]
    assert "Source intro." in whole and "Later text." in whole
    assert "The key idea." in section and "Source intro." not in section and "Later text." not in section
    assert "<h2>Method</h2>" in section, "the section keeps its heading, without its id"
    assert "The key idea." in block and "Method" not in block.split("embed-source")[0]
    assert 'href="/notes/source/#^key"' in block and 'href="/notes/source/#method"' in section


def test_embed_problems_are_warned_with_positions(vault) -> None:
    result, page = vault
    messages = {str(d).split("/content/", 1)[1] for d in result.diagnostics if "/content/" in str(d)}
    assert "Host.md:12:1: warning: embedded note not found: ![[Nowhere]]" in messages
    assert "Host.md:14:1: warning: embedded note 'Source' has no heading 'Missing heading'" in messages
    assert "Host.md:16:22: warning: no block ^gone in 'Source'" in messages
    # each note of the cycle is told where the embed that leads back to it stands (Leaf, which
    # embeds the cycle without being part of it, is not)
    assert "Loop B.md:6:1: warning: embed cycle: Loop A → Loop B → Loop A; shown as a link" in messages
    assert "Loop A.md:6:1: warning: embed cycle: Loop B → Loop A → Loop B; shown as a link" in messages
    assert not any(m.startswith("deep/") for m in messages)
    assert "Nowhere" in page and "broken" in page


def test_a_cycle_is_shown_once_then_linked(vault) -> None:
    result, _ = vault
    loop_a = (result.out_dir / "notes" / "loop-a" / "index.html").read_text()
    assert loop_a.count('<blockquote class="embed"') == 1, "Loop B is embedded, its embed of Loop A is a link"
    assert '<a class="wikilink embed" href="/notes/loop-a/">Loop A</a>' in loop_a


def test_a_heading_path_names_its_last_heading(vault) -> None:
    _, page = vault
    section = _embeds(page)[-1]
    assert "Later text." in section and "The key idea." not in section
    assert 'href="/notes/source/#later"' in section


def test_block_ids_and_vault_paths_resolve(vault) -> None:
    result, page = vault
    source = (result.out_dir / "notes" / "source" / "index.html").read_text()
    assert '<p id="^key">The key idea.</p>' in source and "^key</p>" not in source
    assert '<a class="wikilink" href="/notes/source/#^key">Source</a>' in page
    assert page.count('href="/notes/leaf/"') >= 2, "[[/folder/Note]] and [text](/folder/Note) both resolve"
    assert '<a href="/about/">site page</a>' in page, "a root-relative URL that is no note stays as written"
    assert "unresolved wikilink [[/about/" not in " ".join(map(str, result.diagnostics))


def test_embeds_nest_to_a_bounded_depth(build_site) -> None:
    chain = {f"content/N{i}.md": f"---\ntitle: N{i}\n---\nLevel {i}.\n\n![[N{i + 1}]]\n" for i in range(8)}
    chain["content/N8.md"] = "---\ntitle: N8\n---\nLevel 8.\n"
    result = build_site(chain, search=False)
    top = (result.out_dir / "notes" / "n0" / "index.html").read_text()
    assert "Level 4." in top and "Level 6." not in top
    assert '<a class="wikilink embed" href="/notes/n' in top


def test_embeds_filled_per_page_are_bounded(build_site) -> None:
    fan = {f"content/L{level}.md": f"---\ntitle: L{level}\n---\nLevel {level}.\n\n" + "![[L{}]]\n".format(level + 1) * 10
           for level in range(4)}
    fan["content/L4.md"] = "---\ntitle: L4\n---\nLeaf.\n"
    result = build_site(fan, search=False)  # 10 + 100 + 1,000 + 10,000 embeds if nothing stopped it
    top = (result.out_dir / "notes" / "l0" / "index.html").read_text()
    assert top.count('<blockquote class="embed"') == 200
    assert '<a class="wikilink embed" href="/notes/l' in top


def test_an_embedding_page_is_rebuilt_when_the_embedded_note_changes(make_site) -> None:
    root = make_site({
        "content/Host.md": "---\ntitle: Host\ndate: 2024-01-02\n---\nIntro.\n\n![[Inner#Part]]\n",
        "content/Inner.md": "---\ntitle: Inner\ndate: 2024-01-01\n---\n## Part\n\nOld words.\n\n![[Deep]]\n",
        "content/Deep.md": "---\ntitle: Deep\ndate: 2023-01-01\n---\nDeep text.\n",
        "content/Bystander.md": "---\ntitle: Bystander\ndate: 2022-01-01\n---\nUnrelated.\n",
    })
    layout = SiteLayout.find(root)
    engine = Engine(layout, BuildOptions(search=False))
    engine.produce(MemorySink())
    for name, old, new, shown in (("Inner.md", "Old words.", "New words.", "New words."),
                                  ("Deep.md", "Deep text.", "Deeper text.", "Deeper text.")):
        path = root / "content" / name
        path.write_text(path.read_text().replace(old, new))
        sink = MemorySink()
        engine.produce(sink)
        assert engine.changed is not None, "a body edit takes the short way"
        assert "text:note:host" in engine.changed, "the embedding note's text changed, not its card"
        assert not {"note:bystander", "text:note:bystander"} & engine.changed
        files = {rel: file_bytes(data) for rel, data in sink.items()}
        assert shown in files["notes/host/index.html"].decode()
        fresh = MemorySink()
        Engine(layout, BuildOptions(search=False)).produce(fresh)
        assert files == {rel: file_bytes(data) for rel, data in fresh.items()}, "as a build from scratch"


def test_other_embedded_files_become_links_to_a_copy(build_site) -> None:
    result = build_site({"content/Reading.md": "---\ntitle: Reading\n---\n![[paper.pdf]]\n\n![[lost.mp3]]\n",
                         "content/files/paper.pdf": b"%PDF-1.4\n%%EOF\n"}, search=False)
    page = (result.out_dir / "notes" / "reading" / "index.html").read_text()
    link = re.search(r'<a class="embed-file" href="(/assets/[0-9a-f]{10}-paper\.pdf)">paper\.pdf</a>', page)
    assert link and (result.out_dir / link.group(1).lstrip("/")).read_bytes().startswith(b"%PDF")
    assert any(str(d).endswith("Reading.md:6:1: warning: file not found: lost.mp3") for d in result.diagnostics)


@functools.cache
def _renderer() -> MarkdownRenderer:
    return MarkdownRenderer()


_WORD = st.text(alphabet=st.characters(whitelist_categories=("Ll", "Lu", "Nd"), whitelist_characters="-_"),
                min_size=1, max_size=12)


@settings(deadline=None)  # the first example builds the renderer: no timing assertion in a unit test
@given(_WORD, st.sampled_from(["", "+", "-"]), st.text(alphabet="ab *=_[]!`\\", max_size=20),
       st.text(alphabet="ab *=_\n>[]!", max_size=40))
def test_any_callout_renders_as_one_balanced_callout(kind, fold, title, body) -> None:
    # each body line ends in a letter, so none is a setext underline turning the marker into a heading
    text = f"> [!{kind}]{fold} {title}\n" + "".join(f"> {line}x\n" for line in body.split("\n"))
    html, _ = _renderer().render(text, "note.md")
    tag = "details" if fold else "div"
    assert html.html.startswith(f'<{tag} class="callout" data-callout="{kind.lower()}"')
    assert html.html.count("<details") == html.html.count("</details>")
    assert html.html.count("<div") == html.html.count("</div>")
    assert html.html.count("<mark>") == html.html.count("</mark>")
