"""Incident matching: the optimal assignment, the similarity and the threshold."""

from __future__ import annotations

import itertools
import random
from datetime import date

import pytest
from eval_cases import Q_AMBUSH, Q_BOMB, abduction, actors, ambush, article, bombing

from extractor.evals.matching import (
    THRESHOLD,
    WEIGHTS,
    ActorMap,
    assign,
    date_within,
    match_incidents,
    similarity,
)
from extractor.resolve.gazetteer import Gazetteer
from extractor.resolve.postprocess import process
from extractor.resolve.registry import ActorRegistry
from extractor.schemas import ExtractionResult, Incident


@pytest.fixture(scope="module")
def resources() -> tuple[ActorRegistry, Gazetteer]:
    return ActorRegistry.load(), Gazetteer.load()


def processed(resources, incidents: list[Incident]):
    return process(article(), ExtractionResult(incidents=incidents, actors=actors()), *resources)


def edit(incident: Incident, changes: dict) -> Incident:
    return Incident.model_validate({**incident.model_dump(), **changes})


def brute_force(weights: list[list[float]]) -> float:
    rows, cols = len(weights), len(weights[0]) if weights else 0
    best = 0.0
    if rows <= cols:
        for perm in itertools.permutations(range(cols), rows):
            best = max(best, sum(weights[i][perm[i]] for i in range(rows)))
    else:
        for perm in itertools.permutations(range(rows), cols):
            best = max(best, sum(weights[perm[j]][j] for j in range(cols)))
    return best


def test_weights_sum_to_one():
    assert sum(WEIGHTS.values()) == pytest.approx(1.0)


def test_assignment_beats_greedy_where_greedy_fails():
    # Greedy takes the best cell (0.9, row 0 -> col 0) and is left with 0.1 for row 1;
    # the optimum pairs row 0 with col 1 and row 1 with col 0: 0.8 + 0.85.
    weights = [[0.9, 0.8], [0.85, 0.1]]
    assert assign(weights) == [(0, 1), (1, 0)]


@pytest.mark.parametrize("shape", [(1, 1), (2, 3), (3, 2), (4, 4), (5, 3), (6, 6), (3, 7)])
def test_assignment_is_optimal_on_random_matrices(shape):
    rng = random.Random(sum(shape))
    for _ in range(25):
        weights = [[round(rng.random(), 3) if rng.random() > 0.3 else 0.0
                    for _ in range(shape[1])] for _ in range(shape[0])]
        chosen = assign(weights)
        assert len({r for r, _ in chosen}) == len(chosen) == len({c for _, c in chosen})
        assert sum(weights[r][c] for r, c in chosen) == pytest.approx(brute_force(weights))
        assert all(weights[r][c] > 0 for r, c in chosen)


def test_assignment_of_nothing():
    assert assign([]) == []
    assert assign([[], []]) == []
    assert assign([[0.0, 0.0]]) == []


def test_matching_pairs_one_to_one_optimally(resources):
    # Two predictions of the same place and day: the one that also agrees on type and actors
    # takes the ambush; the other may not take it too.
    gold = processed(resources, [ambush(), bombing()])
    vague = edit(ambush(), {"event_type": "explosions_remote_violence",
                            "sub_event_type": "remote_explosive_landmine_ied",
                            "perpetrators": [], "targets": ["civilians"], "evidence": []})
    pred = processed(resources, [vague, ambush()])
    matching = match_incidents(pred.incidents, gold.incidents, ActorMap(gold, pred))
    paired = {(p.pred, p.gold) for p in matching.paired}
    assert (1, 0) in paired
    assert all(p.gold != 0 or p.pred == 1 for p in matching.paired)
    assert sum(p.status in ("paired", "spurious") for p in matching.pairs) == 2


