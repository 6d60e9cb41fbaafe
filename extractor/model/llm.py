"""The model backend: any OpenAI-compatible chat-completions endpoint, through instructor.

One ``openai.AsyncOpenAI`` client per run. instructor turns the completion into a validated
:class:`ExtractionResult` in one of four modes (``tools``, ``json_schema``, ``json``,
``md_json``) and re-asks, with the validation error, when the output does not parse or
validate.

Every failure is handled once, in one place:

* **Transport** (429 rate limits, 408/409, 5xx, timeouts, dropped connections) is retried by
  ONE tenacity layer in :meth:`OpenAIBackend._send`, around each HTTP request: exponential
  backoff with jitter, or exactly the wait the server asks for (``retry-after-ms``, then
  ``retry-after`` in seconds or as a date; a 429 pauses every request of the backend for that
  long), at most ``max_retries`` retries. The SDK's own
  retries are off (``max_retries=0``): the SDK retries every 429, ``insufficient_quota``
  included, which must stop the run at once. instructor (>= 1.15.3) re-asks only on parse and
  validation errors, so it never repeats a transport failure. Retries exhausted: the article
  fails with ``transport``; a later run tries it again.
* **Fatal** (401, 403, 404, 429 ``insufficient_quota``): no retry; :class:`FatalBackendError`
  stops the run. 404 is fatal too: a wrong model name or base URL fails every article alike.
* **Bad request** (400, 422: context length exceeded and the like): the article fails with
  ``bad_request`` and the provider's reason.
* **Invalid output** (not JSON, not an ExtractionResult): instructor re-asks
  ``validation_retries`` times; then the article fails with ``validation`` and the last output
  in ``raw_response``.
* **Truncated output** (``finish_reason=length``): never re-asked with the same budget; the
  article fails with ``truncated``.

instructor runs the asks over our own send function rather than over
``client.chat.completions.create`` (what ``instructor.from_openai`` patches): that is what lets
the one retry layer sit under the re-asks (a 500 on a re-ask retries that request, not the
whole conversation) and lets every HTTP request be logged with its latency, status and usage
(:class:`ModelCall`, stored in ``model_calls``). Usage is summed over those requests, so failed
re-asks count; a response without usage counts as 0.

Grounding. Evidence quotes must come from the article. The response model adds a validator
that fails when a quote does not align with the article text (exactly, or after folding
quotes and whitespace, or fuzzily: :func:`extractor.resolve.grounding.align`), so instructor re-asks
with the offending quote, as in instructor's "exact citations" pattern. The check is strict only
while re-asks remain: on the last allowed attempt it accepts the result as it is, and
post-processing marks what still does not align as ``unaligned``; an ungrounded quote never
fails an article. Grounding re-asks share the ``validation_retries`` budget. The article text
reaches the validator through a context variable, not instructor's ``context=`` argument:
instructor 1.17 also renders every message as a Jinja template when ``context`` is given
(``v2/core/templating.py``), and an article containing ``{{`` would break the request or be
evaluated.

Throughput (CPU per request, measured on instructor 1.17 / openai 3.3): instructor's patched
``create`` wraps a plain model in a freshly created subclass on every call (``response_schema``,
~4.6 ms), walks the model for async validators four times (~0.9 ms each), and in tools mode
rebuilds the tool definition; the SDK's ``create`` then re-walks the whole body, schema
included, against its TypedDicts (~2.9 ms). Here the response model already derives from
``instructor.ResponseSchema`` and caches its JSON Schema; the tool definition or
``response_format`` is prepared once per backend by instructor's own request handler for the
mode; the asks run through instructor's ``retry_async`` (parse, validate, re-ask) directly; and
the request, already plain JSON, goes out with ``client.post`` (the SDK's documented path for
raw requests: same retries-off client, errors, timeouts), over the aiohttp transport. The one
async-validator scan left in ``retry_async`` is done once for our model
(:func:`_scan_response_model_once`). The system message is rendered once. The body's constant
part (settings, tool definition or response_format, system message: ~25 KB) is JSON-encoded
once and each article's messages spliced in (:class:`_BodyEncoder`, posted as ``content=``),
and the response is built by pydantic validation rather than the SDK's per-field
``construct_type`` walk (:func:`_light_completion`; the SDK's path when it does not validate). Measured against
the fake server: ~2.5 ms of CPU per request, down from ~9 ms with ``from_openai``.
"""

