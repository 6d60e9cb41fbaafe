"""Datasette metadata for the incident database (Datasette 0.65 format).

Nothing here says what a table or column means: each layer does, in its ``tables.toml`` (the
core store's, the evaluation layer's, and this layer's ``views.toml`` for the views), with the
Pydantic field descriptions of ``extractor.schemas`` for the columns a model fills. This module
only puts them in the form Datasette reads, for the tables the database actually has.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

from sqlite_utils import Database

from extractor.evals import browsing as evals_browsing
from extractor.events import browsing as events_browsing
from extractor.review import browsing as review_browsing
from extractor.store.catalog import CORE_TABLES, Catalog

from .queries import available_queries

__all__ = ["DESCRIPTION", "TITLE", "build_metadata", "catalog", "table_metadata"]

TITLE = "Conflict incidents"
DESCRIPTION = (
    "Incidents of political violence extracted from news articles, each with its actors, "
    "casualty claims and the quotes that support it. Every value can be traced to its article, "
    "extraction, model and prompt."
)
BROWSE_VIEWS: Traversable = files("extractor.browse") / "views.toml"
# Tables no reader needs to see.
HIDDEN = ("_sqlite_migrations",)


@functools.cache
def catalog() -> Catalog:
    """What every table and view the browser knows of means: core, evaluation, views."""
    return Catalog([CORE_TABLES, evals_browsing.TABLES, events_browsing.TABLES,
                    review_browsing.TABLES, BROWSE_VIEWS])


def table_metadata(name: str, columns: Iterable[str]) -> dict[str, Any]:
    """Datasette's metadata of one table or view with these columns."""
    if name in HIDDEN:
        return {"hidden": True}
    entry = catalog().tables.get(name)
    if entry is None:
        return {}
    settings: dict[str, Any] = {"description": entry.description, **entry.browse}
    described = catalog().columns(name, columns)
    if described:
        settings["columns"] = described
    return settings


def build_metadata(db: Database, database_name: str) -> dict[str, Any]:
    """Datasette metadata for ``db`` served under ``database_name`` (reads only)."""
    tables = set(db.table_names())
    names = sorted(tables | set(db.view_names()))
    described = {name: table_metadata(name, db[name].columns_dict) for name in names}
    return {
        "title": TITLE,
        "description": DESCRIPTION,
        "databases": {
            database_name: {
                "description": DESCRIPTION,
                "tables": {name: settings for name, settings in described.items() if settings},
                "queries": available_queries(tables),
            }
        },
    }
