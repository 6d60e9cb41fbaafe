"""Date expressions in news text, resolved to the codebook's date_start..date_end window.

``find_date(text, published, anchor)`` returns the first date expression in ``text`` with the
window it allows. Relative words ("last week", "on Monday", "over the weekend") need the
publication date; a day or month without a year takes its year from the publication date or,
failing that, from ``anchor`` (a full date written elsewhere in the same article). When no year
can be fixed the window is (None, None) and the words are still returned (codebook rule).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from extractor.baseline import french

MONTHS = {name.lower(): index for index, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): index for index, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): index for index, name in enumerate(calendar.day_name)}

_MONTH = r"(?P<month>" + "|".join(sorted((m for m in MONTHS), key=len, reverse=True)) + r")\.?"
_MONTH_RE = _MONTH.replace("(?P<month>", "(?:")
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_PART = r"(?P<part>early|mid|late|the end of|the beginning of|the start of|the middle of)[\s-]+"
_WEEKDAY = r"(?P<weekday>" + "|".join(WEEKDAYS) + r")"



@dataclass(frozen=True)
class _Needs:
    """What a text must have for a pattern to match in it: one of ``words`` (in the text
    casefolded, dotless i as i) and, if given, a match of ``pattern``. A pattern runs only on
    texts that have what it needs: it saves most of the time spent on dates."""

    words: tuple[str, ...]
    pattern: re.Pattern[str] | None = None

    def met(self, text: str, folded: str) -> bool:
        if not any(word in folded for word in self.words):
            return False
        return self.pattern is None or self.pattern.search(text) is not None


# Every month pattern has a whole month name (a word of its own, maybe before a dot), and
# every name starts with one of these three letters.
_MONTHS = _Needs(tuple(sorted({name[:3] for name in MONTHS})),
                 re.compile(r"\b" + _MONTH_RE.removesuffix(r"\.?") + r"(?!\w)", re.I))
_WEEK = _Needs(("week",))
_WEEKDAYS = _Needs(tuple(WEEKDAYS))
_YEAR_DIGITS = _Needs(("19", "20"))

# Most specific first; each pattern is tried and the earliest match in the text wins.
_PATTERNS: list[tuple[str, re.Pattern[str], _Needs]] = [
    ("month_day_year", re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.I), _MONTHS),
    ("day_month_year", re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.I),
     _MONTHS),
    ("part_month_year", re.compile(rf"\b{_PART}{_MONTH},?\s+{_YEAR}\b", re.I), _MONTHS),
    ("month_year", re.compile(rf"\b{_MONTH},?\s+{_YEAR}\b", re.I), _MONTHS),
    ("month_day", re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?!\s*(?:km|kilomet|mile|%))", re.I),
     _MONTHS),
    ("day_month", re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}\b", re.I), _MONTHS),
    ("part_month", re.compile(rf"\b{_PART}{_MONTH}\b", re.I), _MONTHS),
    ("last_month_name", re.compile(rf"\blast\s+{_MONTH}\b", re.I), _MONTHS),
    ("in_month", re.compile(rf"\b(?:in|since|during|of)\s+{_MONTH}\b", re.I), _MONTHS),
    ("late_last_week", re.compile(r"\b(?P<part>early|late)\s+last\s+week\b", re.I), _WEEK),
    ("last_week", re.compile(r"\blast\s+week\b", re.I), _WEEK),
    ("earlier_this_week", re.compile(r"\bearlier\s+this\s+week\b", re.I), _WEEK),
    ("this_week", re.compile(r"\bthis\s+week\b", re.I), _WEEK),
    ("weekend", re.compile(r"\b(?:over|at|during)\s+the\s+weekend\b|\b(?:last|this)\s+weekend\b",
                           re.I), _WEEK),
    ("last_weekday", re.compile(rf"\blast\s+{_WEEKDAY}\b", re.I), _WEEKDAYS),
    ("on_weekday", re.compile(rf"\b(?:on\s+)?{_WEEKDAY}\b", re.I), _WEEKDAYS),
    ("yesterday", re.compile(r"\byesterday\b|\blast\s+night\b", re.I),
     _Needs(("yesterday", "night"))),
    ("today", re.compile(r"\btoday\b|\bthis\s+morning\b|\bearlier\s+today\b", re.I),
     _Needs(("today", "morning"))),
    ("days_ago", re.compile(r"\b(?P<n>\d{1,2}|two|three|four|five|six|seven|ten)\s+days\s+ago\b",
                            re.I), _Needs(("ago",))),
    ("last_month", re.compile(r"\blast\s+month\b", re.I), _Needs(("month",))),
    ("this_month", re.compile(r"\b(?:earlier\s+)?this\s+month\b", re.I), _Needs(("month",))),
    ("last_year", re.compile(r"\blast\s+year\b", re.I), _Needs(("year",))),
    ("this_year", re.compile(r"\b(?:earlier\s+)?this\s+year\b", re.I), _Needs(("year",))),
    ("in_year", re.compile(rf"\b(?:in|since|during)\s+{_YEAR}\b", re.I), _YEAR_DIGITS),
]
_FULL_DATES = _PATTERNS[:2]  # month_day_year and day_month_year: no earlier pattern drops them

# French, read in French articles: the same kinds, so the same windows.
_FR_MONTH = r"(?P<month>" + "|".join(sorted(french.MONTHS, key=len, reverse=True)) + r")"
_FR_DAY = r"(?P<day>[0-3]?\d)(?:er)?"
_FR_WEEKDAY = r"(?P<weekday>" + "|".join(french.WEEKDAYS) + r")"
_FR_PART = r"(?P<part>début|debut|mi|fin)[\s-]+"
_FR_MONTHS = _Needs(tuple(french.MONTHS))
_FR_WEEKDAYS = _Needs(tuple(french.WEEKDAYS))
_FR_PATTERNS: list[tuple[str, re.Pattern[str], _Needs]] = [
    ("day_month_year", re.compile(rf"\b(?:le\s+)?{_FR_DAY}\s+{_FR_MONTH}\s+{_YEAR}\b", re.I),
     _FR_MONTHS),
    ("part_month_year", re.compile(rf"\b{_FR_PART}{_FR_MONTH}\s+{_YEAR}\b", re.I), _FR_MONTHS),
    ("month_year", re.compile(rf"\b(?:en\s+)?{_FR_MONTH}\s+{_YEAR}\b", re.I), _FR_MONTHS),
    ("day_month", re.compile(rf"\b(?:le\s+)?{_FR_DAY}\s+{_FR_MONTH}\b", re.I), _FR_MONTHS),
    ("part_month", re.compile(rf"\b{_FR_PART}{_FR_MONTH}\b", re.I), _FR_MONTHS),
    ("in_month", re.compile(rf"\b(?:en|depuis)\s+{_FR_MONTH}\b", re.I), _FR_MONTHS),
    ("night_weekdays", re.compile(
        rf"\bdans\s+la\s+nuit\s+(?:de|du)\s+{_FR_WEEKDAY}\s+(?:à|au)\s+"
        rf"(?P<weekday2>{'|'.join(french.WEEKDAYS)})\b", re.I), _FR_WEEKDAYS),
    ("last_week", re.compile(r"\bla\s+semaine\s+(?:dernière|derniere|passée|passee)\b", re.I),
     _Needs(("semaine",))),
    ("this_week", re.compile(r"\bcette\s+semaine\b", re.I), _Needs(("semaine",))),
    ("weekend", re.compile(r"\b(?:ce|le)\s+week-?end(?:\s+dernier)?\b", re.I),
     _Needs(("week",))),
    ("last_weekday", re.compile(rf"\b{_FR_WEEKDAY}\s+(?:dernier|passé|passe)\b", re.I),
     _FR_WEEKDAYS),
    ("fr_weekday", re.compile(rf"\b(?:(?:ce|le)\s+)?{_FR_WEEKDAY}\b", re.I), _FR_WEEKDAYS),
    ("day_before_yesterday", re.compile(r"\bavant-hier\b", re.I), _Needs(("avant-hier",))),
    ("yesterday", re.compile(r"\bhier\b", re.I), _Needs(("hier",))),
    ("today", re.compile(r"\baujourd(?:'|\u2019)hui\b|\bce\s+matin\b", re.I),
     _Needs(("aujourd", "matin"))),
    ("last_month", re.compile(r"\ble\s+mois\s+(?:dernier|passé)\b", re.I), _Needs(("mois",))),
    ("last_year", re.compile(r"\bl(?:'|\u2019)an(?:née)?\s+(?:dernière|passée|dernier)\b",
                             re.I), _Needs(("an",))),
    ("in_year", re.compile(rf"\b(?:en|depuis)\s+{_YEAR}\b", re.I), _YEAR_DIGITS),
]
_FR_FULL_DATES = _FR_PATTERNS[:1]

_SMALL = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "ten": 10}


@dataclass(frozen=True)
class DateMatch:
    text: str  # the words as written
    start: date | None
    end: date | None
    kind: str  # which rule matched
    offset: int  # where in the searched text

    @property
    def resolved(self) -> bool:
        return self.start is not None

    @property
    def span_days(self) -> int:
        if self.start is None or self.end is None:
            return 10_000
        return (self.end - self.start).days


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _month_window(year: int, month: int, part: str | None) -> tuple[date, date]:
    last = _last_day(year, month)
    part = (part or "").lower()
    if part in ("early", "the beginning of", "the start of"):
        return date(year, month, 1), date(year, month, 10)
    if part in ("mid", "the middle of"):
        return date(year, month, 10), date(year, month, 20)
    if part in ("late", "the end of"):
        return date(year, month, 20), date(year, month, last)
    return date(year, month, 1), date(year, month, last)


def _year_for(month: int, day: int, reference: date) -> int:
    """The year that puts month/day on or before the reference date (news looks back)."""
    day = min(day, _last_day(reference.year, month))
    return reference.year if (month, day) <= (reference.month, reference.day) \
        else reference.year - 1


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


Window = tuple[date | None, date | None]
NO_WINDOW: Window = (None, None)
_WITH_YEAR = ("month_day_year", "day_month_year", "part_month_year", "month_year")


def _with_year(kind: str, year: int, month: int, day: int | None, part: str | None) -> Window:
    """A date written with its year: a day, part of a month, or a month."""
    if kind in ("month_day_year", "day_month_year"):
        found = _safe_date(year, month, day) if day is not None else None
        return found, found
    return _month_window(year, month, part if kind == "part_month_year" else None)


def _written(kind: str, groups: dict[str, str | None], reference: date | None) -> Window:
    """A date written as words of the calendar; without a year, the reference date's."""
    year_text, day_text = groups.get("year"), groups.get("day")
    year = int(year_text) if year_text else None
    if kind == "in_year":
        return (date(year, 1, 1), date(year, 12, 31)) if year is not None else NO_WINDOW
    month = _month_index(groups.get("month"))
    if month is None:
        return NO_WINDOW
    day = int(day_text) if day_text else None
    if kind in _WITH_YEAR:
        return _with_year(kind, year, month, day, _part(groups)) if year else NO_WINDOW
    if reference is None:
        return NO_WINDOW
    if kind in ("month_day", "day_month"):
        if day is None or not 1 <= day <= 31:
            return NO_WINDOW
        found = _safe_date(_year_for(month, day, reference), month, day)
        return found, found
    return _month_window(_year_for(month, 1, reference), month,
                         _part(groups) if kind == "part_month" else None)


