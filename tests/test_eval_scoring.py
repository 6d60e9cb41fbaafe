"""Scorers: a perfect prediction scores 1.0; each perturbation moves exactly its scores."""

from __future__ import annotations

import math
from datetime import date

import pytest
from eval_cases import abduction, actors, ambush, bombing, gold_record, quiet_record

from extractor.evals.evaluate import evaluate, evaluate_article
from extractor.evals.scorers import FIELDS, ArticleCase, Score, fatality_range, score_case
from extractor.resolve.gazetteer import Gazetteer
from extractor.resolve.registry import ActorRegistry
from extractor.schemas import Actor, CasualtyClaim, ExtractionResult, Incident


@pytest.fixture(scope="module")
def resources() -> tuple[ActorRegistry, Gazetteer]:
    return ActorRegistry.load(), Gazetteer.load()


def edit(incident: Incident, changes: dict) -> Incident:
    """A validated copy of ``incident`` with ``changes``."""
    return Incident.model_validate({**incident.model_dump(), **changes})


def totals(resources, prediction: ExtractionResult) -> dict[str, float | None]:
    gold, quiet = gold_record(), quiet_record()
    evaluation = evaluate([gold, quiet], {gold.article.id: prediction,
                                          quiet.article.id: ExtractionResult()}, *resources)
    return {name: score.value for name, score in evaluation.totals.items()}


def perfect() -> ExtractionResult:
    gold = gold_record()
    return ExtractionResult(incidents=gold.incidents, actors=gold.actors)


def changed(resources, prediction: ExtractionResult) -> dict[str, float | None]:
    """The fields whose score differs from a perfect prediction's, with their new values."""
    baseline = totals(resources, perfect())
    after = totals(resources, prediction)
    return {name: after[name] for name in FIELDS if after[name] != baseline[name]}


def test_perfect_prediction_scores_one_everywhere(resources):
    scores = totals(resources, perfect())
    assert set(scores) == set(FIELDS)
    assert scores == {name: 1.0 for name in FIELDS}


def test_scores_say_how_many_items_they_are_over(resources):
    gold, quiet = gold_record(), quiet_record()
    result = evaluate([gold, quiet], {gold.article.id: perfect(),
                                      quiet.article.id: ExtractionResult()}, *resources).totals
    assert result["event_type"].n == 3  # paired incidents
    assert result["incidents.precision"].n == 3  # predicted incidents
    assert result["actors.recall"].n == 4  # gold actors
    assert result["evidence.aligned"].n == 4  # quotes


def test_dropping_an_incident_lowers_recall_only(resources):
    prediction = ExtractionResult(incidents=[ambush(), bombing()], actors=actors())
    moved = changed(resources, prediction)
    assert moved == {"incidents.recall": pytest.approx(2 / 3),
                     "incidents.f1": pytest.approx(4 / 5)}


def test_a_spurious_incident_lowers_precision_only(resources):
    riot = Incident(summary="Youths burned tyres in Gao.", event_type="riots",
                    sub_event_type="violent_demonstration", place="Gao", country="Mali",
                    geo_precision="place")
    prediction = ExtractionResult(incidents=[ambush(), bombing(), abduction(), riot],
                                  actors=actors())
    moved = changed(resources, prediction)
    assert moved == {"incidents.precision": pytest.approx(3 / 4),
                     "incidents.f1": pytest.approx(6 / 7)}


def test_a_changed_event_type_lowers_type_accuracy_only(resources):
    bomb = edit(bombing(), {"event_type": "violence_against_civilians",
                                        "sub_event_type": "attack"})
    prediction = ExtractionResult(incidents=[ambush(), bomb, abduction()], actors=actors())
    assert changed(resources, prediction) == {"event_type": pytest.approx(2 / 3),
                                              "sub_event_type": pytest.approx(2 / 3)}


def test_a_changed_sub_event_type_lowers_sub_type_accuracy_only(resources):
    bomb = edit(bombing(), {"sub_event_type": "shelling_artillery_missile_attack"})
    prediction = ExtractionResult(incidents=[ambush(), bomb, abduction()], actors=actors())
    assert changed(resources, prediction) == {"sub_event_type": pytest.approx(2 / 3)}


def test_a_date_outside_the_window_lowers_date_only(resources):
    late = edit(ambush(), {"date_start": date(2024, 7, 28),
                                       "date_end": date(2024, 7, 28)})
    prediction = ExtractionResult(incidents=[late, bombing(), abduction()], actors=actors())
    assert changed(resources, prediction) == {"date": pytest.approx(2 / 3)}


def test_a_date_inside_the_window_is_correct(resources):
    exact = edit(ambush(), {"date_start": date(2024, 7, 26),
                                        "date_end": date(2024, 7, 26)})
    prediction = ExtractionResult(incidents=[exact, bombing(), abduction()], actors=actors())
    assert changed(resources, prediction) == {}


