"""The reads kept between builds: each file's result under a digest of its bytes, its date and
the read inputs, in memory and in the cache folder, and the last build's notes folder."""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..markdown.assets import AssetFinder, file_name, still_found
from ..config import Config
from ..model import ReadResult
from ..read.site import TIMED_OUT, Progress, ReadInputs, no_progress, read_site
from ..papers.registry import Registry
from ..sitelayout import SiteLayout
from ..read import Bursts, committed_between, copy_bursts, discover, file_dates, in_bursts, takes_file_date
from ..uptodate import git_head
from ..walks import RACY_SECONDS, WalkMemo
from ..filedigests import read_regular


COPIED = " copied"  # after the read inputs' digest in memory: the file's time was taken as a copy's (no date)


def note_files(layout: SiteLayout, walks: WalkMemo | None = None) -> list[str]:
    """The site's candidate note files: its content folder's, without the output, templates,
    static files and cache folder that may lie in it."""
    return discover(layout.content, exclude=(layout.out, layout.templates, layout.static, layout.cache), memo=walks)


def read_inputs(layout: SiteLayout, config: Config, registry: Registry, walks: WalkMemo | None = None) -> ReadInputs:
    """What reading any note of the site depends on besides its own bytes (its images among them)."""
    return ReadInputs(layout.content, config, registry, AssetFinder.scan(layout.content, layout.static,
                                                                         skip=(layout.out,), memo=walks))


