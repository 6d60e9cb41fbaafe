"""Browsing with Datasette: generated metadata, views, canned queries, the evidence page and
``extractor serve``, exercised in-process through Datasette's own client."""

from __future__ import annotations

import asyncio
import hashlib
import json
import socket
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from markupsafe import Markup

from extractor.backend import BackendResult
from extractor.browse import build_metadata, create_datasette, prepare
from extractor.browse.basemap import LOCAL_TILES
from extractor.browse.columns_doc import generate, schema_database
from extractor.browse.command import is_loopback, serve
from extractor.browse.highlight import Span, highlight
from extractor.browse.queries import QueryFileError, available_queries, canned_queries, parse_query
from extractor.browse.views import stale_views
from extractor.cli import cli as cli_main
from extractor.resolve.gazetteer import Gazetteer
from extractor.resolve.postprocess import process
from extractor.resolve.registry import ActorRegistry
from extractor.schemas import (
    Actor,
    Article,
    CasualtyClaim,
    ExtractionResult,
    Incident,
    article_id_for,
)
from extractor.store.catalog import CORE_TABLES, Catalog, CatalogError
from extractor.store.database import ExtractionRecord, Store, open_db, write_transaction

# Written for these tests. The second paragraph has markup in it, which must reach the page
# escaped.
TINZAOUATEN = (
    "BAMAKO, July 29 - Rebels of the Adrar Youth Front said on Monday that they killed 47 Malian "
    "soldiers and dozens of Wagner Group fighters in three days of fighting near Tinzaouaten, "
    "close to the Algerian border.\n\n"
    "The Malian army said two of its soldiers were killed. A spokesman called the rebel figures "
    "<script>alert('propaganda')</script> & \"lies\".\n\n"
    "In November last year, a drone strike by the Malian Armed Forces hit Kidal, killing "
    "four civilians."
)
KIDAL = (
    "GAO, June 14 - Fighters of JNIM ambushed an Africa Corps convoy near Kidal on Thursday, "
    "local officials said. Several soldiers were killed, according to the officials."
)
FAILED_TEXT = "A short dispatch that the model could not turn into records."

REPO = Path(__file__).resolve().parents[1]
FABRICATED = "The rebels captured the airport of Tinzaouaten after a long siege."


def _article(text: str, title: str, published: date) -> Article:
    return Article(id=article_id_for(text), title=title, published=published, source="Wire",
                   text=text)


