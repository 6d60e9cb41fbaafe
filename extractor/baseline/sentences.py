"""Sentences with their offsets, lines first, then sentence ends inside a line.

Splitting reads each line once: the cost grows with the text, however long its lines.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

# Odd spaces read as plain ones (same length, so offsets hold).
SPACES = {ord(c): " " for c in "\u00a0\u2007\u2009\u200a\u202f\u205f\u3000\t"}
_LINE = re.compile(r"[^\n]+")
# A sentence ends before a capital (accented ones too: 'Élu', 'À Gao') or a quotation mark
# ('« Il y avait', French quotes).
_SENTENCE_END = re.compile(
    r"[.!?][\"\u201d\u2019\u00bb)\]*]*\s+"
    r"(?=(?:[\"\u201c\u2018(\[]|\u00ab\s?)?[A-Z0-9\u00c0-\u00dd])")
_ABBREVIATION = re.compile(r"(?:[A-Z]\.)+|Mr\.|Mrs\.|Dr\.|Col\.|Gen\.|Lt\.|Capt\.|Sgt\.|St\.|"
                           r"No\.|Jan\.|Feb\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.")


@dataclass
class Sentence:
    text: str  # verbatim, for evidence
    start: int
    index: int
    # The same text with odd spaces made plain (same length), for the rules to read.
    norm: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.norm = self.text.translate(SPACES)


def _word_ending_at(line: str, end: int) -> str:
    """The whitespace-delimited word that ends at ``line[end - 1]``."""
    start = end
    while start > 0 and not line[start - 1].isspace():
        start -= 1
    return line[start:end]


def _cuts(line: str) -> list[int]:
    """Where sentences end inside a line (offsets in the line), abbreviations excepted."""
    return [end.end() for end in _SENTENCE_END.finditer(line)
            if not _ABBREVIATION.fullmatch(_word_ending_at(line, end.start() + 1))]


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with their offsets: lines first, then sentence ends inside a line."""
    sentences: list[Sentence] = []
    for line in _LINE.finditer(text):
        base = line.start()
        cuts = [base, *(base + cut for cut in _cuts(line.group(0))), line.end()]
        for begin, finish in itertools.pairwise(cuts):
            chunk = text[begin:finish]
            stripped = chunk.strip()
            if stripped:
                offset = begin + chunk.index(stripped)
                sentences.append(Sentence(stripped, offset, len(sentences)))
    return sentences
