"""Emit: the pages a site is made of, planned from the graph (``pages``), the feeds, sitemap and
robots (``syndication``), ``/graph.json`` (``graphjson``), JSON-LD (``structured``) and the search
index over the written site (``search``).
"""
