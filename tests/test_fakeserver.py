"""The fake server speaks the wire format the SDK expects, in a thread and as a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import openai
import pytest
from fakeserver import default_result

from extractor.schemas import ExtractionResult

SERVER = Path(__file__).resolve().parent / "fakeserver.py"


def post(url: str, body: dict) -> tuple[int, dict, dict]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json",
                                              "Authorization": "Bearer sk-abcdefghijklmnop"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read())


def chat(marker: str) -> dict:
    return {"model": "m", "messages": [
        {"role": "system", "content": "rules"},
        {"role": "user", "content": f"Title: x\n\n<article>\nRebels shelled Gao. {marker}\n"
                                    "</article>\n"}]}


def test_default_result_is_valid_and_grounded():
    text = "Short. Rebels shelled the market in Gao on Sunday, killing three people. More."
    result = ExtractionResult.model_validate(default_result(text))
    assert result.incidents[0].evidence[0] in text


def test_error_bodies_and_headers(fake_openai):
    fake_openai.script("H1", [{"kind": "429", "retry_after": 1, "retry_after_ms": 1000},
                              "quota", "401", "400", "503"])
    url = fake_openai.base_url + "/chat/completions"
    status, headers, body = post(url, chat("H1"))
    assert status == 429 and headers["retry-after"] == "1" and headers["retry-after-ms"] == "1000"
    assert headers["x-ratelimit-remaining-requests"] == "0"
    assert headers["x-request-id"].startswith("req_fake_")
    assert body["error"]["code"] == "rate_limit_exceeded" and body["error"]["type"] == "requests"
    status, headers, body = post(url, chat("H1"))
    assert status == 429 and "retry-after" not in headers
    assert body["error"]["code"] == body["error"]["type"] == "insufficient_quota"
    status, _, body = post(url, chat("H1"))
    assert status == 401 and body["error"]["code"] == "invalid_api_key"
    assert "sk-abcdefghijklmnop" not in body["error"]["message"]  # masked, as OpenAI does
    status, _, body = post(url, chat("H1"))
    assert status == 400 and body["error"]["code"] == "context_length_exceeded"
    status, _, body = post(url, chat("H1"))
    assert status == 503
    status, _, body = post(url, chat("H1"))
    assert status == 200 and body["choices"][0]["finish_reason"] == "stop"
    assert [entry["index"] for entry in fake_openai.requests("H1")] == [0, 1, 2, 3, 4, 5]


def test_reply_shape_follows_the_request(fake_openai):
    url = fake_openai.base_url + "/chat/completions"
    tools = {**chat("S1"), "tools": [{"type": "function", "function": {
        "name": "Whatever", "parameters": {}}}]}
    _, _, body = post(url, tools)
    message = body["choices"][0]["message"]
    assert message["content"] is None and message["tool_calls"][0]["function"]["name"] == \
        "Whatever"
    ExtractionResult.model_validate_json(message["tool_calls"][0]["function"]["arguments"])
    usage = body["usage"]
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"] > 0
    _, _, body = post(url, {**chat("S2"), "response_format": {"type": "json_object"}})
    ExtractionResult.model_validate_json(body["choices"][0]["message"]["content"])
    _, _, body = post(url, chat("S3"))
    assert "```json\n" in body["choices"][0]["message"]["content"]


def test_fault_mix_is_seeded(fake_openai):
    fake_openai.fault_mix = {"500": 0.5}
    url = fake_openai.base_url + "/chat/completions"
    statuses = [post(url, chat(f"X{n}"))[0] for n in range(20)]
    assert 0 < statuses.count(500) < 20
    fake_openai.reset()
    assert [post(url, chat(f"X{n}"))[0] for n in range(20)] == statuses


@pytest.mark.timeout(60)
def test_runs_as_a_subprocess_driven_over_http():
    process = subprocess.Popen([sys.executable, str(SERVER), "--port", "0", "--latency", "0.05"],
                               stdout=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        assert line.startswith("READY http://127.0.0.1:")
        base_url = line.split()[1]
        with urllib.request.urlopen(base_url + "/models", timeout=5) as response:
            assert json.loads(response.read())["data"][0]["id"] == "fake-model"
        post(base_url.removesuffix("/v1") + "/_fake/script", {"match": "P1", "steps": ["500"]})
        client = openai.OpenAI(base_url=base_url, api_key="k", max_retries=0)
        with pytest.raises(openai.InternalServerError):
            client.chat.completions.create(**chat("P1"))
        reply = client.chat.completions.create(**chat("P1"))
        assert reply.choices[0].message.content
        client.close()
        with urllib.request.urlopen(base_url.removesuffix("/v1") + "/_fake/log") as response:
            log = json.loads(response.read())
        assert [entry["kind"] for entry in log if "P1" in entry["article"]] == ["500", "ok"]
    finally:
        process.terminate()
        process.wait(10)
