"""papernotes: a static site generator for research-paper notes."""

__version__ = "0.1.0"
