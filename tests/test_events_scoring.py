"""Scoring the grouping into events against gold 'event' keys (extractor/evals/events.py)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from extractor.evals.evaluate import evaluate
from extractor.evals.events import EVENT_FIELDS, gold_event_keys
from extractor.evals.gate import check_gate, parse_rule
from extractor.resolve.gazetteer import Gazetteer
from extractor.resolve.registry import ActorRegistry
from extractor.schemas import ExtractionResult, GoldRecord

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "evals" / "gold" / "events"
FILES = sorted(GOLD.glob("*.json"))  # one article per file, as the rest of the gold set
REGISTRY = ActorRegistry.load()
GAZETTEER = Gazetteer.load()


def records() -> list[GoldRecord]:
    """The events gold set as records (the event key is read apart, from the raw file)."""
    loaded = []
    for path in FILES:
        payload = json.loads(path.read_text(encoding="utf-8"))
        for item in payload["incidents"]:
            item.pop("event")
        loaded.append(GoldRecord.model_validate(payload))
    return loaded


def perfect(gold: list[GoldRecord]) -> dict[str, ExtractionResult | None]:
    return {r.article.id: ExtractionResult(incidents=r.incidents, actors=r.actors)
            for r in gold}


def test_gold_event_keys_from_the_raw_file() -> None:
    gold = records()
    keys = gold_event_keys(gold, FILES)
    assert sum(len(r.incidents) for r in gold) == 13
    assert len(keys) == 9  # the near misses reported by one article only have no key
    assert sorted(keys.values()).count("moura-market-2025-03-04") == 3
    assert gold_event_keys(gold) == {}  # nothing on the records themselves


def test_perfect_extraction_groups_every_gold_event() -> None:
    gold = records()
    evaluation = evaluate(gold, perfect(gold), REGISTRY, GAZETTEER,
                          event_keys=gold_event_keys(gold, FILES))
    totals = evaluation.totals
    for name in EVENT_FIELDS:
        assert totals[name].value == 1.0, (name, totals[name].explanation)
    # Moura 3 pairs, Boni, Andéramboukane, Boulkessi 1 each: the near misses stay apart.
    assert totals["events.recall"].denominator == 6


def test_a_misplaced_report_costs_recall_not_precision() -> None:
    gold = records()
    predictions = perfect(gold)
    moura = next(r for r in gold if r.article.title.startswith("Mali: rights group"))
    moved = moura.incidents[0].model_copy(update={"place": "Djenné"})
    predictions[moura.article.id] = ExtractionResult(
        incidents=[moved, moura.incidents[1]], actors=moura.actors)
    totals = evaluate(gold, predictions, REGISTRY, GAZETTEER,
                      event_keys=gold_event_keys(gold, FILES)).totals
    assert totals["events.precision"].value == 1.0
    assert (totals["events.recall"].numerator, totals["events.recall"].denominator) == (4, 6)
    assert totals["events.oracle.recall"].value == 1.0  # the grouper on gold is unchanged


def test_a_wrongly_merged_pair_costs_precision() -> None:
    gold = records()
    predictions = perfect(gold)
    later = next(r for r in gold if r.article.title.startswith("Second mine blast"))
    # The second Boni mine dated a week early: predicted as the first one.
    early = later.incidents[0].model_copy(update={"date_start": date(2025, 3, 12),
                                                  "date_end": date(2025, 3, 12)})
    predictions[later.article.id] = ExtractionResult(incidents=[early], actors=later.actors)
    totals = evaluate(gold, predictions, REGISTRY, GAZETTEER,
                      event_keys=gold_event_keys(gold, FILES)).totals
    assert totals["events.recall"].value == 1.0
    assert totals["events.precision"].value == pytest.approx(6 / 8)


def test_gate_on_events() -> None:
    gold = records()
    totals = evaluate(gold, {r.article.id: None for r in gold}, REGISTRY, GAZETTEER,
                      event_keys=gold_event_keys(gold, FILES)).totals
    gate = check_gate(totals, [parse_rule("events.f1=0.5")])
    assert gate.passed is False and "events.f1 is 0.000" in gate.failures[0]
    without = evaluate(gold, perfect(gold), REGISTRY, GAZETTEER).totals  # no event keys
    assert "events.f1" not in without
    gate = check_gate(without, [parse_rule("events.f1=0.5")])
    assert gate.passed is False and "no gold incident carries an 'event' key" in \
        gate.failures[0]


def test_events_gold_is_well_formed() -> None:
    """Ids are the text's hash, quotes are verbatim, each key links two articles or more."""
    from collections import Counter

    from extractor.schemas import article_id_for

    gold = records()
    for record in gold:
        assert record.article.id == article_id_for(record.article.text)
        for item in record.incidents:
            assert all(quote in record.article.text for quote in item.evidence), item.summary
    keys = gold_event_keys(gold, FILES)
    per_article = {(key.rsplit("#", 1)[0], event) for key, event in keys.items()}
    assert len(per_article) == len(keys)  # no key twice in one article
    assert Counter(event for _, event in per_article) == Counter({
        "moura-market-2025-03-04": 3, "boni-mine-2025-03-12": 2,
        "anderamboukane-2025-04-02": 2, "boulkessi-2025-05-01": 2})


def test_report_shows_the_events_scores() -> None:
    from extractor.evals.report import build_report, render_text

    gold = records()
    evaluation = evaluate(gold, perfect(gold), REGISTRY, GAZETTEER,
                          event_keys=gold_event_keys(gold, FILES))
    report = build_report(evaluation, {"gold_articles": len(gold)})
    assert report["events"]["f1"]["score"] == 1.0
    assert report["events"]["oracle.recall"]["denominator"] == 6
    text = render_text(report)
    assert "Events across articles" in text and "gold incidents grouped" in text