def _results() -> list[tuple[Article, ExtractionResult | None]]:
    tinzaouaten = _article(TINZAOUATEN, "Rebels claim heavy losses near Tinzaouaten",
                           date(2024, 7, 29))
    kidal = _article(KIDAL, "Convoy ambushed near Kidal", date(2024, 6, 14))
    failed = _article(FAILED_TEXT, "Unreadable dispatch", date(2024, 8, 1))
    clash = Incident(
        summary="Adrar Youth Front rebels fought Malian soldiers and Wagner Group fighters near "
                "Tinzaouaten.",
        event_type="battles", sub_event_type="armed_clash",
        date_text="three days of fighting", date_start=date(2024, 7, 25),
        date_end=date(2024, 7, 27), place="Tinzaouaten", country="Mali",
        geo_precision="near_place",
        perpetrators=["Adrar Youth Front"], targets=["Malian Armed Forces", "Wagner Group"],
        claimed_by=["Adrar Youth Front"],
        casualties=[
            CasualtyClaim(kind="killed", count_text="47", count_min=47, count_max=47,
                          victims="Malian Armed Forces", source="Adrar Youth Front"),
            CasualtyClaim(kind="killed", count_text="two", count_min=2, count_max=2,
                          victims="Malian Armed Forces", source="the Malian army"),
            CasualtyClaim(kind="killed", count_text="dozens", count_min=12,
                          victims="Wagner Group", source="Adrar Youth Front"),
        ],
        sources=["Adrar Youth Front", "the Malian army"],
        evidence=[
            "they killed 47 Malian soldiers and dozens of Wagner Group fighters",
            "The Malian army said two of its soldiers were killed.",
            # Typed with a small slip: aligns fuzzily.
            "three days of fighting near Tinzaouaten, close to the Algerien border",
            FABRICATED,
        ],
    )
    background = Incident(
        summary="A Malian Armed Forces drone strike hit Kidal, killing four civilians.",
        event_type="explosions_remote_violence", sub_event_type="air_drone_strike",
        date_text="November last year", date_start=date(2023, 11, 1),
        date_end=date(2023, 11, 30), place="Kidal", country="Mali", geo_precision="place",
        perpetrators=["Malian Armed Forces"], targets=["civilians"],
        casualties=[CasualtyClaim(kind="killed", count_text="four", count_min=4, count_max=4,
                                  victims="civilians")],
        weapons=["drone"], is_background=True,
        evidence=["a drone strike by the Malian Armed Forces hit Kidal, killing four civilians"],
    )
    ambush = Incident(
        summary="JNIM fighters ambushed an Africa Corps convoy near Kidal.",
        event_type="battles", sub_event_type="armed_clash",
        date_text="Thursday", date_start=date(2024, 6, 13), date_end=date(2024, 6, 13),
        place="Kidal", country="Mali", geo_precision="near_place",
        perpetrators=["JNIM"], targets=["Africa Corps"],
        casualties=[CasualtyClaim(kind="killed", count_text="Several", count_min=3,
                                  victims="Africa Corps", source="local officials")],
        sources=["local officials"],
        evidence=["Fighters of JNIM ambushed an Africa Corps convoy near Kidal on Thursday"],
    )
    return [
        (tinzaouaten, ExtractionResult(
            incidents=[clash, background],
            actors=[Actor(name="Adrar Youth Front", actor_type="rebel_group", country="Mali"),
                    Actor(name="Malian Armed Forces", actor_type="state_forces"),
                    Actor(name="Wagner Group", actor_type="external_forces"),
                    Actor(name="civilians", actor_type="civilians")])),
        (kidal, ExtractionResult(
            incidents=[ambush],
            actors=[Actor(name="JNIM", actor_type="rebel_group"),
                    Actor(name="Africa Corps", actor_type="external_forces")])),
        (failed, None),
    ]


def build_sample_db(path: Path) -> Path:
    """A database as the pipeline writes it: three articles, three incidents, one failure."""
    store = Store(open_db(path))
    registry, gazetteer = ActorRegistry.load(), Gazetteer.load()
    run_id = store.start_run(command="test", model="test-model", prompt_name="extract",
                             prompt_hash="p", schema_hash="s", settings={})
    pairs = _results()
    store.add_articles((article, f"sample/{index}.txt")
                       for index, (article, _) in enumerate(pairs))
    records = []
    for article, result in pairs:
        if result is None:
            outcome = BackendResult(result=None, error="incidents.0.event_type: not a valid "
                                    "event type", error_kind="validation", attempts=3)
            processed = None
        else:
            outcome = BackendResult(result=result)
            processed = process(article, result, registry, gazetteer)
        records.append(ExtractionRecord(
            key=f"key{article.id[:8]}", article=article, run_id=run_id, model="test-model",
            prompt_hash="p", schema_hash="s", params_hash="h", outcome=outcome,
            processed=processed))
    store.save(records)
    store.finish_run(run_id, {"incidents": 3}, "completed")
    store.close()
    return path


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample_db(tmp_path_factory.mktemp("browse") / "incidents.db")


@pytest.fixture(scope="module")
def datasette(sample_db: Path) -> Any:
    return create_datasette(sample_db)


def get(datasette: Any, path: str) -> Any:
    async def fetch() -> Any:
        return await datasette.client.get(path)

    return asyncio.run(fetch())


def get_json(datasette: Any, path: str) -> Any:
    response = get(datasette, path)
    assert response.status_code == 200, (path, response.text[:500])
    return response.json()


def incident_id(db_path: Path, place: str, background: bool = False) -> str:
    db = open_db(db_path)
    try:
        return db.execute("select id from incidents where place = ? and is_background = ?",
                          [place, int(background)]).fetchone()[0]
    finally:
        db.close()


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


# Datasette ----------------------------------------------------------------------------------

