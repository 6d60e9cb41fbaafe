"""Article intake: turn files and folders of news into ``Article`` records.

Reads ``.txt``/``.md`` (optional ``Title:``/``URL:``/``Published:``/``Source:`` header lines),
``.jsonl`` (one article per line, streamed) and ``.html``/``.htm`` (main text by trafilatura).
Nothing here raises on bad input: every problem is yielded as an ``InputProblem`` naming the
file (and line), so one bad file never stops a run.

The stored text is what evidence quotes are aligned against, so it is changed as little as
possible: BOM removed, newlines made ``\\n``, surrounding blank space trimmed, nothing else.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from extractor.schemas import Article, article_id_for

__all__ = ["SUPPORTED_SUFFIXES", "InputProblem", "SourcedArticle", "read_articles"]

TEXT_SUFFIXES = frozenset({".txt", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSONL_SUFFIXES = frozenset({".jsonl"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES

HEADER_KEYS = ("title", "url", "published", "source")
_HEADER_LINE = re.compile(r"(title|url|published|source)[ \t]*:[ \t]*(.*)", re.IGNORECASE)
_FIRST_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_LEADING_BLANK_LINES = re.compile(r"\A(?:[ \t]*\n)+")
_ORDINAL = re.compile(r"(?<=\d)(st|nd|rd|th)\b", re.IGNORECASE)
_DATE_FORMATS = ("%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y",
                 "%d %B, %Y", "%Y/%m/%d")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_SNIFF_BYTES = 8192


@dataclass(frozen=True)
class SourcedArticle:
    """An article and where it was read from."""

    article: Article
    origin: str  # "path", or "path:LINE" for JSONL


@dataclass(frozen=True)
class InputProblem:
    """Something wrong with the input, said so that the user can fix it."""

    origin: str  # "path", or "path:LINE" for JSONL
    message: str


Item = SourcedArticle | InputProblem


def read_articles(paths: Iterable[Path | str]) -> Iterator[Item]:
    """Articles and input problems from files and folders, in a deterministic order.

    Folders are walked recursively in sorted order, skipping hidden entries and files of
    unsupported types. A file reached twice (named twice, or named and inside a named folder)
    is read once.
    """
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = False
            for entry in _walk(path, set()):
                if isinstance(entry, InputProblem):
                    yield entry
                    continue
                found = True
                yield from _read_once(entry, seen)
            if not found:
                yield InputProblem(str(path), "folder contains no article files "
                                   f"({_suffix_list()})")
        elif not path.exists():
            yield InputProblem(str(path), "no such file or folder")
        elif not path.is_file():
            yield InputProblem(str(path), "not a regular file or folder")
        elif path.suffix.lower() not in SUPPORTED_SUFFIXES:
            yield InputProblem(str(path), f"unsupported file type '{path.suffix or '(none)'}'; "
                               f"expected one of {_suffix_list()}")
        else:
            yield from _read_once(path, seen)


def _suffix_list() -> str:
    return ", ".join(sorted(SUPPORTED_SUFFIXES))


def _walk(folder: Path, visited: set[Path]) -> Iterator[Path | InputProblem]:
    """Supported files under ``folder``, sorted by name at each level; hidden entries skipped."""
    real = folder.resolve()
    if real in visited:  # a symlink loop would otherwise recurse forever
        return
    visited.add(real)
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as exc:
        yield InputProblem(str(folder), f"cannot list folder: {exc.strerror or exc}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            yield from _walk(entry, visited)
        elif entry.is_file() and entry.suffix.lower() in SUPPORTED_SUFFIXES:
            yield entry


def _read_once(path: Path, seen: set[Path]) -> Iterator[Item]:
    key = path.resolve()
    if key in seen:
        return
    seen.add(key)
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        yield from _read_jsonl(path)
        return
    content = _read_utf8(path)
    if isinstance(content, InputProblem):
        yield content
    elif suffix in HTML_SUFFIXES:
        yield from _from_html(str(path), content)
    else:
        yield from _from_text(str(path), content)


# --- bytes to text -------------------------------------------------------------------------


def _byte_problem(data: bytes) -> str | None:
    """Why these bytes are not text we can read, or None. Checks only the given bytes."""
    if data.startswith(_UTF16_BOMS):
        return "file is UTF-16 encoded; re-encode as UTF-8"
    if b"\x00" in data:
        return "file looks binary (contains NUL bytes); expected UTF-8 text"
    return None


def _decode_problem(exc: UnicodeDecodeError, base_offset: int = 0) -> str:
    bad = exc.object[exc.start]
    return f"not UTF-8 (byte 0x{bad:02X} at offset {base_offset + exc.start}); re-encode as UTF-8"


def _read_utf8(path: Path) -> str | InputProblem:
    """The whole file as text, or the problem that stops us reading it."""
    origin = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return InputProblem(origin, f"cannot read file: {exc.strerror or exc}")
    problem = _byte_problem(data)
    if problem:
        return InputProblem(origin, problem)
    try:
        # utf-8-sig drops a leading BOM; other encodings are refused, never guessed, because a
        # wrong guess would silently corrupt names and quotes.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return InputProblem(origin, _decode_problem(exc))
    if not text.strip():
        return InputProblem(origin, "file is empty" if not data else "file contains only "
                            "whitespace")
    return text


def _clean(text: str) -> str:
    """The stored form of an article text: BOM, \\r and surrounding blank lines removed."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return _LEADING_BLANK_LINES.sub("", text).rstrip()


