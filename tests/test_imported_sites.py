"""Notes imported from other generators: Jekyll's Liquid, Hugo's shortcodes, distill posts, folder
notes (README.md, index.md, _index.md), site templates, and where the cache goes."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from papernotes.build import BuildOptions, SiteLayout, build
from papernotes.read.distill import convert_distill
from papernotes.read.frontmatter import interpret
from papernotes.read.liquid import LiquidScope, convert_liquid
from papernotes.read.shortcodes import convert_shortcodes
from papernotes.read import sniff

SCOPE = LiquidScope(page={"title": "Tee", "authors": [{"name": "Ada"}]}, site={"name": "Notes", "baseurl": ""})


@pytest.mark.parametrize("source, expected", [
    ("[a]({{ site.baseurl }}{% post_url 2019-03-20-x %}#part)", "[a](pn-note:2019-03-20-x#part)"),
    ("[a]({{site.baseurl}}{%post_url 2019-03-20-x%})", "[a](pn-note:2019-03-20-x)"),
    ("[a]({%  post_url  2019-03-20-x  %})", "[a](pn-note:2019-03-20-x)"),
    ("{% link _posts/2019-03-20-x.md %}", "pn-note:_posts/2019-03-20-x.md"),
    ("![x]({{ '/assets/x.png' | relative_url }})", "![x](/assets/x.png)"),
    ("{{ 'assets/x.png' | absolute_url }}", "/assets/x.png"),
    ("{{ page.title }} / {{ page.title | replace: 'T', 'Z' | upcase }}", "Tee / ZEE"),
    ("{{ site.name | prepend: 'My ' }}", "My Notes"),
    ("{{ page.authors[0].name }}", "Ada"),
    ("{% cite vaswani2017 shazeer2017 %}", "[@vaswani2017; @shazeer2017]"),
    ('{% include image.html url="/img/a.png" description="A plot" %}',
     '<figure><img src="/img/a.png" alt=""><figcaption>A plot</figcaption></figure>'),
    ('{% include youtube.html id="abc" %}', '<a class="video-link" href="https://www.youtube.com/watch?v=abc">▶ YouTube video abc</a>'),
    ("{% assign img = '/assets/x' | append: '.png' %}![a]({{ img | relative_url }})", "![a](/assets/x.png)"),
    ("{% raw %}{{ jinja }}{% endraw %}", "{{ jinja }}"),
    ("`{{ code }}` and {% comment %}gone{% endcomment %}", "`{{ code }}` and "),
    ("```\n{{ code }}\n```", "```\n{{ code }}\n```"),
    ("{% highlight python %}\nx = 1\n{% endhighlight %}", "```python\nx = 1\n```"),
    ("$x^{{a}}$ and $\\frac{2 {{|A \\cap B|}}}{x}$", "$x^{{a}}$ and $\\frac{2 {{|A \\cap B|}}}{x}$"),
    ("{% details Why? %}\nBecause.\n{% enddetails %}", "<details><summary>Why?</summary>\n\nBecause.\n\n</details>"),
    ('{% include figure.liquid path="assets/img/a.png" class="img-fluid" caption="A <b>b</b>" %}',
     '<figure class="img-fluid"><img src="/assets/img/a.png" alt=""><figcaption>A <b>b</b></figcaption></figure>'),
])
def test_liquid_renders_as_jekyll_would(source: str, expected: str) -> None:
    text, problems = convert_liquid(source, "p.md", 1, SCOPE)
    assert text == expected
    assert problems == []


def test_include_arguments_take_escaped_quotes_and_captions_their_math() -> None:
    text, _ = convert_liquid(r'{% include figure.liquid path="a.png" caption="<b style=\"color: red;\">P</b> in $n^2$" %}',
                             "p.md", 1, SCOPE)
    assert text.startswith('<figure><img src="/a.png" alt=""><figcaption><b style="color: red;">P</b> in <math')
    assert "<annotation encoding=\"application/x-tex\">n^2</annotation>" in text


def test_unknown_liquid_tags_keep_their_text_and_warn_once_per_name() -> None:
    text, problems = convert_liquid("a\n{% if x %}one{% endif %} {% if y %}two{% endif %} {% foo %}", "p.md", 10, SCOPE)
    assert text == "a\none two "
    assert [(p.line, p.col, p.message.split(" is")[0]) for p in problems] == [
        (11, 1, "Liquid tag {% if %}"), (11, 51, "Liquid tag {% foo %}")]


def test_unset_site_variable_is_reported() -> None:
    text, problems = convert_liquid('<a href="{{ site.resources }}">r</a>', "p.md", 3, SCOPE)
    assert text == '<a href="">r</a>'
    assert str(problems[0]) == ("p.md:3:10: warning: Liquid variable {{ site.resources }} is not set in _config.yml "
                                "or papernotes.yaml: it renders as nothing")


@pytest.mark.parametrize("source, expected", [
    ('[LA]({{<relref "linear_algebra.md#" >}})', "[LA](pn-note:linear_algebra.md)"),
    ('[LA]({{< ref "../ml/x.md#part" >}})', "[LA](pn-note:../ml/x.md#part)"),
    ('{{< figure src="/ox-hugo/a.png" caption="A b" >}}',
     '<figure><img src="/ox-hugo/a.png" alt="A b"><figcaption>A b</figcaption></figure>'),
    ('{{< figure src="a.png" numbered="true" >}} {{< figure src="b.png" caption="B" numbered="true" >}}',
     '<figure><img src="a.png" alt=""><figcaption>Figure 1</figcaption></figure> '
     '<figure><img src="b.png" alt="B"><figcaption>Figure 2: B</figcaption></figure>'),
    ("{{< youtube dQw4w9WgXcQ >}}", '<a class="video-link" href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">▶ YouTube video dQw4w9WgXcQ</a>'),
    ("{{% callout note%}}\nRead *this*.\n{{% /callout%}}",
     '<div class="callout" data-callout="note"><div class="callout-content">\n\nRead *this*.\n\n</div></div>'),
    ('{{< details "More" >}}\nhidden\n{{< /details >}}', "<details><summary>More</summary>\n\nhidden\n\n</details>"),
    ("{{< highlight go >}}\nfmt.Println(1)\n{{< /highlight >}}", "```go\nfmt.Println(1)\n```"),
    ("{{< katex display >}}x^2{{< /katex >}} {{< math >}}$$y$${{< /math >}}", "$$x^2$$ $$y$$"),
    ("{{< hl >}}key{{< /hl >}} {{% staticref \"uploads/cv.pdf\" \"newtab\" %}}CV{{% /staticref %}}",
     '<mark>key</mark> <a href="/uploads/cv.pdf" target="_blank" rel="noopener">CV</a>'),
    ("{{</* figure src=x */>}}", "{{< figure src=x >}}"),
    ("`{{< figure >}}`", "`{{< figure >}}`"),
])
def test_hugo_shortcodes(source: str, expected: str) -> None:
    text, problems = convert_shortcodes(source, "p.md", 1)
    assert text == expected
    assert problems == []


def test_shortcode_arguments_take_go_escapes_and_captions_their_math() -> None:
    text, _ = convert_shortcodes('{{< figure src="a.png" caption="Plot of \\\\(y\\\\) \\"q\\"" >}}', "p.md", 1)
    assert text.startswith('<figure><img src="a.png" alt="Plot of \\(y\\) &quot;q&quot;"><figcaption>Plot of <math')
    assert text.endswith('<annotation encoding="application/x-tex">y</annotation></semantics></math> "q"</figcaption></figure>')


def test_unknown_shortcode_keeps_its_content_and_warns_once() -> None:
    text, problems = convert_shortcodes("{{< tabs >}}a{{< /tabs >}}\n{{< tabs >}}b{{< /tabs >}}", "p.md", 5)
    assert text == "a\nb"
    assert [str(p) for p in problems] == [
        "p.md:5:1: warning: Hugo shortcode {{< tabs >}} is not supported: removed, the content it wraps kept"]


def test_distill_elements() -> None:
    source = ('As shown <d-cite key="a, b"></d-cite>.<d-footnote>A\n note.</d-footnote> '
              "<d-math>x^2</d-math> <d-math block>y</d-math>")
    assert convert_distill(source) == "As shown [@a; @b].^[A note.] $x^2$ $$y$$"
    assert convert_distill('<d-code block language="javascript">\nvar x = 1;\n</d-code> and <d-code>f(x)</d-code>') == \
        "\n```javascript\nvar x = 1;\n```\n and `f(x)`"
    front, _ = interpret({"authors": [{"name": "Ada", "affiliations": {"name": "Lab"}}, {"name": "Bob"}]}, "p.md")
    assert front.author == "Ada (Lab), Bob"


@pytest.mark.parametrize("text, suffix, kind", [
    ("---\nlayout: null\n---\n<?xml version='1.0'?><feed>{{ site.title }}</feed>", ".xml", "template"),
    ("---\npermalink: /404.html\n---\n<h1>Not found</h1>", ".html", "template"),
    ("---\n---\nSitemap: {{ site.url }}/sitemap.xml", ".txt", "template"),
    ("---\ntitle: x\n---\nplain text note", ".txt", "markdown"),
])
def test_jekyll_templates_are_not_notes(text: str, suffix: str, kind: str) -> None:
    assert sniff(text, suffix) == kind


def test_folder_notes_and_reserved_permalinks(build_site) -> None:
    result = build_site({
        "content/README.md": "# Reading list\n\nPapers I read.\n",
        "content/ml/readme.MD": "# Machine learning\n\nNotes.\n",
        "content/ml/_index.md": "---\ntitle: ML section\n---\nIntro.\n",
        "content/posts/index.md": "---\ntitle: Posts\npermalink: /\n---\nAll posts.\n",
        "content/feed.xml": "---\nlayout: null\n---\n<feed>{{ site.title }}</feed>\n",
    })
    urls = {note.title: note.url for note in result.notes}
    assert urls == {"Reading list": "/notes/reading-list/", "ML section": "/notes/ml/",
                    "Machine learning": "/notes/ml-ml/", "Posts": "/notes/posts/"}
    assert result.errors == 0
    assert any("permalink '/' is the site's own / page" in d.message for d in result.diagnostics)


def test_a_bare_notes_folder_gets_no_cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    notes = tmp_path / "vault"
    notes.mkdir()
    (notes / "a.md").write_text("# A\n\ntext\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    beside = SiteLayout.find(notes)
    assert beside.cache.parent == tmp_path / ".papernotes-cache" and beside.cache.name.startswith("vault-")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    inside = SiteLayout.find(notes, notes / "out")
    assert inside.cache.parent == tmp_path / "xdg" / "papernotes" and inside.cache.name.startswith("vault-")
    build(inside, BuildOptions(search=False, workers=1))
    assert sorted(p.name for p in notes.iterdir()) == ["a.md", "out"]


def test_two_bare_notes_folders_built_beside_one_another_keep_a_cache_each(tmp_path: Path) -> None:
    """Their outputs in one folder, each build after the other's is up to date rather than a
    build from scratch in a cache the other took."""
    (tmp_path / "www").mkdir()
    for name in ("reading", "lab"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "a.md").write_text(f"# {name}\n\ntext\n", encoding="utf-8")
    one, other = (SiteLayout.find(tmp_path / name, tmp_path / "www" / name) for name in ("reading", "lab"))
    assert one.cache != other.cache and one.cache.parent == other.cache.parent == tmp_path / "www" / ".papernotes-cache"
    options = BuildOptions(search=False, workers=1)
    build(one, options)
    build(other, options)
    assert build(one, options).up_to_date is not None and build(other, options).up_to_date is not None


FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Blog</title>
<item><title>Attention notes</title><link>https://blog.example/2024/03/09/attention/</link>
<pubDate>Sat, 09 Mar 2024 20:00:00 +0000</pubDate><description>From the feed.</description></item>
<item><title>Only in the feed</title><link>https://blog.example/only/</link>
<pubDate>Sun, 10 Mar 2024 10:00:00 +0000</pubDate><description>x</description></item>
</channel></rss>
"""


