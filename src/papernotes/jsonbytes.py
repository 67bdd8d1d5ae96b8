"""Compact JSON in UTF-8, as ``json.dumps(value, ensure_ascii=False, separators=(",", ":"))``
writes it, made by orjson (a tenth of the time for a site's graph); the standard library's
encoder takes what orjson refuses (a lone surrogate, an integer beyond 64 bits)."""

from __future__ import annotations

import json
from typing import Any

import orjson

_SORTED = orjson.OPT_SORT_KEYS


def compact_json(value: Any, sort_keys: bool = False) -> bytes:
    """``value`` (JSON's own values, tuples as arrays) as compact JSON in UTF-8, its objects'
    keys sorted when ``sort_keys``; a lone surrogate is written as UTF-8 would hold it."""
    try:
        return orjson.dumps(value, option=_SORTED if sort_keys else None)
    except orjson.JSONEncodeError:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=sort_keys)
        return text.encode("utf-8", "surrogatepass")
