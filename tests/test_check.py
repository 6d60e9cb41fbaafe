"""extractor check against the fake server: what it finds, how it names failures, exit status.

Counts are of HTTP requests the server received: one tiny extraction per mode, no retry."""

from __future__ import annotations

import json
from typing import Any

from click.testing import CliRunner

from extractor.cli import cli

CLEAN_ENV = {"EXTRACTOR_MODEL": None, "OPENAI_API_KEY": None, "OPENAI_BASE_URL": None,
             "EXTRACTOR_DB": None, "EXTRACTOR_MODE": None, "EXTRACTOR_CONFIG": None,
             "EXTRACTOR_PRICES": None}
TINY = "Menaka"  # a word of the check's tiny article


def check(fake: Any, *args: str) -> tuple[int, dict[str, Any]]:
    result = CliRunner(env=CLEAN_ENV).invoke(
        cli, ["check", "-m", "fake-model", "--base-url", fake.base_url, "--json", *args],
        catch_exceptions=False)
    return result.exit_code, json.loads(result.stdout)


def statuses(report: dict[str, Any]) -> dict[str, str]:
    return {mode["mode"]: mode["status"] for mode in report["modes"]}


def test_a_working_endpoint(fake_openai):
    fake_openai.context_length = 8192
    code, report = check(fake_openai)
    assert code == 0 and report["ok"] is True
    assert report["reachable"] is True and report["authentication"] == "accepted"
    assert report["model_listed"] is True
    assert report["context_length"] == 8192 and "/props" in report["context_source"]
    assert statuses(report) == dict.fromkeys(["tools", "json_schema", "json", "md_json"], "ok")
    assert report["recommended"] == "tools"
    assert report["prompt_tokens"] > 1000 and "tokenize" in report["prompt_method"]
    assert fake_openai.calls(TINY) == 4  # one request per mode
    assert all(entry["body"]["max_tokens"] == 256 for entry in fake_openai.requests(TINY))
    room = 8192 - report["prompt_tokens"] - 256
    assert any(f"about {room:,} tokens" in line for line in report["advice"])


def test_failures_are_named_per_mode(fake_openai):
    fake_openai.script(TINY, ["length", "refuse_schema", "invalid", "500"])
    code, report = check(fake_openai, "--max-tokens", "64")
    assert statuses(report) == {"tools": "truncated", "json_schema": "refused",
                                "json": "validation", "md_json": "transport"}
    assert "try --mode" in report["modes"][1]["detail"]
    assert fake_openai.calls(TINY) == 4  # no re-ask, no retry
    assert all(entry["body"]["max_tokens"] == 64 for entry in fake_openai.requests(TINY))
    # tools was accepted but cut off at the check's budget: recommended, with the reason
    assert report["recommended"] == "tools" and code == 3
    assert any("raise --max-tokens" in line for line in report["advice"])


def test_a_rejected_key_and_an_unlisted_model(fake_openai):
    fake_openai.api_key = "sk-right"
    fake_openai.model_ids = ("other-model",)
    code, report = check(fake_openai, "--api-key", "sk-wrong")
    assert report["authentication"] == "rejected (HTTP 401)" and report["model_listed"] is None
    assert code == 3 and report["modes"] == [] and fake_openai.calls() == 0
    assert any("key was rejected" in line for line in report["advice"])
    code, report = check(fake_openai, "--api-key", "sk-right")
    assert code == 0 and report["authentication"] == "accepted"
    assert report["model_listed"] is False and report["listed"] == ["other-model"]


def test_an_unreachable_endpoint_fails(fake_openai):
    code, report = check(fake_openai, "--base-url", "http://127.0.0.1:9/v1")
    assert code == 3 and report["reachable"] is False and report["modes"] == []
    assert report["recommended"] is None


def test_the_table(fake_openai):
    fake_openai.script(TINY, ["ok", "refuse_schema", "ok", "ok"])
    result = CliRunner(env=CLEAN_ENV).invoke(
        cli, ["check", "-m", "fake-model", "--base-url", fake_openai.base_url],
        catch_exceptions=False)
    assert result.exit_code == 0
    assert "Recommended: --mode tools" in result.stdout
    assert "refused" in result.stdout and "not told by the server" in result.stdout


def test_the_prompt_size_follows_the_prompt(fake_openai):
    _, full = check(fake_openai)
    _, compact = check(fake_openai, "--prompt", "compact")
    assert compact["prompt_tokens"] < full["prompt_tokens"] / 2
    result = CliRunner(env=CLEAN_ENV).invoke(
        cli, ["check", "-m", "fake-model", "--base-url", fake_openai.base_url,
              "--prompt", "nosuch"], catch_exceptions=False)
    assert result.exit_code == 1 and "prompt 'nosuch'" in result.stderr
    assert "Traceback" not in result.output