def test_a_post_in_markdown_and_in_feeds_is_one_note(build_site) -> None:
    result = build_site({
        "content/_posts/2024-03-09-attention.md": "---\ntitle: Attention notes\n---\nFrom the file.\n",
        "content/feeds/a.xml": FEED,
        "content/feeds/b.xml": FEED.replace("https://blog.example", "http://www.blog.example"),
    })
    assert sorted((n.title, n.source.item is None) for n in result.notes) == [
        ("Attention notes", True), ("Only in the feed", False)]
    warnings = sorted(d.message for d in result.diagnostics if "same note" in d.message)
    assert len(warnings) == 3
    assert warnings[0].startswith("item 1 of ") and "_posts/2024-03-09-attention.md" in warnings[0]


def test_hugo_section_lists_its_notes_and_subsections(build_site) -> None:
    result = build_site({
        "content/ml/_index.md": "---\ntitle: Machine learning\n---\nIntro.\n\n{{< list_children >}}\n\nOutro.\n",
        "content/ml/b.md": "---\ntitle: Bee\nweight: 1\n---\nb\n",
        "content/ml/a.md": "---\ntitle: Ay\nweight: 2\n---\na\n",
        "content/ml/cnn/_index.md": "---\ntitle: CNN\nlinktitle: Conv nets\n---\n",
        "content/ml/cnn/c.md": "---\ntitle: Sea\n---\nc\n",
    })
    pages = {note.title: note.body.html for note in result.notes}
    assert pages["Machine learning"].index("Intro.") < pages["Machine learning"].index('<ul class="section-notes">') \
        < pages["Machine learning"].index("Outro.")
    assert '<li><a href="/notes/b/">Bee</a></li>\n<li><a href="/notes/a/">Ay</a></li>\n<li><a href="/notes/cnn/">Conv nets</a>' \
        in pages["Machine learning"]
    assert pages["CNN"].endswith('<ul class="section-notes">\n<li><a href="/notes/c/">Sea</a></li>\n</ul>\n')


