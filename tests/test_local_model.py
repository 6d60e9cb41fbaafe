"""`extractor extract` against a real model: llama-cpp-python's server with SmolLM2-135M.

The server is started here on a free 127.0.0.1 port (tests/localmodel.py); ``make test``
installs it and the model. A 135M model's extractions are not usable: these tests prove the
path (request shapes each mode sends, what the server answers, how failures are classed and
logged), not quality. In every mode the article is either extracted, or fails fast with a
clear reason after a bounded number of requests, and every request is logged in model_calls
with the server's own token counts.

Generation is kept short (MAX_TOKENS, one short article, no re-asks) so the whole module takes
minutes on 2 cores.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlite_utils
from localmodel import N_CTX, LocalModelMissing, LocalServer, start_server

from extractor.model.prompting import load_prompt
from extractor.model.tokens import TokenCounter, server_root
from extractor.schemas.sent import sent_schema
from extractor.vocabulary import ErrorKind, ExtractionStatus, Mode

MAX_TOKENS = 512
REQUEST_TIMEOUT = 900  # seconds: a loaded 2-core machine generates ~1 token/s
MAX_RETRIES = 2  # transport retries; a refused request must not use them
EXTRACTOR = Path(sys.executable).parent / "extractor"
ARTICLE = """Title: Soldiers killed in ambush near Kidal
Published: 2024-06-14

