"""The paper metadata registry: ``content/papers.bib``, ``content/papers.yaml`` and the fetched
metadata cache ``content/.papers-cache.json`` (written by ``papernotes papers fetch``)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, TypeVar

from ..model import Diagnostic, DiagnosticError
from .identifiers import arxiv_year, find_mentions, identify, links_for, title_key
from ..walks import WalkMemo, walked
from ..yamltext import load_yaml

BIB_FILE = "papers.bib"
YAML_FILE = "papers.yaml"
CACHE_FILE = ".papers-cache.json"


@dataclass(frozen=True)
class PaperMeta:
    """What is known about one paper, from whichever source knew it."""

    id: str
    title: str | None = None
    authors: tuple[str, ...] = ()
    year: int | None = None
    venue: str | None = None
    abstract: str | None = None
    links: Mapping[str, str] = field(default_factory=dict)
    key: str | None = None
    entry_type: str = ""
    author_ids: tuple[str | None, ...] = ()  # beside ``authors``: an ORCID or OpenAlex id when known
    references: tuple[str, ...] = ()  # canonical ids of the works it cites
    venue_id: str | None = None  # the BibTeX type the registry gives; inferred from the venue when empty
    abstract_tex: str | None = None  # a BibTeX abstract as written, decoded into ``abstract`` by ``shown``

    def merged(self, other: "PaperMeta") -> "PaperMeta":
        """This record with the gaps filled from ``other``."""
        has_abstract = bool(self.abstract or self.abstract_tex)
        return replace(
            self,
            title=self.title or other.title, authors=self.authors or other.authors,
            year=self.year or other.year, venue=self.venue or other.venue,
            abstract=self.abstract if has_abstract else other.abstract,
            abstract_tex=self.abstract_tex if has_abstract else other.abstract_tex, links={**other.links, **self.links},
            key=self.key or other.key, entry_type=self.entry_type or other.entry_type,
            author_ids=self.author_ids if self.authors else other.author_ids,
            references=tuple(sorted({*self.references, *other.references})), venue_id=self.venue_id or other.venue_id,
        )

    def shown(self) -> "PaperMeta":
        """This record as a page shows it: a BibTeX abstract's LaTeX decoded. Decoding takes
        pylatexenc milliseconds a value, so a reference manager's library is decoded only for
        the papers the notes mention, not for its every entry."""
        if self.abstract_tex is None:
            return self
        from .bibparse import decode_latex  # here: a site without a bibliography need not load pylatexenc

        return replace(self, abstract=_clean(decode_latex(self.abstract_tex)), abstract_tex=None)


@dataclass(frozen=True)
class Registry:
    """Known papers by canonical id, and BibTeX keys (and aliases) to canonical ids."""

    papers: Mapping[str, PaperMeta] = field(default_factory=dict)
    keys: Mapping[str, str] = field(default_factory=dict)
    diagnostics: tuple[Diagnostic, ...] = ()
    aliases: Mapping[str, str] = field(default_factory=dict)  # e.g. a publisher DOI → the arXiv id

    def canonical(self, paper_id: str) -> str:
        """The id a paper is published under when the registry knows it by several."""
        return self.aliases.get(paper_id, paper_id)

    def resolve(self, value: str) -> str | None:
        """A canonical id for an identifier, URL or BibTeX key."""
        return self.keys.get(value.strip().lstrip("@")) or identify(value)


def papers_changed(before: Registry, after: Registry) -> set[str]:
    """The ids of the papers whose entry differs between the registries ``before`` and
    ``after``, or that a key or alias leads to in one and not the other."""
    changed = {pid for pid in before.papers.keys() | after.papers.keys() if before.papers.get(pid) != after.papers.get(pid)}
    for key in before.keys.keys() | after.keys.keys():  # a key → the paper it names
        if before.keys.get(key) != after.keys.get(key):
            changed.update(filter(None, (before.keys.get(key), after.keys.get(key))))
    for alias in before.aliases.keys() | after.aliases.keys():  # an id → the id its paper is published under
        if before.aliases.get(alias) != after.aliases.get(alias):
            changed.update(filter(None, (alias, before.aliases.get(alias), after.aliases.get(alias))))
    return changed


V = TypeVar("V")


class Lookups:
    """Whether a registry made by ``noting`` was looked in since the last ``clear``: a read that
    looked nothing up reads alike under any registry, and is kept when the registry changes."""

    def __init__(self) -> None:
        self.made = False

    def clear(self) -> None:
        self.made = False


class _Noted(Mapping[str, V]):
    """A registry's mapping that tells its ``Lookups`` of each look into it."""

    def __init__(self, mapping: Mapping[str, V], lookups: Lookups) -> None:
        self._mapping, self._lookups = mapping, lookups

    def __getitem__(self, key: str) -> V:
        self._lookups.made = True
        return self._mapping[key]

    def __contains__(self, key: object) -> bool:
        self._lookups.made = True
        return key in self._mapping

    def __iter__(self) -> Iterator[str]:
        self._lookups.made = True
        return iter(self._mapping)

    def __len__(self) -> int:
        self._lookups.made = True
        return len(self._mapping)


