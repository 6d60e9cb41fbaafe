"""Constrained decoding: the grammar engines of vLLM, SGLang and llama.cpp follow our schemas.

Servers that enforce a JSON Schema compile it into a grammar (xgrammar, llguidance) and only
let the model emit tokens the grammar allows. A schema change such an engine cannot compile,
or that makes it refuse a correct answer, would break extraction on those servers; these
tests catch it. Both schemas (normal and strict) are compiled by both engines, and every gold
record, serialised as a model answers (the ExtractionResult JSON: incidents and actors), must
be accepted from its first byte to the end.

Both engines match token ids: a byte-level vocabulary (256 one-byte tokens and an end token)
lets them check any string without a model's tokenizer. The engines are installed by
``make test`` (tests/requirements-grammars.txt, xgrammar without its GPU dependencies).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from extractor.evals.dataset import load_gold
from extractor.evals.gold_rules import LabelledRecord
from extractor.schemas import extraction_json_schema
from extractor.schemas.strict import strict_json_schema


def _engine(name: str) -> Any:
    try:
        return pytest.importorskip(name, reason=f"{name} is not installed: run `make test` "
                                   "(pip install -r tests/requirements-grammars.txt)")
    except pytest.skip.Exception:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is missing under CI: `make test` installs it")
        raise


xgr = _engine("xgrammar")
llguidance = _engine("llguidance")

ROOT = Path(__file__).resolve().parents[1]
GOLD = load_gold(ROOT / "evals" / "gold")
END = 256  # the end-of-answer token of the byte vocabulary
SCHEMAS = {"normal": extraction_json_schema, "strict": strict_json_schema}


class ByteTokenizer:
    """One token per byte, plus an end token: what llguidance's TokenizerWrapper reads."""

    eos_token_id = END
    bos_token_id = None
    tokens = [bytes([value]) for value in range(256)] + [b"<end>"]

    def __call__(self, text: bytes) -> list[int]:
        return list(text)


LLG_TOKENIZER = llguidance.LLTokenizer(llguidance.TokenizerWrapper(ByteTokenizer()))
XGR_COMPILER = xgr.GrammarCompiler(
    xgr.TokenizerInfo([bytes([value]) for value in range(256)] + [b"<end>"],
                      stop_token_ids=[END]))


def xgrammar_accepts(schema: dict[str, Any]) -> Callable[[str], bool]:
    compiled = XGR_COMPILER.compile_json_schema(json.dumps(schema))

    def accepts(answer: str) -> bool:
        matcher = xgr.GrammarMatcher(compiled)
        return bool(matcher.accept_string(answer) and matcher.accept_token(END)
                    and matcher.is_terminated())

    return accepts


def llguidance_accepts(schema: dict[str, Any]) -> Callable[[str], bool]:
    grammar = llguidance.grammar_from("json_schema", json.dumps(schema))
    error = llguidance.LLMatcher.validate_grammar(grammar, LLG_TOKENIZER)
    assert error == "", error

    def accepts(answer: str) -> bool:
        matcher = llguidance.LLMatcher(LLG_TOKENIZER, grammar)
        return bool(matcher.consume_tokens(list(answer.encode("utf-8")))
                    and matcher.is_accepting() and not matcher.is_error())

    return accepts


ENGINES = {"xgrammar": xgrammar_accepts, "llguidance": llguidance_accepts}


@pytest.fixture(scope="module", params=[(engine, schema) for engine in ENGINES
                                        for schema in SCHEMAS],
                ids=lambda param: f"{param[0]}-{param[1]}")
def accepts(request: pytest.FixtureRequest) -> Callable[[str], bool]:
    engine, schema = request.param
    return ENGINES[engine](SCHEMAS[schema]())


def model_answer(record: LabelledRecord) -> str:
    """An answer as a model writes it: every field, JSON with its usual spacing, UTF-8."""
    return json.dumps(record.as_extraction().model_dump(mode="json"), ensure_ascii=False)


def test_every_gold_record_is_accepted(accepts):
    refused = [record.article.id for record in GOLD.records
               if not accepts(model_answer(record))]
    assert not refused, f"gold answers the grammar refuses: {refused}"
    assert len(GOLD.records) >= 23


def test_an_empty_answer_is_accepted(accepts):
    assert accepts('{"incidents": [], "actors": []}')


def test_answers_outside_the_schema_are_refused(accepts):
    record = next(record for record in GOLD.records if record.incidents)
    good = json.loads(model_answer(record))
    wrong_enum = json.loads(json.dumps(good))
    wrong_enum["incidents"][0]["event_type"] = "picnic"
    extra_key = json.loads(json.dumps(good))
    extra_key["incidents"][0]["mood"] = "tense"
    wrong_type = json.loads(json.dumps(good))
    wrong_type["actors"] = "none"
    for bad in (wrong_enum, extra_key, wrong_type):
        assert not accepts(json.dumps(bad, ensure_ascii=False))
    truncated = json.dumps(good, ensure_ascii=False)[:-1]
    assert not accepts(truncated)


def test_only_the_strict_schema_demands_every_field():
    answer = ('{"incidents": [{"summary": "s", "event_type": "battles", '
              '"sub_event_type": "armed_clash", "geo_precision": "place"}], "actors": []}')
    for make in ENGINES.values():
        assert make(extraction_json_schema())(answer)
        assert not make(strict_json_schema())(answer)
