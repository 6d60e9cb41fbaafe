"""Plain text and Markdown files, and what every reader shares: the stored form of a text and
the making of an ``Article``.

The stored text is what evidence quotes are aligned against, so it is changed as little as
possible: BOM removed, newlines made ``\\n``, surrounding blank space trimmed, nothing else.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from extractor.intake.dates import bad_date_message, parse_date
from extractor.intake.decode import decode
from extractor.intake.items import InputProblem, Item, ItemError, SourcedArticle
from extractor.schemas import Article, article_id_for
from extractor.schemas.text import SURROGATE

HEADER_KEYS = ("title", "url", "published", "source")
_HEADER_LINE = re.compile(r"(title|url|published|source)[ \t]*:[ \t]*(.*)", re.IGNORECASE)
_FIRST_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_LEADING_BLANK_LINES = re.compile(r"\A(?:[ \t]*\n)+")



def clean(text: str) -> str:
    """The stored form of an article text: BOM, \\r and surrounding blank lines removed."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return _LEADING_BLANK_LINES.sub("", text).rstrip()


def strip_or_none(value: str | None) -> str | None:
    return value.strip() or None if value else None


def make_article(text: str, title: str | None, url: str | None, published: date | None,
                 source: str | None) -> Article:
    """The article; raises ItemError for text that is not valid Unicode, or holds NUL."""
    for name, value in (("text", text), ("title", title), ("url", url), ("source", source)):
        if value and "\x00" in value:
            raise ItemError(f"\"{name}\" holds a NUL character (at character "
                            f"{value.index(chr(0))}): binary data, not text")
        bad = SURROGATE.search(value) if value else None
        if bad:
            raise ItemError(f"\"{name}\" holds a lone surrogate (U+{ord(bad.group()):04X} at "
                            f"character {bad.start()}), which is not valid Unicode; fix the "
                            "escape in the source")
    # The id always comes from the text, so the same article read twice is one article.
    return Article(id=article_id_for(text), title=title or None, url=url or None,
                   published=published, source=source or None, text=text)


def split_header(text: str) -> tuple[dict[str, str], str]:
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


def read_text(origin: str, data: bytes) -> Iterator[Item]:
    text, warning = decode(data)
    if not text.strip():
        raise ItemError("file contains only whitespace")
    if warning:
        yield InputProblem(origin, warning, warning=True)
    yield from from_text(origin, text)


def from_text(origin: str, content: str) -> Iterator[Item]:
    fields, body = split_header(clean(content))
    body = clean(body)
    if not body:
        raise ItemError("header lines but no article text; put the text after a blank line "
                        "below the header")
    published = None
    if fields.get("published"):
        published = parse_date(fields["published"])
        if published is None:
            yield InputProblem(origin, bad_date_message(fields["published"]), warning=True)
    yield SourcedArticle(make_article(body, fields.get("title"), fields.get("url"), published,
                                      fields.get("source")), origin)