def noting(registry: Registry) -> tuple[Registry, Lookups]:
    """``registry`` as reading sees it, each look into its papers, keys and aliases told to the
    ``Lookups`` returned with it."""
    lookups = Lookups()
    return replace(registry, papers=_Noted(registry.papers, lookups), keys=_Noted(registry.keys, lookups),
                   aliases=_Noted(registry.aliases, lookups)), lookups


#: Where jekyll-scholar and al-folio keep the bibliographies posts cite (``bibliography: main.bib``).
SCHOLAR_FOLDERS = ("_bibliography", "assets/bibliography")

# path → ((size, mtime), records, problems) of a registry file read before, for a process that
# builds again (the preview server): a large library is parsed once, not on every edit
RegistryFiles = dict[str, tuple[tuple[int, int], list["PaperMeta"], list[Diagnostic]]]


def site_bibliographies(content_dir: Path) -> list[Path]:
    """The ``.bib`` files of a Jekyll site's bibliography folders, sorted."""
    return sorted(path for folder in SCHOLAR_FOLDERS for path in (content_dir / folder).glob("*.bib") if path.is_file())


def load_registry(content_dir: Path, *, with_cache: bool = True, remembered: RegistryFiles | None = None,
                  memo: WalkMemo | None = None) -> Registry:
    """Read every registry file that exists (the fetched cache too unless ``with_cache`` is
    false); sources later in the list fill gaps only. Files unchanged since they were put in
    ``remembered`` are not read again, nor the content folder listed again while ``memo``
    holds its listing."""
    papers: dict[str, PaperMeta] = {}
    keys: dict[str, str] = {}
    aliases: dict[str, str] = {}
    problems: list[Diagnostic] = []
    readers = [(content_dir / BIB_FILE, _read_bib), *((path, _read_bib) for path in site_bibliographies(content_dir)),
               (content_dir / YAML_FILE, _read_yaml)]
    bib_libraries, csl_libraries = library_files(content_dir, memo)
    readers += [(path, _read_bib) for path in bib_libraries]
    readers += [(path, _read_csl) for path in csl_libraries]
    if with_cache:
        readers.append((content_dir / CACHE_FILE, _read_cache))
    for path, reader in readers:
        if not path.is_file():
            continue
        try:
            stat = path.stat()
        except OSError:
            continue
        stamp = (stat.st_size, stat.st_mtime_ns)
        known = remembered.get(str(path)) if remembered is not None else None
        if known is not None and known[0] == stamp:
            records, found_problems = known[1], known[2]
        else:
            try:
                records, found_problems = reader(path)
            except DiagnosticError as exc:
                problems.append(exc.diagnostic)
                continue
            if remembered is not None:
                remembered[str(path)] = (stamp, records, found_problems)
        problems.extend(found_problems)
        for record in records:
            papers[record.id] = papers[record.id].merged(record) if record.id in papers else record
            if record.key:
                keys.setdefault(record.key, record.id)
            doi = record.links.get("doi", "").removeprefix("https://doi.org/")
            if doi and record.id.startswith("arxiv:"):
                alias = f"doi:{doi.lower()}"
                if alias in papers and alias != record.id:
                    problems.append(Diagnostic("warning", str(path), 1, 1, f"{alias} and {record.id} are the same paper; "
                                               f"published as {record.id}"))
                aliases.setdefault(alias, record.id)
    return Registry({k: v for k, v in papers.items() if k not in aliases}, keys, tuple(problems), aliases)