def test_an_unrelated_prediction_stays_unpaired_with_a_reason(resources):
    gold = processed(resources, [bombing()])
    riot = Incident(summary="Youths burned tyres in Niamey.", event_type="riots",
                    sub_event_type="violent_demonstration", place="Niamey", country="Niger",
                    date_start=date(2025, 1, 2), date_end=date(2025, 1, 2),
                    geo_precision="place")
    pred = processed(resources, [riot])
    actor_map = ActorMap(gold, pred)
    s = similarity(pred.incidents[0], gold.incidents[0], actor_map)
    assert s.value < THRESHOLD
    matching = match_incidents(pred.incidents, gold.incidents, actor_map)
    assert [p.status for p in matching.pairs] == ["missed", "spurious"]
    assert "below threshold" in matching.pairs[0].reason


def test_similarity_components(resources):
    gold = processed(resources, [ambush()])
    # Same region (Kidal, via the gazetteer) but another town, same type, other sub-type.
    other = edit(ambush(), {"place": "Kidal", "sub_event_type":
                            "non_state_actor_overtakes_territory", "evidence": [
                                "JNIM claimed responsibility for the attack"]})
    pred = processed(resources, [other])
    s = similarity(pred.incidents[0], gold.incidents[0], ActorMap(gold, pred))
    assert s.components["place"] == 0.5
    assert s.components["event_type"] == 0.75
    assert s.components["actors"] == 1.0
    assert s.components["date"] == 1.0
    # Evidence: the claim sentence is one of the two gold spans.
    assert 0 < s.components["evidence"] < 1


def test_date_rule(resources):
    gold = processed(resources, [ambush(), edit(ambush(), {"date_start": None,
                                                           "date_end": None})])
    window, undated = gold.incidents
    inside = processed(resources, [edit(ambush(), {"date_start": date(2024, 7, 25),
                                                   "date_end": date(2024, 7, 25)})]).incidents[0]
    wider = processed(resources, [edit(ambush(), {"date_start": date(2024, 7, 20),
                                                  "date_end": date(2024, 7, 27)})]).incidents[0]
    none = processed(resources, [edit(ambush(), {"date_start": None,
                                                 "date_end": None})]).incidents[0]
    assert date_within(inside, window)
    assert not date_within(wider, window)
    assert not date_within(none, window)
    assert date_within(none, undated)
    assert not date_within(inside, undated)


def test_abduction_does_not_pair_with_ambush(resources):
    gold = processed(resources, [abduction()])
    pred = processed(resources, [ambush()])
    assert match_incidents(pred.incidents, gold.incidents, ActorMap(gold, pred)).paired == []


def test_incident_matching_where_greedy_fails(resources):
    # pred 0 is most like the ambush (0.57) but also like the bombing (0.48); pred 1 is like
    # the ambush only (0.53). Greedy pairs pred 0 with the ambush and leaves pred 1 and the
    # bombing unpaired; the optimal assignment pairs both.
    gold = processed(resources, [ambush(), bombing()])
    mixed = edit(bombing(), {"place": "Tinzaouaten", "date_start": date(2024, 7, 20),
                             "date_end": date(2024, 7, 27), "perpetrators": ["JNIM"],
                             "targets": ["Malian Armed Forces", "Wagner Group", "civilians"],
                             "evidence": [Q_AMBUSH, Q_BOMB]})
    elsewhere = edit(ambush(), {"place": "Kidal", "date_start": date(2024, 6, 1),
                                "date_end": date(2024, 6, 1), "evidence": []})
    pred = processed(resources, [mixed, elsewhere])
    actor_map = ActorMap(gold, pred)
    table = [[similarity(p, g, actor_map).value for g in gold.incidents]
             for p in pred.incidents]
    best = max((v, i, j) for i, row in enumerate(table) for j, v in enumerate(row))
    assert best[1:] == (0, 0)  # what greedy would take first
    assert table[1][1] < THRESHOLD <= min(table[0][1], table[1][0])
    matching = match_incidents(pred.incidents, gold.incidents, actor_map)
    assert sorted((p.pred, p.gold) for p in matching.paired) == [(0, 1), (1, 0)]
    assert {p.status for p in matching.pairs} == {"paired"}
