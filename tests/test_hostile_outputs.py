"""Hostile model answers: out of every bound the schema sets, or holding text no database can.

Each is re-asked with the reason, then failed; it is never stored and never costs another
article. The fake server plays the model (tests/fakeserver.py); the pipeline runs in-process.
"""

from __future__ import annotations

import asyncio
import copy
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from extractor.config import ModelConfig, RunConfig
from extractor.intake.articles import read_articles
from extractor.pipeline import Resources, build_backend, run_pipeline
from extractor.schemas import MAX_CASUALTY_COUNT, MAX_INCIDENTS, MAX_NAME_CHARS, ExtractionResult
from extractor.store.database import Store

VALIDATION_RETRIES = 1


def text_for(marker: str) -> str:
    return (f"Gunmen attacked an army post near Ansongo on Monday, killing four soldiers, a "
            f"local official said. Reference {marker}.")


def good_result(marker: str) -> dict[str, Any]:
    return {
        "incidents": [{
            "summary": "Gunmen attacked an army post near Ansongo, killing four soldiers.",
            "event_type": "battles", "sub_event_type": "armed_clash",
            "date_text": "Monday", "date_start": "2024-06-24", "date_end": "2024-06-24",
            "place": "Ansongo", "country": "Mali", "geo_precision": "near_place",
            "targets": ["Malian army"],
            "casualties": [{"kind": "killed", "count_text": "four", "count_min": 4,
                            "count_max": 4, "victims": "Malian army"}],
            "evidence": [f"Reference {marker}"],
        }],
        "actors": [{"name": "Malian army", "actor_type": "state_forces", "country": "Mali"}],
    }


def spoil(marker: str, how: str) -> dict[str, Any]:
    """A copy of the good result with one hostile change."""
    result = copy.deepcopy(good_result(marker))
    incident = result["incidents"][0]
    if how == "count_1e20":
        incident["casualties"][0].update(count_min=10**20, count_max=10**20)
    elif how == "count_over_bound":
        incident["casualties"][0].update(count_min=MAX_CASUALTY_COUNT + 1, count_max=None)
    elif how == "ten_thousand_incidents":
        result["incidents"] = [incident] * 10_000
    elif how == "summary_megabytes":
        incident["summary"] = "Gunmen attacked. " * 120_000  # ~2 MB
    elif how == "year_0001":
        incident.update(date_start="0001-01-01", date_end="0001-01-02")
    elif how == "year_9999":
        incident.update(date_start="2024-06-24", date_end="9999-12-31")
    elif how == "lone_surrogate_name":
        result["actors"][0]["name"] = "Malian \ud800 army"
    elif how == "lone_surrogate_summary":
        incident["summary"] = "attack \udfff near Ansongo"
    elif how == "name_too_long":
        result["actors"][0]["name"] = "M" * (MAX_NAME_CHARS + 1)
    elif how == "too_many_aliases":
        result["actors"][0]["aliases"] = [f"alias {n}" for n in range(500)]
    elif how == "quote_flood":
        incident["evidence"] = [f"Reference {marker}"] * 1_000
    elif how == "place_megabyte":
        incident["place"] = "Ansongo" * 150_000
    else:
        raise AssertionError(how)
    return result


HOSTILE = ["count_1e20", "count_over_bound", "ten_thousand_incidents", "summary_megabytes",
           "year_0001", "year_9999", "lone_surrogate_name", "lone_surrogate_summary",
           "name_too_long", "too_many_aliases", "quote_flood", "place_megabyte"]


TOO_BIG_TO_REASK = {"ten_thousand_incidents", "summary_megabytes", "place_megabyte"}


def write_inputs(path: Path, markers: list[str]) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for marker in markers:
            handle.write(json.dumps({"title": f"Attack {marker}", "published": "2024-06-30",
                                     "text": text_for(marker)}) + "\n")
    return path


def run(fake: Any, source: Path, db: Path) -> Any:
    model = ModelConfig(model="fake-model", base_url=fake.base_url, api_key="sk-test",
                        timeout=10, max_retries=0, validation_retries=VALIDATION_RETRIES)
    config = RunConfig(db_path=db, concurrency=4)
    resources = Resources.load(config)
    backend = build_backend(model, config, resources)
    store = Store.open(db)
    try:
        return asyncio.run(run_pipeline(read_articles([source]), backend, store, resources,
                                        config, settings=model.public_settings()))
    finally:
        store.close()


