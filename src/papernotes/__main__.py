"""``python -m papernotes``: the same as the ``papernotes`` command."""

from .launch import main

main()
