"""Analysts' overrides of the grouping: merge two events, split an incident off its event.

Each is recorded in ``event_overrides`` by the incidents it concerns (incident ids survive a
regrouping; event ids may not), applied at once by a grouping, and replayed by every later one.
"""

from __future__ import annotations

import json

from sqlite_utils import Database

from extractor.events.grouping import OverrideAction
from extractor.events.store import GroupingSummary, group_events
from extractor.store.database import write_transaction
from extractor.vocabulary import now


class OverrideError(Exception):
    """An override that cannot apply (unknown event or incident); shown as one line."""


def _event(db: Database, event_id: str) -> tuple[str, list[str]]:
    row = db.execute("select scope from events where id = ?", [event_id]).fetchone()
    if row is None:
        raise OverrideError(f"no event {event_id} (see `extractor events list`)")
    members = [r[0] for r in db.execute(
        "select id from incidents where event_id = ? order by id", [event_id])]
    return row[0], members


def _record(db: Database, action: str, incidents_a: list[str], incidents_b: list[str],
            note: str | None) -> None:
    with write_transaction(db):
        db.table("event_overrides").insert({
            "action": action, "incidents_a": json.dumps(incidents_a),
            "incidents_b": json.dumps(incidents_b), "note": note, "created_at": now(),
        })


def merge_events(db: Database, first: str, second: str,
                 note: str | None = None) -> GroupingSummary:
    """Record that events ``first`` and ``second`` are one, and regroup."""
    if first == second:
        raise OverrideError(f"{first} and {second} are the same event")
    scope_a, incidents_a = _event(db, first)
    scope_b, incidents_b = _event(db, second)
    if scope_a != scope_b:
        raise OverrideError(f"{first} and {second} come from different extraction "
                            "configurations (model, prompt or settings): they cannot be merged")
    _record(db, OverrideAction.MERGE, incidents_a, incidents_b, note)
    return group_events(db)


def split_incident(db: Database, event_id: str, incident_id: str,
                   note: str | None = None) -> GroupingSummary:
    """Record that ``incident_id`` is not the event of the rest of ``event_id``, and regroup."""
    _, members = _event(db, event_id)
    if incident_id not in members:
        raise OverrideError(f"incident {incident_id} is not in event {event_id}")
    others = [member for member in members if member != incident_id]
    if not others:
        raise OverrideError(f"incident {incident_id} is alone in event {event_id}: "
                            "nothing to split")
    _record(db, OverrideAction.SPLIT, [incident_id], others, note)
    return group_events(db)