TEMPLATE_ALPHABET = st.sampled_from(["{{", "}}", "{%", "%}", "{{<", ">}}", "{{%", "%}}", "/", "*", '"', "'", "`", "\n",
                                     "|", ":", "=", "#", "raw", "endraw", "post_url", "include", "figure", "relref",
                                     "details", "enddetails", "site.", "page.", "<d-cite key=", "</d-cite>",
                                     "<d-math>", "</d-math>", "<d-footnote>", "x", " ", "$", "\\"])


@settings(max_examples=300, deadline=None)
@given(st.lists(TEMPLATE_ALPHABET, max_size=40).map("".join))
def test_template_converters_never_raise(text: str) -> None:
    liquid_text, _ = convert_liquid(text, "p.md", 1, SCOPE)
    shortcode_text, _ = convert_shortcodes(text, "p.md", 1)
    assert isinstance(convert_distill(text), str)
    if "{" not in text:
        assert liquid_text == text and shortcode_text == text


def test_unsupported_syntax_is_reported_once_for_the_site(build_site) -> None:
    result = build_site({f"content/_posts/2020-01-0{n}-p.md": f"---\ntitle: P{n}\n---\n{{% seo_extra %}}x{{% endseo_extra %}}\n"
                         for n in range(1, 4)})
    warnings = [str(d).partition("site-src/")[2] for d in result.diagnostics if "not supported" in d.message]
    assert warnings == ["content/_posts/2020-01-01-p.md:4:1: warning: Liquid tag {% seo_extra %} is not supported: removed, "
                        "the text it wraps kept (also in 2 other notes)"]


