"""The model backend: any OpenAI-compatible chat-completions endpoint, through instructor.

instructor turns each completion into a validated :class:`ExtractionResult` in one of four modes
(``tools``, ``json_schema``, ``json``, ``md_json``) and re-asks, with the validation error, when
the output does not parse or validate. It runs over our own send function, given to
``instructor.patch(create=...)``: that is what puts the one transport retry layer
(:mod:`extractor.model.client`) under the re-asks and logs every HTTP request. Only public
APIs of instructor and openai are used.

Every failure is handled once, in one place (the table is in docs/model-endpoints.md):

* **Transport** (429, 408/409, 5xx, timeouts, dropped connections, oversized or non-completion
  answers): retried in :mod:`extractor.model.client`; retries exhausted, the article fails
  with ``transport`` and a later run tries it again.
* **Fatal** (401, 403, 404, 429 ``insufficient_quota``, a request refused as malformed, an
  HTML page for an answer): :class:`FatalBackendError` stops the run
  (:mod:`extractor.model.errors`).
* **Bad request** (the context is exceeded, a content policy): the article fails with
  ``bad_request`` and the provider's reason; not retried.
* **Invalid output**: instructor re-asks ``validation_retries`` times; then the article fails
  with ``validation`` and the last output in ``raw_response``. A re-ask that would not fit in
  ``--max-input-tokens`` (by the estimate of ``CHARS_PER_TOKEN`` characters per token) is not
  sent.
* **Truncated output**: ``finish_reason=length``, or JSON that ends early while the completion
  reached ``max_tokens`` or prompt and completion together fill a context as servers size it
  (a power of two from 2,048: llama.cpp servers say ``tool_calls`` or ``stop`` then). Never
  re-asked with the same budget.

Usage is summed over every request, failed re-asks included; a response without usage counts
as 0.
"""

from __future__ import annotations

import json
import logging
import re
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from extractor import schemas
from extractor.backend import BackendResult, FatalBackendError, ModelCall
from extractor.config import STRICT_MODES, ConfigError, ModelConfig, RunConfig
from extractor.model.prices import PriceTable, PriceTableError
from extractor.model.prompting import Prompt, PromptError, load_prompt
from extractor.model.ratelimit import RateLimiter
from extractor.model.state import ERROR_CHARS, Endpoint, Extraction, current
from extractor.schemas import Article
from extractor.schemas.sent import sent_schema, sent_schema_hash
from extractor.vocabulary import CHARS_PER_TOKEN, MODES, CallStatus, ErrorKind

if TYPE_CHECKING:  # imported on first use (a cached run never needs them)
    from openai.types.chat import ChatCompletion

    from extractor.model.client import ModelClient

log = logging.getLogger(__name__)
# instructor logs every failed attempt at ERROR; our outcome and the model_calls table record
# them already. Without this, an unconfigured program would print them over the progress bar.
logging.getLogger("instructor").addHandler(logging.NullHandler())

DEFAULT_BASE_URL = "https://api.openai.com/v1"
KEYED_HOSTS = frozenset({"api.openai.com"})
REASONING_MODEL = re.compile(r"^(o[1-9]|gpt-5)(\b|[-.:])")
# Context windows as servers size them (llama.cpp's -c / n_ctx): powers of two from 2k.
CONTEXT_SIZES = frozenset(2 ** n for n in range(11, 22))
CUT_OFF = "the output stopped mid-JSON"


class ReaskTooLong(Exception):
    """A re-ask would not fit in ``--max-input-tokens``; it is not sent."""


def is_reasoning_model(model: str) -> bool:
    """OpenAI's o-series and gpt-5 models: ``max_completion_tokens``, no ``temperature``."""
    return REASONING_MODEL.match(model) is not None


def needs_key(base_url: str) -> bool:
    return urlsplit(base_url).hostname in KEYED_HOSTS


