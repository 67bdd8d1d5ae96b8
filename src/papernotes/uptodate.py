"""Skip a build when nothing it reads or wrote has changed since the last one, as make does.

The last build leaves a manifest in the cache folder: its options, every file it could read
(notes, images, the paper registry, config, templates, static files, the theme, papernotes
itself) by path, size and modification time, the git commit the notes are at, and the output
folder with what sits directly in it. A build finding all of these as they were reports the
last build again and writes nothing. As git does for racy files, an input changed within a
second of the last build is not trusted by its size and time (a second change in the same clock
tick would not show): the manifest keeps a digest of its bytes, and the next build hashes it again.

The output is taken as the last build left it while the output folder and each file and folder
directly in it keep their size and time: the folder removed, or a section folder, the home
page, a feed or the sitemap removed, replaced or renamed is seen; a page edited or deleted by
hand deeper down is not (``papernotes build --no-cache`` writes every page again, and any
build that runs checks each output file it keeps by its size and time).

The check is what ``papernotes build`` does first on every run, before the command line parser
is loaded (``launch``), so it stays cheap: one ``stat`` per input file, compared as one byte
string; no module imported beyond ``os`` and ``marshal`` (no pathlib, dataclasses, pickle or
hashing unless a racy file must be hashed); the last build's problems kept as plain tuples; and
the manifest's large part (every output file's size and time, which a build that does run
needs) read only then.
"""

from __future__ import annotations

import marshal
import os
from operator import attrgetter

from . import __version__
from .sitefiles import CONFIG_FILE, RACY_SECONDS
from .theme import PACKAGE, theme_folder

TYPE_CHECKING = False  # as typing's, without importing typing
if TYPE_CHECKING:
    from typing import Any, Iterable

    from .model import Diagnostic

MANIFEST = "last-build.marshal"
FORMAT = 6  # bump whenever the manifest changes shape
_MARSHAL = 2  # the marshal version without back-references: equal values, equal bytes
_SKIPPED = frozenset({".git", "__pycache__"})  # git's own files (the commit is taken instead), compiled Python
_NAME, _SIZE, _MTIME = attrgetter("name"), attrgetter("st_size"), attrgetter("st_mtime_ns")
_SEVERITY = 0  # where a problem's severity is in its tuple (``Diagnostic``'s fields in order)


class LastBuild:
    """What the last build made: its note and page counts, how many warnings and errors it had,
    its problems (``Diagnostic`` fields as tuples in marshal's bytes: made into diagnostics only
    when asked for), and the ``scheme://host`` of its base URL ("" when it had none). Read-only
    by convention (no dataclass: see the module's docstring)."""

    __slots__ = ("notes", "pages", "warnings", "errors", "problems", "site_origin")

    def __init__(self, notes: int, pages: int, warnings: int, errors: int, problems: bytes, site_origin: str) -> None:
        self.notes, self.pages, self.warnings, self.errors = notes, pages, warnings, errors
        self.problems, self.site_origin = problems, site_origin

    @classmethod
    def of(cls, notes: int, pages: int, diagnostics: Iterable[Diagnostic], site_origin: str) -> LastBuild:
        from dataclasses import fields

        from .model import Diagnostic

        fields_of = attrgetter(*(field.name for field in fields(Diagnostic)))  # plain values: no deep copy needed
        problems = list(map(fields_of, diagnostics))
        return cls(notes, pages, sum(problem[_SEVERITY] == "warning" for problem in problems),
                   sum(problem[_SEVERITY] == "error" for problem in problems), marshal.dumps(problems, _MARSHAL), site_origin)

    def diagnostics(self) -> tuple[Diagnostic, ...]:
        from .model import Diagnostic

        return tuple(Diagnostic(*problem) for problem in marshal.loads(self.problems))


class Inputs:
    """What a build reads as one byte string (paths, sizes, times, options, version), the digests
    of the bytes of the files changed lately (``recent``: racy, so looked at by content), and the
    git commit the notes are at ("" outside a checkout)."""

    __slots__ = ("key", "recent", "head")

    def __init__(self, key: bytes, recent: dict[str, str], head: str = "") -> None:
        self.key, self.recent, self.head = key, recent, head


class Manifest:
    """The header of the last build's manifest: where it is, the inputs it found, the output
    folder it wrote and that folder's stamp (``output_stamp``), when it began, what it made, the
    digests of its racy inputs, and the git commit it stood at when its output depends on it
    (a note dated by its last commit; None: it does not)."""

    __slots__ = ("where", "inputs", "out", "output", "time", "last", "recent", "head")

    def __init__(self, where: str, inputs: bytes, out: str, output: bytes, time: float, last: LastBuild,
                 recent: dict[str, str], head: str | None = None) -> None:
        self.where, self.inputs, self.out, self.output = where, inputs, out, output
        self.time, self.last, self.recent, self.head = time, last, recent, head


