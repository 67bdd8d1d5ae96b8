"""``papernotes check`` on a written site: broken targets, anchors, and empty sources."""

from __future__ import annotations

from pathlib import Path

from papernotes.check import check_site


def test_empty_href_and_src_and_images_without_a_source_are_broken(tmp_path: Path):
    (tmp_path / "index.html").write_text(
        '<a href="">empty</a> <a name="top">anchor only</a> <img src=""> <img alt="none"> '
        '<img srcset="a.png 2x"> <script src=" "></script> <script>inline()</script> <a href="#top">ok</a>')
    (tmp_path / "a.png").write_bytes(b"")
    result = check_site(tmp_path)
    assert [str(b) for b in result.broken] == [
        'index.html: broken link → <a href=""> (empty link)',
        'index.html: broken link → <img src=""> (empty link)',
        "index.html: broken link → <img> without a source (empty link)",
        'index.html: broken link → <script src=""> (empty link)',
    ]
