"""Bringing a database up to date: the core's migrations, then every layer's.

Layers above the core (the browsing views, the review table) add what they need to a
database: each is a callable taking the database, run inside the same write transaction after
the core's migrations. The project's own layers are named here, as ``module:function``
strings resolved when a database is written: the core never imports those layers, and a new
layer step takes effect without reinstalling the package. Outside plugins add theirs through
the ``extractor.migrations`` entry point group. This runs where the database is written
(``extractor extract``, ``extractor eval``, ``extractor migrate``), never where it is only read.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from importlib.metadata import entry_points

from sqlite_utils import Database

from extractor.store.migrations import migrations

__all__ = ["GROUP", "contributions", "upgrade"]

GROUP = "extractor.migrations"
# The project's own layers' steps, in the order they run.
OWN_LAYERS = {
    "browse": "extractor.browse.views:ensure_views",
    "review": "extractor.review.table:ensure_reviews",
}


def _resolve(reference: str) -> Callable[[Database], None]:
    module, _, name = reference.partition(":")
    step: Callable[[Database], None] = getattr(importlib.import_module(module), name)
    return step


def contributions() -> list[tuple[str, Callable[[Database], None]]]:
    """The layers' steps by name: the project's own, then outside plugins' (entry points)."""
    steps = [(name, _resolve(reference)) for name, reference in OWN_LAYERS.items()]
    steps += [(entry.name, entry.load())
              for entry in sorted(entry_points(group=GROUP), key=lambda e: e.name)
              if entry.name not in OWN_LAYERS]
    return steps


def upgrade(db: Database) -> None:
    """Apply the core's pending migrations, then each layer's step (in the caller's
    transaction)."""
    migrations.apply(db)
    for _, step in contributions():
        step(db)
