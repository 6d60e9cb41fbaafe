"""Derived fields, computed in one place and never asked of the model."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from extractor.schemas import CasualtyClaim, CasualtyKind


def fatalities(
    claims: Iterable[CasualtyClaim],
    group_of: Callable[[str], str] = lambda victims: victims.strip().casefold(),
) -> int:
    """ACLED's conservative fatality figure, per the codebook.

    For each victim group, the lowest ``count_min`` among its conflicting ``killed`` claims,
    summed over the groups. A ``killed`` claim whose victims are unknown overlaps the others:
    the figure is the larger of that sum and the lowest victims-unknown figure. ``group_of``
    maps a victims value to its group (the pipeline passes the actor registry's canonical id,
    so 'Wagner' and 'Wagner Group' are one group).
    """
    per_group: dict[str, int] = {}
    unknown: int | None = None
    for claim in claims:
        if claim.kind != CasualtyKind.killed or claim.count_min is None:
            continue
        if claim.victims is None or not claim.victims.strip():
            unknown = claim.count_min if unknown is None else min(unknown, claim.count_min)
            continue
        group = group_of(claim.victims)
        per_group[group] = min(per_group.get(group, claim.count_min), claim.count_min)
    total = sum(per_group.values())
    if unknown is not None:
        total = max(total, unknown)
    return total


def date_precision(start: date | None, end: date | None) -> str:
    """How closely the dates pin the incident down: day, week, month, year, range or unknown."""
    if start is None and end is None:
        return "unknown"
    if start is None or end is None:
        return "range"
    span = (end - start).days
    if span <= 0:
        return "day"
    if span <= 7:
        return "week"
    if span <= 31:
        return "month"
    if span <= 366:
        return "year"
    return "range"
