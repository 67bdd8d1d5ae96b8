"""The page digests and the plan as the next command-line build restores them: plain values
that ``marshal`` writes, those saved whole and what changed since."""

from __future__ import annotations

import functools
import marshal
from dataclasses import dataclass
from typing import Any, Mapping

from .pages import Plan, Rendered


PAGES_CHANGED = 2_000  # pages changed since their digests were saved whole: past this, saved whole again


@dataclass(frozen=True)
class SavedPages:
    """The page digests as last saved whole (``base``, as ``marshal`` wrote them) and the pages
    restored from them."""

    base: bytes
    pages: Mapping[str, Rendered]


def pages_data(pages: Mapping[str, Rendered], saved: SavedPages | None) -> bytes:
    """The digests of ``pages`` (their bytes left out) as ``marshal`` writes plain values (tens of
    thousands of them load and save in a fraction of what as many pickled objects take): those
    last saved whole, as they were read, and the pages changed or gone since, unless many are."""
    if saved is not None:  # a page written again, or kept by a render worker, is another object with the same digest
        changed = {url: _page_data(page) for url, page in pages.items()
                   if (was := saved.pages.get(url)) is not page and (was is None or was.key != page.key
                                                                     or was.rel != page.rel or was.bodies != page.bodies
                                                                     or was.sections != page.sections)}
        gone = [url for url in saved.pages if url not in pages]
        if len(changed) + len(gone) <= PAGES_CHANGED:
            return marshal.dumps((saved.base, changed, gone))
    return marshal.dumps((marshal.dumps({url: _page_data(page) for url, page in pages.items()}), {}, []))


def _page_data(page: Rendered) -> tuple[Any, ...]:
    """What is kept of a page, as plain values: the page without its bytes."""
    return page.key, page.rel, None, page.bodies, page.sections


def pages_of(data: bytes) -> tuple[dict[str, Rendered], SavedPages]:
    base, changed, gone = marshal.loads(data)
    whole = _rendered(marshal.loads(base))
    pages = dict(whole)
    for url in gone:
        del pages[url]
    pages.update(_rendered(changed))
    return pages, SavedPages(base, whole)


def _rendered(saved: dict[str, tuple[Any, ...]]) -> dict[str, Rendered]:
    """The pages ``_page_data`` gave, each made by ``tuple.__new__`` (no call in Python)."""
    return dict(zip(saved.keys(), map(functools.partial(tuple.__new__, Rendered), saved.values())))


def plan_data(plan: Plan) -> bytes:
    """The plan without its pages (their URLs alone, in order), as plain values: its dependents
    as last saved whole and those added since, unless many were."""
    if plan.data is not None:
        return plan.data
    if plan.saved is None or sum(map(len, plan.added.values())) > PAGES_CHANGED:
        plan.saved, plan.added = marshal.dumps({key: tuple(urls) for key, urls in plan.dependents.items()}), {}
    plan.data = marshal.dumps((plan.setup, list(plan.pages), list(plan.listed), plan.saved, plan.added))
    return plan.data


def plan_of(data: bytes) -> Plan:
    setup, urls, listed, saved, added = marshal.loads(data)
    plan = Plan(setup, dict.fromkeys(urls), marshal.loads(saved), set(listed), saved, added, data)
    for key, urls_added in added.items():
        plan.holding(key).update(urls_added)
    return plan