Gunmen ambushed a Malian army patrol near Kidal on Thursday, killing four soldiers, a local \
official told AFP.
"""
# Why a mode may fail an article, each a reason the user can act on.
CLEAR_FAILURES = {ErrorKind.BAD_REQUEST, ErrorKind.VALIDATION, ErrorKind.TRUNCATED}

pytestmark = pytest.mark.timeout(3600)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalServer]:
    try:
        running = start_server(tmp_path_factory.mktemp("llama"))
    except LocalModelMissing as error:
        if os.environ.get("CI"):
            pytest.fail(f"{error} (`make test` installs it)")
        pytest.skip(str(error))
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def article(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("articles") / "kidal.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def extract(server: LocalServer, article: Path, db: Path,
            mode: str) -> subprocess.CompletedProcess[str]:
    command = [str(EXTRACTOR), "extract", str(article), "--db", str(db), "--quiet",
               "--model", server.model, "--base-url", server.base_url,
               "--api-key", "sk-no-key-needed",
               "--mode", mode, "--max-tokens", str(MAX_TOKENS), "--temperature", "0",
               "--timeout", str(REQUEST_TIMEOUT), "--max-retries", str(MAX_RETRIES),
               "--validation-retries", "0", "--concurrency", "1"]
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith(("OPENAI_", "EXTRACTOR_"))}
    return subprocess.run(command, capture_output=True, text=True, env=environment,
                          timeout=REQUEST_TIMEOUT * (MAX_RETRIES + 2), check=False)


def rows(db: Path, table: str) -> list[dict[str, Any]]:
    return list(sqlite_utils.Database(db)[table].rows)


def sent_messages(db: Path, call: dict[str, Any]) -> list[dict[str, str]]:
    """The messages a logged request sent (its system message is stored once, by reference)."""
    texts = {row["id"]: row["text"] for row in rows(db, "prompt_texts")}
    return [{"role": message["role"],
             "content": texts[message["prompt_text"]] if "prompt_text" in message
             else message["content"]}
            for message in json.loads(call["request_messages"])]


def chatml(messages: list[dict[str, str]]) -> str:
    """The prompt as SmolLM2's chat template (ChatML, in the GGUF's metadata) renders it."""
    turns = "".join(f"<|im_start|>{m['role']}\n{m['content']}<|im_end|>\n" for m in messages)
    return turns + "<|im_start|>assistant\n"


def test_the_servers_tokenizer_counts_tokens(server: LocalServer):
    counter = TokenCounter(server.base_url, model=server.model)
    short = counter.count("Gunmen ambushed a patrol near Kidal.")
    assert short.exact and short.method == "llama-cpp-python /extras/tokenize/count"
    assert 5 <= short.tokens <= 15
    # The count is the server's tokenizer's: the length of the token ids it gives the text.
    system = load_prompt("extract").system_message()
    with httpx.Client(timeout=120) as client:
        ids = client.post(f"{server_root(server.base_url)}/extras/tokenize",
                          json={"input": system}).json()["tokens"]
    assert counter.count(system).tokens == len(ids) > 1000


@pytest.mark.parametrize("mode", [mode.value for mode in Mode])
def test_extract_in_every_mode(server: LocalServer, article: Path, tmp_path: Path, mode: str):
    db = tmp_path / f"{mode}.db"
    result = extract(server, article, db, mode)
    assert "Traceback" not in result.stderr, result.stderr
    if mode == Mode.JSON_SCHEMA:
        # llama-cpp-python refuses response_format json_schema: HTTP 500 with a pydantic
        # validation body ("Input should be 'text' or 'json_object'"). Every request of the
        # mode would be refused alike, so the run stops at once (docs/model-endpoints.md):
        # one request, exit 1, the message naming the modes to try, no extraction stored.
        assert result.returncode == 1, result.stderr
        assert "--mode json_schema was refused by the server as malformed" in result.stderr
        assert "json_object" in result.stderr and "try --mode tools" in result.stderr
        assert rows(db, "extractions") == []
        (aborted,) = rows(db, "runs")
        assert aborted["status"] == "aborted"
        return
    (extraction,) = rows(db, "extractions")
    calls = sorted(rows(db, "model_calls"), key=lambda call: call["attempt"])
    context = f"mode {mode}: {extraction['status']} {extraction['error_kind']} " \
              f"{extraction['error']}\n{result.stderr[-2000:]}\nserver:\n{server.log_tail(1500)}"

    # Every request is logged.
    assert calls, context
    assert [call["attempt"] for call in calls] == list(range(1, len(calls) + 1))

    if extraction["status"] == ExtractionStatus.OK:
        assert json.loads(extraction["result_json"]).keys() >= {"incidents", "actors"}
        assert calls[-1]["finish_reason"] in ("stop", "tool_calls"), context
    else:
        # A failure is fast and clear: a reason the user can act on, one request (no
        # re-asks were allowed, and a refused or truncated request is not retried).
        assert extraction["error_kind"] in CLEAR_FAILURES, context
        assert extraction["error"], context
        assert len(calls) == 1, context
        assert f"failed {article}" in result.stderr or extraction["error"] in result.stderr

    answered = [call for call in calls if call["finish_reason"] is not None]

    # The server answered, and its own token counts are logged: the prompt tokens are what the
    # server's tokenizer counts in the messages the call sent, rendered by the chat template
    # (neither an estimate nor a sum over other calls), and the completion kept to its budget.
    assert answered, context
    counter = TokenCounter(server.base_url, model=server.model, timeout=120)
    for call in answered:
        sent = counter.count(chatml(sent_messages(db, call)))
        assert sent.exact, sent
        assert call["prompt_tokens"] == sent.tokens, context
        assert 0 < call["completion_tokens"] <= MAX_TOKENS, context
        assert call["total_tokens"] == call["prompt_tokens"] + call["completion_tokens"]
        assert call["total_tokens"] <= N_CTX
        # An answer that used the whole budget was cut off, whatever finish_reason says
        # (this server reports "tool_calls" for a tool call cut at max_tokens).
        if call["completion_tokens"] == MAX_TOKENS:
            assert extraction["error_kind"] == ErrorKind.TRUNCATED, context
    assert extraction["prompt_tokens"] == sum(call["prompt_tokens"] for call in answered)


def test_check_against_the_real_server(server: LocalServer):
    """extractor check on llama-cpp-python: what it tells (no context length: it exposes none)
    and how each mode fares with a tiny article at 64 output tokens."""
    command = [str(EXTRACTOR), "check", "--json", "--model", server.model,
               "--base-url", server.base_url, "--api-key", "sk-no-key-needed",
               "--max-tokens", "64", "--timeout", str(REQUEST_TIMEOUT)]
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith(("OPENAI_", "EXTRACTOR_"))}
    result = subprocess.run(command, capture_output=True, text=True, env=environment,
                            timeout=REQUEST_TIMEOUT * 4, check=False)
    context = f"{result.stdout[-3000:]}\n{result.stderr[-2000:]}\n{server.log_tail(1500)}"
    report = json.loads(result.stdout)
    assert report["reachable"] and report["authentication"] == "accepted", context
    assert report["model_listed"] is True and report["listed"] == [server.model], context
    # llama-cpp-python has no /props and lists no max_model_len: the context is not told.
    assert report["context_length"] is None, context
    assert report["prompt_method"] == "llama-cpp-python /extras/tokenize/count", context
    statuses = {mode["mode"]: mode["status"] for mode in report["modes"]}
    # json_schema: HTTP 500 with a validation body, classed as refused (the mode is unsupported)
    assert statuses[Mode.JSON_SCHEMA] == "refused", context
    assert "json_object" in report["modes"][1]["detail"], context
    # the other modes are taken; at 64 tokens SmolLM2's answer is often cut off
    for mode in (Mode.TOOLS, Mode.JSON, Mode.MD_JSON):
        assert statuses[mode] in ("ok", ErrorKind.TRUNCATED, ErrorKind.VALIDATION), context
    assert report["recommended"] in (Mode.TOOLS, Mode.JSON, Mode.MD_JSON, None), context
    assert result.returncode == (0 if "ok" in statuses.values() else 3), context


def test_the_compact_prompts_constant_part_is_under_2000_tokens(server: LocalServer):
    """System message plus the schema as sent, by SmolLM2's own tokenizer (the server's)."""
    counter = TokenCounter(server.base_url, model=server.model, timeout=120)
    sizes = {}
    for name in ("extract", "compact"):
        prompt = load_prompt(name)
        schema = json.dumps(sent_schema(strict=False, bare_form=prompt.bare_schema),
                            separators=(",", ":"))
        system, schema_count = counter.count(prompt.system_message()), counter.count(schema)
        assert system.exact and schema_count.exact
        sizes[name] = system.tokens + schema_count.tokens
    assert sizes["compact"] < 2000 < sizes["extract"], sizes
