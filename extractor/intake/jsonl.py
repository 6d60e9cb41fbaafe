"""JSON Lines: one article per line, streamed from a file or standard input.

The stream is never held as a whole, and no line is held past the item limit: a longer line is
skipped in small chunks and reported, so one runaway line costs neither memory nor the lines
after it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, BinaryIO

from extractor.intake.decode import bom_encoding, utf8_problem
from extractor.intake.items import InputProblem, IntakeConfig, Item, ItemError, human_size
from extractor.intake.records import from_record, json_type

_SNIFF_BYTES = 8192
_SKIP_CHUNK = 1 << 20


def too_long(what: str, size: int, limit: int) -> str:
    return (f"{what} is {human_size(size)}, over the {human_size(limit)} limit of one item; "
            "split it, or raise --max-item-mb")


def read_jsonl(origin: str, stream: BinaryIO, config: IntakeConfig) -> Iterator[Item]:
    """Articles and problems, one line at a time; problems carry ``origin:LINE``."""
    head = stream.peek(_SNIFF_BYTES)[:_SNIFF_BYTES] if hasattr(stream, "peek") else b""
    marked = bom_encoding(head)
    if marked and marked != "utf-8-sig":
        yield InputProblem(origin, f"file is {marked.upper()} encoded; JSON Lines must be "
                           "UTF-8: re-encode it")
        return
    if b"\x00" in head.split(b"\n", 1)[0]:  # a stray NUL further on costs its line alone
        yield InputProblem(origin, "file looks binary (contains NUL bytes); expected JSON Lines")
        return
    limit = config.max_item_bytes
    offset = number = 0
    any_line = False
    while True:
        line_origin = f"{origin}:{number + 1}"
        try:
            raw = stream.readline(limit + 1)
            if not raw:
                break
            number += 1
            start, offset = offset, offset + len(raw)
            if len(raw) > limit and not raw.endswith(b"\n"):
                size = len(raw)
                del raw
                size += _skip_line(stream)
                offset = start + size
                any_line = True
                yield InputProblem(line_origin, too_long("line", size, limit))
                continue
        except OSError as exc:
            yield InputProblem(line_origin, f"reading stopped: {exc.strerror or exc}")
            return
        if raw.isspace():
            continue
        any_line = True
        try:
            line = raw.decode("utf-8-sig")  # a BOM on any line: files joined with cat
        except UnicodeDecodeError as exc:
            yield InputProblem(line_origin, utf8_problem(exc, start) + "; re-encode as UTF-8")
            continue
        finally:
            del raw  # the line is held once, as text, while it is parsed
        try:
            items = list(_from_line(line_origin, line, config))
        except ItemError as error:
            items = [InputProblem(line_origin, str(error))]
        except Exception as error:  # one odd line must never cost the others
            items = [InputProblem(line_origin, f"could not be read: {type(error).__name__}: "
                                  f"{error}")]
        del line  # not held while the consumer works on the article
        yield from items
    if not any_line:
        yield InputProblem(origin, "file is empty" if offset == 0 else "file has no articles "
                           "(only blank lines)")


def _skip_line(stream: BinaryIO) -> int:
    """Read past the rest of the current line; return how many bytes that was."""
    skipped = 0
    while chunk := stream.readline(_SKIP_CHUNK):
        skipped += len(chunk)
        if chunk.endswith(b"\n"):
            break
    return skipped


def _from_line(origin: str, line: str, config: IntakeConfig) -> Iterator[Item]:
    try:
        record: Any = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ItemError(f"invalid JSON: {exc.msg} (column {exc.colno})") from None
    if not isinstance(record, dict):
        raise ItemError(f"expected a JSON object, got {json_type(record)}")
    yield from from_record(origin, record, config.fields)