def _weekly(kind: str, groups: dict[str, str | None], published: date) -> Window:
    """Weeks, weekends and weekdays before the publication date."""
    if kind == "late_last_week":
        monday = _monday(published) - timedelta(days=7)
        if (groups.get("part") or "").lower() == "late":
            return monday + timedelta(days=3), monday + timedelta(days=6)
        return monday, monday + timedelta(days=2)
    if kind == "last_week":
        monday = _monday(published) - timedelta(days=7)
        return monday, monday + timedelta(days=6)
    if kind == "earlier_this_week":
        monday = _monday(published)
        return monday, max(monday, published - timedelta(days=1))
    if kind == "this_week":
        return _monday(published), published
    if kind == "weekend":
        back = (published.weekday() - 6) % 7  # days since the last Sunday (0 on a Sunday)
        sunday = published - timedelta(days=back)
        if published.weekday() == 5:  # a Saturday article: that very weekend has begun
            return published, published
        return sunday - timedelta(days=1), sunday
    if kind == "night_weekdays":  # 'dans la nuit de lundi à mardi': the latest such night
        second = _weekday_index(groups.get("weekday2"))
        back = (published.weekday() - second) % 7
        return published - timedelta(days=back + 1), published - timedelta(days=back)
    target = _weekday_index(groups.get("weekday"))  # last_weekday, on_weekday, fr_weekday
    back = (published.weekday() - target) % 7
    if kind == "last_weekday" and back == 0:
        back = 7
    found = published - timedelta(days=back)
    return found, found


