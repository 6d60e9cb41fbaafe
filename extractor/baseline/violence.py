"""Whether a sentence reports an act of violence, and whether it opens an incident of its own."""

from __future__ import annotations

from extractor.baseline.reading import Reading
from extractor.baseline.vocabulary import (
    AGGREGATE,
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


def is_violent(reading: Reading, sentence: str) -> bool:
    """The sentence reports an act of violence: not analysis, an aggregate or a conditional."""
    if SKIP_LINE.match(sentence) or not (VERB.search(sentence) or NOUN.search(sentence)):
        return False
    if AGGREGATE.search(sentence):
        return False
    if NON_EVENT.search(sentence) and not (reading.claims(sentence)
                                           and reading.places(sentence)):
        return False
    if not MODAL.search(sentence):
        return True
    # A conditional ('could attack') reports nothing unless a verb of violence is in the past.
    return any(PAST.fullmatch(m.group(0).split()[0]) or m.group(0).lower() in IRREGULAR_PAST
               for m in VERB.finditer(sentence))


def opens_incident(reading: Reading, body: str) -> bool:
    """A violent sentence that starts an incident of its own: a role verb, a figure, or a
    violence verb, date or event predicate with a place."""
    if ROLE_VERB.search(body):
        return True
    claims = reading.claims(body)
    if VERB.search(body) and (claims or reading.places(body)):
        return True
    has_date = bool(reading.dates(body))
    return bool(claims) or (has_date and bool(reading.places(body)
                                              or EVENT_PREDICATE.search(body)))
