"""Dates as notes write them (YAML dates, ISO text with or without a time and zone, RFC 2822,
"March 9, 2024", a bare year), read into a ``NoteDate`` that keeps their precision."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .model import NoteDate, Precision

ISO_DATE = re.compile(
    r"^(?P<y>\d{4})(?:-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2})"
    r"(?:[Tt ](?P<time>\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(?P<tz>[Zz]|[+-]\d{2}:?\d{2})?)?)?)?$"
)


def parse_date(value: Any) -> NoteDate | None:
    """Read a YAML date, datetime, year number or date string, keeping its precision."""
    if isinstance(value, dt.datetime):
        return NoteDate(value, "time")
    if isinstance(value, dt.date):
        return NoteDate(dt.datetime(value.year, value.month, value.day), "day")
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 9999:
        return NoteDate(dt.datetime(value, 1, 1), "year")
    if not isinstance(value, str) or len(value) > 100:
        return None
    text = value.strip()
    match = ISO_DATE.match(text)
    if match:
        try:
            return iso_datetime(match)
        except ValueError:
            return None
    import email.utils  # here: most dates are ISO ones, read above

    try:
        return NoteDate(email.utils.parsedate_to_datetime(text), "time")
    except (TypeError, ValueError, IndexError, OverflowError):
        pass
    for layout in ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%B %Y", "%b %Y"):
        try:
            stamp = dt.datetime.strptime(text, layout)
        except ValueError:
            continue
        return NoteDate(stamp, "month" if "%d" not in layout else "day")
    return None


def iso_datetime(match: re.Match[str]) -> NoteDate:
    """The date an ISO match names; ValueError (with Python's reason) when there is none."""
    year, month, day = int(match["y"]), int(match["m"] or 1), int(match["d"] or 1)
    stamp = dt.datetime(year, month, day)
    if match["time"]:
        parts = [float(p) for p in match["time"].split(":")]
        stamp = stamp.replace(hour=int(parts[0]), minute=int(parts[1]), second=int(parts[2]) if len(parts) > 2 else 0)
        if match["tz"]:
            stamp = stamp.replace(tzinfo=_zone(match["tz"]))
        return NoteDate(stamp, "time")
    precision: Precision = "day" if match["d"] else "month" if match["m"] else "year"
    return NoteDate(stamp, precision)


def _zone(text: str) -> dt.tzinfo:
    if text in ("Z", "z"):
        return dt.timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
