"""The rows one extraction becomes: the extraction, its model calls, actors, incidents,
casualty claims and evidence, gathered for the store to insert a batch's rows per table."""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from extractor.backend import BackendResult
from extractor.resolve.postprocess import ProcessedExtraction
from extractor.schemas import Article
from extractor.vocabulary import ExtractionStatus, now

CHILD_TABLES = ("evidence", "casualties", "incident_actors", "actor_mentions", "incidents")
Rows = dict[str, list[dict[str, Any]]]  # table -> rows of a batch, inserted together


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


def gather(db: Database, record: ExtractionRecord, rows: Rows) -> None:
    """Every row one extraction writes, added to ``rows`` (old child rows deleted now)."""
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
    _calls(db, record, rows)
    if processed is None:
        return
    provenance = {
        "article_id": record.article.id, "extraction_id": record.key,
        "run_id": record.run_id, "model": record.model,
        "prompt_hash": record.prompt_hash, "schema_hash": record.schema_hash,
    }
    _actors(db, record, processed, provenance, rows)
    _incidents(db, record, processed, provenance, rows)

def _calls(db: Database, record: ExtractionRecord, rows: Rows) -> None:
    """The model calls behind an extraction, in the same transaction as the extraction.

    A request's system message (~11 KB, the same on every request) is stored once, in
    ``prompt_texts``, keyed by its hash (:func:`system_hash`). In ``request_messages`` it
    is replaced by a reference, ``{"role": "system", "prompt_text": id}``; the message
    sent was ``{"role": "system", "content": prompt_texts.text}`` (see
    docs/model-endpoints.md, "What is logged").
    """
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

def _actors(db: Database, record: ExtractionRecord, processed: ProcessedExtraction,
            provenance: dict[str, Any], rows: Rows) -> None:
    actors = db.table("actors")
    mentions = []
    for index, resolved in enumerate(processed.actors):
        existing = db.execute("select aliases from actors where id = ?",
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

def _ensure_actor(db: Database, actor_id: str, name: str) -> None:
    """An actor named in an incident but typed nowhere still gets a row."""
    # Plain SQL: called once per actor reference, where sqlite-utils' insert would inspect
    # the table each time (the cost Store.save batches away).
    db.execute("insert or ignore into actors (id, name, aliases, in_registry) "
               "values (?, ?, '[]', 0)", [actor_id, name])

def _incidents(db: Database, record: ExtractionRecord, processed: ProcessedExtraction,
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
                _ensure_actor(db, ref.actor_id, ref.name)
                links.append({"incident_id": incident_id, "actor_id": ref.actor_id,
                              "role": role, "name_as_written": ref.name,
                              "extraction_id": record.key})
        for index, (claim, victim_id) in enumerate(
                zip(incident.casualties, resolved.casualty_victim_ids, strict=True)):
            if victim_id:
                _ensure_actor(db, victim_id, claim.victims or victim_id)
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
