"""Grouping the stored incidents into events, and writing only what changed.

``group_events`` is incremental (incidents already in an event stay there; re-running it on an
unchanged database writes nothing) and deterministic. ``rebuild=True`` forgets the grouping and
groups every incident again; the analysts' overrides (``event_overrides``) are kept and
replayed either way.
"""

from __future__ import annotations

import itertools
import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from extractor.events.grouping import Event, Grouper, Link
from extractor.events.loading import Scope, load_reports
from extractor.events.reconcile import Member, reconcile
from extractor.events.rules import Match, Report
from extractor.store.database import write_transaction
from extractor.vocabulary import now

# Columns of events that reconciling decides (the rest is bookkeeping).
RECONCILED = ("event_type", "sub_event_type", "date_start", "date_end", "time_precision",
              "place", "admin1", "country", "geo_precision", "geo_precision_code",
              "gazetteer_name", "latitude", "longitude", "fatalities", "perpetrators",
              "targets", "claimed_by", "summary", "sources", "cited_sources", "article_ids",
              "reports", "articles", "is_background", "founder_incident_id", "number")
LINK_COLUMNS = ("event_id", "rule", "matched_incident_id", "score", "date_score",
                "place_score", "actor_score", "subtype_score", "place_relation", "flipped",
                "explanation")


@dataclass
class GroupingSummary:
    """What one grouping did."""

    events: int = 0  # events in the database after it
    incidents: int = 0
    created: int = 0
    changed: int = 0
    deleted: int = 0
    multi_report: int = 0  # events told by more than one article


def _link_from_row(row: dict[str, Any]) -> Link:
    match = None
    if row["score"] is not None:
        match = Match(True, "", date_score=row["date_score"] or 0.0,
                      place_score=row["place_score"] or 0.0,
                      actor_score=row["actor_score"] or 0.0,
                      subtype_score=row["subtype_score"] or 0.0,
                      place_relation=row["place_relation"] or "",
                      flipped=bool(row["flipped"]))
    return Link(row["rule"], row["explanation"] or "", row["matched_incident_id"], match)


def _link_row(incident_id: str, event_id: str, link: Link) -> dict[str, Any]:
    match = link.match
    return {
        "incident_id": incident_id, "event_id": event_id, "rule": link.rule,
        "matched_incident_id": link.matched,
        "score": match.score if match else None,
        "date_score": match.date_score if match else None,
        "place_score": match.place_score if match else None,
        "actor_score": match.actor_score if match else None,
        "subtype_score": match.subtype_score if match else None,
        "place_relation": match.place_relation if match else None,
        "flipped": int(link.flipped),
        "explanation": link.explanation,
    }


def _event_row(event: Event, scope_key: str, scope: Scope) -> dict[str, Any]:
    row: dict[str, Any] = {"id": event.id, "scope": scope_key, "model": scope.model,
                           "prompt_hash": scope.prompt_hash, "schema_hash": scope.schema_hash,
                           "founder_incident_id": event.founder.id, "number": event.number}
    for name, value in reconcile(event.members).items():
        row[name] = json.dumps(value) if isinstance(value, list) else value
    return row


def _stored(db: Database, table: str, key: str) -> dict[str, dict[str, Any]]:
    cursor = db.execute(f"select * from [{table}]")
    names = [column[0] for column in cursor.description]
    return {row[names.index(key)]: dict(zip(names, row, strict=True)) for row in cursor}


def _overrides(db: Database) -> list[dict[str, Any]]:
    cursor = db.execute("select id, action, incidents_a, incidents_b, note "
                        "from event_overrides order by id")
    return [{"id": row[0], "action": row[1], "a": json.loads(row[2]),
             "b": json.loads(row[3]), "note": row[4] or ""} for row in cursor]


def _cannot_link(overrides: list[dict[str, Any]]) -> dict[str, set[str]]:
    blocked: dict[str, set[str]] = defaultdict(set)
    for override in overrides:
        if override["action"] == "split":
            for incident in override["a"]:
                for other in override["b"]:
                    blocked[incident].add(other)
                    blocked[other].add(incident)
    return blocked


def _restore(grouper: Grouper, reports: list[Report], assigned: dict[str, str],
             events: dict[str, dict[str, Any]], links: dict[str, dict[str, Any]]) -> None:
    members: dict[str, list[Member]] = defaultdict(list)
    restored_links: dict[str, Link] = {}
    for report in reports:
        event_id = assigned.get(report.id)
        if event_id is None or event_id not in events:
            continue
        link_row = links.get(report.id)
        link = _link_from_row(link_row) if link_row and link_row["event_id"] == event_id \
            else Link("same_event", "grouped before its explanation was stored")
        members[event_id].append(Member(report, link.flipped))
        restored_links[report.id] = link
    for event_id in sorted(members, key=lambda e: events[e]["number"]):
        grouper.restore(event_id, events[event_id]["number"], members[event_id],
                        restored_links)