def library_files(content_dir: Path, memo: WalkMemo | None = None) -> tuple[list[Path], list[Path]]:
    """Reference libraries exported beside the notes (Zotero, Better BibTeX: ``My Library.bib``,
    ``My Library.json``), read as the registry after ``papers.bib`` and ``papers.yaml``: every
    ``.bib`` file at the top of the content folder, and every ``.json`` file there that holds a
    CSL-JSON array, each sorted (the folder, which may hold thousands of notes, listed once, and
    not again while ``memo`` holds the listing)."""

    def listing() -> tuple[list[str], list[str] | None]:
        try:
            with os.scandir(content_dir) as entries:  # names as text
                return [os.fspath(content_dir)], sorted(
                    entry.name for entry in entries
                    if entry.name.lower().endswith((".bib", ".json")) and not entry.name.startswith(".")
                    and entry.name not in (BIB_FILE, CACHE_FILE) and entry.is_file())
        except OSError:
            return [], None

    names = walked(memo, f"libraries:{content_dir}", listing)
    if names is None:
        return [], []
    bibs = [content_dir / name for name in names if name.lower().endswith(".bib")]
    return bibs, [path for name in names if name.lower().endswith(".json") and _looks_like_csl(path := content_dir / name)]


def _looks_like_csl(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            start = handle.read(4096).decode("utf-8", "ignore").lstrip("\ufeff \r\n\t")
    except OSError:
        return False
    return start.startswith("[") and '"type"' in start and ('"id"' in start or '"citation-key"' in start)


def _read_csl(path: Path) -> tuple[list[PaperMeta], list[Diagnostic]]:
    """A CSL-JSON library (Zotero's export, Better CSL JSON); each item's ``citation-key`` or
    ``id`` resolves ``[@key]`` citations."""
    try:
        items = json.loads(path.read_text(encoding="utf-8-sig"))
        assert isinstance(items, list)
    except (ValueError, AssertionError, RecursionError) as exc:  # RecursionError: arrays nested thousands deep
        return [], [Diagnostic("warning", str(path), 1, 1, f"CSL-JSON library is unreadable and was ignored ({exc})")]
    records = []
    for item in items:
        if not isinstance(item, dict) or not item.get("title"):
            continue
        key = str(item.get("citation-key") or item.get("id") or "") or None
        fields = {"doi": str(item.get("DOI") or ""), "url": str(item.get("URL") or ""), "note": str(item.get("note") or ""),
                  "eprint": str(item.get("number") or "") if str(item.get("publisher", "")).lower() == "arxiv" else "",
                  "title": str(item["title"])}
        paper_id = _paper_id({k: v for k, v in fields.items() if v}, key)
        issued = (item.get("issued") or {}).get("date-parts") or [[None]]
        authors = tuple(" ".join(str(p) for p in (a.get("given"), a.get("non-dropping-particle"), a.get("family")) if p)
                        or str(a.get("literal", "")) for a in item.get("author") or [] if isinstance(a, dict))
        records.append(PaperMeta(
            id=paper_id, title=_clean(item["title"]), authors=tuple(a for a in authors if a),
            year=_year(issued[0][0] if issued and issued[0] else None), venue=_clean(item.get("container-title")),
            abstract=_clean(item.get("abstract")), links=_links(paper_id, fields["url"] or None, fields["doi"] or None),
            key=key, entry_type=_CSL_TYPES.get(str(item.get("type")), ""),
        ))
    return records, []


_CSL_TYPES = {"article-journal": "article", "paper-conference": "inproceedings", "book": "book", "chapter": "incollection",
              "thesis": "phdthesis", "report": "techreport", "article": "misc", "webpage": "misc"}


def _paper_id(fields: Mapping[str, str], key: str | None) -> str:
    """The canonical id of a record: arXiv eprint, DOI, a known URL, else its title."""
    eprint = fields.get("eprint") or fields.get("arxiv")
    if eprint and (fields.get("archiveprefix", "arxiv").lower() == "arxiv"):
        found = identify(eprint)
        if found:
            return found
    for name in ("doi", "url", "journal", "note", "howpublished", "id"):
        if fields.get(name):
            found = identify(fields[name]) if name in ("doi", "id") else _first_id(fields[name])
            if found:
                return found
    if fields.get("title"):
        return title_key(fields["title"])
    return f"key:{key}"


def _first_id(text: str) -> str | None:
    mentions = find_mentions(text, bare=False)
    return mentions[0].id if mentions else None


def _read_bib(path: Path) -> tuple[list[PaperMeta], list[Diagnostic]]:
    from .bibparse import parse_bib  # here: a site without a bibliography need not load bibtexparser

    library = parse_bib(path.read_text(encoding="utf-8-sig"))
    problems = [Diagnostic("error", str(path), (block.start_line or 0) + 1, 1,
                           f"invalid BibTeX entry {_first_line(block.raw)!r}; it was skipped")
                for block in library.failed_blocks]
    records = []
    for entry in library.entries:
        fields = {name.lower(): _text(value) for name, value in entry.items() if name.lower() != "author"}
        abstract = entry.get("abstract")  # its LaTeX left for ``PaperMeta.shown`` to decode
        tex = abstract.value if abstract is not None and "\\" in str(abstract.value) else None
        author = entry.get("author")
        authors = tuple(_name(a) for a in (author.value if author is not None else []))
        paper_id = _paper_id(fields, entry.key)
        records.append(PaperMeta(
            id=paper_id, title=_clean(fields.get("title")), authors=authors, year=_year(fields.get("year")),
            venue=_clean(fields.get("journal") or fields.get("booktitle") or fields.get("publisher")),
            abstract=None if tex else _clean(fields.get("abstract")), abstract_tex=tex,
            links=_links(paper_id, fields.get("url"), fields.get("doi")), key=entry.key, entry_type=entry.entry_type.lower(),
        ))
    return records, problems


def _read_yaml(path: Path) -> tuple[list[PaperMeta], list[Diagnostic]]:
    data = load_yaml(path.read_text(encoding="utf-8-sig"), str(path)) or {}
    items = data.items() if isinstance(data, dict) else ((None, item) for item in data) if isinstance(data, list) else ()
    records, problems = [], []
    for key, item in items:
        if not isinstance(item, dict):
            problems.append(Diagnostic("warning", str(path), 1, 1, f"paper entry {key!r} must be a mapping"))
            continue
        fields = {str(k).lower(): v for k, v in item.items()}
        given = str(fields.get("id") or fields.get("arxiv") or fields.get("doi") or fields.get("url") or key or "")
        paper_id = identify(given) or (f"arxiv:{fields['arxiv']}" if fields.get("arxiv") else None) \
            or (title_key(str(fields["title"])) if fields.get("title") else f"key:{key}")
        authors = fields.get("authors") or fields.get("author") or ()
        given_links = fields.get("links")
        links = given_links if isinstance(given_links, dict) else {}
        records.append(PaperMeta(
            id=paper_id, title=_clean(fields.get("title")),
            authors=tuple(str(a) for a in (authors if isinstance(authors, (list, tuple)) else str(authors).split(" and "))),
            year=_year(fields.get("year")), venue=_clean(fields.get("venue")), abstract=_clean(fields.get("abstract")),
            links={**_links(paper_id, fields.get("url")), **{str(k): str(v) for k, v in links.items()}},
            key=str(fields["key"]) if fields.get("key") else (str(key) if key and identify(str(key)) is None else None),
        ))
    return records, problems


def _read_cache(path: Path) -> tuple[list[PaperMeta], list[Diagnostic]]:
    """The records ``papernotes papers fetch`` wrote; OpenAlex's referenced works become the
    canonical ids of the papers the cache knows by those OpenAlex ids."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = data["papers"]
        assert isinstance(entries, dict)
    except (ValueError, KeyError, AssertionError, TypeError, RecursionError):
        return [], [Diagnostic("warning", str(path), 1, 1, "paper metadata cache is unreadable and was ignored")]
    items = {paper_id: item for paper_id, item in sorted(entries.items()) if isinstance(item, dict) and item.get("title")}
    by_openalex = {str(item["openalex"]): paper_id for paper_id, item in items.items() if item.get("openalex")}
    records = []
    for paper_id, item in items.items():
        authors = tuple(str(a) for a in _list(item.get("authors")))
        orcids, openalex_ids = _list(item.get("orcids")), _list(item.get("author_ids"))

        def author_id(n: int) -> str | None:
            orcid = orcids[n] if n < len(orcids) else None
            work = openalex_ids[n] if n < len(openalex_ids) else None
            return f"orcid:{orcid}" if orcid else f"openalex:{work}" if work else None

        author_ids = tuple(author_id(n) for n in range(len(authors)))
        references = {str(r) for r in _list(item.get("references"))}
        references |= {by_openalex[str(w)] for w in _list(item.get("referenced_works")) if str(w) in by_openalex}
        arxiv = identify(f"arXiv:{item['arxiv']}") if item.get("arxiv") and paper_id.startswith("doi:") else None
        if arxiv:  # the work's arXiv id: the DOI becomes an alias of it
            paper_id, item = arxiv, {**item, "doi": paper_id.removeprefix("doi:")}
        records.append(PaperMeta(
            id=paper_id, title=str(item["title"]), authors=authors, year=_year(item.get("year")),
            venue=_clean(item.get("venue")), abstract=_clean(item.get("abstract")),
            links=_links(paper_id, None, item.get("doi")), entry_type=_entry_type(item.get("type")),
            author_ids=author_ids, references=tuple(sorted(references - {paper_id})),
            venue_id=f"openalex:{item['venue_id']}" if item.get("venue_id") else None,
        ))
    return records, []


def _list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, (list, tuple)) else []


def _entry_type(kind: Any) -> str:
    """A BibTeX type for a Crossref or BibTeX type name."""
    return {"journal-article": "article", "proceedings-article": "inproceedings", "book-chapter": "incollection",
            "book": "book", "posted-content": "misc", "inproceedings": "inproceedings", "article": "article"}.get(str(kind), "")


def with_hints(registry: Registry, hints: Iterable[tuple[str, str]]) -> dict[str, PaperMeta]:
    """Every known paper plus papers only mentioned, titled by the notes' title for them when the
    registry has none, with the year an arXiv id encodes when no metadata gives one."""
    papers = dict(registry.papers)
    for paper_id, title in hints:
        known = papers.get(paper_id)
        if known is None:
            papers[paper_id] = PaperMeta(paper_id, title=title or None, links=links_for(paper_id))
        elif not known.title and title:
            papers[paper_id] = replace(known, title=title)
    return {paper_id: meta if meta.year else replace(meta, year=arxiv_year(paper_id)) for paper_id, meta in papers.items()}


def _text(value: Any) -> str:
    return " ".join(str(value).split())


def _clean(value: Any) -> str | None:
    if value in (None, ""):
        return None
    return _text(value).replace("{", "").replace("}", "") or None


def _name(parts: Any) -> str:
    if hasattr(parts, "first"):
        return " ".join([*parts.first, *parts.von, *parts.last, *parts.jr]).replace("{", "").replace("}", "")
    return str(parts)


def _year(value: Any) -> int | None:
    try:
        return int(str(value).strip()[:4])
    except (TypeError, ValueError):
        return None


def _links(paper_id: str, url: Any, doi: Any = None) -> dict[str, str]:
    links = links_for(paper_id)
    if doi and not paper_id.startswith("doi:"):
        links["doi"] = "https://doi.org/" + str(doi).strip()
    if url and str(url).startswith(("http://", "https://")):
        links.setdefault("url", str(url))
    return links


def _first_line(text: Any) -> str:
    return str(text).strip().split("\n")[0][:60]
