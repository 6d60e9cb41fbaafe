"""The extraction schema in the form a request sends it, and the hash rows store for it.

Two independent choices shape what the server receives in ``tools`` and ``json_schema``
modes:

* **strict** (``--strict``): the strict form of :mod:`extractor.schemas.strict`;
* **bare** (a prompt that says ``schema = "bare"``, like ``prompts/compact``): without the
  ``description`` and ``title`` annotations, which are most of the schema's tokens; such a
  prompt states the field rules itself.

Every form is derived from the same Pydantic models, which validate every answer alike. The
hash of the form sent goes on the rows (``schema_hash``), so they say which schema the model
saw; the plain form's hash is :func:`extractor.schemas.schema_hash`'s. Pure data, no I/O.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from extractor.schemas import extraction_json_schema
from extractor.schemas.strict import strict_json_schema

__all__ = ["bare", "sent_schema", "sent_schema_hash"]

ANNOTATIONS = frozenset({"description", "title"})


def bare(node: Any) -> Any:
    """``node`` without annotation keywords, at any depth (property names are kept, even a
    property called ``title``)."""
    if isinstance(node, list):
        return [bare(item) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in ANNOTATIONS and isinstance(value, str):
            continue
        if key in ("properties", "$defs"):
            out[key] = {name: bare(child) for name, child in value.items()}
        else:
            out[key] = bare(value)
    return out


def sent_schema(*, strict: bool, bare_form: bool) -> dict[str, Any]:
    schema = strict_json_schema() if strict else extraction_json_schema()
    return bare(schema) if bare_form else schema


def sent_schema_hash(*, strict: bool, bare_form: bool) -> str:
    """A hash of the canonical JSON of the form sent, like ``schema_hash``."""
    canonical = json.dumps(sent_schema(strict=strict, bare_form=bare_form), sort_keys=True,
                           separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]
