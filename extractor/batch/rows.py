"""The ``batches`` table: what each batch holds, its provider status, and collecting progress."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from extractor.store.database import write_transaction
from extractor.vocabulary import now

if TYPE_CHECKING:  # the wire module imports openai: not needed to read the table
    from extractor.model.batch import BatchState

# A batch that failed at the provider holds nothing: its articles may be sent again at once.
RELEASED = ("failed",)


@dataclass
class BatchRow:
    """One row of ``batches``, its JSON columns decoded."""

    id: str
    run_id: int
    status: str
    keys: dict[str, str]  # extraction key -> article id
    stored_keys: list[str]
    collected_at: str | None
    data: dict[str, Any]

    @property
    def collected(self) -> bool:
        return self.collected_at is not None


def _row(data: dict[str, Any]) -> BatchRow:
    return BatchRow(id=data["id"], run_id=data["run_id"], status=data["status"],
                    keys=json.loads(data["keys"] or "{}"),
                    stored_keys=json.loads(data["stored_keys"] or "[]"),
                    collected_at=data["collected_at"], data=data)


def pending_keys(db: Database) -> set[str]:
    """Extraction keys in batches whose results are not stored yet (not to be sent again)."""
    marks = ",".join("?" * len(RELEASED))
    keys: set[str] = set()
    for (held,) in db.execute(
            f"select keys from batches where collected_at is null and status not in ({marks})",
            list(RELEASED)):
        keys.update(json.loads(held or "{}"))
    return keys


def collect_command(batch_id: str) -> str:
    """The ``runs.command`` of a run collecting ``batch_id``."""
    return f"batch collect {batch_id}"


def stored_by_collect(db: Database, batch_id: str, keys: list[str]) -> set[str]:
    """Of ``keys``, those a run collecting ``batch_id`` stored (ok or failed): the progress of
    a collect that was stopped half-way."""
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start:start + 500]
        found.update(key for (key,) in db.execute(
            "select e.id from extractions e join runs r on r.id = e.run_id where r.command = ? "
            f"and e.id in ({','.join('?' * len(chunk))})", [collect_command(batch_id), *chunk]))
    return found


def record_submitted(db: Database, state: BatchState, *, run_id: int, input_file_id: str,
                     keys: dict[str, str], provenance: dict[str, str]) -> None:
    stamp = now()
    with write_transaction(db):
        db.table("batches").insert({
            "id": state.id, "run_id": run_id, **provenance, "status": state.status,
            "input_file_id": input_file_id, "output_file_id": state.output_file_id,
            "error_file_id": state.error_file_id, "request_total": state.total or len(keys),
            "request_completed": state.completed, "request_failed": state.failed,
            "keys": json.dumps(keys), "stored_keys": "[]", "errors": json.dumps(state.errors),
            "created_at": stamp, "updated_at": stamp, "collected_at": None,
        })


def record_state(db: Database, state: BatchState) -> None:
    with write_transaction(db):
        db.table("batches").update(state.id, {
            "status": state.status, "output_file_id": state.output_file_id,
            "error_file_id": state.error_file_id, "request_total": state.total,
            "request_completed": state.completed, "request_failed": state.failed,
            "errors": json.dumps(state.errors), "updated_at": now()})


def record_stored(db: Database, batch_id: str, stored: list[str], *, run_id: int,
                  complete: bool) -> None:
    with write_transaction(db):
        db.table("batches").update(batch_id, {
            "stored_keys": json.dumps(sorted(stored)), "collect_run_id": run_id,
            "collected_at": now() if complete else None})


def load(db: Database, batch_id: str | None) -> list[BatchRow]:
    """The batch ``batch_id``, or (None) every batch not collected yet, oldest first."""
    if not db["batches"].exists():
        return []
    if batch_id is not None:
        rows = db.execute_returning_dicts("select * from batches where id = ?", [batch_id])
    else:
        rows = db.execute_returning_dicts(
            "select * from batches where collected_at is null order by created_at, id")
    return [_row(row) for row in rows]
