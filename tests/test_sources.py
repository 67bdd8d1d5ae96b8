"""Readers: format sniffing, decoding quirks, feeds, plain text, Obsidian and Jekyll conventions."""

from __future__ import annotations

import re
from html import escape as html_escape

import pytest

from papernotes.read import decode, sniff

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Blog</title>
<link>https://blog.example/</link>
{items}
</channel></rss>"""
ITEM = """<item><title>{title}</title><link>https://blog.example/posts/{slug}</link>
<guid>https://blog.example/posts/{slug}</guid><pubDate>Fri, 03 Jan 2025 14:31:24 GMT</pubDate>
<category>ml</category><description><![CDATA[{body}]]></description></item>"""


def rss(*items: tuple[str, str, str]) -> str:
    return RSS.format(items="\n".join(ITEM.format(title=t, slug=s, body=b) for t, s, b in items))


@pytest.mark.parametrize("text, suffix, kind", [
    ("---\ntitle: x\n---\nbody", ".txt", "markdown"),
    ("<?xml version='1.0'?><rss/>", ".md", "feed"),
    ("  <rss version='2.0'>", ".txt", "feed"),
    ("<feed xmlns='http://www.w3.org/2005/Atom'>", "", "feed"),
    ("<rdf:RDF xmlns:rdf='x'>", ".html", "feed"),
    ("# Heading\n\ntext", ".md", "markdown"),
    ("just some text", ".markdown", "markdown"),
    ("just some text", ".txt", "text"),
    ("--- not front matter", ".txt", "text"),
])
def test_sniff_by_content_first(text, suffix, kind):
    assert sniff(text, suffix) == kind


def test_decode_quirks():
    assert decode("\ufeffhé\r\nx\ry".encode("utf-8")) == "hé\nx\ny"
    latin = '<?xml version="1.0" encoding="ISO-8859-1"?><rss>caf\xe9</rss>'.encode("latin-1")
    assert decode(latin).endswith("café</rss>")
    assert decode(b"caf\xe9 without a prolog") is None
    assert decode(b"\x89PNG\r\n\x1a\n\x00\x00") is None


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-32-be"])
def test_utf16_and_utf32_with_their_byte_order_mark_are_text(encoding):
    """Windows editors save so (Notepad's "Unicode"): such a note was skipped as binary."""
    text = "# Windows note\r\n\r\nCafé, 日本語.\r\n"
    data = ("\ufeff" + text if encoding.endswith("-be") else text).encode(encoding)
    assert decode(data) == "# Windows note\n\nCafé, 日本語.\n"
    assert decode("no mark".encode("utf-16-le")) is None, "without its mark it is taken for binary"
    assert decode(b"\xff\xfe\x00") is None, "a mark before bytes that are no UTF-16"


def test_a_utf16_note_and_a_utf16_feed_are_read(build_site):
    rss = ('<?xml version="1.0" encoding="UTF-16"?><rss version="2.0"><channel><title>T</title>'
           '<link>https://x.org/</link><item><title>Item café</title><link>https://x.org/1</link>'
           '<description>Body été</description></item></channel></rss>')
    result = build_site({"content/win.md": "# Windows note\r\n\r\nCafé.\r\n".encode("utf-16"),
                         "content/feed.xml": rss.encode("utf-16")})
    assert not result.diagnostics or all(d.severity != "error" for d in result.diagnostics)
    assert sorted(note.title for note in result.notes) == ["Item café", "Windows note"]


def test_binary_skipped_and_bad_encoding_reported(build_site):
    result = build_site({"content/blob.dat": b"\x00\x01\x02", "content/latin.txt": b"caf\xe9", "content/ok.md": "# Ok"})
    messages = sorted((d.severity, d.message) for d in result.diagnostics)
    assert messages == [("error", "not UTF-8 text"), ("warning", "binary file skipped")]
    assert [n.title for n in result.notes] == ["Ok"]


def test_rss_items_become_notes(build_site):
    result = build_site({"content/blog.xml": rss(("First <post>", "first", "<p>Hello $x^2$</p>"), ("Second", "second", "<p>Bye</p>"))})
    assert sorted(n.title for n in result.notes) == ["First <post>", "Second"]
    first = next(n for n in result.notes if n.title.startswith("First"))
    assert (first.url, first.date.rfc3339(), first.tags) == ("/notes/first/", "2025-01-03T14:31:24+00:00", ("ml",))
    assert first.original_url == "https://blog.example/posts/first"
    assert "<math" in first.body.html and "$" not in first.body.html
    page = (result.out_dir / "notes/first/index.html").read_text()
    assert "<h1 class=\"note-title\" data-pagefind-meta=\"title\">First &lt;post&gt;</h1>" in page


def test_feed_slugs_are_stable_when_items_move(build_site):
    a = build_site({"content/f.xml": rss(("A", "alpha", "x"), ("B", "beta", "y"))})
    b = build_site({"content/f.xml": rss(("New", "gamma", "z"), ("B", "beta", "y"), ("A", "alpha", "x"))})
    assert {n.title: n.url for n in a.notes}.items() <= {n.title: n.url for n in b.notes}.items()


def test_feed_tags_and_canonical_from_config(build_site):
    result = build_site({"papernotes.yaml": "feeds:\n  velog: {tags: [velog], canonical: false}\n",
                         "content/velog.rss": rss(("A", "a", "x")), "content/other.rss": rss(("B", "b", "y"))})
    notes = {n.title: n for n in result.notes}
    assert notes["A"].tags == ("ml", "velog") and notes["B"].tags == ("ml",)
    assert '<link rel="canonical" href="/notes/a/">' in (result.out_dir / "notes/a/index.html").read_text()
    assert 'rel="canonical" href="https://blog.example/posts/b">' in (result.out_dir / "notes/b/index.html").read_text()


def test_atom_html_and_xhtml_content_and_missing_dates_and_titles(build_site):
    atom = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><id>urn:t</id><updated>2024-01-01T00:00:00Z</updated>
<entry><title>Html</title><id>urn:html</id><link href="https://a.example/html-post/"/><updated>2024-02-03T04:05:06Z</updated>
<summary>short</summary><content type="html">&lt;p&gt;Full &lt;b&gt;html&lt;/b&gt;&lt;/p&gt;</content></entry>
<entry><title>Xhtml</title><id>urn:xhtml</id><published>2024-02-01T00:00:00+09:00</published>
<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Full <i>xhtml</i></p></div></content></entry>
<entry><id>urn:untitled</id><content type="html">&lt;p&gt;No title and no date here at all.&lt;/p&gt;</content></entry>
</feed>"""
    notes = {n.title: n for n in build_site({"content/atom.xml": atom}).notes}
    assert "<b>html</b>" in notes["Html"].body.html and "short" not in notes["Html"].body.html
    assert notes["Html"].url == "/notes/html-post/" and notes["Html"].date.rfc3339() == "2024-02-03T04:05:06+00:00"
    assert "<i>xhtml</i>" in notes["Xhtml"].body.html and notes["Xhtml"].date.iso().startswith("2024-01-31T15:00")
    untitled = next(n for t, n in notes.items() if t not in ("Html", "Xhtml"))
    assert untitled.title.startswith("No title and no date") and untitled.date is None


def test_relative_urls_in_items_are_the_original_sites(build_site):
    """As a feed reader shows them: against the item's ``xml:base``, else its link; in-page links
    and the text of code stay as they are, attributes in the order the feed wrote them."""
    body = ('<p><img src="/assets/fig.png" alt="Figure 1" width="50%"> <a href="../older/">older</a> '
            '<a href="#part-2">below</a> <a href="mailto:me@blog.example">mail</a></p>'
            '<pre><code>&lt;img src="/not/a/link.png"&gt;</code></pre>')
    atom = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><id>urn:t</id><updated>2024-01-01T00:00:00Z</updated>
<entry xml:base="https://mirror.example/blog/"><title>Based</title><id>urn:based</id><updated>2024-02-03T04:05:06Z</updated>
<content type="html">&lt;img src="fig.png"&gt;</content></entry></feed>"""
    result = build_site({"content/blog.xml": rss(("Post", "post/", body)), "content/atom.xml": atom})
    notes = {n.title: n for n in result.notes}
    html = notes["Post"].body.html
    assert '<img src="https://blog.example/assets/fig.png" alt="Figure 1" width="50%">' in html
    assert '<a href="https://blog.example/posts/older/"' in html and '<a href="#part-2"' in html
    assert '<a href="mailto:me@blog.example"' in html and '&lt;img src="/not/a/link.png"&gt;' in html
    assert '<img src="https://mirror.example/blog/fig.png">' in notes["Based"].body.html


def test_mathjax_scripts_kramdown_wrapped_in_cdata_are_shown(build_site):
    """kramdown writes a formula holding ``<`` as ``% <![CDATA[ … %]]>`` in its MathJax script."""
    script = ('<p>Saddle points:</p>\n<script type="math/tex; mode=display">% <![CDATA[\n\\lambda \\begin{cases} '
              '< 0 & \\text{saddle} \\newline > 0 & \\text{minimum} \\end{cases} %]]></script>\n<p>after</p>')
    escaped = RSS.format(items=ITEM.format(title="Saddle", slug="saddle", body="").replace(
        "<description><![CDATA[]]></description>", f"<description>{html_escape(script)}</description>"))
    result = build_site({"content/blog.xml": escaped})
    html = result.notes[0].body.html
    assert '<math display="block">' in html and "CDATA" not in html
    assert "<mtr>" in html and "newline" not in html.split("<annotation")[0]
    assert not [d for d in result.diagnostics if "newline" in d.message]


def test_rdf_feed_like_arxiv_listings(build_site):
    rdf = """<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns="http://purl.org/rss/1.0/" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="http://arxiv.org/"><title>cs.CL updates on arXiv.org</title><link>http://arxiv.org/</link><description>x</description></channel>
<item rdf:about="http://arxiv.org/abs/2305.10601"><title>Tree of Thoughts. (arXiv:2305.10601v1 [cs.CL])</title>
<link>http://arxiv.org/abs/2305.10601</link><description>&lt;p&gt;Language models are increasingly deployed.&lt;/p&gt;</description>
<dc:creator>Shunyu Yao</dc:creator><dc:date>2023-05-17T00:00:00-04:00</dc:date></item>
</rdf:RDF>"""
    [note] = build_site({"content/arxiv": rdf}).notes
    assert note.title.startswith("Tree of Thoughts") and note.author == "Shunyu Yao"
    assert note.url == "/notes/2305-10601/" and note.date.iso().startswith("2023-05-17")


XSS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">d</a>',
    "<svg onload=alert(1)><circle/></svg>",
    '<iframe src="https://evil.example"></iframe>',
    '<div style="width: expression(alert(1))">css</div>',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<body onload="alert(1)">',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<form action="javascript:alert(1)"><input onfocus=alert(1) autofocus></form>',
    '<p onmouseover="alert(1)">hover</p>',
    '<details open ontoggle=alert(1)>',
    '<a href="&#106;avascript:alert(1)">entity</a>',
    "<scr<script>ipt>alert(1)</script>",
    # TeX whose text or link would make markup, were the formula's MathML written raw
    r"<p>$\text{&lt;script&gt;alert(1)&lt;/script&gt;}$ and $\text{&lt;img src=x onerror=alert(1)&gt;}$</p>",
    r"<p>$\href{javascript:alert(1)}{x}$</p>",
]


