"""The evaluation tables: migrations, batch loading of stored predictions, speed."""

from __future__ import annotations

import pytest
from eval_cases import abduction, actors, ambush, bombing, gold_record

from extractor.evals.evaluate import evaluate
from extractor.evals.metrics import paired_bootstrap
from extractor.evals.scorers import FIELDS
from extractor.evals.store import EvalStore, eval_migrations
from extractor.resolve.gazetteer import Gazetteer
from extractor.resolve.registry import ActorRegistry
from extractor.schemas import Article, ExtractionResult, GoldRecord, article_id_for
from extractor.store.database import Store, write_transaction


@pytest.fixture(scope="module")
def resources() -> tuple[ActorRegistry, Gazetteer]:
    return ActorRegistry.load(), Gazetteer.load()


def many_golds(count: int) -> list[GoldRecord]:
    base = gold_record()
    records = []
    for index in range(count):
        text = f"{base.article.text}\n\nDispatch {index}."
        article = Article(id=article_id_for(text), title=f"Dispatch {index}", text=text,
                          published=base.article.published)
        records.append(GoldRecord(article=article, incidents=base.incidents,
                                  actors=base.actors))
    return records


def store_predictions(store: Store, records: list[GoldRecord],
                      predictions: dict[str, ExtractionResult | None]) -> dict[str, str]:
    """Extraction rows as the pipeline leaves them (only what a rescore reads); article id ->
    extraction key."""
    run_id = store.start_run(command="test", model="m", prompt_name="p", prompt_hash="ph",
                             schema_hash="sh", settings={})
    store.add_articles((r.article, "test") for r in records)
    keys = {r.article.id: f"key-{r.article.id}" for r in records}
    rows = []
    for record in records:
        result = predictions[record.article.id]
        rows.append({"id": keys[record.article.id], "article_id": record.article.id,
                     "run_id": run_id, "model": "m", "prompt_hash": "ph", "schema_hash": "sh",
                     "status": "ok" if result is not None else "failed",
                     "result_json": result.model_dump_json() if result is not None else None})
    with write_transaction(store.db):
        store.db["extractions"].insert_all(rows)
    return keys


def test_migrations_create_readable_tables(tmp_path):
    store = Store.open(tmp_path / "e.db")
    EvalStore(store)
    EvalStore(store)  # applying twice is a no-op
    db = store.db
    assert [m.name for m in eval_migrations.applied(db)] == ["m001_eval_tables",
                                                             "m002_item_counts"]
    for table in ("eval_runs", "eval_scores", "eval_articles", "eval_article_scores",
                  "eval_pairs"):
        assert db[table].exists()
    assert {"model", "prompt_hash", "schema_hash", "extraction_run_id", "gold_path",
            "gold_hash"} <= set(db["eval_runs"].columns_dict)
    assert {"score", "n", "numerator", "denominator"} <= set(db["eval_scores"].columns_dict)
    assert "n" in db["eval_article_scores"].columns_dict
    assert [fk.other_table for fk in db["eval_runs"].foreign_keys] == ["runs"]
    assert db["eval_pairs"].columns_dict["similarity"] is float


def test_predictions_load_in_batches_with_failures(tmp_path, resources):
    records = many_golds(3)
    predictions = {records[0].article.id: ExtractionResult(incidents=[ambush()],
                                                           actors=actors()),
                   records[1].article.id: None,
                   records[2].article.id: ExtractionResult()}
    store = Store.open(tmp_path / "e.db")
    keys = store_predictions(store, records, predictions)
    evals = EvalStore(store)
    loaded = evals.load_predictions({**keys, "absent": "key-absent"})
    assert loaded[records[0].article.id].incidents[0].place == "Tinzaouaten"
    assert loaded[records[1].article.id] is None  # failed: stored, but no result
    assert loaded[records[2].article.id] == ExtractionResult()
    assert "absent" not in loaded


def test_rescoring_a_thousand_stored_articles(tmp_path, resources):
    """A thousand stored predictions rescore with the right totals (bench/run.py times it)."""
    records = many_golds(1000)
    shapes = [
        ExtractionResult(incidents=[ambush(), bombing(), abduction()], actors=actors()),
        ExtractionResult(incidents=[bombing(), ambush()], actors=actors()[:2]),
        None,
    ]
    predictions = {r.article.id: shapes[i % 3] for i, r in enumerate(records)}
    store = Store.open(tmp_path / "e.db")
    keys = store_predictions(store, records, predictions)
    evals = EvalStore(store)

    loaded = evals.load_predictions(keys)
    evaluation = evaluate(records, loaded, *resources)
    run_id = evals.save({"command": "rescore", "model": "m", "gold_hash": "g"}, evaluation, keys)
    counts = evals.article_counts(run_id)
    differences = paired_bootstrap(counts, counts, FIELDS)

    assert len(counts) == 1000
    assert differences["incidents.f1"].diff == 0.0
    assert evaluation.totals["incidents.recall"].value == pytest.approx((334 * 3 + 333 * 2)
                                                                        / 3000)
    assert sum(a.status == "failed" for a in evaluation.articles) == 333
