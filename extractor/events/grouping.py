"""Grouping reports into events, incrementally and deterministically (one scope at a time).

Reports already in an event stay there; every report not in one yet is taken in canonical
order (date, article, incident id) and joins the most similar event it is compatible with
(:mod:`extractor.events.rules`), or founds a new one. A report that only names a region or a
country and fits several events at different places joins none of them: it may be the whole of
a coordinated attack that the codebook splits into one incident per place. Then the analysts'
overrides are replayed, in the order they were made.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

from extractor.events.reconcile import Member, most_precise, window
from extractor.events.rules import (
    COUNTRY,
    PLACE,
    REGION,
    Location,
    Match,
    Report,
    compare,
    compare_with,
    linkable,
)


class LinkRule(StrEnum):
    """Why an incident is in its event (``event_links.rule``)."""

    FOUNDER = "founder"  # it joined no earlier event
    SAME_EVENT = "same_event"  # ACLED's rule matched it to an event's report
    AMBIGUOUS = "ambiguous"  # a wider area fitting several places: left alone
    MERGE_OVERRIDE = "merge_override"  # an analyst merged its event into another
    SPLIT_OVERRIDE = "split_override"  # an analyst split it off


class OverrideAction(StrEnum):
    """An analyst's override (``event_overrides.action``)."""

    MERGE = "merge"
    SPLIT = "split"


@dataclass(slots=True)
class Link:
    """Why an incident is in its event (a row of ``event_links``)."""

    rule: LinkRule | str  # a LinkRule; a stored link reads it back as its word
    explanation: str
    matched: str | None = None
    match: Match | None = None
    stored: bool = False  # read back from event_links, unchanged: its row stays as it is
    was_flipped: bool = False  # of a stored link

    @property
    def flipped(self) -> bool:
        return self.match.flipped if self.match else self.was_flipped


@dataclass(slots=True)
class Event:
    """An event being grouped: its members and what comparison needs of them."""

    id: str
    number: int
    members: list[Member] = field(default_factory=list)
    start: date | None = None
    end: date | None = None
    where: Location = field(default_factory=lambda: Location(None, None, None))
    perpetrators: frozenset[str] = frozenset()
    targets: frozenset[str] = frozenset()
    articles: set[str] = field(default_factory=set)

    def refresh(self) -> None:
        """Recompute what comparison uses after the members changed."""
        self.start, self.end = window(self.members)
        self.where = most_precise(self.members).where
        perpetrators: set[str] = set()
        targets: set[str] = set()
        for member in self.members:
            mine, theirs = member.report.perpetrators, member.report.targets
            if member.flipped:
                mine, theirs = theirs, mine
            perpetrators |= mine
            targets |= theirs
        self.perpetrators, self.targets = frozenset(perpetrators), frozenset(targets)
        self.articles = {member.report.article_id for member in self.members}

    @property
    def founder(self) -> Report:
        return min(self.members, key=lambda member: member.report.order).report

    @property
    def event_type(self) -> str:
        return self.members[0].report.event_type

    @property
    def sub_event_type(self) -> str:
        return self.founder.sub_event_type


def _opposed(first: Event, second: Event) -> bool:
    """Whether ``second`` names as perpetrators more of ``first``'s targets than of its own."""
    same = len(first.perpetrators & second.perpetrators) + len(first.targets & second.targets)
    crossed = len(first.perpetrators & second.targets) + len(first.targets & second.perpetrators)
    return crossed > same


def event_id(scope: str, founder_id: str) -> str:
    return "ev-" + hashlib.sha256(f"{scope}:{founder_id}".encode()).hexdigest()[:16]


