"""The extraction schema in the form OpenAI's strict structured outputs accept.

Derived from the same Pydantic models as :func:`extractor.schemas.extraction_json_schema`, so
the two cannot drift apart. Strict mode (``strict: true`` on a function tool or a
``json_schema`` response format) makes the provider decode with a grammar compiled from the
schema, and it accepts only a subset of JSON Schema:

* every object lists every one of its properties in ``required`` and sets
  ``additionalProperties: false``; a field that may be absent is written as nullable instead.
  Fields whose default is not null (the lists, ``is_background``) stay non-nullable: the model
  writes the empty list or ``false`` itself, which the Pydantic models accept as before;
* no ``default`` (nor any keyword outside the supported subset: ``allOf``, ``not``, ``if`` ...);
* no string lengths: strict mode takes ``pattern`` and ``format`` for strings, not
  ``minLength``/``maxLength``. They are dropped here; the Pydantic models still enforce them
  on the answer, so an over-long string is re-asked, as in every other mode;
* a ``$ref`` stands alone: where Pydantic puts a ``description`` beside one (every enum
  field), the referenced definition is inlined with that description;
* the root is an object, not an ``anyOf``; at most 10 levels of nested objects, 5,000
  properties and 1,000 enum values in all.

Pure data, like the rest of :mod:`extractor.schemas`: no I/O.
"""

from __future__ import annotations

import copy
import hashlib
import json
from typing import Any

from extractor.schemas import ExtractionResult

__all__ = [
    "MAX_ENUM_VALUES",
    "MAX_NESTING",
    "MAX_PROPERTIES",
    "STRICT_SCHEMA_FILE_NAME",
    "StrictSchemaError",
    "strict_json_schema",
    "strict_schema_hash",
]

STRICT_SCHEMA_FILE_NAME = "extraction_result.strict.schema.json"

# OpenAI's documented limits on a strict schema.
MAX_NESTING = 10
MAX_PROPERTIES = 5000
MAX_ENUM_VALUES = 1000

# Keywords a strict schema keeps; every other one is dropped (``default``) or refused.
_ANNOTATIONS = frozenset({"title", "description"})
_STRUCTURE = frozenset({"type", "properties", "required", "additionalProperties", "items",
                        "anyOf", "enum", "const", "$ref", "$defs"})
_CONSTRAINTS = frozenset({"pattern", "format", "minimum", "maximum", "exclusiveMinimum",
                          "exclusiveMaximum", "multipleOf", "minItems", "maxItems"})
_DROPPED = frozenset({"default", "minLength", "maxLength"})
_SUPPORTED = _ANNOTATIONS | _STRUCTURE | _CONSTRAINTS


class StrictSchemaError(ValueError):
    """The models use a construct that strict mode cannot express (a bug in the models)."""


def _resolve(ref: str, defs: dict[str, Any]) -> dict[str, Any]:
    prefix = "#/$defs/"
    if not ref.startswith(prefix) or ref[len(prefix):] not in defs:
        raise StrictSchemaError(f"unresolvable $ref {ref!r}")
    return dict(defs[ref[len(prefix):]])


def _strict(node: dict[str, Any], defs: dict[str, Any], path: str) -> dict[str, Any]:
    """One schema node rewritten to strict form; ``path`` names it in errors."""
    if "$ref" in node and len(node) > 1:
        siblings = {key: value for key, value in node.items() if key != "$ref"}
        node = {**_resolve(node["$ref"], defs), **siblings}
    unknown = set(node) - _SUPPORTED - _DROPPED
    if unknown:
        raise StrictSchemaError(f"{path}: keyword(s) {sorted(unknown)} are not allowed in "
                                "strict mode")
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _DROPPED:
            continue
        if key == "properties":
            out[key] = {name: _strict(child, defs, f"{path}.{name}")
                        for name, child in value.items()}
        elif key == "items":
            out[key] = _strict(value, defs, f"{path}[]")
        elif key == "anyOf":
            out[key] = [_strict(child, defs, f"{path}|{index}")
                        for index, child in enumerate(value)]
        elif key == "$defs":
            continue
        else:
            out[key] = copy.deepcopy(value)
    if out.get("type") == "object" or "properties" in out:
        out["required"] = list(out.get("properties", {}))
        out["additionalProperties"] = False
    return out


def _refs(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"]} if isinstance(node.get("$ref"), str) else set()
        for value in node.values():
            found |= _refs(value)
        return found
    if isinstance(node, list):
        return set().union(*(_refs(item) for item in node)) if node else set()
    return set()


def _check_limits(schema: dict[str, Any]) -> None:
    properties = enum_values = 0

    def walk(node: Any, depth: int) -> None:
        nonlocal properties, enum_values
        if isinstance(node, list):
            for item in node:
                walk(item, depth)
            return
        if not isinstance(node, dict):
            return
        if "properties" in node:
            depth += 1
            properties += len(node["properties"])
            if depth > MAX_NESTING:
                raise StrictSchemaError(f"objects nest deeper than {MAX_NESTING} levels")
        enum_values += len(node.get("enum", ()))
        for key, value in node.items():
            if key in ("properties", "$defs"):
                for child in value.values():
                    walk(child, depth)
            elif key in ("items", "anyOf"):
                walk(value, depth)

    walk(schema, 0)
    if properties > MAX_PROPERTIES:
        raise StrictSchemaError(f"{properties} properties; strict mode allows {MAX_PROPERTIES}")
    if enum_values > MAX_ENUM_VALUES:
        raise StrictSchemaError(f"{enum_values} enum values; strict mode allows "
                                f"{MAX_ENUM_VALUES}")


def strict_json_schema() -> dict[str, Any]:
    """The JSON Schema of ExtractionResult for ``strict: true`` requests (tools, json_schema).

    A record valid under it is a valid ExtractionResult, and every ExtractionResult, dumped
    with all its fields (``model_dump(mode="json")``), is valid under it.
    """
    source = ExtractionResult.model_json_schema()
    defs = source.get("$defs", {})
    root = _strict({k: v for k, v in source.items() if k != "$defs"}, defs, "$")
    strict_defs = {name: _strict(definition, defs, f"$defs.{name}")
                   for name, definition in defs.items()}
    # Keep only the definitions still referenced (enums inlined beside a description are not).
    used: set[str] = set()
    pending = _refs(root)
    while pending:
        ref = pending.pop()
        name = ref.removeprefix("#/$defs/")
        if name not in used:
            used.add(name)
            pending |= _refs(strict_defs[name])
    if root.get("type") != "object" or "anyOf" in root:
        raise StrictSchemaError("the root of a strict schema must be an object")
    schema = {**root, "$defs": {name: strict_defs[name] for name in sorted(used)}} if used \
        else root
    _check_limits(schema)
    return schema


def strict_schema_hash() -> str:
    """Version of the strict schema: a hash of its canonical JSON, like ``schema_hash``."""
    canonical = json.dumps(strict_json_schema(), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]
