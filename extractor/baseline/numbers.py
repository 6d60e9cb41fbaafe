"""Figures as news writes them ("four", "at least 15", "several dozen") and the codebook's
count_min / count_max for each.

Vague words take ACLED's conservative numbers: "a few" / "several" = 3, "tens" = 10,
"dozens" / "several dozen" = 12, "hundreds" = 100, each as a minimum with no maximum.
"about / around / nearly N" = N..N; "at least N" = N..None; "more than N" = N+1..None;
"up to N" = None..N; "between A and B" = A..B.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.baseline import french
from extractor.schemas import MAX_CASUALTY_COUNT

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
# Vague quantities: (count_min, count_max). Longest phrases are tried first.
VAGUE = {
    "several dozen": (12, None), "dozens of": (12, None), "dozens": (12, None),
    "scores of": (20, None), "scores": (20, None),
    "several hundred": (100, None), "hundreds of": (100, None), "hundreds": (100, None),
    "tens of": (10, None), "tens": (10, None),
    "several": (3, None), "a few": (3, None), "a handful of": (3, None), "a number of": (3, None),
    "a dozen": (12, 12), "a couple of": (2, 2), "a hundred": (100, 100),
}
APPROX = ("about", "around", "nearly", "almost", "approximately", "roughly", "some", "close to",
          "an estimated", "estimated")
AT_LEAST = ("at least", "a minimum of", "no fewer than", "no less than")
MORE_THAN = ("more than", "over", "upwards of", "in excess of")
UP_TO = ("up to", "as many as", "fewer than", "less than", "at most")

_WORD_NUMBER = (
    r"(?:(?:" + "|".join(TENS) + r")(?:[\s-](?:" + "|".join(k for k in UNITS if UNITS[k] < 10
                                                        and UNITS[k] > 0) + r"))?"
    r"|" + "|".join(sorted(UNITS, key=len, reverse=True)) + r")"
    r"(?:\s+(?:hundred|thousand))?"
)
_DIGITS = r"\d{1,3}(?:,\d{3})+|\d+"
_BASE = rf"(?:{_DIGITS}|{_WORD_NUMBER}|a\s+dozen|a\s+hundred)(?:\s+dozen)?"
_MODIFIER = "|".join(re.escape(m) for m in sorted(
    (*APPROX, *AT_LEAST, *MORE_THAN, *UP_TO), key=len, reverse=True))
_VAGUE = "|".join(re.escape(v) for v in sorted(VAGUE, key=len, reverse=True))

FIGURE = re.compile(
    rf"\bbetween\s+(?P<low>{_BASE})\s+(?:and|to)\s+(?P<high>{_BASE})\b"
    rf"|\b(?P<range_low>{_DIGITS})\s*(?:-|\u2013|to)\s*(?P<range_high>{_DIGITS})\b"
    rf"|\b(?:(?P<modifier>{_MODIFIER})\s+)?(?P<base>{_BASE})\b"
    rf"|\b(?P<vague>{_VAGUE})(?=\W|$)",
    re.I,
)


@dataclass(frozen=True)
class Figure:
    text: str  # as written, e.g. "at least 15"
    count_min: int | None
    count_max: int | None
    start: int
    end: int


def word_value(text: str) -> int | None:
    """The value of a written-out or digit number: 'four' 4, 'two dozen' 24, '2,400' 2400."""
    words = re.sub(r"[\s-]+", " ", text.strip().lower())
    if not words:
        return None
    multiplier = 1
    if words.endswith(" dozen"):
        multiplier, words = 12, words[: -len(" dozen")]
    elif words == "dozen":
        return 12
    if words in ("a", "a dozen"):
        return 12 * multiplier if words == "a dozen" else multiplier
    if words == "a hundred":
        return 100 * multiplier
    if re.fullmatch(_DIGITS, words):
        return int(words.replace(",", "")) * multiplier
    total = 0
    current = 0
    for word in words.split():
        if word in UNITS:
            current += UNITS[word]
        elif word in TENS:
            current += TENS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word == "thousand":
            total += max(current, 1) * 1000
            current = 0
        else:
            return None
    return (total + current) * multiplier


def _french_bounds(match: re.Match[str]) -> tuple[int | None, int | None] | None:
    """The bounds of a figure ``french.FIGURE`` matched."""
    if match.group("vague"):
        return french.VAGUE[re.sub(r"\s+", " ", match.group("vague").lower())]
    if match.group("low") or match.group("range_low"):
        low = french.word_value(match.group("low") or match.group("range_low"))
        high = french.word_value(match.group("high") or match.group("range_high"))
        return None if low is None or high is None or low > high else (low, high)
    value = french.word_value(match.group("base"))
    if value is None:
        return None
    modifier = re.sub(r"\s+", " ", (match.group("modifier") or "").lower())
    if modifier in french.AT_LEAST:
        return value, None
    if modifier in french.MORE_THAN:
        return value + 1, None
    if modifier in french.FEWER_THAN:
        return None, max(value - 1, 0)
    if modifier in french.UP_TO:
        return None, value
    return value, value


def _bounds(match: re.Match[str]) -> tuple[int | None, int | None] | None:
    if match.group("low"):
        low, high = word_value(match.group("low")), word_value(match.group("high"))
        if low is None or high is None:
            return None
        return min(low, high), max(low, high)
    if match.group("range_low"):
        low = word_value(match.group("range_low"))
        high = word_value(match.group("range_high"))
        if low is None or high is None or low > high:
            return None
        return low, high
    if match.group("vague"):
        return VAGUE[re.sub(r"\s+", " ", match.group("vague").lower())]
    value = word_value(match.group("base"))
    if value is None:
        return None
    modifier = re.sub(r"\s+", " ", (match.group("modifier") or "").lower())
    if modifier in AT_LEAST:
        return value, None
    if modifier in MORE_THAN:
        return value + 1, None
    if modifier in ("fewer than", "less than"):
        return None, max(value - 1, 0)
    if modifier in UP_TO:
        return None, value
    return value, value  # exact, or approximate ("about 60" = 60..60)


def find_figures(text: str, in_french: bool = False) -> list[Figure]:
    """Every figure in ``text``, in order, with its bounds; ``in_french``: French words."""
    figures = []
    for match in (french.FIGURE if in_french else FIGURE).finditer(text):
        try:
            bounds = _french_bounds(match) if in_french else _bounds(match)
        except (ValueError, KeyError):
            bounds = None
        if bounds is None or any(b is not None and b > MAX_CASUALTY_COUNT for b in bounds):
            continue  # beyond any toll the schema accepts: a serial number, not a figure
        figures.append(Figure(match.group(0), bounds[0], bounds[1], match.start(), match.end()))
    return figures


def parse_figure(text: str, in_french: bool = False) -> Figure | None:
    """The first figure in ``text`` (or None): parse_figure('at least 15') -> 15..None."""
    figures = find_figures(text, in_french)
    return figures[0] if figures else None