def _mark_rejected(calls: list[ModelCall], accepted_ask: int | None,
                   reasons: dict[int, str]) -> None:
    """Calls that answered but whose output was not accepted become ``rejected``."""
    for call in calls:
        if call.status == CallStatus.OK and call.ask != accepted_ask:
            call.status = CallStatus.REJECTED
            call.error = reasons.get(call.ask)


def _note_dropped(state: Extraction, ask: int | None) -> None:
    """The accepted request says what was dropped from its answer."""
    dropped = state.dropped.get(ask) if ask is not None else None
    if not dropped:
        return
    note = "accepted after dropping " + "; ".join(
        f"{what} x{count}" for what, count in sorted(dropped.items()))
    for call in state.calls:
        if call.ask == ask and call.status == CallStatus.OK:
            call.error = note


class OpenAIBackend:
    """Extraction with an OpenAI-compatible endpoint; implements the Backend protocol."""

    def __init__(self, config: ModelConfig, prompt: Prompt, *,
                 prices: PriceTable | None = None,
                 requests_per_minute: int | None = None,
                 tokens_per_minute: int | None = None,
                 backoff_base: float = 0.5, backoff_max: float = 30.0):
        if config.mode not in MODES:
            raise ValueError(f"unknown mode {config.mode!r}; choose from "
                             f"{', '.join(MODES)}")
        self.config = config
        self.model = config.model
        self.prompt = prompt
        self.prompt_name = prompt.name
        self.prompt_hash = prompt.hash
        # The schema sent in tools and json_schema modes: instructor's, unless --strict or the
        # prompt (schema = "bare") asks for another form (:func:`schema_body`). json and
        # md_json always send instructor's. Rows carry the hash of the form sent.
        self.strict = config.uses_strict()
        bare_form = prompt.bare_schema and config.mode in STRICT_MODES
        self._sent_schema = sent_schema(strict=self.strict, bare_form=bare_form) \
            if self.strict or bare_form else None
        self.schema_hash = sent_schema_hash(strict=self.strict, bare_form=bare_form)
        self.prices = prices if prices is not None else PriceTable.load()
        self.limiter = RateLimiter(requests_per_minute, tokens_per_minute)
        self.backoff = (backoff_base, backoff_max)
        self.base_url = config.base_url or DEFAULT_BASE_URL
        # What messages name: the base URL without the credentials it may hold.
        self.endpoint = Endpoint(base_url=config.public_base_url() or DEFAULT_BASE_URL,
                                 model=config.model, mode=config.mode, timeout=config.timeout,
                                 max_input_tokens=config.max_input_tokens,
                                 secrets=config.secrets())
        self._system = prompt.system_message()
        # Made on first use (:meth:`_prepare`): a run whose articles are all cached never
        # imports openai or instructor.
        self._client: ModelClient | None = None
        self._create: Any = None
        self._response_model: Any = None

    def _prepare(self) -> None:
        if self._client is not None:
            return
        import instructor

        from extractor.model.client import ModelClient
        from extractor.model.response import ExtractionResult

        self._client = ModelClient(
            self.endpoint, api_key=self.config.api_key, max_retries=self.config.max_retries,
            max_tokens=self.config.max_tokens,
            max_response_bytes=self.config.max_response_bytes, limiter=self.limiter,
            backoff_base=self.backoff[0], backoff_max=self.backoff[1])
        self._response_model = ExtractionResult
        self._create = instructor.patch(create=self._send,
                                        mode=instructor.Mode[self.config.mode.upper()])

    @property
    def client(self) -> ModelClient:
        self._prepare()
        assert self._client is not None
        return self._client

    def params(self) -> dict[str, Any]:
        params: dict[str, Any] = {"mode": self.config.mode,
                                  "temperature": self.config.temperature,
                                  "max_tokens": self.config.max_tokens}
        if self.strict:  # only when on, so that extractions cached before --strict stay valid
            params["strict"] = True
        return params

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()

    def settings(self) -> dict[str, Any]:
        """Everything of the request but the messages: model and sampling settings."""
        body: dict[str, Any] = {"model": self.model}
        if is_reasoning_model(self.model):
            # OpenAI's reasoning models refuse max_tokens and any temperature but the default.
            body["max_completion_tokens"] = self.config.max_tokens
        else:
            body["temperature"] = self.config.temperature
            body["max_tokens"] = self.config.max_tokens
        return body

    # one ask: what instructor calls for every attempt ---------------------------------------
    async def _send(self, **body: Any) -> ChatCompletion:
        state = current.get()
        if state is None:
            raise RuntimeError("OpenAIBackend._send called outside extract()")
        state.asks += 1
        if self._sent_schema is not None:
            body = schema_body(body, self._sent_schema, strict=self.strict)
        if state.asks > 1:
            self._check_reask_fits(state, body)
        completion = await self.client.send(state, body)
        self._check_cut_off(state, completion)
        return completion

    def _check_reask_fits(self, state: Extraction, body: dict[str, Any]) -> None:
        chars = len(json.dumps(body.get("messages", []), ensure_ascii=False))
        chars += sum(len(json.dumps(body[key])) for key in ("tools", "response_format")
                     if key in body)
        tokens = chars // CHARS_PER_TOKEN
        if tokens > self.config.max_input_tokens:
            state.asks -= 1
            raise ReaskTooLong(
                f"not re-asked: with the previous answer the request would take about "
                f"{tokens} tokens (at {CHARS_PER_TOKEN} characters per token), over "
                f"--max-input-tokens ({self.config.max_input_tokens})")

    def _check_cut_off(self, state: Extraction, completion: ChatCompletion) -> None:
        """Raise instructor's IncompleteOutputException for JSON that stops early at a token
        limit, whatever the finish reason says."""
        from instructor.core import IncompleteOutputException

        from extractor.model.errors import json_cut_off

        call = state.calls[-1]
        if call.finish_reason == "length" or not call.response:
            return
        used = call.usage.prompt_tokens + call.usage.completion_tokens
        at_limit = call.usage.completion_tokens >= self.config.max_tokens or used in CONTEXT_SIZES
        if call.usage.completion_tokens and at_limit and json_cut_off(call.response):
            raise IncompleteOutputException(
                last_completion=completion,
                message=f"{CUT_OFF} at a token limit "
                        f"({call.usage.completion_tokens} completion tokens, {used} in all; "
                        f"finish_reason {call.finish_reason!r})")

    # one article ----------------------------------------------------------------------------
    async def extract(self, article: Article) -> BackendResult:
        self._prepare()
        from instructor.core import IncompleteOutputException, InstructorRetryException

        from extractor.model.errors import RequestFailed

        state = Extraction(text=article.text, max_asks=self.config.validation_retries + 1)
        token = current.set(state)
        started = time.perf_counter()
        result: schemas.ExtractionResult | None = None
        kind: ErrorKind | None = None
        error: str | None = None
        try:
            parsed = await self._create(
                response_model=self._response_model,
                messages=self.prompt.messages(article, system=self._system),
                max_retries=self.config.validation_retries, strict=False, **self.settings())
            result = schemas.ExtractionResult.model_construct(
                incidents=parsed.incidents, actors=parsed.actors)
            _note_dropped(state, state.asks)
            _mark_rejected(state.calls, accepted_ask=state.asks, reasons={})
        except IncompleteOutputException as exc:
            kind = ErrorKind.TRUNCATED
            if str(exc).startswith(CUT_OFF):
                error = f"{exc}; raise --max-tokens, or the server's context"
            else:
                error = (f"the output hit max_tokens ({self.config.max_tokens}) and was cut "
                         "off; raise --max-tokens")
            _mark_rejected(state.calls, accepted_ask=None, reasons={state.asks: error})
            state.calls[-1].status = CallStatus.TRUNCATED
        except (InstructorRetryException, RequestFailed, ReaskTooLong) as exc:
            # instructor wraps what the send function raised; taken either way.
            kind, error = self._classify(exc, state)
            _mark_rejected(state.calls, accepted_ask=None, reasons={
                failed.attempt_number: self.endpoint.redact(str(failed.exception))
                for failed in getattr(exc, "failed_attempts", None) or []})
        finally:
            current.reset(token)
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

    def _classify(self, exc: Exception, state: Extraction) -> tuple[ErrorKind, str]:
        """(error_kind, message) of a failed extraction; FatalBackendError is re-raised."""
        from extractor.model.errors import RequestFailed

        cause: BaseException | None = exc if isinstance(exc, RequestFailed | ReaskTooLong) \
            else exc.__cause__
        if isinstance(cause, FatalBackendError):
            raise cause
        calls = state.calls
        if isinstance(cause, RequestFailed):
            if cause.kind != ErrorKind.TRANSPORT:
                return cause.kind, cause.message
            tries = sum(1 for call in calls if call.ask == calls[-1].ask) if calls else 1
            return ErrorKind.TRANSPORT, f"gave up after {tries} request(s): {cause.message}"
        failed = getattr(exc, "failed_attempts", None) or []
        if isinstance(cause, ReaskTooLong):
            last = failed[-1].exception if failed else None
            detail = self.endpoint.redact(str(last)) if last is not None else ""
            return ErrorKind.VALIDATION, (f"invalid output after {len(failed)} ask(s): "
                                          f"{detail[:ERROR_CHARS // 2]}; {cause}")
        if cause is None or not failed:
            return ErrorKind.INTERNAL, self.endpoint.redact(str(cause or exc))
        detail = self.endpoint.redact(str(cause))
        return ErrorKind.VALIDATION, f"invalid output after {len(failed)} ask(s): {detail}"