def test_incidents_table_with_facets_and_sort(datasette: Any) -> None:
    data = get_json(datasette, "/incidents/incidents.json?_shape=objects")
    assert len(data["rows"]) == 3
    assert [row["date_start"] for row in data["rows"]] == ["2024-07-25", "2024-06-13",
                                                           "2023-11-01"]
    facets = data["facet_results"]
    for facet in ("event_type", "sub_event_type", "country", "admin1", "is_background",
                  "evidence_status"):
        assert facet in facets, facet
    statuses = {item["value"]: item["count"] for item in facets["evidence_status"]["results"]}
    assert statuses == {"verified": 2, "partial": 1}
    admin1 = {item["value"]: item["count"] for item in facets["admin1"]["results"]}
    assert admin1 == {"Kidal": 3}  # filled from the gazetteer


def test_full_text_search(datasette: Any) -> None:
    rows = get_json(datasette, "/incidents/incidents.json?_search=Tinzaouaten&_shape=array")
    assert [row["place"] for row in rows] == ["Tinzaouaten"]
    rows = get_json(datasette, "/incidents/incident_overview.json?_search=drone&_shape=array")
    assert [row["place"] for row in rows] == ["Kidal"]
    rows = get_json(datasette, "/incidents/articles.json?_search=convoy&_shape=array")
    assert [row["title"] for row in rows] == ["Convoy ambushed near Kidal"]


def test_overview_has_actors_by_role_and_coordinates(datasette: Any) -> None:
    rows = get_json(datasette, "/incidents/incident_overview.json?_shape=array"
                               "&place=Tinzaouaten")
    assert len(rows) == 1
    row = rows[0]
    assert row["perpetrators"] == "Adrar Youth Front"
    assert row["targets"] == "Malian Armed Forces, Wagner Group"
    assert row["claimed_by"] == "Adrar Youth Front"
    assert (row["admin1"], row["country"]) == ("Kidal", "Mali")
    assert row["latitude"] == pytest.approx(19.956) and row["longitude"] == pytest.approx(2.968)
    assert row["evidence_status"] == "partial"
    assert row["article_title"] == "Rebels claim heavy losses near Tinzaouaten"


def test_actor_facet_through_the_view(datasette: Any) -> None:
    data = get_json(datasette, "/incidents/incidents_by_actor.json")
    actors = {item["value"]: item["count"] for item in data["facet_results"]["actor"]["results"]}
    assert actors["Malian Armed Forces"] == 2
    assert actors["Jama'at Nasr al-Islam wal Muslimin"] == 1  # 'JNIM' resolved by the registry


def test_actor_timeline(datasette: Any) -> None:
    rows = get_json(datasette, "/incidents/actor_timeline.json?actor=Malian&_shape=array")
    assert [(row["date_start"], row["role"]) for row in rows] == [
        ("2023-11-01", "perpetrator"), ("2024-07-25", "target")]
    rows = get_json(datasette, "/incidents/actor_timeline.json?actor=JNIM&_shape=array")
    assert [row["actor"] for row in rows] == ["Jama'at Nasr al-Islam wal Muslimin"]
    assert get_json(datasette, "/incidents/actor_timeline.json?actor=&_shape=array") == []


def test_incidents_per_month_and_region(datasette: Any) -> None:
    months = get_json(datasette, "/incidents/incidents_per_month.json?_shape=array")
    assert [(r["month"], r["reported"], r["background"]) for r in months] == [
        ("2023-11", 0, 1), ("2024-06", 1, 0), ("2024-07", 1, 0)]
    regions = get_json(datasette, "/incidents/incidents_per_region.json?_shape=array")
    assert [(r["country"], r["admin1"], r["incidents"]) for r in regions] == [
        ("Mali", "Kidal", 3)]


def test_conflicting_casualty_claims(datasette: Any, sample_db: Path) -> None:
    rows = get_json(datasette, "/incidents/conflicting_casualty_claims.json?_shape=array")
    assert len(rows) == 1  # the Wagner figure has one source; the ambush's, one claim
    row = rows[0]
    assert row["incident_id"] == incident_id(sample_db, "Tinzaouaten")
    assert (row["kind"], row["claims"], row["lowest"], row["highest"]) == ("killed", 2, 2, 47)
    assert sorted(row["figures"].split(" | ")) == ["Adrar Youth Front: 47", "the Malian army: two"]