def _relative(kind: str, groups: dict[str, str | None], published: date) -> Window:
    """Days, months and years counted from the publication date."""
    if kind == "last_month_name":
        month = MONTHS[(groups.get("month") or "").lower().rstrip(".")]
        candidate = published.year if month < published.month else published.year - 1
        return _month_window(candidate, month, None)
    if kind == "yesterday":
        found = published - timedelta(days=1)
        return found, found
    if kind == "day_before_yesterday":
        found = published - timedelta(days=2)
        return found, found
    if kind == "today":
        return published, published
    if kind == "days_ago":
        raw = (groups.get("n") or "").lower()
        found = published - timedelta(days=_SMALL.get(raw) or int(raw))
        return found, found
    if kind == "last_month":
        previous = published.replace(day=1) - timedelta(days=1)
        return _month_window(previous.year, previous.month, None)
    if kind == "this_month":
        return published.replace(day=1), published
    if kind == "last_year":
        return date(published.year - 1, 1, 1), date(published.year - 1, 12, 31)
    if kind == "this_year":
        return date(published.year, 1, 1), published
    return NO_WINDOW


_WEEKLY = ("late_last_week", "last_week", "earlier_this_week", "this_week", "weekend",
           "last_weekday", "on_weekday", "fr_weekday", "night_weekdays")


