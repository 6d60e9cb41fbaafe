"""Bringing a database up to date: the core's migrations, then every installed layer's.

Layers above the core (the browsing views) add what they need to a database through the
``extractor.migrations`` entry point group: each entry is a callable taking the database, run
inside the same write transaction after the core's migrations. The core finds them by name and
never imports those layers. This runs where the database is written (``extractor extract``,
``extractor eval``, ``extractor migrate``), never where it is only read.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import entry_points

from sqlite_utils import Database

from extractor.store.migrations import migrations

__all__ = ["GROUP", "contributions", "upgrade"]

GROUP = "extractor.migrations"


def contributions() -> list[tuple[str, Callable[[Database], None]]]:
    """The installed layers' steps, by entry point name."""
    return [(entry.name, entry.load())
            for entry in sorted(entry_points(group=GROUP), key=lambda e: e.name)]


def upgrade(db: Database) -> None:
    """Apply the core's pending migrations, then each layer's step (in the caller's
    transaction)."""
    migrations.apply(db)
    for _, step in contributions():
        step(db)
