"""Names shared by every layer: statuses, error kinds, modes, the clock and the token estimate.

Each is a ``StrEnum`` so that it is stored in SQLite and printed as the plain word
(``ErrorKind.TRANSPORT == "transport"``), while code names it once, here.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

# A conservative average for English news prose: used where no tokenizer is at hand.
CHARS_PER_TOKEN = 4


def now() -> str:
    """The current time in UTC, ISO 8601 with milliseconds: every stored timestamp."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class Mode(StrEnum):
    """How structured output is asked of an OpenAI-compatible endpoint."""

    TOOLS = "tools"
    JSON_SCHEMA = "json_schema"
    JSON = "json"
    MD_JSON = "md_json"


MODES: tuple[str, ...] = tuple(mode.value for mode in Mode)


class RunStatus(StrEnum):
    """What became of one ``extract`` or ``eval`` run (``runs.status``)."""

    RUNNING = "running"
    COMPLETED = "completed"
    INTERRUPTED = "interrupted"  # stopped by Ctrl-C, or its process died (seen by a later run)
    ABORTED = "aborted"  # a fatal backend error (bad key, quota) ended it
    CRASHED = "crashed"  # an unexpected exception ended it


class ExtractionStatus(StrEnum):
    """The outcome of one article under one configuration (``extractions.status``)."""

    OK = "ok"
    FAILED = "failed"


class ErrorKind(StrEnum):
    """Why an extraction failed (``extractions.error_kind``)."""

    TRANSPORT = "transport"  # 429/5xx/timeouts/connection errors, retries exhausted
    BAD_REQUEST = "bad_request"  # the provider refused the request (400/422)
    VALIDATION = "validation"  # the output broke the schema after every re-ask
    TRUNCATED = "truncated"  # the output was cut off at the token budget
    INTERNAL = "internal"  # a bug of ours, or a crash inside the baseline's rules
    TOO_LARGE = "too_large"  # over --max-article-chars or --max-chunks: never sent


class CallStatus(StrEnum):
    """What one HTTP request to a model endpoint gave (``model_calls.status``)."""

    OK = "ok"  # answered, and the answer was accepted
    REJECTED = "rejected"  # answered, but the answer was re-asked or not accepted
    TRUNCATED = "truncated"
    TIMEOUT = "timeout"
    CONNECTION = "connection"
    TOO_LARGE = "too_large"  # the response body passed --max-response-bytes
    BAD_RESPONSE = "bad_response"  # a 2xx answer that is not a chat completion ({}, not JSON)
