"""An incident being assembled from its sentences, and the article's incidents so far.

``Drafts`` indexes its drafts by the places they name, so that finding the incident a sentence
continues costs the same at the start of an article as at its end.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from extractor.baseline.dates import DateMatch
from extractor.baseline.sentences import Sentence
from extractor.resolve.gazetteer import Place
from extractor.resolve.registry import RegistryActor
from extractor.schemas import CasualtyClaim

T = TypeVar("T")

# A casualty claim, whose casualties it is (an actor's name, 'civilians' or None) and the
# sentence it was read from.
ClaimEntry = tuple[CasualtyClaim, str | None, str]
# A place, as written, and whether the text puts the incident near it rather than in it.
PlaceEntry = tuple[Place, str, bool]


def add_once(items: list[T], item: T) -> None:
    if item not in items:
        items.append(item)


@dataclass
class Draft:
    """An incident being assembled from its sentences."""

    order: int = 0  # its place among the article's drafts
    sentences: list[Sentence] = field(default_factory=list)
    places: list[PlaceEntry] = field(default_factory=list)
    perpetrators: list[RegistryActor] = field(default_factory=list)
    targets: list[RegistryActor] = field(default_factory=list)
    claimed_by: list[RegistryActor] = field(default_factory=list)
    claims: list[ClaimEntry] = field(default_factory=list)
    weapons: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    dates: list[DateMatch] = field(default_factory=list)  # the first date of each sentence
    surfaces: dict[str, list[str]] = field(default_factory=dict)  # actor name -> as written
    cue_background: bool = False
    first_town: Place | None = None  # the first place of kind 'place' it names
    first_resolved: DateMatch | None = None  # the first of its dates that has a window

    @property
    def text(self) -> str:
        return " ".join(s.norm for s in self.sentences)

    @property
    def last_index(self) -> int:
        return self.sentences[-1].index

    def add_date(self, found: DateMatch) -> None:
        self.dates.append(found)
        if self.first_resolved is None and found.resolved:
            self.first_resolved = found

    def best_date(self) -> DateMatch | None:
        """The narrowest resolved date; else the first explicit one; else the first."""
        resolved = sorted((d for d in self.dates if d.resolved), key=lambda d: d.span_days)
        if resolved:
            return resolved[0]
        explicit = [d for d in self.dates if d.kind in ("month_day", "day_month", "part_month",
                                                        "in_month", "last_month_name")]
        candidates = explicit or self.dates
        return candidates[0] if candidates else None


def _index(index: dict[str, list[Draft]], name: str, draft: Draft) -> None:
    """Keep ``index[name]`` in the order the drafts were opened, each draft once."""
    entries = index.setdefault(name, [])
    position = bisect.bisect_left(entries, draft.order, key=lambda d: d.order)
    if position == len(entries) or entries[position] is not draft:
        entries.insert(position, draft)


class Drafts:
    """The article's drafts in the order they were opened, indexed by the places they name."""

    def __init__(self) -> None:
        self.all: list[Draft] = []
        self._by_town: dict[str, list[Draft]] = {}  # by the first place of kind 'place'
        self._background_by_name: dict[str, list[Draft]] = {}  # recalled events, any place

    def open(self, cue_background: bool) -> Draft:
        draft = Draft(order=len(self.all), cue_background=cue_background)
        self.all.append(draft)
        return draft

    def add_place(self, draft: Draft, entry: PlaceEntry) -> None:
        if entry in draft.places:
            return
        draft.places.append(entry)
        place = entry[0]
        if place.kind == "place" and draft.first_town is None:
            draft.first_town = place
            _index(self._by_town, place.name, draft)
        if draft.cue_background:
            _index(self._background_by_name, place.name, draft)

    def at_town(self, name: str) -> Iterator[Draft]:
        """The drafts whose first town is this one, the latest first: a sentence about a town
        may continue only those (``grouping``)."""
        return reversed(self._by_town.get(name, []))

    def latest_background_at(self, name: str) -> Draft | None:
        """The latest recalled event that names this place."""
        found = self._background_by_name.get(name)
        return found[-1] if found else None