def options_key(drafts: bool, base_url: str | None, search: bool) -> tuple[object, ...]:
    """The options that change what a build writes, as ``take_inputs`` wants them."""
    return ("drafts", drafts, "base_url", base_url, "search", search)


class Check:
    """One look at a site before its build: what was asked (``check``'s arguments but the time),
    the last build's manifest, the inputs as they are now, and the last build when nothing
    changed since it (else None)."""

    __slots__ = ("asked", "manifest", "inputs", "last")

    def __init__(self, asked: tuple[object, ...], manifest: Manifest | None, inputs: Inputs, last: LastBuild | None) -> None:
        self.asked, self.manifest, self.inputs, self.last = asked, manifest, inputs, last


def check(folders: tuple[str, str, str, str, str], cache: str, options: object, now: float) -> Check:
    """Look at the site whose ``(root, content, templates, static, out)`` are ``folders`` (as
    ``sitefiles.site_folders`` gives them) and whose cache folder is ``cache``, for a build with
    ``options`` (``options_key``) beginning at ``now`` (``time.time()``)."""
    root, content, templates, static, out = folders
    manifest = load(cache)
    theme = theme_folder()
    roots = [content, templates, static, os.path.join(root, CONFIG_FILE),
             os.path.join(root, "plugins"),  # the site's own plugin modules (``plugins:`` in the config)
             os.path.join(theme, "templates"), os.path.join(theme, "static"),
             PACKAGE]  # papernotes itself, for a source checkout
    inputs = take_inputs(roots, (out, cache), options, racy_since(manifest, now))
    return Check((folders, cache, options), manifest, inputs, recall(manifest, out, inputs))


def take_inputs(roots: Iterable[str | os.PathLike[str]], skip: Iterable[str | os.PathLike[str]], options: object,
                since: float) -> Inputs:
    """The inputs under ``roots`` (``skip`` left out; a root that does not exist counts as such);
    files modified after ``since`` (``time.time()``) are also hashed. Folders are walked without
    following links to folders, as discovery does."""
    skipped = frozenset(os.path.realpath(p) for p in skip)
    stamps: list[object] = [__version__, repr(options)]
    recent: dict[str, str] = {}
    real = [os.path.realpath(root) for root in roots]
    for root in real:
        _walk(root, skipped, since, stamps, recent)
    return Inputs(marshal.dumps(stamps, _MARSHAL), recent, git_head(real[0]) if real else "")


def _walk(top: str, skipped: frozenset[str], since: float, stamps: list[object], recent: dict[str, str]) -> None:
    """Append ``top`` with its files' names, sizes and modification times, then each folder below
    it the same way, to ``stamps``; hash the files modified after ``since``. A folder is listed
    in the order the file system gives (the same while the folder is unchanged: another order
    costs a build, never a change unseen) and its files looked at through its descriptor."""
    try:
        descriptor = os.open(top, os.O_RDONLY | os.O_DIRECTORY)
    except NotADirectoryError:
        try:
            stat = os.stat(top)
        except OSError:
            stamps.append(top)
            return
        stamps.append((top, stat.st_size, stat.st_mtime_ns))
        if stat.st_mtime > since:
            recent[top] = _content(top)
        return
    except OSError:  # missing (or unreadable): as such
        stamps.append(top)
        return
    try:
        with os.scandir(descriptor) as found:
            entries = list(found)
        folders: list[str] = []
        files: list[os.DirEntry[str]] = []
        for entry in entries:
            if not entry.is_dir():
                files.append(entry)
            elif entry.name not in _SKIPPED and not entry.is_symlink():
                folders.append(os.path.join(top, entry.name))
        try:
            stats = list(map(os.DirEntry.stat, files))  # no Python loop: most of a large folder's cost
        except OSError:  # a broken link, or a file removed meanwhile: left out, as discovery leaves it
            files, stats = _statted(files)
    except OSError:
        stamps.append(top)
        return
    finally:
        os.close(descriptor)
    times = list(map(_MTIME, stats))
    stamps.append((top, "\0".join(map(_NAME, files)), list(map(_SIZE, stats)), times))
    limit = int(since * 1e9)
    if times and max(times) > limit:
        for entry, time in zip(files, times):
            if time > limit:
                path = os.path.join(top, entry.name)
                recent[path] = _content(path)
    for folder in folders:
        if folder not in skipped:
            _walk(folder, skipped, since, stamps, recent)


