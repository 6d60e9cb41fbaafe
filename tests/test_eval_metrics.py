"""Micro averages, the paired bootstrap, the gate rules and gold loading."""

from __future__ import annotations

import random
import statistics

import pytest
from eval_cases import gold_record, quiet_record

from extractor.evals.dataset import GoldError, load_gold
from extractor.evals.gate import check_gate, field_name, parse_rule
from extractor.evals.metrics import micro, paired_bootstrap
from extractor.evals.scorers import Score


def test_micro_adds_numerators_and_denominators_and_skips_unscored():
    per_article = [
        {"f": Score(1, 2), "g": Score.unscored("nothing")},
        {"f": Score(3, 3), "g": Score.unscored("nothing")},
        {"f": Score.unscored("nothing"), "g": Score.unscored("nothing")},
    ]
    totals = micro(per_article)
    assert totals["f"].value == pytest.approx(4 / 5)
    assert totals["f"].explanation == "micro average over 2 of 3 articles"
    assert totals["g"].value is None
    assert "unscored in all 3 articles" in totals["g"].explanation


def synthetic_runs(n: int, p_before: float, p_after: float, seed: int):
    rng = random.Random(seed)
    before, after = {}, {}
    for index in range(n):
        total = rng.randint(1, 4)
        before[f"a{index}"] = {"x": (sum(rng.random() < p_before for _ in range(total)), total)}
        after[f"a{index}"] = {"x": (sum(rng.random() < p_after for _ in range(total)), total)}
    return before, after


def test_bootstrap_is_deterministic_and_contains_the_difference():
    before, after = synthetic_runs(200, 0.5, 0.7, seed=1)
    first = paired_bootstrap(before, after, ["x"])["x"]
    second = paired_bootstrap(before, after, ["x"])["x"]
    assert first == second
    assert first.low < first.diff < first.high
    assert first.significant  # a 20-point gain on 200 articles
    other_seed = paired_bootstrap(before, after, ["x"], seed=7)["x"]
    assert other_seed.diff == first.diff
    assert (other_seed.low, other_seed.high) != (first.low, first.high)


def test_bootstrap_of_identical_runs_is_zero():
    before, _ = synthetic_runs(50, 0.5, 0.5, seed=2)
    result = paired_bootstrap(before, before, ["x"])["x"]
    assert result.diff == result.low == result.high == 0.0
    assert not result.significant


def test_bootstrap_pairs_articles_and_reports_unscoreable_fields():
    before = {"a": {"x": (1, 2), "y": (0, 0)}, "b": {"x": (2, 2), "y": (0, 0)}, "only": {}}
    after = {"a": {"x": (2, 2), "y": (1, 1)}, "b": {"x": (2, 2), "y": (1, 1)}}
    result = paired_bootstrap(before, after, ["x", "y"], resamples=200)
    assert result["x"].articles == 2
    assert result["x"].diff == pytest.approx(1 - 3 / 4)
    assert result["y"].diff is None and result["y"].low is None


def test_bootstrap_agrees_with_a_direct_computation():
    """The packed-integer sums give what summing each resample directly gives."""
    before, after = synthetic_runs(30, 0.4, 0.6, seed=3)
    result = paired_bootstrap(before, after, ["x"], resamples=300, seed=11)["x"]
    rng = random.Random(11)
    articles = sorted(before)
    diffs = []
    for _ in range(300):
        drawn = [articles[i] for i in rng.choices(range(len(articles)), k=len(articles))]
        nb = sum(before[a]["x"][0] for a in drawn)
        db = sum(before[a]["x"][1] for a in drawn)
        na = sum(after[a]["x"][0] for a in drawn)
        da = sum(after[a]["x"][1] for a in drawn)
        diffs.append(na / da - nb / db)
    cuts = statistics.quantiles(diffs, n=40, method="inclusive")  # 2.5% steps
    assert result.low == pytest.approx(cuts[0], abs=1e-12)
    assert result.high == pytest.approx(cuts[-1], abs=1e-12)


def test_gate_rules():
    assert parse_rule("incidents.f1=0.5") == ("incidents.f1", 0.5)
    assert parse_rule("fields.date=0.25") == ("date", 0.25)
    assert field_name("actors.recall") == "actors.recall"
    with pytest.raises(ValueError, match="unknown field 'dates'"):
        parse_rule("dates=0.5")
    totals = {"incidents.f1": Score(4, 10), "date": Score.unscored("no paired incidents")}
    result = check_gate(totals, [("incidents.f1", 0.5), ("date", 0.1)])
    assert result.passed is False
    assert result.failures == ["incidents.f1 is 0.400, below the floor 0.500",
                               "date could not be scored (no paired incidents); floor 0.100"]
    assert check_gate(totals, [("incidents.f1", 0.4)]).passed is True
    assert check_gate(totals).passed is None
    no_comparison = check_gate(totals, max_drop=[("incidents.f1", 0.1)])
    assert no_comparison.passed is True and "not checked" in no_comparison.notes[0]


def test_load_gold_file_and_folder(tmp_path):
    (tmp_path / "b.jsonl").write_text(gold_record().model_dump_json() + "\n\n",
                                      encoding="utf-8")
    (tmp_path / "a.jsonl").write_text(quiet_record().model_dump_json() + "\n",
                                      encoding="utf-8")
    folder = load_gold(tmp_path)
    assert [r.article.title for r in folder.records] == ["Budget", "Ambush near Tinzaouaten"]
    assert folder.origins[gold_record().article.id] == f"{tmp_path / 'b.jsonl'}:1"
    assert folder.label == str(tmp_path)
    single = load_gold(tmp_path / "b.jsonl")
    assert single.sha256 != folder.sha256
    assert load_gold(tmp_path / "b.jsonl").sha256 == single.sha256


@pytest.mark.parametrize("content, message", [
    ("{not json", ":1: not valid JSON"),
    ('{"article": {"id": "x", "text": "t"}, "incidents": [{"summary": "s"}]}',
     ":1: incidents[0].event_type: required field is missing"),
    ('{"article": {"id": "x", "text": "t"}, "extra": 1}',
     ":1: extra: unknown field: not part of the gold format"),
])
def test_load_gold_names_file_and_line(tmp_path, content, message):
    path = tmp_path / "gold.jsonl"
    path.write_text(content + "\n", encoding="utf-8")
    with pytest.raises(GoldError) as error:
        load_gold(path)
    assert str(error.value).startswith(f"{path}{message}")


def test_load_gold_rejects_duplicates_and_empty_input(tmp_path):
    line = gold_record().model_dump_json()
    path = tmp_path / "gold.jsonl"
    path.write_text(f"{line}\n{line}\n", encoding="utf-8")
    with pytest.raises(GoldError, match=r"gold.jsonl:2: article.id: article id '\w+' is already "
                                        r"used at .*gold.jsonl:1"):
        load_gold(path)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(GoldError, match=r"no \*\.json or \*\.jsonl gold files"):
        load_gold(empty)
    with pytest.raises(GoldError, match="no such file"):
        load_gold(tmp_path / "missing.jsonl")
