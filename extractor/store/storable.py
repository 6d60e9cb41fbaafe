"""What to store when an article's result cannot be stored, and names made storable.

SQLite holds 64-bit integers and UTF-8 text: a value beyond either (a count of 10^20, a lone
surrogate from a bad escape or a non-UTF-8 file name) makes a write raise. The store then
writes the article's failure instead (:func:`failed_outcome`), so that one article never
costs the others.
"""

from __future__ import annotations

import dataclasses

from extractor.backend import BackendResult
from extractor.schemas import scrub_json, scrub_text
from extractor.vocabulary import ErrorKind


def failed_outcome(outcome: BackendResult, error: Exception, bare: bool = False) -> BackendResult:
    """The outcome stored in place of one that could not be: failed, with the reason.

    Every string is made storable (a lone surrogate becomes U+FFFD). The model's answer and
    the request log are kept for the analyst to see what broke the write, unless ``bare``:
    then only the reason is kept (for when the log itself cannot be stored).
    """
    if outcome.result is None and outcome.error:  # a failure already: store it, made storable
        reason, kind = scrub_text(outcome.error), outcome.error_kind or ErrorKind.INTERNAL
    else:
        reason = scrub_text(f"the result could not be stored: {type(error).__name__}: {error}")
        kind = ErrorKind.INTERNAL
    if bare:
        return BackendResult(result=None, error=reason, error_kind=kind,
                             attempts=_storable_int(outcome.attempts))
    calls = [dataclasses.replace(
        call, request_messages=scrub_json(call.request_messages), response=_scrub(call.response),
        error=_scrub(call.error), finish_reason=_scrub(call.finish_reason),
        status=scrub_text(call.status), request_id=_scrub(call.request_id),
    ) for call in outcome.calls]
    return BackendResult(
        result=None, raw_response=_scrub(outcome.raw_response), usage=outcome.usage,
        attempts=outcome.attempts, latency_ms=outcome.latency_ms, cost_usd=outcome.cost_usd,
        error=reason, error_kind=kind, calls=calls,
    )


def storable_name(name: str) -> str:
    """A file name (and line) as stored: bytes that were not UTF-8 (decoded by Python as
    lone surrogates) are written as ``\\xff``, so the name stays recognisable and storable."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        try:
            return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        except UnicodeEncodeError:
            return scrub_text(name)
    return name


def _storable_int(value: int) -> int:
    return value if -(2**63) <= value < 2**63 else 0


def _scrub(text: str | None) -> str | None:
    return scrub_text(text) if text is not None else None
