"""Name normalisation shared by the gazetteer, the actor registry and the evaluation."""

from __future__ import annotations

import functools
import re
import unicodedata

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
