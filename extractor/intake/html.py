"""Saved web pages: the main text by trafilatura, with title, link, site name and date."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from extractor.intake.dates import bad_date_message
from extractor.intake.decode import decode
from extractor.intake.items import InputProblem, Item, ItemError, SourcedArticle
from extractor.intake.text import clean, make_article, strip_or_none

_SENTENCE_END = frozenset(".!?…。！？؟।")
_CLOSING = "\"'”’»)」』"
_MIN_WORDS = 6
_MIN_CHARS_UNSPACED = 20  # for scripts written without spaces (Chinese, Japanese, Thai)


def is_sentence(line: str) -> bool:
    """Whether a line reads as prose: six words or more (or twenty characters of a script
    written without spaces), ending as a sentence ends."""
    line = line.strip().rstrip(_CLOSING)
    if not line or line[-1] not in _SENTENCE_END:
        return False
    return len(line.split()) >= _MIN_WORDS or (
        len(line) >= _MIN_CHARS_UNSPACED and any(ord(char) >= 0x0E00 for char in line))


def has_prose(text: str) -> bool:
    """Whether ``text`` holds at least one sentence. Menus, headline lists and "Skip to
    content" have none; the shortest news brief has one."""
    return any(is_sentence(line) for line in text.split("\n"))


def read_html(origin: str, data: bytes) -> Iterator[Item]:
    text, warning = decode(data, html=True)
    if warning:
        yield InputProblem(origin, warning, warning=True)
    yield from from_html(origin, text)


def from_html(origin: str, content: str) -> Iterator[Item]:
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
        raise ItemError(f"HTML could not be parsed: {type(exc).__name__}: {exc}") from None
    # (a dict comes only with as_dict=True)
    text = "" if doc is None or isinstance(doc, dict) else clean(doc.text or "")
    if doc is None or isinstance(doc, dict) or not has_prose(text):
        raise ItemError("no main article text found in the HTML (only navigation, headlines "
                        "or boilerplate); save the article page itself, or its text as .txt")
    published = None
    if doc.date:
        try:
            published = date.fromisoformat(doc.date[:10])
        except ValueError:
            yield InputProblem(origin, bad_date_message(doc.date), warning=True)
    yield SourcedArticle(make_article(text, strip_or_none(doc.title), strip_or_none(doc.url),
                                      published, strip_or_none(doc.sitename)), origin)
