"""The names of the files papernotes looks for in a site folder, kept apart from the code that
reads them so that finding a site costs no import of it."""

CONFIG_FILE = "papernotes.yaml"
