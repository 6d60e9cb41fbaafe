"""One article being read: its names, dates and figures, each sentence's read once.

The rules ask several times about the same sentence (is it violent, does it open an incident,
what does it add to one); a ``Reading`` answers each question about a sentence once per
article.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar, cast

from extractor.baseline.casualties import RawClaim, raw_claims
from extractor.baseline.dates import DateMatch, DateSpan, resolve_dates, scan_dates
from extractor.baseline.drafts import Drafts
from extractor.baseline.french import unelide
from extractor.baseline.mentions import Mention, Names
from extractor.baseline.vocabulary import DATELINE
from extractor.resolve.gazetteer import Place
from extractor.resolve.registry import RegistryActor

T = TypeVar("T")


class Reading:
    """The names to find, the dates' references (publication, a full date in the text), the
    incidents so far, and what was read of each sentence."""

    def __init__(self, names: Names, published: date | None, anchor: date | None,
                 world: bool = False, in_french: bool = False):
        self.names = names
        self.in_french = in_french  # the article is French: French dates and figures
        self.world = world  # the article names no curated place: read the world layer's
        self.published = published
        self.anchor = anchor  # a full date written in the article, for dates without a year
        self.drafts = Drafts()
        self._places: dict[str, list[Mention[Place]]] = {}
        self._actors: dict[str, list[Mention[RegistryActor]]] = {}
        self._claims: dict[str, list[RawClaim]] = {}
        self._dates: dict[str, list[DateMatch]] = {}
        self._scans: dict[str, list[DateSpan]] = {}
        self._once: dict[tuple[Callable[[str], Any], str], Any] = {}

    def once(self, rule: Callable[[str], T], body: str) -> T:
        """``rule(body)``, worked out once per article for each rule and sentence (a digest
        repeats its sentences). The rule must not depend on anything else that changes."""
        key = (rule, body)
        if key not in self._once:
            self._once[key] = rule(body)
        return cast(T, self._once[key])

    def _scan(self, text: str) -> list[DateSpan]:
        if text not in self._scans:
            self._scans[text] = scan_dates(text, self.in_french)
        return self._scans[text]

    def _names_text(self, body: str) -> str:
        """The text names are looked for in: French elisions opened ('d'Arbinda')."""
        return unelide(body) if self.in_french else body

    def places(self, body: str) -> list[Mention[Place]]:
        if body not in self._places:
            self._places[body] = self.names.places(self._names_text(body), self.world)
        return self._places[body]

    def actors(self, body: str) -> list[Mention[RegistryActor]]:
        if body not in self._actors:
            self._actors[body] = self.names.actors(self._names_text(body))
        return self._actors[body]

    def claims(self, body: str) -> list[RawClaim]:
        """The casualty figures of the sentence (``casualties.raw_claims``)."""
        if body not in self._claims:
            self._claims[body] = raw_claims(body, self._scan(body), self.in_french)
        return self._claims[body]

    def dates(self, body: str) -> list[DateMatch]:
        """Dates of the incident in a sentence: a dateline's date is when the story was
        filed."""
        if body not in self._dates:
            dateline = DATELINE.match(body)
            text = " " * dateline.end() + body[dateline.end():] if dateline else body
            self._dates[body] = resolve_dates(self._scan(text), self.published, self.anchor)
        return self._dates[body]
