"""Events and incidents read from the database one at a time, as export records.

A record is a plain dict with the same keys for an event and an incident (``kind`` tells them
apart), so that every format maps one shape. Rows are read from a cursor as they are written
out: memory holds the actors table and one record, never the export.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlite_utils import Database

from extractor.events.reconcile import time_precision


@dataclass(frozen=True)
class Filters:
    """Which records an export takes."""

    country: str | None = None
    since: date | None = None  # records whose date window ends on or after it
    until: date | None = None  # records whose date window starts on or before it
    model: str | None = None
    run: int | None = None


@dataclass(frozen=True)
class ActorInfo:
    id: str
    name: str
    actor_type: str | None
    country: str | None


def _where(filters: Filters, table: str) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if filters.country:
        clauses.append(f"{table}.country = ? collate nocase")
        params.append(filters.country)
    if filters.since:
        clauses.append(f"{table}.date_end >= ?")
        params.append(filters.since.isoformat())
    if filters.until:
        clauses.append(f"{table}.date_start <= ?")
        params.append(filters.until.isoformat())
    if filters.model:
        clauses.append(f"{table}.model = ?")
        params.append(filters.model)
    if filters.run is not None:
        if table == "e":
            clauses.append("exists (select 1 from incidents r where r.event_id = e.id "
                           "and r.run_id = ?)")
        else:
            clauses.append("i.run_id = ?")
        params.append(filters.run)
    return (" where " + " and ".join(clauses)) if clauses else "", params


def _dicts(db: Database, sql: str, params: list[Any]) -> Iterator[dict[str, Any]]:
    cursor = db.execute(sql, params)
    names = [column[0] for column in cursor.description]
    for values in cursor:
        yield dict(zip(names, values, strict=True))


class Reader:
    """Streams export records out of one database."""

    def __init__(self, db: Database, *, full: bool = False):
        self.db = db
        self.full = full  # casualty claims and evidence too (the jsonl format)
        self.actors = {
            row[0]: ActorInfo(row[0], row[1], row[2], row[3])
            for row in db.execute("select id, name, actor_type, country from actors")
        }

    def _actors(self, ids: list[str]) -> list[ActorInfo]:
        return [self.actors.get(i) or ActorInfo(i, i, None, None) for i in ids]

    def count_ungrouped(self, filters: Filters) -> int:
        where, params = _where(filters, "i")
        joiner = " and " if where else " where "
        row = self.db.execute(f"select count(*) from incidents i{where}{joiner}"
                              "i.event_id is null", params).fetchone()
        return int(row[0])

    def scopes(self, filters: Filters) -> list[str]:
        """The extraction configurations the filtered events come from, as model (prompt)."""
        where, params = _where(filters, "e")
        return [f"{model} (prompt {prompt})" for model, prompt in self.db.execute(
            f"select distinct e.model, e.prompt_hash from events e{where} order by 1, 2",
            params)]

    def events(self, filters: Filters) -> Iterator[dict[str, Any]]:
        where, params = _where(filters, "e")
        for row in _dicts(self.db, f"select e.* from events e{where} order by e.number",
                          params):
            record: dict[str, Any] = {
                "kind": "event", "id": row["id"], "number": row["number"],
                "model": row["model"], "prompt_hash": row["prompt_hash"],
                "schema_hash": row["schema_hash"], "updated_at": row["updated_at"],
                **{key: row[key] for key in COMMON},
                "time_precision": row["time_precision"],
                "perpetrators": self._actors(json.loads(row["perpetrators"] or "[]")),
                "targets": self._actors(json.loads(row["targets"] or "[]")),
                "claimed_by": self._actors(json.loads(row["claimed_by"] or "[]")),
                "sources": json.loads(row["sources"] or "[]"),
                "cited_sources": json.loads(row["cited_sources"] or "[]"),
                "article_ids": json.loads(row["article_ids"] or "[]"),
                "reports": row["reports"], "articles": row["articles"],
            }
            if self.full:
                record["incidents"] = [self._incident(member) for member in _dicts(
                    self.db, INCIDENTS_SQL + " where i.event_id = ? order by i.id",
                    [row["id"]])]
            yield record

    def incidents(self, filters: Filters) -> Iterator[dict[str, Any]]:
        where, params = _where(filters, "i")
        for row in _dicts(self.db, f"{INCIDENTS_SQL}{where} order by i.date_start, i.id",
                          params):
            yield self._incident(row)

    def _incident(self, row: dict[str, Any]) -> dict[str, Any]:
        roles: dict[str, list[str]] = {"perpetrator": [], "target": [], "claimed_by": []}
        for actor_id, role in self.db.execute(
                "select actor_id, role from incident_actors where incident_id = ? "
                "order by rowid", [row["id"]]):
            roles[role].append(actor_id)
        start = date.fromisoformat(row["date_start"]) if row["date_start"] else None
        end = date.fromisoformat(row["date_end"]) if row["date_end"] else None
        record: dict[str, Any] = {
            "kind": "incident", "id": row["id"], "number": None,
            "event_id": row["event_id"], "article_id": row["article_id"],
            "article_url": row["article_url"], "article_title": row["article_title"],
            "extraction_id": row["extraction_id"], "run_id": row["run_id"],
            "model": row["model"], "prompt_hash": row["prompt_hash"],
            "schema_hash": row["schema_hash"], "updated_at": row["updated_at"],
            **{key: row[key] for key in COMMON},
            "time_precision": time_precision(start, end),
            "date_text": row["date_text"], "date_precision": row["date_precision"],
            "perpetrators": self._actors(roles["perpetrator"]),
            "targets": self._actors(roles["target"]),
            "claimed_by": self._actors(roles["claimed_by"]),
            "sources": [row["outlet"]] if row["outlet"] else [],
            "cited_sources": json.loads(row["sources"] or "[]"),
            "weapons": json.loads(row["weapons"] or "[]"),
            "evidence_status": row["evidence_status"],
            "article_ids": [row["article_id"]], "reports": 1, "articles": 1,
        }
        if self.full:
            record["casualties"] = list(_dicts(
                self.db, "select kind, count_text, count_min, count_max, victims, "
                         "victims_actor_id, source from casualties where incident_id = ? "
                         "order by position", [row["id"]]))
            record["evidence"] = list(_dicts(
                self.db, "select quote, start, end, alignment, score from evidence "
                         "where incident_id = ? order by position", [row["id"]]))
        return record


# Columns an event and an incident share, under the same names.
COMMON = ("summary", "event_type", "sub_event_type", "date_start", "date_end", "place",
          "admin1", "country", "geo_precision", "geo_precision_code", "gazetteer_name",
          "latitude", "longitude", "fatalities", "is_background")

INCIDENTS_SQL = """
select i.*, a.url as article_url, a.title as article_title, a.source as outlet,
       x.updated_at as updated_at
from incidents i
join articles a on a.id = i.article_id
join extractions x on x.id = i.extraction_id
"""