from __future__ import annotations

import asyncio
import contextvars
import email.utils
import json
import logging
import random
import re
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar

import pydantic
from pydantic import model_validator
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt

from extractor import schemas
from extractor.backend import BackendResult, FatalBackendError, ModelCall, Usage
from extractor.config import ConfigError, ModelConfig, RunConfig
from extractor.model.prices import PriceTable, PriceTableError
from extractor.model.prompting import Prompt, PromptError, load_prompt
from extractor.model.ratelimit import RateLimiter, estimate_tokens
from extractor.resolve.grounding import UNALIGNED, align
from extractor.schemas import Article

log = logging.getLogger(__name__)
# instructor logs every failed attempt at ERROR; our outcome and the model_calls table record
# them already. Without this, an unconfigured program would print them over the progress bar.
logging.getLogger("instructor").addHandler(logging.NullHandler())

MODE_NAMES = ("tools", "json_schema", "json", "md_json")
DEFAULT_BASE_URL = "https://api.openai.com/v1"
# Local servers take any key; the SDK wants one, and must not go looking in the environment.
NO_KEY = "no-key"
RETRY_STATUSES = frozenset({408, 409, 429})
FATAL_STATUSES = frozenset({401, 403, 404})
MAX_SERVER_WAIT = 120.0  # a server asking for a longer pause is not retried (as the SDK does)
ERROR_CHARS = 1_000
REASONING_MODEL = re.compile(r"^(o[1-9]|gpt-5)(\b|[-.:])")


@dataclass
class _Extraction:
    """State of one article's extraction, seen by the send function and the validator."""

    text: str
    max_asks: int
    calls: list[ModelCall] = field(default_factory=list)
    asks: int = 0
    messages_logged: int = 0

    @property
    def last_ask(self) -> bool:
        return self.asks >= self.max_asks


_current: contextvars.ContextVar[_Extraction | None] = contextvars.ContextVar(
    "extractor_llm_extraction", default=None)




def _scan_response_model_once() -> None:
    """Skip instructor's per-ask scan of our response model for async validators.

    instructor 1.17 walks the whole class tree of the response model on every ask, looking for
    its async validators (``reject_async_validators``: ~0.9 ms of CPU, a quarter of the
    backend's CPU per request). Our model has none and classes do not change: it is scanned
    once, here, and the scan is skipped for it afterwards. Every other model still gets the
    scan on every call. If instructor moves the function, nothing is changed.
    """
    module = sys.modules.get("instructor.v2.validation.async_validators")
    scan = getattr(module, "reject_async_validators", None)
    if scan is None or getattr(scan, "skips", None) is not None:
        return
    scan(ExtractionResult)  # raises if our model ever gains an async validator

    def reject_async_validators(response_model: Any) -> None:
        if response_model is not ExtractionResult:
            scan(response_model)

    reject_async_validators.skips = ExtractionResult  # type: ignore[attr-defined]
    module.reject_async_validators = reject_async_validators  # type: ignore[union-attr]




_LAZY = frozenset({"openai", "instructor", "MODES", "ExtractionResult",
                    "GroundedExtractionResult", "_Completion", "ChatCompletion"})


