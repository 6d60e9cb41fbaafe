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
    """One HTTP request to a model endpoint and what came back, for the ``model_calls`` log.

    Each field is stored in the ``model_calls`` column of the same name; what it means is said
    once, in extractor/store/tables.toml (and docs/columns.md).
    """

    attempt: int
    ask: int
    request_messages: list[dict[str, Any]] | None
    status: str
    response: str | None = None
    finish_reason: str | None = None
    http_status: int | None = None
    error: str | None = None  # why it failed; on an accepted answer, what was dropped from it
    request_id: str | None = None
    usage: Usage = field(default_factory=Usage)
    latency_ms: float = 0.0
    created_at: str = ""


@dataclass
class BackendResult:
    """One article's outcome: a result, or an error saying why there is none.

    Stored as a row of ``extractions`` (what its columns mean: extractor/store/tables.toml).
    """

    result: ExtractionResult | None
    raw_response: str | None = None
    usage: Usage = field(default_factory=Usage)
    attempts: int = 1
    latency_ms: float = 0.0
    cost_usd: float | None = None
    error: str | None = None
    error_kind: str | None = None
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
    schema_hash: str  # the schema the extractor works to (the strict one under --strict)

    def params(self) -> dict[str, Any]:
        """Everything besides model, prompt and schema that changes the output (cache key)."""
        ...

    async def extract(self, article: Article) -> BackendResult: ...

    async def aclose(self) -> None: ...
