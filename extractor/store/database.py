"""The SQLite store: articles, runs, extractions and the records derived from them.

Writes are batched, and atomic per article: one transaction holds whole articles, never part
of one. Transactions start with ``BEGIN IMMEDIATE`` so that several processes can write to one
database without "database is locked" on a read-to-write upgrade. Row ids are derived from the
extraction key, so a re-run rewrites the same rows instead of adding new ones.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import socket
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from extractor import __version__
from extractor.schemas import Article, ExtractionResult, scrub_text
from extractor.store import claims
from extractor.store.claims import CLAIM_LEASE_S, Claim
from extractor.store.rows import ExtractionRecord, Rows, gather
from extractor.store.storable import failed_outcome, storable_name
from extractor.store.upgrade import upgrade
from extractor.vocabulary import ExtractionStatus, RunStatus, now

BUSY_TIMEOUT_MS = 60_000
BATCHED = ("extractions", "model_calls", "actor_mentions", "incidents", "incident_actors",
           "casualties", "evidence")


def extraction_key(article_id: str, model: str, prompt_hash: str, schema_hash: str,
                   params: dict[str, Any]) -> str:
    """The cache key of one extraction: article, model, prompt, schema and parameters."""
    canonical = json.dumps(
        {"article": article_id, "model": model, "prompt": prompt_hash, "schema": schema_hash,
         "params": params},
        sort_keys=True, separators=(",", ":"), default=str,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:24]


def params_hash(params: dict[str, Any]) -> str:
    canonical = json.dumps(params, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]


@contextlib.contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """A write transaction taken with BEGIN IMMEDIATE (nested calls become savepoints)."""
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.rollback()
        raise
    else:
        db.conn.execute("COMMIT")


def open_db(path: Path | str) -> Database:
    """Open (creating if needed) and bring up to date the database at ``path``: the core's
    migrations and every installed layer's (:mod:`extractor.store.upgrade`)."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    db = Database(conn)
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if str(path) != ":memory:":
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA foreign_keys = ON")
    with write_transaction(db):
        upgrade(db)
    return db


