"""What the tables and columns mean, said once: each layer's ``tables.toml`` and the schema.

Every layer that adds tables describes them in a ``tables.toml`` next to its code (the core's
is :data:`CORE_TABLES`; the format is explained at its top). Columns that hold a field of a
schema record take that field's Pydantic description, the text the model reads, so the store,
the browser and the docs can never disagree with the prompt. :class:`Catalog` merges the files
of the layers a reader knows about and answers "what does this column mean".
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

from pydantic import BaseModel

from extractor.schemas import Actor, Article, CasualtyClaim, Incident

__all__ = ["CORE_TABLES", "PROVENANCE", "Catalog", "CatalogError", "Description", "TableEntry"]

CORE_TABLES: Traversable = files("extractor.store") / "tables.toml"
PROVENANCE = "provenance"  # the pseudo-table of the columns every derived record carries

# The schema records a table's columns may come from, by the name tables.toml uses.
RECORDS: dict[str, type[BaseModel]] = {
    record.__name__: record for record in (Actor, Article, CasualtyClaim, Incident)
}
# Keys of a table entry that say how it is best browsed (Datasette's table metadata).
BROWSE_KEYS = ("sort", "sort_desc", "facets", "label_column", "fts_table", "fts_pk")


@dataclass(frozen=True)
class Description:
    """What a column means; ``field`` names the schema field (``Record.field``) it is the
    description of, when it is one (the model filled the column)."""

    text: str
    field: str | None = None


class CatalogError(ValueError):
    """A tables.toml that names a record, field or column that does not exist."""


@dataclass(frozen=True)
class TableEntry:
    """One table's (or view's) entry in a layer's tables.toml."""

    name: str
    description: str
    record: type[BaseModel] | None = None
    provenance: bool = False
    columns_from: tuple[str, ...] = ()
    columns: Mapping[str, str | Mapping[str, str]] = field(default_factory=dict)
    browse: Mapping[str, Any] = field(default_factory=dict)


def _field_description(reference: str) -> str:
    """The description of ``Record.field`` in extractor.schemas."""
    record_name, _, field_name = reference.partition(".")
    record = RECORDS.get(record_name)
    info = record.model_fields.get(field_name) if record else None
    if info is None or not info.description:
        raise CatalogError(f"no described schema field {reference}")
    return info.description


def _entry(name: str, raw: Mapping[str, Any]) -> TableEntry:
    record_name = raw.get("record")
    if record_name is not None and record_name not in RECORDS:
        raise CatalogError(f"table {name}: unknown record {record_name}")
    return TableEntry(
        name=name,
        description=raw["description"],
        record=RECORDS[record_name] if record_name else None,
        provenance=bool(raw.get("provenance", False)),
        columns_from=tuple(raw.get("columns_from", ())),
        columns=raw.get("columns", {}),
        browse={key: raw[key] for key in BROWSE_KEYS if key in raw},
    )


class Catalog:
    """The merged tables.toml of some layers."""

    def __init__(self, sources: Iterable[Traversable]):
        self.tables: dict[str, TableEntry] = {}
        self.provenance: dict[str, str] = {}
        for source in sources:
            data = tomllib.loads(source.read_text(encoding="utf-8"))
            self.provenance.update(data.get(PROVENANCE, {}))
            for name, raw in data.get("tables", {}).items():
                if name in self.tables:
                    raise CatalogError(f"table {name} is described twice")
                self.tables[name] = _entry(name, raw)

    def describe(self, table: str, column: str) -> str | None:
        """What ``table.column`` means, or None when nothing says."""
        found = self.explain(table, column)
        return found.text if found else None

    def explain(self, table: str, column: str) -> Description | None:
        """What ``table.column`` means and where that is said, or None when nothing says."""
        if table == PROVENANCE:
            text = self.provenance.get(column)
            return Description(text) if text else None
        entry = self.tables.get(table)
        if entry is None:
            return None
        spec = entry.columns.get(column)
        if isinstance(spec, str):
            return Description(spec)
        spec = spec or {}
        found: Description | None
        if "field" in spec:
            found = Description(_field_description(spec["field"]), spec["field"])
        elif "same_as" in spec:
            other_table, _, other_column = spec["same_as"].partition(".")
            found = self.explain(other_table, other_column)
            if found is None:
                raise CatalogError(f"{table}.{column}: nothing describes {spec['same_as']}")
        else:
            found = self._inherited(entry, column)
        note = spec.get("note")
        if not note:
            return found
        if found is None:
            raise CatalogError(f"{table}.{column}: a note on a column nothing describes")
        return Description(f"{found.text} {note}", found.field)

    def _inherited(self, entry: TableEntry, column: str) -> Description | None:
        """A column's description from the entry's record, provenance or source tables."""
        info = entry.record.model_fields.get(column) if entry.record else None
        if entry.record is not None and info is not None and info.description:
            return Description(info.description, f"{entry.record.__name__}.{column}")
        if entry.provenance and column in self.provenance:
            return Description(self.provenance[column])
        for source in entry.columns_from:
            found = self.explain(source, column)
            if found is not None:
                return found
        return None

    def columns(self, table: str, names: Iterable[str]) -> dict[str, str]:
        """Descriptions of ``names`` (a table's actual columns, in order); undescribed left out."""
        described = {name: self.describe(table, name) for name in names}
        return {name: text for name, text in described.items() if text}
