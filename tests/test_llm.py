"""The model backend against the fake OpenAI-compatible server: outcomes, call counts, usage.

Every count below is of HTTP requests the server received, so a second retry layer (the SDK's
or instructor's) would show up as extra calls.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import model_support
import openai
import pytest
from model_support import article, run

from extractor.backend import BackendResult, FatalBackendError, Usage
from extractor.config import ModelConfig, RunConfig
from extractor.model.llm import OpenAIBackend, build_llm_backend
from extractor.model.prices import PriceTable
from extractor.model.prompting import load_prompt
from extractor.model.response import ExtractionResult as ResponseModel
from extractor.resolve.gazetteer import Gazetteer
from extractor.resolve.grounding import UNALIGNED, align
from extractor.resolve.postprocess import process
from extractor.resolve.registry import ActorRegistry
from extractor.schemas import Article, ExtractionResult, schema_hash
from extractor.store.database import Store, open_db
from extractor.store.rows import ExtractionRecord

API_KEY = "sk-test-DO-NOT-LEAK-4f9c2a7e1b"
PROMPT = load_prompt("extract")


def make_backend(fake: Any, **overrides: Any) -> OpenAIBackend:
    return model_support.make_backend(
        fake, **{"model": "gpt-4o-mini", "api_key": API_KEY, **overrides})


def server_usage(fake: Any, marker: str) -> Usage:
    """What the server billed for an article's successful responses (it synthesises usage)."""
    total = Usage()
    for entry in fake.requests(marker):
        if entry["kind"] in ("ok", "malformed", "invalid", "ungrounded", "length"):
            prompt = sum(len(m.get("content") or "") for m in entry["body"]["messages"]
                         if isinstance(m.get("content"), str)) // 4 + 1
            total.prompt_tokens += prompt
    return total


@pytest.mark.parametrize("mode,shape", [
    ("tools", "tools"), ("json_schema", "json_schema"), ("json", "json_object"),
    ("md_json", None),
])
def test_every_mode_parses_a_valid_result(fake_openai, mode, shape):
    result = run(make_backend(fake_openai, mode=mode), article("M1"))
    assert result.ok, result.error
    assert isinstance(result.result, ExtractionResult)
    assert type(result.result) is ExtractionResult  # the plain schema, not instructor's subclass
    assert result.result.incidents[0].evidence == [
        "Gunmen attacked an army post in Menaka on Monday, killing four soldiers."]
    assert fake_openai.calls("M1") == 1 and result.attempts == 1
    body = fake_openai.requests("M1")[0]["body"]
    if shape == "tools":
        assert body["tools"][0]["function"]["name"] == "ExtractionResult"
        assert body["tool_choice"]["function"]["name"] == "ExtractionResult"
    elif shape is None:
        assert "response_format" not in body and "tools" not in body
    else:
        assert body["response_format"]["type"] == shape
    assert body["temperature"] == 0.0 and body["max_tokens"] == 1000
    assert result.usage.prompt_tokens == server_usage(fake_openai, "M1").prompt_tokens > 0
    assert result.usage.total_tokens == result.usage.prompt_tokens + result.usage.completion_tokens
    price = PriceTable.load().price("gpt-4o-mini")
    assert price is not None
    assert result.cost_usd == pytest.approx(
        (result.usage.prompt_tokens * price.input_per_million_usd
         + result.usage.completion_tokens * price.output_per_million_usd) / 1e6)
    [call] = result.calls
    assert call.status == "ok" and call.ask == 1 and call.request_id.startswith("req_fake_")
    assert call.request_messages is not None and call.request_messages[-1]["role"] == "user"


@pytest.mark.parametrize("kind,words", [
    ("401", "authentication failed"), ("403", "permission denied"), ("404", "not found"),
    ("quota", "quota exhausted"),
])
def test_auth_and_quota_errors_stop_the_run_after_one_call(fake_openai, kind, words):
    fake_openai.script("F1", [kind, "ok", "ok"])
    with pytest.raises(FatalBackendError, match=words) as caught:
        run(make_backend(fake_openai), article("F1"))
    assert fake_openai.calls("F1") == 1
    assert isinstance(caught.value.__cause__, openai.APIStatusError)
    message = str(caught.value)
    assert API_KEY not in message and API_KEY[-4:] not in message
    assert fake_openai.base_url in message