def _month_index(name: str | None) -> int | None:
    """The month an English or French month name (or abbreviation) names."""
    key = (name or "").lower().rstrip(".")
    return MONTHS.get(key) or french.MONTHS.get(key)


def _weekday_index(name: str | None) -> int:
    key = (name or "").lower()
    return WEEKDAYS[key] if key in WEEKDAYS else french.WEEKDAYS[key]


def _part(groups: dict[str, str | None]) -> str | None:
    """The part of a month, in the English words ``_month_window`` reads."""
    part = groups.get("part")
    return french.PARTS.get(part.lower(), part) if part else None


def _resolve(kind: str, m: re.Match[str], published: date | None,
             anchor: date | None) -> Window:
    groups = m.groupdict()
    if kind in _WITH_YEAR or kind in ("month_day", "day_month", "part_month", "in_month",
                                      "in_year"):
        return _written(kind, groups, published or anchor)
    if published is None:
        return NO_WINDOW  # every rule below is relative to the publication date
    if kind in _WEEKLY:
        return _weekly(kind, groups, published)
    return _relative(kind, groups, published)


@dataclass(frozen=True)
class DateSpan:
    """A date expression found in a text, before its window is worked out."""

    kind: str  # which rule matched
    match: re.Match[str]

    @property
    def text(self) -> str:
        return self.match.group(0).strip()

    @property
    def offset(self) -> int:
        return self.match.start()


def _scan(text: str, patterns: list[tuple[str, re.Pattern[str], _Needs]]) -> list[DateSpan]:
    """The date expressions of ``text``, rule by rule; a match overlapping an earlier one is
    dropped."""
    found: list[DateSpan] = []
    taken = bytearray(len(text))  # 1 where an earlier (more specific) match lies
    # re.IGNORECASE matches 'i' to the dotless and dotted capital I; casefold covers the rest.
    folded = text.casefold().replace("\u0131", "i")
    met: dict[int, bool] = {}
    for kind, pattern, needs in patterns:
        if id(needs) not in met:
            met[id(needs)] = needs.met(text, folded)
        if not met[id(needs)]:
            continue
        for m in pattern.finditer(text):
            if taken.find(1, m.start(), m.end()) >= 0:
                continue
            if kind == "on_weekday" and not m.group(0).lower().startswith("on"):
                # A bare weekday name counts only when it reads as a date ("Monday's attack").
                following = text[m.end():m.end() + 3]
                if not following.startswith(("'s", "\u2019s", " ni", " mo", " ev", " af")):
                    continue
            taken[m.start():m.end()] = b"\x01" * (m.end() - m.start())
            found.append(DateSpan(kind, m))
    return found


def scan_dates(text: str, in_french: bool = False) -> list[DateSpan]:
    """Every date expression in ``text``, not yet resolved (``resolve_dates``);
    ``in_french``: French words."""
    return _scan(text, _FR_PATTERNS if in_french else _PATTERNS)


def resolve_dates(spans: list[DateSpan], published: date | None,
                  anchor: date | None) -> list[DateMatch]:
    """The windows of the expressions ``scan_dates`` found, in the order of the text."""
    found: list[DateMatch] = []
    for span in spans:
        try:
            start, end = _resolve(span.kind, span.match, published, anchor)
        except (ValueError, KeyError, TypeError, OverflowError):
            start, end = None, None
        if start and end and start > end:
            start, end = end, start
        found.append(DateMatch(span.text, start, end, span.kind, span.offset))
    found.sort(key=lambda d: d.offset)
    return found


def find_dates(text: str, published: date | None = None, anchor: date | None = None,
               in_french: bool = False) -> list[DateMatch]:
    """Every date expression in ``text``, in order, overlapping matches dropped."""
    return resolve_dates(scan_dates(text, in_french), published, anchor)


def find_date(text: str, published: date | None = None, anchor: date | None = None,
              in_french: bool = False) -> DateMatch | None:
    """The first date expression in ``text``, or None."""
    matches = find_dates(text, published, anchor, in_french)
    return matches[0] if matches else None


def text_anchor(text: str, in_french: bool = False) -> date | None:
    """The latest full date (day, month and year) written in the text: it fixes the year of
    dates given without one when the publication date is unknown."""
    patterns = _FR_FULL_DATES if in_french else _FULL_DATES
    full = [d.start for d in resolve_dates(_scan(text, patterns), None, None)
            if d.start is not None]
    return max(full) if full else None
