"""The browsing views, one ``.sql`` file each in ``sql/views/``, kept equal to those files.

A view holds no data, so it needs no migration history: :func:`ensure_views` (re)creates each
view whose stored definition differs from its file, and drops nothing else. It runs where the
database is written, never where it is served: ``extractor extract`` and ``extractor migrate``
call it through the ``extractor.migrations`` entry point group (the store never imports this
layer), and ``extractor serve`` only reads (:func:`stale_views` says what is out of date).
"""

from __future__ import annotations

import functools
from importlib.resources import files
from importlib.resources.abc import Traversable

from sqlite_utils import Database

__all__ = ["VIEWS", "ensure_views", "stale_views", "view_definitions"]

VIEWS: Traversable = files("extractor.browse") / "sql" / "views"


def _body(text: str) -> str:
    """A view file's query: its leading comment lines are documentation, not stored."""
    lines = text.strip().splitlines()
    while lines and lines[0].startswith("--"):
        lines.pop(0)
    return "\n".join(lines).strip()


@functools.cache
def view_definitions() -> dict[str, str]:
    """View name -> the ``CREATE VIEW`` statement of its file, as SQLite stores it."""
    return {
        entry.name.removesuffix(".sql"):
            f'CREATE VIEW "{entry.name.removesuffix(".sql")}" AS\n'
            f"{_body(entry.read_text(encoding='utf-8'))}"
        for entry in sorted(VIEWS.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".sql")
    }


def stale_views(db: Database) -> list[str]:
    """The views missing from ``db`` or defined differently from their files (read-only)."""
    stored = dict(db.execute("select name, sql from sqlite_master where type = 'view'"))
    return [name for name, sql in view_definitions().items() if stored.get(name) != sql]


def ensure_views(db: Database) -> None:
    """Create or replace the views of ``db`` that differ from their files.

    Called inside the caller's write transaction (the store's ``open_db``).
    """
    for name in stale_views(db):
        db.execute(f'DROP VIEW IF EXISTS "{name}"')
        db.execute(view_definitions()[name])
