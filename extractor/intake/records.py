"""Records (a JSONL object, a CSV row) to articles, with the field mapping of ``--field``."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from extractor.intake.dates import bad_date_message, parse_date
from extractor.intake.items import InputProblem, Item, ItemError, SourcedArticle
from extractor.intake.text import clean, make_article, strip_or_none

ARTICLE_FIELDS = ("text", "title", "url", "published", "source")
_KEYS_SHOWN = 12
_JSON_TYPE = {dict: "an object", list: "an array", str: "a string", bool: "a boolean",
              int: "a number", float: "a number", type(None): "null"}


def parse_field_mapping(specs: Iterable[str]) -> dict[str, str]:
    """``["text=body", "title=headline"]`` as ``{"text": "body", ...}``; ValueError if bad."""
    mapping: dict[str, str] = {}
    for spec in specs:
        target, sep, name = spec.partition("=")
        target, name = target.strip().lower(), name.strip()
        if not sep or not name:
            raise ValueError(f"{spec!r} is not FIELD=NAME (e.g. text=body)")
        if target not in ARTICLE_FIELDS:
            raise ValueError(f"{spec!r}: unknown article field {target!r}; known: "
                             f"{', '.join(ARTICLE_FIELDS)}")
        if target in mapping:
            raise ValueError(f"{target!r} is mapped twice")
        mapping[target] = name
    return mapping


def quoted(key: str) -> str:
    """A key as JSON writes it: "body"."""
    return json.dumps(key, ensure_ascii=False)


def json_type(value: Any) -> str:
    return _JSON_TYPE.get(type(value), type(value).__name__)


def _keys(record: Mapping[str, Any]) -> str:
    names = [quoted(key if len(key) <= 40 else key[:39] + "…")
             for key in list(record)[:_KEYS_SHOWN]]
    more = len(record) - _KEYS_SHOWN
    return (", ".join(names) or "none") + (f" and {more} more" if more > 0 else "")


def from_record(origin: str, record: Mapping[str, Any],
                fields: Mapping[str, str]) -> Iterator[Item]:
    """The article of one record; ItemError when it has no text. A date not understood, or an
    optional field that is not a string, is a warning before the article, which is read
    without it."""
    def name(target: str) -> str:
        return fields.get(target, target)

    def shown(target: str) -> str:
        return quoted(name(target)) + (f" (mapped to {target} by --field)"
                                       if target in fields else "")

    values: dict[str, str | None] = {}
    warnings: list[InputProblem] = []
    for target in ARTICLE_FIELDS:
        value = record.get(name(target))
        if value is not None and not isinstance(value, str):
            if target == "text":
                raise ItemError(f"{shown(target)} must be a string, got {json_type(value)}")
            warnings.append(InputProblem(origin, f"{shown(target)} must be a string or null, "
                                         f"got {json_type(value)}; read without it",
                                         warning=True))
            value = None
        values[target] = value
    text = values["text"]
    if text is None:
        raise ItemError(f"missing {shown('text')}; keys found: "
                        f"{_keys(record)}; name the text's key with --field text=KEY")
    text = clean(text)
    if not text:
        raise ItemError(f"{shown('text')} is empty")
    published = None
    written = values["published"]
    if written and written.strip():
        published = parse_date(written)
        if published is None:
            warnings.append(InputProblem(origin, bad_date_message(written), warning=True))
    yield from warnings
    # A supplied "id" is ignored on purpose: ids are derived from the text only.
    yield SourcedArticle(make_article(text, strip_or_none(values["title"]),
                                      strip_or_none(values["url"]), published,
                                      strip_or_none(values["source"])), origin)