def test_429_with_retry_after_waits_then_succeeds(fake_openai):
    fake_openai.script("R1", [{"kind": "429", "retry_after": 0.3}, "ok"])
    result = run(make_backend(fake_openai), article("R1"))
    assert result.ok and fake_openai.calls("R1") == 2 and result.attempts == 2
    first, second = fake_openai.requests("R1")
    assert second["time"] - first["time"] >= 0.3
    assert [c.status for c in result.calls] == ["http_429", "ok"]
    assert result.calls[0].http_status == 429 and "rate_limit_exceeded" in result.calls[0].error
    # The SDK's retries are off: each request is the SDK's first try.
    assert {entry["retry_count"] for entry in fake_openai.requests("R1")} == {"0"}


def test_retry_after_ms_takes_precedence(fake_openai):
    fake_openai.script("R2", [{"kind": "429", "retry_after_ms": 250, "retry_after": 5}, "ok"])
    started = time.monotonic()
    result = run(make_backend(fake_openai), article("R2"))
    first, second = fake_openai.requests("R2")
    assert result.ok and 0.25 <= second["time"] - first["time"] < 2.0
    assert time.monotonic() - started < 4.5  # retry-after (5 s) was not the one obeyed


def test_rate_limit_asking_for_a_long_pause_is_not_waited_out(fake_openai):
    fake_openai.script("R3", [{"kind": "429", "retry_after": 600}, "ok"])
    started = time.monotonic()
    result = run(make_backend(fake_openai), article("R3"))
    assert result.error_kind == "transport" and fake_openai.calls("R3") == 1
    assert "gave up after 1 request(s)" in result.error and "HTTP 429" in result.error
    assert time.monotonic() - started < 5


def test_server_error_then_ok(fake_openai):
    fake_openai.script("S1", ["500", "503", "ok"])
    result = run(make_backend(fake_openai), article("S1"))
    assert result.ok and fake_openai.calls("S1") == 3
    assert [c.status for c in result.calls] == ["http_500", "http_503", "ok"]
    assert [c.ask for c in result.calls] == [1, 1, 1]


def test_transport_retries_exhausted_fail_the_article_not_the_run(fake_openai):
    fake_openai.script("S2", ["503", "503", "503", "ok"])
    result = run(make_backend(fake_openai, max_retries=2), article("S2"))
    assert not result.ok and result.error_kind == "transport"
    assert fake_openai.calls("S2") == 3  # max_retries=2: one try and two retries, nothing more
    assert "gave up after 3 request(s)" in result.error and "HTTP 503" in result.error
    assert result.usage == Usage()


def test_timeout_is_retried_then_reported(fake_openai):
    fake_openai.script("T1", [{"kind": "slow", "seconds": 2.0}, "ok"])
    result = run(make_backend(fake_openai, timeout=0.5), article("T1"))
    assert result.ok and fake_openai.calls("T1") == 2
    assert result.calls[0].status == "timeout"
    fake_openai.script("T2", [{"kind": "slow", "seconds": 2.0}] * 2)
    result = run(make_backend(fake_openai, timeout=0.5, max_retries=1), article("T2"))
    assert result.error_kind == "transport" and "timed out after 0.5 s" in result.error
    assert fake_openai.calls("T2") == 2


def test_dropped_connection_is_retried(fake_openai):
    fake_openai.script("D1", ["drop", "ok"])
    result = run(make_backend(fake_openai), article("D1"))
    assert result.ok and fake_openai.calls("D1") == 2
    assert result.calls[0].status == "connection"


def test_malformed_json_is_reasked_with_the_error(fake_openai):
    fake_openai.script("J1", ["malformed", "ok"])
    result = run(make_backend(fake_openai), article("J1"))
    assert result.ok and fake_openai.calls("J1") == 2
    first, second = fake_openai.requests("J1")
    assert len(second["body"]["messages"]) > len(first["body"]["messages"])
    reask = second["body"]["messages"][-1]
    assert reask["role"] == "tool" and "Validation Error" in reask["content"]
    assert [c.status for c in result.calls] == ["rejected", "ok"]
    assert [c.ask for c in result.calls] == [1, 2]
    # The first request logs the whole conversation, a re-ask only what it added.
    assert len(result.calls[0].request_messages) == 2
    assert [m["role"] for m in result.calls[1].request_messages] == ["assistant", "tool"]
    # Usage counts both requests, the rejected one included.
    assert result.usage.prompt_tokens == server_usage(fake_openai, "J1").prompt_tokens
    assert result.usage == Usage(
        sum(c.usage.prompt_tokens for c in result.calls),
        sum(c.usage.completion_tokens for c in result.calls),
        sum(c.usage.total_tokens for c in result.calls))
    assert result.calls[0].usage.total_tokens > 0


