"""Browsing the results with Datasette: metadata, views, the evidence page and ``serve``.

``create_datasette(path)`` is what ``extractor serve`` runs and what the tests exercise: it
brings the browsing views up to date, generates the metadata from the schema, and loads the
project's plugin and templates.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from extractor.browse.metadata import build_metadata
from extractor.browse.views import ensure_views

__all__ = ["PLUGINS_DIR", "TEMPLATES_DIR", "build_metadata", "create_datasette", "ensure_views",
           "prepare"]

PACKAGE_DIR = Path(__file__).resolve().parent
PLUGINS_DIR = PACKAGE_DIR / "plugins"
TEMPLATES_DIR = PACKAGE_DIR / "templates"

SETTINGS = {
    # The useful facets are configured per table (metadata.py). Suggesting others runs a query
    # per column: at 20,000 incidents that took a table page from 0.9 s to 3 s.
    "suggest_facets": False,
    # Configured facets over 20,000 incidents take about 0.4 s together.
    "facet_time_limit_ms": 500,
    "sql_time_limit_ms": 3000,
    "default_page_size": 50,
}


def database_name(path: Path | str) -> str:
    """The name Datasette gives a database file (its stem), used in URLs and metadata."""
    return Path(path).stem


def prepare(path: Path | str) -> dict[str, Any]:
    """Migrate the database at ``path``, create the browsing views, return the metadata."""
    from extractor.store.database import open_db

    db = open_db(path)
    try:
        ensure_views(db)
        return build_metadata(db, database_name(path))
    finally:
        db.close()


def create_datasette(path: Path | str, metadata: dict[str, Any] | None = None) -> Any:
    """A Datasette instance serving ``path`` with the project's metadata, plugin and
    templates."""
    from datasette.app import Datasette

    if metadata is None:
        metadata = prepare(path)
    return Datasette(
        [str(path)],
        metadata=metadata,
        plugins_dir=str(PLUGINS_DIR),
        template_dir=str(TEMPLATES_DIR),
        settings=SETTINGS,
    )