def test_no_xss_payload_survives_feed_sanitizing(build_site):
    result = build_site({"content/evil.xml": rss(*[(f"Item {i}", f"item-{i}", body) for i, body in enumerate(XSS)])})
    assert len(result.notes) == len(XSS)
    for path in (result.out_dir / "notes").rglob("index.html"):
        html = path.read_text().lower()
        body = html.split('<div class="note-body">', 1)[-1].split("</article>", 1)[0]
        body = re.sub(r"<annotation\b.*?</annotation>", "", body, flags=re.S)  # a formula's TeX source, as text
        assert "<script" not in body and "javascript:" not in body and "<iframe" not in body and "<svg" not in body
        assert "expression(" not in body and "<style" not in body and "data:text" not in body
        assert not re.search(r"<[^>]+\son\w+\s*=", body), path
    links = [n.body.html for n in result.notes if 'href="https' in n.body.html or "<a " in n.body.html]
    assert all('rel="noopener nofollow"' in h for h in links if "<a " in h)


def test_plain_text_lines_lists_code_and_links(build_site):
    text = ("My reading log\n"
            "First line with *stars* and _underscores_ and <b>tags</b>.\n"
            "https://arxiv.org/abs/2305.10601\n"
            "- item one\n- item two\n"
            "```\ncode *kept*\n```\n"
            "# not a heading\n")
    [note] = build_site({"content/log.txt": text}).notes
    html = note.body.html
    assert note.title == "My reading log" and "My reading log" not in html
    assert "<p>First line with *stars* and _underscores_ and &lt;b&gt;tags&lt;/b&gt;.</p>" in html
    assert '<a href="https://arxiv.org/abs/2305.10601">' in html
    assert "<li>item one</li>\n<li>item two</li>" in html
    assert "code *kept*" in html and "<p># not a heading</p>" in html


