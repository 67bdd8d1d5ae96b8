"""An emitter published as an entry point by a package (tests/test_extensions.py loads it so)."""

from papernotes.model import TextFile


def note_count(graph, config):
    text = f"{len(graph.notes)} notes\n"
    yield TextFile("/notes.txt", lambda: text, text)
