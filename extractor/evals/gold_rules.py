"""The gold contract beyond the schema, as findings that name the field they are about.

A gold record is a :class:`~extractor.schemas.GoldRecord` whose incidents may carry an
``event`` key (the gold layer's own addition, never shown to a model). On top of the schema,
gold data must be internally consistent, and every rule here reports a field path
(``("incidents", 2, "evidence", 0)``) so the loader can name the file and line:

* before the schema (on the parsed JSON, so they are precise even where the schema's own
  check would only name the incident): dates are ISO ``YYYY-MM-DD``, ``date_start`` is not after
  ``date_end``, the sub-type belongs to the event type, ``count_min`` is not above
  ``count_max``, and every evidence quote is an exact substring of the article text;
* on the validated record: the id is the hash of the text, date windows are closed and end by
  the publication date, a casualty claim has a figure, every actor an incident names is the
  name or an alias of one of the record's actors, ``claimed_by`` is within ``perpetrators``,
  every actor is used and no name stands for two actors, and no event key is given twice in one
  article.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

from pydantic import Field, field_validator

from extractor.resolve.grounding import align
from extractor.schemas import (
    SUB_EVENT_TYPES,
    EventType,
    ExtractionResult,
    GoldRecord,
    Incident,
    SubEventType,
    article_id_for,
)

from .jsonpaths import Loc

__all__ = ["Finding", "GoldIncident", "LabelledRecord", "payload_findings", "record_findings"]

Finding = tuple[Loc, str]

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_QUOTE_SHOWN = 70  # characters of a quote shown in a message
_CONTEXT = 12  # characters shown either side of where a quote parts from the text
_EVENT_TYPES = frozenset(e.value for e in EventType)
_SUB_EVENT_TYPES = frozenset(s.value for s in SubEventType)


class GoldIncident(Incident):
    """A gold incident: the codebook's Incident plus the key of the real-world event it reports."""

    event: str | None = Field(
        default=None,
        description=(
            "Key shared by the incidents of different articles that report the same real-world "
            "event ('2024-07-tinzaouaten-ambush'); null when no other gold article reports it."
        ),
    )

    @field_validator("event")
    @classmethod
    def _event_key(cls, value: str | None) -> str | None:
        if value is not None and (not value.strip() or value != value.strip()):
            raise ValueError("an event key is a non-empty string without surrounding spaces")
        return value


class LabelledRecord(GoldRecord):
    """One gold article: a GoldRecord whose incidents are GoldIncidents (with their events)."""

    # Read-only after loading: the list holds GoldIncidents where GoldRecord says Incidents.
    incidents: list[GoldIncident] = Field(default_factory=list)  # type: ignore[assignment]

    def as_extraction(self) -> ExtractionResult:
        """The labels as a model would answer them: the codebook's records, no gold-only keys."""
        return ExtractionResult(
            incidents=[Incident.model_validate(incident.model_dump(exclude={"event"}))
                       for incident in self.incidents],
            actors=self.actors)


# -- rules on the parsed JSON, before the schema ----------------------------------------------

