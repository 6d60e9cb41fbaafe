"""`extractor eval` end to end: pipeline, cache, report, stored tables, comparison, gate."""

from __future__ import annotations

import json
from typing import Any

import pytest
import sqlite_utils
from click.testing import CliRunner
from eval_cases import actors, ambush, bombing, gold_record, quiet_record

from extractor.backend import BackendResult
from extractor.cli import cli
from extractor.evals import cli as eval_cli
from extractor.schemas import Article, ExtractionResult, article_id_for


class ScriptedBackend:
    """A backend that answers from a dict (article id -> result); counts its calls."""

    prompt_name = "scripted"
    prompt_hash = "scripted0001"
    schema_hash = "schema000001"

    def __init__(self, model: str, answers: dict[str, ExtractionResult | None]):
        self.model = model
        self.answers = answers
        self.calls: list[str] = []

    def params(self) -> dict[str, Any]:
        return {}

    async def extract(self, article: Article) -> BackendResult:
        self.calls.append(article.id)
        result = self.answers.get(article.id)
        if result is None:
            return BackendResult(result=None, error="scripted failure", error_kind="validation")
        return BackendResult(result=result, raw_response=result.model_dump_json())

    async def aclose(self) -> None:
        return None


@pytest.fixture
def gold_file(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(r.model_dump_json() + "\n"
                            for r in (gold_record(), quiet_record())), encoding="utf-8")
    return path


@pytest.fixture
def backends(monkeypatch):
    """Model name -> scripted backend; `perfect` echoes the gold, `worse` drops an incident
    and fails the quiet article."""
    gold, quiet = gold_record(), quiet_record()
    made: list[ScriptedBackend] = []
    answers = {
        "perfect": {gold.article.id: ExtractionResult(incidents=gold.incidents,
                                                      actors=gold.actors),
                    quiet.article.id: ExtractionResult()},
        "worse": {gold.article.id: ExtractionResult(incidents=[ambush(), bombing()],
                                                    actors=actors()),
                  quiet.article.id: None},
    }

    def build(model_config, run_config, resources):
        made.append(ScriptedBackend(model_config.model, answers[model_config.model]))
        return made[-1]

    monkeypatch.setattr(eval_cli, "build_backend", build)
    return made


def run(*args: str) -> Any:
    return CliRunner().invoke(cli, ["eval", *args], catch_exceptions=False)


def calls(backends: list[ScriptedBackend], model: str) -> list[int]:
    return [len(b.calls) for b in backends if b.model == model]