def query(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


@pytest.mark.parametrize("how", HOSTILE)
def test_an_answer_out_of_bounds_is_reasked_then_failed_and_never_stored(fake_openai, tmp_path,
                                                                         how):
    markers = ["GOOD-1", "BAD-1", "GOOD-2"]
    for marker in ("GOOD-1", "GOOD-2"):
        fake_openai.script(marker, [{"kind": "ok", "result": good_result(marker)}])
    bad = {"kind": "ok", "result": spoil("BAD-1", how)}
    fake_openai.script("BAD-1", [bad] * (VALIDATION_RETRIES + 1))
    db = tmp_path / "x.db"

    summary = run(fake_openai, write_inputs(tmp_path / "in.jsonl", markers), db)

    assert summary.status == "completed" and summary.extracted == 2 and summary.failed == 1
    # Re-asked, then given up; an answer too big to send back within the input budget is not
    # re-asked at all (a re-ask carries the previous answer).
    asks = 1 if how in TOO_BIG_TO_REASK else VALIDATION_RETRIES + 1
    assert fake_openai.calls("BAD-1") == asks
    (status, kind, error, result), = query(
        db, "select e.status, e.error_kind, e.error, e.result_json from extractions e "
            "join articles a on a.id = e.article_id where a.text like '%BAD-1%'")
    if how == "ten_thousand_incidents":  # ~5 MB: over --max-response-bytes, never even parsed
        assert (status, kind, result) == ("failed", "transport", None)
        assert error and "--max-response-bytes" in error
    else:
        assert (status, kind, result) == ("failed", "validation", None)
        assert error and "validation error" in error
    # Nothing of the hostile answer reached the derived tables; the good ones are whole.
    assert query(db, "select count(*) from incidents")[0][0] == 2
    assert query(db, "select max(count_min) from casualties")[0][0] == 4
    assert query(db, "select max(length(summary)) from incidents")[0][0] < 200
    assert query(db, "select count(*) from actors where name like '%\ufffd%'")[0][0] == 0


def test_a_reask_after_an_out_of_bounds_answer_carries_the_bound_and_recovers(fake_openai,
                                                                              tmp_path):
    fake_openai.script("BAD-1", [{"kind": "ok", "result": spoil("BAD-1", "count_1e20")},
                                 {"kind": "ok", "result": good_result("BAD-1")}])
    db = tmp_path / "x.db"

    summary = run(fake_openai, write_inputs(tmp_path / "in.jsonl", ["BAD-1"]), db)

    assert summary.extracted == 1 and summary.failed == 0
    assert fake_openai.calls("BAD-1") == 2
    calls = query(db, "select ask, request_messages from model_calls order by attempt")
    assert [ask for ask, _ in calls] == [1, 2]
    assert str(MAX_CASUALTY_COUNT) in calls[1][1]  # the reason, as the model was told it
    assert query(db, "select count_min from casualties") == [(4,)]


def test_every_list_and_number_a_model_fills_is_bounded_in_the_schema_it_is_shown():
    """A grammar engine stops only on bounded lists; a validator alone would let it generate
    10,000 incidents before saying no. String lengths are bounded by validation instead (see
    extractor.schemas.bounds.at_most: xgrammar cannot write an escaped quotation mark inside a
    maxLength string), and a string that runs on stops at --max-tokens as truncated."""
    schema = ExtractionResult.model_json_schema()
    unbounded = []

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            if "$ref" in node:
                return
            kinds = node.get("type")
            if kinds == "array" and "maxItems" not in node:
                unbounded.append(where)
            if kinds == "string" and "maxLength" in node:
                unbounded.append(f"{where} (maxLength: xgrammar cannot follow it)")
            if kinds == "integer" and "maximum" not in node:
                unbounded.append(where)
            for key, value in node.items():
                walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{where}[{index}]")

    walk(schema, "$")
    assert unbounded == []
    assert schema["properties"]["incidents"]["maxItems"] == MAX_INCIDENTS
