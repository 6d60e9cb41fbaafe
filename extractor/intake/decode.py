"""Bytes to text: byte-order marks, a web page's declared charset, then UTF-8, then detection.

A detected encoding is a guess, so reading by one is said in a warning that names it: a wrong
guess would change names and quotes. Encodings that are marked (a BOM) or declared (a page's
``<meta charset>``) are not guesses and are read silently.
"""

from __future__ import annotations

import codecs
import re

from extractor.intake.items import ItemError

_BOMS = (  # UTF-32 first: its little-endian BOM begins with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_DECLARED = re.compile(rb"<meta[^>]+?charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.IGNORECASE)
_PRESCAN_BYTES = 8192
# As browsers do (WHATWG Encoding): pages labelled Latin-1 or ASCII are windows-1252, whose
# curly quotes and dashes they nearly always hold.
_AS_WINDOWS_1252 = frozenset({"latin_1", "iso8859_1", "ascii", "cp819"})
# A page cannot declare UTF-16 in a tag that was read as ASCII: such a label means UTF-8.
_AS_UTF_8 = frozenset({"utf_16", "utf_16_le", "utf_16_be", "utf_32", "utf_32_le", "utf_32_be"})
_COHERENCE_MARGIN = 0.1


def bom_encoding(data: bytes) -> str | None:
    """The encoding a byte-order mark at the start of ``data`` names, or None."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def binary_problem(data: bytes) -> str | None:
    """Why these bytes are not text, or None; only for bytes without a BOM."""
    if b"\x00" in data:
        return "file looks binary (contains NUL bytes); expected text"
    return None


def utf8_problem(exc: UnicodeDecodeError, base_offset: int = 0) -> str:
    bad = exc.object[exc.start]
    return f"not UTF-8 (byte 0x{bad:02X} at offset {base_offset + exc.start})"


def declared_charset(data: bytes) -> str | None:
    """The Python codec of a web page's ``<meta charset>``, or None when none is known."""
    match = _DECLARED.search(data[:_PRESCAN_BYTES])
    if not match:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name
    except LookupError:
        return None
    name = name.replace("-", "_")
    if name in _AS_UTF_8:
        return "utf_8"
    return "cp1252" if name in _AS_WINDOWS_1252 else name


def decode(data: bytes, *, html: bool = False) -> tuple[str, str | None]:
    """The text of ``data`` and a warning when its encoding had to be guessed.

    Raises ItemError when the bytes are not text in any encoding we can tell.
    """
    marked = bom_encoding(data)
    if marked:
        try:
            return data.decode(marked), None
        except UnicodeDecodeError as exc:
            raise ItemError(f"bytes do not fit the {marked} byte-order mark at the start "
                            f"(offset {exc.start})") from None
    problem = binary_problem(data)
    if problem:
        raise ItemError(problem)
    mismatch = ""
    declared = declared_charset(data) if html else None
    if declared and declared not in ("utf_8", "utf_8_sig"):
        try:
            return data.decode(declared), None
        except UnicodeDecodeError:
            mismatch = f"the page declares {declared} but its bytes are not; "
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        not_utf8 = utf8_problem(exc)
    return _detected(data, mismatch + not_utf8)


def guess_encoding(data: bytes) -> str | None:
    """The encoding charset-normalizer finds for ``data``, or None when none fits.

    On short text its first guess is often one of several that fit equally (cp857 or Big5 for
    "près"); where windows-1252, the encoding of most Western text that is not UTF-8, fits
    about as well, or where the text is too short to show a language at all, windows-1252 is
    taken when the bytes fit it.
    """
    # Imported here: detection is needed only for the rare file that is not UTF-8.
    from charset_normalizer import from_bytes

    matches = from_bytes(data)
    best = matches.best()
    if best is not None and best.encoding in ("utf_8", "ascii"):
        return None
    if best is not None and best.coherence > 0:
        as_good = any(m.encoding == "cp1252" and m.chaos <= best.chaos
                      and m.coherence >= best.coherence - _COHERENCE_MARGIN for m in matches)
        return "cp1252" if as_good else best.encoding
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    return "cp1252"


def _detected(data: bytes, why: str) -> tuple[str, str]:
    encoding = guess_encoding(data)
    try:
        text = data.decode(encoding) if encoding else None
    except UnicodeDecodeError:
        text = None
    if text is None:
        raise ItemError(f"{why}, and no other encoding fits; re-encode as UTF-8")
    return text, (
        f"{why}; read as {encoding} (detected): check names and quotes, or re-encode as UTF-8")