def _weeks(start: date, end: date) -> range:
    return range(start.toordinal() // 7, end.toordinal() // 7 + 1)


def _location_keys(where: Location) -> list[str]:
    """Index keys of an event's location: its own level, and the areas containing it."""
    keys = []
    if where.level == PLACE:
        keys.append(f"place:{where.place}")
    elif where.level == REGION:
        keys.append(f"admin1:{where.admin1}")
    elif where.level == COUNTRY:
        keys.append(f"country:{where.country}")
    if where.admin1:
        keys.append(f"in-admin1:{where.admin1}")
    if where.country:
        keys.append(f"in-country:{where.country}")
    return keys


def _lookup_keys(where: Location) -> list[str]:
    """Index keys under which the events a report may join are found."""
    keys = []
    if where.level == PLACE:
        keys.append(f"place:{where.place}")
        if where.admin1:
            keys.append(f"admin1:{where.admin1}")
    elif where.level == REGION:
        keys.append(f"in-admin1:{where.admin1}")
    if where.level in (PLACE, REGION) and where.country:
        keys.append(f"country:{where.country}")
    if where.level == COUNTRY:
        keys.append(f"in-country:{where.country}")
    return keys


class Grouper:
    """The events of one scope, grown report by report."""

    def __init__(self, scope: str, next_number: Iterator[int],
                 cannot_link: dict[str, set[str]] | None = None):
        self.scope = scope
        self.next_number = next_number
        self.cannot_link = cannot_link or {}
        self.events: dict[str, Event] = {}
        self.event_of: dict[str, str] = {}  # incident id -> event id
        self.links: dict[str, Link] = {}
        self.index: dict[tuple[str, str, int], set[str]] = defaultdict(set)
        self.by_article: dict[str, list[Report]] = defaultdict(list)

    # building ---------------------------------------------------------------------------
    def restore(self, event_id_: str, number: int, members: list[Member],
                links: dict[str, Link]) -> None:
        """An event as stored, with the links of its members."""
        event = Event(id=event_id_, number=number, members=members)
        event.refresh()
        self.events[event.id] = event
        for member in members:
            self.by_article[member.report.article_id].append(member.report)
            self.event_of[member.report.id] = event.id
            self.links[member.report.id] = links[member.report.id]
        self._index(event)

    def _index(self, event: Event) -> None:
        if event.start is None or event.end is None or (event.end - event.start).days > 62:
            return
        for key in _location_keys(event.where):
            for week in _weeks(event.start, event.end):
                self.index[(event.event_type, key, week)].add(event.id)

    def _found(self, report: Report, link: Link) -> Event:
        event = Event(id=event_id(self.scope, report.id), number=next(self.next_number),
                      members=[Member(report)])
        event.refresh()
        self.events[event.id] = event
        self.event_of[report.id] = event.id
        self.links[report.id] = link
        self._index(event)
        return event

    def _join(self, event: Event, report: Report, link: Link) -> None:
        event.members.append(Member(report, link.flipped))
        event.refresh()
        self.event_of[report.id] = event.id
        self.links[report.id] = link
        self._index(event)

    # grouping ---------------------------------------------------------------------------
    def candidates(self, report: Report) -> list[Event]:
        assert report.date_start is not None and report.date_end is not None
        found: set[str] = set()
        for key in _lookup_keys(report.where):
            for week in _weeks(report.date_start, report.date_end):
                found |= self.index.get((report.event_type, key, week), set())
        return sorted((self.events[i] for i in found if i in self.events),
                      key=lambda event: event.number)

    def _match(self, report: Report, event: Event) -> tuple[Match, str] | None:
        """The best compatible comparison with an event's members, or None."""
        if report.article_id in event.articles:
            return None
        blocked = self.cannot_link.get(report.id, set())
        if any(member.report.id in blocked for member in event.members):
            return None
        overall = compare_with(report, event.event_type, event.sub_event_type, event.start,
                               event.end, event.where, event.perpetrators, event.targets)
        if not overall.compatible:
            return None
        best: tuple[Match, str] | None = None
        for member in event.members:
            match = compare(report, member.report)
            if match.compatible and (best is None or match.score > best[0].score):
                best = (match, member.report.id)
        if best is None:
            return overall, event.founder.id
        # Which way round the report's sides are is said against the event's sides (a member
        # may itself have been told the other way round).
        return replace(best[0], flipped=overall.flipped), best[1]

    def add(self, report: Report) -> None:
        """Put a report not yet in an event into one."""
        reason = linkable(report)
        if reason is not None:
            self._found(report, Link(LinkRule.FOUNDER, f"founded an event: {reason}"))
            return
        matches = [(event, found) for event in self.candidates(report)
                   if (found := self._match(report, event)) is not None]
        if not matches:
            self._found(report, Link(LinkRule.FOUNDER, "founded an event: no earlier report of "
                                                "another article is compatible"))
            return
        places = {event.where for event, _ in matches}
        if len(places) > 1 and all(report.where.level > where.level for where in places):
            names = ", ".join(f"{event.id} ({event.where.place or event.where.admin1})"
                              for event, _ in matches)
            self._found(report, Link(LinkRule.AMBIGUOUS, "founded an event: it names a wider area "
                                     f"than, and fits, several events at different places: "
                                     f"{names}"))
            return
        event, (match, matched) = max(matches, key=lambda item: (item[1][0].score,
                                                                  -item[0].number))
        if event.where.level > report.where.level and self._siblings_fit(report, event):
            self._found(report, Link(LinkRule.AMBIGUOUS, f"founded an event: {event.id} names only "
                                     "a wider area, which another place of the same article "
                                     "fits too (one incident per place)"))
            return
        self._join(event, report, Link(
            LinkRule.SAME_EVENT, f"same event as {matched}: {match.reason}; similarity "
                          f"{match.score:.2f} (date {match.date_score:.2f}, place "
                          f"{match.place_score:.2f} {match.place_relation}, actors "
                          f"{match.actor_score:.2f}, sub-event type {match.subtype_score:.0f})"
                          + ("; sides reported the other way round" if match.flipped else ""),
            matched=matched, match=match))

    def _siblings_fit(self, report: Report, event: Event) -> bool:
        """Whether another place of the report's article fits the (coarser) event too."""
        for sibling in self.by_article.get(report.article_id, ()):
            if sibling.id == report.id or sibling.where.place == report.where.place:
                continue
            match = compare_with(sibling, event.event_type, event.sub_event_type, event.start,
                                 event.end, event.where, event.perpetrators, event.targets)
            if match.compatible:
                return True
        return False

    def add_all(self, reports: Iterable[Report]) -> None:
        """Group the reports not in an event yet: the most precise first, then by order."""
        pending = [report for report in reports if report.id not in self.event_of]
        for report in pending:
            self.by_article[report.article_id].append(report)
        for report in sorted(pending, key=lambda r: (r.where.level, r.order)):
            self.add(report)

    # overrides --------------------------------------------------------------------------
    def merge(self, incidents_a: list[str], incidents_b: list[str], note: str) -> None:
        """Put the events holding ``incidents_a`` and ``incidents_b`` together."""
        events = sorted({self.event_of[i] for i in [*incidents_a, *incidents_b]
                         if i in self.event_of}, key=lambda e: self.events[e].number)
        if len(events) < 2:
            return
        survivor = self.events[events[0]]
        for other_id in events[1:]:
            other = self.events.pop(other_id)
            turned = _opposed(survivor, other)  # its sides named the other way round
            for member in other.members:
                flipped = member.flipped != turned
                survivor.members.append(Member(member.report, flipped))
                self.event_of[member.report.id] = survivor.id
                before = self.links[member.report.id].match
                self.links[member.report.id] = Link(
                    LinkRule.MERGE_OVERRIDE, f"merged by hand with {survivor.id}"
                                             + (f": {note}" if note else ""),
                    matched=survivor.founder.id,
                    match=replace(before, flipped=flipped) if before else None,
                    was_flipped=flipped)
        survivor.refresh()
        self._index(survivor)

    def split(self, incident: str, others: list[str], note: str) -> None:
        """Take ``incident`` out of an event it shares with any of ``others``."""
        current = self.event_of.get(incident)
        if current is None:
            return
        event = self.events[current]
        if not any(self.event_of.get(other) == current for other in others):
            return
        rest = [member for member in event.members if member.report.id != incident]
        alone = next(member for member in event.members if member.report.id == incident)
        del self.events[current]
        link = Link(LinkRule.SPLIT_OVERRIDE, "split off by hand" + (f": {note}" if note else ""))
        rest_links = {member.report.id: self.links[member.report.id] for member in rest}
        if event.id == event_id(self.scope, incident):  # its founder keeps id and number
            self.restore(event.id, event.number, [Member(alone.report)], {incident: link})
            founder = min(rest, key=lambda member: member.report.order).report
            self.restore(event_id(self.scope, founder.id), next(self.next_number), rest,
                         rest_links)
        else:
            self.restore(event.id, event.number, rest, rest_links)
            self._found(alone.report, link)
