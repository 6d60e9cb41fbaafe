"""An event's fields, reconciled from the reports grouped under it (docs/events.md).

- Dates: the narrowest window consistent with every report, i.e. the intersection of their
  windows (reports grouped by hand whose windows do not meet get the window covering them).
- Location and summary: those of the most precise report (ACLED geo precision 1 before 2
  before 3; with coordinates before without; the narrowest date window; the place most
  reports agree on; then the earliest report).
- Fatalities: the codebook's conservative rule over every report's ``killed`` figures pooled:
  for each victim group the lowest figure any report gives, summed over the groups; a figure
  whose victims are unknown overlaps the others (the total is at least the lowest of them).
- Actors: every actor any report names, on the side it was named (a battle told the other way
  round is turned back first), the most reported first.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from extractor.events.rules import Report
from extractor.resolve.derive import fatalities
from extractor.schemas import CasualtyClaim, CasualtyKind


@dataclass(frozen=True, slots=True)
class Member:
    """A report in an event, with the orientation it joined in."""

    report: Report
    flipped: bool = False


def time_precision(start: date | None, end: date | None) -> int | None:
    """ACLED's time precision: 1 the day is known, 2 within a week, 3 within a month or more."""
    if start is None or end is None:
        return None
    span = (end - start).days
    if span <= 0:
        return 1
    return 2 if span <= 6 else 3


def window(members: Sequence[Member]) -> tuple[date | None, date | None]:
    """The narrowest window consistent with every dated report."""
    dated = [m.report for m in members
             if m.report.date_start is not None and m.report.date_end is not None]
    if not dated:
        return None, None
    start = max(r.date_start for r in dated if r.date_start is not None)
    end = min(r.date_end for r in dated if r.date_end is not None)
    if start > end:  # merged by hand across windows that do not meet
        start = min(r.date_start for r in dated if r.date_start is not None)
        end = max(r.date_end for r in dated if r.date_end is not None)
    return start, end


def most_precise(members: Sequence[Member]) -> Report:
    """The report whose location the event takes."""
    agreeing = Counter(m.report.where.place for m in members if m.report.where.place)

    def rank(member: Member) -> tuple[int, int, int, int, tuple[str, str, str]]:
        details = member.report.details
        has_coordinates = details.latitude is not None and details.longitude is not None
        place = member.report.where.place
        return (details.geo_precision_code or 9, 0 if has_coordinates else 1,
                member.report.span_days or 10_000, -agreeing[place] if place else 0,
                member.report.order)

    return min(members, key=rank).report


def reconciled_fatalities(members: Sequence[Member]) -> int:
    """The codebook's conservative figure over the pooled ``killed`` claims of every report."""
    claims = [
        CasualtyClaim(kind=CasualtyKind.killed, count_text=str(claim.count_min),
                      count_min=claim.count_min, count_max=None, victims=claim.victims,
                      source=None)
        for member in members for claim in member.report.details.killed
    ]
    return fatalities(claims, group_of=lambda victims: victims)


def _ranked(counts: Counter[str], first_seen: dict[str, int]) -> list[str]:
    return sorted(counts, key=lambda item: (-counts[item], first_seen[item]))


def actors(members: Sequence[Member]) -> dict[str, list[str]]:
    """Actor ids per role, the most reported first."""
    counts: dict[str, Counter[str]] = {role: Counter() for role in
                                       ("perpetrators", "targets", "claimed_by")}
    first_seen: dict[str, int] = {}
    for member in members:
        report = member.report
        perpetrators, targets = report.details.named_perpetrators, report.targets
        if member.flipped:
            perpetrators, targets = targets, perpetrators
        for role, ids in (("perpetrators", perpetrators), ("targets", targets),
                          ("claimed_by", report.details.claimed_by)):
            for actor_id in sorted(ids):
                counts[role][actor_id] += 1
                first_seen.setdefault(actor_id, len(first_seen))
    return {role: _ranked(counter, first_seen) for role, counter in counts.items()}


def _unique(values: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        if value and value.casefold() not in {v.casefold() for v in seen}:
            seen[value] = None
    return list(seen)


def reconcile(members: Sequence[Member]) -> dict[str, object]:
    """The event's columns (those reconciled from its reports) as a row."""
    ordered = sorted(members, key=lambda m: m.report.order)
    start, end = window(ordered)
    located = most_precise(ordered)
    details = located.details
    subtypes = Counter(m.report.sub_event_type for m in ordered)
    top = max(subtypes.values())
    sub_event_type = next(m.report.sub_event_type for m in ordered
                          if subtypes[m.report.sub_event_type] == top)
    admin1 = details.admin1 or next((m.report.details.admin1 for m in ordered
                                     if m.report.details.admin1), None)
    country = details.country or next((m.report.details.country for m in ordered
                                       if m.report.details.country), None)
    roles = actors(ordered)
    article_ids = list(dict.fromkeys(m.report.article_id for m in ordered))
    return {
        "event_type": ordered[0].report.event_type,
        "sub_event_type": sub_event_type,
        "date_start": start.isoformat() if start else None,
        "date_end": end.isoformat() if end else None,
        "time_precision": time_precision(start, end),
        "place": details.place,
        "admin1": admin1,
        "country": country,
        "geo_precision": details.geo_precision,
        "geo_precision_code": details.geo_precision_code,
        "gazetteer_name": details.gazetteer_name,
        "latitude": details.latitude,
        "longitude": details.longitude,
        "fatalities": reconciled_fatalities(ordered),
        "perpetrators": roles["perpetrators"],
        "targets": roles["targets"],
        "claimed_by": roles["claimed_by"],
        "summary": details.summary,
        "sources": _unique([m.report.details.outlet or "" for m in ordered]),
        "cited_sources": _unique([s for m in ordered for s in m.report.details.sources]),
        "article_ids": article_ids,
        "reports": len(ordered),
        "articles": len(article_ids),
        "is_background": int(all(m.report.details.is_background for m in ordered)),
    }
