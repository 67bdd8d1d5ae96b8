"""Skip a build when nothing it reads or wrote has changed since the last one, as make does.

The last build leaves a manifest in the cache folder: its options, every file it could read
(notes, images, the paper registry, config, templates, static files, the theme, papernotes
itself) by path, size and modification time, the git commit the notes are at, and the output
folder with what sits directly in it. A build finding all of these as they were reports the
last build again and writes nothing. As git does for racy files, an input changed within a
second of the last build is not trusted by its size and time (a second change in the same clock
tick would not show): the manifest keeps a digest of its bytes, and the next build hashes it again;
the first check to find them a second old with the same bytes takes their digests and its own
time into the manifest (``_settle``), so that a folder copied just before its build is not
hashed again by every check after it.

The output is taken as the last build left it while the output folder and each file and folder
directly in it keep their size and time: the folder removed, or a section folder, the home
page, a feed or the sitemap removed, replaced or renamed is seen; a page edited or deleted by
hand deeper down is not (``papernotes build --no-cache`` writes every page again, and any
build that runs checks each output file it keeps by its size and time).

The check is what ``papernotes build`` does first on every run, before the command line parser
is loaded (``launch``), so it stays cheap: one ``stat`` per input file, compared as one byte
string; no module imported beyond ``os`` and ``marshal`` (no pathlib, dataclasses, pickle or
hashing unless a racy or touched file must be hashed); and what only a build that runs needs
(the last build's problems, every output file's size and time) kept apart, in ``DETAILS``.
"""

from __future__ import annotations

import marshal
import os
from operator import attrgetter, itemgetter

from . import __version__, filedigests, marshalfile
from .sitefiles import CONFIG_FILE, RACY_SECONDS
from .theme import PACKAGE, theme_folder

TYPE_CHECKING = False  # as typing's, without importing typing
if TYPE_CHECKING:
    from typing import Any, Iterable

    from .model import Diagnostic

    Stamp = tuple[int, int]  # (size, modification time in nanoseconds)
    Changes = dict[str, tuple[Stamp | None, Stamp | None]]  # path → its stamp at the last build and now

MANIFEST = "last-build.marshal"
DETAILS = "last-build-details.marshal"  # what a build that runs needs: the problems and every output file
FORMAT = 8  # bump whenever the manifest changes shape
_MARSHAL = marshalfile.VERSION  # without back-references: equal values, equal bytes (the key is compared as bytes)
_SKIPPED = frozenset({".git", "__pycache__"})  # git's own files (the commit is taken instead), compiled Python
_NAME, _SIZE, _MTIME = attrgetter("name"), attrgetter("st_size"), attrgetter("st_mtime_ns")
_SEVERITY = 0  # where a problem's severity is in its tuple (``Diagnostic``'s fields in order)
#: Said after every build of a site whose base URL has no scheme and host (``LastBuild.site_origin`` empty).
BASE_URL_WARNING = ("warning: base_url has no scheme and host, so feeds, the sitemap and social tags (og:url) carry "
                    "relative URLs that readers and crawlers reject; set base_url: https://… in papernotes.yaml "
                    "or pass --base-url")


class LastBuild:
    """What the last build made: its note and page counts, how many warnings and errors it had,
    and the ``scheme://host`` of its base URL ("" when it had none); made by a build, its
    problems (``Diagnostic`` fields as tuples in marshal's bytes: made into diagnostics only when
    asked for; read from the manifest, they are in its details: ``Manifest.diagnostics``).
    Read-only by convention (no dataclass: see the module's docstring)."""

    __slots__ = ("notes", "pages", "warnings", "errors", "site_origin", "problems")

    def __init__(self, notes: int, pages: int, warnings: int, errors: int, site_origin: str, problems: bytes = b"") -> None:
        self.notes, self.pages, self.warnings, self.errors = notes, pages, warnings, errors
        self.site_origin, self.problems = site_origin, problems

    @classmethod
    def of(cls, notes: int, pages: int, diagnostics: Iterable[Diagnostic], site_origin: str) -> LastBuild:
        from collections import Counter  # here: the up-to-date answer, which makes no LastBuild, loads none of it
        from dataclasses import fields

        from .model import Diagnostic

        fields_of = attrgetter(*(field.name for field in fields(Diagnostic)))  # plain values: no deep copy needed
        problems = list(map(fields_of, diagnostics))
        severities = Counter(map(itemgetter(_SEVERITY), problems))  # counted in C: tens of thousands of warnings
        return cls(notes, pages, severities["warning"], severities["error"], site_origin, marshal.dumps(problems, _MARSHAL))


