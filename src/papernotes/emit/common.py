"""What several emitters share: the URL filter, pagination and the citation exports."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Callable, Iterable, Iterator, Sequence

from ..papers.bibtex import bibliography
from ..papers.csljson import csl_json
from ..model import Note, Page, TextFile, utf8_pieces
from ..papers.registry import PaperMeta

#: Whether a URL is to be planned: every URL for a full build, the affected ones when re-planning.
Wanted = Callable[[str], bool]


def everything(url: str) -> bool:
    """The filter of a full build."""
    return True


@dataclass(frozen=True)
class Pagination:
    """Where a list page sits among its siblings."""

    number: int
    total: int
    newer_url: str | None
    older_url: str | None


def paginated(url: str, title: str, notes: Sequence[Note], size: int, wanted: Wanted,
              **extra: object) -> Iterator[Page]:
    """``url``, ``url/page/2/``, … each listing ``size`` notes."""
    total = max(1, -(-len(notes) // size))

    def page_url(number: int) -> str:
        return url if number == 1 else f"{url}page/{number}/"

    for number in range(1, total + 1):
        if not wanted(page_url(number)):
            continue
        chunk = notes[(number - 1) * size: number * size]
        pagination = Pagination(
            number, total,
            page_url(number - 1) if number > 1 else None,
            page_url(number + 1) if number < total else None,
        )
        shown = title if number == 1 else f"{title} (page {number})"
        yield Page(page_url(number), "list.html", {"title": shown, "notes": tuple(chunk), "pagination": pagination, **extra})


def citation_files(stem: str, metas: tuple[PaperMeta, ...], keys: dict[str, str], wanted: Wanted) -> Iterator[TextFile]:
    """``stem.bib`` and ``stem.csl.json`` for ``metas``, under the site's citation keys."""
    used = {meta.id: keys[meta.id] for meta in metas}
    if wanted(f"{stem}.bib"):
        yield TextFile(f"{stem}.bib", partial(_utf8, bibliography, metas, used), ("bib", metas, tuple(used.items())))
    if wanted(f"{stem}.csl.json"):
        yield TextFile(f"{stem}.csl.json", partial(_utf8, csl_json, metas, used), ("csl", metas, tuple(used.items())))


def _utf8(make: Callable[..., Iterable[str]], *args: object) -> Iterator[bytes]:
    return utf8_pieces(make(*args))
