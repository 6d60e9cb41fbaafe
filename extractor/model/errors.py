"""What a failed request to a model endpoint means: retry it, fail the article, or stop the run.

Every failure of one HTTP request is classified here, once, into a :class:`RequestFailed`
(transport failures, retried by the one retry layer in :mod:`extractor.model.client` while the
budget lasts; or a refusal that fails only this article) or a
:class:`~extractor.backend.FatalBackendError` (the run cannot go on: every article would fail
alike). Messages are one line, name what to check, and never hold the API key.

Only public names of openai (its exception classes), httpx2 and aiohttp are used.
"""

from __future__ import annotations

import email.utils
import json
import re
import socket
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import openai

from extractor.backend import FatalBackendError
from extractor.model.state import Endpoint
from extractor.vocabulary import CallStatus, ErrorKind, Mode

RETRY_STATUSES = frozenset({408, 409, 429})
FATAL_STATUSES = frozenset({401, 403, 404})
MALFORMED_STATUSES = frozenset({400, 422})
MAX_SERVER_WAIT = 120.0  # a server asking for a longer pause is not retried (as the SDK does)

# What to try instead when a server refuses a mode's request as malformed.
ALTERNATIVES = {
    Mode.TOOLS: "json_schema or json",
    Mode.JSON_SCHEMA: "tools or json",
    Mode.JSON: "md_json",
    Mode.MD_JSON: None,
}
CONTEXT_LENGTH = re.compile(
    r"context[_ ]length|maximum context|context window|too many tokens|"
    r"prompt is too long|exceeds? the model'?s? (?:max|context)", re.IGNORECASE)
CONTENT_POLICY = frozenset({"content_filter", "content_policy_violation", "invalid_prompt"})
# A server that validates requests with pydantic (llama-cpp-python, FastAPI) and answers a
# request it cannot take with its validation error, whatever the status.
REQUEST_VALIDATION = re.compile(
    r"\d+ validation errors? for \w+|\[type=\w+,|Input should be ", re.IGNORECASE)
PARTIAL_NUMBER = re.compile(r"-?\d+(\.\d*)?([eE][-+]?\d*)?")


