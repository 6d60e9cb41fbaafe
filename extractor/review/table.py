"""The ``reviews`` table: one row per decision of an analyst on an incident.

Created where the database is written (``extractor migrate``, ``extract``, ``eval``), through
the ``extractor.migrations`` entry point group like the browsing views; ``serve`` never
creates it, and ``serve --review`` refuses a database without it.

A review's ``action`` is ``accept``, ``reject``, ``correct`` (``patch`` holds the corrected
fields, ``before`` their extracted values) or ``add`` (an incident the model missed:
``patch`` holds the whole incident, ``incident_id`` is null). An added incident is withdrawn
by a ``reject`` whose ``incident_id`` is :func:`added_id` of the adding review. An incident's
latest review is the one that counts; earlier ones stay as its history.
"""

from __future__ import annotations

from enum import StrEnum

from sqlite_utils import Database

__all__ = ["ADDED_PREFIX", "TABLE", "Action", "added_id", "ensure_reviews", "has_reviews"]

TABLE = "reviews"


class Action(StrEnum):
    accept = "accept"
    reject = "reject"
    correct = "correct"
    add = "add"


COLUMNS = {
    "id": int,
    "incident_id": str,
    "extraction_id": str,
    "article_id": str,
    "action": str,
    "patch": str,
    "before": str,
    "note": str,
    "reviewer": str,
    "reviewed_at": str,
}


ADDED_PREFIX = "added:"


def added_id(review_id: int) -> str:
    """The id under which the incident added by review ``review_id`` is itself reviewed."""
    return f"{ADDED_PREFIX}{review_id}"


def has_reviews(db: Database) -> bool:
    """Whether ``db`` has the reviews table (read-only)."""
    return TABLE in db.table_names()


def ensure_reviews(db: Database) -> None:
    """Create the reviews table and its indexes when missing (in the caller's transaction).

    The incidents are not foreign keys: a review outlives a re-extraction that replaces them.
    """
    if has_reviews(db):
        return
    db.table(TABLE).create(COLUMNS, pk="id", not_null={"article_id", "action", "reviewer",
                                                   "reviewed_at"})
    db.table(TABLE).create_index(["incident_id", "id"])
    db.table(TABLE).create_index(["article_id"])
