"""When two reports are the same event: ACLED's rule, as pure functions over reports.

Two incidents from different articles are the same event when they have the same event type,
overlapping date windows, the same place (or a compatible one at coarser precision: a report
that names only the region or the country of the other's place) and compatible actors (on each
side, the same actor named, or one report naming nobody there). Nothing here reads the
database: :mod:`extractor.events.grouping` loads :class:`Report` objects and applies these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# A report whose date window is wider than this ("July 2024", "last year") is too vague to say
# which event it is: it stays an event of its own.
MAX_LINK_SPAN_DAYS = 31

# Weights of the similarity that chooses among compatible events (and is recorded).
WEIGHTS = {"date": 0.35, "place": 0.35, "actors": 0.2, "subtype": 0.1}

# Location levels, most precise first.
PLACE, REGION, COUNTRY, UNKNOWN = 1, 2, 3, 4


def _key(text: str | None) -> str | None:
    cleaned = " ".join((text or "").split()).casefold()
    return cleaned or None


@dataclass(frozen=True, slots=True)
class Location:
    """Where a report puts its incident, reduced to what comparison needs."""

    place: str | None  # normalised gazetteer name, or the place as written
    admin1: str | None
    country: str | None

    @property
    def level(self) -> int:
        if self.place:
            return PLACE
        if self.admin1:
            return REGION
        return COUNTRY if self.country else UNKNOWN


def location(place: str | None, gazetteer_name: str | None, admin1: str | None,
             country: str | None, geo_precision: str | None) -> Location:
    """A report's location: its place counts only when the report is at or near it."""
    at_place = geo_precision in (None, "place", "near_place")
    return Location(place=_key(gazetteer_name or place) if at_place else None,
                    admin1=_key(admin1), country=_key(country))


@dataclass(frozen=True, slots=True)
class Claim:
    """A ``killed`` figure of a report: its lowest count and whose dead (a group key)."""

    count_min: int
    victims: str | None  # the victims' actor id, or their words; None when unknown


@dataclass(slots=True)
class Details:
    """A report's fields that grouping does not compare but an event reconciles."""

    summary: str | None = None
    place: str | None = None
    admin1: str | None = None
    country: str | None = None
    geo_precision: str | None = None
    geo_precision_code: int | None = None
    gazetteer_name: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    killed: tuple[Claim, ...] = ()
    named_perpetrators: frozenset[str] = frozenset()  # without the claimants
    claimed_by: frozenset[str] = frozenset()
    sources: tuple[str, ...] = ()  # who the article cites
    outlet: str | None = None  # who published the article
    is_background: bool = False


@dataclass(slots=True)
class Report:
    """One stored incident, as grouping sees it."""

    id: str
    article_id: str
    event_type: str
    sub_event_type: str
    date_start: date | None
    date_end: date | None
    where: Location
    perpetrators: frozenset[str]  # actor ids; claimants count on the perpetrators' side
    targets: frozenset[str]
    order: tuple[str, str, str] = ("", "", "")  # canonical order: date, article, id
    details: Details = field(default_factory=lambda: Details())  # what only reconciling reads

    @property
    def span_days(self) -> int | None:
        if self.date_start is None or self.date_end is None:
            return None
        return (self.date_end - self.date_start).days + 1


@dataclass(frozen=True, slots=True)
class Match:
    """How a report compares with another report or an event: compatible, and how similar."""

    compatible: bool
    reason: str  # why not, or how
    date_score: float = 0.0
    place_score: float = 0.0
    actor_score: float = 0.0
    subtype_score: float = 0.0
    place_relation: str = ""  # same, coarser (the report is vaguer), finer
    flipped: bool = False

    @property
    def score(self) -> float:
        return round(WEIGHTS["date"] * self.date_score + WEIGHTS["place"] * self.place_score
                     + WEIGHTS["actors"] * self.actor_score
                     + WEIGHTS["subtype"] * self.subtype_score, 4)


def linkable(report: Report) -> str | None:
    """Why a report can never join another one automatically, or None when it can."""
    if report.span_days is None:
        return "no date: cannot tell which event it is"
    if report.span_days > MAX_LINK_SPAN_DAYS:
        return f"date window of {report.span_days} days is too vague to link"
    if report.where.level == UNKNOWN:
        return "no place, region or country"
    return None


