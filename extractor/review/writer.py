"""Writing reviews: the one connection of ``serve --review`` that may write, and only there.

The connection is opened on the database file apart from Datasette's read-only ones, and an
SQLite authorizer denies it every write outside the ``reviews`` table (and every schema
change), so a fault in a review page can never touch an extracted row.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extractor.vocabulary import now

from .table import TABLE, Action

__all__ = ["Review", "ReviewWriter", "connect"]

_WRITES = {sqlite3.SQLITE_INSERT, sqlite3.SQLITE_UPDATE, sqlite3.SQLITE_DELETE}
_ALLOWED_READS = {sqlite3.SQLITE_READ, sqlite3.SQLITE_SELECT, sqlite3.SQLITE_TRANSACTION,
                  sqlite3.SQLITE_FUNCTION, sqlite3.SQLITE_PRAGMA}


def _only_reviews(action: int, table: str | None, *_: Any) -> int:
    if action in _WRITES:
        return sqlite3.SQLITE_OK if table == TABLE else sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK if action in _ALLOWED_READS else sqlite3.SQLITE_DENY


def connect(path: Path | str) -> sqlite3.Connection:
    """A connection to ``path`` that may write the reviews table and nothing else."""
    conn = sqlite3.connect(str(path), check_same_thread=False, timeout=10)
    conn.set_authorizer(_only_reviews)
    return conn


@dataclass(frozen=True)
class Review:
    """One decision of an analyst, as stored."""

    action: Action
    article_id: str
    reviewer: str
    incident_id: str | None = None
    extraction_id: str | None = None
    patch: dict[str, Any] | None = None
    before: dict[str, Any] | None = None
    note: str | None = None


class ReviewWriter:
    """Appends reviews to the database at ``path``; writes nothing else."""

    def __init__(self, path: Path | str):
        self._lock = threading.Lock()
        self._conn = connect(path)

    def add(self, review: Review) -> int:
        """Store ``review``; return its id."""
        row = (review.incident_id, review.extraction_id, review.article_id,
               review.action.value,
               None if review.patch is None else json.dumps(review.patch, ensure_ascii=False),
               None if review.before is None else json.dumps(review.before, ensure_ascii=False),
               review.note, review.reviewer, now())
        with self._lock, self._conn:
            cursor = self._conn.execute(
                f"insert into {TABLE} (incident_id, extraction_id, article_id, action, patch, "
                "before, note, reviewer, reviewed_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
        return int(cursor.lastrowid or 0)

    def close(self) -> None:
        self._conn.close()
