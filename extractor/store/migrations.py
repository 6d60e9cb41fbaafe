"""The database schema, as an append-only list of migrations.

Never edit a migration that has shipped: add a new function below. Each runs in a transaction
with its bookkeeping row (sqlite-utils ``Migrations``). Layers above the core (evals, browsing)
keep migration sets of their own under other names. What each table and column means is said
once, in ``tables.toml`` next to this file (docs/columns.md is generated from it): describe a
new column there, not in a comment here.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("extractor")

# Columns every derived record carries, so each row says where it came from.
PROVENANCE = {
    "article_id": str,
    "extraction_id": str,
    "run_id": int,
    "model": str,
    "prompt_hash": str,
    "schema_hash": str,
}


@migrations()
def m001_core_tables(db: Database) -> None:
    db.table("articles").create(
        {
            "id": str,
            "title": str,
            "url": str,
            "published": str,
            "source": str,
            "text": str,
            "char_count": int,
            "origin": str,
            "added_at": str,
        },
        pk="id",
    )
    db.table("runs").create(
        {
            "id": int,
            "command": str,
            "model": str,
            "prompt_name": str,
            "prompt_hash": str,
            "schema_hash": str,
            "settings": str,
            "started_at": str,
            "finished_at": str,
            "status": str,
            "articles_seen": int,
            "articles_extracted": int,
            "articles_skipped": int,
            "articles_failed": int,
            "input_errors": int,
            "incidents": int,
            "prompt_tokens": int,
            "completion_tokens": int,
            "total_tokens": int,
            "cost_usd": float,
            "message": str,
            "extractor_version": str,
        },
        pk="id",
    )
    # One extraction per article per configuration: the key hashes the article, model, prompt,
    # schema and parameters, so a re-run of the same configuration finds it done.
    db.table("extractions").create(
        {
            "id": str,
            "article_id": str,
            "run_id": int,
            "model": str,
            "prompt_hash": str,
            "schema_hash": str,
            "params_hash": str,
            "status": str,
            "error_kind": str,
            "error": str,
            "raw_response": str,
            "result_json": str,
            "attempts": int,
            "prompt_tokens": int,
            "completion_tokens": int,
            "total_tokens": int,
            "cost_usd": float,
            "latency_ms": float,
            "incident_count": int,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id"), ("run_id", "runs", "id")],
    )
    db.table("actors").create(
        {
            "id": str,
            "name": str,
            "aliases": str,
            "actor_type": str,
            "country": str,
            "affiliation": str,
            "in_registry": int,
        },
        pk="id",
    )
    db.table("incidents").create(
        {
            "id": str,
            **PROVENANCE,
            "position": int,
            "summary": str,
            "event_type": str,
            "sub_event_type": str,
            "date_text": str,
            "date_start": str,
            "date_end": str,
            "date_precision": str,
            "place": str,
            "admin1": str,
            "country": str,
            "geo_precision": str,
            "geo_precision_code": int,
            "gazetteer_name": str,
            "latitude": float,
            "longitude": float,
            "fatalities": int,
            "weapons": str,
            "sources": str,
            "is_background": int,
            "evidence_status": str,
        },
        pk="id",
        foreign_keys=[
            ("article_id", "articles", "id"),
            ("extraction_id", "extractions", "id"),
            ("run_id", "runs", "id"),
        ],
    )
    db.table("actor_mentions").create(
        {
            "id": str,
            **PROVENANCE,
            "actor_id": str,
            "name": str,
            "aliases": str,
            "actor_type": str,
            "country": str,
            "affiliation": str,
        },
        pk="id",
        foreign_keys=[
            ("article_id", "articles", "id"),
            ("extraction_id", "extractions", "id"),
            ("run_id", "runs", "id"),
            ("actor_id", "actors", "id"),
        ],
    )
    db.table("incident_actors").create(
        {
            "incident_id": str,
            "actor_id": str,
            "role": str,
            "name_as_written": str,
            "extraction_id": str,
        },
        pk=("incident_id", "actor_id", "role"),
        foreign_keys=[
            ("incident_id", "incidents", "id"),
            ("actor_id", "actors", "id"),
            ("extraction_id", "extractions", "id"),
        ],
    )
    db.table("casualties").create(
        {
            "id": str,
            "incident_id": str,
            **PROVENANCE,
            "position": int,
            "kind": str,
            "count_text": str,
            "count_min": int,
            "count_max": int,
            "victims": str,
            "victims_actor_id": str,
            "source": str,
        },
        pk="id",
        foreign_keys=[
            ("incident_id", "incidents", "id"),
            ("article_id", "articles", "id"),
            ("extraction_id", "extractions", "id"),
            ("run_id", "runs", "id"),
            ("victims_actor_id", "actors", "id"),
        ],
    )
    db.table("evidence").create(
        {
            "id": str,
            "incident_id": str,
            **PROVENANCE,
            "position": int,
            "quote": str,
            "start": int,
            "end": int,
            "alignment": str,
            "score": float,
        },
        pk="id",
        foreign_keys=[
            ("incident_id", "incidents", "id"),
            ("article_id", "articles", "id"),
            ("extraction_id", "extractions", "id"),
            ("run_id", "runs", "id"),
        ],
    )
    for table, columns in [
        ("extractions", ["article_id"]),
        ("extractions", ["run_id"]),
        ("extractions", ["status"]),
        ("incidents", ["article_id"]),
        ("incidents", ["extraction_id"]),
        ("incidents", ["event_type", "sub_event_type"]),
        ("incidents", ["date_start"]),
        ("incidents", ["country", "admin1"]),
        ("actor_mentions", ["extraction_id"]),
        ("actor_mentions", ["actor_id"]),
        ("incident_actors", ["actor_id", "role"]),
        ("incident_actors", ["extraction_id"]),
        ("casualties", ["incident_id"]),
        ("casualties", ["extraction_id"]),
        ("evidence", ["incident_id"]),
        ("evidence", ["extraction_id"]),
        ("evidence", ["alignment"]),
    ]:
        db.table(table).create_index(columns)
    db.table("articles").enable_fts(["title", "text"], create_triggers=True)
    db.table("incidents").enable_fts(["summary", "place"], create_triggers=True)


@migrations()
def m002_model_calls(db: Database) -> None:
    # Every HTTP request a model backend made for an extraction, with what came back: the
    # audit trail of prompts, outputs, re-asks, retries and tokens. Rows of earlier runs stay
    # (the id holds the run), so a retried article keeps the history of its failures.
    db.table("model_calls").create(
        {
            "id": str,
            "extraction_id": str,
            "run_id": int,
            "attempt": int,
            "ask": int,
            "request_messages": str,
            "response": str,
            "finish_reason": str,
            "status": str,
            "http_status": int,
            "error": str,
            "request_id": str,
            "prompt_tokens": int,
            "completion_tokens": int,
            "total_tokens": int,
            "latency_ms": float,
            "created_at": str,
        },
        pk="id",
        foreign_keys=[("extraction_id", "extractions", "id"), ("run_id", "runs", "id")],
    )
    db.table("model_calls").create_index(["extraction_id"])
    db.table("model_calls").create_index(["run_id", "status"])


@migrations()
def m003_prompt_texts(db: Database) -> None:
    # The system message (rules, worked examples, in json modes the schema) is ~11 KB and the
    # same on every request of a run: it is stored once here, keyed by its hash. In
    # model_calls.request_messages a request's system message is then only a reference,
    # {"role": "system", "prompt_text": id}; the exact message sent is
    # {"role": "system", "content": prompt_texts.text}. Rows written before this migration
    # keep their system message inline.
    db.table("prompt_texts").create(
        {
            "id": str,
            "role": str,
            "text": str,
            "chars": int,
            "created_at": str,
        },
        pk="id",
    )


@migrations()
def m004_run_process(db: Database) -> None:
    # Which process ran a run, so that a run whose process died (kill -9, a crash, a reboot)
    # can be told apart from one still running and marked interrupted.
    db.table("runs").add_column("pid", int)
    db.table("runs").add_column("host", str)


@migrations()
def m005_geo_rule(db: Database) -> None:
    # Which gazetteer rule chose an incident's point: curated, only candidate, article
    # country, population, or a region's/country's point standing in for an unknown place.
    db.table("incidents").add_column("geo_rule", str)


@migrations()
def m006_claims(db: Database) -> None:
    # Articles being extracted right now, so that several processes on one database do not
    # send the same article to the model twice. A claim holds while its run is running, its
    # process is alive (pid on host, checked like runs) and its lease has not run out; the
    # holder deletes it when it stores the article or its run ends.
    db.table("claims").create(
        {
            "id": str,  # the extraction key
            "run_id": int,
            "pid": int,
            "host": str,
            "claimed_at": str,
            "expires_at": str,  # ISO 8601 UTC: after this, anyone may take the article
        },
        pk="id",
        foreign_keys=[("run_id", "runs", "id")],
    )
    db.table("claims").create_index(["run_id"])


@migrations()
def m007_events(db: Database) -> None:
    # Events across articles (extractor/events, docs/events.md): incidents of different
    # articles that report the same event share an event. An event belongs to one extraction
    # configuration (its scope: model, prompt, schema and parameters), so two models' readings
    # of the same articles are never mixed. Its fields are reconciled from its reports.
    db.table("events").create(
        {
            "id": str,  # ev- and a hash of the scope and the incident that founded it
            "number": int,  # 1, 2, ... in order of creation: ACLED's event_id_cnty uses it
            "scope": str,  # hash of model, prompt hash, schema hash and parameters hash
            "model": str,
            "prompt_hash": str,
            "schema_hash": str,
            "founder_incident_id": str,
            "event_type": str,
            "sub_event_type": str,
            "date_start": str,  # the narrowest window consistent with every report
            "date_end": str,
            "time_precision": int,  # ACLED: 1 day, 2 week, 3 month or wider
            "place": str,  # from the report with the most precise location
            "admin1": str,
            "country": str,
            "geo_precision": str,
            "geo_precision_code": int,  # ACLED: 1 place, 2 near place, 3 region or country
            "gazetteer_name": str,
            "latitude": float,
            "longitude": float,
            "fatalities": int,  # reconciled across reports (docs/events.md)
            "perpetrators": str,  # JSON list of actor ids, most reported first
            "targets": str,  # JSON list of actor ids
            "claimed_by": str,  # JSON list of actor ids
            "summary": str,  # of the report with the most precise location
            "sources": str,  # JSON list: the outlets that published its articles
            "cited_sources": str,  # JSON list: who the articles cite
            "article_ids": str,  # JSON list
            "reports": int,  # incidents grouped under it
            "articles": int,  # distinct articles among them
            "is_background": int,  # 1 when every report only recalls it
            "first_run_id": int,  # the run whose grouping created it
            "run_id": int,  # the run whose grouping last changed it
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        foreign_keys=[("first_run_id", "runs", "id"), ("run_id", "runs", "id")],
    )
    # Why each incident is in its event: the founder, or the member it matched best, with the
    # similarity's parts and the rule that decided.
    db.table("event_links").create(
        {
            "incident_id": str,
            "event_id": str,
            "rule": str,  # founder, same_event, merge_override, split_override, ambiguous
            "matched_incident_id": str,  # the member it was compared with (null for a founder)
            "score": float,
            "date_score": float,
            "place_score": float,
            "actor_score": float,
            "subtype_score": float,
            "place_relation": str,  # same, coarser, finer
            "flipped": int,  # a battle reported with the sides the other way round
            "explanation": str,
            "created_at": str,
        },
        pk="incident_id",
        foreign_keys=[("event_id", "events", "id")],
    )
    # Analysts' decisions, replayed after every grouping so that they survive later runs.
    db.table("event_overrides").create(
        {
            "id": int,
            "action": str,  # merge, split
            "incidents_a": str,  # JSON list: merge: one event's incidents; split: the incident
            "incidents_b": str,  # JSON list: merge: the other's; split: those it leaves
            "note": str,
            "created_at": str,
        },
        pk="id",
    )
    db.table("incidents").add_column("event_id", str)
    db.table("incidents").create_index(["event_id"])
    db.table("events").create_index(["scope", "event_type"])
    db.table("events").create_index(["number"], unique=True)
    db.table("events").create_index(["date_start"])
    db.table("events").create_index(["country"])
    db.table("event_links").create_index(["event_id"])


@migrations()
def m008_batches(db: Database) -> None:
    # Batches sent to the OpenAI Batch API (extract --batch, extractor batch): what each holds,
    # how far it got, and how far its results are stored, so that collecting can resume.
    db.table("batches").create(
        {
            "id": str,  # the provider's batch id
            "run_id": int,  # the run that submitted it
            "collect_run_id": int,  # the run that stored its results
            "model": str,
            "prompt_hash": str,
            "schema_hash": str,
            "params_hash": str,
            "base_url": str,
            "status": str,  # the provider's: validating ... completed, expired, failed, ...
            "input_file_id": str,
            "output_file_id": str,
            "error_file_id": str,
            "request_total": int,
            "request_completed": int,
            "request_failed": int,
            "keys": str,  # JSON object: extraction key -> article id, every request it holds
            "stored_keys": str,  # JSON list: the keys whose results are stored
            "errors": str,  # JSON list: batch-level errors (why a batch failed)
            "created_at": str,
            "updated_at": str,
            "collected_at": str,  # when every result was stored
        },
        pk="id",
        foreign_keys=[("run_id", "runs", "id")],
    )
    db.table("batches").create_index(["status"])