def _load() -> None:
    """Import openai and instructor, and define what derives from them.

    Deferred to the first model request (or the first use of a name in ``_LAZY``): importing
    the two takes ~1.5 s of CPU, which a fully cached run, or ``extractor`` without a model,
    never needs.
    """
    global openai, instructor, MODES, ExtractionResult, GroundedExtractionResult, _Completion
    global ChatCompletion, IncompleteOutputException, InstructorRetryException, retry_async
    global Provider, mode_registry, construct_type
    if "_Completion" in globals():
        return
    import instructor
    import openai
    from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
    from instructor.core.retry import retry_async
    from instructor.v2.core.providers import Provider
    from instructor.v2.core.registry import mode_registry
    from openai._models import construct_type
    from openai.types.chat import ChatCompletion

    MODES = {
        "tools": instructor.Mode.TOOLS,
        "json_schema": instructor.Mode.JSON_SCHEMA,
        "json": instructor.Mode.JSON,
        "md_json": instructor.Mode.MD_JSON,
    }

    class ExtractionResult(schemas.ExtractionResult, instructor.ResponseSchema):
        """Everything extracted from one article."""

        # Named as the schema: the class name is the tool name (tools) and the json_schema name.

        _schema_cache: ClassVar[dict[str, Any] | None] = None

        @classmethod
        def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:  # type: ignore[override]
            if args or kwargs:
                return super().model_json_schema(*args, **kwargs)
            if cls._schema_cache is None:
                # The same schema as the plain ExtractionResult: what schema_hash() versions.
                cls._schema_cache = schemas.ExtractionResult.model_json_schema()
            return cls._schema_cache

        @model_validator(mode="after")
        def _evidence_in_article(self) -> ExtractionResult:
            state = _current.get()
            if state is None or state.last_ask:
                return self
            missing = [
                (number, quote)
                for number, incident in enumerate(self.incidents)
                for quote in incident.evidence
                if quote not in state.text and align(quote, state.text).status == UNALIGNED
            ]
            if missing:
                listed = "; ".join(f"incidents[{n}]: {q[:200]!r}" for n, q in missing[:5])
                raise ValueError(
                    "evidence quotes must be copied character for character from the article; "
                    f"not found in it: {listed}")
            return self



    GroundedExtractionResult = ExtractionResult
    _scan_response_model_once()

    class _Completion(openai.BaseModel):
        """``cast_to`` of the chat request, never instantiated: the SDK hands the response JSON
        to ``build`` (its ``ModelBuilderProtocol``) and attaches the request id to the result."""

        @classmethod
        def build(cls, *, response: Any, data: object) -> ChatCompletion:
            light = _light_completion(data)
            if light is not None:
                return light
            return construct_type(type_=ChatCompletion, value=data)  # type: ignore[no-any-return]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        _load()
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _usage(completion: Any) -> Usage:
    usage = getattr(completion, "usage", None)
    if usage is None:
        return Usage()
    prompt = usage.prompt_tokens or 0
    completion_tokens = usage.completion_tokens or 0
    return Usage(prompt, completion_tokens, usage.total_tokens or prompt + completion_tokens)


def _output(completion: Any) -> tuple[str | None, str | None]:
    """The model's output (tool-call arguments or content) and the finish reason."""
    choices = getattr(completion, "choices", None) or []
    if not choices:
        return None, None
    message = choices[0].message
    if message.tool_calls:
        return message.tool_calls[0].function.arguments, choices[0].finish_reason
    return message.content, choices[0].finish_reason


