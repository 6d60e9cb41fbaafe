"""Evidence grounding: align each quote back to character offsets in the article.

Exact first; then exact after folding typographic quotes, dashes and whitespace; then fuzzy
(RapidFuzz partial-ratio alignment) above a threshold. A quote that does not align is kept and
marked ``unaligned``: it is never dropped, and never shown as verified.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

EXACT = "exact"
FUZZY = "fuzzy"
UNALIGNED = "unaligned"

FUZZY_THRESHOLD = 85.0
# Fuzzy alignment is quadratic; past this many characters of article it runs on a window
# around the best anchor word instead of the whole text.
_FULL_SCAN_LIMIT = 60_000

_FOLD = str.maketrans({
    "\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-",
    "\u00a0": " ",
})
_WS = re.compile(r"\s+")


@dataclass(frozen=True)
class AlignedQuote:
    quote: str
    start: int | None
    end: int | None
    status: str  # exact, fuzzy, unaligned
    score: float

    @property
    def aligned(self) -> bool:
        return self.status != UNALIGNED


def _folded_with_map(text: str) -> tuple[str, list[int]]:
    """Text with quotes/dashes folded and whitespace runs collapsed, and for each character of
    the result the offset it came from."""
    out: list[str] = []
    offsets: list[int] = []
    previous_space = False
    for index, char in enumerate(text.translate(_FOLD)):
        if char.isspace():
            if previous_space:
                continue
            previous_space = True
            char = " "
        else:
            previous_space = False
        out.append(char)
        offsets.append(index)
    return "".join(out), offsets


def fold_quote(quote: str) -> str:
    """A quote with typographic quotes and dashes folded and whitespace runs collapsed."""
    return _WS.sub(" ", quote.translate(_FOLD)).strip()


def align(quote: str, text: str, threshold: float = FUZZY_THRESHOLD) -> AlignedQuote:
    """Where ``quote`` stands in ``text``: offsets and how it was found."""
    stripped = quote.strip()
    if not stripped:
        return AlignedQuote(quote, None, None, UNALIGNED, 0.0)
    start = text.find(stripped)
    if start >= 0:
        return AlignedQuote(quote, start, start + len(stripped), EXACT, 100.0)
    folded_text, offsets = _folded_with_map(text)
    folded_quote = fold_quote(stripped)
    start = folded_text.find(folded_quote)
    if start >= 0:
        end = offsets[start + len(folded_quote) - 1] + 1
        return AlignedQuote(quote, offsets[start], end, EXACT, 100.0)
    window_start = 0
    haystack = folded_text
    if len(folded_text) > _FULL_SCAN_LIMIT:
        window_start = _anchor_window(folded_quote, folded_text)
        haystack = folded_text[window_start:window_start + 4 * len(folded_quote) + 2000]
    found = fuzz.partial_ratio_alignment(folded_quote, haystack, score_cutoff=threshold)
    if found is None or found.score < threshold:
        return AlignedQuote(quote, None, None, UNALIGNED, round(found.score, 1) if found else 0.0)
    dest_start = window_start + found.dest_start
    dest_end = window_start + found.dest_end
    return AlignedQuote(quote, offsets[dest_start], offsets[dest_end - 1] + 1, FUZZY,
                        round(found.score, 1))


def _anchor_window(quote: str, text: str) -> int:
    """Start of a window likely to hold the quote: around its longest word's first match."""
    words = sorted(quote.split(), key=len, reverse=True)
    for word in words[:3]:
        position = text.find(word)
        if position >= 0:
            return max(0, position - 2 * len(quote) - 1000)
    return 0


def evidence_status(quotes: list[AlignedQuote]) -> str:
    """verified: every quote aligned; partial: some; unverified: none (or no evidence)."""
    aligned = sum(1 for q in quotes if q.aligned)
    if quotes and aligned == len(quotes):
        return "verified"
    if aligned:
        return "partial"
    return "unverified"
