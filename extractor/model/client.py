"""One HTTP request to a chat-completions endpoint: deadline, size cap, transport retries, log.

The request goes out through openai's public client (``AsyncOpenAI.post``, the SDK's documented
call for raw requests: its base URL, auth headers and error classes), over the aiohttp
transport (``openai.DefaultAioHttpClient``), with the SDK's own retries off
(``max_retries=0``): the SDK retries every 429, ``insufficient_quota`` included, which must stop
the run at once.

* **One retry layer** for transport failures (429, 408/409, 5xx, timeouts, dropped
  connections, answers that are not a chat completion): tenacity in :meth:`ModelClient.send`,
  around each HTTP request, under instructor's re-asks (a 500 on a re-ask repeats that request,
  not the conversation). Exponential backoff with jitter, or exactly the wait the server asks
  for (``retry-after-ms``, then ``retry-after``); a 429 pauses every request of the client for
  that long. At most ``max_retries`` retries.
* **Deadline.** ``--timeout`` bounds each request as a whole: connecting, the headers and the
  whole body (a server dripping one byte at a time cannot hold a request open longer).
* **Size cap.** A response body over ``--max-response-bytes`` is abandoned as soon as it
  passes the cap (at once when its Content-Length says so), and counts as a transport failure.
* **Log.** Every request is a :class:`~extractor.backend.ModelCall`: latency, status, usage,
  request id, the model's output, and the messages new since the previous request.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from typing import Any

import httpx2
import openai
from openai.types.chat import ChatCompletion
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt

from extractor.backend import FatalBackendError, ModelCall, Usage
from extractor.model.errors import (
    MAX_SERVER_WAIT,
    RequestFailed,
    ResponseTooLarge,
    classify,
    not_a_completion,
)
from extractor.model.ratelimit import RateLimiter, estimate_tokens
from extractor.model.state import Endpoint, Extraction
from extractor.vocabulary import CallStatus, now

# Local servers take any key; the SDK wants one, and must not go looking in the environment.
NO_KEY = "no-key"
DROPPED_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})


class CappedHttpClient(openai.DefaultAioHttpClient):
    """openai's aiohttp client, reading each response body under a size cap."""

    def __init__(self, *, max_response_bytes: int, **kwargs: Any):
        super().__init__(**kwargs)
        self.max_response_bytes = max_response_bytes

    async def send(self, request: httpx2.Request, *, stream: bool = False,
                   **kwargs: Any) -> httpx2.Response:
        response = await super().send(request, stream=True, **kwargs)
        if stream:
            return response
        limit = self.max_response_bytes
        chunks: list[bytes] = []
        try:
            length = response.headers.get("content-length", "")
            if length.isdigit() and int(length) > limit:
                raise ResponseTooLarge(limit, int(length))
            size = 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > limit:
                    raise ResponseTooLarge(limit)
                chunks.append(chunk)
        finally:
            await response.aclose()
        # The body is decoded already: the new response must not decode it again.
        headers = [(name, value) for name, value in response.headers.multi_items()
                   if name.lower() not in DROPPED_HEADERS]
        return httpx2.Response(response.status_code, headers=headers, content=b"".join(chunks),
                               request=request, extensions=response.extensions)


def usage_of(completion: ChatCompletion) -> Usage:
    usage = completion.usage
    if usage is None:
        return Usage()
    prompt = usage.prompt_tokens or 0
    completion_tokens = usage.completion_tokens or 0
    return Usage(prompt, completion_tokens, usage.total_tokens or prompt + completion_tokens)


def output_of(completion: ChatCompletion) -> tuple[str | None, str | None]:
    """The model's output (tool-call arguments or content) and the finish reason."""
    if not completion.choices:
        return None, None
    choice = completion.choices[0]
    message = choice.message
    if message.tool_calls:
        call = message.tool_calls[0]
        function = getattr(call, "function", None)
        return (function.arguments if function is not None else None), choice.finish_reason
    return message.content, choice.finish_reason


def _has_message(data: Any) -> bool:
    if not isinstance(data, dict):
        return False
    choices = data.get("choices")
    return (isinstance(choices, list) and bool(choices) and isinstance(choices[0], dict)
            and isinstance(choices[0].get("message"), dict))


def parse_completion(response: httpx2.Response, endpoint: Endpoint) -> ChatCompletion:
    """The body of a 2xx answer as a ChatCompletion, or RequestFailed saying what it was."""
    content_type = response.headers.get("content-type", "")
    try:
        data = json.loads(response.content)
    except ValueError:  # not JSON, or not UTF-8
        data = None
    if not _has_message(data):
        raise not_a_completion(data, content_type, response.text, endpoint)
    try:
        return ChatCompletion.model_validate(data)
    except ValueError:
        # A provider's variation the schema does not allow: the SDK's lenient construction.
        return ChatCompletion.model_construct(**data)


