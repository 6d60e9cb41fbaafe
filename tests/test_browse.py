"""Browsing with Datasette: the pages, canned queries and the evidence page, exercised
in-process through Datasette's own client."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browse_sample import (
    FABRICATED,
    build_sample_db,
    get,
    get_json,
    incident_id,
)
from markupsafe import Markup

from extractor.browse import create_datasette, prepare
from extractor.browse.highlight import Span, highlight
from extractor.browse.queries import canned_queries
from extractor.store.database import open_db, write_transaction

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


def test_actor_timeline_shows_an_incident_once_with_all_its_roles(datasette: Any) -> None:
    # The Adrar Youth Front carried out the Tinzaouaten clash and claimed it.
    rows = get_json(datasette, "/incidents/actor_timeline.json?actor=Adrar&_shape=array")
    assert [(row["place"], row["actor"], row["role"]) for row in rows] == [
        ("Tinzaouaten", "Adrar Youth Front", "claimed_by, perpetrator")]
    # A search matching two actors of one incident lists it once, naming both.
    rows = get_json(datasette, "/incidents/actor_timeline.json?actor=a&_shape=array")
    assert len(rows) == len({row["incident_id"] for row in rows}) == 3
    clash = next(row for row in rows if row["place"] == "Tinzaouaten")
    assert clash["actor"] == "Adrar Youth Front, Malian Armed Forces, Wagner Group"
    assert clash["role"] == "claimed_by, perpetrator, target"


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
        data = get_json(datasette, f"/{database}/{name}.json?actor=Wagner")
        assert data["ok"] and data["columns"], name  # the query ran (rows or none)
        if data["rows"]:
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


@pytest.mark.parametrize("table", ["incident_overview", "incidents"])
def test_the_map_with_pins_by_precision_is_on_the_overview(datasette: Any, table: str) -> None:
    html = get(datasette, f"/incidents/{table}").text
    assert "extractor-pin" in html and "precision-" in html
    # the events layer reads the events query (every extractor database has the events table)
    assert '"events": "/incidents/event_overview.json?_shape=objects"' in html
    # datasette-cluster-map, whose pins all look alike, is kept off these pages
    assert "datasette-cluster-map.js" not in html
    assert "DATASETTE_CLUSTER_MAP_LATITUDE_COLUMN" not in html
    # its clustering library and the configured tiles are what the map uses
    assert "/-/static-plugins/datasette-cluster-map/leaflet.markercluster.min.js" in html


def test_the_overview_carries_the_geo_precision_code(datasette: Any) -> None:
    rows = get_json(datasette, "/incidents/incident_overview.json?_shape=array"
                               "&_col=place&_col=geo_precision_code")
    assert {(row["place"], row["geo_precision_code"]) for row in rows} == {
        ("Tinzaouaten", 2), ("Kidal", 1), ("Kidal", 2)}


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


