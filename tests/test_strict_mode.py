"""--strict: the strict schema sent in tools and json_schema modes, against the fake server.

The fake server checks every ``strict: true`` schema against OpenAI's strict-mode rules
(tests/strictrules.py, written from OpenAI's documentation) and refuses a violation with
OpenAI's 400, so one accepted request here means the schema we send passes those rules.
"""

from __future__ import annotations

import json
from contextlib import closing
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from extractor.cli import cli, resolve_configs
from extractor.config import ConfigError, ModelConfig, RunConfig, load_config_file
from extractor.model.llm import build_llm_backend
from extractor.schemas import ExtractionResult, extraction_json_schema, schema_hash
from extractor.schemas.strict import strict_json_schema, strict_schema_hash
from extractor.store.database import open_db

CLEAN_ENV = {"EXTRACTOR_MODEL": None, "OPENAI_API_KEY": None, "OPENAI_BASE_URL": None,
             "EXTRACTOR_DB": None, "EXTRACTOR_MODE": None, "EXTRACTOR_CONFIG": None,
             "EXTRACTOR_PRICES": None}
TEXT = ("JNIM fighters attacked an army post near Bandiagara on Monday, killing four soldiers, "
        "the army said. The attackers fled on motorbikes.")

# One answer as a model under the normal schema writes it: optional fields left out.
SPARSE = {
    "incidents": [{
        "summary": "JNIM fighters attacked an army post near Bandiagara, killing four soldiers.",
        "event_type": "battles", "sub_event_type": "armed_clash", "date_text": "on Monday",
        "place": "Bandiagara", "country": "Mali", "geo_precision": "near_place",
        "perpetrators": ["JNIM"], "targets": ["Malian Armed Forces"],
        "casualties": [{"kind": "killed", "count_text": "four", "count_min": 4,
                        "count_max": 4, "victims": "soldiers", "source": "army"}],
        "weapons": ["small_arms"],
        "evidence": ["JNIM fighters attacked an army post near Bandiagara on Monday, "
                     "killing four soldiers"],
    }],
    "actors": [{"name": "JNIM", "actor_type": "rebel_group"},
               {"name": "Malian Armed Forces", "actor_type": "state_forces", "country": "Mali"}],
}
# The same answer as strict decoding writes it: every property present, absent ones null.
FULL = ExtractionResult.model_validate(SPARSE).model_dump(mode="json")


def cli_run(*args: str) -> Any:
    return CliRunner(env=CLEAN_ENV).invoke(cli, list(args), catch_exceptions=False)


def test_the_two_answers_differ_only_in_form():
    assert FULL != SPARSE and FULL["incidents"][0]["admin1"] is None
    assert ExtractionResult.model_validate(FULL) == ExtractionResult.model_validate(SPARSE)


@pytest.mark.parametrize("mode,where", [("tools", "tools"), ("json_schema", "response_format")])
def test_strict_request_passes_openais_rules_in_one_request(fake_openai, tmp_path, mode, where):
    article = tmp_path / "a.txt"
    article.write_text(f"Title: Post attacked\n\n{TEXT} Ref S-{mode}.\n", encoding="utf-8")
    fake_openai.script(f"S-{mode}", [{"kind": "ok", "result": FULL}])
    db = tmp_path / "s.db"
    result = cli_run("extract", str(article), "--db", str(db), "-m", "fake-model",
                     "--base-url", fake_openai.base_url, "--mode", mode, "--strict", "-q")
    assert result.exit_code == 0, result.output
    assert "strict schema" in result.stderr
    assert fake_openai.calls(f"S-{mode}") == 1  # not refused, not re-asked
    body = fake_openai.requests(f"S-{mode}")[0]["body"]
    if where == "tools":
        function = body["tools"][0]["function"]
        assert function["strict"] is True and function["parameters"] == strict_json_schema()
        assert body["tool_choice"]["function"]["name"] == function["name"]
    else:
        spec = body["response_format"]["json_schema"]
        assert spec["strict"] is True and spec["schema"] == strict_json_schema()
    with closing(open_db(db)) as conn:
        row = next(conn["extractions"].rows)
        assert row["status"] == "ok" and row["schema_hash"] == strict_schema_hash()
        assert json.loads(next(conn["runs"].rows)["settings"])["strict"] is True


