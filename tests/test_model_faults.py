"""Faults of real servers and broken endpoints, against the fake server: deadlines, size caps,
modes refused as malformed, answers cut off or padded, and the messages each one gives.

Counts are of HTTP requests the server received; wall times are bounded, not measured.
"""

from __future__ import annotations

import socket
import time
from typing import Any

import httpx2
import model_support
import openai
import pytest
from model_support import article, run

from extractor.backend import FatalBackendError
from extractor.config import ConfigError, ModelConfig, RunConfig
from extractor.model.errors import classify
from extractor.model.llm import OpenAIBackend, build_llm_backend
from extractor.model.prompting import load_prompt
from extractor.model.state import Endpoint

PROMPT = load_prompt("extract")


def make_backend(fake: Any, **overrides: Any) -> OpenAIBackend:
    return model_support.make_backend(fake, **{"model": "local-model", "api_key": "k", **overrides})


def one_line(text: str | None) -> str:
    """A failure's message with its line breaks folded, as the console shows it (the database
    keeps it whole: a validation report runs over several lines)."""
    assert text is not None
    return " ".join(text.split())


# --- Task B: one deadline per request, one size cap per answer ---------------------------------


def test_a_slow_drip_is_cut_at_the_deadline_and_retried(fake_openai):
    fake_openai.script("DR1", [{"kind": "drip", "interval": 0.05}] * 3)
    started = time.monotonic()
    result = run(make_backend(fake_openai, timeout=1.0, max_retries=1), article("DR1"))
    elapsed = time.monotonic() - started
    # A byte every 0.05 s never trips a between-reads timeout; the whole-request one does.
    assert result.error_kind == "transport" and fake_openai.calls("DR1") == 2
    assert [c.status for c in result.calls] == ["timeout", "timeout"]
    assert "timed out after 1 s" in one_line(result.error)
    assert elapsed < 6.0, elapsed
    fake_openai.script("DR2", [{"kind": "drip", "interval": 0.05}, "ok"])
    result = run(make_backend(fake_openai, timeout=1.0), article("DR2"))
    assert result.ok and fake_openai.calls("DR2") == 2


@pytest.mark.parametrize("chunked", [False, True])
def test_a_huge_answer_is_abandoned_at_the_cap_and_retried(fake_openai, chunked):
    marker = f"HG{int(chunked)}"
    fake_openai.script(marker, [{"kind": "huge", "mb": 64, "chunked": chunked}] * 2 + ["ok"])
    started = time.monotonic()
    result = run(make_backend(fake_openai, max_response_bytes=2**20, max_retries=1),
                 article(marker))
    assert result.error_kind == "transport" and fake_openai.calls(marker) == 2
    assert [c.status for c in result.calls] == ["too_large", "too_large"]
    assert "larger than --max-response-bytes (1,048,576 bytes)" in one_line(result.error)
    if not chunked:  # the Content-Length said so: nothing was read
        assert "67,108,864 bytes" in result.error
    assert time.monotonic() - started < 10.0
    # The cap fails the request, not the article: the next try is read as usual.
    result = run(make_backend(fake_openai, max_response_bytes=2**20), article(marker))
    assert result.ok and fake_openai.calls(marker) == 3


# --- Task C: modes as servers implement them ---------------------------------------------------


def test_json_schema_refused_as_malformed_stops_the_run_naming_the_alternative(fake_openai):
    fake_openai.script("MS1", ["refuse_schema", "ok"])
    with pytest.raises(FatalBackendError) as caught:
        run(make_backend(fake_openai, mode="json_schema"), article("MS1"))
    message = one_line(str(caught.value))
    assert message.startswith("--mode json_schema was refused by the server as malformed")
    assert message.endswith("try --mode tools or json") and "HTTP 500" in message
    assert fake_openai.calls("MS1") == 1


def test_a_422_stops_the_run_naming_the_alternative(fake_openai):
    fake_openai.script("MS2", ["422", "ok"])
    with pytest.raises(FatalBackendError, match=r"--mode tools was refused .* try --mode "
                                                r"json_schema or json"):
        run(make_backend(fake_openai), article("MS2"))
    assert fake_openai.calls("MS2") == 1


def test_an_exceeded_context_fails_the_article_naming_max_input_tokens(fake_openai):
    fake_openai.script("CX1", ["400", "ok"])
    result = run(make_backend(fake_openai, max_input_tokens=8000), article("CX1"))
    assert result.error_kind == "bad_request" and fake_openai.calls("CX1") == 1
    message = one_line(result.error)
    assert "--max-input-tokens (now 8000)" in message and "maximum context length" in message


@pytest.mark.parametrize("step", [
    {"kind": "cutoff"},  # completion tokens at max_tokens, finish_reason tool_calls
    {"kind": "cutoff", "context": 4096, "finish_reason": "stop"},  # the context filled
])
def test_json_cut_off_at_a_limit_is_truncated_whatever_finish_reason_says(fake_openai, step):
    fake_openai.script("CO1", [step, "ok"])
    result = run(make_backend(fake_openai), article("CO1"))
    assert result.error_kind == "truncated" and fake_openai.calls("CO1") == 1
    assert "stopped mid-JSON" in one_line(result.error) and "--max-tokens" in result.error
    assert result.calls[0].status == "truncated"
    assert result.calls[0].finish_reason == step.get("finish_reason", "tool_calls")