def _statted(entries: list[os.DirEntry[str]]) -> tuple[list[os.DirEntry[str]], list[os.stat_result]]:
    """The entries that can be stat'ed, with their stats."""
    kept, stats = [], []
    for entry in entries:
        try:
            stats.append(entry.stat())
        except OSError:
            continue
        kept.append(entry)
    return kept, stats


def _content(path: str) -> str:
    import hashlib  # here: only a racy file is hashed

    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "blake2b").hexdigest()
    except OSError:
        return ""


def output_stamp(out_dir: str | os.PathLike[str]) -> bytes:
    """The output folder's own identity and time, and each file and folder directly in it by
    name, size and time."""
    try:
        folder = os.stat(out_dir)
        with os.scandir(out_dir) as found:
            entries = sorted((entry.name, entry.stat(follow_symlinks=False)) for entry in found)
    except OSError:
        return b""
    return marshal.dumps([os.fspath(out_dir), folder.st_ino, folder.st_mtime_ns,
                          [(name, stat.st_mode, stat.st_size, stat.st_mtime_ns) for name, stat in entries]], _MARSHAL)


def git_head(folder: str) -> str:
    """The commit checked out in the git repository holding ``folder`` ("" outside one), read from
    the repository's files; git itself is asked only when they are not the plain kind, or when
    ``GIT_DIR`` names the repository."""
    if "GIT_DIR" in os.environ:
        return _ask_git(folder)
    parent = folder
    while True:
        dot_git = os.path.join(parent, ".git")
        try:
            if os.path.isdir(dot_git):
                return _ref(dot_git, dot_git) or _ask_git(parent)
            if os.path.isfile(dot_git):  # a worktree or submodule: "gitdir: <path>"
                text = _text(dot_git)
                if not text.startswith("gitdir: "):
                    return _ask_git(parent)
                git_dir = os.path.realpath(os.path.join(parent, text.removeprefix("gitdir: ")))
                common = os.path.join(git_dir, "commondir")
                shared = os.path.realpath(os.path.join(git_dir, _text(common))) if os.path.isfile(common) else git_dir
                return _ref(git_dir, shared) or _ask_git(parent)
        except (OSError, UnicodeDecodeError):
            return _ask_git(parent)
        up = os.path.dirname(parent)
        if up == parent:
            return ""
        parent = up


def _text(path: str) -> str:
    with open(path, encoding="utf-8") as handle:
        return handle.read().strip()


def _ref(git_dir: str, shared: str) -> str:
    """What HEAD names, as a commit id; "" when the refs are not loose or packed files."""
    head = _text(os.path.join(git_dir, "HEAD"))
    if not head.startswith("ref: "):
        return head  # a detached HEAD holds the commit itself
    ref = head.removeprefix("ref: ")
    for folder in (git_dir, shared):
        loose = os.path.join(folder, ref)
        if os.path.isfile(loose):
            return _text(loose)
    packed = os.path.join(shared, "packed-refs")
    if os.path.isfile(packed):
        for line in _text(packed).splitlines():
            commit, _, name = line.partition(" ")
            if name == ref:
                return commit
    return ""  # an unborn branch or another ref storage: git answers


