"""What the columns mean, said once: the schema's field descriptions and each layer's
tables.toml, in the metadata and in the generated docs/columns.md; SQL in files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from browse_sample import (
    REPO,
)

from extractor.browse import build_metadata, prepare
from extractor.browse.columns_doc import generate, schema_database
from extractor.browse.queries import QueryFileError, available_queries, canned_queries, parse_query
from extractor.browse.views import stale_views
from extractor.schemas import Actor, CasualtyClaim, Incident
from extractor.store.catalog import CORE_TABLES, Catalog, CatalogError
from extractor.store.database import open_db

# metadata ------------------------------------------------------------------------------------

def test_column_descriptions_come_from_the_schema(sample_db: Path) -> None:
    tables = prepare(sample_db)["databases"]["incidents"]["tables"]
    incidents = tables["incidents"]["columns"]
    for field in ("summary", "event_type", "sub_event_type", "date_start", "place",
                  "geo_precision", "is_background"):
        assert incidents[field] == Incident.model_fields[field].description
    assert incidents["admin1"].startswith(Incident.model_fields["admin1"].description)
    assert tables["casualties"]["columns"]["count_min"] == \
        CasualtyClaim.model_fields["count_min"].description
    assert tables["actors"]["columns"]["actor_type"] == Actor.model_fields["actor_type"].description
    assert tables["evidence"]["columns"]["quote"] == Incident.model_fields["evidence"].description
    overview = tables["incident_overview"]["columns"]
    assert overview["perpetrators"].startswith(Incident.model_fields["perpetrators"].description)
    assert overview["summary"] == Incident.model_fields["summary"].description


def test_a_changed_schema_description_changes_the_metadata(
        sample_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Incident.model_fields["summary"], "description", "Changed in the schema.")
    monkeypatch.setattr(CasualtyClaim.model_fields["victims"], "description", "Whose, changed.")
    tables = prepare(sample_db)["databases"]["incidents"]["tables"]
    assert tables["incidents"]["columns"]["summary"] == "Changed in the schema."
    assert tables["incident_overview"]["columns"]["summary"] == "Changed in the schema."
    assert tables["casualties"]["columns"]["victims"] == "Whose, changed."


def test_every_column_is_described() -> None:
    """A column added by a migration (core, evals) or a view without a description fails."""
    db = schema_database()
    tables = build_metadata(db, "schema")["databases"]["schema"]["tables"]
    missing = {name: sorted(set(db[name].columns_dict) - set(tables[name].get("columns", {})))
               for name in tables if not tables[name].get("hidden")}
    db.close()
    assert {"incidents", "eval_pairs", "incident_overview"} <= set(tables)
    assert {name: cols for name, cols in missing.items() if cols} == {}


def test_docs_columns_md_is_generated_from_the_descriptions() -> None:
    committed = (REPO / "docs" / "columns.md").read_text(encoding="utf-8")
    assert committed == generate(), "docs/columns.md is stale: run `make columns`"


def test_the_docs_name_the_schema_field_a_column_comes_from() -> None:
    text = generate()
    quote = Incident.model_fields["evidence"].description
    assert f"| `quote` | {quote} | `Incident.evidence` |" in text
    assert "| `score` | Alignment score, 0 to 100. |  |" in text


def test_catalog_rejects_what_does_not_exist(tmp_path: Path) -> None:
    def load(text: str) -> Catalog:
        path = tmp_path / "tables.toml"
        path.write_text(text)
        return Catalog([CORE_TABLES, path])

    with pytest.raises(CatalogError, match="unknown record Nope"):
        load('[tables.t]\ndescription = "x"\nrecord = "Nope"\n')
    with pytest.raises(CatalogError, match="described twice"):
        load('[tables.incidents]\ndescription = "again"\n')
    bad_field = load('[tables.t]\ndescription = "x"\ncolumns.c = { field = "Incident.nope" }\n')
    with pytest.raises(CatalogError, match=r"no described schema field Incident\.nope"):
        bad_field.describe("t", "c")
    bad_note = load('[tables.t]\ndescription = "x"\ncolumns.c = { note = "Stored." }\n')
    with pytest.raises(CatalogError, match="a note on a column nothing describes"):
        bad_note.describe("t", "c")
    assert bad_note.describe("t", "other") is None


def test_a_query_file_needs_its_header() -> None:
    query = parse_query("q", "-- title: T\n-- description: one\n--   two\n-- requires: a, b\n"
                             "select 1\n")
    assert (query.title, query.description, query.requires, query.sql) == (
        "T", "one two", ("a", "b"), "select 1")
    with pytest.raises(QueryFileError, match="canned query q: no requires"):
        parse_query("q", "-- title: T\n-- description: d\nselect 1\n")


def test_the_core_never_imports_the_layers_above_it() -> None:
    for folder in ("store", "schemas", "resolve", "intake", "model", "baseline"):
        for path in (REPO / "extractor" / folder).glob("*.py"):
            text = path.read_text(encoding="utf-8")
            assert "extractor.browse" not in text and "extractor.evals" not in text, path


def test_views_are_created_where_the_database_is_written(tmp_path: Path) -> None:
    """open_db (extract, eval, migrate) creates the views through the entry point group; a
    view changed in its file is replaced on the next write, and only then."""
    db = open_db(tmp_path / "empty.db")
    assert {"incident_overview", "incidents_by_actor"} <= set(db.view_names())
    assert stale_views(db) == []
    assert list(db.query("select * from incident_overview")) == []
    db.execute("drop view incidents_by_actor")
    db.execute("create view incidents_by_actor as select 1 as old")
    assert stale_views(db) == ["incidents_by_actor"]
    db.close()
    db = open_db(tmp_path / "empty.db")
    assert stale_views(db) == []
    assert "actor" in db["incidents_by_actor"].columns_dict
    db.close()


def test_queries_needing_missing_tables_are_not_offered() -> None:
    core = {"incidents", "incident_actors", "actors", "casualties", "evidence", "articles",
            "extractions"}
    offered = available_queries(core)
    assert set(offered) == {q.name for q in canned_queries() if set(q.requires) <= core}
    assert available_queries({"articles"}) == {}
    needing_more = [q.name for q in canned_queries() if not set(q.requires) <= core]
    for name in needing_more:
        assert name not in offered


def test_metadata_is_json_serialisable(sample_db: Path) -> None:
    db = open_db(sample_db)
    metadata = build_metadata(db, "incidents")
    db.close()
    assert json.loads(json.dumps(metadata)) == metadata
