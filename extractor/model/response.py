"""The response model instructor validates the model's answer against.

It is :class:`extractor.schemas.ExtractionResult` (same fields, same JSON Schema, same name: the
class name is the tool name in ``tools`` mode and the schema name in ``json_schema``) with
three additions:

* **Keys the schema lacks are dropped, and counted.** Models asked in ``json`` or ``md_json``
  mode (where nothing constrains the output) add keys of their own (SmolLM added ``title``).
  The schema forbids extra keys, so each such answer would fail and be re-asked; instead the
  keys are dropped, at any depth, and the count is logged on the request that gave them.
* **Exact duplicate records collapse.** A model that repeats one incident (or actor) twice or
  more gives it once; the count is logged the same way. Records that differ in any value are
  all kept.
* **Evidence must come from the article.** A quote that does not align with the article text
  (exactly, after folding quotes and whitespace, or fuzzily:
  :func:`extractor.resolve.grounding.align`) fails validation, so instructor re-asks with the
  offending quote, as in instructor's "exact citations" pattern. The check is strict only while
  re-asks remain: on the last allowed ask the result is accepted as it is, and post-processing
  marks what still does not align as ``unaligned``; an ungrounded quote never fails an article.

It derives from ``instructor.ResponseSchema``, so instructor uses it as it is rather than
wrapping it in a new class on every call, and it caches its JSON Schema (the ``json`` and
``md_json`` modes put the schema in every request).
"""

from __future__ import annotations

import functools
import types
from collections import Counter
from typing import Any, ClassVar, Union, get_args, get_origin

import instructor
from pydantic import BaseModel, model_validator

from extractor import schemas
from extractor.model.state import current
from extractor.resolve.grounding import UNALIGNED, align


@functools.cache
def _nested(model: type[BaseModel]) -> dict[str, type[BaseModel] | None]:
    """Each field of ``model`` and the model its values (or list items) are, if any."""
    nested: dict[str, type[BaseModel] | None] = {}
    for name, field in model.model_fields.items():
        found: type[BaseModel] | None = None
        pending = [field.annotation]
        while pending and found is None:
            annotation = pending.pop()
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                found = annotation
            elif get_origin(annotation) in (list, Union, types.UnionType):
                pending.extend(get_args(annotation))
        nested[name] = found
    return nested


def drop_unknown_keys(model: type[BaseModel], data: dict[str, Any], path: str,
                      dropped: Counter[str]) -> dict[str, Any]:
    """``data`` without the keys ``model`` (and its nested models) does not have."""
    fields = _nested(model)
    kept: dict[str, Any] = {}
    for key, value in data.items():
        if key not in fields:
            dropped[f"{path}{key}"] += 1
            continue
        inner = fields[key]
        if inner is not None and isinstance(value, dict):
            value = drop_unknown_keys(inner, value, f"{path}{key}.", dropped)
        elif inner is not None and isinstance(value, list):
            value = [drop_unknown_keys(inner, item, f"{path}{key}[].", dropped)
                     if isinstance(item, dict) else item for item in value]
        kept[key] = value
    return kept


def collapse_duplicates(items: list[Any]) -> tuple[list[Any], int]:
    """``items`` with exact repeats removed, first occurrence kept; and how many went."""
    kept: list[Any] = []
    for item in items:
        if item not in kept:
            kept.append(item)
    return kept, len(items) - len(kept)


class ExtractionResult(schemas.ExtractionResult, instructor.ResponseSchema):
    """Everything extracted from one article."""

    _schema_cache: ClassVar[dict[str, Any] | None] = None

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        if args or kwargs:
            return super().model_json_schema(*args, **kwargs)
        if cls._schema_cache is None:
            # The same schema as the plain ExtractionResult: what schema_hash() versions.
            cls._schema_cache = schemas.ExtractionResult.model_json_schema()
        return cls._schema_cache

    @model_validator(mode="before")
    @classmethod
    def _drop_extras_and_repeats(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        dropped: Counter[str] = Counter()
        data = drop_unknown_keys(schemas.ExtractionResult, data, "", dropped)
        for key in ("incidents", "actors"):
            if isinstance(data.get(key), list) and len(data[key]) > 1:
                data[key], repeats = collapse_duplicates(data[key])
                if repeats:
                    dropped[f"repeated {key}"] += repeats
        state = current.get()
        if state is not None:
            for what, count in dropped.items():
                state.note_dropped(what, count)
        return data

    @model_validator(mode="after")
    def _evidence_in_article(self) -> ExtractionResult:
        state = current.get()
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
