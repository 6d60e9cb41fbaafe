"""OpenAI's strict-mode schema rules, as the fake server enforces them on ``strict: true``.

Written from OpenAI's documentation of Structured Outputs ("Supported schemas") and the
messages its API gives, independently of ``extractor/schemas/strict.py``, so that a test of
the one against the other can fail. :func:`first_violation` returns the first broken rule as
OpenAI words it (``In context=('properties', 'incidents', 'items'), ...``), or None.
"""

from __future__ import annotations

from typing import Any

SUPPORTED_KEYWORDS = frozenset({
    # structure
    "type", "properties", "required", "additionalProperties", "items", "anyOf", "enum",
    "const", "$ref", "$defs", "definitions",
    # annotations
    "title", "description",
    # string, number and array constraints
    "pattern", "format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
    "multipleOf", "minItems", "maxItems",
})
SUPPORTED_FORMATS = frozenset({"date-time", "time", "date", "duration", "email", "hostname",
                               "ipv4", "ipv6", "uuid"})
MAX_NESTING, MAX_PROPERTIES, MAX_ENUM_VALUES = 10, 5000, 1000


def _context(path: tuple[str, ...]) -> str:
    return f"In context={path!r}, "


def _node_violation(node: dict[str, Any], path: tuple[str, ...]) -> str | None:
    if "$ref" in node and len(node) > 1:
        others = "{" + ", ".join(repr(key) for key in sorted(set(node) - {"$ref"})) + "}"
        return f"{_context(path)}$ref cannot have keywords {others}."
    for key in node:
        if key == "default":
            return f"{_context(path)}'default' is not permitted."
        if key not in SUPPORTED_KEYWORDS:
            return f"{_context(path)}'{key}' is not permitted."
    if "format" in node and node["format"] not in SUPPORTED_FORMATS:
        return f"{_context(path)}format '{node['format']}' is not supported."
    types = node.get("type")
    is_object = types == "object" or (isinstance(types, list) and "object" in types)
    if is_object:
        if node.get("additionalProperties") is not False:
            return (f"{_context(path)}'additionalProperties' is required to be supplied and "
                    "to be false.")
        properties = node.get("properties", {})
        required = node.get("required")
        missing = [key for key in properties if not isinstance(required, list)
                   or key not in required]
        if missing:
            return (f"{_context(path)}'required' is required to be supplied and to be an "
                    f"array including every key in properties. Missing '{missing[0]}'.")
        extra = [key for key in required or [] if key not in properties]
        if extra:
            return f"{_context(path)}'required' names '{extra[0]}', which is not a property."
    return None


def first_violation(schema: Any) -> str | None:
    """The first strict-mode rule ``schema`` breaks, in OpenAI's words; None when it is valid."""
    if not isinstance(schema, dict):
        return "In context=(), schema must be a JSON object."
    if "anyOf" in schema:
        return "In context=(), root schema must not be 'anyOf'."
    if schema.get("type") != "object":
        return "In context=(), schema must be a JSON Schema of 'type: \"object\"'."
    counts = {"properties": 0, "enum": 0}

    def walk(node: Any, path: tuple[str, ...], depth: int) -> str | None:
        if not isinstance(node, dict):
            return f"{_context(path)}schema must be a JSON object."
        found = _node_violation(node, path)
        if found:
            return found
        if "properties" in node:
            depth += 1
            if depth > MAX_NESTING:
                return f"{_context(path)}objects nest more than {MAX_NESTING} levels deep."
            counts["properties"] += len(node["properties"])
        counts["enum"] += len(node.get("enum", ()))
        for name, child in node.get("properties", {}).items():
            found = walk(child, (*path, "properties", name), depth)
            if found:
                return found
        if "items" in node:
            found = walk(node["items"], (*path, "items"), depth)
            if found:
                return found
        for index, child in enumerate(node.get("anyOf", [])):
            found = walk(child, (*path, "anyOf", str(index)), depth)
            if found:
                return found
        for section in ("$defs", "definitions"):
            for name, child in node.get(section, {}).items():
                found = walk(child, (*path, section, name), depth)
                if found:
                    return found
        return None

    found = walk(schema, (), 0)
    if found:
        return found
    if counts["properties"] > MAX_PROPERTIES:
        return f"In context=(), the schema has more than {MAX_PROPERTIES} properties."
    if counts["enum"] > MAX_ENUM_VALUES:
        return f"In context=(), the schema has more than {MAX_ENUM_VALUES} enum values."
    return None


def strict_request_violation(body: dict[str, Any]) -> tuple[str, str, str] | None:
    """For a chat request, the first strict schema it sends that breaks a rule, as
    ``(message, param, code)`` of OpenAI's 400 answer; None when there is none."""
    for index, tool in enumerate(body.get("tools") or []):
        function = tool.get("function", {}) if isinstance(tool, dict) else {}
        if function.get("strict") is True:
            found = first_violation(function.get("parameters"))
            if found:
                return (f"Invalid schema for function '{function.get('name')}': {found}",
                        f"tools[{index}].function.parameters", "invalid_function_parameters")
    response_format = body.get("response_format") or {}
    if isinstance(response_format, dict) and response_format.get("type") == "json_schema":
        spec = response_format.get("json_schema") or {}
        if spec.get("strict") is True:
            found = first_violation(spec.get("schema"))
            if found:
                return (f"Invalid schema for response_format '{spec.get('name')}': {found}",
                        "response_format", "invalid_json_schema")
    return None