def test_a_reask_that_cannot_fit_is_not_sent(fake_openai):
    fake_openai.script("RF1", ["malformed", "ok"])
    result = run(make_backend(fake_openai, max_input_tokens=1000), article("RF1"))
    assert result.error_kind == "validation" and fake_openai.calls("RF1") == 1
    message = one_line(result.error)
    assert message.startswith("invalid output after 1 ask(s)")
    assert "not re-asked" in message and "--max-input-tokens (1000)" in message
    assert [c.status for c in result.calls] == ["rejected"]


@pytest.mark.parametrize("mode", ["json", "md_json", "tools"])
def test_keys_the_schema_lacks_are_dropped_and_noted(fake_openai, mode):
    fake_openai.script("XK1", ["extra_keys"])
    result = run(make_backend(fake_openai, mode=mode), article("XK1"))
    assert result.ok and fake_openai.calls("XK1") == 1
    [call] = result.calls
    assert call.status == "ok"
    assert call.error == ("accepted after dropping incidents[].confidence x1; title x1")


def test_a_repeated_record_collapses_to_one(fake_openai):
    fake_openai.script("RP1", [{"kind": "repeat", "times": 3}])
    result = run(make_backend(fake_openai), article("RP1"))
    assert result.ok and len(result.result.incidents) == 1
    assert result.calls[0].error == "accepted after dropping repeated incidents x2"


def test_a_server_error_on_a_reask_repeats_that_request_only(fake_openai):
    fake_openai.script("RA1", ["malformed", "500", "ok"])
    result = run(make_backend(fake_openai), article("RA1"))
    assert result.ok and fake_openai.calls("RA1") == 3
    assert [(c.ask, c.status) for c in result.calls] == [
        (1, "rejected"), (2, "http_500"), (2, "ok")]
    first, second, third = fake_openai.requests("RA1")
    assert len(first["body"]["messages"]) < len(second["body"]["messages"])
    assert second["body"]["messages"] == third["body"]["messages"]


# --- Messages (issue 10.9) ----------------------------------------------------------------------


def test_an_empty_json_answer_says_so_in_words(fake_openai):
    fake_openai.script("EJ1", ["empty"] * 3)
    result = run(make_backend(fake_openai, max_retries=2), article("EJ1"))
    assert result.error_kind == "transport" and fake_openai.calls("EJ1") == 3
    assert "the endpoint answered an empty JSON object ({}), not a chat completion" in \
        one_line(result.error)
    assert {c.status for c in result.calls} == {"bad_response"}
    assert "NoneType" not in result.error


def test_an_html_page_stops_the_run_asking_about_the_base_url(fake_openai):
    fake_openai.script("HT1", ["html", "ok"])
    with pytest.raises(FatalBackendError) as caught:
        run(make_backend(fake_openai), article("HT1"))
    assert one_line(str(caught.value)).startswith(
        "the endpoint answered HTML, not JSON: is --base-url right?")
    assert fake_openai.calls("HT1") == 1


def test_a_failed_name_lookup_is_not_called_a_timeout():
    """The aiohttp transport reports a failed DNS lookup as a connect timeout; the cause says
    what it was. (A real lookup would leave 127.0.0.1, so the error chain is built here.)"""
    endpoint = Endpoint(base_url="http://llm.internal.example:8000/v1", model="m",
                        mode="tools", timeout=60.0, max_input_tokens=32000)
    request = httpx2.Request("POST", endpoint.base_url + "/chat/completions")
    try:
        try:
            try:
                raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
            except OSError as lookup:
                raise httpx2.ConnectTimeout("Cannot connect to host") from lookup
        except httpx2.ConnectTimeout as transport:
            raise openai.APITimeoutError(request=request) from transport
    except openai.APITimeoutError as error:
        failure = classify(error, endpoint)
    assert failure.status == "connection" and failure.retryable
    assert failure.message == "name resolution failed: llm.internal.example"
    assert "timed out" not in failure.message


def test_openais_endpoint_without_a_key_stops_before_any_request(fake_openai, tmp_path,
                                                                 monkeypatch):
    from click.testing import CliRunner

    from extractor.cli import cli

    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "EXTRACTOR_MODEL", "EXTRACTOR_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ConfigError, match="needs an API key: set OPENAI_API_KEY or --api-key"):
        build_llm_backend(ModelConfig(model="gpt-4o-mini"), RunConfig())
    (tmp_path / "a.txt").write_text("Gunmen attacked an army post in Menaka, killing four.\n")
    result = CliRunner().invoke(cli, ["extract", str(tmp_path / "a.txt"), "--db",
                                      str(tmp_path / "out.db"), "--model", "gpt-4o-mini",
                                      "--quiet"])
    assert result.exit_code != 0
    assert "https://api.openai.com/v1 needs an API key" in result.output
    assert "Traceback" not in result.output
    assert len([line for line in result.output.splitlines() if line.startswith("Error")]) == 1
    assert fake_openai.calls() == 0
    # A local server takes no key.
    assert build_llm_backend(ModelConfig(model="m", base_url=fake_openai.base_url),
                             RunConfig()).base_url == fake_openai.base_url
