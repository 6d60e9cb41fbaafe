"""An incident being assembled from its sentences, and the article's incidents so far.

``Drafts`` indexes its drafts by the places they name, so that finding the incident a sentence
continues costs the same at the start of an article as at its end.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TypeVar

from extractor.baseline.dates import DateMatch
from extractor.baseline.sentences import Sentence
from extractor.resolve.gazetteer import Place
from extractor.resolve.registry import RegistryActor
from extractor.schemas import CasualtyClaim

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)

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


def _index(index: dict[K, list[Draft]], key: K, draft: Draft) -> None:
    """Keep ``index[key]`` in the order the drafts were opened, each draft once."""
    entries = index.setdefault(key, [])
    position = bisect.bisect_left(entries, draft.order, key=lambda d: d.order)
    if position == len(entries) or entries[position] is not draft:
        entries.insert(position, draft)


Window = tuple[date, date] | None  # a draft's first resolved date, or None


def _window(found: DateMatch | None) -> Window:
    if found is None or found.start is None or found.end is None:
        return None
    return found.start, found.end


def _apart(one: Window, other: Window) -> bool:
    """Both windows are known and do not overlap."""
    return one is not None and other is not None and (one[1] < other[0] or one[0] > other[1])


class _Town:
    """The drafts whose first town is one town, grouped by their first date window. Groups are
    ranked by their latest draft, and the windows sorted by start: a lookup visits the groups
    whose window meets its date, the latest first, and stops at the first draft that fits."""

    def __init__(self) -> None:
        self.groups: dict[Window, list[Draft]] = {}
        self.ranked: list[tuple[int, Window]] = []  # (order of its latest draft, window)
        self.windows: list[tuple[date, date]] = []  # the known windows, sorted
        self.longest = timedelta(0)  # the longest window seen

    def _rank(self, window: Window) -> None:
        # Each draft is in one group: the orders differ, windows are never compared.
        bisect.insort(self.ranked, (self.groups[window][-1].order, window))

    def _unrank(self, window: Window) -> None:
        del self.ranked[bisect.bisect_left(self.ranked, (self.groups[window][-1].order,))]

    def add(self, window: Window, draft: Draft) -> None:
        if window in self.groups:
            self._unrank(window)
        elif window is not None:
            bisect.insort(self.windows, window)
            self.longest = max(self.longest, window[1] - window[0])
        _index(self.groups, window, draft)
        self._rank(window)

    def remove(self, window: Window, draft: Draft) -> None:
        self._unrank(window)
        group = self.groups[window]
        group.remove(draft)
        if group:
            self._rank(window)
            return
        del self.groups[window]
        if window is not None:
            self.windows.remove(window)

    def _meeting(self, window: tuple[date, date]) -> list[Window]:
        """The windows of the groups that may hold a draft whose date meets ``window``, the
        group with the latest draft first."""
        low = bisect.bisect_left(self.windows, (window[0] - self.longest,))
        high = bisect.bisect_right(self.windows, (window[1], date.max))
        keys: list[Window] = [key for key in self.windows[low:high] if not _apart(key, window)]
        if None in self.groups:
            keys.append(None)
        return sorted(keys, key=lambda key: self.groups[key][-1].order, reverse=True)

    def latest(self, window: Window, fits: Callable[[Draft], bool]) -> Draft | None:
        """The latest draft that ``fits``, among those whose window meets ``window``."""
        best: Draft | None = None
        for key in self._meeting(window) if window is not None else self._by_rank():
            group = self.groups[key]
            if best is not None and group[-1].order < best.order:
                break  # every draft left is older than the one found
            for draft in reversed(group):
                if best is not None and draft.order < best.order:
                    break
                if fits(draft):
                    best = draft
                    break
        return best

    def _by_rank(self) -> Iterator[Window]:
        return (key for _, key in reversed(self.ranked))


class Drafts:
    """The article's drafts in the order they were opened, indexed by the places they name.

    Drafts are indexed by their first town and, within a town, by their first resolved date:
    a sentence can continue only a draft of its own town whose date window meets its own, so
    a lookup skips drafts on other dates, and stops at the first that fits.
    """

    def __init__(self) -> None:
        self.all: list[Draft] = []
        self._by_town: dict[str, _Town] = {}
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
            town = self._by_town.setdefault(place.name, _Town())
            town.add(_window(draft.first_resolved), draft)
        if draft.cue_background:
            _index(self._background_by_name, place.name, draft)

    def add_date(self, draft: Draft, found: DateMatch) -> None:
        had = draft.first_resolved
        draft.add_date(found)
        if draft.first_town is None or draft.first_resolved is had:
            return
        town = self._by_town[draft.first_town.name]
        town.remove(_window(had), draft)
        town.add(_window(draft.first_resolved), draft)

    def latest_at_town(self, name: str, found: DateMatch | None,
                       fits: Callable[[Draft], bool]) -> Draft | None:
        """The latest draft whose first town is this one that ``fits``; only drafts whose date
        window meets ``found`` (or that have none) are tried."""
        town = self._by_town.get(name)
        return town.latest(_window(found), fits) if town else None

    def latest_background_at(self, name: str) -> Draft | None:
        """The latest recalled event that names this place."""
        found = self._background_by_name.get(name)
        return found[-1] if found else None
