"""Name normalisation shared by the gazetteer, the actor registry and the evaluation."""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Generic, TypeVar

T = TypeVar("T")

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u02bc": "'"})
_NON_WORD = re.compile(r"[^\w']+")


def name_key(name: str) -> str:
    """A comparison key: accents and case folded, punctuation to spaces, a leading 'the' dropped.

    'The Malian Armed Forces' and 'malian armed forces', 'Jama’at' and "Jama'at",
    'Tin-Zaouatene' and 'Tin Zaouatene' get the same key.
    """
    # Keys of names are cached: post-processing and scoring ask for the same few names' keys
    # tens of thousands of times per run (bench/run.py: a quarter of the scoring time before
    # the cache). Long strings (a whole text to search) are computed and not kept.
    return _cached_key(name) if len(name) <= 200 else _key(name)


def _key(name: str) -> str:
    text = unicodedata.normalize("NFKD", name.translate(_APOSTROPHES))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = _NON_WORD.sub(" ", text).replace("'", "").strip()
    if text.startswith("the "):
        text = text[4:]
    return " ".join(text.split())


_cached_key = functools.lru_cache(maxsize=1 << 14)(_key)


def slug(name: str) -> str:
    """A stable identifier for a canonical name: 'Wagner Group' -> 'wagner-group'."""
    return name_key(name).replace(" ", "-") or "unnamed"


class NameIndex(Generic[T]):
    """Entries found by any of their names: looked up by name, or found inside a text.

    The first entry to claim a name keeps it, so file order settles ambiguity.
    """

    def __init__(self, entries: Iterable[tuple[T, Iterable[str]]]):
        self._by_key: dict[str, T] = {}
        for entry, names in entries:
            for name in names:
                self._by_key.setdefault(name_key(name), entry)
        keys = sorted(self._by_key, key=len, reverse=True)
        self._pattern = re.compile(r"\b(" + "|".join(re.escape(k) for k in keys) + r")\b") \
            if keys else None

    def get(self, name: str | None) -> T | None:
        return self._by_key.get(name_key(name)) if name else None

    def find(self, text: str) -> Iterator[tuple[T, str]]:
        """Entries named in ``text``, in order, with the words as matched (normalised)."""
        if self._pattern is None:
            return
        for match in self._pattern.finditer(name_key(text)):
            yield self._by_key[match.group(1)], match.group(1)


def read_csv_rows(path: Path, columns: tuple[str, ...], error: type[Exception],
                  what: str) -> Iterator[tuple[str, dict[str, str]]]:
    """Rows of a CSV file with the given columns, each with its 'file:line' for messages.

    Raises ``error`` naming the file (and line) when the file cannot be read or a column is
    missing; values are stripped, and a missing value is an empty string.
    """
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{path}: cannot read {what}: {exc}") from exc
    for line, row in enumerate(rows, start=2):
        where = f"{path}:{line}"
        missing = [c for c in columns if c not in row]
        if missing:
            raise error(f"{where}: missing column(s) {', '.join(missing)}")
        yield where, {c: (row[c] or "").strip() for c in columns}


def split_aliases(value: str) -> tuple[str, ...]:
    """'JNIM|GSIM' -> ('JNIM', 'GSIM')."""
    return tuple(a.strip() for a in value.split("|") if a.strip())
