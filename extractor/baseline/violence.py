"""Whether a sentence reports an act of violence, and whether it opens an incident of its own."""

from __future__ import annotations

from datetime import date

from extractor.baseline.casualties import raw_claims
from extractor.baseline.dates import DateMatch, find_dates
from extractor.baseline.mentions import Names
from extractor.baseline.vocabulary import (
    AGGREGATE,
    DATELINE,
    EVENT_PREDICATE,
    IRREGULAR_PAST,
    MODAL,
    NON_EVENT,
    NOUN,
    PAST,
    ROLE_VERB,
    SKIP_LINE,
    VERB,
)


def is_violent(names: Names, sentence: str) -> bool:
    """The sentence reports an act of violence: not analysis, an aggregate or a conditional."""
    if SKIP_LINE.match(sentence) or not (VERB.search(sentence) or NOUN.search(sentence)):
        return False
    if AGGREGATE.search(sentence):
        return False
    has_figure = bool(raw_claims(sentence))
    if NON_EVENT.search(sentence) and not (has_figure and names.places(sentence)):
        return False
    past_verb = any(PAST.fullmatch(m.group(0).split()[0])
                    or m.group(0).lower() in IRREGULAR_PAST
                    for m in VERB.finditer(sentence))
    return not (MODAL.search(sentence) and not past_verb)


def sentence_dates(body: str, published: date | None, anchor: date | None) -> list[DateMatch]:
    """Dates of the incident in a sentence: a dateline's date is when the story was filed."""
    dateline = DATELINE.match(body)
    if dateline:
        body = " " * dateline.end() + body[dateline.end():]
    return find_dates(body, published, anchor)


def opens_incident(names: Names, body: str, published: date | None,
                   anchor: date | None) -> bool:
    """A violent sentence that starts an incident of its own: a role verb, a figure, or a
    violence verb, date or event predicate with a place."""
    if ROLE_VERB.search(body):
        return True
    claims = raw_claims(body)
    if VERB.search(body) and (claims or names.places(body)):
        return True
    has_date = bool(sentence_dates(body, published, anchor))
    return bool(claims) or (has_date and bool(names.places(body)
                                              or EVENT_PREDICATE.search(body)))
