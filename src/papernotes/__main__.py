"""``python -m papernotes``: the same as the ``papernotes`` command."""

from .cli import main

main()
