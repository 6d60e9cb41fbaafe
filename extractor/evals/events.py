"""Scoring the grouping of incidents into events, pairwise over incidents of different articles.

Gold incidents of different articles that report the same event share an ``event`` key. A pair
of incidents is "the same event" in gold when both carry the same key, and in a prediction when
the grouper (:mod:`extractor.events`) puts them in one event. Predicted incidents stand for the
gold incidents the per-article matching paired them with; a predicted pair with an unpaired
side is a false "same event". Incidents of one article are never paired (the grouper never
merges them, and the codebook makes a coordinated attack one incident per place).

- ``events.precision`` / ``recall`` / ``f1``: the whole pipeline, the extraction's incidents
  grouped.
- ``events.oracle.*``: the grouper alone, on the gold incidents themselves.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING, Any

from extractor.events.adapt import group_in_memory, incident_key

from .scorers import Score

if TYPE_CHECKING:
    from .evaluate import ArticleEval

__all__ = ["EVENT_FIELDS", "gold_event_keys", "score_events"]

EVENT_FIELDS: tuple[str, ...] = (
    "events.precision", "events.recall", "events.f1",
    "events.oracle.precision", "events.oracle.recall", "events.oracle.f1",
)

Pair = frozenset[str]


def gold_event_keys(records: Iterable[Any], files: Sequence[Path] = ()) -> dict[str, str]:
    """Incident key -> gold event key, for the gold incidents that carry one.

    Read from the records' incidents (``incident.event``) where the gold loader keeps it, and
    otherwise from the gold files' raw JSON (``incidents[i]["event"]``).
    """
    keys: dict[str, str] = {}
    for record in records:
        for position, incident in enumerate(record.incidents):
            event = getattr(incident, "event", None)
            if event:
                keys[incident_key(record.article.id, position)] = str(event)
    if keys:
        return keys
    for path in files:
        for payload in _payloads(path):
            article_id = (payload.get("article") or {}).get("id")
            for position, incident in enumerate(payload.get("incidents") or []):
                if isinstance(incident, dict) and incident.get("event") and article_id:
                    keys[incident_key(str(article_id), position)] = str(incident["event"])
    return keys


def _payloads(path: Path) -> Iterable[dict[str, Any]]:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        yield json.loads(text)
        return
    for line in text.splitlines():
        if line.strip():
            yield json.loads(line)


def _pairs(event_of: Mapping[str, str]) -> set[Pair]:
    """Pairs of incidents of different articles that share an event."""
    members: dict[str, list[str]] = defaultdict(list)
    for incident, event in event_of.items():
        members[event].append(incident)
    pairs: set[Pair] = set()
    for incidents in members.values():
        for first, second in combinations(sorted(incidents), 2):
            if first.rsplit("#", 1)[0] != second.rsplit("#", 1)[0]:
                pairs.add(frozenset((first, second)))
    return pairs


def _scores(prefix: str, predicted: set[Pair], gold: set[Pair], what: str) -> dict[str, Score]:
    hits = len(predicted & gold)
    explanation = (f"{hits} of {len(predicted)} predicted and {len(gold)} gold same-event "
                   f"pairs agree ({what})")
    return {
        f"{prefix}.precision": Score(hits, len(predicted), explanation, len(predicted))
        if predicted else Score.unscored("no predicted same-event pairs"),
        f"{prefix}.recall": Score(hits, len(gold), explanation, len(gold))
        if gold else Score.unscored("no gold same-event pairs (no 'event' keys)"),
        f"{prefix}.f1": Score(2 * hits, len(predicted) + len(gold), explanation,
                              len(predicted | gold))
        if predicted or gold else Score.unscored("no same-event pairs on either side"),
    }


def score_events(articles: Sequence[ArticleEval], gold_keys: Mapping[str, str]
                 ) -> dict[str, Score]:
    """Pairwise precision, recall and F1 of "same event", for the pipeline and the oracle."""
    gold_pairs = _pairs(gold_keys)
    # The prediction's incidents, named after the gold incidents they were paired with.
    as_gold: dict[str, str] = {}
    for article in articles:
        for pair in article.matching.paired:
            assert pair.pred is not None and pair.gold is not None
            as_gold[incident_key(article.article_id, article.pred.incidents[pair.pred].position)] \
                = incident_key(article.article_id, article.gold.incidents[pair.gold].position)
    predicted = group_in_memory(article.pred for article in articles)
    renamed = {as_gold.get(incident, f"unpaired:{incident}"): event
               for incident, event in predicted.items()}
    scores = _scores("events", _pairs(renamed), gold_pairs, "extracted incidents grouped")
    oracle = group_in_memory(article.gold for article in articles)
    scores.update(_scores("events.oracle", _pairs(oracle), gold_pairs,
                          "gold incidents grouped"))
    return scores