class RequestFailed(Exception):
    """One HTTP request failed; ``retryable`` says whether another try may help."""

    def __init__(self, message: str, *, status: str, kind: ErrorKind = ErrorKind.TRANSPORT,
                 retryable: bool = True, http_status: int | None = None,
                 server_wait: float | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.kind = kind
        self.retryable = retryable
        self.http_status = http_status
        self.server_wait = server_wait


class ResponseTooLarge(Exception):
    """The response body exceeded the configured cap (raised by the HTTP client)."""

    def __init__(self, limit: int, seen: int | None = None):
        what = f"{seen:,} bytes" if seen is not None else "more"
        super().__init__(f"the response was larger than --max-response-bytes "
                         f"({limit:,} bytes): {what}")


def server_wait(error: BaseException) -> float | None:
    """Seconds the server asked to wait: retry-after-ms, then retry-after (seconds or date)."""
    if not isinstance(error, openai.APIStatusError):
        return None
    headers = error.response.headers
    try:
        if headers.get("retry-after-ms"):
            return float(headers["retry-after-ms"]) / 1000
    except ValueError:
        pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        try:
            parsed = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        return max(0.0, (parsed - datetime.now(parsed.tzinfo or UTC)).total_seconds())


def _chain(error: BaseException) -> list[BaseException]:
    """The error and its causes, outermost first."""
    seen: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def unresolved_host(error: BaseException, endpoint: Endpoint) -> str | None:
    """The host name whose lookup failed, if that is what this connection error was."""
    for cause in _chain(error):
        if isinstance(cause, aiohttp.ClientConnectorDNSError):
            return str(cause.host)
        if isinstance(cause, socket.gaierror):
            return urlsplit(endpoint.base_url).hostname or endpoint.base_url
    return None


def _provider_message(error: openai.APIStatusError) -> str:
    body = error.body
    message = error.message
    if isinstance(body, dict):
        for key in ("message", "detail", "error"):
            value = body.get(key)
            if isinstance(value, str) and value:
                return value
            if isinstance(value, list) and value:
                return "; ".join(str(item.get("msg", item)) if isinstance(item, dict)
                                 else str(item) for item in value[:3])
    return message


def _refused_message(endpoint: Endpoint, status: int, reason: str) -> str:
    alternative = ALTERNATIVES.get(endpoint.mode)  # type: ignore[call-overload]
    head = (f"--mode {endpoint.mode} was refused by the server as malformed "
            f"(HTTP {status} at {endpoint.base_url}: {reason})")
    if alternative:
        return f"{head}: try --mode {alternative}"
    return f"{head}: check --model and the server's log"


def _fatal_message(endpoint: Endpoint, error: openai.APIStatusError) -> str:
    where = f"{endpoint.base_url} (HTTP {error.status_code}"
    where += f", {error.code})" if error.code else ")"
    if error.status_code == 401:
        return (f"authentication failed at {where}: check --api-key or OPENAI_API_KEY "
                "for this endpoint")
    if error.status_code == 403:
        return (f"permission denied at {where}: the API key may not use model "
                f"{endpoint.model!r} or this endpoint")
    if error.status_code == 404:
        return (f"not found at {where}: check the model name {endpoint.model!r} and "
                "--base-url (it usually ends in /v1)")
    return f"quota exhausted at {where}: check the plan and billing of this API key"


def _is_quota(error: openai.APIStatusError) -> bool:
    return "insufficient_quota" in (str(error.code), str(error.type))


def is_context_length(code: object, message: str) -> bool:
    return code == "context_length_exceeded" or CONTEXT_LENGTH.search(message) is not None


def classify_status(error: openai.APIStatusError, endpoint: Endpoint) -> RequestFailed:
    """An HTTP error status as a failure of this request; raises FatalBackendError when the
    run cannot go on."""
    status = error.status_code
    reason = endpoint.redact(_provider_message(error))
    code = f" ({error.code})" if error.code else ""
    described = f"HTTP {status}{code}: {reason}"
    call_status = f"http_{status}"
    if status in FATAL_STATUSES or (status == 429 and _is_quota(error)):
        raise FatalBackendError(endpoint.redact(_fatal_message(endpoint, error))) from error
    if status < 500 and is_context_length(error.code, reason):
        return RequestFailed(
            f"the request is longer than the model's context ({described}); lower "
            f"--max-input-tokens (now {endpoint.max_input_tokens}) so long articles go in "
            "smaller chunks", status=call_status, kind=ErrorKind.BAD_REQUEST, retryable=False,
            http_status=status)
    if status < 500 and str(error.code) in CONTENT_POLICY:
        return RequestFailed(described, status=call_status, kind=ErrorKind.BAD_REQUEST,
                             retryable=False, http_status=status)
    if status in MALFORMED_STATUSES or (
            status >= 500 and REQUEST_VALIDATION.search(reason) is not None):
        raise FatalBackendError(_refused_message(endpoint, status, reason)) from error
    wait = server_wait(error)
    should = error.response.headers.get("x-should-retry")
    if should in ("true", "false"):
        retryable = should == "true"
    else:
        retryable = (status in RETRY_STATUSES or status >= 500) and not (
            wait is not None and wait > MAX_SERVER_WAIT)
    return RequestFailed(described, status=call_status,
                         kind=ErrorKind.TRANSPORT if retryable or status >= 500
                         or status in RETRY_STATUSES else ErrorKind.BAD_REQUEST,
                         retryable=retryable, http_status=status, server_wait=wait)


def classify(error: BaseException, endpoint: Endpoint) -> RequestFailed:
    """Any exception of one request (the SDK's, or the deadline's) as a RequestFailed."""
    if isinstance(error, openai.APIStatusError):
        return classify_status(error, endpoint)
    if isinstance(error, TimeoutError):
        return RequestFailed(f"timed out after {endpoint.timeout:g} s (--timeout bounds the "
                             "whole request)", status=CallStatus.TIMEOUT)
    if isinstance(error, openai.APIConnectionError):  # timeouts included
        host = unresolved_host(error, endpoint)
        if host is not None:
            return RequestFailed(f"name resolution failed: {host}",
                                 status=CallStatus.CONNECTION)
        for cause in _chain(error):
            if isinstance(cause, ResponseTooLarge):
                return RequestFailed(str(cause), status=CallStatus.TOO_LARGE)
        if isinstance(error, openai.APITimeoutError):
            return RequestFailed(f"timed out after {endpoint.timeout:g} s",
                                 status=CallStatus.TIMEOUT)
        root = error.__cause__
        detail = str(root) if root is not None and str(root) else type(root or error).__name__
        return RequestFailed(endpoint.redact(f"connection failed: {detail}"),
                             status=CallStatus.CONNECTION)
    raise error


def not_a_completion(data: Any, content_type: str, text: str,
                     endpoint: Endpoint) -> RequestFailed:
    """A 2xx answer that is not a chat completion; HTML stops the run (wrong --base-url)."""
    stripped = text.lstrip()[:200].lower()
    if "html" in content_type or stripped.startswith(("<!doctype html", "<html")):
        raise FatalBackendError(f"the endpoint answered HTML, not JSON: is --base-url right? "
                                f"({endpoint.base_url})")
    if data is None:
        what = f"not JSON: {endpoint.redact(text[:120])!r}" if text.strip() else "an empty body"
    elif data == {}:
        what = "an empty JSON object ({})"
    elif isinstance(data, dict) and isinstance(data.get("error"), dict | str):
        error = data["error"]
        detail = error.get("message", error) if isinstance(error, dict) else error
        what = f"an error with status 200: {endpoint.redact(str(detail))}"
    else:
        what = f"JSON without a message in choices: {endpoint.redact(str(data)[:120])}"
    return RequestFailed(f"the endpoint answered {what}, not a chat completion",
                         status=CallStatus.BAD_RESPONSE)


def json_cut_off(text: str) -> bool:
    """True if ``text`` is JSON that ends before it is complete (an open string, object or
    array at the end), after any Markdown fence around it."""
    body = text.strip()
    if "```" in body:
        body = body.split("```", 2)[1] if body.count("```") >= 2 else body.split("```", 1)[1]
        body = body.removeprefix("json").strip()
    start = min((i for i in (body.find("{"), body.find("[")) if i >= 0), default=-1)
    if start < 0:
        return False
    body = body[start:]
    try:
        json.loads(body)
    except json.JSONDecodeError as error:
        rest = body[error.pos:]
        return (error.msg.startswith("Unterminated string") or error.pos >= len(body) - 1
                or any(word.startswith(rest) for word in ("null", "true", "false"))
                or PARTIAL_NUMBER.fullmatch(rest) is not None)
    return False
