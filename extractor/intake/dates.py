"""Publication dates as sources write them: ISO 8601, RFC 2822 (feeds, e-mail) and English.

The date is taken as written, in the publisher's own time zone: "Tue, 18 Mar 2025 23:30:00
-0500" is 18 March, the day the article's "today" and "yesterday" refer to.
"""

from __future__ import annotations

import re
from datetime import date, datetime

_ISO = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ].*)?")
_ORDINAL = re.compile(r"(?<=\d)(st|nd|rd|th)\b", re.IGNORECASE)
_WEEKDAY = re.compile(r"^(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+", re.IGNORECASE)
# A time of day and its zone after the date: "09:00:00 GMT", "9:00 AM EST", "23:30 -0500".
_TIME = re.compile(r",?\s+(?:at\s+)?\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[ap]\.?m\.?)?"
                   r"(?:\s*(?:[A-Z]{1,5}|[+-]\d{2}:?\d{2})(?:\s*\([A-Za-z ]+\))?)?$",
                   re.IGNORECASE)
_FORMATS = ("%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y",
            "%d %B, %Y", "%Y/%m/%d")


def parse_date(value: str) -> date | None:
    """A publication date from ISO (date or datetime), RFC 2822 or common English forms."""
    value = " ".join(value.split())
    iso = _ISO.fullmatch(value)
    if iso:
        try:
            return date.fromisoformat(iso.group(1))
        except ValueError:
            return None
    value = _TIME.sub("", _WEEKDAY.sub("", value))
    value = _ORDINAL.sub("", value).replace(".", "")  # "30th July", "Jul. 30"
    if value.lower().startswith("sept "):  # strptime's %b knows only "Sep"
        value = "Sep " + value[5:]
    for fmt in _FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def bad_date_message(value: str) -> str:
    """The warning for a publication date that is not understood."""
    return (f"publication date {value!r} not understood; write it as YYYY-MM-DD (e.g. "
            "2024-07-30) or as in RFC 2822 (Tue, 30 Jul 2024 09:00:00 GMT). The article is read "
            "without a publication date")
