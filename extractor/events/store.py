"""Grouping the stored incidents into events, and writing only what changed.

``group_events`` is incremental (incidents already in an event stay there; re-running it on an
unchanged database writes nothing) and deterministic. ``rebuild=True`` forgets the grouping and
groups every incident again; the analysts' overrides (``event_overrides``) are kept and
replayed either way.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from extractor.events.grouping import Event, Grouper, Link, LinkRule, OverrideAction
from extractor.events.loading import Scope, load_reports
from extractor.events.reconcile import Member, reconcile
from extractor.events.rules import Report
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


def _digest(row: dict[str, Any] | tuple[Any, ...]) -> bytes:
    values = [row[c] for c in RECONCILED] if isinstance(row, dict) else list(row)
    return hashlib.sha1(json.dumps(values, default=str).encode("utf-8")).digest()


@dataclass(slots=True)
class StoredEvent:
    """What a grouping keeps of a stored event: enough to tell whether it changed."""

    scope: str
    number: int
    digest: bytes


def _stored_events(db: Database) -> dict[str, StoredEvent]:
    cursor = db.execute(f"select id, scope, {', '.join(RECONCILED)} from events")
    number_at = 2 + RECONCILED.index("number")
    return {row[0]: StoredEvent(row[1], row[number_at], _digest(tuple(row[2:])))
            for row in cursor}


def _stored_links(db: Database) -> dict[str, Link]:
    return {incident: Link(rule, "", stored=True, was_flipped=bool(flipped))
            for incident, rule, flipped in db.execute(
                "select incident_id, rule, flipped from event_links")}


def _overrides(db: Database) -> list[dict[str, Any]]:
    cursor = db.execute("select id, action, incidents_a, incidents_b, note "
                        "from event_overrides order by id")
    return [{"id": row[0], "action": row[1], "a": json.loads(row[2]),
             "b": json.loads(row[3]), "note": row[4] or ""} for row in cursor]


def _cannot_link(overrides: list[dict[str, Any]]) -> dict[str, set[str]]:
    blocked: dict[str, set[str]] = defaultdict(set)
    for override in overrides:
        if override["action"] == OverrideAction.SPLIT:
            for incident in override["a"]:
                for other in override["b"]:
                    blocked[incident].add(other)
                    blocked[other].add(incident)
    return blocked


def _restore(grouper: Grouper, reports: list[Report], assigned: dict[str, str],
             events: dict[str, StoredEvent], links: dict[str, Link]) -> None:
    members: dict[str, list[Member]] = defaultdict(list)
    restored_links: dict[str, Link] = {}
    for report in reports:
        event_id = assigned.get(report.id)
        if event_id is None or event_id not in events:
            continue
        link = links.get(report.id) or Link(LinkRule.SAME_EVENT, "grouped before its explanation "
                                                          "was stored")
        members[event_id].append(Member(report, link.flipped))
        restored_links[report.id] = link
    for event_id in sorted(members, key=lambda e: events[e].number):
        grouper.restore(event_id, events[event_id].number, members[event_id],
                        restored_links)


def group_events(db: Database, *, run_id: int | None = None,
                 rebuild: bool = False) -> GroupingSummary:
    """Group every incident not yet in an event; replay the overrides; store what changed.

    Reading, grouping and writing happen in one write transaction: two processes that finish
    extracting at once group one after the other, never from the same snapshot.
    """
    with write_transaction(db):
        return _group(db, run_id=run_id, rebuild=rebuild)


def _group(db: Database, *, run_id: int | None, rebuild: bool) -> GroupingSummary:
    loaded = load_reports(db)
    stored_events = {} if rebuild else _stored_events(db)
    stored_links = {} if rebuild else _stored_links(db)
    assigned = {} if rebuild else loaded.assigned
    overrides = _overrides(db)
    cannot_link = _cannot_link(overrides)
    first = 1 if rebuild else 1 + max((e.number for e in stored_events.values()), default=0)
    numbers = itertools.count(first)
    changes = Changes()
    summary = GroupingSummary()
    kept: set[str] = set()
    grouped: set[str] = set()
    for scope_key in sorted(loaded.reports):
        reports = loaded.reports[scope_key]
        grouper = Grouper(scope_key, numbers, cannot_link)
        in_scope = {e: row for e, row in stored_events.items() if row.scope == scope_key}
        _restore(grouper, reports, assigned, in_scope, stored_links)
        grouper.add_all(reports)
        known = {report.id for report in reports}
        for override in overrides:
            if not known & {*override["a"], *override["b"]}:
                continue
            if override["action"] == OverrideAction.MERGE:
                grouper.merge(override["a"], override["b"], override["note"])
            else:
                grouper.split(override["a"][0], override["b"], override["note"])
        scope = loaded.scopes[scope_key]
        for event in grouper.events.values():
            kept.add(event.id)
            summary.events += 1
            summary.incidents += len(event.members)
            summary.multi_report += len(event.articles) > 1
            before = stored_events.get(event.id)
            if before is None:
                changes.created.append((event, scope_key, scope))
            elif before.digest != _digest(_event_row(event, scope_key, scope)):
                changes.changed.append((event, scope_key, scope))
            for member in event.members:
                incident = member.report.id
                grouped.add(incident)
                link = grouper.links[incident]
                moved = assigned.get(incident) != event.id
                if moved:
                    changes.moves.append((event.id, incident))
                if not link.stored:
                    changes.links.append((incident, event.id, link))
                elif moved:
                    changes.relinks.append((event.id, incident))
    changes.gone = [e for e in stored_events if e not in kept]
    changes.stale_links = [i for i in stored_links if i not in grouped]
    summary.created, summary.changed = len(changes.created), len(changes.changed)
    summary.deleted = len(changes.gone)
    _write(db, changes, stored_events, run_id=run_id, rebuild=rebuild)
    return summary


@dataclass
class Changes:
    """What a grouping writes."""

    # Rows are made as they are written (upsert_all takes an iterator): a first grouping of
    # 100,000 incidents never holds 100,000 rows.
    created: list[tuple[Event, str, Scope]] = field(default_factory=list)
    changed: list[tuple[Event, str, Scope]] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)
    links: list[tuple[str, str, Link]] = field(default_factory=list)  # new or rewritten
    relinks: list[tuple[str, str]] = field(default_factory=list)  # stored link, new event
    moves: list[tuple[str, str]] = field(default_factory=list)  # (event, incident)
    stale_links: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.created or self.changed or self.gone or self.links or self.relinks
                    or self.moves or self.stale_links)


def _write(db: Database, changes: Changes, stored_events: dict[str, StoredEvent], *,
           run_id: int | None, rebuild: bool) -> None:
    if not (changes or rebuild):
        return
    stamp = now()
    with write_transaction(db):
        if rebuild:
            db.execute("update incidents set event_id = null where event_id is not null")
            db.execute("delete from event_links")
            db.execute("delete from events")
        for start in range(0, len(changes.stale_links), 500):
            chunk = changes.stale_links[start:start + 500]
            db.execute(f"delete from event_links where incident_id in "
                       f"({','.join('?' * len(chunk))})", chunk)
        # Numbers are unique: rows giving theirs up are cleared before any row takes one.
        db.conn.executemany("update events set number = -number where id = ?",
                            [(event.id,) for event, _, _ in changes.changed])
        db.table("events").upsert_all(
            ({**_event_row(*item), "first_run_id": run_id, "run_id": run_id,
              "created_at": stamp, "updated_at": stamp} for item in changes.created),
            pk="id", batch_size=500)
        db.table("events").upsert_all(
            ({**_event_row(*item), "run_id": run_id, "updated_at": stamp}
             for item in changes.changed), pk="id", batch_size=500)
        db.table("event_links").upsert_all(
            ({**_link_row(*item), "created_at": stamp} for item in changes.links),
            pk="incident_id", batch_size=500)
        db.conn.executemany("update event_links set event_id = ? where incident_id = ?",
                            changes.relinks)
        db.conn.executemany("update incidents set event_id = ? where id = ?", changes.moves)
        for event_id in changes.gone:
            db.execute("delete from event_links where event_id = ?", [event_id])
            db.execute("delete from events where id = ?", [event_id])
