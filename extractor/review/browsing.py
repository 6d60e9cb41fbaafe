"""What the review layer contributes to reading the database: what its table and columns
mean (``tables.toml``) and its canned queries (``sql/*.sql``: the review queue). Used by the
browsing layer and the generated docs/columns.md; nothing here imports them."""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable

TABLES: Traversable = files("extractor.review") / "tables.toml"
QUERIES: Traversable = files("extractor.review") / "sql"
