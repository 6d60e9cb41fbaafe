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


def _actor_roles(db: Database) -> dict[str, dict[str, set[str]]]:
    roles: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for incident_id, actor_id, role in db.execute(
            "select incident_id, actor_id, role from incident_actors"):
        roles[incident_id][role].add(actor_id)
    return roles


def _killed(db: Database) -> dict[str, list[Claim]]:
    claims: dict[str, list[Claim]] = defaultdict(list)
    for incident_id, count_min, victims_id, victims in db.execute(
            "select incident_id, count_min, victims_actor_id, victims from casualties "
            "where kind = 'killed' and count_min is not null order by incident_id, position"):
        words = " ".join((victims or "").split()).casefold() or None
        claims[incident_id].append(Claim(count_min=count_min, victims=victims_id or words))
    return claims


def _rows(db: Database) -> Iterator[dict[str, Any]]:
    cursor = db.execute(REPORTS_SQL)
    names = [column[0] for column in cursor.description]
    for values in cursor:
        yield dict(zip(names, values, strict=True))


def load_reports(db: Database) -> Loaded:
    """Every incident of the database as a report, grouped by scope, in canonical order."""
    roles = _actor_roles(db)
    killed = _killed(db)
    reports: dict[str, list[Report]] = defaultdict(list)
    scopes: dict[str, Scope] = {}
    assigned: dict[str, str] = {}
    for row in _rows(db):
        scope = Scope(row["model"], row["prompt_hash"], row["schema_hash"],
                      row["params_hash"] or "")
        scopes.setdefault(scope.key, scope)
        incident_roles = roles.get(row["id"], {})
        named = frozenset(incident_roles.get("perpetrator", ()))
        claimed = frozenset(incident_roles.get("claimed_by", ()))
        details = Details(
            summary=row["summary"], place=row["place"], admin1=row["admin1"],
            country=row["country"], geo_precision=row["geo_precision"],
            geo_precision_code=row["geo_precision_code"],
            gazetteer_name=row["gazetteer_name"], latitude=row["latitude"],
            longitude=row["longitude"], killed=tuple(killed.get(row["id"], ())),
            named_perpetrators=named, claimed_by=claimed,
            sources=tuple(json.loads(row["sources"] or "[]")), outlet=row["outlet"],
            is_background=bool(row["is_background"]),
        )
        reports[scope.key].append(Report(
            id=row["id"], article_id=row["article_id"], event_type=row["event_type"],
            sub_event_type=row["sub_event_type"], date_start=_date(row["date_start"]),
            date_end=_date(row["date_end"]),
            where=location(row["place"], row["gazetteer_name"], row["admin1"],
                           row["country"], row["geo_precision"]),
            perpetrators=named | claimed,
            targets=frozenset(incident_roles.get("target", ())),
            order=(row["date_start"] or "~", row["article_id"], row["id"]),
            details=details,
        ))
        if row["event_id"]:
            assigned[row["id"]] = row["event_id"]
    for items in reports.values():
        items.sort(key=lambda report: report.order)
    return Loaded(reports=dict(reports), scopes=scopes, assigned=assigned)