def group_events(db: Database, *, run_id: int | None = None,
                 rebuild: bool = False) -> GroupingSummary:
    """Group every incident not yet in an event; replay the overrides; store what changed."""
    loaded = load_reports(db)
    stored_events = {} if rebuild else _stored(db, "events", "id")
    stored_links = {} if rebuild else _stored(db, "event_links", "incident_id")
    assigned = {} if rebuild else loaded.assigned
    overrides = _overrides(db)
    cannot_link = _cannot_link(overrides)
    first = 1 if rebuild else 1 + max((e["number"] for e in stored_events.values()), default=0)
    numbers = itertools.count(first)
    final_events: dict[str, dict[str, Any]] = {}
    final_links: dict[str, dict[str, Any]] = {}
    event_of: dict[str, str] = {}
    for scope_key in sorted(loaded.reports):
        reports = loaded.reports[scope_key]
        grouper = Grouper(scope_key, numbers, cannot_link)
        in_scope = {e: row for e, row in stored_events.items() if row["scope"] == scope_key}
        _restore(grouper, reports, assigned, in_scope, stored_links)
        grouper.add_all(reports)
        known = {report.id for report in reports}
        for override in overrides:
            if not known & {*override["a"], *override["b"]}:
                continue
            if override["action"] == "merge":
                grouper.merge(override["a"], override["b"], override["note"])
            else:
                grouper.split(override["a"][0], override["b"], override["note"])
        scope = loaded.scopes[scope_key]
        for event in grouper.events.values():
            final_events[event.id] = _event_row(event, scope_key, scope)
            for member in event.members:
                event_of[member.report.id] = event.id
                final_links[member.report.id] = _link_row(
                    member.report.id, event.id, grouper.links[member.report.id])
    return _write(db, final_events, final_links, event_of, stored_events, stored_links,
                  loaded.assigned, run_id=run_id, rebuild=rebuild)


def _write(db: Database, events: dict[str, dict[str, Any]], links: dict[str, dict[str, Any]],
           event_of: dict[str, str], stored_events: dict[str, dict[str, Any]],
           stored_links: dict[str, dict[str, Any]], assigned: dict[str, str], *,
           run_id: int | None, rebuild: bool) -> GroupingSummary:
    summary = GroupingSummary(events=len(events), incidents=len(event_of),
                              multi_report=sum(1 for e in events.values() if e["articles"] > 1))
    stamp = now()
    gone = [e for e in stored_events if e not in events]
    changed_links = [row for incident, row in links.items()
                     if rebuild or any(stored_links.get(incident, {}).get(c) != row[c]
                                       for c in LINK_COLUMNS)]
    stale_links = [i for i in stored_links if i not in links]
    moves = [(event_id, incident) for incident, event_id in event_of.items()
             if rebuild or assigned.get(incident) != event_id]
    upserts = []
    for event_id, row in events.items():
        before = stored_events.get(event_id)
        if before is None:
            summary.created += 1
            upserts.append({**row, "first_run_id": run_id, "run_id": run_id,
                            "created_at": stamp, "updated_at": stamp})
        elif any(before.get(column) != row[column] for column in RECONCILED):
            summary.changed += 1
            upserts.append({**row, "run_id": run_id, "updated_at": stamp})
    summary.deleted = len(gone) if not rebuild else 0
    if not (upserts or gone or changed_links or stale_links or moves or rebuild):
        return summary
    with write_transaction(db):
        if rebuild:
            db.execute("update incidents set event_id = null where event_id is not null")
            db.execute("delete from event_links")
            db.execute("delete from events")
        for start in range(0, len(stale_links), 500):
            chunk = stale_links[start:start + 500]
            db.execute(f"delete from event_links where incident_id in "
                       f"({','.join('?' * len(chunk))})", chunk)
        # Numbers are unique: rows giving theirs up are cleared before any row takes one.
        for row in upserts:
            if row["id"] in stored_events:
                db.execute("update events set number = -number where id = ?", [row["id"]])
        created = [row for row in upserts if row["id"] not in stored_events]
        db.table("events").upsert_all(created, pk="id")
        db.table("events").upsert_all([row for row in upserts if row["id"] in stored_events],
                                pk="id")
        db.table("event_links").upsert_all([{**row, "created_at": stamp} for row in changed_links],
                                     pk="incident_id")
        db.conn.executemany("update incidents set event_id = ? where id = ?", moves)
        for event_id in gone:
            db.execute("delete from event_links where event_id = ?", [event_id])
            db.execute("delete from events where id = ?", [event_id])
    return summary