def test_the_fake_refuses_the_normal_schema_marked_strict(fake_openai):
    """The check above can fail: the schema instructor writes is refused under strict."""
    body = {"model": "m", "messages": [{"role": "user", "content": "x"}],
            "response_format": {"type": "json_schema", "json_schema": {
                "name": "ExtractionResult", "strict": True, "schema": extraction_json_schema()}}}
    answer = httpx.post(f"{fake_openai.base_url}/chat/completions", json=body)
    assert answer.status_code == 400
    assert answer.json()["error"]["type"] == "invalid_request_error"


def stored(db: Path) -> dict[str, list[dict[str, Any]]]:
    """The extracted content of a database: every table's rows without ids, times and runs."""
    noise = {"id", "run_id", "extraction_id", "incident_id", "actor_id", "event_id", "created_at",
             "updated_at", "processed_at", "schema_hash", "params_hash", "key", "latency_ms",
             "request_id", "request_messages", "response", "prompt_tokens", "completion_tokens",
             "total_tokens", "attempt"}
    tables = ("incidents", "actors", "casualties", "evidence", "incident_actors")
    with closing(open_db(db)) as conn:
        return {table: sorted(json.dumps({k: v for k, v in row.items() if k not in noise},
                                          sort_keys=True) for row in conn[table].rows)
                for table in tables}


def test_a_strict_answer_stores_the_same_rows_as_a_normal_one(fake_openai, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(f"Title: Post attacked\n\n{TEXT}\n", encoding="utf-8")
    fake_openai.script("Bandiagara", [{"kind": "ok", "result": FULL},
                                      {"kind": "ok", "result": SPARSE}])
    common = [str(article), "-m", "fake-model", "--base-url", fake_openai.base_url, "-q"]
    strict_db, normal_db = tmp_path / "strict.db", tmp_path / "normal.db"
    assert cli_run("extract", *common, "--db", str(strict_db), "--strict").exit_code == 0
    assert cli_run("extract", *common, "--db", str(normal_db), "--no-strict").exit_code == 0
    assert fake_openai.calls("Bandiagara") == 2
    strict_rows, normal_rows = stored(strict_db), stored(normal_db)
    assert len(strict_rows["incidents"]) == 1 and len(strict_rows["casualties"]) == 1
    assert len(strict_rows["actors"]) == 3  # the two named, and the victims (soldiers)
    assert strict_rows == normal_rows


def test_strict_is_part_of_the_cache_key(fake_openai, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(f"Title: Post attacked\n\n{TEXT} Ref K-1.\n", encoding="utf-8")
    db = tmp_path / "k.db"
    common = ["extract", str(article), "--db", str(db), "-m", "fake-model",
              "--base-url", fake_openai.base_url, "-q"]
    assert cli_run(*common).exit_code == 0  # a local endpoint: strict off by default
    assert cli_run(*common, "--no-strict").exit_code == 0  # the same key: skipped
    assert fake_openai.calls("K-1") == 1
    assert cli_run(*common, "--strict").exit_code == 0  # another key: extracted again
    assert cli_run(*common, "--strict").exit_code == 0
    assert fake_openai.calls("K-1") == 2
    with closing(open_db(db)) as conn:
        hashes = sorted(row["schema_hash"] for row in conn["extractions"].rows)
    assert hashes == sorted([schema_hash(), strict_schema_hash()])


def test_strict_default_is_on_for_openai_only():
    assert ModelConfig(model="gpt-4o-mini").uses_strict()
    assert ModelConfig(model="m", base_url="https://api.openai.com/v1").uses_strict()
    assert not ModelConfig(model="m", base_url="http://localhost:8000/v1").uses_strict()
    assert ModelConfig(model="m", base_url="http://localhost:8000/v1", strict=True,
                       mode="json_schema").uses_strict()
    assert not ModelConfig(model="gpt-4o-mini", strict=False).uses_strict()
    assert not ModelConfig(model="gpt-4o-mini", mode="json").uses_strict()  # sends no schema


def test_strict_from_a_config_file_and_the_flag_wins(tmp_path):
    config = tmp_path / "x.toml"
    config.write_text("strict = true\n", encoding="utf-8")
    model, _ = resolve_configs({"config": str(config)}, env={})
    assert model.strict is True
    model, _ = resolve_configs({"config": str(config), "strict": False}, env={})
    assert model.strict is False
    config.write_text('strict = "yes"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="'strict' must be a true or false"):
        load_config_file(config)


def test_strict_with_a_mode_that_sends_no_schema_is_refused():
    with pytest.raises(ConfigError, match="--strict needs --mode tools or json_schema"):
        build_llm_backend(ModelConfig(model="m", base_url="http://localhost:1/v1", mode="json",
                                      strict=True), RunConfig())