def _objects(container: Any, key: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """The (index, object) items of ``container[key]`` when it is a list; nothing otherwise."""
    items = container.get(key) if isinstance(container, dict) else None
    if isinstance(items, list):
        yield from ((i, item) for i, item in enumerate(items) if isinstance(item, dict))


def _iso_dates(obj: dict[str, Any], loc: Loc, *keys: str) -> list[Finding]:
    findings = []
    for key in keys:
        value = obj.get(key)
        if value is None:
            continue
        if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
            findings.append(((*loc, key), f"not an ISO date (YYYY-MM-DD): {value!r}"))
            continue
        try:
            date.fromisoformat(value)
        except ValueError:
            findings.append(((*loc, key), f"no such day: {value!r}"))
    return findings


def _incident_order(incident: dict[str, Any], loc: Loc, dated: bool) -> list[Finding]:
    findings: list[Finding] = []
    event_type, sub_type = incident.get("event_type"), incident.get("sub_event_type")
    if (isinstance(event_type, str) and event_type in _EVENT_TYPES
            and isinstance(sub_type, str) and sub_type in _SUB_EVENT_TYPES):
        allowed = SUB_EVENT_TYPES[EventType(event_type)]
        if SubEventType(sub_type) not in allowed:
            findings.append(((*loc, "sub_event_type"),
                             f"sub_event_type '{sub_type}' does not belong to event_type "
                             f"'{event_type}' (allowed: {', '.join(allowed)})"))
    start, end = incident.get("date_start"), incident.get("date_end")
    if dated and isinstance(start, str) and isinstance(end, str) and start > end:
        findings.append(((*loc, "date_end"), f"date_end ({end}) is before date_start ({start})"))
    for j, claim in _objects(incident, "casualties"):
        low, high = claim.get("count_min"), claim.get("count_max")
        if (type(low) is int and type(high) is int) and low > high:
            findings.append(((*loc, "casualties", j, "count_max"),
                             f"count_max ({high}) is below count_min ({low})"))
    return findings


def _shown(text: str) -> str:
    return repr(text if len(text) <= _QUOTE_SHOWN else text[:_QUOTE_SHOWN] + "…")


def _shared_start(a: str, b: str) -> int:
    """How many characters ``a`` and ``b`` have in common at their start."""
    return next((k for k, (x, y) in enumerate(zip(a, b, strict=False)) if x != y),
                min(len(a), len(b)))


def _parting(quote: str, text: str, start: int, end: int) -> tuple[int, str]:
    """Of the passages starting at a word near ``text[start:end]``, the one sharing the longest
    beginning with ``quote``: how long that beginning is, and the passage."""
    best, passage = (-1, 0), ""
    for k in range(max(0, start - _CONTEXT), min(len(text), end)):
        if k > 0 and not text[k - 1].isspace():
            continue  # passages start at a word
        candidate = text[k:k + len(quote)]
        # The longest shared beginning; of equals, the passage nearest the alignment.
        score = (_shared_start(quote, candidate), -abs(k - start))
        if score > best:
            best, passage = score, candidate
    return best[0], passage


def _quote_finding(quote: str, text: str) -> str:
    message = f"evidence quote is not in the article text: {_shown(quote)}"
    near = align(quote, text)
    if near.start is None or near.end is None:
        return message
    # Where the quote parts from the passage it resembles most, in the text's own characters
    # (shown escaped: a no-break space is '\\xa0', a typographic quote is itself).
    at, passage = _parting(quote, text, near.start, near.end)
    low, high = max(0, at - _CONTEXT), at + _CONTEXT
    return (f"{message}; it parts from the text at character {at + 1}: the quote has "
            f"{quote[low:high]!r}, the text {passage[low:high]!r}")


def payload_findings(payload: dict[str, Any]) -> list[Finding]:
    """Rules checked on a record's parsed JSON, whatever else is wrong with it."""
    findings: list[Finding] = []
    article = payload.get("article")
    text = article.get("text") if isinstance(article, dict) else None
    if isinstance(article, dict):
        findings += _iso_dates(article, ("article",), "published")
    for i, incident in _objects(payload, "incidents"):
        loc: Loc = ("incidents", i)
        dates = _iso_dates(incident, loc, "date_start", "date_end")
        findings += dates
        findings += _incident_order(incident, loc, dated=not dates)
        evidence = incident.get("evidence")
        if isinstance(text, str) and isinstance(evidence, list):
            findings += [((*loc, "evidence", k), _quote_finding(quote, text))
                         for k, quote in enumerate(evidence)
                         if isinstance(quote, str) and quote not in text]
    return findings


# -- rules on the validated record ------------------------------------------------------------

def _incident_findings(record: LabelledRecord, i: int, names: set[str]) -> list[Finding]:
    incident = record.incidents[i]
    loc: Loc = ("incidents", i)
    findings: list[Finding] = []
    if not incident.summary.strip():
        findings.append(((*loc, "summary"), "the summary is empty"))
    if (incident.date_start is None) != (incident.date_end is None):
        missing = "date_end" if incident.date_end is None else "date_start"
        findings.append(((*loc, missing), f"{missing} is null while the other date is set: a "
                                          "gold date window is closed (both dates, or neither)"))
    published = record.article.published
    if published is not None and incident.date_end is not None and incident.date_end > published:
        findings.append(((*loc, "date_end"), f"date_end ({incident.date_end}) is after the "
                                             f"article's publication date ({published})"))
    for k, quote in enumerate(incident.evidence):
        if not quote.strip():
            findings.append(((*loc, "evidence", k), "the evidence quote is empty"))
    for role in ("perpetrators", "targets", "claimed_by"):
        for k, name in enumerate(getattr(incident, role)):
            if name not in names:
                findings.append(((*loc, role, k), f"'{name}' is not the name or an alias of an "
                                                  "actor of this article"))
    for k, name in enumerate(incident.claimed_by):
        if name in names and name not in incident.perpetrators:
            findings.append(((*loc, "claimed_by", k),
                             f"'{name}' claims the act but is not among the perpetrators"))
    for j, claim in enumerate(incident.casualties):
        where: Loc = (*loc, "casualties", j)
        if claim.count_min is None and claim.count_max is None:
            findings.append((where, "a casualty claim needs count_min or count_max"))
        if not claim.count_text.strip():
            findings.append(((*where, "count_text"), "count_text is empty"))
        if claim.victims is not None and claim.victims not in names:
            findings.append(((*where, "victims"), f"'{claim.victims}' is not the name or an "
                                                  "alias of an actor of this article"))
    return findings


def _used_names(record: LabelledRecord) -> set[str]:
    used: set[str] = set()
    for incident in record.incidents:
        used |= {*incident.perpetrators, *incident.targets, *incident.claimed_by}
        used |= {c.victims for c in incident.casualties if c.victims is not None}
    return used


def _actor_findings(record: LabelledRecord) -> list[Finding]:
    findings: list[Finding] = []
    used = _used_names(record)
    owner: dict[str, int] = {}  # folded name -> index of the actor it names
    for a, actor in enumerate(record.actors):
        if not {actor.name, *actor.aliases} & used:
            findings.append((("actors", a), f"actor '{actor.name}' is named by no incident "
                                            "(perpetrators, targets, claimed_by, victims)"))
        named: list[tuple[Loc, str]] = [(("actors", a, "name"), actor.name)]
        named += [(("actors", a, "aliases", k), alias) for k, alias in enumerate(actor.aliases)]
        for loc, name in named:
            first = owner.setdefault(name.casefold(), a)
            if first != a:
                findings.append((loc, f"'{name}' also names actor "
                                      f"'{record.actors[first].name}' (actors[{first}])"))
    return findings


def record_findings(record: LabelledRecord) -> list[Finding]:
    """Rules checked on a record that passed the schema."""
    findings: list[Finding] = []
    expected = article_id_for(record.article.text)
    if record.article.id != expected:
        findings.append((("article", "id"), f"article id '{record.article.id}' is not the hash "
                                            f"of its text: article_id_for(text) is '{expected}'"))
    names = {n for actor in record.actors for n in (actor.name, *actor.aliases)}
    for i in range(len(record.incidents)):
        findings += _incident_findings(record, i, names)
    findings += _actor_findings(record)
    events: dict[str, int] = {}
    for i, incident in enumerate(record.incidents):
        if incident.event is None:
            continue
        first = events.setdefault(incident.event, i)
        if first != i:
            findings.append((("incidents", i, "event"),
                             f"event '{incident.event}' is also incidents[{first}]'s: two "
                             "incidents of one article are never one event"))
    return findings