def test_quotes_not_found(datasette: Any) -> None:
    rows = get_json(datasette, "/incidents/quotes_not_found.json?_shape=array")
    assert [(r["evidence_status"], r["quotes"], r["not_found"], r["fuzzy"]) for r in rows] == [
        ("partial", 4, 1, 1)]


def test_failed_extractions(datasette: Any) -> None:
    rows = get_json(datasette, "/incidents/failed_extractions.json?_shape=array")
    assert [(r["error_kind"], r["article_title"], r["attempts"]) for r in rows] == [
        ("validation", "Unreadable dispatch", 3)]
    assert "not a valid event type" in rows[0]["error"]


def test_actors_not_in_registry(datasette: Any) -> None:
    rows = get_json(datasette, "/incidents/actors_not_in_registry.json?_shape=array")
    assert ("Adrar Youth Front", 1) in [(r["name"], r["incidents"]) for r in rows]
    assert "Wagner Group" not in [r["name"] for r in rows]


def assert_query_pages_render(datasette: Any, database: str, names: list[str]) -> None:
    for name in names:
        response = get(datasette, f"/{database}/{name}?actor=Wagner")
        assert response.status_code == 200, name
        assert '<table class="rows-and-columns">' in response.text, name


def test_every_canned_query_page_renders(datasette: Any, sample_db: Path) -> None:
    offered = prepare(sample_db)["databases"]["incidents"]["queries"]
    assert set(offered) == {q.name for q in canned_queries() if "eval_runs" not in q.requires}
    assert_query_pages_render(datasette, "incidents", list(offered))


def test_labels_for_actors_and_articles(datasette: Any) -> None:
    html = get(datasette, "/incidents/incident_actors").text
    assert "Wagner Group" in html and "Africa Corps" in html
    data = get_json(datasette, "/incidents/incidents.json?_labels=on&_shape=array")
    titles = {row["article_id"]["label"] for row in data}
    assert "Convoy ambushed near Kidal" in titles


def test_incident_rows_link_to_the_evidence_page(datasette: Any, sample_db: Path) -> None:
    clash = incident_id(sample_db, "Tinzaouaten")
    for path in ("/incidents/incidents", "/incidents/incident_overview",
                 "/incidents/quotes_not_found", f"/incidents/incidents/{clash}"):
        html = get(datasette, path).text
        assert f'href="/-/incident/{clash}"' in html, path
    html = get(datasette, "/incidents/evidence").text
    assert f'href="/-/incident/{clash}#evidence-2"' in html


def test_the_map_is_on_the_overview(datasette: Any) -> None:
    html = get(datasette, "/incidents/incident_overview").text
    assert "datasette-cluster-map.js" in html
    assert 'DATASETTE_CLUSTER_MAP_LATITUDE_COLUMN = "latitude"' in html


def test_the_map_draws_the_bundled_basemap_from_this_server(datasette: Any) -> None:
    html = get(datasette, "/incidents/incident_overview").text
    assert f"window.DATASETTE_CLUSTER_MAP_TILE_LAYER = {json.dumps(LOCAL_TILES)};" in html
    assert "openstreetmap.org/{z}" not in html and "{s}.tile" not in html
    tile = get(datasette, "/-/tiles/basemap/0/0/0.png")
    assert tile.status_code == 200 and tile.headers["content-type"] == "image/png"
    assert tile.content.startswith(b"\x89PNG") and len(tile.content) > 1000
    # Mali at zoom 6 is in the package; zoom 7 is not (Leaflet enlarges zoom 6 there).
    assert get(datasette, "/-/tiles/basemap/6/31/29.png").status_code == 200
    # The basemap's own database is not browsable, and not listed.
    assert get(datasette, "/basemap").status_code == 403
    assert "basemap" not in get(datasette, "/").text


def test_the_map_can_use_another_tile_server(sample_db: Path) -> None:
    url = "http://127.0.0.1:9/tiles/{z}/{x}/{y}.png"
    served = create_datasette(sample_db, prepare(sample_db, url, "Local tiles"))
    html = get(served, "/incidents/incident_overview").text
    assert f"window.DATASETTE_CLUSTER_MAP_TILE_LAYER = {json.dumps(url)};" in html
    assert '"attribution": "Local tiles"' in html


