"""The synchronous backend's two halves, for the Batch API: building requests, reading answers.

* :class:`RequestBuilder` runs the synchronous path up to the HTTP request and keeps the body
  instead of sending it: instructor builds it (tool or ``response_format``, the messages, the
  settings) exactly as it does for ``extract`` without ``--batch``.
* :class:`AnswerReplay` runs the synchronous path with a batch line's completion as the
  answer: the same response model (grounding, extra keys and repeats dropped), the same
  truncation checks, the same ``model_calls`` row. A batch cannot re-ask: the one answer is
  final (``validation_retries`` 0, so quotes that do not align are kept as ``unaligned``, as
  on a last ask), and an answer that fails validation fails the article, which the next run
  (with or without ``--batch``) tries again.

Tokens are priced at :data:`~extractor.model.prices.BATCH_DISCOUNT` of the listed price.
"""

from __future__ import annotations

import contextvars
import dataclasses
from typing import TYPE_CHECKING, Any

from extractor.backend import BackendResult, ModelCall
from extractor.config import ModelConfig
from extractor.model.client import output_of, usage_of
from extractor.model.llm import OpenAIBackend
from extractor.model.prices import PriceTable
from extractor.model.prompting import Prompt
from extractor.model.state import current
from extractor.schemas import Article
from extractor.vocabulary import CallStatus, ErrorKind, now

if TYPE_CHECKING:
    from openai.types.chat import ChatCompletion

    from extractor.model.batch import LineResult


class _Captured(Exception):
    def __init__(self, body: dict[str, Any]):
        super().__init__("request captured")
        self.body = body


class RequestBuilder(OpenAIBackend):
    """The request body the synchronous path would send for an article, unsent."""

    async def _send(self, **body: Any) -> ChatCompletion:
        raise _Captured(dict(body))

    async def body(self, article: Article) -> dict[str, Any]:
        self._prepare()
        from instructor.core import InstructorRetryException

        try:
            await self.extract_raw(article)
        except _Captured as captured:
            return captured.body
        except InstructorRetryException as wrapped:
            if isinstance(wrapped.__cause__, _Captured):
                return wrapped.__cause__.body
            raise
        raise RuntimeError("instructor returned without calling the send function")

    async def extract_raw(self, article: Article) -> None:
        await self._create(
            response_model=self._response_model,
            messages=self.prompt.messages(article, system=self._system),
            max_retries=0, strict=False, **self.settings())


_answer: contextvars.ContextVar[LineResult | None] = contextvars.ContextVar(
    "extractor_batch_answer", default=None)


class AnswerReplay(OpenAIBackend):
    """Extraction whose one request is answered by a batch's output line."""

    def __init__(self, config: ModelConfig, prompt: Prompt, *, prices: PriceTable):
        super().__init__(dataclasses.replace(config, validation_retries=0), prompt,
                         prices=prices)

    async def _send(self, **body: Any) -> ChatCompletion:
        state = current.get()
        line = _answer.get()
        if state is None or line is None or line.completion is None:
            raise RuntimeError("AnswerReplay._send called without a batch answer")
        state.asks += 1
        completion = line.completion
        call = ModelCall(attempt=len(state.calls) + 1, ask=state.asks,
                         request_messages=body.get("messages", []), status=CallStatus.OK,
                         request_id=line.request_id, created_at=now())
        call.response, call.finish_reason = output_of(completion)
        call.usage = usage_of(completion)
        state.calls.append(call)
        self._check_cut_off(state, completion)
        return completion

    async def replay(self, article: Article, line: LineResult) -> BackendResult:
        """The article's outcome from its batch line, priced at the batch discount."""
        if line.completion is None:
            kind = ErrorKind.BAD_REQUEST if line.http_status in (400, 422) \
                else ErrorKind.TRANSPORT
            call = ModelCall(attempt=1, ask=1, request_messages=None,
                             status=f"http_{line.http_status}" if line.http_status
                             else CallStatus.BAD_RESPONSE,
                             http_status=line.http_status, request_id=line.request_id,
                             error=line.error, created_at=now())
            return BackendResult(result=None, attempts=1, error_kind=kind,
                                 error=f"batch line failed: {line.error}", calls=[call])
        token = _answer.set(line)
        try:
            outcome = await self.extract(article)
        finally:
            _answer.reset(token)
        outcome.latency_ms = 0.0  # the batch's time is not this article's
        outcome.cost_usd = self.prices.batch_cost(self.model, outcome.usage)
        return outcome