class ReadCache:
    """Read results under a digest of the file's bytes and date and of the read inputs: in memory
    by file (with the file's size and time, so that an unchanged file is not even hashed) and,
    given a folder, one pickle per file on disk. A corrupt or unwritable disk cache is ignored,
    never trusted. Memory holds each result as ``keep`` returns it (its bodies in a store)."""

    def __init__(self, folder: Path | None, keep: Callable[[ReadResult], ReadResult] = lambda result: result) -> None:
        self.root = folder / "read" if folder is not None else None
        self.keep = keep
        # rel → ((size, time, when seen, the digest kept on disk under), inputs, result)
        self.memory: dict[str, tuple[tuple[int, int, float, str], str, ReadResult]] = {}
        self.decided: tuple[object, Bursts] = (None, ())  # the memory whose marks agree with these copy bursts
        self.head: str | None = None  # the git commit memory's results were read at ("": none; None: not known)
        self.images: dict[str, tuple[int, int]] | None = None  # the images (``ReadInputs.images``) memory agrees with
        self.site: str | None = None  # the site's variables (``ReadInputs.site_digest``) memory agrees with
        self.registry: str | None = None  # the paper registry (``ReadInputs.registry_digest``) memory agrees with

    @staticmethod
    def key(inputs: ReadInputs, path: str, date: object) -> str:
        """The digest a file's result is kept under ("": the file cannot be read)."""
        try:
            data = read_regular(path)
        except OSError:
            return ""
        return hashlib.sha256(inputs.digest.encode() + str(date).encode() + b"\0" + data).hexdigest()

    def agree(self, inputs: ReadInputs) -> None:
        """Forget the results in memory whose files name an image or attachment that is no
        longer found as it was (added, removed, changed), once the site's images changed: an
        image added makes again the notes that looked for it, not every note. Likewise the
        results that may have read the site's variables, once those changed, and those that
        looked a paper up in the registry, once it changed (a ``papers.bib`` edited)."""
        site, images, registry = self.site != inputs.site_digest, self.images != inputs.images, self.registry != inputs.registry_digest
        if not (site or images or registry):
            return
        before, after = self.images or {}, inputs.images
        names = None if self.images is None else \
            {os.path.basename(path).lower() for path in before.keys() | after.keys() if before.get(path) != after.get(path)}
        stale = [rel for rel, (_, _, result) in self.memory.items()
                 if (site and result.site_variables) or (registry and result.registry_lookups)
                 or (images and not _still_found(result, inputs, names))]
        for rel in stale:
            del self.memory[rel]
        self.site, self.images, self.registry, self.decided = inputs.site_digest, inputs.images, inputs.registry_digest, (None, ())

    def forget_all_but(self, rels: Iterable[str]) -> None:
        """Forget the results of the files not among ``rels`` (deleted or renamed): memory, and
        the state saved from it, would hold them for as long as the cache folder lasts."""
        present = set(rels)
        for rel in [rel for rel in self.memory if rel not in present]:
            del self.memory[rel]

    def recall(self, rel: str, path: str, inputs: ReadInputs, look: bool = True) -> ReadResult | None:
        """The result remembered in memory for an unchanged file under the same inputs. A file
        changed within a second of being looked at is checked by its bytes (its size and time
        could stay the same through a second change in the same clock tick). ``look=False``: the
        caller knows the file did not change."""
        remembered = self.memory.get(rel)
        if remembered is None:
            return None
        (size, mtime, seen, _), digest, result = remembered
        if look:
            try:
                stat = os.stat(path)
            except OSError:
                return None
            if (size, mtime) != (stat.st_size, stat.st_mtime_ns) or seen - mtime / 1e9 < RACY_SECONDS:
                return None
        return result if digest.removesuffix(COPIED) == inputs.digest else None

    def dated_copies(self, rels: list[str], paths: list[str], results: list[ReadResult | None]) -> tuple[Bursts, list[int]]:
        """The site's copy bursts (``copy_bursts`` over every file's modification time: as memory
        has it for a file recalled, else looked at), and the positions of the files recalled that
        were read with the other answer for theirs, to be read again: a file's date may change
        with the others' times (a copy shared by most files no longer is once most of them were
        edited)."""
        memory, times, to_look_at = self.memory, [], []
        for rel, path, result in zip(rels, paths, results):
            entry = memory.get(rel) if result is not None else None
            if entry is not None:
                times.append(entry[0][1])
            else:
                to_look_at.append(path)
        for path in to_look_at:
            with contextlib.suppress(OSError):
                times.append(os.stat(path).st_mtime_ns)
        bursts = copy_bursts(times)
        if self.decided[0] is memory and self.decided[1] == bursts:  # every mark in memory was made or checked under these
            return bursts, []
        self.decided = (memory, bursts)
        return bursts, [index for index, (rel, result) in enumerate(zip(rels, results)) if result is not None and takes_file_date(rel)
                        and (entry := memory.get(rel)) is not None and in_bursts(entry[0][1], bursts) != entry[1].endswith(COPIED)]

    def redated(self, content_dir: Path, rels: list[str], results: list[ReadResult | None]) -> list[int]:
        """The positions of the files recalled whose date may have changed with the commit checked
        out since memory's results were read (git dates a file by its last commit): the files the
        commits between the two touched, or every one when git cannot tell which."""
        before, self.head = self.head, git_head(os.fspath(content_dir))
        if before == self.head:
            return []
        recalled = {rel: index for index, (rel, result) in enumerate(zip(rels, results))
                    if result is not None and takes_file_date(rel)}
        touched = committed_between(content_dir, before, self.head) if before and self.head and recalled else None
        return sorted(recalled.values() if touched is None else (recalled[rel] for rel in touched if rel in recalled))

    def read(self, inputs: ReadInputs, paths: list[str], rels: list[str], workers: int = 1,
             progress: Progress = no_progress, copies: Bursts | None = None) -> Iterator[tuple[int, ReadResult, bool]]:
        """Each of the files ``paths`` (named ``rels``) as kept on disk under its digest, else read
        (in ``workers`` processes): its position, its result as memory holds it, and whether it
        is remembered (not without a folder, nor a read that timed out: it may pass on a calmer
        machine). ``copies``: the site's copy bursts (``dated_copies``), when these are not all its files."""
        dates = file_dates(inputs.content_dir, paths, copies)
        keys: dict[int, str] = {}
        todo = []
        for index, (rel, path) in enumerate(zip(rels, paths)):
            if self.root is not None:
                keys[index] = self.key(inputs, path, dates.get(rel))
                found = self.get(rel, path, _read_under(inputs, dates.get(rel)), keys[index], inputs)
                if found is not None:
                    yield index, found, True
                    continue
            todo.append(index)
        if not todo:  # nothing to read: no Markdown renderer to make
            return
        for position, result in read_site([Path(paths[i]) for i in todo], inputs, dates, workers, progress):
            index = todo[position]
            if self.root is None or any(d.message.startswith(TIMED_OUT) for d in result.diagnostics):
                yield index, self.keep(result), False
            else:
                rel = rels[index]
                yield index, self.put(rel, paths[index], _read_under(inputs, dates.get(rel)), keys[index], result,
                                      inputs), True

    def get(self, rel: str, path: str, under: str, key: str, inputs: ReadInputs) -> ReadResult | None:
        """The result kept on disk under ``key`` whose lookups of images still hold under
        ``inputs``, as ``keep`` returns it (and so remembered in memory from then on, as read
        ``under`` what ``_read_under`` says). Memory's result for the file is that result when
        it was kept under the same key: a file of a new time but the same bytes (a fresh
        checkout, a restored backup) is not loaded from disk again, one pickle a file."""
        if self.root is None or not key:
            return None
        held = self.memory.get(rel)
        if held is not None and held[0][3] == key and held[1] == under:  # the same bytes, date and inputs: memory's
            return self._remember(rel, path, under, held[2], key)
        try:
            with self._file(rel).open("rb") as handle:
                stored_key, images, site, registry, result = pickle.load(handle)
        except Exception:  # missing, truncated or from another version: read the file again
            return None
        if (stored_key != key or not isinstance(result, ReadResult) or (result.site_variables and site != inputs.site_digest)
                or (result.registry_lookups and registry != inputs.registry_digest)):
            return None
        if images != inputs.images_digest and not _still_found(result, inputs):
            return None
        return self._remember(rel, path, under, result, key)

    def put(self, rel: str, path: str, under: str, key: str, result: ReadResult, inputs: ReadInputs) -> ReadResult:
        """Keep ``result``, read under ``inputs`` (among their images, with their site's
        variables), on disk and in memory; it comes back as memory holds it."""
        kept = self._remember(rel, path, under, result, key)
        if self.root is None or not key:
            return kept
        target = self._file(rel)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_suffix(f".tmp-{os.getpid()}")
            temporary.write_bytes(pickle.dumps((key, inputs.images_digest, inputs.site_digest, inputs.registry_digest, result),
                                               protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(temporary, target)
        except OSError:
            pass  # a read-only notes folder builds without a cache
        return kept

    def _remember(self, rel: str, path: str, under: str, result: ReadResult, key: str) -> ReadResult:
        """Hold ``result`` (kept on disk under ``key``) in memory as ``keep`` returns it; a result
        equal to the one held for the file (read again under other inputs: another version,
        reading settings, registry) is that one, and a note equal to one of it (a feed's items
        but the edited one) that note, so that the notes stay the objects the graph holds. Else
        every such note of the graph, taken from the earlier one where linking left it as it
        was, would be held twice from then on: in memory, in the state saved and in each restore."""
        seen = time.time()
        held = self.memory.get(rel)
        if held is not None and held[2] == result:
            kept = held[2]
        else:
            kept = self.keep(result)
            kept = kept if held is None else _as_held(kept, held[2])
        try:
            stat = os.stat(path)
        except OSError:
            return kept
        self.memory[rel] = ((stat.st_size, stat.st_mtime_ns, seen, key), under, kept)
        return kept

    def _file(self, rel: str) -> Path:
        assert self.root is not None
        return self.root / (hashlib.sha256(rel.encode()).hexdigest()[:32] + ".pickle")


def _as_held(result: ReadResult, held: ReadResult) -> ReadResult:
    """``result`` with each note that equals the note of ``held`` with its id taken as that one."""
    earlier = {note.id: note for note in held.notes}
    return replace(result, notes=tuple(note if (was := earlier.get(note.id)) is None or was != note else was
                                       for note in result.notes))


def _still_found(result: ReadResult, inputs: ReadInputs, names: set[str] | None = None) -> bool:
    """Whether every image and attachment the notes of ``result`` looked up is found as it was
    (those of the file ``names`` alone, when given: no other lookup can find another file)."""
    return all(still_found(inputs.assets, lookup) for note in result.notes for lookup in note.body.lookups
               if names is None or file_name(lookup[0]) in names)


def _read_under(inputs: ReadInputs, dated: tuple[object, str] | None) -> str:
    """What a file's result was read under, as memory keeps it: the read inputs' digest, marked
    when the file's time was a copy's (``dated_copies`` finds the files whose mark no longer holds)."""
    return inputs.digest + COPIED if dated is not None and dated[1] == "copy time" else inputs.digest


@dataclass(frozen=True)
class LastRead:
    """The last build's notes folder: the walk's files (the very list the walk memo hands out
    while no folder changed), their names, the read inputs' digest, each file's result (None:
    one not remembered, which is looked at again) and whether any file may take its date from
    itself (``takes_file_date``)."""

    paths: list[str]
    rels: list[str]
    inputs: str
    results: tuple[ReadResult | None, ...]
    positions: dict[str, int]  # where each file is in ``paths`` by its path, made when first asked
    dated: bool

    @classmethod
    def of(cls, paths: list[str], rels: list[str], inputs: str, results: tuple[ReadResult | None, ...],
           last: LastRead | None, dated: bool) -> LastRead:
        """The read of ``paths``, sharing the last read's map of positions while the walk is the same."""
        return cls(paths, rels, inputs, results, last.positions if last is not None and last.paths is paths else {}, dated)

    def places(self, names: Iterable[str]) -> list[int]:
        """Where the files ``names`` (as the watcher names them) are in ``paths``."""
        if not self.positions:
            self.positions.update((path, index) for index, path in enumerate(self.paths))
        return [self.positions[name] for name in names if name in self.positions]
