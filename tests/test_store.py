"""The store: migrations, idempotent and atomic writes, provenance on every row."""

import sqlite3
from datetime import date

import pytest

from extractor.backend import BackendResult, Usage
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
    schema_hash,
)
from extractor.store.database import Store, extraction_key, open_db
from extractor.store.rows import ExtractionRecord

TEXT = ("Earlier this week, the Support Group for Islam and Muslims (GSIM) claimed they killed "
        "four Wagner mercenaries during an ambush near Bandiagara. Two local officials also "
        "confirmed the news to AFP.")


@pytest.fixture()
def article():
    return Article(id=article_id_for(TEXT), text=TEXT, published=date(2022, 1, 14))


@pytest.fixture()
def result():
    return ExtractionResult(
        incidents=[Incident(
            summary="GSIM ambushed Wagner mercenaries near Bandiagara, killing four.",
            event_type="battles", sub_event_type="armed_clash", date_text="Earlier this week",
            date_start=date(2022, 1, 10), date_end=date(2022, 1, 14), place="Bandiagara",
            country="Mali", geo_precision="near_place", perpetrators=["GSIM"],
            targets=["Wagner"], claimed_by=["GSIM"],
            casualties=[CasualtyClaim(kind="killed", count_text="four", count_min=4,
                                      count_max=4, victims="Wagner", source="GSIM")],
            sources=["AFP"],
            evidence=["claimed they killed four Wagner mercenaries during an ambush near "
                      "Bandiagara", "a sentence that is not in the article"],
        )],
        actors=[Actor(name="Support Group for Islam and Muslims", aliases=["GSIM"],
                      actor_type="rebel_group"),
                Actor(name="Wagner", actor_type="external_forces", country="Russia")],
    )


def record_for(store, article, result, run_id, ok=True):
    processed = process(article, result, ActorRegistry.load(), Gazetteer.load()) if ok else None
    outcome = BackendResult(result=result if ok else None, usage=Usage(100, 20, 120),
                            error=None if ok else "boom", error_kind=None if ok else "transport")
    key = extraction_key(article.id, "m", "p1", schema_hash(), {"temperature": 0})
    return ExtractionRecord(key, article, run_id, "m", "p1", schema_hash(), "pp", outcome,
                            processed)


def counts(store):
    tables = ["articles", "extractions", "incidents", "actors", "actor_mentions",
              "incident_actors", "casualties", "evidence"]
    return {t: store.db[t].count for t in tables}


def new_run(store):
    return store.start_run(command="extract", model="m", prompt_name="p", prompt_hash="p1",
                           schema_hash=schema_hash(), settings={"temperature": 0})


def test_migrations_create_every_table_with_foreign_keys(tmp_path):
    db = open_db(tmp_path / "x.db")
    names = set(db.table_names())
    assert {"articles", "runs", "extractions", "incidents", "actors", "incident_actors",
            "casualties", "evidence", "actor_mentions", "articles_fts",
            "incidents_fts"} <= names
    assert {fk.other_table for fk in db["incidents"].foreign_keys} == {
        "articles", "extractions", "runs"}
    assert db.execute("pragma journal_mode").fetchone()[0] == "wal"
    db.close()
    open_db(tmp_path / "x.db").close()  # re-opening applies nothing twice


def test_saving_twice_stores_nothing_twice(tmp_path, article, result):
    store = Store.open(tmp_path / "x.db")
    run = new_run(store)
    assert store.add_articles([(article, "a.txt")]) == 1
    assert store.add_articles([(article, "a.txt")]) == 0
    store.save([record_for(store, article, result, run)])
    first = counts(store)
    store.save([record_for(store, article, result, new_run(store))])
    assert counts(store) == first
    assert first["incidents"] == 1 and first["evidence"] == 2 and first["casualties"] == 1
    assert store.db.execute("pragma foreign_key_check").fetchall() == []


def test_rows_carry_provenance_and_derived_fields(tmp_path, article, result):
    store = Store.open(tmp_path / "x.db")
    run = new_run(store)
    store.add_articles([(article, "a.txt")])
    store.save([record_for(store, article, result, run)])
    row = next(store.db["incidents"].rows)
    assert (row["article_id"], row["run_id"], row["model"], row["prompt_hash"],
            row["schema_hash"]) == (article.id, run, "m", "p1", schema_hash())
    assert row["fatalities"] == 4 and row["admin1"] == "Mopti"
    assert row["latitude"] is not None and row["geo_precision_code"] == 2
    assert row["evidence_status"] == "partial"
    assert row["date_precision"] == "week"
    roles = {(r["actor_id"], r["role"]) for r in store.db["incident_actors"].rows}
    assert roles == {("jamaat-nasr-al-islam-wal-muslimin", "perpetrator"),
                     ("jamaat-nasr-al-islam-wal-muslimin", "claimed_by"),
                     ("wagner-group", "target")}
    evidence = list(store.db.query("select * from evidence order by position"))
    assert evidence[0]["alignment"] == "exact"
    assert TEXT[evidence[0]["start"]:evidence[0]["end"]] == evidence[0]["quote"]
    assert evidence[1]["alignment"] == "unaligned" and evidence[1]["start"] is None
    assert store.load_result(row["extraction_id"]) == result


def test_failed_extraction_is_replaced_by_its_retry(tmp_path, article, result):
    store = Store.open(tmp_path / "x.db")
    store.add_articles([(article, "a.txt")])
    failed = record_for(store, article, result, new_run(store), ok=False)
    store.save([failed])
    assert store.completed_keys([failed.key]) == set()
    row = store.db["extractions"].get(failed.key)
    assert (row["status"], row["error_kind"], row["total_tokens"]) == ("failed", "transport", 120)
    store.save([record_for(store, article, result, new_run(store))])
    assert store.completed_keys([failed.key]) == {failed.key}
    assert store.db["extractions"].count == 1


def test_a_batch_is_written_whole_or_not_at_all(tmp_path, article, result):
    store = Store.open(tmp_path / "x.db")
    store.add_articles([(article, "a.txt")])
    good = record_for(store, article, result, new_run(store))
    orphan_text = "Gunmen killed three people in Gao."
    orphan = Article(id=article_id_for(orphan_text), text=orphan_text)  # never added: FK fails
    bad = record_for(store, orphan, result, good.run_id)
    with pytest.raises(sqlite3.IntegrityError):
        store.save([good, bad])
    assert counts(store)["extractions"] == 0 and counts(store)["incidents"] == 0


def test_a_run_whose_process_died_is_marked_interrupted_by_the_next(tmp_path):
    import subprocess
    import sys

    store = Store.open(tmp_path / "x.db")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    orphan = new_run(store)
    store.db["runs"].update(orphan, {"pid": int(dead.stdout)})  # as if killed mid-run
    alive = new_run(store)  # this process: still running
    later = new_run(store)
    rows = {r["id"]: r for r in store.db["runs"].rows}
    assert rows[orphan]["status"] == "interrupted"
    assert "ended before the run finished" in rows[orphan]["message"]
    assert rows[alive]["status"] == "running" and rows[later]["status"] == "running"