class Inputs:
    """What a build reads as one byte string (paths, sizes, times, options, version), the digests
    of the bytes of the files changed lately (``recent``: racy, so looked at by content), and the
    git commit the notes are at ("" outside a checkout)."""

    __slots__ = ("key", "recent", "head")

    def __init__(self, key: bytes, recent: dict[str, bytes], head: str = "") -> None:
        self.key, self.recent, self.head = key, recent, head


class Manifest:
    """The last build's manifest: the cache folder it is in, the inputs it found, the output
    folder it wrote and that folder's stamp (``output_stamp``), when it began, what it made, the
    digests of its racy inputs, the git commit it stood at when its output depends on it (a note
    dated by its last commit; None: it does not), the digest of the inputs the build began with
    (``basis_of``: the inputs may since have been taken again with new times alone), the token
    of its details (``DETAILS``, read only by a build that runs), and the folder whose files are
    not hashed (``remember``'s ``dated_folder``; None: none)."""

    __slots__ = ("where", "inputs", "out", "output", "time", "last", "recent", "head", "basis", "details", "unhashed")

    def __init__(self, where: str, inputs: bytes, out: str, output: bytes, time: float, last: LastBuild,
                 recent: dict[str, bytes], head: str | None, basis: str, details: str, unhashed: str | None) -> None:
        self.where, self.inputs, self.out, self.output = where, inputs, out, output
        self.time, self.last, self.recent, self.head, self.basis, self.details = time, last, recent, head, basis, details
        self.unhashed = unhashed

    def diagnostics(self) -> tuple[Diagnostic, ...] | None:
        """The last build's problems (None when its details are gone: not known)."""
        from .model import Diagnostic

        details = _details(self)
        return None if details is None else tuple(Diagnostic(*problem) for problem in marshal.loads(details[0]))


def options_key(drafts: bool, base_url: str | None, search: bool) -> tuple[object, ...]:
    """The options that change what a build writes, as ``take_inputs`` wants them."""
    return ("drafts", drafts, "base_url", base_url, "search", search)


class Check:
    """One look at a site before its build: what was asked (``check``'s arguments but the time),
    the last build's manifest, the inputs as they are now, the last build when nothing changed
    since it (else None), and the input files changed since it once looked for (``changes``)."""

    __slots__ = ("asked", "manifest", "inputs", "last", "changed")

    def __init__(self, asked: tuple[object, ...], manifest: Manifest | None, inputs: Inputs, last: LastBuild | None) -> None:
        self.asked, self.manifest, self.inputs, self.last = asked, manifest, inputs, last
        self.changed: Changes | None = None

    def changes(self) -> Changes | None:
        """The input files changed since the last build (``changes``; None: not known)."""
        if self.changed is None and self.manifest is not None:
            self.changed = changes(self.manifest, self.inputs)
        return self.changed

    def changed_files(self) -> frozenset[str] | None:
        """The paths of ``changes``."""
        changed = self.changes()
        return None if changed is None else frozenset(changed)

    def to_hash(self) -> frozenset[str] | None:
        """The input files whose digests a build of these inputs takes (``remember``'s
        ``hashed``): those changed since the last build and those changed within a second of
        it (hashed once settled); None: every file."""
        changed = self.changed_files()
        return None if changed is None or self.manifest is None else changed | self.manifest.recent.keys()


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
    looked = Check((folders, cache, options), manifest, inputs, recall(manifest, out, inputs))
    if looked.last is None and manifest is not None and manifest.inputs != inputs.key:
        looked.last = _touched_alone(cache, out, looked, now)
    elif looked.last is not None and manifest is not None and manifest.recent:
        _settle(cache, manifest, inputs, now)
    return looked