class Store:
    """Reads and writes of the extraction pipeline."""

    def __init__(self, db: Database):
        self.db = db

    @classmethod
    def open(cls, path: Path | str) -> Store:
        return cls(open_db(path))

    def close(self) -> None:
        self.db.close()

    # runs -------------------------------------------------------------------------------
    def start_run(self, *, command: str, model: str, prompt_name: str, prompt_hash: str,
                  schema_hash: str, settings: dict[str, Any]) -> int:
        with write_transaction(self.db):
            self._mark_dead_runs()
            table = self.db.table("runs")
            table.insert({
                "command": command, "model": model, "prompt_name": prompt_name,
                "prompt_hash": prompt_hash, "schema_hash": schema_hash,
                "settings": json.dumps(settings, sort_keys=True, default=str),
                "started_at": now(), "status": RunStatus.RUNNING,
                "extractor_version": __version__, "pid": os.getpid(),
                "host": socket.gethostname(),
            })
            return int(table.last_pk)  # type: ignore[arg-type]

    def _mark_dead_runs(self) -> None:
        """Runs still running whose process on this host is gone were interrupted."""
        host = socket.gethostname()
        for run_id, pid in self.db.execute(
                "select id, pid from runs where status = ? and host = ?",
                [RunStatus.RUNNING, host]
        ).fetchall():
            if pid is not None and not claims.process_alive(pid):
                claims.release_run(self.db, run_id)
                self.db.table("runs").update(run_id, {
                    "status": RunStatus.INTERRUPTED,
                    "message": f"process {pid} ended before the run finished (killed or "
                               "crashed); its stored articles are kept, the rest were "
                               "extracted by later runs",
                })

    def finish_run(self, run_id: int, counts: dict[str, Any], status: RunStatus,
                   message: str | None = None) -> None:
        with write_transaction(self.db):
            claims.release_run(self.db, run_id)
            self.db.table("runs").update(run_id, {
                **counts, "status": status, "finished_at": now(),
                "message": scrub_text(message) if message is not None else None,
            })

    # articles ---------------------------------------------------------------------------
    def add_articles(self, articles: Iterable[tuple[Article, str]]) -> int:
        """Store articles not stored yet; returns how many were new."""
        rows = [
            {"id": a.id, "title": a.title, "url": a.url,
             "published": a.published.isoformat() if a.published else None,
             "source": a.source, "text": a.text, "char_count": len(a.text),
             "origin": storable_name(origin), "added_at": now()}
            for a, origin in articles
        ]
        if not rows:
            return 0
        with write_transaction(self.db):
            before = self.db.table("articles").count
            self.db.table("articles").insert_all(rows, ignore=True)
            return self.db.table("articles").count - before

    # extractions ------------------------------------------------------------------------
    def completed_keys(self, keys: list[str]) -> set[str]:
        """Of ``keys``, those already extracted successfully."""
        done: set[str] = set()
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            marks = ",".join("?" * len(chunk))
            done.update(row[0] for row in self.db.execute(
                f"select id from extractions where status = ? and id in ({marks})",
                [ExtractionStatus.OK, *chunk]))
        return done

    def claim(self, key: str, run_id: int, lease_s: float = CLAIM_LEASE_S) -> Claim:
        """Take the article of extraction ``key`` for this run, unless it is done or another
        live run is extracting it (:mod:`extractor.store.claims`)."""
        with write_transaction(self.db):
            return claims.take(self.db, key, run_id, lease_s)

    def load_result(self, key: str) -> ExtractionResult | None:
        """The validated result stored under an extraction key, if it succeeded."""
        row = self.db.execute(
            "select result_json from extractions where id = ? and status = ?",
            [key, ExtractionStatus.OK]
        ).fetchone()
        return ExtractionResult.model_validate_json(row[0]) if row and row[0] else None

    def save(self, records: list[ExtractionRecord]) -> list[ExtractionRecord]:
        """Write a batch of extractions with all their records, in one transaction.

        One article that cannot be stored (a value SQLite cannot hold, a string it cannot
        encode, a bug of ours) costs that article alone: the batch is written again article by
        article, each in a savepoint, and the one that fails is stored as failed
        (``internal``) with the reason. Returns the records as stored, in order.
        """
        if not records:
            return []
        with write_transaction(self.db):
            try:
                with self.db.atomic():  # a savepoint: the fast path, every table filled once
                    self._save_batch(records)
            except Exception:  # found out below, article by article
                stored = [self._save_alone(record) for record in records]
            else:
                stored = list(records)
            claims.release(self.db, [record.key for record in records])
        return stored

    def _save_alone(self, record: ExtractionRecord) -> ExtractionRecord:
        """Store one record in a savepoint; if that fails, store its failure instead."""
        try:
            with self.db.atomic():
                self._save_batch([record])
            return record
        except Exception as error:  # stored as the article's failure
            failed = _failed(record, error)
        try:
            with self.db.atomic():
                self._save_batch([failed])
        except Exception as error:  # even the log could not be stored: keep the reason only
            failed = _failed(record, error, bare=True)
            with self.db.atomic():
                self._save_batch([failed])
        return failed

    def _save_batch(self, records: list[ExtractionRecord]) -> None:
        # Rows are gathered over the batch and inserted once per table: sqlite-utils inspects
        # the table on every insert call, which per article was a quarter of the client's CPU
        # at concurrency 64 (bench/run.py). Tables are filled parents first (foreign keys).
        rows: Rows = {table: [] for table in BATCHED}
        for record in records:
            gather(self.db, record, rows)
        self.db.table("extractions").upsert_all(rows["extractions"], pk="id")
        self.db.table("model_calls").insert_all(rows["model_calls"], pk="id", replace=True)
        for table in ("actor_mentions", "incidents", "casualties", "evidence"):
            self.db.table(table).insert_all(rows[table])
        self.db.table("incident_actors").insert_all(rows["incident_actors"],
                                              pk=("incident_id", "actor_id", "role"))


def _failed(record: ExtractionRecord, error: Exception, bare: bool = False) -> ExtractionRecord:
    """The record stored in place of ``record``, which could not be: failed, with why."""
    return dataclasses.replace(record, outcome=failed_outcome(record.outcome, error, bare),
                               processed=None)
