"""Article intake: files, folders and standard input read into ``Article`` records.

Which reader a file gets goes by its suffix, before any ``.gz`` (or ``--format``): text and
Markdown with optional header lines (text.py), JSON Lines (jsonl.py), CSV and TSV
(csvfile.py), web pages (html.py), RSS and Atom feeds (feeds.py). Nothing here raises on bad
input: every problem, and every exception while reading one item, is yielded as an
``InputProblem`` naming the file (and line), and reading goes on with the next item.
"""

from __future__ import annotations

import gzip
import io
import re
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from extractor.intake.csvfile import read_csv
from extractor.intake.feeds import read_feed
from extractor.intake.html import read_html
from extractor.intake.items import (
    InputFormat,
    InputProblem,
    IntakeConfig,
    Item,
    ItemError,
    SourcedArticle,
    display_path,
    human_size,
)
from extractor.intake.jsonl import read_jsonl
from extractor.intake.text import HEADER_KEYS, read_text

__all__ = ["HEADER_KEYS", "STDIN", "SUPPORTED_SUFFIXES", "InputFormat", "InputProblem",
           "IntakeConfig", "Item", "SourcedArticle", "read_articles"]

STDIN = "-"
STDIN_ORIGIN = "<stdin>"
SUFFIX_FORMATS = {
    ".txt": InputFormat.TEXT, ".md": InputFormat.TEXT,
    ".jsonl": InputFormat.JSONL, ".ndjson": InputFormat.JSONL,
    ".csv": InputFormat.CSV, ".tsv": InputFormat.CSV,
    ".html": InputFormat.HTML, ".htm": InputFormat.HTML,
    ".rss": InputFormat.FEED, ".atom": InputFormat.FEED, ".xml": InputFormat.FEED,
}
SUPPORTED_SUFFIXES = frozenset(SUFFIX_FORMATS)
GZIP_SUFFIX = ".gz"  # news.jsonl.gz: any supported file, gzip-compressed
_SNIFF_BYTES = 8192
_FEED_ROOT = re.compile(rb"<(?:[\w.-]+:)?(?:rss|feed|RDF)[\s>]")
_HTML_START = re.compile(rb"<(?:!doctype\s+html|html|head|body)[\s>]", re.IGNORECASE)


def read_articles(paths: Iterable[Path | str], config: IntakeConfig | None = None,
                  stdin: BinaryIO | None = None) -> Iterator[Item]:
    """Articles and input problems from files, folders and ``-`` (standard input, or
    ``stdin`` when given), in a deterministic order.

    Folders are walked recursively in sorted order, skipping hidden entries and files of
    unsupported types. A file reached twice (named twice, or named and inside a named folder)
    is read once.
    """
    config = config or IntakeConfig()
    seen: set[Path | str] = set()
    for raw in paths:
        if str(raw) == STDIN:
            if STDIN not in seen:
                seen.add(STDIN)
                yield from _guarded(STDIN_ORIGIN, _read_stdin(stdin or sys.stdin.buffer, config))
            continue
        path = Path(raw)
        yield from _guarded(display_path(path), _read_named(path, config, seen))


def _guarded(origin: str, items: Iterator[Item]) -> Iterator[Item]:
    """``items``, with whatever stops them turned into one last problem about ``origin``."""
    try:
        yield from items
    except ItemError as error:
        yield InputProblem(origin, str(error))
    except OSError as error:
        yield InputProblem(origin, f"cannot read: {error.strerror or error}")
    except Exception as error:  # one unreadable file must never cost the others
        yield InputProblem(origin, f"could not be read: {type(error).__name__}: {error}")


def _read_named(path: Path, config: IntakeConfig, seen: set[Path | str]) -> Iterator[Item]:
    origin = display_path(path)
    if path.is_dir():
        found = False
        for entry in _walk(path, set()):
            if isinstance(entry, InputProblem):
                yield entry
                continue
            found = True
            yield from _guarded(display_path(entry), _read_once(
                entry, SUFFIX_FORMATS[_suffix(entry)], config, seen))
        if not found:
            yield InputProblem(origin, f"folder contains no article files ({_suffix_list()})")
        return
    if path.is_symlink() and not path.exists():
        yield InputProblem(origin, _broken_link(path))
        return
    if not path.exists():
        yield InputProblem(origin, "no such file or folder")
        return
    fmt = config.format or SUFFIX_FORMATS.get(_suffix(path))
    if fmt is None:
        yield InputProblem(origin, f"unsupported file type '{path.suffix or '(none)'}'; "
                           f"expected one of {_suffix_list()}, or say which with --format")
        return
    mode = path.stat().st_mode
    if stat.S_ISFIFO(mode):  # a pipe: `<(zcat feed.jsonl.gz)`
        with path.open("rb") as handle:
            yield from _read_stream(origin, handle, fmt, config, _suffix(path))
        return
    if not stat.S_ISREG(mode):
        yield InputProblem(origin, "not a regular file, folder or pipe")
        return
    yield from _read_once(path, fmt, config, seen)


def _broken_link(path: Path) -> str:
    try:
        return f"broken symbolic link (its target {display_path(path.readlink())} does not exist)"
    except OSError:
        return "broken symbolic link"


