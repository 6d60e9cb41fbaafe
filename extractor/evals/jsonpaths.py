"""Where each value of a JSON document starts, so a problem can name its line.

``json`` parses without positions. A gold file is parsed with ``json`` first (which reports
syntax errors itself), then ``value_lines`` walks the same, known-valid text once and records
the line of every value by its path: ``("incidents", 0, "evidence", 2)``. A member's line is
the line of its key, where a reader looks for it.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Sequence

__all__ = ["Loc", "format_path", "line_of", "value_lines"]

Loc = tuple[str | int, ...]

_WHITESPACE = " \t\r\n"
_SCALAR_END = ",]}" + _WHITESPACE


def format_path(loc: Sequence[str | int]) -> str:
    """``("incidents", 0, "evidence", 2)`` -> ``incidents[0].evidence[2]``; ``()`` -> ``""``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def line_of(lines: dict[Loc, int], loc: Loc) -> int:
    """The line of ``loc``, else of its nearest enclosing value (a missing field: its object)."""
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return 1


class _Walker:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.newlines = [i for i, ch in enumerate(text) if ch == "\n"]
        self.lines: dict[Loc, int] = {}

    def line(self, offset: int) -> int:
        return bisect_right(self.newlines, offset - 1) + 1

    def skip_space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in _WHITESPACE:
            self.pos += 1

    def string_end(self) -> int:
        """Offset just past the string starting at ``pos`` (escapes skipped, not decoded)."""
        i = self.pos + 1
        while self.text[i] != '"':
            i += 2 if self.text[i] == "\\" else 1
        return i + 1

    def value(self, loc: Loc, line: int | None = None) -> None:
        self.skip_space()
        self.lines[loc] = line if line is not None else self.line(self.pos)
        opener = self.text[self.pos]
        if opener == "{":
            self.members(loc)
        elif opener == "[":
            self.elements(loc)
        elif opener == '"':
            self.pos = self.string_end()
        else:
            while self.pos < len(self.text) and self.text[self.pos] not in _SCALAR_END:
                self.pos += 1

    def members(self, loc: Loc) -> None:
        self.pos += 1
        while True:
            self.skip_space()
            if self.text[self.pos] == "}":
                self.pos += 1
                return
            if self.text[self.pos] == ",":
                self.pos += 1
                continue
            start = self.pos
            self.pos = self.string_end()
            key = self.text[start + 1:self.pos - 1]
            if "\\" in key:  # rare: decode the escapes the way json does
                key = json.loads(self.text[start:self.pos])
            self.skip_space()
            self.pos += 1  # the colon
            self.value((*loc, key), self.line(start))

    def elements(self, loc: Loc) -> None:
        self.pos += 1
        index = 0
        while True:
            self.skip_space()
            if self.text[self.pos] == "]":
                self.pos += 1
                return
            if self.text[self.pos] == ",":
                self.pos += 1
                continue
            self.value((*loc, index))
            index += 1


def value_lines(text: str) -> dict[Loc, int]:
    """The 1-based line of every value in ``text`` (valid JSON), keyed by its path."""
    walker = _Walker(text)
    walker.value(())
    return walker.lines
