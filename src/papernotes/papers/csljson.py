"""CSL-JSON (the citation format of Zotero, Pandoc and citeproc) beside the BibTeX exports."""

from __future__ import annotations

import json
import urllib.parse
from typing import Any, Iterable, Iterator

from .bibtex import entry_type, family_name
from .registry import PaperMeta

_TYPES = {"inproceedings": "paper-conference", "conference": "paper-conference", "article": "article-journal",
          "book": "book", "incollection": "chapter", "inbook": "chapter", "phdthesis": "thesis",
          "mastersthesis": "thesis", "techreport": "report", "misc": "article"}


def csl_item(meta: PaperMeta, key: str) -> dict[str, Any]:
    """One CSL-JSON item; a preprint is an ``article`` numbered ``arXiv:…``."""
    kind, _, value = meta.id.partition(":")
    item: dict[str, Any] = {"id": key, "citation-key": key, "type": _TYPES.get(entry_type(meta), "article")}
    if meta.title:
        item["title"] = meta.title
    if meta.authors:
        item["author"] = [csl_name(name) for name in meta.authors if name != "others"]
    if meta.year:
        item["issued"] = {"date-parts": [[meta.year]]}
    if meta.venue:
        item["container-title"] = meta.venue
    doi = value if kind == "doi" else meta.links.get("doi", "").removeprefix("https://doi.org/")
    if doi:
        item["DOI"] = doi
    if kind == "arxiv":
        item.update({"number": f"arXiv:{value}", "publisher": "arXiv"})
    url = meta.links.get("abs") or meta.links.get("url") or meta.links.get("doi")
    if url:
        item["URL"] = url
    if meta.abstract:
        item["abstract"] = meta.abstract
    return item


def csl_name(name: str) -> dict[str, str]:
    """``{"family": …, "given": …}``, or ``{"literal": …}`` for a one-word name."""
    name = " ".join(name.split())
    family = family_name(name)
    if "," in name:
        given = name.split(",", 1)[1].strip()
    else:
        given = name[: len(name) - len(family)].strip()
    return {"family": family, "given": given} if given else {"literal": name}


def csl_entry(meta: PaperMeta, key: str) -> str:
    """One item as ``json.dumps(items, indent=1)`` writes it inside the array."""
    return json.dumps(csl_item(meta, key), ensure_ascii=False, indent=1).replace("\n", "\n ")


def csl_json(entries: Iterable[str]) -> Iterator[str]:
    """A CSL-JSON array of ``entries`` (``csl_entry``'s) in the order given, as
    ``json.dumps(items, indent=1)`` writes it, an item at a time (a site's whole library is never
    held as one list)."""
    opening = "[\n "
    for entry in entries:
        yield opening + entry
        opening = ",\n "  # a newline inside a JSON string is written \n: each raw one is the layout's
    yield "[]\n" if opening == "[\n " else "\n]\n"


def coins(meta: PaperMeta) -> str:
    """The ContextObject (OpenURL 1.0 KEV) of a COinS span: what Zotero's browser connector and
    other reference managers read from a page's ``<span class="Z3988" title="…">``."""
    kind, _, value = meta.id.partition(":")
    book = entry_type(meta) in ("book", "incollection")
    pairs = [("ctx_ver", "Z39.88-2004"), ("rft_val_fmt", f"info:ofi/fmt:kev:mtx:{'book' if book else 'journal'}"),
             ("rft.genre", "book" if book else "preprint" if entry_type(meta) == "misc" else "article")]
    if meta.title:
        pairs.append(("rft.btitle" if book else "rft.atitle", meta.title))
    if meta.venue:
        pairs.append(("rft.jtitle", meta.venue))
    if meta.year:
        pairs.append(("rft.date", str(meta.year)))
    pairs += [("rft.au", name) for name in meta.authors if name != "others"]
    doi = value if kind == "doi" else meta.links.get("doi", "").removeprefix("https://doi.org/")
    if doi:
        pairs.append(("rft_id", f"info:doi/{doi}"))
    if kind == "arxiv":
        pairs.append(("rft_id", f"info:arxiv/{value}"))
    url = meta.links.get("abs") or meta.links.get("url")
    if url:
        pairs.append(("rft_id", url))
    return urllib.parse.urlencode(pairs)
