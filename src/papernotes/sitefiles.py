"""What papernotes knows of a site's folders before reading anything: the names of the files it
looks for and where the notes, templates, output and cache are, worked out with ``os.path``
alone, so that finding a site (and ``papernotes build`` finding it unchanged) imports nothing
else. ``sitelayout.SiteLayout`` holds the same answers as ``Path`` objects."""

from __future__ import annotations

import os

CONFIG_FILE = "papernotes.yaml"
CACHE_DIR = ".papernotes-cache"
MARKER = ".papernotes-site"  # in every folder ``papernotes build`` writes: a folder holding it is a built site, not notes
RACY_SECONDS = 1.0  # a file changed this close to a build may change again unseen in the same clock tick


def extension_of(path: str) -> str:
    """The extension of the file at ``path``, in lower case, as ``os.path.splitext`` gives it
    ("" for none, or for a name that only begins with dots), without its cost: it is asked of
    every file of folders that hold thousands, at each walk of them."""
    name = path[max(path.rfind("/"), path.rfind(os.sep)) + 1:].lstrip(".")
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


def site_folders(site_dir: str, out_dir: str | None = None) -> tuple[str, str, str, str, str]:
    """``(root, content, templates, static, out)`` of the site in ``site_dir``: ``site_dir/content``
    holds the notes; a folder without one is itself the notes folder, and then the default output
    is ``./site`` of the current folder."""
    root = os.path.realpath(site_dir)
    content = os.path.join(root, "content")
    if os.path.isdir(content):
        default_out = os.path.join(root, "site")
    else:
        content, default_out = root, os.path.join(os.getcwd(), "site")
    out = os.path.realpath(out_dir if out_dir is not None else default_out)
    return root, content, os.path.join(root, "templates"), os.path.join(root, "static"), out


def cache_folder(root: str, content: str, out: str) -> str:
    """Where reads are cached between builds (git-ignored): in a papernotes site folder; for a
    bare notes folder, a folder of its own (``notes_cache_name``) beside the output, or in the
    user cache folder when the output itself sits inside the notes, so that nothing is ever
    written into a folder of notes and two folders of notes built beside one another never
    take each other's caches."""
    if content != root:
        return os.path.join(root, CACHE_DIR)
    beside_output = os.path.dirname(out)
    if not is_within(beside_output, content):
        return os.path.join(beside_output, CACHE_DIR, notes_cache_name(content))
    return os.path.join(user_cache_dir(), notes_cache_name(content))


def notes_cache_name(content: str) -> str:
    """The cache folder's name for the bare notes folder ``content``: its own name and a digest of its path."""
    from .filedigests import hasher  # here: only a bare notes folder needs it

    return f"{os.path.basename(content) or 'notes'}-{hasher('sha256', os.fsencode(content)).hexdigest()[:16]}"


def is_within(path: str, folder: str) -> bool:
    """Whether the absolute ``path`` is ``folder`` or inside it (by name, as ``PurePath.is_relative_to``)."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def user_cache_dir() -> str:
    """papernotes' folder in the user cache directory (``$XDG_CACHE_HOME``, else ``~/.cache``)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "papernotes")


def in_git_checkout(folder: str) -> bool:
    """Whether ``folder`` is inside a git work tree (a ``.git`` folder or file in it or above it,
    or ``GIT_DIR`` set): outside one, git is not started to ask it for dates."""
    if "GIT_DIR" in os.environ:
        return True
    parent = folder
    while not os.path.exists(os.path.join(parent, ".git")):
        up = os.path.dirname(parent)
        if up == parent:
            return False
        parent = up
    return True
