"""Markdown: the one configured markdown-it-py pipeline (``pipeline``) and every plugin it uses, each
``plugin(md, **opts)``: TeX math as MathJax finds it (``mathsyntax``) rendered to MathML (``math``,
``mathpolish``, ``texmacros``); wikilinks and embeds; Obsidian callouts, highlights, comments and block
references; Pandoc citations; kramdown and attribute lists; heading ids and the table of contents;
references in raw HTML; Mermaid diagrams; Pygments highlighting (``highlight``); local images
(``assets``); third-party HTML made safe (``sanitize``); plain text of rendered HTML for summaries
(``plaintext``).
"""