def take_inputs(roots: Iterable[str | os.PathLike[str]], skip: Iterable[str | os.PathLike[str]], options: object,
                since: float) -> Inputs:
    """The inputs under ``roots`` (``skip`` left out; a root that does not exist counts as such);
    files modified after ``since`` (``time.time()``) are also hashed. Folders are walked without
    following links to folders, as discovery does."""
    skipped = frozenset(os.path.realpath(p) for p in skip)
    stamps: list[object] = [__version__, repr(options)]
    recent: dict[str, bytes] = {}
    real = [os.path.realpath(root) for root in roots]
    for root in real:
        pending = [root]  # depth first, each folder before those in it, without recursion (a folder may nest 1,000 deep)
        while pending:
            pending += reversed(_walk(pending.pop(), skipped, since, stamps, recent))
    return Inputs(marshal.dumps(stamps, _MARSHAL), recent, git_head(real[0]) if real else "")


def _walk(top: str, skipped: frozenset[str], since: float, stamps: list[object], recent: dict[str, bytes]) -> list[str]:
    """Append ``top`` with its files' names, sizes and modification times to ``stamps``; hash the
    files modified after ``since``; return the folders in it to walk the same way. A folder is listed
    in the order the file system gives (the same while the folder is unchanged: another order
    costs a build, never a change unseen) and its files looked at through its descriptor."""
    try:
        descriptor = os.open(top, os.O_RDONLY | os.O_DIRECTORY)
    except NotADirectoryError:
        try:
            stat = os.stat(top)
        except OSError:
            stamps.append(top)
            return []
        stamps.append((top, stat.st_size, stat.st_mtime_ns))
        if stat.st_mtime > since:
            recent[top] = filedigests.content(top)
        return []
    except OSError:  # missing (or unreadable): as such
        stamps.append(top)
        return []
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
        return []
    finally:
        os.close(descriptor)
    times = list(map(_MTIME, stats))
    stamps.append((top, "\0".join(map(_NAME, files)), list(map(_SIZE, stats)), times))
    limit = int(since * 1e9)
    if times and max(times) > limit:
        for entry, time in zip(files, times):
            if time > limit:
                path = os.path.join(top, entry.name)
                recent[path] = filedigests.content(path)
    return [folder for folder in folders if folder not in skipped]


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
    try:
        header = marshalfile.load(os.path.join(cache_dir, MANIFEST))
        if header["format"] != (FORMAT, __version__):
            return None
        return Manifest(os.fspath(cache_dir), header["inputs"], header["out"], header["output"], header["time"],
                        LastBuild(*header["last"]), header["recent"], header["head"], header["basis"], header["details"],
                        header["unhashed"])
    except Exception:  # missing, truncated or from another version: build
        return None


def racy_since(manifest: Manifest | None, now: float) -> float:
    """When inputs count as racy: changed within a second of the last build (or of ``now``)."""
    started = manifest.time if manifest is not None else now
    return min(started, now) - RACY_SECONDS


def output_stamps(manifest: Manifest | None) -> dict[str, tuple[int, int]]:
    """(size, modification time) of every output file by its path in the output folder, as the
    last build left it."""
    details = _details(manifest) if manifest is not None else None
    return details[1] if details is not None else {}


def _details(manifest: Manifest) -> tuple[bytes, dict[str, tuple[int, int]]] | None:
    """The problems (marshal's bytes) and the output files of the build of ``manifest``; None
    when its details are gone, damaged or another build's."""
    try:
        token, problems, files = marshalfile.load(os.path.join(manifest.where, DETAILS))
        if token == manifest.details and isinstance(problems, bytes) and isinstance(files, dict):
            return problems, files
    except Exception:  # changed or cut short since: no output file is taken as it is
        pass
    return None


def recall(manifest: Manifest | None, out_dir: str | os.PathLike[str], inputs: Inputs) -> LastBuild | None:
    """The last build, when its manifest matches ``inputs`` (racy files by their bytes, the git
    commit when its output depends on it) and its output is as it left it."""
    if manifest is None or manifest.inputs != inputs.key or not _output_as_left(manifest, out_dir, inputs):
        return None
    since = manifest.time - RACY_SECONDS
    try:
        for path, content in inputs.recent.items():
            if os.stat(path).st_mtime > since and manifest.recent.get(path) != content:
                return None
    except OSError:
        return None
    return manifest.last


def _output_as_left(manifest: Manifest, out_dir: str | os.PathLike[str], inputs: Inputs) -> bool:
    """Whether the output folder is as the build of ``manifest`` left it, and the git commit the
    same when that build's output depends on it."""
    return manifest.output == output_stamp(out_dir) and (manifest.head is None or manifest.head == inputs.head)


