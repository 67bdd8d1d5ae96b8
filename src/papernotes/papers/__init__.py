"""Papers: every way a note names a paper mapped to one canonical id (``identifiers``, ``titles``),
the mentions in a rendered note (``mentions``), the metadata registry (``registry``: BibTeX, YAML,
CSL-JSON, fetched cache) and fetching it (``fetch``), the paper graph (``papergraph``), authors and
venues (``authorship``), and the exports (``bibtex``, ``csljson``).
"""