def _dumps(value: Any) -> str:
    """JSON as the SDK encodes a request body (``openapi_dumps``): compact, UTF-8, no NaN."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _plain_system(message: Any) -> bool:
    return (isinstance(message, dict) and len(message) == 2 and message.get("role") == "system"
            and isinstance(message.get("content"), str))


class _BodyEncoder:
    """Request bodies as JSON bytes, the constant part encoded once.

    Every request of a backend carries the same model, sampling settings, tool definition or
    response_format and system message (~25 KB of the body); only the messages after the
    system message change. Their encoding is kept as a prefix and the rest spliced in; a body
    whose constant part differs from the last one (another system message, other settings)
    makes a new prefix. The bytes are what ``json.dumps`` of the whole body gives, key order
    aside (tested: the server parses the same body).
    """

    def __init__(self) -> None:
        self._fixed: dict[str, Any] | None = None
        self._system: str | None = None
        self._prefix = b""

    def encode(self, body: dict[str, Any]) -> bytes | None:
        """The body as bytes; None if it does not start with a plain system message."""
        messages = body.get("messages")
        if not isinstance(messages, list) or not messages or not _plain_system(messages[0]):
            return None
        system = messages[0]["content"]
        fixed = self._fixed
        if (fixed is None or system != self._system or len(body) != len(fixed) + 1
                or any(key not in fixed or fixed[key] != value
                       for key, value in body.items() if key != "messages")):
            fixed = {key: value for key, value in body.items() if key != "messages"}
            head = _dumps(fixed)[:-1] + ("," if fixed else "")
            self._prefix = (head + '"messages":[' + _dumps(messages[0])).encode()
            self._fixed, self._system = fixed, system
        rest = messages[1:]
        tail = "," + _dumps(rest)[1:] if rest else "]"
        return self._prefix + tail.encode() + b"}"


def _light_completion(data: Any) -> ChatCompletion | None:
    """The response as a ``ChatCompletion``, by pydantic's compiled validation; None when it
    does not validate (the SDK's lenient construction then runs, as before).

    The SDK builds responses with ``construct_type``, a Python walk over the declared type of
    every field of every nested model: ~190 us per response here, ~11% of the client's CPU at
    concurrency 64. Validating the same JSON takes ~16 us and gives the same models (tested);
    a provider's extra fields are kept either way (the SDK's models allow extras)."""
    try:
        return ChatCompletion.model_validate(data)
    except pydantic.ValidationError:
        return None


def _server_wait(error: BaseException) -> float | None:
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
        parsed = email.utils.parsedate_to_datetime(value) if value else None
        if parsed is None:
            return None
        return max(0.0, (parsed - datetime.now(parsed.tzinfo or UTC)).total_seconds())


def _is_quota(error: openai.APIStatusError) -> bool:
    return "insufficient_quota" in (str(error.code), str(error.type))


def error_is_rate_limit(error: BaseException) -> bool:
    return isinstance(error, openai.APIStatusError) and error.status_code == 429


def _retryable(error: BaseException) -> bool:
    """Transport failures worth another try; never bad requests, auth, or quota."""
    if isinstance(error, openai.APIConnectionError):  # timeouts included
        return True
    if not isinstance(error, openai.APIStatusError):
        return False
    should = error.response.headers.get("x-should-retry")
    if should in ("true", "false"):
        return should == "true"
    if error.status_code == 429 and _is_quota(error):
        return False
    wait = _server_wait(error)
    if wait is not None and wait > MAX_SERVER_WAIT:
        return False
    return error.status_code in RETRY_STATUSES or error.status_code >= 500


def _call_status(error: BaseException) -> tuple[str, int | None]:
    if isinstance(error, openai.APITimeoutError):
        return "timeout", None
    if isinstance(error, openai.APIConnectionError):
        return "connection", None
    if isinstance(error, openai.APIStatusError):
        return f"http_{error.status_code}", error.status_code
    return type(error).__name__, None


def is_reasoning_model(model: str) -> bool:
    """OpenAI's o-series and gpt-5 models: ``max_completion_tokens``, no ``temperature``."""
    return REASONING_MODEL.match(model) is not None


def _http_client() -> Any:
    """The aiohttp transport when present (instructor depends on aiohttp): at 64 requests in
    flight, httpx's connection pool costs ~2 ms more CPU per request (openai-python #1596)."""
    try:
        return openai.DefaultAioHttpClient()
    except RuntimeError:
        return None  # the SDK's default httpx client


def _mark_rejected(calls: list[ModelCall], accepted_ask: int | None,
                   reasons: dict[int, str]) -> None:
    """Calls that answered but whose output was not accepted become ``rejected``."""
    for call in calls:
        if call.status == "ok" and call.ask != accepted_ask:
            call.status = "rejected"
            call.error = reasons.get(call.ask)


