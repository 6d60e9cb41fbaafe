"""The OpenAI Batch API on the wire: input JSONL, upload, create, poll, download, parse.

A batch is a JSONL file of requests (one line: ``custom_id``, ``method``, ``url``, ``body``)
uploaded to ``POST /v1/files`` (``purpose=batch``, multipart), then ``POST /v1/batches``
(``completion_window`` ``24h``). ``GET /v1/batches/{id}`` says how it goes (``validating``,
``in_progress``, ``finalizing``, then ``completed``, ``expired``, ``failed``, ``cancelling``,
``cancelled``); when it is done, ``output_file_id`` holds the answered lines and
``error_file_id`` the lines that failed, both read with ``GET /v1/files/{id}/content``. Output
order is not guaranteed: lines are matched by ``custom_id`` (here, the extraction key).

Only the openai SDK's public resources are used (``files``, ``batches``), with the SDK's own
retries (``--max-retries``) as the one transport retry layer of these few requests.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Final, Literal

import openai
from openai.types.chat import ChatCompletion

CHAT_URL: Final[Literal["/v1/chat/completions"]] = "/v1/chat/completions"
COMPLETION_WINDOW: Final[Literal["24h"]] = "24h"
# Statuses after which a batch changes no more; the others are still running.
FINISHED = frozenset({"completed", "expired", "failed", "cancelled"})
# Statuses whose output and error files hold results worth storing.
WITH_RESULTS = frozenset({"completed", "expired", "cancelled"})


class BatchWireError(Exception):
    """A Batch API request failed, or a file it returned cannot be read."""


def request_line(custom_id: str, body: dict[str, Any]) -> str:
    """One line of a batch input file."""
    return json.dumps({"custom_id": custom_id, "method": "POST", "url": CHAT_URL, "body": body},
                      ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class BatchState:
    """What ``GET /v1/batches/{id}`` says of a batch."""

    id: str
    status: str
    input_file_id: str | None = None
    output_file_id: str | None = None
    error_file_id: str | None = None
    total: int = 0
    completed: int = 0
    failed: int = 0
    errors: tuple[str, ...] = ()  # batch-level errors (a failed batch: why)

    @property
    def finished(self) -> bool:
        return self.status in FINISHED


@dataclass
class LineResult:
    """One line of an output or error file: an answer, or why there is none."""

    custom_id: str
    completion: ChatCompletion | None = None
    request_id: str | None = None
    http_status: int | None = None
    error: str | None = None
    raw: dict[str, Any] = field(default_factory=dict)


def _error_text(error: Any) -> str:
    if isinstance(error, dict):
        inner = error.get("error", error)
        if isinstance(inner, dict):
            code, message = inner.get("code"), inner.get("message")
            return f"{code}: {message}" if code else str(message)
    return str(error)


def parse_line(line: str, where: str) -> LineResult:
    """A line of an output or error file (OpenAI's ``BatchRequestOutput``)."""
    try:
        data = json.loads(line)
    except ValueError as exc:
        raise BatchWireError(f"{where}: not JSON: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("custom_id"), str):
        raise BatchWireError(f"{where}: no custom_id")
    result = LineResult(custom_id=data["custom_id"], raw=data)
    response = data.get("response")
    if data.get("error"):
        result.error = _error_text(data["error"])
    if isinstance(response, dict):
        result.request_id = response.get("request_id")
        result.http_status = response.get("status_code")
        body = response.get("body")
        if result.http_status == 200 and isinstance(body, dict) and not result.error:
            try:
                result.completion = ChatCompletion.model_validate(body)
            except ValueError as exc:
                result.error = f"the answer is not a chat completion: {str(exc)[:500]}"
        elif not result.error:
            result.error = f"HTTP {result.http_status}: {_error_text(body)}"
    if result.completion is None and not result.error:
        result.error = "the line has neither an answer nor an error"
    return result


def parse_file(text: str, name: str) -> list[LineResult]:
    """Every line of an output or error file; a broken line is an error naming it."""
    return [parse_line(line, f"{name} line {number}")
            for number, line in enumerate(text.splitlines(), start=1) if line.strip()]


class BatchWire:
    """The Batch API requests of one endpoint."""

    def __init__(self, base_url: str, api_key: str, *, timeout: float, max_retries: int):
        self.client = openai.OpenAI(api_key=api_key, base_url=base_url, timeout=timeout,
                                    max_retries=max_retries)

    def close(self) -> None:
        self.client.close()

    def submit(self, lines: list[str], metadata: dict[str, str]) -> tuple[str, BatchState]:
        """Upload the input file and create the batch; (input file id, batch)."""
        content = ("\n".join(lines) + "\n").encode("utf-8")
        try:
            uploaded = self.client.files.create(
                file=("extractor-batch.jsonl", content, "application/jsonl"), purpose="batch")
            batch = self.client.batches.create(
                input_file_id=uploaded.id, endpoint=CHAT_URL,
                completion_window=COMPLETION_WINDOW, metadata=metadata)
        except openai.APIError as exc:
            raise BatchWireError(f"submitting the batch failed: {exc}") from exc
        return uploaded.id, _state(batch)

    def retrieve(self, batch_id: str) -> BatchState:
        try:
            return _state(self.client.batches.retrieve(batch_id))
        except openai.APIError as exc:
            raise BatchWireError(f"batch {batch_id}: {exc}") from exc

    def cancel(self, batch_id: str) -> BatchState:
        try:
            return _state(self.client.batches.cancel(batch_id))
        except openai.APIError as exc:
            raise BatchWireError(f"cancelling batch {batch_id}: {exc}") from exc

    def results(self, state: BatchState) -> list[LineResult]:
        """The lines of the batch's output and error files."""
        lines: list[LineResult] = []
        for file_id in (state.output_file_id, state.error_file_id):
            if not file_id:
                continue
            try:
                text = self.client.files.content(file_id).text
            except openai.APIError as exc:
                raise BatchWireError(f"downloading file {file_id}: {exc}") from exc
            lines += parse_file(text, f"file {file_id}")
        return lines


def _state(batch: Any) -> BatchState:
    counts = batch.request_counts
    errors = batch.errors.data if batch.errors is not None and batch.errors.data else []
    return BatchState(
        id=batch.id, status=batch.status, input_file_id=batch.input_file_id,
        output_file_id=batch.output_file_id, error_file_id=batch.error_file_id,
        total=counts.total if counts else 0, completed=counts.completed if counts else 0,
        failed=counts.failed if counts else 0,
        errors=tuple(f"{e.code}: {e.message}" + (f" (line {e.line})" if e.line else "")
                     for e in errors))