@pytest.mark.parametrize("mode", ["tools", "json_schema", "json", "md_json"])
def test_invalid_output_beyond_the_retries_fails_with_validation(fake_openai, mode):
    fake_openai.script("V1", ["invalid"] * 5)
    result = run(make_backend(fake_openai, mode=mode, validation_retries=2), article("V1"))
    assert not result.ok and result.error_kind == "validation"
    assert fake_openai.calls("V1") == 3  # validation_retries + 1
    assert "after 3 ask(s)" in result.error and "event_type" in result.error
    assert result.raw_response is not None and '"picnic"' in result.raw_response
    assert [c.status for c in result.calls] == ["rejected"] * 3
    assert all(c.error and "event_type" in c.error for c in result.calls)
    assert result.usage.prompt_tokens == server_usage(fake_openai, "V1").prompt_tokens


def test_no_validation_retries_means_one_ask(fake_openai):
    fake_openai.script("V2", ["malformed", "ok"])
    result = run(make_backend(fake_openai, validation_retries=0), article("V2"))
    assert result.error_kind == "validation" and fake_openai.calls("V2") == 1


def test_truncated_output_is_not_reasked(fake_openai):
    fake_openai.script("L1", ["length", "ok"])
    result = run(make_backend(fake_openai), article("L1"))
    assert not result.ok and result.error_kind == "truncated"
    assert fake_openai.calls("L1") == 1
    assert "--max-tokens" in result.error and "1000" in result.error
    assert result.raw_response and result.calls[0].status == "truncated"
    assert result.calls[0].finish_reason == "length"
    assert result.usage.completion_tokens > 0


def test_bad_request_fails_the_article_with_the_reason(fake_openai):
    fake_openai.script("B1", ["400", "ok"])
    result = run(make_backend(fake_openai), article("B1"))
    assert not result.ok and result.error_kind == "bad_request"
    assert fake_openai.calls("B1") == 1
    assert "context_length_exceeded" in result.error and "maximum context length" in result.error


def test_missing_usage_counts_as_zero(fake_openai):
    fake_openai.script("U1", ["no_usage"])
    result = run(make_backend(fake_openai), article("U1"))
    assert result.ok and result.usage == Usage() and result.cost_usd == 0.0


def test_ungrounded_evidence_is_reasked_while_asks_remain(fake_openai):
    fake_openai.script("G1", ["ungrounded", "ok"])
    result = run(make_backend(fake_openai), article("G1"))
    assert result.ok and fake_openai.calls("G1") == 2
    reask = fake_openai.requests("G1")[1]["body"]["messages"][-1]["content"]
    assert "A sentence the article never contained." in reask and "character for character" in reask


def test_ungrounded_evidence_on_the_last_ask_is_kept_not_failed(fake_openai):
    fake_openai.script("G2", ["ungrounded"] * 5)
    item = article("G2")
    result = run(make_backend(fake_openai, validation_retries=2), item)
    assert result.ok and fake_openai.calls("G2") == 3
    quote = result.result.incidents[0].evidence[0]
    assert quote == "A sentence the article never contained."
    assert align(quote, item.text).status == UNALIGNED  # post-processing marks it so
    fake_openai.script("G3", ["ungrounded"])
    result = run(make_backend(fake_openai, validation_retries=0), article("G3"))
    assert result.ok and fake_openai.calls("G3") == 1


def test_article_text_is_not_templated(fake_openai):
    """instructor's context= would render messages with Jinja; the article must pass as is."""
    item = Article(id="j", text="Gunmen attacked Gao on {{ day }} {% if x %}. Marker JINJA1.")
    result = run(make_backend(fake_openai), item)
    assert result.ok
    sent = fake_openai.requests("JINJA1")[0]["body"]["messages"][-1]["content"]
    assert item.text in sent


def test_params_hold_what_changes_the_output_only(fake_openai):
    backend = make_backend(fake_openai, mode="json_schema", temperature=0.3, max_tokens=2048)
    assert backend.params() == {"mode": "json_schema", "temperature": 0.3, "max_tokens": 2048}
    assert backend.prompt_name == "extract" and backend.prompt_hash == PROMPT.hash
    asyncio.run(backend.aclose())