def test_eval_runs_stores_and_compares(gold_file, tmp_path, backends):
    db = tmp_path / "eval.db"
    first = run(str(gold_file), "--model", "perfect", "--db", str(db), "-q")
    assert first.exit_code == 0, first.output
    assert "No earlier eval run" in first.stdout
    assert "incidents.f1" in first.stdout and "1.000" in first.stdout

    second = run(str(gold_file), "--model", "perfect", "--db", str(db), "-q", "--json")
    assert second.exit_code == 0, second.output
    report = json.loads(second.stdout)
    assert calls(backends, "perfect") == [2, 0]  # the second eval hit the cache
    assert {"run", "incidents", "actors", "fields", "comparison"} <= set(report)
    assert report["incidents"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert set(report["actors"]) == {"precision", "recall", "f1", "actor_type"}
    assert report["fields"]["event_type"]["score"] == 1.0
    assert report["comparison"]["eval_run_id"] == 1
    assert report["comparison"]["worse"] == []
    assert report["run"]["eval_run_id"] == 2

    database = sqlite_utils.Database(db)
    runs = list(database["eval_runs"].rows)
    assert [r["against_eval_run_id"] for r in runs] == [None, 1]
    assert runs[0]["model"] == "perfect" and runs[0]["prompt_hash"] == "scripted0001"
    assert runs[0]["extraction_run_id"] is not None and runs[0]["gold_hash"]
    assert runs[0]["incidents_f1"] == 1.0
    assert database["eval_scores"].count == 2 * len(report["fields"])
    assert database["eval_article_scores"].count == 2 * 2 * len(report["fields"])
    assert database["eval_articles"].count == 4
    assert {r["status"] for r in database["eval_pairs"].rows} == {"paired"}


def test_worse_run_leads_the_report_and_breaks_the_gate(gold_file, tmp_path, backends):
    db = tmp_path / "eval.db"
    assert run(str(gold_file), "-m", "perfect", "--db", str(db), "-q").exit_code == 0
    worse = run(str(gold_file), "-m", "worse", "--db", str(db), "-q",
                "--max-drop", "incidents.recall=0.1", "--fail-under", "incidents.precision=0.9")
    assert worse.exit_code == 1
    text = worse.stdout
    assert text.index("WORSE against eval run #1") < text.index("Scores (micro")
    assert "incidents.recall" in text.split("Scores (micro")[0]
    assert "1 article(s) without a prediction" in text
    assert "missed gold #2" in text  # the dropped background abduction, with its reason
    assert "Gate failed: incidents.recall dropped by 0.333" in worse.stderr
    database = sqlite_utils.Database(db)
    assert [r["gate"] for r in database["eval_runs"].rows] == [None, "failed"]
    statuses = {r["article_id"]: r["status"] for r in database["eval_articles"].rows
                if r["eval_run_id"] == 2}
    assert statuses[quiet_record().article.id] == "failed"


def test_gate_passes_and_fails_on_floors(gold_file, tmp_path, backends):
    db = tmp_path / "eval.db"
    passed = run(str(gold_file), "-m", "perfect", "--db", str(db), "-q",
                 "--fail-under", "incidents.f1=1.0", "--fail-under", "fields.event_type=0.9")
    assert passed.exit_code == 0, passed.output
    assert "Gate: passed." in passed.stdout
    failed = run(str(gold_file), "-m", "worse", "--db", str(db), "-q", "--json",
                 "--fail-under", "incidents.recall=0.9")
    assert failed.exit_code == 1
    assert json.loads(failed.stdout)["gate"]["passed"] is False
    assert "incidents.recall is 0.667, below the floor 0.900" in failed.stderr


@pytest.mark.parametrize("rule, message", [
    ("incidents.f2=0.5", "unknown field 'incidents.f2'"),
    ("incidents.f1", "is not FIELD=VALUE"),
    ("incidents.f1=high", "is not a number"),
    ("incidents.f1=1.5", "not between 0 and 1"),
])
def test_bad_gate_rules_are_usage_errors(gold_file, tmp_path, backends, rule, message):
    result = run(str(gold_file), "-m", "perfect", "--db", str(tmp_path / "e.db"),
                 "--fail-under", rule)
    assert result.exit_code == 2
    assert message in result.output
    assert backends == []  # nothing ran


def test_rescore_builds_no_backend(gold_file, tmp_path, backends, monkeypatch):
    db = tmp_path / "eval.db"
    assert run(str(gold_file), "-m", "worse", "--db", str(db), "-q").exit_code == 0

    def no_backend(*args: Any) -> None:
        raise AssertionError("a rescore must not build a backend")

    monkeypatch.setattr(eval_cli, "build_backend", no_backend)
    again = run(str(gold_file), "--db", str(db), "--rescore", "1", "--json")
    assert again.exit_code == 0, again.output
    report = json.loads(again.stdout)
    assert report["run"]["command"] == "rescore"
    assert report["run"]["rescored_eval_run_id"] == 1
    assert report["run"]["model"] == "worse"
    assert report["incidents"]["recall"] == pytest.approx(2 / 3)
    assert report["comparison"]["worse"] == []  # same predictions, same scores
    missing = run(str(gold_file), "--db", str(db), "--rescore", "9")
    assert missing.exit_code == 1 and "no eval run #9" in missing.output


def test_against_names_the_comparison_run(gold_file, tmp_path, backends):
    db = tmp_path / "eval.db"
    for model in ("worse", "perfect", "perfect"):
        assert run(str(gold_file), "-m", model, "--db", str(db), "-q").exit_code == 0
    report = json.loads(run(str(gold_file), "-m", "perfect", "--db", str(db), "-q", "--json",
                            "--against", "1").stdout)
    assert report["comparison"]["eval_run_id"] == 1
    recall = report["comparison"]["fields"]["incidents.recall"]
    assert recall["diff"] == pytest.approx(1 / 3)
    assert recall["ci_low"] <= recall["diff"] <= recall["ci_high"]
    unknown = run(str(gold_file), "-m", "perfect", "--db", str(db), "--against", "42")
    assert unknown.exit_code == 1 and "no eval run #42" in unknown.output


def test_bad_gold_line_names_file_and_line(tmp_path, backends):
    path = tmp_path / "gold.jsonl"
    good = gold_record().model_dump_json()
    path.write_text(good + "\n" + '{"article": {"id": "x", "text": ""}}\n', encoding="utf-8")
    result = run(str(path), "-m", "perfect", "--db", str(tmp_path / "e.db"))
    assert result.exit_code == 1
    assert f"{path}:2: article.text: article text is empty" in result.output


def test_rescore_with_a_grown_gold_file_reports_the_new_article_missing(gold_file, tmp_path,
                                                                        backends):
    db = tmp_path / "eval.db"
    assert run(str(gold_file), "-m", "perfect", "--db", str(db), "-q").exit_code == 0
    extra = gold_record().model_copy(deep=True)
    text = extra.article.text + " Added later."
    added = article_id_for(text)
    extra.article = extra.article.model_copy(update={"id": added, "text": text,
                                                     "title": "Added later"})
    with gold_file.open("a", encoding="utf-8") as handle:
        handle.write(extra.model_dump_json() + "\n")
    result = run(str(gold_file), "--db", str(db), "--rescore", "1")
    assert result.exit_code == 0, result.output
    assert f"{added} (missing)" in result.stdout
    assert "No earlier eval run" in result.stdout  # the gold hash changed
    database = sqlite_utils.Database(db)
    assert [r["articles_missing"] for r in database["eval_runs"].rows] == [0, 1]
