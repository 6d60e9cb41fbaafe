"""Canned queries: one ``.sql`` file each, next to the layer that owns the tables it reads.

A query file starts with a header of ``--`` comment lines::

    -- title: Incidents per month
    -- description: Incidents and fatalities per month ...
    --   (a description may go on over indented lines)
    -- requires: incidents

``requires`` names the tables the query reads: it is offered only when they all exist, so a
database without evaluation runs shows no evaluation queries. The query's name is the file's.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

from extractor.evals import browsing as evals_browsing
from extractor.review import browsing as review_browsing

BROWSE_QUERIES: Traversable = files("extractor.browse") / "sql" / "queries"
_HEADER = re.compile(r"^--\s?(?P<key>\w+):\s*(?P<value>.*)$")
_CONTINUED = re.compile(r"^--\s{2,}(?P<value>\S.*)$")


class QueryFileError(ValueError):
    """A canned query file without its title, description or requires line."""


@dataclass(frozen=True)
class CannedQuery:
    name: str
    title: str
    description: str
    sql: str
    requires: tuple[str, ...]  # tables that must exist for the query to be offered

    def as_metadata(self) -> dict[str, Any]:
        # The SQL stays one click away ("show"); the results come first.
        return {"title": self.title, "description": self.description, "sql": self.sql,
                "hide_sql": True}


def parse_query(name: str, text: str) -> CannedQuery:
    """A canned query from the text of its file."""
    header: dict[str, str] = {}
    last: str | None = None
    lines = text.strip().splitlines()
    body_start = len(lines)
    for index, line in enumerate(lines):
        continued = _CONTINUED.match(line)
        match = _HEADER.match(line)
        if continued and last is not None:
            header[last] += " " + continued["value"].strip()
        elif match:
            last = match["key"]
            header[last] = match["value"].strip()
        elif not line.startswith("--"):
            body_start = index
            break
    missing = [key for key in ("title", "description", "requires") if key not in header]
    if missing:
        raise QueryFileError(f"canned query {name}: no {', '.join(missing)} in its header")
    requires = tuple(t.strip() for t in header["requires"].split(",") if t.strip())
    return CannedQuery(name, header["title"], header["description"],
                       "\n".join(lines[body_start:]), requires)


def load_queries(folders: Iterable[Traversable]) -> tuple[CannedQuery, ...]:
    """The canned queries of ``folders``, by name within each folder."""
    queries: list[CannedQuery] = []
    for folder in folders:
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.name.endswith(".sql"):
                queries.append(parse_query(entry.name.removesuffix(".sql"),
                                           entry.read_text(encoding="utf-8")))
    return tuple(queries)


@functools.cache
def canned_queries() -> tuple[CannedQuery, ...]:
    """The browsing layer's canned queries, then the evaluation and review layers'."""
    return load_queries([BROWSE_QUERIES, evals_browsing.QUERIES, review_browsing.QUERIES])


def available_queries(tables: set[str]) -> dict[str, dict[str, Any]]:
    """The canned queries whose tables all exist, as Datasette metadata."""
    return {query.name: query.as_metadata() for query in canned_queries()
            if set(query.requires) <= tables}
