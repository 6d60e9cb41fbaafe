"""The front door: what Datasette's home page leads to for each extractor database.

For every database with incidents, the home page lists, with their counts: the overview map,
the events (only when the database has an ``events`` table, which cross-article event
grouping adds), the runs, the failed extractions, the review queue (incidents no analyst has
reviewed; when the reviews table exists) and the evaluation runs (when ``extractor eval`` has
run). Each count is one cheap ``count(*)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from extractor.vocabulary import ExtractionStatus

__all__ = ["Door", "front_door"]


@dataclass(frozen=True)
class Door:
    """One link of the front door: where it goes, what it is, and how many rows are there."""

    title: str
    url: str
    count: int
    what: str


async def _count(db: Any, sql: str, params: list[Any] | None = None) -> int:
    return int((await db.execute(sql, params or [])).rows[0][0])


async def _doors(datasette: Any, db: Any, tables: set[str]) -> list[Door]:
    name, urls = db.name, datasette.urls
    located = await _count(db, "select count(*) from incidents where latitude is not null")
    total = await _count(db, "select count(*) from incidents")
    doors = [Door("Overview map", urls.table(name, "incident_overview"), total,
                  f"every incident with its actors, place and evidence status; {located} on "
                  "the map, pinned by how precisely their place is known")]
    if "events" in tables:
        doors.append(Door("Events", urls.table(name, "events"),
                          await _count(db, "select count(*) from events"),
                          "real-world events, each reported by one or more articles"))
        doors.append(Door("Events on the map", urls.database(name) + "/event_overview",
                          await _count(db, "select count(*) from events "
                                           "where latitude is not null"),
                          "events at their most precisely located incident"))
    doors.append(Door("Runs", urls.table(name, "runs"),
                      await _count(db, "select count(*) from runs"),
                      "every run of extract and eval: model, prompt, counts, cost"))
    doors.append(Door("Failed extractions", urls.database(name) + "/failed_extractions",
                      await _count(db, "select count(*) from extractions where status = ?",
                                   [ExtractionStatus.FAILED.value]),
                      "articles whose extraction failed, with the error"))
    if "reviews" in tables:
        doors.append(Door("Review queue", urls.database(name) + "/review_queue",
                          await _count(db, "select count(*) from incidents where not exists "
                                           "(select 1 from reviews where reviews.incident_id "
                                           "= incidents.id)"),
                          "incidents no analyst has reviewed yet"))
    if "eval_runs" in tables:
        doors.append(Door("Evaluation runs", urls.database(name) + "/eval_runs_compared",
                          await _count(db, "select count(*) from eval_runs"),
                          "the latest two evaluations side by side"))
    return doors


async def front_door(datasette: Any) -> dict[str, list[Door]]:
    """Database name -> its doors, for the databases that hold incidents."""
    found: dict[str, list[Door]] = {}
    for name, db in datasette.databases.items():
        if name.startswith("_"):
            continue  # Datasette's internal database
        tables = set(await db.table_names())
        if {"incidents", "runs", "extractions"} <= tables:
            found[name] = await _doors(datasette, db, tables)
    return found
