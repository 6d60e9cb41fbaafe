"""What the events layer contributes to reading the database: what its tables and columns
mean (``tables.toml``, in the format of the core store's). Used by the browsing layer; nothing
here imports it."""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable

TABLES: Traversable = files("extractor.events") / "tables.toml"

# The column this layer adds to the core's incidents table (migration m007_events).
INCIDENT_COLUMNS = {
    "event_id": "The event this incident reports (events.id): incidents of different articles "
                "that report the same event share it.",
}
