"""The review forms of the evidence page, read into incidents the schema accepts.

A correction form carries every field an analyst may change (the extracted incident's values
pre-filled): the incident's facts, its actors by role (one name per line) and its casualty
claims (one row each, ``casualty-<n>-<field>``, with a box to drop it and an empty row to add
one). :func:`corrected` validates the result with the schema's ``Incident`` and returns the
fields that changed, with their values before; :func:`added` builds a missed incident from a
quote selected in the article.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from extractor.schemas import CasualtyClaim, Incident

__all__ = ["FormError", "added", "claim_rows", "corrected"]

TEXT_FIELDS = ("summary", "event_type", "sub_event_type", "date_text", "date_start",
               "date_end", "place", "country", "geo_precision")
LIST_FIELDS = ("perpetrators", "targets", "claimed_by", "weapons", "sources")
CLAIM_FIELDS = ("kind", "count_text", "count_min", "count_max", "victims", "source")
MAX_CLAIMS = 50

Form = Mapping[str, str]


class FormError(ValueError):
    """A form the schema refuses; the message says which field and why, in one line."""


def _optional(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _lines(value: str | None) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


def _claims(form: Form) -> list[dict[str, Any]]:
    claims = []
    for n in range(MAX_CLAIMS):
        prefix = f"casualty-{n}-"
        if prefix + "kind" not in form:
            break
        if form.get(prefix + "drop") or not _optional(form.get(prefix + "count_text")):
            continue  # dropped, or the empty row left empty
        claims.append({key: _optional(form.get(prefix + key)) for key in CLAIM_FIELDS})
    return claims


def _incident(form: Form, base: dict[str, Any]) -> Incident:
    values = {**base}
    values.update({key: _optional(form.get(key)) for key in TEXT_FIELDS})
    values.update({key: _lines(form.get(key)) for key in LIST_FIELDS})
    values["is_background"] = bool(form.get("is_background"))
    values["casualties"] = _claims(form)
    try:
        return Incident.model_validate(values)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "incident"
        raise FormError(f"{where}: {first['msg']}") from None


def corrected(form: Form, extracted: Incident) -> tuple[dict[str, Any], dict[str, Any]]:
    """The fields ``form`` changes in ``extracted``, and their extracted values (JSON-ready).

    Two empty dicts mean the form changed nothing."""
    before = extracted.model_dump(mode="json")
    after = _incident(form, before).model_dump(mode="json")
    changed = [key for key in after if after[key] != before[key] and key != "evidence"]
    return {key: after[key] for key in changed}, {key: before[key] for key in changed}


def added(form: Form, text: str) -> Incident:
    """A missed incident from ``form``, its evidence the quote selected in ``text``: the
    characters ``start`` to ``end`` (checked against the quote the page sent)."""
    try:
        start, end = int(form.get("start", "")), int(form.get("end", ""))
    except ValueError:
        raise FormError("select a quote in the article text first") from None
    quote = form.get("quote", "")
    if not (0 <= start < end <= len(text)) or text[start:end] != quote:
        found = text.find(quote) if quote.strip() else -1
        if found < 0:
            raise FormError("the selected quote is not in the article text")
        start, end = found, found + len(quote)
    base = {"evidence": [text[start:end]]}
    incident = _incident(form, base)
    if not incident.summary.strip():
        raise FormError("summary: say what happened")
    return incident


def claim_rows(claims: list[CasualtyClaim]) -> list[dict[str, Any]]:
    """The claims as form rows, with one empty row to add a claim."""
    rows = [claim.model_dump(mode="json") for claim in claims]
    return [*rows, dict.fromkeys(CLAIM_FIELDS, None)]