class OpenAIBackend:
    """Extraction with an OpenAI-compatible endpoint; implements the Backend protocol."""

    def __init__(self, config: ModelConfig, prompt: Prompt, *,
                 prices: PriceTable | None = None,
                 requests_per_minute: int | None = None,
                 tokens_per_minute: int | None = None,
                 backoff_base: float = 0.5, backoff_max: float = 30.0,
                 client: openai.AsyncOpenAI | None = None):
        if config.mode not in MODE_NAMES:
            raise ValueError(f"unknown mode {config.mode!r}; choose from "
                             f"{', '.join(MODE_NAMES)}")
        self.config = config
        self.model = config.model
        self.prompt = prompt
        self.prompt_name = prompt.name
        self.prompt_hash = prompt.hash
        self.prices = prices if prices is not None else PriceTable.load()
        self.limiter = RateLimiter(requests_per_minute, tokens_per_minute)
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self.base_url = config.base_url or DEFAULT_BASE_URL
        # The SDK client and instructor's handlers are made on first use (:meth:`_prepare`):
        # a run whose articles are all cached never imports openai.
        self._client = client
        self._handlers: Any = None
        self._fixed_request: dict[str, Any] | None = None
        self._system = prompt.system_message()
        self._encoder = _BodyEncoder()
        self._secret = config.api_key or None
        # When the server says "retry after N s", every request waits, not only the one that
        # was told: the others would only collect 429s of their own.
        self._resume_at = 0.0

    @property
    def client(self) -> openai.AsyncOpenAI:
        self._prepare()
        return self._client  # type: ignore[return-value]

    def _prepare(self) -> None:
        if self._handlers is not None:
            return
        _load()
        if self._client is None:
            # Arguments given explicitly: the SDK would otherwise read OPENAI_* from the
            # environment, and retry on its own (max_retries=0: the one retry layer is ours).
            self._client = openai.AsyncOpenAI(
                api_key=self.config.api_key or NO_KEY, base_url=self.base_url,
                timeout=self.config.timeout, max_retries=0, http_client=_http_client())
        self._mode = MODES[self.config.mode]
        handlers = mode_registry.get_handlers(Provider.OPENAI, self._mode)
        # tools and json_schema add a fixed tool definition or response_format: build it once.
        # json and md_json rewrite the messages, so their handler runs per article (cheap: the
        # schema it embeds is cached).
        if self._mode in (instructor.Mode.TOOLS, instructor.Mode.JSON_SCHEMA):
            _, prepared = handlers.request_handler(
                response_model=GroundedExtractionResult, kwargs={"messages": []})
            self._fixed_request = {k: v for k, v in prepared.items() if k != "messages"}
        self._handlers = handlers

    def params(self) -> dict[str, Any]:
        return {"mode": self.config.mode, "temperature": self.config.temperature,
                "max_tokens": self.config.max_tokens}

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.close()

    def _redact(self, text: str) -> str:
        if self._secret and self._secret in text:
            text = text.replace(self._secret, "[api key]")
        return text

    # one HTTP request, with the transport retries -----------------------------------------
    def _wait(self, retry_state: Any) -> float:
        error = retry_state.outcome.exception() if retry_state.outcome else None
        server = _server_wait(error) if error is not None else None
        if server is not None:
            return server
        ceiling = min(self.backoff_max, self.backoff_base * 2 ** (retry_state.attempt_number - 1))
        return ceiling / 2 + random.uniform(0, ceiling / 2)

    async def _send(self, **kwargs: Any) -> Any:
        """One ask: what instructor calls for each attempt. Transport retries happen here."""
        state = _current.get()
        if state is None:
            raise RuntimeError("OpenAIBackend._send called outside extract()")
        state.asks += 1
        messages = kwargs.get("messages", [])
        new_messages = messages[state.messages_logged:]
        state.messages_logged = len(messages)
        tokens = estimate_tokens(sum(len(str(m.get("content") or "")) for m in messages),
                                 self.config.max_tokens)
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.config.max_retries + 1),
            wait=self._wait, retry=retry_if_exception(_retryable), reraise=True)
        async for attempt in retrying:
            with attempt:
                return await self._request(state, kwargs, new_messages, tokens)
        raise AssertionError("unreachable: tenacity re-raises the last error")

    async def _request(self, state: _Extraction, kwargs: dict[str, Any],
                       new_messages: list[Any], tokens: int) -> Any:
        pause = self._resume_at - time.monotonic()
        if pause > 0:
            await asyncio.sleep(pause)
        if self.limiter.active:
            await self.limiter.acquire(tokens)
        call = ModelCall(attempt=len(state.calls) + 1, ask=state.asks,
                         request_messages=new_messages if not any(
                             c.ask == state.asks for c in state.calls) else None,
                         status="ok", created_at=_now())
        state.calls.append(call)
        started = time.perf_counter()
        try:
            content = self._encoder.encode(kwargs)
            completion = await self.client.post(
                "/chat/completions", cast_to=_Completion,  # type: ignore[arg-type]
                **({"content": content} if content is not None else {"body": kwargs}))
        except openai.APIError as error:
            call.latency_ms = (time.perf_counter() - started) * 1000
            call.status, call.http_status = _call_status(error)
            call.request_id = getattr(error, "request_id", None)
            call.error = self._describe(error)
            if isinstance(error, openai.APIStatusError) and self._fatal(error):
                raise FatalBackendError(self._fatal_message(error)) from error
            wait = _server_wait(error)
            if error_is_rate_limit(error) and wait is not None and wait <= MAX_SERVER_WAIT:
                self._resume_at = max(self._resume_at, time.monotonic() + wait)
            raise
        call.latency_ms = (time.perf_counter() - started) * 1000
        call.response, call.finish_reason = _output(completion)
        call.usage = _usage(completion)
        call.request_id = getattr(completion, "_request_id", None)
        return completion

    # classifying failures ---------------------------------------------------------------
    def _fatal(self, error: openai.APIStatusError) -> bool:
        if error.status_code in FATAL_STATUSES:
            return True
        return error.status_code == 429 and _is_quota(error)

    def _fatal_message(self, error: openai.APIStatusError) -> str:
        where = f"{self.base_url} (HTTP {error.status_code}"
        where += f", {error.code})" if error.code else ")"
        if error.status_code == 401:
            return (f"authentication failed at {where}: check --api-key or OPENAI_API_KEY "
                    "for this endpoint")
        if error.status_code == 403:
            return (f"permission denied at {where}: the API key may not use model "
                    f"{self.model!r} or this endpoint")
        if error.status_code == 404:
            return (f"not found at {where}: check the model name {self.model!r} and "
                    "--base-url (it usually ends in /v1)")
        return f"quota exhausted at {where}: check the plan and billing of this API key"

    def _describe(self, error: BaseException) -> str:
        """A one-line reason, without the API key (the SDK never puts it there, but a
        provider's message might)."""
        if isinstance(error, openai.APIStatusError):
            message = error.message
            body = error.body
            if isinstance(body, dict) and isinstance(body.get("message"), str):
                message = body["message"]
            code = f" ({error.code})" if error.code else ""
            text = f"HTTP {error.status_code}{code}: {message}"
        elif isinstance(error, openai.APITimeoutError):
            text = f"timed out after {self.config.timeout:g} s"
        elif isinstance(error, openai.APIConnectionError):
            cause = error.__cause__
            text = f"connection failed: {cause or error}"
        else:
            text = f"{type(error).__name__}: {error}"
        return self._redact(text)[:ERROR_CHARS]

    # one article ------------------------------------------------------------------------
    def request(self, article: Article) -> dict[str, Any]:
        """The chat-completions request body for an article, as instructor shapes it."""
        self._prepare()
        body: dict[str, Any] = {
            "model": self.model,
            "messages": self.prompt.messages(article, system=self._system),
        }
        if is_reasoning_model(self.model):
            # OpenAI's reasoning models refuse max_tokens and any temperature but the default.
            body["max_completion_tokens"] = self.config.max_tokens
        else:
            body["temperature"] = self.config.temperature
            body["max_tokens"] = self.config.max_tokens
        if self._fixed_request is not None:
            return {**body, **self._fixed_request}
        _, prepared = self._handlers.request_handler(
            response_model=GroundedExtractionResult, kwargs=body)
        return dict(prepared)

    async def extract(self, article: Article) -> BackendResult:
        self._prepare()
        state = _Extraction(text=article.text, max_asks=self.config.validation_retries + 1)
        token = _current.set(state)
        started = time.perf_counter()
        try:
            parsed = await retry_async(
                func=self._send, response_model=GroundedExtractionResult, args=(),
                kwargs=self.request(article), max_retries=self.config.validation_retries,
                strict=False, mode=self._mode, provider=Provider.OPENAI)
            result: schemas.ExtractionResult | None = schemas.ExtractionResult.model_construct(
                incidents=parsed.incidents, actors=parsed.actors)
            error = kind = None
            _mark_rejected(state.calls, accepted_ask=state.asks, reasons={})
        except IncompleteOutputException:
            result, kind = None, "truncated"
            error = (f"the output hit max_tokens ({self.config.max_tokens}) and was cut off; "
                     "raise --max-tokens")
            _mark_rejected(state.calls, accepted_ask=None, reasons={state.asks: error})
            state.calls[-1].status = "truncated"
        except InstructorRetryException as exc:
            result = None
            kind, error = self._classify(exc, state.calls)
            _mark_rejected(state.calls, accepted_ask=None, reasons={
                failed.attempt_number: self._redact(str(failed.exception))[:ERROR_CHARS]
                for failed in exc.failed_attempts or []})
        finally:
            _current.reset(token)
        outcome = BackendResult(
            result=result, raw_response=state.calls[-1].response if state.calls else None,
            attempts=len(state.calls), latency_ms=(time.perf_counter() - started) * 1000,
            error=error, error_kind=kind, calls=state.calls)
        for call in state.calls:
            outcome.usage.add(call.usage)
        outcome.cost_usd = self.prices.cost(self.model, outcome.usage)
        if kind is not None:
            log.debug("article %s failed (%s): %s", article.id, kind, error)
        return outcome

    def _classify(self, exc: InstructorRetryException,
                  calls: list[ModelCall]) -> tuple[str, str]:
        """(error_kind, message) of a failed extraction; FatalBackendError is re-raised."""
        cause: BaseException | None = exc.__cause__
        if isinstance(cause, FatalBackendError):
            raise cause
        if isinstance(cause, openai.APIStatusError) and cause.status_code < 500 \
                and cause.status_code not in RETRY_STATUSES:
            return "bad_request", self._describe(cause)
        if isinstance(cause, openai.APIError):
            tries = sum(1 for call in calls if call.ask == calls[-1].ask) if calls else 1
            return "transport", f"gave up after {tries} request(s): {self._describe(cause)}"
        if cause is None:
            return "internal", self._redact(str(exc))[:ERROR_CHARS]
        asks = len(exc.failed_attempts or []) or 1
        detail = self._redact(str(cause)).strip()
        return "validation", (f"invalid output after {asks} ask(s): "
                              f"{detail[:ERROR_CHARS]}")


def build_llm_backend(model: ModelConfig, run: RunConfig,
                      prices: PriceTable | None = None) -> OpenAIBackend:
    """The backend for a run: prompt by name, rate limits and prices from the run settings."""
    try:
        prompt = load_prompt(model.prompt)
        prices = prices if prices is not None else PriceTable.load(run.prices_path)
    except (PromptError, PriceTableError) as error:
        raise ConfigError(str(error)) from error
    if model.mode not in MODE_NAMES:
        raise ConfigError(f"--mode {model.mode!r}: choose from {', '.join(MODE_NAMES)}")
    return OpenAIBackend(model, prompt, prices=prices,
                         requests_per_minute=run.requests_per_minute,
                         tokens_per_minute=run.tokens_per_minute)


__all__ = ["MODES", "GroundedExtractionResult", "OpenAIBackend", "build_llm_backend"]