# --- plain text ----------------------------------------------------------------------------


def _split_header(text: str) -> tuple[dict[str, str], str]:
    """Header fields and body. The block before the first blank line is a header only when
    every one of its lines is a known ``Key: value`` line, so prose containing a colon stays
    text."""
    parts = _FIRST_BLANK_LINE.split(text, maxsplit=1)
    lines = parts[0].split("\n")
    matches = [_HEADER_LINE.fullmatch(line.rstrip()) for line in lines]
    if not all(matches):
        return {}, text
    fields = {m.group(1).lower(): m.group(2).strip() for m in matches if m}
    return fields, parts[1] if len(parts) > 1 else ""


def _from_text(origin: str, content: str) -> Iterator[Item]:
    fields, body = _split_header(_clean(content))
    body = _clean(body)
    if not body:
        yield InputProblem(origin, "header lines but no article text; put the text after a "
                           "blank line below the header")
        return
    published = None
    if fields.get("published"):
        published = _parse_date(fields["published"])
        if published is None:
            yield InputProblem(origin, _bad_date_message(fields["published"]))
    yield SourcedArticle(_article(body, fields.get("title"), fields.get("url"), published,
                                  fields.get("source")), origin)


def _parse_date(value: str) -> date | None:
    """A publication date from ISO (date or datetime) or common English forms, else None."""
    value = " ".join(value.split())
    iso = re.fullmatch(r"(\d{4}-\d{2}-\d{2})(?:[T ].*)?", value)
    if iso:
        try:
            return date.fromisoformat(iso.group(1))
        except ValueError:
            return None
    value = _ORDINAL.sub("", value).replace(".", "")  # "30th July", "Jul. 30"
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def _bad_date_message(value: str) -> str:
    return (f"publication date {value!r} not understood; write it as YYYY-MM-DD "
            "(e.g. 2024-07-30). The article is read without a publication date")


def _article(text: str, title: str | None, url: str | None, published: date | None,
             source: str | None) -> Article:
    # The id always comes from the text, so the same article read twice is one article.
    return Article(id=article_id_for(text), title=title or None, url=url or None,
                   published=published, source=source or None, text=text)


# --- JSON Lines ----------------------------------------------------------------------------

_JSON_TYPE = {dict: "an object", list: "an array", str: "a string", bool: "a boolean",
              int: "a number", float: "a number", type(None): "null"}


