"""The SQLite store: articles, runs, extractions and the records derived from them.

Writes are batched, and atomic per article: one transaction holds whole articles, never part
of one. Transactions start with ``BEGIN IMMEDIATE`` so that several processes can write to one
database without "database is locked" on a read-to-write upgrade. Row ids are derived from the
extraction key, so a re-run rewrites the same rows instead of adding new ones.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import json
import os
import socket
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from extractor import __version__
from extractor.backend import BackendResult
from extractor.resolve.postprocess import ProcessedExtraction
from extractor.schemas import Article, ExtractionResult, scrub_text
from extractor.store import claims
from extractor.store.claims import CLAIM_LEASE_S, Claim
from extractor.store.storable import failed_outcome, storable_name
from extractor.store.upgrade import upgrade
from extractor.vocabulary import ExtractionStatus, RunStatus, now

BUSY_TIMEOUT_MS = 60_000
CHILD_TABLES = ("evidence", "casualties", "incident_actors", "actor_mentions", "incidents")
BATCHED = ("extractions", "model_calls", "actor_mentions", "incidents", "incident_actors",
           "casualties", "evidence")
Rows = dict[str, list[dict[str, Any]]]  # table -> rows of a batch, inserted together


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


@dataclass
class ExtractionRecord:
    """Everything stored for one article in one run."""

    key: str
    article: Article
    run_id: int
    model: str
    prompt_hash: str
    schema_hash: str
    params_hash: str
    outcome: BackendResult
    processed: ProcessedExtraction | None


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
            self._save_one(record, rows)
        self.db.table("extractions").upsert_all(rows["extractions"], pk="id")
        self.db.table("model_calls").insert_all(rows["model_calls"], pk="id", replace=True)
        for table in ("actor_mentions", "incidents", "casualties", "evidence"):
            self.db.table(table).insert_all(rows[table])
        self.db.table("incident_actors").insert_all(rows["incident_actors"],
                                              pk=("incident_id", "actor_id", "role"))

    def _save_one(self, record: ExtractionRecord, rows: Rows) -> None:
        db = self.db
        for table in CHILD_TABLES:
            db.execute(f"delete from [{table}] where extraction_id = ?", [record.key])
        outcome = record.outcome
        processed = record.processed
        stamp = now()
        existing = db.execute("select created_at from extractions where id = ?",
                              [record.key]).fetchone()
        rows["extractions"].append({
            "id": record.key,
            "article_id": record.article.id,
            "run_id": record.run_id,
            "model": record.model,
            "prompt_hash": record.prompt_hash,
            "schema_hash": record.schema_hash,
            "params_hash": record.params_hash,
            "status": ExtractionStatus.OK if processed is not None else ExtractionStatus.FAILED,
            "error_kind": outcome.error_kind,
            "error": outcome.error,
            "raw_response": outcome.raw_response,
            "result_json": outcome.result.model_dump_json() if outcome.result else None,
            "attempts": outcome.attempts,
            "prompt_tokens": outcome.usage.prompt_tokens,
            "completion_tokens": outcome.usage.completion_tokens,
            "total_tokens": outcome.usage.total_tokens,
            "cost_usd": outcome.cost_usd,
            "latency_ms": round(outcome.latency_ms, 1),
            "incident_count": len(processed.incidents) if processed else 0,
            "created_at": existing[0] if existing else stamp,
            "updated_at": stamp,
        })
        self._save_calls(record, rows)
        if processed is None:
            return
        provenance = {
            "article_id": record.article.id, "extraction_id": record.key,
            "run_id": record.run_id, "model": record.model,
            "prompt_hash": record.prompt_hash, "schema_hash": record.schema_hash,
        }
        self._save_actors(record, processed, provenance, rows)
        self._save_incidents(record, processed, provenance, rows)

    def _save_calls(self, record: ExtractionRecord, rows: Rows) -> None:
        """The model calls behind an extraction, in the same transaction as the extraction.

        A request's system message (~11 KB, the same on every request) is stored once, in
        ``prompt_texts``, keyed by its hash (:func:`system_hash`). In ``request_messages`` it
        is replaced by a reference, ``{"role": "system", "prompt_text": id}``; the message
        sent was ``{"role": "system", "content": prompt_texts.text}`` (see
        docs/model-endpoints.md, "What is logged").
        """
        db = self.db
        for call in record.outcome.calls:
            messages = call.request_messages
            if messages and _is_system_text(messages[0]):
                text = messages[0]["content"]
                reference = system_hash(text)
                # Once per prompt in a new database; otherwise a primary-key hit, no write.
                db.execute("insert or ignore into prompt_texts (id, role, text, chars, "
                           "created_at) values (?, 'system', ?, ?, ?)",
                           [reference, text, len(text), call.created_at or now()])
                messages = [{"role": "system", "prompt_text": reference}, *messages[1:]]
            rows["model_calls"].append({
                "id": f"{record.key}-{record.run_id}-{call.attempt}",
                "extraction_id": record.key, "run_id": record.run_id,
                "attempt": call.attempt, "ask": call.ask,
                "request_messages": json.dumps(messages, ensure_ascii=False)
                if messages is not None else None,
                "response": call.response, "finish_reason": call.finish_reason,
                "status": call.status, "http_status": call.http_status, "error": call.error,
                "request_id": call.request_id,
                "prompt_tokens": call.usage.prompt_tokens,
                "completion_tokens": call.usage.completion_tokens,
                "total_tokens": call.usage.total_tokens,
                "latency_ms": round(call.latency_ms, 1), "created_at": call.created_at,
            })

    def _save_actors(self, record: ExtractionRecord, processed: ProcessedExtraction,
                     provenance: dict[str, Any], rows: Rows) -> None:
        actors = self.db.table("actors")
        mentions = []
        for index, resolved in enumerate(processed.actors):
            existing = self.db.execute("select aliases from actors where id = ?",
                                       [resolved.actor_id]).fetchone()
            names = {resolved.actor.name, *resolved.actor.aliases}
            if existing:
                names.update(json.loads(existing[0] or "[]"))
            names.discard(resolved.canonical_name)
            actors.upsert({
                "id": resolved.actor_id,
                "name": resolved.canonical_name,
                "aliases": json.dumps(sorted(names)),
                "actor_type": resolved.actor_type.value,
                "country": resolved.country,
                "affiliation": resolved.affiliation,
                "in_registry": int(resolved.in_registry),
            }, pk="id")
            mentions.append({
                "id": f"{record.key}-a{index}", **provenance,
                "actor_id": resolved.actor_id, "name": resolved.actor.name,
                "aliases": json.dumps(resolved.actor.aliases),
                "actor_type": resolved.actor.actor_type.value,
                "country": resolved.actor.country, "affiliation": resolved.actor.affiliation,
            })
        rows["actor_mentions"].extend(mentions)

    def _ensure_actor(self, actor_id: str, name: str) -> None:
        """An actor named in an incident but typed nowhere still gets a row."""
        # Plain SQL: called once per actor reference, where sqlite-utils' insert would inspect
        # the table each time (the cost Store.save batches away).
        self.db.execute("insert or ignore into actors (id, name, aliases, in_registry) "
                        "values (?, ?, '[]', 0)", [actor_id, name])

    def _save_incidents(self, record: ExtractionRecord, processed: ProcessedExtraction,
                        provenance: dict[str, Any], rows: Rows) -> None:
        incidents, links, casualties, evidence = [], [], [], []
        for resolved in processed.incidents:
            incident = resolved.incident
            incident_id = f"{record.key}-{resolved.position}"
            incidents.append({
                "id": incident_id, **provenance, "position": resolved.position,
                "summary": incident.summary,
                "event_type": incident.event_type.value,
                "sub_event_type": incident.sub_event_type.value,
                "date_text": incident.date_text,
                "date_start": _iso(incident.date_start), "date_end": _iso(incident.date_end),
                "date_precision": resolved.date_precision,
                "place": incident.place, "admin1": resolved.admin1,
                "country": resolved.country,
                "geo_precision": incident.geo_precision.value,
                "geo_precision_code": resolved.geo_precision_code,
                "gazetteer_name": resolved.gazetteer_name, "geo_rule": resolved.geo_rule,
                "latitude": resolved.latitude, "longitude": resolved.longitude,
                "fatalities": resolved.fatalities,
                "weapons": json.dumps(incident.weapons),
                "sources": json.dumps(incident.sources),
                "is_background": int(incident.is_background),
                "evidence_status": resolved.evidence_status,
            })
            for role, refs in (("perpetrator", resolved.perpetrators),
                               ("target", resolved.targets),
                               ("claimed_by", resolved.claimed_by)):
                for ref in refs:
                    self._ensure_actor(ref.actor_id, ref.name)
                    links.append({"incident_id": incident_id, "actor_id": ref.actor_id,
                                  "role": role, "name_as_written": ref.name,
                                  "extraction_id": record.key})
            for index, (claim, victim_id) in enumerate(
                    zip(incident.casualties, resolved.casualty_victim_ids, strict=True)):
                if victim_id:
                    self._ensure_actor(victim_id, claim.victims or victim_id)
                casualties.append({
                    "id": f"{incident_id}-c{index}", "incident_id": incident_id,
                    **provenance, "position": index, "kind": claim.kind.value,
                    "count_text": claim.count_text, "count_min": claim.count_min,
                    "count_max": claim.count_max, "victims": claim.victims,
                    "victims_actor_id": victim_id, "source": claim.source,
                })
            for index, quote in enumerate(resolved.evidence):
                evidence.append({
                    "id": f"{incident_id}-e{index}", "incident_id": incident_id,
                    **provenance, "position": index, "quote": quote.quote,
                    "start": quote.start, "end": quote.end, "alignment": quote.status,
                    "score": quote.score,
                })
        rows["incidents"].extend(incidents)
        rows["incident_actors"].extend(links)
        rows["casualties"].extend(casualties)
        rows["evidence"].extend(evidence)


def _failed(record: ExtractionRecord, error: Exception, bare: bool = False) -> ExtractionRecord:
    """The record stored in place of ``record``, which could not be: failed, with why."""
    return dataclasses.replace(record, outcome=failed_outcome(record.outcome, error, bare),
                               processed=None)


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _is_system_text(message: Any) -> bool:
    return (isinstance(message, dict) and message.get("role") == "system"
            and isinstance(message.get("content"), str) and len(message) == 2)


@functools.lru_cache(maxsize=64)
def system_hash(text: str) -> str:
    """The ``prompt_texts`` id of a system message: SHA-256 of its text, 16 hex digits.

    Cached: every request of a run carries the same (often the very same) string.
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