def schema_body(body: dict[str, Any], schema: dict[str, Any], *,
                strict: bool) -> dict[str, Any]:
    """The request instructor wrote, with ``schema`` in place of its function tool's parameters
    (``tools``) or its response format's schema (``json_schema``), marked ``strict: true`` when
    ``strict``. Names stay instructor's; the answer is validated by the same Pydantic models
    either way. Other modes carry no schema field and are returned as they are."""
    body = dict(body)
    marker = {"strict": True} if strict else {}
    if body.get("tools"):
        tool = body["tools"][0]
        function = {**tool["function"], "parameters": schema, **marker}
        body["tools"] = [{**tool, "function": function}, *body["tools"][1:]]
    response_format = body.get("response_format")
    if isinstance(response_format, dict) and response_format.get("type") == "json_schema":
        json_schema = {**response_format["json_schema"], "schema": schema, **marker}
        body["response_format"] = {**response_format, "json_schema": json_schema}
    return body


def build_llm_backend(model: ModelConfig, run: RunConfig,
                      prices: PriceTable | None = None) -> OpenAIBackend:
    """The backend for a run: prompt by name, rate limits and prices from the run settings."""
    try:
        prompt = load_prompt(model.prompt)
        prices = prices if prices is not None else PriceTable.load(run.prices_path)
    except (PromptError, PriceTableError) as error:
        raise ConfigError(str(error)) from error
    if model.mode not in MODES:
        raise ConfigError(f"--mode {model.mode!r}: choose from {', '.join(MODES)}")
    if model.strict and not model.uses_strict():
        raise ConfigError(f"--strict needs --mode tools or json_schema: --mode {model.mode} "
                          "sends no schema to the server (use --no-strict, or another mode)")
    base_url = model.base_url or DEFAULT_BASE_URL
    if not model.api_key and needs_key(base_url):
        raise ConfigError(f"{base_url} needs an API key: set OPENAI_API_KEY or --api-key "
                          "(or --base-url for a local server)")
    return OpenAIBackend(model, prompt, prices=prices,
                         requests_per_minute=run.requests_per_minute,
                         tokens_per_minute=run.tokens_per_minute)


__all__ = ["OpenAIBackend", "build_llm_backend", "is_reasoning_model", "schema_body"]