def _read_jsonl(path: Path) -> Iterator[Item]:
    """One article per line, streamed: the file is never held in memory as a whole."""
    origin = str(path)
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield InputProblem(origin, f"cannot read file: {exc.strerror or exc}")
        return
    with handle:
        try:
            problem = _byte_problem(handle.read(_SNIFF_BYTES))
            if problem:
                yield InputProblem(origin, problem)
                return
            handle.seek(0)
            offset, any_line = 0, False
            for number, raw in enumerate(handle, start=1):
                line_origin = f"{origin}:{number}"
                start, offset = offset, offset + len(raw)
                try:
                    line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
                except UnicodeDecodeError as exc:
                    any_line = True
                    yield InputProblem(line_origin, _decode_problem(exc, start))
                    continue
                if not line.strip():
                    continue
                any_line = True
                yield from _from_json_line(line_origin, line)
        except OSError as exc:
            yield InputProblem(origin, f"reading stopped: {exc.strerror or exc}")
            return
    if not any_line:
        yield InputProblem(origin, "file is empty" if offset == 0 else "file has no articles "
                           "(only blank lines)")


def _from_json_line(origin: str, line: str) -> Iterator[Item]:
    try:
        record: Any = json.loads(line)
    except json.JSONDecodeError as exc:
        yield InputProblem(origin, f"invalid JSON: {exc.msg} (column {exc.colno})")
        return
    if not isinstance(record, dict):
        yield InputProblem(origin, f"expected a JSON object, got {_json_type(record)}")
        return
    text = record.get("text")
    if not isinstance(text, str) or not _clean(text):
        if "text" not in record:
            found = ", ".join(sorted(record)) or "none"
            yield InputProblem(origin, f"missing \"text\" (keys found: {found})")
        elif isinstance(text, str):
            yield InputProblem(origin, "\"text\" is empty")
        else:
            yield InputProblem(origin, f"\"text\" must be a string, got {_json_type(text)}")
        return
    for key in HEADER_KEYS:
        if not isinstance(record.get(key), str | None):
            yield InputProblem(origin, f"\"{key}\" must be a string or null, got "
                               f"{_json_type(record[key])}")
            return
    published = None
    if record.get("published"):
        published = _parse_date(record["published"])
        if published is None:
            yield InputProblem(origin, _bad_date_message(record["published"]))
    # A supplied "id" is ignored on purpose: ids are derived from the text only.
    yield SourcedArticle(_article(_clean(text), _strip(record.get("title")),
                                  _strip(record.get("url")), published,
                                  _strip(record.get("source"))), origin)


def _json_type(value: Any) -> str:
    return _JSON_TYPE.get(type(value), type(value).__name__)


def _strip(value: str | None) -> str | None:
    return value.strip() if value else None


# --- HTML ----------------------------------------------------------------------------------


def _from_html(origin: str, content: str) -> Iterator[Item]:
    # Imported here: trafilatura pulls in lxml and friends, which text-only runs never need.
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            content,
            with_metadata=True,
            # Without favor_precision, a page of navigation alone comes back as "Home World".
            favor_precision=True,
            # Reader comments are not the article (trafilatura keeps them out of .text anyway).
            include_comments=False,
            # trafilatura's default "extensive" date search takes any date in the body, often
            # the incident's date; a wrong publication date would shift every relative date.
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as exc:  # a parser failure on one odd page must not stop the run
        yield InputProblem(origin, f"HTML could not be parsed: {exc}")
        return
    text = _clean(doc.text or "") if doc is not None else ""
    if not text:
        yield InputProblem(origin, "no main article text found in the HTML (only navigation "
                           "or boilerplate?); save the article page itself, or its text as .txt")
        return
    published = None
    if doc.date:
        try:
            published = date.fromisoformat(doc.date[:10])
        except ValueError:
            yield InputProblem(origin, _bad_date_message(doc.date))
    yield SourcedArticle(_article(text, _strip(doc.title), _strip(doc.url), published,
                                  _strip(doc.sitename)), origin)
