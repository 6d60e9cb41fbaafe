"""Gold-like data for the scoring benchmark: the gold set replicated, predictions perturbed.

Each of N records is a gold record of ``evals/gold/`` with a numbered line appended to
its text (a distinct article, every evidence quote still verbatim). Its prediction is the gold
answer with seeded mistakes (an incident dropped, a toll changed, a place moved, a quote lost,
a spurious incident added), so matching and every scorer have real work. Predictions are
stored as extractions of one run in SQLite, and a first evaluation is stored over them, so the
benchmark can time ``extractor eval --rescore`` exactly as a user would run it.
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path
from typing import Any

from extractor.backend import BackendResult
from extractor.config import RunConfig
from extractor.pipeline import Resources
from extractor.resolve.postprocess import process
from extractor.schemas import (
    ExtractionResult,
    GoldRecord,
    Incident,
    article_id_for,
    schema_hash,
)
from extractor.store.database import Store, extraction_key, params_hash
from extractor.store.rows import ExtractionRecord

GOLD_DIR = Path(__file__).resolve().parent.parent / "evals" / "gold"
MODEL = "bench-predictions"
PROMPT_HASH = "bench"
PARAMS: dict[str, Any] = {"bench": True}



def replicate(n: int, seed: int = 11) -> list[tuple[GoldRecord, ExtractionResult]]:
    """N (gold record, prediction) pairs built from the committed gold files."""
    from extractor.evals.dataset import load_gold

    base = load_gold(GOLD_DIR).records
    rng = random.Random(seed)
    pairs = []
    for index in range(n):
        source = base[index % len(base)]
        text = f"{source.article.text}\n\n(Benchmark copy {index:05d}.)"
        article = source.article.model_copy(update={"id": article_id_for(text), "text": text})
        gold = source.model_copy(update={"article": article})
        pairs.append((gold, perturb(source, rng)))
    return pairs


def perturb(record: GoldRecord, rng: random.Random) -> ExtractionResult:
    """The gold answer with seeded, schema-valid mistakes."""
    incidents: list[dict[str, Any]] = []
    for incident in record.incidents:
        # A gold incident's event key is the gold layer's own: predictions never carry it.
        data = incident.model_dump(mode="json", include=set(Incident.model_fields))
        roll = rng.random()
        if roll < 0.10:
            continue  # missed
        if roll < 0.30 and data["casualties"]:
            claim = data["casualties"][0]
            if claim["count_min"] is not None:
                claim["count_min"] += 1
                if claim["count_max"] is not None:
                    claim["count_max"] = max(claim["count_max"], claim["count_min"])
        elif roll < 0.40:
            data["place"] = "Gao"
        elif roll < 0.50 and len(data["evidence"]) > 1:
            data["evidence"] = data["evidence"][:1]
        incidents.append(data)
    if incidents and rng.random() < 0.15:
        spurious = dict(incidents[0])
        spurious.update(event_type="riots", sub_event_type="mob_violence", place="Kati",
                        summary="A spurious riot.")
        incidents.append(spurious)
    rng.shuffle(incidents)
    return ExtractionResult(incidents=[Incident.model_validate(i) for i in incidents],
                            actors=record.actors)


def prepare(out: Path, n: int) -> tuple[Path, Path, int]:
    """Write the gold file, store the predictions and a first evaluation; (gold, db, run id)."""
    from extractor.evals.evaluate import evaluate
    from extractor.evals.store import EvalStore

    out.mkdir(parents=True, exist_ok=True)
    gold_path = out / f"gold-{n}.jsonl"
    db_path = out / f"scoring-{n}.db"
    for suffix in ("", "-wal", "-shm"):
        db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
    pairs = replicate(n)
    with gold_path.open("w", encoding="utf-8") as handle:
        for gold, _ in pairs:
            handle.write(gold.model_dump_json() + "\n")
    resources = Resources.load(RunConfig())
    store = Store.open(db_path)
    try:
        run_id = store.start_run(command="bench", model=MODEL, prompt_name="bench",
                                 prompt_hash=PROMPT_HASH, schema_hash=schema_hash(),
                                 settings={})
        store.add_articles((gold.article, str(gold_path)) for gold, _ in pairs)
        keys: dict[str, str] = {}
        records = []
        for gold, prediction in pairs:
            key = extraction_key(gold.article.id, MODEL, PROMPT_HASH, schema_hash(), PARAMS)
            keys[gold.article.id] = key
            records.append(ExtractionRecord(
                key=key, article=gold.article, run_id=run_id, model=MODEL,
                prompt_hash=PROMPT_HASH, schema_hash=schema_hash(),
                params_hash=params_hash(PARAMS), outcome=BackendResult(result=prediction),
                processed=process(gold.article, prediction, resources.registry,
                                  resources.gazetteer)))
        for start in range(0, len(records), 200):
            store.save(records[start:start + 200])
        store.finish_run(run_id, {"articles_extracted": len(records)}, "completed")
        evals = EvalStore(store)
        predictions = evals.load_predictions(keys)
        evaluation = evaluate([gold for gold, _ in pairs], predictions, resources.registry,
                              resources.gazetteer)
        row = {"command": "eval", "extraction_run_id": run_id, "model": MODEL,
               "prompt_name": "bench", "prompt_hash": PROMPT_HASH,
               "schema_hash": schema_hash(), "settings": {}, "gold_path": str(gold_path),
               "gold_hash": "bench"}
        eval_run_id = evals.save(row, evaluation, keys)
    finally:
        store.close()
    return gold_path, db_path, eval_run_id


def time_in_process(gold_path: Path, db_path: Path, eval_run_id: int) -> dict[str, Any]:
    """The phases of a rescore, timed in this process (imports and start-up excluded)."""
    from extractor.evals.dataset import load_gold
    from extractor.evals.evaluate import evaluate
    from extractor.evals.store import EvalStore

    started = time.perf_counter()
    goldset = load_gold(gold_path)
    loaded_gold = time.perf_counter()
    resources = Resources.load(RunConfig())
    store = Store.open(db_path)
    try:
        evals = EvalStore(store)
        keys = evals.article_keys(eval_run_id)
        predictions = evals.load_predictions(keys)
        loaded_predictions = time.perf_counter()
        evaluation = evaluate(goldset.records, predictions, resources.registry,
                              resources.gazetteer)
        scored = time.perf_counter()
        evals.save({"command": "rescore", "rescored_eval_run_id": eval_run_id,
                    "gold_path": str(gold_path), "gold_hash": goldset.sha256, "settings": {}},
                   evaluation, keys)
        saved = time.perf_counter()
    finally:
        store.close()
    f1 = evaluation.totals["incidents.f1"].value
    return {
        "articles": len(goldset.records),
        "load_gold_s": round(loaded_gold - started, 3),
        "load_predictions_s": round(loaded_predictions - loaded_gold, 3),
        "score_s": round(scored - loaded_predictions, 3),
        "store_eval_s": round(saved - scored, 3),
        "total_s": round(saved - started, 3),
        "incidents_f1": round(f1, 3) if f1 is not None else None,
    }


if __name__ == "__main__":
    out = Path(__file__).resolve().parent / "out"
    gold, db, run = prepare(out, 1000)
    print(json.dumps(time_in_process(gold, db, run), indent=2))