def test_environment_is_not_read_by_the_backend(fake_openai, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    result = run(make_backend(fake_openai, api_key=None), article("E1"))
    assert result.ok
    assert fake_openai.requests("E1")[0]["authorization"] == "Bearer no-key"


def test_unknown_mode_is_refused(fake_openai):
    with pytest.raises(ValueError, match="unknown mode"):
        make_backend(fake_openai, mode="xml")


def test_response_model_schema_is_the_schema_and_cached():
    schema = ResponseModel.model_json_schema()
    assert schema is ResponseModel.model_json_schema()
    assert schema == ExtractionResult.model_json_schema()
    assert ResponseModel.__name__ == "ExtractionResult"  # the tool's name


def test_concurrent_articles_overlap(fake_openai):
    fake_openai.latency = 0.3

    async def go() -> list[BackendResult]:
        backend = make_backend(fake_openai)
        try:
            return await asyncio.gather(*(backend.extract(article(f"C{n}-")) for n in range(32)))
        finally:
            await backend.aclose()

    started = time.monotonic()
    results = asyncio.run(go())
    elapsed = time.monotonic() - started
    assert all(r.ok for r in results) and fake_openai.calls() == 32
    assert elapsed < 5.0, elapsed  # serially this would take 9.6 s


def test_api_key_is_never_stored(fake_openai, tmp_path):
    """Every failure kind, stored the way the pipeline stores it: the key is in no row."""
    registry, gazetteer = ActorRegistry.load(), Gazetteer.load()
    steps = {"K1": ["ok"], "K2": ["malformed", "ok"], "K3": ["invalid"] * 3, "K4": ["length"],
             "K5": ["400"], "K6": ["503"] * 3, "K7": [{"kind": "429", "retry_after": 0.1}, "ok"]}
    for marker, script in steps.items():
        fake_openai.script(marker, script)
    backend = make_backend(fake_openai)
    store = Store(open_db(tmp_path / "t.db"))
    items = [article(marker) for marker in steps]
    store.add_articles([(item, "test") for item in items])
    run_id = store.start_run(command="extract", model=backend.model, prompt_name="extract",
                             prompt_hash=backend.prompt_hash, schema_hash=schema_hash(),
                             settings=backend.config.public_settings())

    async def go() -> list[BackendResult]:
        try:
            return [await backend.extract(item) for item in items]
        finally:
            await backend.aclose()

    outcomes = asyncio.run(go())
    records = [
        ExtractionRecord(key=f"key-{item.id}", article=item, run_id=run_id, model=backend.model,
                         prompt_hash=backend.prompt_hash, schema_hash=schema_hash(),
                         params_hash="p", outcome=outcome,
                         processed=process(item, outcome.result, registry, gazetteer)
                         if outcome.result else None)
        for item, outcome in zip(items, outcomes, strict=True)]
    store.save(records)
    with pytest.raises(FatalBackendError) as caught:
        fake_openai.script("K8", ["401"])
        run(make_backend(fake_openai), article("K8"))
    assert API_KEY not in str(caught.value)
    db = store.db
    calls = list(db["model_calls"].rows)
    assert len(calls) == sum(len(o.calls) for o in outcomes) == fake_openai.calls() - 1
    assert {row["status"] for row in calls} >= {"ok", "rejected", "truncated", "http_400",
                                                 "http_503", "http_429"}
    kinds = {row["article_id"]: row["error_kind"] for row in db["extractions"].rows}
    assert kinds == {"K1": None, "K2": None, "K3": "validation", "K4": "truncated",
                     "K5": "bad_request", "K6": "transport", "K7": None}
    first = db.execute("select request_messages from model_calls where extraction_id = "
                       "'key-K1'").fetchone()[0]
    # The system message is stored once, in prompt_texts; the row holds a reference to it.
    [system, user] = json.loads(first)
    assert "Reference K1" in user["content"] and "content" not in system
    [text] = db.execute("select text from prompt_texts where id = ?", [system["prompt_text"]])
    assert text == (backend._system,) and db["prompt_texts"].count == 1
    for table in db.table_names():
        for row in db[table].rows:
            assert API_KEY not in json.dumps(row, default=str), table
    store.close()


def test_build_llm_backend_takes_rate_limits_from_the_run(fake_openai):
    config = ModelConfig(model="local-model", base_url=fake_openai.base_url, mode="json_schema")
    backend = build_llm_backend(config, RunConfig(requests_per_minute=600,
                                                  tokens_per_minute=100_000))
    assert backend.limiter.requests is not None and backend.limiter.requests.capacity == 600
    assert backend.limiter.tokens is not None and backend.limiter.tokens.capacity == 100_000
    result = asyncio.run(_extract_and_close(backend, article("BL1")))
    assert result.ok and result.cost_usd is None  # a model in no price table has no cost


async def _extract_and_close(backend: OpenAIBackend, item: Article) -> BackendResult:
    try:
        return await backend.extract(item)
    finally:
        await backend.aclose()


@pytest.mark.parametrize("mode", ["tools", "json_schema", "json", "md_json"])
def test_request_is_what_instructor_itself_would_send(fake_openai, mode):
    """The backend prepares requests once and sends them itself; the body must not drift from
    instructor's own ``from_openai`` path (a guard for instructor upgrades)."""
    import instructor

    backend = make_backend(fake_openai, mode=mode)
    ours = article("W1")
    theirs = article("W2")

    async def go() -> None:
        try:
            await backend.extract(ours)
            client = instructor.from_openai(
                openai.AsyncOpenAI(base_url=fake_openai.base_url, api_key=API_KEY,
                                   max_retries=0),
                mode=instructor.Mode[mode.upper()])
            await client.chat.completions.create(
                response_model=ExtractionResult, max_retries=0,
                messages=PROMPT.messages(theirs), model="gpt-4o-mini", temperature=0.0,
                max_tokens=1000)
            await client.client.close()
        finally:
            await backend.aclose()

    asyncio.run(go())
    [mine] = fake_openai.requests("W1")
    [reference] = fake_openai.requests("W2")
    sent, expected = mine["body"], reference["body"]
    assert sent.keys() == expected.keys()
    for key in sent:
        if key != "messages":
            assert sent[key] == expected[key], key
    assert [m["role"] for m in sent["messages"]] == [m["role"] for m in expected["messages"]]
    assert sent["messages"][0] == expected["messages"][0]  # system, with any schema instructions
    assert sent["messages"][1:] == json.loads(
        json.dumps(expected["messages"][1:]).replace("W2", "W1"))


def test_cli_extract_against_the_fake_server_then_the_cache(fake_openai, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from extractor.cli import cli

    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "EXTRACTOR_MODEL", "EXTRACTOR_MODE",
                 "EXTRACTOR_DB"):
        monkeypatch.delenv(name, raising=False)
    folder = tmp_path / "articles"
    folder.mkdir()
    for number in range(5):
        (folder / f"a{number}.txt").write_text(
            f"Title: Attack {number}\nPublished: 2024-07-30\n\n"
            f"Gunmen attacked an army post in Menaka on Monday, killing {number + 2} soldiers. "
            f"Officials said the attackers fled. Story CLI{number}.\n")
    fake_openai.script("CLI3", ["invalid"] * 3)
    db_path = tmp_path / "out.db"
    args = ["extract", str(folder), "--db", str(db_path), "--model", "gpt-4o-mini",
            "--base-url", fake_openai.base_url, "--api-key", API_KEY, "--mode", "json_schema",
            "--timeout", "10", "--validation-retries", "2", "--concurrency", "4", "--quiet"]
    first = CliRunner().invoke(cli, args)
    assert fake_openai.calls() == 4 + 3, first.output
    assert API_KEY not in first.output
    db = open_db(db_path)
    statuses = {row["article_id"]: row["status"] for row in db["extractions"].rows}
    assert sorted(statuses.values()) == ["failed", "ok", "ok", "ok", "ok"]
    assert db["model_calls"].count == 7
    assert db["incidents"].count == 4
    row = next(db["runs"].rows)
    assert row["prompt_hash"] == PROMPT.hash and API_KEY not in row["settings"]
    db.close()
    # Second run: the four stored results are the cache; only the failed article is asked again.
    fake_openai.script("CLI3", ["ok"])
    second = CliRunner().invoke(cli, args)
    assert fake_openai.calls() == 7 + 1, second.output
    # Third run: everything is stored; no request at all.
    CliRunner().invoke(cli, args)
    assert fake_openai.calls() == 8
    db = open_db(db_path)
    assert {row["status"] for row in db["extractions"].rows} == {"ok"}
    db.close()


def test_cli_prices_table_and_unknown_prompt(fake_openai, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from extractor.cli import cli

    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "EXTRACTOR_MODEL", "EXTRACTOR_PRICES"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "a.txt").write_text("Gunmen attacked an army post in Menaka, killing four.\n")
    prices = tmp_path / "prices.csv"
    prices.write_text("model,input_per_million_usd,output_per_million_usd\nlocal-llm,1000,0\n")
    db_path = tmp_path / "out.db"
    base = ["extract", str(tmp_path / "a.txt"), "--db", str(db_path), "--model", "local-llm",
            "--base-url", fake_openai.base_url, "--quiet"]
    result = CliRunner().invoke(cli, [*base, "--prices", str(prices)])
    assert result.exit_code == 0, result.output
    db = open_db(db_path)
    row = next(db["extractions"].rows)
    assert row["status"] == "ok" and row["cost_usd"] == pytest.approx(
        row["prompt_tokens"] * 1000 / 1e6)
    db.close()
    result = CliRunner().invoke(cli, [*base, "--prices", str(tmp_path / "missing.csv")])
    assert result.exit_code != 0 and "missing.csv" in result.output
    result = CliRunner().invoke(cli, [*base, "--prompt", "nonexistent"])
    assert result.exit_code != 0 and "nonexistent" in result.output
    assert fake_openai.calls() == 1


def test_reasoning_models_get_max_completion_tokens_and_no_temperature(fake_openai):
    result = run(make_backend(fake_openai, model="o4-mini", max_tokens=3000), article("O1"))
    assert result.ok
    body = fake_openai.requests("O1")[0]["body"]
    assert body["max_completion_tokens"] == 3000
    assert "max_tokens" not in body and "temperature" not in body
    result = run(make_backend(fake_openai, model="gpt-4.1-mini"), article("O2"))
    body = fake_openai.requests("O2")[0]["body"]
    assert body["max_tokens"] == 1000 and body["temperature"] == 0.0
    assert "max_completion_tokens" not in body


def test_a_rate_limit_pauses_every_request_not_only_the_one_told(fake_openai):
    fake_openai.script("Q1", [{"kind": "429", "retry_after": 0.6}, "ok"])

    async def go() -> list[BackendResult]:
        backend = make_backend(fake_openai)

        async def later() -> BackendResult:
            await asyncio.sleep(0.2)  # starts after Q1 was told to wait
            return await backend.extract(article("Q2"))

        try:
            return await asyncio.gather(backend.extract(article("Q1")), later())
        finally:
            await backend.aclose()

    results = asyncio.run(go())
    assert all(r.ok for r in results)
    told = fake_openai.requests("Q1")[0]["time"]
    [other] = fake_openai.requests("Q2")
    assert other["time"] - told >= 0.6
    assert other["kind"] == "ok"


def test_openai_is_imported_only_when_a_request_is_prepared():
    """A fully cached run builds the backend but never asks: it must not pay ~1.5 s of
    importing openai and instructor."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import extractor.cli\n"
        "from extractor.config import ModelConfig, RunConfig\n"
        "import extractor.pipeline\n"
        "from extractor.model.llm import build_llm_backend\n"
        "from extractor.schemas import Article\n"
        "backend = build_llm_backend(ModelConfig(model='m', base_url='http://127.0.0.1:9/v1'),"
        " RunConfig())\n"
        "assert 'openai' not in sys.modules and 'instructor' not in sys.modules, 'eager'\n"
        "backend.client\n"
        "assert 'openai' in sys.modules and 'instructor' in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]


def test_a_french_article_is_sent_with_the_english_output_instruction(fake_openai):
    """The system message asks for English fields and verbatim evidence in the article's
    language: a French article goes out with that instruction, and its text untranslated."""
    french = Article(id="FR1", title="Attaque à Ménaka", text=(
        "Des hommes armés ont attaqué un poste de l'armée à Ménaka lundi, tuant quatre soldats. "
        "Les assaillants ont pris la fuite. Référence FR1."))
    result = run(make_backend(fake_openai), french)
    assert result.ok, result.error
    body = fake_openai.requests("FR1")[0]["body"]
    system = " ".join(m["content"] for m in body["messages"] if m["role"] == "system")
    assert "Read an article in any language" in system
    assert "summary and every other English-valued field in\nEnglish" in system
    assert "quote evidence verbatim in the article's own language" in system
    users = " ".join(m["content"] for m in body["messages"] if m["role"] == "user")
    assert "tuant quatre soldats" in users
    assert result.result is not None
    assert result.result.incidents[0].evidence == [
        "Des hommes armés ont attaqué un poste de l'armée à Ménaka lundi, tuant quatre soldats."]