def test_links_to_notes_resolve_from_markdown_and_raw_html(build_site) -> None:
    result = build_site({
        "content/_posts/2019-03-20-proof.md": "---\ntitle: Proof\n---\n## Lemma\n\ntext\n",
        "content/_posts/2019-04-01-use.md": ("---\ntitle: Use\n---\n[md]({{ site.baseurl }}{% post_url 2019-03-20-proof %}#lemma) "
                                             '<a href="{% post_url 2019-03-20-proof %}">raw</a> '
                                             '[hugo]({{< relref "2019-03-20-proof.md#" >}})\n'),
    })
    html = next(n for n in result.notes if n.title == "Use").body.html
    assert '<a class="wikilink" href="/notes/proof/#lemma">md</a>' in html
    assert '<a class="wikilink" href="/notes/proof/">raw</a>' in html
    assert '<a class="wikilink" href="/notes/proof/">hugo</a>' in html
    assert not [d for d in result.diagnostics if "unresolved" in d.message]


def test_outside_a_jekyll_site_only_jekyll_names_are_liquid(build_site) -> None:
    template = "---\ntags: [t]\n---\n# {{title}}\n\n{% if x %}Shown as written{% endif %}, {{ site.baseurl }}/x\n"
    result = build_site({"content/Templates/Study.md": template, "content/_posts/2020-01-01-post.md": template})
    vault, post = (next(n for n in result.notes if n.source.path.endswith(name)) for name in ("Study.md", "post.md"))
    assert "{{title}}" in vault.title and "{% if x %}Shown as written{% endif %}, /x" in vault.body.html
    assert post.body.html.count("{") == 0