def test_a_swapped_actor_lowers_actor_scores_only(resources):
    # The background abduction was by ISGS, says the prediction; gold says JNIM.
    swapped = edit(abduction(), {"perpetrators": ["ISGS"]})
    isgs = Actor(name="Islamic State in the Greater Sahara", aliases=["ISGS"],
                 actor_type="rebel_group")
    prediction = ExtractionResult(incidents=[ambush(), bombing(), swapped],
                                  actors=[*actors(), isgs])
    moved = changed(resources, prediction)
    assert set(moved) == {"perpetrators", "actors.precision", "actors.f1"}
    assert moved["perpetrators"] == pytest.approx(2 * 1 / (2 + 2))
    assert moved["actors.precision"] == pytest.approx(4 / 5)


def test_an_alias_or_canonical_name_is_not_a_miss(resources):
    # The model names JNIM by another alias and FAMa by its acronym; both are gold aliases.
    renamed = edit(ambush(), {"perpetrators": ["GSIM"], "claimed_by": ["GSIM"],
                                          "targets": ["FAMa", "Wagner"]})
    prediction = ExtractionResult(
        incidents=[renamed, bombing(), abduction()],
        actors=[Actor(name="GSIM", aliases=["JNIM"], actor_type="rebel_group"), *actors()[1:]])
    assert changed(resources, prediction) == {}


def test_gazetteer_filled_region_counts_as_resolved_not_raw(resources):
    # The model writes admin1 'Kidal' where the article names none; the gazetteer fills the
    # same on the gold side, so the resolved admin1 agrees and the raw one does not.
    said = edit(ambush(), {"admin1": "Kidal"})
    prediction = ExtractionResult(incidents=[said, bombing(), abduction()], actors=actors())
    assert changed(resources, prediction) == {"admin1.raw": pytest.approx(2 / 3)}


def test_fatalities_and_claims(resources):
    # 'at least 15': any derived figure of 15 or more is inside the gold range.
    more = edit(ambush(), {"casualties": [
        CasualtyClaim(kind="killed", count_text="20", count_min=20, count_max=20,
                      victims="FAMa", source="AFP")]})
    prediction = ExtractionResult(incidents=[more, bombing(), abduction()], actors=actors())
    assert changed(resources, prediction) == {}
    # 'three' civilians where gold says four: both the fatality figure and the claim miss.
    three = edit(bombing(), {"casualties": [
        CasualtyClaim(kind="killed", count_text="three", count_min=3, count_max=3,
                      victims="civilians")]})
    prediction = ExtractionResult(incidents=[ambush(), three, abduction()], actors=actors())
    moved = changed(resources, prediction)
    assert moved == {"fatalities": pytest.approx(2 / 3), "casualties": pytest.approx(2 / 4)}


def test_fatality_range_bounds(resources):
    gold = evaluate_article(gold_record(), None, *resources).gold
    assert fatality_range(gold.incidents[0]) == (15, math.inf)  # 'at least 15'
    assert fatality_range(gold.incidents[1]) == (4, 4)
    assert fatality_range(gold.incidents[2]) == (0, 0)


def test_weapons_are_compared_as_tokens(resources):
    fewer = edit(ambush(), {"weapons": ["Drones"]})
    prediction = ExtractionResult(incidents=[fewer, bombing(), abduction()], actors=actors())
    moved = changed(resources, prediction)
    assert set(moved) == {"weapons"}
    # gold tokens: drones, explosives, laden, vehicles, roadside, bomb; predicted: drones, ...
    assert moved["weapons"] == pytest.approx(2 * 3 / (3 + 6))


def test_unaligned_evidence_lowers_alignment_rate(resources):
    invented = edit(bombing(), {"evidence": [
        "A convoy of the gendarmerie was hit by artillery near Gao on Monday evening."]})
    prediction = ExtractionResult(incidents=[ambush(), invented, abduction()], actors=actors())
    moved = changed(resources, prediction)
    assert moved["evidence.aligned"] == pytest.approx(3 / 4)
    assert set(moved) == {"evidence.aligned"}


def test_failed_extraction_is_scored_as_empty_and_reported(resources):
    gold = gold_record()
    evaluation = evaluate([gold], {gold.article.id: None}, *resources)
    assert [a.status for a in evaluation.articles] == ["failed"]
    assert evaluation.totals["incidents.recall"].value == 0.0
    assert evaluation.totals["incidents.precision"].value is None
    assert "unscored" in evaluation.totals["event_type"].explanation


def test_a_scorer_error_is_recorded_not_raised(resources, monkeypatch):
    from extractor.evals import scorers

    def broken(case: ArticleCase) -> Score:
        raise RuntimeError("boom")

    monkeypatch.setitem(scorers.SCORERS, "event_type", broken)
    result = evaluate_article(gold_record(), perfect(), *resources)
    assert not result.scores["event_type"].scored
    assert "RuntimeError: boom" in result.scores["event_type"].explanation
    assert result.scores["date"].value == 1.0
    assert score_case  # the public entry point used above


def test_explanations_name_the_mismatch(resources):
    bomb = edit(bombing(), {"event_type": "violence_against_civilians",
                                        "sub_event_type": "attack"})
    prediction = ExtractionResult(incidents=[ambush(), bomb, abduction()], actors=actors())
    result = evaluate_article(gold_record(), prediction, *resources)
    text = result.scores["event_type"].explanation
    assert "2/3" in text and "violence_against_civilians vs gold explosions_remote_violence" \
        in text
