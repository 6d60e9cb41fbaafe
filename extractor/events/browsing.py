"""What the events layer contributes to reading the database: what its tables and columns
mean (``tables.toml``, in the format of the core store's). Used by the browsing layer; nothing
here imports it."""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable

TABLES: Traversable = files("extractor.events") / "tables.toml"