def _touched_alone(cache_dir: str, out_dir: str, looked: Check, now: float) -> LastBuild | None:
    """The last build, when the inputs changed since it are files of a new time alone, each
    holding the bytes it had (as the digests it kept say); their new times are then taken into
    the manifest, once they are a second old (a file may change again unseen within the tick its
    time was taken in), so that the next check need not hash them."""
    manifest, inputs = looked.manifest, looked.inputs
    changed = looked.changes()
    if manifest is None or not changed or not _output_as_left(manifest, out_dir, inputs):
        return None
    moved = {path: (was, then) for path, (was, then) in changed.items() if was is not None and then is not None and was[0] == then[0]}
    if len(moved) != len(changed):
        return None  # a file added, removed, of another size or other bytes: an edit (most are), known without hashing
    digests = filedigests.load(cache_dir)
    kept = filedigests.looked_up(digests, moved)
    for path, (was, then) in moved.items():
        entry = kept.get(path)
        if entry is None or entry[:2] != was or (inputs.recent.get(path) or filedigests.settled(path, then)) != entry[2]:
            return None
    if max(then[1] for _, then in moved.values()) < (now - RACY_SECONDS) * 1e9:
        _take_times(manifest, inputs, now)
        filedigests.save(cache_dir, filedigests.updated(digests, {path: (*then, kept[path][2]) for path, (_, then) in moved.items()}))
    return manifest.last


def _settle(cache_dir: str, manifest: Manifest, inputs: Inputs, now: float) -> None:
    """Once the files that changed within a second of the last build (a folder copied or checked
    out just before it) are a second old and still hold the bytes it hashed, take their digests
    and the time of this check into the manifest, so that the checks after it hash them no more."""
    racy = _stamps(inputs.key, frozenset(manifest.recent))
    if racy.keys() != manifest.recent.keys() or max(time for _, time in racy.values()) >= (now - RACY_SECONDS) * 1e9:
        return  # one gone (the check would not have said up to date), or one may still change unseen
    _take_times(manifest, inputs, now)
    digests = filedigests.load(cache_dir)
    skipped = manifest.unhashed
    filedigests.save(cache_dir, filedigests.updated(digests, {
        path: (*stamp, manifest.recent[path]) for path, stamp in racy.items()
        if stamp[0] <= filedigests.HASHED_UP_TO and not (skipped is not None and path.startswith(skipped))}))


def changes(manifest: Manifest, inputs: Inputs) -> Changes | None:
    """The input files (by real path) added, removed or of another size or time since the build
    of ``manifest``, each with its (size, time) then and now (None: missing), and the racy ones
    whose bytes differ (of the same size and time: None, None); None when more than files changed
    (papernotes itself, the options). A new git commit is the engine's to look into: it knows
    which notes are dated by their commits."""
    try:
        old, new = marshal.loads(manifest.inputs), marshal.loads(inputs.key)
    except (EOFError, ValueError, TypeError):
        return None
    if old[:2] != new[:2]:
        return None
    before = {entry if isinstance(entry, str) else entry[0]: entry for entry in old[2:]}
    changed: Changes = {}
    for entry in new[2:]:
        top = entry if isinstance(entry, str) else entry[0]
        was = before.pop(top, top)
        if was != entry:
            changed.update(_files_differing(was, entry))
    for was in before.values():  # a folder gone: its files with it
        changed.update((path, (stamp, None)) for path, stamp in _files_of(was).items())
    for path, content in inputs.recent.items():
        if path not in changed and manifest.recent.get(path) != content:
            changed[path] = (None, None)
    return changed


