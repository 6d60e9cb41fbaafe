"""The strict schema (OpenAI's strict structured outputs) and the fake server's enforcement of
strict-mode rules on ``strict: true`` requests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import openai
import pytest
from click.testing import CliRunner
from strictrules import first_violation

from extractor.cli import cli
from extractor.evals.dataset import load_gold
from extractor.schemas import ExtractionResult, extraction_json_schema
from extractor.schemas.strict import (
    STRICT_SCHEMA_FILE_NAME,
    strict_json_schema,
    strict_schema_hash,
)

ROOT = Path(__file__).resolve().parents[1]
GOLD = load_gold(ROOT / "evals" / "gold")


def objects(node: Any) -> list[dict[str, Any]]:
    """Every object schema in ``node``, nested ones included."""
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if node.get("type") == "object":
            found.append(node)
        for value in node.values():
            found.extend(objects(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(objects(item))
    return found


def keys(node: Any) -> set[str]:
    if isinstance(node, dict):
        return set(node) | set().union(*(keys(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(keys(item) for item in node)) if node else set()
    return set()


def test_strict_schema_file_is_current():
    written = ROOT / "schemas" / STRICT_SCHEMA_FILE_NAME
    assert json.loads(written.read_text()) == strict_json_schema(), (
        f"schemas/{STRICT_SCHEMA_FILE_NAME} is stale: run `make schema`")


def test_every_object_requires_all_its_properties_and_forbids_others():
    schema = strict_json_schema()
    found = objects(schema)
    assert len(found) == 4  # ExtractionResult, Incident, CasualtyClaim, Actor
    for node in found:
        assert node["additionalProperties"] is False
        assert node["required"] == list(node["properties"])


def test_no_defaults_and_no_ref_with_siblings():
    schema = strict_json_schema()
    assert "default" not in keys(schema)

    def refs_alone(node: Any) -> bool:
        if isinstance(node, dict):
            if "$ref" in node and len(node) > 1:
                return False
            return all(refs_alone(value) for value in node.values())
        if isinstance(node, list):
            return all(refs_alone(item) for item in node)
        return True

    assert refs_alone(schema)


def test_optional_fields_are_nullable_and_the_others_are_not():
    incident = strict_json_schema()["$defs"]["Incident"]["properties"]
    assert {"type": "null"} in incident["place"]["anyOf"]
    assert {"type": "null"} in incident["date_start"]["anyOf"]
    assert incident["summary"]["type"] == "string"
    assert incident["is_background"]["type"] == "boolean"
    assert incident["evidence"]["type"] == "array"
    # Enum fields keep their values and their description once inlined.
    assert incident["event_type"]["enum"][0] == "battles"
    assert "ACLED event type" in incident["event_type"]["description"]


def test_the_rules_accept_the_strict_schema_and_refuse_the_normal_one():
    assert first_violation(strict_json_schema()) is None
    refusal = first_violation(extraction_json_schema())
    assert refusal is not None and "'required' is required" in refusal


@pytest.mark.parametrize("record", GOLD.records, ids=lambda record: record.article.id)
def test_every_gold_record_is_valid_under_the_strict_schema(record):
    answer = record.as_extraction()
    document = answer.model_dump(mode="json")
    jsonschema.validate(document, strict_json_schema())
    assert ExtractionResult.model_validate(document) == answer


def test_what_the_strict_schema_allows_pydantic_reads():
    # null in every nullable field, empty lists: the smallest strict answer is a valid result.
    incident = {name: None for name in
                strict_json_schema()["$defs"]["Incident"]["properties"]}
    incident.update(summary="s", event_type="battles", sub_event_type="armed_clash",
                    geo_precision="place", perpetrators=[], targets=[], claimed_by=[],
                    casualties=[], weapons=[], sources=[], is_background=False, evidence=[])
    document = {"incidents": [incident], "actors": []}
    jsonschema.validate(document, strict_json_schema())
    assert ExtractionResult.model_validate(document).incidents[0].place is None


def test_hash_is_stable_and_differs_from_the_normal_one():
    from extractor.schemas import schema_hash

    assert strict_schema_hash() == strict_schema_hash()
    assert len(strict_schema_hash()) == 12 and strict_schema_hash() != schema_hash()


def test_cli_prints_and_writes_the_strict_schema(tmp_path):
    runner = CliRunner()
    printed = runner.invoke(cli, ["schema", "--strict"])
    assert printed.exit_code == 0, printed.output
    assert json.loads(printed.output) == strict_json_schema()
    target = tmp_path / "strict.json"
    written = runner.invoke(cli, ["schema", "--strict", "--write", "--path", str(target)])
    assert written.exit_code == 0, written.output
    assert json.loads(target.read_text()) == strict_json_schema()
    assert strict_schema_hash() in written.output


# --- the fake server enforces strict-mode rules, as OpenAI does -----------------------------

def client(fake_openai) -> openai.OpenAI:
    return openai.OpenAI(base_url=fake_openai.base_url, api_key="sk-test", max_retries=0)


def tool_request(schema: dict[str, Any], strict: bool) -> dict[str, Any]:
    return {
        "model": "fake-model",
        "messages": [{"role": "user", "content": "<article>\nGunmen attacked Kidal.\n</article>"}],
        "tools": [{"type": "function", "function": {
            "name": "ExtractionResult", "description": "Everything extracted.",
            "parameters": schema, "strict": strict}}],
        "tool_choice": {"type": "function", "function": {"name": "ExtractionResult"}},
    }


def json_schema_request(schema: dict[str, Any], strict: bool) -> dict[str, Any]:
    return {
        "model": "fake-model",
        "messages": [{"role": "user", "content": "<article>\nGunmen attacked Kidal.\n</article>"}],
        "response_format": {"type": "json_schema", "json_schema": {
            "name": "ExtractionResult", "schema": schema, "strict": strict}},
    }


def test_strict_tools_request_with_the_strict_schema_is_answered(fake_openai):
    completion = client(fake_openai).chat.completions.create(
        **tool_request(strict_json_schema(), strict=True))
    arguments = completion.choices[0].message.tool_calls[0].function.arguments
    assert ExtractionResult.model_validate_json(arguments).incidents


def test_strict_json_schema_request_with_the_strict_schema_is_answered(fake_openai):
    completion = client(fake_openai).chat.completions.create(
        **json_schema_request(strict_json_schema(), strict=True))
    assert ExtractionResult.model_validate_json(completion.choices[0].message.content).incidents


def test_strict_tools_request_with_the_normal_schema_gets_openais_400(fake_openai):
    with pytest.raises(openai.BadRequestError) as caught:
        client(fake_openai).chat.completions.create(
            **tool_request(extraction_json_schema(), strict=True))
    error = caught.value
    assert error.status_code == 400
    assert error.code == "invalid_function_parameters"
    assert error.param == "tools[0].function.parameters"
    assert error.message.startswith("Error code: 400")
    assert ("Invalid schema for function 'ExtractionResult': In context=(), 'required' is "
            "required to be supplied") in error.message
    assert fake_openai.calls() == 1 and fake_openai.requests()[0]["kind"] == "invalid_schema"


def test_strict_json_schema_request_with_a_ref_beside_a_description_gets_400(fake_openai):
    schema = strict_json_schema()
    incident = schema["$defs"]["Incident"]["properties"]
    incident["geo_precision"] = {"$ref": "#/$defs/Incident", "description": "where"}
    with pytest.raises(openai.BadRequestError) as caught:
        client(fake_openai).chat.completions.create(
            **json_schema_request(schema, strict=True))
    assert caught.value.code == "invalid_json_schema"
    assert caught.value.param == "response_format"
    assert ("In context=('$defs', 'Incident', 'properties', 'geo_precision'), $ref cannot have "
            "keywords {'description'}") in caught.value.message


def test_a_default_is_refused_in_strict_mode(fake_openai):
    schema = strict_json_schema()
    schema["$defs"]["Actor"]["properties"]["country"]["default"] = None
    with pytest.raises(openai.BadRequestError, match="'default' is not permitted"):
        client(fake_openai).chat.completions.create(**tool_request(schema, strict=True))


def test_without_strict_the_normal_schema_is_accepted(fake_openai):
    for request in (tool_request(extraction_json_schema(), strict=False),
                    json_schema_request(extraction_json_schema(), strict=False)):
        completion = client(fake_openai).chat.completions.create(**request)
        assert completion.choices[0].finish_reason == "stop"
