"""Evaluation runs in SQLite, next to the extractions they scored.

The harness keeps its own migration set (``extractor-evals``), applied after the core's, in a
``BEGIN IMMEDIATE`` transaction. What each column means is said in ``tables.toml`` next to this
file (docs/columns.md is generated from it). Tables are plain and readable in Datasette:

* ``eval_runs``: one row per evaluation, with the extraction run, model, prompt and schema
  hashes, the gold file and its hash, and the headline scores;
* ``eval_scores``: each field's micro average (score, numerator, denominator, and ``n``,
  the items it is over);
* ``eval_articles``: each gold article with the extraction key it was scored from;
* ``eval_article_scores``: each field per article (what the paired bootstrap resamples);
* ``eval_pairs``: every gold and predicted incident, paired or not, with the similarity, its
  components and the reason.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from extractor import __version__
from extractor.schemas import ExtractionResult
from extractor.store.database import Store, write_transaction
from extractor.vocabulary import now

from .evaluate import Evaluation
from .scorers import Score

__all__ = ["EvalStore", "eval_migrations"]

eval_migrations = Migrations("extractor-evals")

_CHUNK = 500
_COMPONENTS = ("date", "place", "event_type", "actors", "evidence")


@eval_migrations()
def m001_eval_tables(db: Database) -> None:
    db.table("eval_runs").create(
        {
            "id": int,
            "created_at": str,
            "command": str,
            "extraction_run_id": int,
            "rescored_eval_run_id": int,
            "model": str,
            "prompt_name": str,
            "prompt_hash": str,
            "schema_hash": str,
            "settings": str,
            "gold_path": str,
            "gold_hash": str,
            "gold_articles": int,
            "articles_failed": int,
            "articles_missing": int,
            "threshold": float,
            "incidents_precision": float,
            "incidents_recall": float,
            "incidents_f1": float,
            "actors_f1": float,
            "against_eval_run_id": int,
            "gate": str,
            "extractor_version": str,
        },
        pk="id",
        foreign_keys=[("extraction_run_id", "runs", "id")],
    )
    db.table("eval_scores").create(
        {"eval_run_id": int, "field": str, "score": float, "numerator": float,
         "denominator": float, "articles": int, "explanation": str},
        pk=("eval_run_id", "field"),
        foreign_keys=[("eval_run_id", "eval_runs", "id")],
    )
    db.table("eval_articles").create(
        {"eval_run_id": int, "article_id": str, "title": str, "extraction_key": str,
         "status": str, "gold_incidents": int, "pred_incidents": int, "paired": int},
        pk=("eval_run_id", "article_id"),
        foreign_keys=[("eval_run_id", "eval_runs", "id")],
    )
    db.table("eval_article_scores").create(
        {"eval_run_id": int, "article_id": str, "field": str, "score": float,
         "numerator": float, "denominator": float, "explanation": str},
        pk=("eval_run_id", "article_id", "field"),
        foreign_keys=[("eval_run_id", "eval_runs", "id")],
    )
    db.table("eval_pairs").create(
        {"id": str, "eval_run_id": int, "article_id": str, "status": str,
         "gold_position": int, "pred_position": int, "similarity": float,
         "date": float, "place": float, "event_type": float, "actors": float,
         "evidence": float, "reason": str, "gold_summary": str, "pred_summary": str},
        pk="id",
        foreign_keys=[("eval_run_id", "eval_runs", "id")],
    )
    db.table("eval_runs").create_index(["gold_hash"])
    db.table("eval_article_scores").create_index(["eval_run_id", "field"])
    db.table("eval_pairs").create_index(["eval_run_id", "article_id"])


@eval_migrations()
def m002_item_counts(db: Database) -> None:
    """How many items (pairs, incidents, actors, quotes) each score is over."""
    db.table("eval_scores").add_column("n", int)
    db.table("eval_article_scores").add_column("n", int)


def _insert_many(db: Database, table: str, rows: list[dict[str, Any]]) -> None:
    """Rows with the same keys, in one executemany (sqlite-utils' insert_all is slower
    by an order of magnitude on tens of thousands of small rows)."""
    if not rows:
        return
    columns = list(rows[0])
    names = ", ".join(f"[{c}]" for c in columns)
    marks = ", ".join("?" * len(columns))
    db.conn.executemany(f"insert into [{table}] ({names}) values ({marks})",
                        [tuple(row[c] for c in columns) for row in rows])


def _value(score: Score) -> float | None:
    return round(score.value, 6) if score.value is not None else None


class EvalStore:
    """Reads and writes of the evaluation harness, on the extraction store's database."""

    def __init__(self, store: Store):
        self.store = store
        self.db = store.db
        with write_transaction(self.db):
            eval_migrations.apply(self.db)

    # predictions -----------------------------------------------------------------------
    def load_predictions(self, keys: Mapping[str, str]) -> dict[str, ExtractionResult | None]:
        """Article id -> stored result, by extraction key; None where the extraction failed.

        One query per 500 keys; an article whose key is not stored at all is left out.
        """
        by_key = {key: article for article, key in keys.items()}
        found: dict[str, ExtractionResult | None] = {}
        key_list = list(by_key)
        for start in range(0, len(key_list), _CHUNK):
            chunk = key_list[start:start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            for key, status, result_json in self.db.execute(
                    f"select id, status, result_json from extractions where id in ({marks})",
                    chunk):
                result = None
                if status == "ok" and result_json:
                    result = ExtractionResult.model_validate_json(result_json)
                found[by_key[key]] = result
        return found

    # eval runs -------------------------------------------------------------------------
    def save(self, run: dict[str, Any], evaluation: Evaluation,
             keys: Mapping[str, str]) -> int:
        """Store one evaluation (run, field scores, articles, pairs) in one transaction."""
        totals = evaluation.totals
        with write_transaction(self.db):
            table = self.db.table("eval_runs")
            table.insert({
                **run,
                "created_at": now(),
                "settings": json.dumps(run.get("settings") or {}, sort_keys=True, default=str),
                "gold_articles": len(evaluation.articles),
                "articles_failed": sum(a.status == "failed" for a in evaluation.articles),
                "articles_missing": sum(a.status == "missing" for a in evaluation.articles),
                "threshold": evaluation.threshold,
                "incidents_precision": _value(totals["incidents.precision"]),
                "incidents_recall": _value(totals["incidents.recall"]),
                "incidents_f1": _value(totals["incidents.f1"]),
                "actors_f1": _value(totals["actors.f1"]),
                "extractor_version": __version__,
            })
            run_id = int(table.last_pk)  # type: ignore[arg-type]
            scored = {name: 0 for name in totals}
            article_rows, score_rows, pair_rows = [], [], []
            for result in evaluation.articles:
                article_rows.append({
                    "eval_run_id": run_id, "article_id": result.article_id,
                    "title": result.title, "extraction_key": keys.get(result.article_id),
                    "status": result.status, "gold_incidents": len(result.gold.incidents),
                    "pred_incidents": len(result.pred.incidents),
                    "paired": len(result.matching.paired),
                })
                for name, score in result.scores.items():
                    scored[name] += score.scored
                    score_rows.append({
                        "eval_run_id": run_id, "article_id": result.article_id, "field": name,
                        "score": _value(score), "numerator": score.numerator,
                        "denominator": score.denominator, "n": score.n,
                        "explanation": score.explanation,
                    })
                for index, pair in enumerate(result.matching.pairs):
                    gold = result.gold.incidents[pair.gold] if pair.gold is not None else None
                    pred = result.pred.incidents[pair.pred] if pair.pred is not None else None
                    pair_rows.append({
                        "id": f"{run_id}-{result.article_id}-{index}", "eval_run_id": run_id,
                        "article_id": result.article_id, "status": pair.status,
                        "gold_position": pair.gold, "pred_position": pair.pred,
                        "similarity": round(pair.similarity, 4),
                        **dict.fromkeys(_COMPONENTS), **pair.components,
                        "reason": pair.reason,
                        "gold_summary": gold.incident.summary if gold else None,
                        "pred_summary": pred.incident.summary if pred else None,
                    })
            self.db.table("eval_scores").insert_all(
                {"eval_run_id": run_id, "field": name, "score": _value(score),
                 "numerator": score.numerator, "denominator": score.denominator,
                 "n": score.n, "articles": scored[name], "explanation": score.explanation}
                for name, score in totals.items())
            _insert_many(self.db, "eval_articles", article_rows)
            _insert_many(self.db, "eval_article_scores", score_rows)
            _insert_many(self.db, "eval_pairs", pair_rows)
        return run_id

    def run(self, eval_run_id: int) -> dict[str, Any] | None:
        rows = list(self.db.table("eval_runs").rows_where("id = ?", [eval_run_id]))
        return rows[0] if rows else None

    def previous_run(self, gold_hash: str, before: int | None = None) -> dict[str, Any] | None:
        """The latest eval run on the same gold set (before ``before``, when given)."""
        where = "gold_hash = ?"
        params: list[object] = [gold_hash]
        if before is not None:
            where += " and id < ?"
            params.append(before)
        rows = list(self.db.table("eval_runs").rows_where(where, params, order_by="id desc",
                                                          limit=1))
        return rows[0] if rows else None

    def article_keys(self, eval_run_id: int) -> dict[str, str]:
        return {row[0]: row[1] for row in self.db.execute(
            "select article_id, extraction_key from eval_articles where eval_run_id = ? "
            "and extraction_key is not null", [eval_run_id])}

    def article_counts(self, eval_run_id: int) -> dict[str, dict[str, tuple[float, float]]]:
        """Article id -> field -> (numerator, denominator), for the paired bootstrap."""
        counts: dict[str, dict[str, tuple[float, float]]] = {}
        for article, name, numerator, denominator in self.db.execute(
                "select article_id, field, numerator, denominator from eval_article_scores "
                "where eval_run_id = ?", [eval_run_id]):
            counts.setdefault(article, {})[name] = (numerator or 0, denominator or 0)
        return counts