@pytest.mark.parametrize("first_line, title", [
    ("A short title", "A short title"),
    ("This is a sentence.", None),
    ("I AM LOUD!", None),
    ("https://example.org/a-link", None),
    ("x" * 120, None),
])
def test_plain_text_title_rules(build_site, first_line, title):
    [note] = build_site({"content/2024-05-reading_log.txt": first_line + "\nmore text\n"}).notes
    assert note.title == (title or "2024 05 reading log")
    assert note.date.iso() == "2024-05" and note.date_source == "file name"


def test_plain_text_with_blank_lines_keeps_line_breaks(build_site):
    [note] = build_site({"content/a.txt": "Title\n\nline one\nline two\n\nnext paragraph\n"}).notes
    assert "<p>line one<br />\nline two</p>" in note.body.html and "<p>next paragraph</p>" in note.body.html


VAULT = {
    "content/Attention.md": "---\naliases: [Transformer paper]\ntags: [papers]\n---\n# Attention\n\n## Method\n\nSee [[LoRA|low rank]].\n",
    "content/sub/LoRA.md": "Links: [[attention]], [[Transformer paper]], [[Attention#Method]], [[Missing note]].\n\n"
                           "Inline #fine-tuning tag, not `#code` nor C# nor https://x.org/#frag.\n\n![[figure.png]]\n",
    "content/sub/Rel.md": "[relative](LoRA.md) and [up](../Attention.md#method)\n",
    "content/attachments/figure.png": bytes.fromhex("89504e470d0a1a0a0000000d49484452000000030000000208060000009dd5ac7a"),
}