def test_serve_refuses_a_tile_url_without_placeholders(sample_db: Path) -> None:
    result = CliRunner().invoke(serve, ["--db", str(sample_db), "--tiles",
                                        "http://127.0.0.1:9/tiles.png"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: --tiles http://127.0.0.1:9/tiles.png: the URL needs {z}, {x}, {y} (e.g. "
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png)"]


# evaluation tables --------------------------------------------------------------------------

def add_eval_runs(path: Path) -> None:
    """Two evaluations as the harness stores them: run 2 gets the date of one article right."""
    from extractor.evals.store import eval_migrations

    db = open_db(path)
    with write_transaction(db):
        eval_migrations.apply(db)
        for run_id, f1, date_score in ((1, 0.5, 0.0), (2, 0.75, 1.0)):
            db["eval_runs"].insert({"id": run_id, "model": f"model-{run_id}",
                                    "prompt_hash": f"p{run_id}", "incidents_f1": f1})
            db["eval_scores"].insert_all([
                {"eval_run_id": run_id, "field": "incidents.f1", "score": f1,
                 "numerator": f1 * 4, "denominator": 4},
                {"eval_run_id": run_id, "field": "date", "score": date_score,
                 "numerator": date_score, "denominator": 1},
            ])
            db["eval_articles"].insert({"eval_run_id": run_id, "article_id": "a1",
                                        "title": "Gold article one"})
            db["eval_article_scores"].insert_all([
                {"eval_run_id": run_id, "article_id": "a1", "field": "date",
                 "score": date_score},
                {"eval_run_id": run_id, "article_id": "a1", "field": "place", "score": 1.0},
            ])
            db["eval_pairs"].insert_all([
                {"id": f"{run_id}-0", "eval_run_id": run_id, "article_id": "a1",
                 "status": "paired", "gold_summary": "gold 0", "pred_summary": "pred 0"},
                {"id": f"{run_id}-1", "eval_run_id": run_id, "article_id": "a1",
                 "status": "missed", "gold_summary": f"gold missed by {run_id}",
                 "reason": "below threshold"},
            ])
    db.close()


@pytest.fixture(scope="module")
def eval_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample_db(tmp_path_factory.mktemp("browse-evals") / "evals.db")


def test_eval_queries_appear_once_the_eval_tables_exist(eval_db: Path) -> None:
    datasette = create_datasette(eval_db)
    assert get(datasette, "/evals/eval_runs_compared.json").status_code == 404
    add_eval_runs(eval_db)
    # The same server, without a restart.
    rows = get_json(datasette, "/evals/eval_runs_compared.json?_shape=array")
    assert [(r["field"], r["run_a"], r["score_a"], r["run_b"], r["score_b"], r["change"])
            for r in rows] == [("date", 1, 0.0, 2, 1.0, 1.0),
                               ("incidents.f1", 1, 0.5, 2, 0.75, 0.25)]
    assert rows[1]["counts_a"] == "2 / 4" and rows[1]["model_prompt_b"] == "model-2 p2"
    rows = get_json(datasette, "/evals/eval_runs_compared.json?_shape=array&run_a=2&run_b=1")
    assert [r["change"] for r in rows] == [-1.0, -0.25]
    rows = get_json(datasette, "/evals/eval_article_changes.json?_shape=array")
    assert [(r["article_id"], r["title"], r["field"], r["change"]) for r in rows] == [
        ("a1", "Gold article one", "date", 1.0)]
    rows = get_json(datasette, "/evals/eval_unpaired_incidents.json?_shape=array")
    assert [(r["status"], r["gold_summary"]) for r in rows] == [("missed", "gold missed by 2")]
    rows = get_json(datasette, "/evals/eval_unpaired_incidents.json?_shape=array&run=1")
    assert [r["gold_summary"] for r in rows] == ["gold missed by 1"]
    offered = prepare(eval_db)["databases"]["evals"]["queries"]
    assert set(offered) == {q.name for q in canned_queries()}
    assert_query_pages_render(datasette, "evals", list(offered))


# the evidence page --------------------------------------------------------------------------

def test_evidence_page_highlights_aligned_quotes(datasette: Any, sample_db: Path) -> None:
    response = get(datasette, f"/-/incident/{incident_id(sample_db, 'Tinzaouaten')}")
    assert response.status_code == 200
    html = response.text
    assert ('<mark class="evidence exact" data-evidence="1" title="evidence 1: exact match">'
            "they killed 47 Malian soldiers and dozens of Wagner Group fighters</mark>") in html
    assert ('data-evidence="2" title="evidence 2: exact match">The Malian army said two of its '
            "soldiers were killed.</mark>") in html
    assert 'id="evidence-3"' in html and 'class="evidence fuzzy"' in html
    # The article's own markup is shown as text, never run.
    assert "&lt;script&gt;alert(&#39;propaganda&#39;)&lt;/script&gt; &amp; &#34;lies&#34;" in html
    assert "<script>alert(" not in html


def test_evidence_page_lists_unaligned_quotes_apart(datasette: Any, sample_db: Path) -> None:
    html = get(datasette, f"/-/incident/{incident_id(sample_db, 'Tinzaouaten')}").text
    section = html.split('<section class="not-found">')[1].split("</section>")[0]
    assert "not found in the article" in section
    assert FABRICATED in section
    article = html.split('<div class="article-text">')[1]
    assert FABRICATED not in article
    assert html.count("<mark class=\"evidence") == 3 + 2  # three quotes, two in the legend


def test_evidence_page_of_a_verified_incident(datasette: Any, sample_db: Path) -> None:
    html = get(datasette, f"/-/incident/{incident_id(sample_db, 'Kidal')}").text
    assert 'class="not-found"' not in html
    assert "verified: 1 of 1 quote found in the article" in html
    assert ">Jama&#39;at Nasr al-Islam wal Muslimin</a>" in html


def test_evidence_page_says_what_the_status_means(datasette: Any, sample_db: Path) -> None:
    html = get(datasette, f"/-/incident/{incident_id(sample_db, 'Tinzaouaten')}").text
    meaning = html.split('<p class="evidence-status-meaning">')[1].split("</p>")[0]
    assert 'What "partial" means:' in meaning
    assert "does not check the facts against\nother sources" in meaning


def test_evidence_page_of_an_unknown_incident(datasette: Any) -> None:
    assert get(datasette, "/-/incident/nope").status_code == 404


# highlighting -------------------------------------------------------------------------------

def test_highlight_escapes_and_marks() -> None:
    out = highlight("a <b> & c", [Span(1, 2, 5, "exact")])
    assert isinstance(out, Markup)
    assert out == ('a <span class="evidence-anchor" id="evidence-1"></span>'
                   '<mark class="evidence exact" data-evidence="1" '
                   'title="evidence 1: exact match">&lt;b&gt;</mark> &amp; c')


def test_highlight_overlapping_spans() -> None:
    out = highlight("abcdef", [Span(1, 0, 4, "exact"), Span(2, 2, 6, "fuzzy", 90.0)])
    marks = [part.split(">", 1)[1] for part in out.split("<mark")[1:]]
    assert [m.split("</mark>")[0] for m in marks] == ["ab", "cd", "ef"]
    assert 'class="evidence exact fuzzy overlap" data-evidence="1 2"' in out
    assert "evidence 2: fuzzy match, score 90" in out


def test_highlight_ignores_offsets_outside_the_text() -> None:
    assert highlight("abc", [Span(1, 2, 9, "exact"), Span(2, 3, 3, "exact")]) == "abc"


# the command --------------------------------------------------------------------------------

def test_serve_is_a_command_of_the_cli() -> None:
    from extractor.cli import cli

    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0, result.output
    assert "--db" in result.output and "--open / --no-open" in result.output


def test_serve_without_a_database_says_what_to_do(tmp_path: Path) -> None:
    result = CliRunner().invoke(serve, ["--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1
    assert "run `extractor extract" in result.output
    assert "Traceback" not in result.output


def test_serve_on_a_port_in_use(sample_db: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(serve, ["--db", str(sample_db), "--port", str(port)])
    assert result.exit_code == 1
    assert f"Port {port} on 127.0.0.1 is in use" in result.output


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def unrelated_sqlite(path: Path) -> Path:
    """Someone else's SQLite file: one table, rollback journal."""
    with sqlite3.connect(path) as conn:
        conn.execute("create table notes (id integer primary key, text text)")
        conn.execute("insert into notes (text) values ('mine')")
    conn.close()
    return path


def test_serve_on_a_file_that_is_not_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("not a database")
    before = digest(path)
    result = CliRunner().invoke(serve, ["--db", str(path)])
    assert result.exit_code == 1
    assert "is not an SQLite database" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert digest(path) == before


def test_serve_refuses_an_unrelated_sqlite_file_and_leaves_it_unchanged(tmp_path: Path) -> None:
    path = unrelated_sqlite(tmp_path / "other.db")
    before = digest(path)
    result = CliRunner().invoke(serve, ["--db", str(path)])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: {path} is not an extractor database (no extractor migrations in it): give a "
        "database written by `extractor extract`; the file is left as it was."]
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]  # no -wal, no -journal
    with sqlite3.connect(path) as conn:
        assert conn.execute("pragma journal_mode").fetchone()[0] == "delete"
    conn.close()


def test_serve_asks_for_migrate_on_an_older_database(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = open_db(path)
    with write_transaction(db):
        db.execute("delete from _sqlite_migrations where name = 'm004_run_process'")
        db.execute("drop view incident_overview")
    db.close()
    before = digest(path)
    result = CliRunner().invoke(serve, ["--db", str(path)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "m004_run_process" in result.output
    assert f"run `extractor migrate --db {path}` first" in result.output
    assert digest(path) == before


def test_serve_asks_for_migrate_when_the_views_are_missing(tmp_path: Path) -> None:
    path = tmp_path / "views.db"
    db = open_db(path)
    db.execute("drop view incidents_by_actor")
    db.close()
    before = digest(path)
    result = CliRunner().invoke(serve, ["--db", str(path)])
    assert result.exit_code == 1
    assert "lacks the current browsing views (incidents_by_actor)" in result.output
    assert digest(path) == before
    migrated = CliRunner().invoke(cli_main, ["migrate", "--db", str(path)])
    assert migrated.exit_code == 0, migrated.output
    assert "up to date" in migrated.output
    assert "incident_overview" in prepare(path)["databases"]["views"]["tables"]


def test_migrate_refuses_an_unrelated_sqlite_file(tmp_path: Path) -> None:
    path = unrelated_sqlite(tmp_path / "other.db")
    before = digest(path)
    result = CliRunner().invoke(cli_main, ["migrate", "--db", str(path)])
    assert result.exit_code == 1
    assert "is not an extractor database" in result.output and "left unchanged" in result.output
    assert digest(path) == before


def test_serving_never_changes_the_database(sample_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "served.db"
    path.write_bytes(sample_db.read_bytes())
    before = digest(path)
    datasette = create_datasette(path)
    for page in ("/served/incidents", "/served/incident_overview.json", "/served/actors",
                 f"/-/incident/{incident_id(path, 'Kidal')}", "/served/failed_extractions"):
        assert get(datasette, page).status_code == 200, page
    assert digest(path) == before


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_writes_are_refused_without_a_traceback(datasette: Any, method: str) -> None:
    async def send() -> Any:
        return await datasette.client.request(method, "/incidents/incidents",
                                              data={"id": "x"})

    response = asyncio.run(send())
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD, OPTIONS"
    assert response.text == "This server is read-only: it answers GET and HEAD requests only.\n"


@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("127.8.0.1", True), ("::1", True), ("[::1]", True),
    ("localhost", True), ("0.0.0.0", False), ("::", False), ("192.0.2.1", False)])
def test_loopback_hosts(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_serve_warns_when_the_host_is_not_loopback(sample_db: Path) -> None:
    # 192.0.2.1 (TEST-NET-1) is no address of this machine: the warning comes, then the
    # refusal to listen there, and no server starts.
    result = CliRunner().invoke(serve, ["--db", str(sample_db), "--host", "192.0.2.1"])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("Warning: --host 192.0.2.1 serves ")
    assert "without a password" in lines[0]
    assert lines[1].startswith("Error: Cannot listen on 192.0.2.1:8001")


def test_metadata_is_json_serialisable(sample_db: Path) -> None:
    db = open_db(sample_db)
    metadata = build_metadata(db, "incidents")
    db.close()
    assert json.loads(json.dumps(metadata)) == metadata