class ModelClient:
    """HTTP requests of one backend: one openai client, one shared 429 pause, one limiter."""

    def __init__(self, endpoint: Endpoint, *, api_key: str | None, max_retries: int,
                 max_tokens: int, max_response_bytes: int, limiter: RateLimiter,
                 backoff_base: float = 0.5, backoff_max: float = 30.0):
        self.endpoint = endpoint
        self.max_retries = max_retries
        self.max_tokens = max_tokens
        self.limiter = limiter
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        # Arguments given explicitly: the SDK would otherwise read OPENAI_* from the
        # environment, and retry on its own (max_retries=0: the one retry layer is ours).
        self.openai = openai.AsyncOpenAI(
            api_key=api_key or NO_KEY, base_url=endpoint.base_url, timeout=endpoint.timeout,
            max_retries=0,
            http_client=CappedHttpClient(max_response_bytes=max_response_bytes))
        # When the server says "retry after N s", every request waits, not only the one that
        # was told: the others would only collect 429s of their own.
        self._resume_at = 0.0

    async def aclose(self) -> None:
        await self.openai.close()

    def _wait(self, retry_state: RetryCallState) -> float:
        error = retry_state.outcome.exception() if retry_state.outcome else None
        if isinstance(error, RequestFailed) and error.server_wait is not None:
            return error.server_wait
        ceiling = min(self.backoff_max,
                      self.backoff_base * 2.0 ** (retry_state.attempt_number - 1))
        return float(ceiling / 2 + random.uniform(0, ceiling / 2))

    async def send(self, state: Extraction, body: dict[str, Any]) -> ChatCompletion:
        """One ask of ``state``'s extraction, with the transport retries."""
        messages = body.get("messages", [])
        new_messages = messages[state.messages_logged:]
        state.messages_logged = len(messages)
        tokens = estimate_tokens(sum(len(str(m.get("content") or "")) for m in messages),
                                 self.max_tokens)
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.max_retries + 1), wait=self._wait,
            retry=retry_if_exception(lambda e: isinstance(e, RequestFailed) and e.retryable),
            reraise=True)
        async for attempt in retrying:
            with attempt:
                return await self._request(state, body, new_messages, tokens)
        raise AssertionError("unreachable: tenacity re-raises the last error")

    async def _request(self, state: Extraction, body: dict[str, Any],
                       new_messages: list[Any], tokens: int) -> ChatCompletion:
        pause = self._resume_at - time.monotonic()
        if pause > 0:
            await asyncio.sleep(pause)
        if self.limiter.active:
            await self.limiter.acquire(tokens)
        first_of_ask = not any(call.ask == state.asks for call in state.calls)
        call = ModelCall(attempt=len(state.calls) + 1, ask=state.asks,
                         request_messages=new_messages if first_of_ask else None,
                         status=CallStatus.OK, created_at=now())
        state.calls.append(call)
        started = time.perf_counter()
        try:
            try:
                async with asyncio.timeout(self.endpoint.timeout):
                    response = await self.openai.post("/chat/completions", body=body,
                                                      cast_to=httpx2.Response)
            except (openai.APIError, TimeoutError) as error:
                call.request_id = getattr(error, "request_id", None)
                raise classify(error, self.endpoint) from error
            call.request_id = response.headers.get("x-request-id")
            completion = parse_completion(response, self.endpoint)
        except RequestFailed as failure:
            call.latency_ms = (time.perf_counter() - started) * 1000
            call.status, call.http_status, call.error = (
                failure.status, failure.http_status, failure.message)
            if failure.http_status == 429 and failure.server_wait is not None \
                    and failure.server_wait <= MAX_SERVER_WAIT:
                self._resume_at = max(self._resume_at, time.monotonic() + failure.server_wait)
            raise
        except FatalBackendError as fatal:
            call.latency_ms = (time.perf_counter() - started) * 1000
            cause = fatal.__cause__
            if isinstance(cause, openai.APIStatusError):
                call.status, call.http_status = f"http_{cause.status_code}", cause.status_code
            else:
                call.status = CallStatus.BAD_RESPONSE
            call.error = str(fatal)
            raise
        call.latency_ms = (time.perf_counter() - started) * 1000
        call.response, call.finish_reason = output_of(completion)
        call.usage = usage_of(completion)
        return completion