def date_overlap(start_a: date, end_a: date, start_b: date, end_b: date) -> float:
    """Share of the two windows they have in common (1.0 same window, 0.0 disjoint)."""
    common = (min(end_a, end_b) - max(start_a, start_b)).days + 1
    if common <= 0:
        return 0.0
    union = (max(end_a, end_b) - min(start_a, start_b)).days + 1
    return common / union


def compare_places(report: Location, other: Location) -> tuple[float, str] | None:
    """(score, relation) when the locations are compatible, None when they are not."""
    if report.country and other.country and report.country != other.country:
        return None
    if report.level == PLACE and other.level == PLACE:
        return (1.0, "same") if report.place == other.place else None
    if report.level == UNKNOWN or other.level == UNKNOWN:
        return None
    relation = "same" if report.level == other.level else (
        "coarser" if report.level > other.level else "finer")
    coarse, fine = (report, other) if report.level >= other.level else (other, report)
    if coarse.level == REGION:
        if fine.admin1 != coarse.admin1:
            return None
        return (0.7 if relation == "same" else 0.5), relation
    # The coarser of the two names only a country: the countries must be known and equal.
    if not (coarse.country and fine.country):
        return None
    return (0.5 if relation == "same" else 0.3), relation


def _side_compatible(a: frozenset[str], b: frozenset[str]) -> bool:
    return not a or not b or bool(a & b)


def compare_actors(report: Report, other_perpetrators: frozenset[str],
                   other_targets: frozenset[str], battle: bool) -> tuple[float, bool] | None:
    """(score, flipped) when the actors are compatible, None when they are not.

    Compatible: on each side, one report names nobody or both name a common actor. In a
    battle who attacked is often told both ways, so the sides may be swapped (``flipped``).
    """
    orientations = [(report.perpetrators, report.targets, False)]
    if battle:
        orientations.append((report.targets, report.perpetrators, True))
    best: tuple[float, bool] | None = None
    for perpetrators, targets, flipped in orientations:
        if not (_side_compatible(perpetrators, other_perpetrators)
                and _side_compatible(targets, other_targets)):
            continue
        mine = perpetrators | targets
        theirs = other_perpetrators | other_targets
        score = len(mine & theirs) / len(mine | theirs) if mine and theirs else 0.5
        if best is None or score > best[0]:
            best = (score, flipped)
    return best


def _named_in_common(report: Report, actors: frozenset[str]) -> bool:
    """Whether the report names an actor of the other side's, civilians aside."""
    return bool((report.perpetrators | report.targets) & actors - {"civilians"})


def compare(report: Report, other: Report) -> Match:
    """Whether two reports can be the same event (ACLED's rule), and how similar they are."""
    if report.article_id == other.article_id:
        return Match(False, "same article: incidents of one article are never merged")
    return compare_with(report, other.event_type, other.sub_event_type, other.date_start,
                        other.date_end, other.where, other.perpetrators, other.targets)


def compare_with(report: Report, event_type: str, sub_event_type: str, start: date | None,
                 end: date | None, where: Location, perpetrators: frozenset[str],
                 targets: frozenset[str]) -> Match:
    """:func:`compare` against an event's reconciled fields (or one report's)."""
    if report.event_type != event_type:
        return Match(False, f"event type {report.event_type} is not {event_type}")
    if report.date_start is None or report.date_end is None or start is None or end is None:
        return Match(False, "a date is unknown")
    date_score = date_overlap(report.date_start, report.date_end, start, end)
    if date_score == 0.0:
        return Match(False, f"dates {report.date_start}..{report.date_end} and "
                            f"{start}..{end} do not overlap")
    places = compare_places(report.where, where)
    if places is None:
        return Match(False, "different places")
    actors = compare_actors(report, perpetrators, targets, event_type == "battles")
    if actors is None:
        return Match(False, "incompatible actors")
    if COUNTRY in (report.where.level, where.level) and not _named_in_common(
            report, perpetrators | targets):
        return Match(False, "only a country in common, and no named actor")
    subtype = 1.0 if report.sub_event_type == sub_event_type else 0.0
    return Match(True, "same event type, overlapping dates, compatible place and actors",
                 date_score=round(date_score, 4), place_score=places[0],
                 actor_score=round(actors[0], 4), subtype_score=subtype,
                 place_relation=places[1], flipped=actors[1])
