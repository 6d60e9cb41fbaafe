"""RSS and Atom feeds (feedparser): one article per item, with its title, link and date.

An item's text is its full content where the feed carries it, else its summary, with the
markup stripped to paragraphs. Each item is named by the line its ``<item>`` or ``<entry>``
starts on, like a JSONL line.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import date
from typing import Any

from extractor.intake.dates import bad_date_message, parse_date
from extractor.intake.decode import binary_problem, bom_encoding
from extractor.intake.items import InputProblem, Item, ItemError, SourcedArticle
from extractor.intake.text import clean, make_article, strip_or_none

_ITEM_START = re.compile(rb"<!\[CDATA\[.*?\]\]>|<!--.*?-->|<(?:[A-Za-z_][\w.-]*:)?(item|entry)"
                         rb"(?=[\s>/])", re.DOTALL)
_MARKUP_TYPES = ("text/html", "application/xhtml+xml", "html", "xhtml")
_BLOCKS = ("p", "div", "li", "ul", "ol", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6",
           "table", "tr", "pre", "section", "article", "figure", "figcaption", "dd", "dt")
_CHAR_REF = re.compile(rb"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));")
_SPACE = re.compile(r"\s+")
_BLANK_LINES = re.compile(r"\n{3,}")


def item_lines(data: bytes) -> list[int]:
    """The line each item or entry starts on, skipping CDATA sections and comments."""
    lines, line, position = [], 1, 0
    for match in _ITEM_START.finditer(data):
        if match.group(1):
            line += data.count(b"\n", position, match.start())
            position = match.start()
            lines.append(line)
    return lines


def _invalid_refs_replaced(data: bytes) -> tuple[bytes, int]:
    """``data`` with character references to no character (a lone surrogate such as
    ``&#xD800;``, or past U+10FFFF), which make feedparser fail on the whole feed, replaced
    by U+FFFD; and how many there were."""
    count = 0

    def replace(match: re.Match[bytes]) -> bytes:
        nonlocal count
        hex_digits, digits = match.groups()
        code = int(hex_digits, 16) if hex_digits else int(digits)
        if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
            count += 1
            return b"&#xFFFD;"
        return match.group()

    return (_CHAR_REF.sub(replace, data) if b"&#" in data else data), count


def html_to_text(fragment: str) -> str:
    """The text of an HTML fragment: one paragraph per block, a line per ``<br>``."""
    if "<" not in fragment:
        return clean(fragment)
    from lxml import etree, html  # type: ignore[import-untyped]

    try:
        root = html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return clean(fragment)
    for element in [e for e in root.iter("script", "style")]:
        element.drop_tree()
    for element in root.iter():
        element.text = _SPACE.sub(" ", element.text) if element.text else element.text
        element.tail = _SPACE.sub(" ", element.tail) if element.tail else element.tail
    for element in root.iter("br"):
        element.tail = "\n" + (element.tail or "")
    for element in root.iter(*_BLOCKS):
        element.tail = "\n\n" + (element.tail or "")
    text: str = root.text_content()
    lines = [line.strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _text(value: str, kind: str | None) -> str:
    return html_to_text(value) if (kind or "text/html") in _MARKUP_TYPES else clean(value)


def _item_text(entry: Any) -> str:
    """The item's full content where there is one, else its summary."""
    contents = [_text(c.get("value") or "", c.get("type")) for c in entry.get("content") or []]
    best = max(contents, key=len, default="")
    if best:
        return best
    detail = entry.get("summary_detail") or {}
    return _text(entry.get("summary") or "", detail.get("type"))


def _item_date(origin: str, entry: Any) -> Iterator[InputProblem | date]:
    for name in ("published", "updated", "created"):
        written = entry.get(name)
        if not written:
            continue
        found = parse_date(written)
        if found is None:  # a form feedparser knows and we do not: its UTC date, else nothing
            parsed: time.struct_time | None = entry.get(f"{name}_parsed")
            if parsed is None:
                yield InputProblem(origin, bad_date_message(written), warning=True)
                return
            found = date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
        yield found
        return


def read_feed(origin: str, data: bytes) -> Iterator[Item]:
    """Articles and problems of one feed file; ItemError when it is not a feed at all."""
    import feedparser  # type: ignore[import-untyped]

    if not bom_encoding(data) and not data.startswith((b"<\x00", b"\x00<")):  # not UTF-16
        problem = binary_problem(data)
        if problem:
            raise ItemError(problem)
    data, invalid = _invalid_refs_replaced(data)
    if invalid:
        yield InputProblem(origin, f"{invalid} character reference(s) to no valid character "
                           "(such as &#xD800;) read as U+FFFD", warning=True)
    feed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=False)
    lines = item_lines(data)
    entries = feed.get("entries") or []
    if not entries:
        if not feed.get("version"):
            why = feed.get("bozo_exception")
            raise ItemError("not an RSS or Atom feed" + (f" ({why})" if why else ""))
        raise ItemError("feed has no items")
    if feed.get("bozo"):
        yield InputProblem(origin, f"feed is not well-formed ({feed.get('bozo_exception')}); "
                           f"{len(entries)} item(s) read by the lenient parser", warning=True)
    source = strip_or_none(_text(feed.feed.get("title") or "", None)) if feed.get("feed") else None
    for number, entry in enumerate(entries, start=1):
        item_origin = (f"{origin}:{lines[number - 1]}" if len(lines) == len(entries)
                       else f"{origin}:item {number}")
        try:
            yield from _from_entry(item_origin, entry, source)
        except ItemError as error:
            yield InputProblem(item_origin, str(error))
        except Exception as error:  # one odd item must never cost the others
            yield InputProblem(item_origin, f"could not be read: {type(error).__name__}: "
                               f"{error}")


def _from_entry(origin: str, entry: Any, source: str | None) -> Iterator[Item]:
    text = _item_text(entry)
    if not text:
        raise ItemError("item has no text (neither content nor summary)")
    title_detail = entry.get("title_detail") or {}
    title = strip_or_none(_text(entry.get("title") or "", title_detail.get("type")))
    published = None
    for found in _item_date(origin, entry):
        if isinstance(found, InputProblem):
            yield found
        else:
            published = found
    yield SourcedArticle(make_article(text, title, strip_or_none(entry.get("link")),
                                      published, source), origin)