def _ask_git(folder: str) -> str:
    import subprocess  # here: seldom needed

    try:
        return subprocess.run(["git", "rev-parse", "--verify", "--quiet", "HEAD"], cwd=folder, capture_output=True, text=True,
                              timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def load(cache_dir: str | os.PathLike[str]) -> Manifest | None:
    """The last build's manifest; None when there is none or it cannot be trusted (cut short,
    written by another version)."""
    where = os.path.join(cache_dir, MANIFEST)
    try:
        with open(where, "rb") as handle:
            header = marshal.loads(handle.read(int.from_bytes(handle.read(8), "little")))
        if header["format"] != (FORMAT, __version__):
            return None
        return Manifest(where, header["inputs"], header["out"], header["output"], header["time"], LastBuild(*header["last"]),
                        header["recent"], header["head"])
    except Exception:  # missing, truncated or from another version: build
        return None


def racy_since(manifest: Manifest | None, now: float) -> float:
    """When inputs count as racy: changed within a second of the last build (or of ``now``)."""
    started = manifest.time if manifest is not None else now
    return min(started, now) - RACY_SECONDS


def output_stamps(manifest: Manifest | None) -> dict[str, tuple[int, int]]:
    """(size, modification time) of every output file by its path in the output folder, as the
    last build left it."""
    if manifest is None:
        return {}
    try:
        with open(manifest.where, "rb") as handle:
            handle.seek(8 + int.from_bytes(handle.read(8), "little"))  # past the header
            files = marshal.loads(handle.read())
    except Exception:  # changed or cut short since: no output file is taken as it is
        return {}
    return files if isinstance(files, dict) else {}


def recall(manifest: Manifest | None, out_dir: str | os.PathLike[str], inputs: Inputs) -> LastBuild | None:
    """The last build, when its manifest matches ``inputs`` (racy files by their bytes, the git
    commit when its output depends on it) and its output is as it left it."""
    if manifest is None or manifest.inputs != inputs.key or manifest.output != output_stamp(out_dir):
        return None
    if manifest.head is not None and manifest.head != inputs.head:
        return None
    since = manifest.time - RACY_SECONDS
    try:
        for path, content in inputs.recent.items():
            if os.stat(path).st_mtime > since and manifest.recent.get(path) != content:
                return None
    except OSError:
        return None
    return manifest.last


def changed_files(manifest: Manifest, inputs: Inputs) -> frozenset[str] | None:
    """The input files (by real path) added, removed or of another size or time since the build
    of ``manifest``, and the racy ones whose bytes differ; None when more than files changed
    (papernotes itself, the options). A new git commit is the engine's to look into: it knows
    which notes are dated by their commits."""
    try:
        old, new = marshal.loads(manifest.inputs), marshal.loads(inputs.key)
    except (EOFError, ValueError, TypeError):
        return None
    if old[:2] != new[:2]:
        return None
    before = {entry if isinstance(entry, str) else entry[0]: entry for entry in old[2:]}
    changed: set[str] = set()
    for entry in new[2:]:
        top = entry if isinstance(entry, str) else entry[0]
        was = before.pop(top, top)
        if was != entry:
            changed.update(_files_differing(was, entry))
    for was in before.values():  # a folder gone: its files with it
        changed.update(_files_of(was))
    changed.update(path for path, content in inputs.recent.items() if manifest.recent.get(path) != content)
    return frozenset(changed)


def _files_differing(old: Any, new: Any) -> set[str]:
    """The files of two stamps of one walked path (``_walk``'s entries) whose stamps differ."""
    if not isinstance(old, str) and not isinstance(new, str) and len(old) == len(new) == 4 and old[1] == new[1]:
        top, names = new[0], new[1].split("\0")  # the same files: those whose size or time moved
        return {os.path.join(top, names[index]) for index, (size, was, time, then)
                in enumerate(zip(new[2], old[2], new[3], old[3])) if size != was or time != then}
    before, after = _files_of(old), _files_of(new)
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}


def _files_of(entry: Any) -> dict[str, tuple[int, int]]:
    """Each file of one of ``_walk``'s entries with its (size, time): a folder's files, a file,
    or nothing (a path that was missing)."""
    if isinstance(entry, str):
        return {}
    if len(entry) == 3:
        top, size, time = entry
        return {top: (size, time)}
    top, names, sizes, times = entry
    return {os.path.join(top, name): stamp for name, stamp in zip(names.split("\0"), zip(sizes, times))} if names else {}


def remember(cache_dir: str | os.PathLike[str], out_dir: str | os.PathLike[str], inputs: Inputs, started: float,
             made: LastBuild, output: dict[str, tuple[int, int]] | None = None, dated_by_commit: bool = True) -> None:
    """Write the manifest of a build that began at ``started`` (``time.time()``); ``output``:
    the output folder's files and their (size, modification time) when the build knows them
    (else they are looked at); ``dated_by_commit``: whether a note may take its date from the
    commit the notes are at (else another commit leaves the build up to date)."""
    try:
        files = _output_files(out_dir) if output is None else output
        recent = {path: content for path, content in inputs.recent.items() if os.stat(path).st_mtime > started - RACY_SECONDS}
        header = {"format": (FORMAT, __version__), "inputs": inputs.key, "out": os.fspath(out_dir),
                  "output": output_stamp(out_dir), "time": started,
                  "last": (made.notes, made.pages, made.warnings, made.errors, made.problems, made.site_origin),
                  "recent": recent, "head": inputs.head if dated_by_commit else None}
        os.makedirs(cache_dir, exist_ok=True)
        temporary = os.path.join(cache_dir, f"{MANIFEST}.tmp-{os.getpid()}")
        with open(temporary, "wb") as handle:
            data = marshal.dumps(header, _MARSHAL)
            handle.write(len(data).to_bytes(8, "little") + data)  # the header read alone, by its length
            marshal.dump(files, handle, _MARSHAL)
        os.replace(temporary, os.path.join(cache_dir, MANIFEST))
    except (OSError, ValueError):
        pass


def _output_files(out_dir: str | os.PathLike[str]) -> dict[str, tuple[int, int]]:
    """Every file in the output folder with its (size, modification time)."""
    files = {}
    for folder, _, found in os.walk(out_dir):
        for name in found:
            path = os.path.join(folder, name)
            stat = os.stat(path)
            files[os.path.relpath(path, out_dir)] = (stat.st_size, stat.st_mtime_ns)
    return files