def _suffix_list() -> str:
    return ", ".join(sorted(SUPPORTED_SUFFIXES)) + f" (each also as {GZIP_SUFFIX})"


def _suffix(path: Path) -> str:
    """The suffix that says the format: ``.jsonl`` for news.jsonl and news.jsonl.gz."""
    suffix = path.suffix.lower()
    return Path(path.stem).suffix.lower() if suffix == GZIP_SUFFIX else suffix


def _open(path: Path) -> BinaryIO:
    """The file's bytes, decompressed as they are read when it is gzipped."""
    if path.suffix.lower() == GZIP_SUFFIX:
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def _walk(folder: Path, visited: set[Path]) -> Iterator[Path | InputProblem]:
    """Supported files under ``folder``, sorted by name at each level; hidden entries skipped;
    broken links to supported files reported."""
    real = folder.resolve()
    if real in visited:  # a symlink loop would otherwise recurse forever
        return
    visited.add(real)
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as exc:
        yield InputProblem(display_path(folder), f"cannot list folder: {exc.strerror or exc}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            if entry.is_dir():
                yield from _walk(entry, visited)
            elif _suffix(entry) not in SUPPORTED_SUFFIXES:
                continue
            elif entry.is_file():
                yield entry
            elif entry.is_symlink() and not entry.exists():
                yield InputProblem(display_path(entry), _broken_link(entry))
            elif not entry.exists():
                yield InputProblem(display_path(entry), "no longer exists (removed while the "
                                   "folder was read)")
        except OSError as exc:
            yield InputProblem(display_path(entry), f"cannot read: {exc.strerror or exc}")
        except Exception as exc:  # one odd entry must never end the walk
            yield InputProblem(display_path(entry), f"could not be read: "
                               f"{type(exc).__name__}: {exc}")


def _read_once(path: Path, fmt: InputFormat, config: IntakeConfig,
               seen: set[Path | str]) -> Iterator[Item]:
    key = path.resolve()
    if key in seen:
        return
    seen.add(key)
    origin = display_path(path)
    if fmt in (InputFormat.JSONL, InputFormat.CSV):
        with _open(path) as handle:
            yield from _read_stream(origin, handle, fmt, config, _suffix(path))
        return
    size = path.stat().st_size
    if size > config.max_item_bytes:  # compressed, it can only be larger
        raise ItemError(_too_big(size, config.max_item_bytes))
    with _open(path) as handle:  # never more than the limit, however well it compresses
        data = handle.read(config.max_item_bytes + 1)
    yield from _read_whole(origin, data, fmt, config)


def _too_big(size: int | None, limit: int) -> str:
    """Why a file is refused; ``size`` None when only the part up to the limit was read."""
    known = f" {human_size(size)}," if size is not None else ""
    return (f"file is{known} over the {human_size(limit)} limit of one item; split it, or "
            "raise --max-item-mb")


def _read_whole(origin: str, data: bytes, fmt: InputFormat,
                config: IntakeConfig) -> Iterator[Item]:
    if len(data) > config.max_item_bytes:  # read from a pipe or a .gz: its size is unknown
        raise ItemError(_too_big(None, config.max_item_bytes))
    if not data:
        raise ItemError("file is empty")
    readers: dict[InputFormat, Callable[[str, bytes], Iterator[Item]]] = {
        InputFormat.TEXT: read_text, InputFormat.HTML: read_html, InputFormat.FEED: read_feed,
    }
    yield from readers[fmt](origin, data)


def _read_stream(origin: str, stream: BinaryIO, fmt: InputFormat, config: IntakeConfig,
                 suffix: str = "") -> Iterator[Item]:
    """Read a stream: JSONL and CSV line by line, other formats whole (up to the limit)."""
    if fmt is InputFormat.JSONL:
        yield from read_jsonl(origin, stream, config)
    elif fmt is InputFormat.CSV:
        yield from read_csv(origin, stream, config, "\t" if suffix == ".tsv" else None)
    else:
        yield from _read_whole(origin, stream.read(config.max_item_bytes + 1), fmt, config)


def _read_stdin(stream: BinaryIO, config: IntakeConfig) -> Iterator[Item]:
    # Sniffing looks at the first bytes without consuming them: it needs a buffered reader.
    buffered = stream if isinstance(stream, io.BufferedReader) else io.BufferedReader(
        stream)  # type: ignore[type-var]
    fmt = config.format or sniff_format(buffered.peek(_SNIFF_BYTES)[:_SNIFF_BYTES])
    yield from _read_stream(STDIN_ORIGIN, buffered, fmt, config)


def sniff_format(head: bytes) -> InputFormat:
    """The format of a stream from its first bytes: JSON Lines, a feed or a web page.
    Raises ItemError for anything else, which needs ``--format``."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not start:
        raise ItemError("standard input is empty")
    if start.startswith(b"{"):
        return InputFormat.JSONL
    if _FEED_ROOT.search(head):
        return InputFormat.FEED
    if _HTML_START.search(head):
        return InputFormat.HTML
    raise ItemError("standard input is not JSON Lines, a feed or a web page; say what it is "
                    "with --format (" + ", ".join(f.value for f in InputFormat) + ")")
