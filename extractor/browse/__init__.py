"""Browsing the results with Datasette: metadata, views, the evidence page and ``serve``.

``create_datasette(path)`` is what ``extractor serve`` runs and what the tests exercise. It
only reads: :func:`prepare` opens the file read-only, refuses anything but an up-to-date
extractor database, and builds the metadata; Datasette reads through ``mode=ro`` connections,
and the ``read_only`` plugin answers every request that could write with 405.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from extractor.browse.basemap import map_metadata
from extractor.browse.metadata import build_metadata
from extractor.browse.overview_map import without_cluster_map
from extractor.browse.views import ensure_views, stale_views
from extractor.review.table import has_reviews
from extractor.store.readonly import (
    NotAnExtractorDatabase,
    check_extractor_database,
    open_read_only,
)

__all__ = ["PLUGINS_DIR", "SETTINGS", "TEMPLATES_DIR", "NotAnExtractorDatabase",
           "build_metadata", "create_datasette", "database_name", "ensure_views", "prepare",
           "with_review"]

PACKAGE_DIR = Path(__file__).resolve().parent
PLUGINS_DIR = PACKAGE_DIR / "plugins"
TEMPLATES_DIR = PACKAGE_DIR / "templates"

SETTINGS = {
    # The useful facets are configured per table (tables.toml). Suggesting others runs a query
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


def prepare(path: Path | str, tiles: str | None = None,
            tiles_attribution: str | None = None) -> dict[str, Any]:
    """The metadata of the extractor database at ``path``, read without changing it, with the
    map drawing ``tiles`` (a tile URL template; by default the bundled basemap).

    Raises :class:`NotAnExtractorDatabase` (a one-line message saying what to do) for a file
    that is not SQLite, not an extractor database, or older than this version.
    """
    db = open_read_only(path)
    try:
        check_extractor_database(db, path)
        stale = stale_views(db)
        if stale:
            raise NotAnExtractorDatabase(
                f"{path} lacks the current browsing views ({', '.join(stale)}): run "
                f"`extractor migrate --db {path}` first, as serve never changes a database")
        metadata = build_metadata(db, database_name(path))
    finally:
        db.close()
    map_settings = map_metadata(tiles, tiles_attribution)
    databases = {name: {**settings, "tables": without_cluster_map(settings.get("tables", {}))}
                 for name, settings in metadata["databases"].items()}
    return {**metadata, "plugins": map_settings["plugins"],
            "databases": {**databases, **map_settings["databases"]}}


def with_review(metadata: dict[str, Any], path: Path | str, reviewer: str) -> dict[str, Any]:
    """``metadata`` with review mode on for ``reviewer`` (``serve --review``).

    Raises :class:`NotAnExtractorDatabase` when the database has no reviews table: serve
    never creates it (``extractor migrate`` does).
    """
    from extractor.browse.review import PLUGIN

    db = open_read_only(path)
    try:
        if not has_reviews(db):
            raise NotAnExtractorDatabase(
                f"{path} has no reviews table: run `extractor migrate --db {path}` first, as "
                "serve never changes a database (with --review it only adds reviews)")
    finally:
        db.close()
    plugins = {**metadata.get("plugins", {}),
               PLUGIN: {"reviewer": reviewer}}
    return {**metadata, "plugins": plugins}


def create_datasette(path: Path | str, metadata: dict[str, Any] | None = None) -> Any:
    """A Datasette instance serving ``path`` read-only with the project's metadata (by
    default :func:`prepare`'s), plugins and templates."""
    from datasette.app import Datasette

    return Datasette(
        [str(path)],
        metadata=prepare(path) if metadata is None else metadata,
        plugins_dir=str(PLUGINS_DIR),
        template_dir=str(TEMPLATES_DIR),
        settings=SETTINGS,
    )
