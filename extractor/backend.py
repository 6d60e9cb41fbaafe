"""What every extractor backend (the offline baseline, a language model) gives the pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from extractor.schemas import Article, ExtractionResult


@dataclass
class Usage:
    """Tokens spent on one article, summed over every attempt; zero for cached or offline."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0

    def add(self, other: Usage) -> None:
        self.prompt_tokens += other.prompt_tokens
        self.completion_tokens += other.completion_tokens
        self.total_tokens += other.total_tokens


@dataclass
class ModelCall:
    """One HTTP request to a model endpoint and what came back, for the ``model_calls`` log."""

    attempt: int  # HTTP request number within the extraction, from 1
    ask: int  # 1 for the first ask, 2 for the first re-ask after invalid output, ...
    request_messages: list[dict[str, Any]] | None  # messages new since the previous request
    status: str  # ok, rejected, truncated, or what failed: http_429, timeout, too_large, ...
    response: str | None = None  # the model's output (content or tool-call arguments)
    finish_reason: str | None = None
    http_status: int | None = None
    error: str | None = None  # why it failed; on an accepted answer, what was dropped from it
    request_id: str | None = None
    usage: Usage = field(default_factory=Usage)
    latency_ms: float = 0.0
    created_at: str = ""


@dataclass
class BackendResult:
    """One article's outcome: a result, or an error saying why there is none."""

    result: ExtractionResult | None
    raw_response: str | None = None  # the model's output as returned, last attempt
    usage: Usage = field(default_factory=Usage)
    attempts: int = 1
    latency_ms: float = 0.0
    cost_usd: float | None = None
    error: str | None = None
    error_kind: str | None = None  # bad_request, validation, truncated, transport, ...
    calls: list[ModelCall] = field(default_factory=list)  # every HTTP request, in order

    @property
    def ok(self) -> bool:
        return self.result is not None


class FatalBackendError(Exception):
    """The run cannot go on (bad credentials, exhausted quota): stop at once, say why."""


class Backend(Protocol):
    """An extractor: turns one article into an ExtractionResult."""

    model: str
    prompt_name: str
    prompt_hash: str

    def params(self) -> dict[str, Any]:
        """Everything besides model, prompt and schema that changes the output (cache key)."""
        ...

    async def extract(self, article: Article) -> BackendResult: ...

    async def aclose(self) -> None: ...