def test_a_readme_under_a_banner_is_titled_by_its_first_heading(build_site) -> None:
    result = build_site({"content/tools/README.md": '<p align="center"><img src="https://x.org/logo.png"></p>\n\n'
                                                    "## Paper tools\n\nText.\n"})
    [note] = result.notes
    assert (note.title, note.url) == ("Paper tools", "/notes/tools/")


def test_the_readme_of_a_jekyll_site_repository_is_not_a_note(build_site) -> None:
    result = build_site({"content/_config.yml": "title: Blog\n", "content/README.md": "# My blog\n\nBuilt with Jekyll.\n",
                         "content/_posts/2020-01-01-a.md": "---\ntitle: A\n---\ntext\n"})
    assert [note.title for note in result.notes] == ["A"]


@given(st.lists(st.sampled_from(["{{", "}}", "{%", "%}", "{{<", ">}}", "{{%", "`", "``", "x", " ", "\n", "site.url", "raw",
                                 "endraw", "figure src=\"a.png\"", "/figure", "'q'", "\"d\"", "/*", "*/", "{", "}", "%", "<", ">", "-"]),
                max_size=30))
@settings(max_examples=400, deadline=None)
def test_template_tags_are_found_where_the_whole_pattern_finds_them(pieces):
    """Liquid's and Hugo's patterns tried only where a match can begin find what they find."""
    from papernotes.read import liquid, shortcodes
    from papernotes.text import sub_from

    text = "".join(pieces)
    for pattern, starts in ((liquid._TAG, liquid._TAG_START), (shortcodes._SHORTCODE, shortcodes._SHORTCODE_START)):
        marked = lambda match: f"[{match.start()}:{match.group(0)}:{match.lastgroup}]"
        assert sub_from(pattern, starts, marked, text) == pattern.sub(marked, text)