def test_obsidian_vault_wikilinks_backlinks_and_tags(build_site):
    result = build_site(VAULT)
    notes = {n.title: n for n in result.notes}
    lora = notes["LoRA"].body.html
    assert '<a class="wikilink" href="/notes/attention/">attention</a>' in lora
    assert '<a class="wikilink" href="/notes/attention/">Transformer paper</a>' in lora
    assert '<a class="wikilink" href="/notes/attention/#method">Attention › Method</a>' in lora
    assert '<span class="wikilink broken" title="No note is called this">Missing note</span>' in lora
    assert '<a class="tag" href="/tags/fine-tuning/">#fine-tuning</a>' in lora and "<code>#code</code>" in lora
    assert re.search(r'<img src="/assets/[0-9a-f]{10}-figure.png" alt="figure.png" width="3" height="2" loading="lazy"', lora)
    assert notes["LoRA"].tags == ("fine-tuning",)
    assert '<a class="wikilink" href="/notes/lora/">low rank</a>' in notes["Attention"].body.html
    rel = notes["Rel"].body.html
    assert 'href="/notes/lora/">relative</a>' in rel and 'href="/notes/attention/#method">up</a>' in rel
    [warning] = [d for d in result.diagnostics if d.severity == "warning"]
    assert str(warning).endswith("sub/LoRA.md:1:68: warning: unresolved wikilink [[Missing note]]")
    page = (result.out_dir / "notes/attention/index.html").read_text()
    backlinks = page.split('id="backlinks-title"')[1]
    assert 'href="/notes/lora/">LoRA</a>' in backlinks and 'href="/notes/rel/">Rel</a>' in backlinks
    assert (result.out_dir / "tags/fine-tuning/index.html").is_file()


def test_jekyll_liquid_leftovers(build_site):
    post = ("---\ntitle: Post\n---\n{% highlight python %}\nx = 1\n{% endhighlight %}\n\n"
            "![img]({{ site.baseurl }}/images/a.png \"A title\") {% raw %}{{ literal }}{% endraw %}\n\n"
            "{% include figure.html %} and [other]({% post_url 2019-01-01-other %})\n")
    result = build_site({"content/_posts/2019-02-02-post.md": post, "content/_posts/2019-01-01-other.md": "Other",
                         "content/images/a.png": VAULT["content/attachments/figure.png"]})
    html = next(n for n in result.notes if n.title == "Post").body.html
    assert '<pre class="highlight" data-lang="python">' in html
    assert '<img src="/assets/' in html and 'alt="img" title="A title" width="3" height="2"' in html and "{{ literal }}" in html
    assert "{%" not in html and "site.baseurl" not in html
    assert 'href="/notes/other/">other</a>' in html
    [warning] = [d for d in result.diagnostics if d.severity == "warning"]
    assert "content/_posts/2019-02-02-post.md:10:1: warning: Liquid include 'figure.html' names no path" in str(warning)