def _files_differing(old: Any, new: Any) -> Changes:
    """The files of two stamps of one walked path (``_walk``'s entries) whose stamps differ, with
    their stamps in each."""
    if not isinstance(old, str) and not isinstance(new, str) and len(old) == len(new) == 4 and old[1] == new[1]:
        top, names = new[0], new[1].split("\0")  # the same files: those whose size or time moved
        return {os.path.join(top, names[index]): ((was, then), (size, time)) for index, (size, was, time, then)
                in enumerate(zip(new[2], old[2], new[3], old[3])) if size != was or time != then}
    before, after = _files_of(old), _files_of(new)
    return {path: (before.get(path), after.get(path)) for path in before.keys() | after.keys()
            if before.get(path) != after.get(path)}


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
             made: LastBuild, dated_folder: str | None, output: dict[str, tuple[int, int]] | None = None,
             hashed: frozenset[str] | None = None) -> None:
    """Write the manifest of a build that began at ``started`` (``time.time()``), and keep the
    digests of its input files (``filedigests``); ``output``: the output folder's files and their
    (size, modification time) when the build knows them (else they are looked at);
    ``dated_folder``: the notes folder (its real path) when a note may take its date from its
    file, its last commit or its time (None: no note does, so another commit leaves the build up
    to date, and every file is hashed); when given, its files are not hashed (a new time builds);
    ``hashed``: the files to hash, the others keeping the digests kept (None:
    every file, the digests kept dropped)."""
    token = f"{started!r}:{os.getpid()}"
    skipped = os.path.join(dated_folder, "") if dated_folder is not None else None
    try:
        files = filedigests.file_stamps(os.fspath(out_dir)) if output is None else output
        header = {"format": (FORMAT, __version__), "inputs": inputs.key, "out": os.fspath(out_dir),
                  "output": output_stamp(out_dir), "time": started,
                  "last": (made.notes, made.pages, made.warnings, made.errors, made.site_origin),
                  "recent": _racy(inputs.recent, started), "head": inputs.head if dated_folder is not None else None,
                  "basis": basis_of(inputs.key), "details": token, "unhashed": skipped}
        os.makedirs(cache_dir, exist_ok=True)
        marshalfile.save(os.path.join(cache_dir, DETAILS), (token, made.problems, files))
        marshalfile.save(os.path.join(cache_dir, MANIFEST), header)
    except (OSError, ValueError):
        return
    found = filedigests.taken(_stamps(inputs.key, hashed), int((started - RACY_SECONDS) * 1e9), skipped, inputs.recent)
    known = filedigests.load(cache_dir) if hashed is not None else {}
    digests = filedigests.updated(known, found, skipped)
    if digests != known:
        filedigests.save(cache_dir, digests)


def basis_of(key: bytes) -> str:
    """A digest of the inputs a build began with (``Inputs.key``), by which its saved state is told."""
    return filedigests.hasher("blake2b", key, digest_size=16).hexdigest()


def _racy(recent: dict[str, bytes], started: float) -> dict[str, bytes]:
    """The digests of the files among ``recent`` modified within a second of ``started``."""
    return {path: content for path, content in recent.items() if os.stat(path).st_mtime > started - RACY_SECONDS}


def _take_times(manifest: Manifest, inputs: Inputs, now: float) -> None:
    """The manifest of ``manifest`` with the inputs as taken at ``now``, which differ from those
    of its build in files' times alone; what it says of the build, and its details, are kept."""
    try:
        where = os.path.join(manifest.where, MANIFEST)
        header = marshalfile.load(where)
        header.update(inputs=inputs.key, time=now, recent=_racy(inputs.recent, now))
        marshalfile.save(where, header)
    except (OSError, ValueError, EOFError, TypeError):
        pass  # the next check hashes the files again


def _stamps(key: bytes, paths: frozenset[str] | None = None) -> dict[str, tuple[int, int]]:
    """The (size, time) of the files ``paths`` (every file when None) as ``key`` (``Inputs.key``)
    has them; a path it does not hold is left out."""
    entries = marshal.loads(key)[2:]
    found: dict[str, tuple[int, int]] = {}
    if paths is None:
        for entry in entries:
            found.update(_files_of(entry))
        return found
    folders = filedigests.by_folder(paths)
    for entry in entries:
        if isinstance(entry, str):
            continue
        if len(entry) == 3:  # a file named as a root
            if entry[0] in paths:
                found[entry[0]] = (entry[1], entry[2])
        elif entry[0] in folders:
            top, names, sizes, times = entry
            positions = {name: index for index, name in enumerate(names.split("\0"))}
            for name in folders[top]:
                if (index := positions.get(name)) is not None:
                    found[os.path.join(top, name)] = (sizes[index], times[index])
    return found


def up_to_date_line(notes: int, pages: int, warnings: int, errors: int, seconds: float, out: object) -> str:
    """What ``papernotes build`` says when nothing changed since the last build."""
    return (f"up to date: nothing changed since the last build ({notes} notes, {pages} pages, {warnings} warnings, "
            f"{errors} errors); checked in {seconds:.2f} s → {out}")
