"""What the evaluation layer contributes to reading the database: what its tables and columns
mean (``tables.toml``) and its canned queries (``sql/*.sql``). Used by the browsing layer and
the generated docs/columns.md; nothing here imports them."""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable

TABLES: Traversable = files("extractor.evals") / "tables.toml"
QUERIES: Traversable = files("extractor.evals") / "sql"
