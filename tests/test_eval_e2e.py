"""`extractor eval` with real backends: the offline baseline, and a model behind the fake
OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import json

import sqlite_utils
from click.testing import CliRunner
from eval_cases import gold_record, quiet_record

from extractor.cli import cli

CLEAN_ENV = {"EXTRACTOR_MODEL": None, "OPENAI_API_KEY": None, "OPENAI_BASE_URL": None,
             "EXTRACTOR_DB": None, "EXTRACTOR_MODE": None}


def run(*args: str):
    return CliRunner(env=CLEAN_ENV).invoke(cli, ["eval", *args], catch_exceptions=False)


def write_gold(path):
    path.write_text("".join(r.model_dump_json() + "\n" for r in (gold_record(), quiet_record())),
                    encoding="utf-8")
    return path


def test_baseline_eval_report_tables_and_comparison(tmp_path):
    gold, db = write_gold(tmp_path / "gold.jsonl"), tmp_path / "eval.db"
    first = run(str(gold), "--model", "baseline", "--db", str(db), "-q")
    assert first.exit_code == 0, first.output
    assert "offline baseline" in first.stderr
    assert first.stdout.startswith("Eval run #1: baseline")
    assert "Scores (micro averages over 2 articles" in first.stdout

    second = run(str(gold), "--model", "baseline", "--db", str(db), "-q", "--json")
    assert second.exit_code == 0, second.output
    report = json.loads(second.stdout)
    assert {"run", "incidents", "actors", "fields", "comparison"} <= set(report)
    for section in ("incidents", "actors"):
        assert {"precision", "recall", "f1"} <= set(report[section])
    assert report["comparison"]["eval_run_id"] == 1
    assert report["comparison"]["worse"] == []  # same extractions, from the cache
    assert all(d["diff"] in (0.0, None) for d in report["comparison"]["fields"].values())

    database = sqlite_utils.Database(db)
    runs = list(database.query("select command, articles_extracted, articles_skipped "
                               "from runs order by id"))
    assert runs == [{"command": "eval", "articles_extracted": 2, "articles_skipped": 0},
                    {"command": "eval", "articles_extracted": 0, "articles_skipped": 2}]
    eval_runs = list(database["eval_runs"].rows)
    assert [r["extraction_run_id"] for r in eval_runs] == [1, 2]
    assert {r["model"] for r in eval_runs} == {"baseline"}
    assert database["eval_pairs"].count >= 3  # every gold incident, paired or not


def test_eval_against_a_model_on_the_fake_server(tmp_path, fake_openai):
    record, quiet = gold_record(), quiet_record()
    answer = {"incidents": [i.model_dump(mode="json") for i in record.incidents],
              "actors": [a.model_dump(mode="json") for a in record.actors]}
    fake_openai.script("Tinzaouaten late last week", [{"kind": "ok", "result": answer}])
    fake_openai.script("transitional government", ["invalid"] * 6)
    gold, db = write_gold(tmp_path / "gold.jsonl"), tmp_path / "eval.db"
    args = (str(gold), "--model", "fake-model", "--base-url", fake_openai.base_url,
            "--api-key", "sk-test", "--db", str(db), "-q", "--validation-retries", "0",
            "--max-retries", "0", "--json", "--fail-under", "incidents.f1=0.9")

    first = run(*args)
    assert first.exit_code == 0, first.output
    report = json.loads(first.stdout)
    assert report["run"]["model"] == "fake-model"
    assert report["incidents"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert report["fields"]["casualties"]["score"] == 1.0
    statuses = {a["id"]: a["status"] for a in report["articles"]}
    assert statuses == {record.article.id: "ok", quiet.article.id: "failed"}
    assert report["gate"]["passed"] is True
    calls = fake_openai.calls("Tinzaouaten late last week")
    assert calls == 1

    second = run(*args)
    assert second.exit_code == 0, second.output
    assert fake_openai.calls("Tinzaouaten late last week") == calls  # served from the store
    assert json.loads(second.stdout)["comparison"]["worse"] == []
