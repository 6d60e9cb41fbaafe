"""Reading the stored incidents as :class:`~extractor.events.rules.Report` objects."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlite_utils import Database

from extractor.events.rules import Claim, Details, Report, location

REPORTS_SQL = """
select i.id, i.article_id, i.event_type, i.sub_event_type, i.date_start, i.date_end,
       i.place, i.gazetteer_name, i.admin1, i.country, i.geo_precision, i.geo_precision_code,
       i.latitude, i.longitude, i.summary, i.sources, i.is_background, i.event_id,
       a.source as outlet, x.model, x.prompt_hash, x.schema_hash, x.params_hash
from incidents i
join extractions x on x.id = i.extraction_id
join articles a on a.id = i.article_id
"""


@dataclass(frozen=True)
class Scope:
    """One extraction configuration: events never mix two."""

    model: str
    prompt_hash: str
    schema_hash: str
    params_hash: str

    @property
    def key(self) -> str:
        canonical = json.dumps([self.model, self.prompt_hash, self.schema_hash,
                                self.params_hash])
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]


@dataclass
class Loaded:
    """Every stored incident as a report, by scope, with the event each is in now."""

    reports: dict[str, list[Report]]  # scope key -> reports in canonical order
    scopes: dict[str, Scope]
    assigned: dict[str, str]  # incident id -> event id (incidents.event_id)


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


class Pool:
    """Interns the values many reports share (actor sets, places, dates, names): a grouping
    of 100,000 incidents holds each distinct value once."""

    def __init__(self) -> None:
        self._values: dict[Any, Any] = {}

    def __call__(self, value: Any) -> Any:
        return self._values.setdefault(value, value)


def _actor_roles(db: Database, pool: Pool) -> dict[str, dict[str, frozenset[str]]]:
    roles: dict[str, dict[str, frozenset[str]]] = defaultdict(dict)
    for incident_id, role, actor_ids in db.execute(
            "select incident_id, role, group_concat(actor_id, char(31)) from incident_actors "
            "group by incident_id, role"):
        roles[incident_id][pool(role)] = pool(frozenset(pool(a) for a in actor_ids.split("\x1f")))
    return roles


def _killed(db: Database, pool: Pool) -> dict[str, tuple[Claim, ...]]:
    claims: dict[str, list[Claim]] = defaultdict(list)
    for incident_id, count_min, victims_id, victims in db.execute(
            "select incident_id, count_min, victims_actor_id, victims from casualties "
            "where kind = 'killed' and count_min is not null order by incident_id, position"):
        words = " ".join((victims or "").split()).casefold() or None
        claims[incident_id].append(pool(Claim(count_min=count_min,
                                              victims=pool(victims_id or words))))
    return {incident: pool(tuple(items)) for incident, items in claims.items()}


def _rows(db: Database) -> Iterator[dict[str, Any]]:
    cursor = db.execute(REPORTS_SQL)
    names = [column[0] for column in cursor.description]
    for values in cursor:
        yield dict(zip(names, values, strict=True))


def load_reports(db: Database) -> Loaded:
    """Every incident of the database as a report, grouped by scope, in canonical order."""
    pool = Pool()
    roles = _actor_roles(db, pool)
    killed = _killed(db, pool)
    reports: dict[str, list[Report]] = defaultdict(list)
    scopes: dict[str, Scope] = {}
    assigned: dict[str, str] = {}
    empty: frozenset[str] = frozenset()
    for row in _rows(db):
        scope = Scope(row["model"], row["prompt_hash"], row["schema_hash"],
                      row["params_hash"] or "")
        scopes.setdefault(scope.key, scope)
        incident_roles = roles.pop(row["id"], {})
        named = incident_roles.get("perpetrator", empty)
        claimed = incident_roles.get("claimed_by", empty)
        details = Details(
            summary=row["summary"], place=pool(row["place"]), admin1=pool(row["admin1"]),
            country=pool(row["country"]), geo_precision=pool(row["geo_precision"]),
            geo_precision_code=row["geo_precision_code"],
            gazetteer_name=pool(row["gazetteer_name"]), latitude=pool(row["latitude"]),
            longitude=pool(row["longitude"]), killed=killed.pop(row["id"], ()),
            named_perpetrators=named, claimed_by=claimed,
            sources=pool(tuple(pool(s) for s in json.loads(row["sources"] or "[]"))),
            outlet=pool(row["outlet"]), is_background=bool(row["is_background"]),
        )
        date_start = pool(_date(row["date_start"]))
        reports[scope.key].append(Report(
            id=row["id"], article_id=pool(row["article_id"]),
            event_type=pool(row["event_type"]), sub_event_type=pool(row["sub_event_type"]),
            date_start=date_start, date_end=pool(_date(row["date_end"])),
            where=pool(location(row["place"], row["gazetteer_name"], row["admin1"],
                                row["country"], row["geo_precision"])),
            perpetrators=pool(named | claimed) if claimed else named,
            targets=incident_roles.get("target", empty),
            order=(pool(row["date_start"] or "~"), pool(row["article_id"]), row["id"]),
            details=details,
        ))
        if row["event_id"]:
            assigned[row["id"]] = pool(row["event_id"])
    for items in reports.values():
        items.sort(key=lambda report: report.order)
    return Loaded(reports=dict(reports), scopes=scopes, assigned=assigned)
