"""Bounds on everything a model fills, with the reasoning in docs/limits.md.

Pure data and validators, no I/O.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import AfterValidator, Field

from extractor.schemas.text import SURROGATE

# Bounds on everything a model fills (docs/limits.md gives the reasoning). An answer out of
# bounds fails validation, is re-asked with the reason, and is never stored; bounded lists
# and strings also let grammar-constrained decoders stop.
MAX_CASUALTY_COUNT = 1_000_000  # above any single incident's toll in the conflict record
MAX_SUMMARY_CHARS = 1_000  # one ACLED-style sentence; the gold notes stay under 400
MAX_NAME_CHARS = 200  # a name, place, source, weapon, date or figure as written
MAX_QUOTE_CHARS = 2_000  # a few sentences of verbatim evidence
MAX_INCIDENTS = 100  # per article (or chunk): a dense weekly round-up has a few dozen
MAX_ACTORS = 100  # per article (or chunk)
MAX_ITEMS = 30  # per incident: actors in each role, casualty claims, weapons, sources, quotes
MIN_DATE = date(1900, 1, 1)  # the modern conflict record; no year 1 from a confused model
FUTURE_YEARS = 5  # an incident date at most this many years past today: a typo, not news



def at_most(limit: int) -> AfterValidator:
    """A string length bound checked on the answer, not written into the JSON Schema; a lone
    surrogate (no store can hold it) is refused too, and the model re-asked with the reason.

    Grammar engines decode with the schema, and xgrammar (vLLM's and SGLang's, 0.2.8) cannot
    match an escaped character (a quotation mark, a newline) inside a ``maxLength`` string: a
    quote containing '"' could never be written (tests/test_grammars.py shows it). Lists and
    numbers keep their bounds in the schema, which every engine follows.
    """

    def check(value: str) -> str:
        if not value.isascii() and SURROGATE.search(value):
            raise ValueError("holds a lone surrogate (U+D800-U+DFFF), which is not valid Unicode")
        if len(value) > limit:
            raise ValueError(f"at most {limit} characters, not {len(value)}")
        return value

    return AfterValidator(check)


Name = Annotated[str, at_most(MAX_NAME_CHARS)]
Quote = Annotated[str, at_most(MAX_QUOTE_CHARS)]
Summary = Annotated[str, at_most(MAX_SUMMARY_CHARS)]
Count = Annotated[int, Field(ge=0, le=MAX_CASUALTY_COUNT)]


def latest_date() -> date:
    """The latest incident date accepted: the end of the year ``FUTURE_YEARS`` from now."""
    return date(date.today().year + FUTURE_YEARS, 12, 31)
