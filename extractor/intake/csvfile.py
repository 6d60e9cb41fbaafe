"""CSV and TSV: a header row naming the columns, then one article per row, streamed.

Columns are named like JSONL keys (``text``, ``title``, ``url``, ``published``, ``source``) or
mapped with ``--field``. The delimiter is a tab for ``.tsv``, else the one the header row uses
of comma, semicolon, tab and bar. A row is named by the line it starts on.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from typing import BinaryIO

from extractor.intake.decode import binary_problem, bom_encoding, guess_encoding
from extractor.intake.items import InputProblem, IntakeConfig, Item, ItemError, human_size
from extractor.intake.records import from_record

_SNIFF_BYTES = 65536
_SKIP_CHUNK = 1 << 20
_DELIMITERS = ",;\t|"
_TOO_LONG = "line is longer than the {} limit of one item; split it, or raise --max-item-mb"


def _encoding(head: bytes) -> tuple[str, str | None]:
    """The stream's encoding from its first bytes, and a warning when it is a guess."""
    marked = bom_encoding(head)
    if marked:
        return marked, None
    problem = binary_problem(head.split(b"\n", 1)[0])  # a stray NUL later costs its row alone
    if problem:
        raise ItemError(problem)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8", None
    except UnicodeDecodeError:
        pass
    encoding = guess_encoding(head)
    if encoding is None:
        raise ItemError("not UTF-8, and no other encoding fits; re-encode as UTF-8")
    return encoding, (f"not UTF-8; read as {encoding} (detected from the first "
                           f"{human_size(len(head))}): check names and quotes, or re-encode "
                           "as UTF-8")


class _Lines:
    """The lines of a stream, each at most ``limit`` long; a longer line, or one that is not
    in the stream's encoding, is left out and reported, and the lines after it are read.
    Counts physical lines and where the current record started."""

    def __init__(self, stream: BinaryIO, encoding: str, origin: str, limit: int):
        self.stream, self.encoding, self.origin, self.limit = stream, encoding, origin, limit
        self.number = 0
        self.record_start = 1
        self.starting = True
        self.problems: list[InputProblem] = []

    def _problem(self, message: str) -> None:
        self.problems.append(InputProblem(f"{self.origin}:{self.number}", message))

    def _started(self) -> None:
        if self.starting:
            self.record_start, self.starting = self.number, False

    def __iter__(self) -> Iterator[str]:
        if self.encoding.startswith("utf-16") or self.encoding.startswith("utf-32"):
            yield from self._wide_lines()  # newlines are not single bytes: decode as a stream
            return
        while raw := self.stream.readline(self.limit + 1):
            self.number += 1
            if len(raw) > self.limit and not raw.endswith(b"\n"):
                while (chunk := self.stream.readline(_SKIP_CHUNK)) and not chunk.endswith(b"\n"):
                    pass
                self._problem(_TOO_LONG.format(human_size(self.limit)))
                continue
            try:
                line = raw.decode(self.encoding)
            except UnicodeDecodeError as exc:
                self._problem(f"not {self.encoding} (byte 0x{raw[exc.start]:02X} at column "
                              f"{exc.start + 1}); line left out, re-encode the file as UTF-8")
                continue
            self._started()
            yield line

    def _wide_lines(self) -> Iterator[str]:
        text = io.TextIOWrapper(self.stream, encoding=self.encoding, newline="")
        try:
            while line := text.readline(self.limit + 1):
                self.number += 1
                if len(line) > self.limit and not line.endswith(("\n", "\r")):
                    while (chunk := text.readline(_SKIP_CHUNK)) and not chunk.endswith(
                            ("\n", "\r")):
                        pass
                    self._problem(_TOO_LONG.format(human_size(self.limit)))
                    continue
                self._started()
                yield line
        finally:
            text.detach()


def read_csv(origin: str, stream: BinaryIO, config: IntakeConfig,
             delimiter: str | None = None) -> Iterator[Item]:
    head = stream.peek(_SNIFF_BYTES)[:_SNIFF_BYTES] if hasattr(stream, "peek") else b""
    if not head:
        raise ItemError("file is empty")
    encoding, warning = _encoding(head)
    if warning:
        yield InputProblem(origin, warning, warning=True)
    old_limit = csv.field_size_limit(max(config.max_item_bytes, 1))
    try:
        yield from _rows(origin, _Lines(stream, encoding, origin, config.max_item_bytes),
                         config, delimiter)
    finally:
        csv.field_size_limit(old_limit)


def _rows(origin: str, lines: _Lines, config: IntakeConfig,
          delimiter: str | None) -> Iterator[Item]:
    iterator = iter(lines)
    header_line = next(iterator, None)
    if header_line is None:
        yield from lines.problems
        raise ItemError("file has no header row")
    if delimiter is None:
        try:
            delimiter = csv.Sniffer().sniff(header_line, _DELIMITERS).delimiter
        except csv.Error:
            delimiter = ","
    header = [name.strip() for name in next(csv.reader([header_line], delimiter=delimiter))]
    reader = csv.reader(iterator, delimiter=delimiter)
    any_row = False
    while True:
        lines.starting = True
        try:
            row = next(reader, None)
        except csv.Error as error:
            yield from _drain(lines)
            start, end = lines.record_start, lines.number
            span = (f"; lines {start}-{end} left out (a quote opened and never closed?)"
                    if end > start else "")
            yield InputProblem(f"{origin}:{start}", f"not valid CSV: {error}{span}")
            continue
        except UnicodeDecodeError as error:  # only from a UTF-16 or UTF-32 stream
            yield from _drain(lines)
            yield InputProblem(f"{origin}:{lines.number + 1}", f"reading stopped: text is not "
                               f"{error.encoding} ({error.reason}); re-encode as UTF-8")
            return
        yield from _drain(lines)
        if row is None:
            break
        if not any(cell.strip() for cell in row):
            continue
        any_row = True
        row_origin = f"{origin}:{lines.record_start}"
        if len(row) > len(header):
            yield InputProblem(row_origin, f"row has {len(row)} fields, the header {len(header)}")
            continue
        record = dict(zip(header, row, strict=False))
        try:
            items = list(from_record(row_origin, record, config.fields))
        except ItemError as error:
            items = [InputProblem(row_origin, str(error))]
        except Exception as error:  # one odd row must never cost the others
            items = [InputProblem(row_origin, f"could not be read: {type(error).__name__}: "
                                  f"{error}")]
        yield from items
    if not any_row:
        yield InputProblem(origin, "file has a header row but no articles")


def _drain(lines: _Lines) -> Iterator[InputProblem]:
    yield from lines.problems
    lines.problems.clear()
