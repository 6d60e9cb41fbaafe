"""What intake yields, and how it names where things came from.

Every origin and message is one printable line: control characters, line breaks and bytes that
are not valid text (a file name in another encoding, a lone surrogate) are escaped, so a console
line, a log line and a stored ``origin`` can never be split or fail to encode.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from extractor.schemas import Article

# Past this, a message is cut: a problem is one readable line, not a dump of the input.
MAX_MESSAGE_CHARS = 400
DEFAULT_MAX_ITEM_BYTES = 16 * 1024 * 1024

# Bidirectional overrides and isolates can make a file name display as another name.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


class InputFormat(StrEnum):
    """How a file is read (``--format``)."""

    TEXT = "text"  # .txt, .md: optional header lines, then the text
    JSONL = "jsonl"  # one JSON object per line
    CSV = "csv"  # a header row, then one article per row
    HTML = "html"  # a saved web page: its main text
    FEED = "feed"  # RSS or Atom: one article per item


@dataclass(frozen=True)
class IntakeConfig:
    """How input is read: resolved at the CLI edge, passed down."""

    # Forces the reader for standard input and for files named on the command line (folders
    # are always read by suffix); None sniffs standard input and goes by suffix for files.
    format: InputFormat | None = None
    # Article field -> the JSONL key or CSV column holding it (``--field text=body``).
    fields: dict[str, str] = field(default_factory=dict)
    # Largest item read: one JSONL line or CSV row, or one whole file of another format.
    max_item_bytes: int = DEFAULT_MAX_ITEM_BYTES


@dataclass(frozen=True)
class SourcedArticle:
    """An article and where it was read from."""

    article: Article
    origin: str  # "path", or "path:LINE" for JSONL, CSV and feeds

    def __post_init__(self) -> None:
        object.__setattr__(self, "origin", one_line(self.origin))


@dataclass(frozen=True)
class InputProblem:
    """Something wrong with the input, said so that the user can fix it.

    A problem stops its item; a warning (``warning=True``) does not: the article it is about
    follows it and is read (a publication date not understood, a guessed encoding).
    """

    origin: str  # "path", or "path:LINE"
    message: str
    warning: bool = False

    def __post_init__(self) -> None:
        message = one_line(self.message)
        if len(message) > MAX_MESSAGE_CHARS:
            message = message[:MAX_MESSAGE_CHARS - 1] + "…"
        object.__setattr__(self, "origin", one_line(self.origin))
        object.__setattr__(self, "message", message)


Item = SourcedArticle | InputProblem


class ItemError(Exception):
    """Raised inside a reader: this one item cannot be read, for the reason given."""


def one_line(text: str) -> str:
    """``text`` as one printable line: control and invalid characters escaped."""
    if text.isprintable() and text.isascii():
        return text
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif 0xDC80 <= ord(char) <= 0xDCFF:  # an undecodable byte of a file name
            out.append(f"\\x{ord(char) - 0xDC00:02x}")
        elif char in _BIDI_CONTROLS or unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp"):
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


def display_path(path: Path | str) -> str:
    """A path as shown and stored: the file system's bytes, with what is not text escaped."""
    return one_line(os.fspath(path))


def human_size(size: int) -> str:
    """A byte count as a person reads it: 512 bytes, 3.2 KB, 16.0 MB."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"
