"""Opening a database only to read it, and telling an extractor database from any other file.

A reader (``extractor serve``) must never change the file it is given: the connection is
opened with SQLite's ``mode=ro``, so no statement can write, and nothing is migrated.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from extractor.store.migrations import migrations

__all__ = ["NotAnExtractorDatabase", "check_extractor_database", "open_read_only"]


class NotAnExtractorDatabase(Exception):
    """The file is not an up-to-date extractor database; the message says what to do."""


def open_read_only(path: Path | str) -> Database:
    """``path`` opened read-only: SQLite refuses every write on this connection."""
    uri = Path(path).resolve().as_uri() + "?mode=ro"
    return Database(sqlite3.connect(uri, uri=True, check_same_thread=False))


def check_extractor_database(db: Database, path: Path | str) -> None:
    """Raise :class:`NotAnExtractorDatabase` unless ``db`` was written by extractor and has
    every core migration of this version (read-only: nothing is written)."""
    try:
        tables = set(db.table_names())
    except sqlite3.OperationalError as error:  # unreadable: permissions, a WAL file missing
        raise NotAnExtractorDatabase(f"cannot read {path} ({error})") from error
    except sqlite3.DatabaseError as error:  # a file that is not SQLite at all
        raise NotAnExtractorDatabase(f"{path} is not an SQLite database ({error})") from error
    applied = migrations.applied(db) if "_sqlite_migrations" in tables else []
    if not applied:
        raise NotAnExtractorDatabase(
            f"{path} is not an extractor database (no extractor migrations in it): give a "
            "database written by `extractor extract`")
    pending = [migration.name for migration in migrations.pending(db)]
    if pending:
        raise NotAnExtractorDatabase(
            f"{path} was written by an older extractor ({len(pending)} migration(s) pending: "
            f"{', '.join(pending)}): run `extractor migrate --db {path}` first, as serve "
            "never changes a database")
