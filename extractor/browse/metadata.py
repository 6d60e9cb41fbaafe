"""Datasette metadata for the incident database (Datasette 0.65 format).

Column descriptions of the records a model fills are generated from the Pydantic ``Field``
descriptions in ``extractor.schemas``, so the browser says exactly what the model was asked
for; columns that only the store has (provenance, derived values) are described in
``STORE_COLUMNS``. Canned queries that need tables of other layers (the evaluation harness) are
offered only when those tables exist.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from sqlite_utils import Database

from extractor.events import browsing as events_browsing
from extractor.schemas import Actor, Article, CasualtyClaim, Incident

TITLE = "Conflict incidents"
DESCRIPTION = (
    "Incidents of political violence extracted from news articles, each with its actors, "
    "casualty claims and the quotes that support it. Every value can be traced to its article, "
    "extraction, model and prompt."
)

# Which schema record a table's columns come from (columns named as the record's fields).
SCHEMA_RECORDS: dict[str, type[BaseModel]] = {
    "incidents": Incident,
    "casualties": CasualtyClaim,
    "actors": Actor,
    "actor_mentions": Actor,
    "articles": Article,
}

# Columns filled from a schema field of another name: table -> column -> (record, field).
SCHEMA_RENAMED: dict[str, dict[str, tuple[type[BaseModel], str]]] = {
    "evidence": {"quote": (Incident, "evidence")},
}

# Store-side notes appended to a schema description, where the stored value differs from what
# the model gave.
STORE_NOTES: dict[str, dict[str, str]] = {
    "actors": {
        "name": "Stored: the registry's canonical name when the actor is in the actor registry.",
        "aliases": "Stored: every other name seen for the actor, as a JSON list.",
    },
    "incidents": {
        "admin1": "Stored: filled from the gazetteer when the article does not name it.",
        "country": "Stored: filled from the gazetteer when the article does not name it.",
        "weapons": "Stored as a JSON list.",
        "sources": "Stored as a JSON list.",
    },
    "actor_mentions": {"aliases": "Stored as a JSON list."},
}

PROVENANCE_COLUMNS = {
    "article_id": "The article this record was extracted from.",
    "extraction_id": "The extraction (one article, model, prompt, schema and parameters).",
    "run_id": "The run of `extractor extract` that wrote this record.",
    "model": "Model that produced the record ('baseline' for the offline extractor).",
    "prompt_hash": "Hash of the prompt templates used.",
    "schema_hash": "Hash of the extraction JSON Schema used.",
}

# Columns only the store has: provenance, keys, and values derived after extraction.
STORE_COLUMNS: dict[str, dict[str, str]] = {
    "articles": {
        "title": "Headline, when the input gave one.",
        "url": "Where the article was published, when known.",
        "char_count": "Length of the text in characters.",
        "origin": "File (and line) the article was read from.",
        "added_at": "When the article was first stored (UTC).",
    },
    "runs": {
        "id": "Run number.",
        "command": "The command line of the run.",
        "model": "Model of the run ('baseline' for the offline extractor).",
        "prompt_name": "Prompt name under prompts/.",
        "prompt_hash": "Hash of the prompt templates used.",
        "schema_hash": "Hash of the extraction JSON Schema used.",
        "settings": "The run's settings as JSON (never the API key).",
        "started_at": "Start time (UTC).",
        "finished_at": "End time (UTC).",
        "status": "running, completed, interrupted or aborted.",
        "articles_seen": "Articles read from the input.",
        "articles_extracted": "Articles extracted in this run.",
        "articles_skipped": "Articles skipped because an identical extraction was stored.",
        "articles_failed": "Articles whose extraction failed.",
        "input_errors": "Inputs that could not be read as articles.",
        "incidents": "Incidents written by this run.",
        "prompt_tokens": "Prompt tokens spent.",
        "completion_tokens": "Completion tokens spent.",
        "total_tokens": "All tokens spent.",
        "cost_usd": "Estimated cost in US dollars, when the model's price is known.",
        "message": "Why the run stopped, when it did not complete.",
        "extractor_version": "Version of extractor that ran.",
        "pid": "Process id that ran it; a 'running' run whose process is gone is marked "
               "interrupted by the next run.",
        "host": "Machine that ran it.",
    },
    "extractions": {
        "id": "Cache key: a hash of the article, model, prompt, schema and parameters.",
        "article_id": PROVENANCE_COLUMNS["article_id"],
        "run_id": "The run that last wrote this extraction.",
        "model": PROVENANCE_COLUMNS["model"],
        "prompt_hash": PROVENANCE_COLUMNS["prompt_hash"],
        "schema_hash": PROVENANCE_COLUMNS["schema_hash"],
        "params_hash": "Hash of the other parameters that change the output.",
        "status": "ok, or failed (see error_kind and error).",
        "error_kind": "Kind of failure: bad_request, validation, truncated, transport, ...",
        "error": "The error message of a failed extraction.",
        "raw_response": "What the model returned, last attempt.",
        "result_json": "The validated extraction result as the model gave it (JSON).",
        "attempts": "Requests made, re-asks included.",
        "prompt_tokens": "Prompt tokens spent, all attempts.",
        "completion_tokens": "Completion tokens spent, all attempts.",
        "total_tokens": "All tokens spent, all attempts.",
        "cost_usd": "Estimated cost in US dollars, when the model's price is known.",
        "latency_ms": "Time the extraction took, in milliseconds.",
        "incident_count": "Incidents extracted from the article.",
        "created_at": "First stored (UTC).",
        "updated_at": "Last written (UTC).",
    },
    "actors": {
        "id": "Actor id: slug of the canonical name.",
        "in_registry": "1 when the actor is in the actor registry, 0 when only seen in articles.",
    },
    "actor_mentions": {
        "id": "Mention id: the extraction key and the actor's position.",
        **PROVENANCE_COLUMNS,
        "actor_id": "The canonical actor this mention resolved to.",
    },
    "incidents": {
        "id": "Incident id: the extraction key and the incident's position.",
        **PROVENANCE_COLUMNS,
        "position": "Order of first mention in the article (0 first).",
        "date_precision": "How precise the date is, derived from date_start and date_end.",
        "geo_precision_code": "ACLED geo-precision code: 1 place, 2 near place, 3 region or "
                              "country.",
        "gazetteer_name": "The gazetteer entry the place resolved to.",
        "latitude": "Latitude of the gazetteer entry (WGS84).",
        "longitude": "Longitude of the gazetteer entry (WGS84).",
        "fatalities": "Fatalities derived from the casualty claims (ACLED's conservative rule).",
        "evidence_status": "verified: every evidence quote was found in the article; partial: "
                           "some; unverified: none, or no evidence.",
    },
    "incident_actors": {
        "incident_id": "The incident.",
        "actor_id": "The canonical actor.",
        "role": "perpetrator, target or claimed_by: the incident's list that names the actor.",
        "name_as_written": "The name as the incident gives it.",
        "extraction_id": PROVENANCE_COLUMNS["extraction_id"],
    },
    "casualties": {
        "id": "Claim id: the incident id and the claim's position.",
        "incident_id": "The incident the figure is given for.",
        **PROVENANCE_COLUMNS,
        "position": "Order of the claim in the incident (0 first).",
        "victims_actor_id": "The canonical actor the victims resolved to, if any.",
    },
    "model_calls": {
        "id": "Call id: the extraction id, run id and attempt.",
        "extraction_id": PROVENANCE_COLUMNS["extraction_id"],
        "run_id": "The run that made the request.",
        "attempt": "HTTP request number within the extraction, from 1.",
        "ask": "1 for the first ask, 2 for the first re-ask after invalid output, ...",
        "request_messages": "The messages new since the previous request (JSON); the system "
                            "message is a reference to prompt_texts, stored once.",
        "response": "The model's output: content or tool-call arguments.",
        "finish_reason": "Why the model stopped (stop, length, tool_calls, ...).",
        "status": "ok, or what went wrong: http_429, http_500, timeout, connection, ...",
        "http_status": "HTTP status of the response.",
        "error": "The error, when the request failed.",
        "request_id": "The provider's request id (x-request-id), for support requests.",
        "prompt_tokens": "Prompt tokens of this request.",
        "completion_tokens": "Completion tokens of this request.",
        "total_tokens": "All tokens of this request.",
        "latency_ms": "Time the request took, in milliseconds.",
        "created_at": "When the request was made (UTC).",
    },
    "prompt_texts": {
        "id": "Hash of the text: what model_calls.request_messages refers to.",
        "role": "The message role the text is sent as (system).",
        "text": "The message text, exactly as sent.",
        "chars": "Length of the text in characters.",
        "created_at": "When the text was first sent (UTC).",
    },
    "evidence": {
        "id": "Evidence id: the incident id and the quote's position.",
        "incident_id": "The incident the quote supports.",
        **PROVENANCE_COLUMNS,
        "position": "Order of the quote in the incident (0 first).",
        "start": "Offset of the quote's first character in the article text; null if not found.",
        "end": "Offset just past the quote's last character; null if not found.",
        "alignment": "exact: found verbatim (typographic quotes, dashes and spaces folded); "
                     "fuzzy: found approximately; unaligned: not found in the article.",
        "score": "Alignment score, 0 to 100.",
    },
}
# Events across articles describe their own tables (extractor/events/tables.toml).
_EVENT_TABLES = tomllib.loads(events_browsing.TABLES.read_text(encoding="utf-8"))["tables"]
STORE_COLUMNS["incidents"].update(events_browsing.INCIDENT_COLUMNS)
STORE_COLUMNS.update({name: entry["columns"] for name, entry in _EVENT_TABLES.items()})


def _field_description(record: type[BaseModel], field: str) -> str | None:
    info = record.model_fields.get(field)
    return info.description if info else None


def column_descriptions(table: str, columns: list[str]) -> dict[str, str]:
    """Descriptions of a table's columns: schema fields first, then store-only columns."""
    record = SCHEMA_RECORDS.get(table)
    renamed = SCHEMA_RENAMED.get(table, {})
    store = STORE_COLUMNS.get(table, {})
    notes = STORE_NOTES.get(table, {})
    described: dict[str, str] = {}
    for column in columns:
        text = None
        if column in renamed:
            text = _field_description(*renamed[column])
        elif record is not None:
            text = _field_description(record, column)
        if text is None:
            text = store.get(column)
        elif column in notes:
            text = f"{text} {notes[column]}"
        if text:
            described[column] = text
    return described


def _view_columns() -> dict[str, dict[str, str]]:
    """Descriptions of the browsing views' columns, taken from the tables they come from."""
    incidents = {**STORE_COLUMNS["incidents"], **column_descriptions(
        "incidents", list(Incident.model_fields))}
    roles = {
        role_column: f"{_field_description(Incident, role_column)} Canonical names, comma "
                     "separated."
        for role_column in ("perpetrators", "targets", "claimed_by")
    }
    overview = {
        **incidents,
        **roles,
        "incident_rowid": "Row number of the incident (joins the full-text index).",
        "article_title": STORE_COLUMNS["articles"]["title"],
    }
    by_actor = {
        **incidents,
        "actor": "Canonical name of the actor.",
        "actor_type": _field_description(Actor, "actor_type") or "",
        **{k: v for k, v in STORE_COLUMNS["incident_actors"].items()
           if k in ("incident_id", "actor_id", "role", "name_as_written")},
    }
    return {"incident_overview": overview, "incidents_by_actor": by_actor}


COMMON_FACETS = ["event_type", "sub_event_type", "country", "admin1", "is_background",
                 "evidence_status"]

TABLE_SETTINGS: dict[str, dict[str, Any]] = {
    "incidents": {
        "description": "One row per incident an extraction found. The evidence_status links "
                       "to the incident's evidence highlighted in its article.",
        "sort_desc": "date_start",
        "facets": [*COMMON_FACETS, "model"],
        "fts_table": "incidents_fts",
    },
    "incident_overview": {
        "description": "Incidents with their actors by role, place and fatalities in one row "
                       "(a view); the map shows those with coordinates.",
        "sort_desc": "date_start",
        "facets": [*COMMON_FACETS, "model"],
        # A view has no rowid: search joins the incidents' index through incident_rowid.
        "fts_table": "incidents_fts",
        "fts_pk": "incident_rowid",
    },
    "incidents_by_actor": {
        "description": "One row per actor of each incident, for faceting by actor and role "
                       "(a view).",
        "sort_desc": "date_start",
        "facets": ["actor", "role", "event_type", "country", "evidence_status"],
    },
    "articles": {
        "description": "The articles as the extractor read them; the text is what the model saw.",
        "sort_desc": "published",
        "label_column": "title",
        "fts_table": "articles_fts",
        "facets": ["source"],
    },
    "actors": {
        "description": "Canonical actors across all articles (the registry's, and those only "
                       "seen in articles).",
        "sort": "name",
        "label_column": "name",
        "facets": ["actor_type", "country", "in_registry"],
    },
    "actor_mentions": {
        "description": "Each actor as one extraction named it, with the canonical actor it "
                       "resolved to.",
        "facets": ["actor_type", "model"],
    },
    "incident_actors": {
        "description": "Which actors took part in which incident, and in what role.",
        "facets": ["role"],
    },
    "casualties": {
        "description": "Every figure an article gives for an incident, one per victim group and "
                       "source.",
        "facets": ["kind", "source"],
    },
    "evidence": {
        "description": "Quotes supporting each incident, with where they were found in the "
                       "article. Each quote links to its place in the article.",
        "facets": ["alignment", "model"],
    },
    "extractions": {
        "description": "One extraction per article and configuration: status, errors, tokens "
                       "and the raw response.",
        "sort_desc": "updated_at",
        "facets": ["status", "error_kind", "model"],
    },
    "runs": {
        "description": "Every run of `extractor extract`, with its counts and cost.",
        "sort_desc": "id",
        "facets": ["status", "model"],
    },
    "model_calls": {
        "description": "Every request a model backend made: prompts, outputs, re-asks, retries "
                       "and tokens.",
        "sort_desc": "created_at",
        "facets": ["status", "finish_reason", "ask"],
    },
    "prompt_texts": {
        "description": "Each distinct system message sent to a model, stored once; model_calls "
                       "rows refer to it.",
        "sort_desc": "created_at",
    },
    "eval_runs": {
        "description": "Each evaluation against the gold set, with its headline scores. The "
                       "canned query eval_runs_compared puts two of them side by side.",
        "sort_desc": "id",
        "facets": ["model", "gold_hash", "gate"],
    },
    "eval_scores": {
        "description": "Each field's score (micro average) in each evaluation.",
        "facets": ["field"],
    },
    "eval_articles": {
        "description": "Each gold article of an evaluation, with the extraction it was scored "
                       "from.",
        "label_column": "title",
        "facets": ["status"],
    },
    "eval_article_scores": {
        "description": "Each field's score per gold article (what the paired bootstrap "
                       "resamples).",
        "facets": ["field"],
    },
    "eval_pairs": {
        "description": "Every gold and predicted incident of an evaluation, paired or not, "
                       "with the similarity and the reason.",
        "facets": ["status"],
    },
    "_sqlite_migrations": {"hidden": True},
}
TABLE_SETTINGS.update({name: {k: v for k, v in entry.items() if k != "columns"}
                       for name, entry in _EVENT_TABLES.items()})


@dataclass(frozen=True)
class CannedQuery:
    name: str
    title: str
    description: str
    sql: str
    requires: tuple[str, ...]  # tables that must exist for the query to be offered

    def as_metadata(self) -> dict[str, Any]:
        # The SQL stays one click away ("show"); the results come first.
        return {"title": self.title, "description": self.description, "sql": self.sql.strip(),
                "hide_sql": True}


EVALS = ("eval_runs", "eval_scores", "eval_articles", "eval_article_scores", "eval_pairs")
# The two eval runs a comparison defaults to: the latest two.
_RUN_PAIR = """
picked as (
  select
    cast(coalesce(nullif(:run_a, ''),
                  (select id from eval_runs order by id desc limit 1 offset 1)) as integer) as a,
    cast(coalesce(nullif(:run_b, ''),
                  (select id from eval_runs order by id desc limit 1)) as integer) as b
)"""

CORE = ("incidents", "incident_actors", "actors", "casualties", "evidence", "articles",
        "extractions")

CANNED_QUERIES: tuple[CannedQuery, ...] = (
    CannedQuery(
        "actor_timeline",
        "An actor's incidents over time",
        "Incidents naming an actor (canonical name, alias or id; part of a name is enough), "
        "oldest first, with the actor's role in each.",
        """
select
  incidents.date_start,
  substr(incidents.date_start, 1, 7) as month,
  actors.name as actor,
  incident_actors.role,
  incidents.event_type,
  incidents.sub_event_type,
  incidents.place,
  incidents.admin1,
  incidents.country,
  incidents.fatalities,
  incidents.evidence_status,
  incidents.summary,
  incidents.id as incident_id,
  incidents.model
from incident_actors
join actors on actors.id = incident_actors.actor_id
join incidents on incidents.id = incident_actors.incident_id
where :actor != ''
  and (actors.id = :actor
       or actors.name like '%' || :actor || '%'
       or actors.aliases like '%' || :actor || '%')
order by incidents.date_start is null, incidents.date_start, incidents.id
""",
        CORE,
    ),
    CannedQuery(
        "incidents_per_month",
        "Incidents per month",
        "Incidents and fatalities per month of date_start and model; background incidents "
        "(recalled as context) counted apart.",
        """
select
  coalesce(substr(date_start, 1, 7), '(no date)') as month,
  model,
  sum(not is_background) as reported,
  sum(is_background) as background,
  sum(case when is_background then 0 else fatalities end) as fatalities_reported
from incidents
group by month, model
order by month = '(no date)', month, model
""",
        CORE,
    ),
    CannedQuery(
        "incidents_per_region",
        "Incidents per region",
        "Incidents, fatalities and date range per country and first-level region, per model.",
        """
select
  coalesce(country, '(unknown)') as country,
  coalesce(admin1, '(unknown)') as admin1,
  model,
  count(*) as incidents,
  sum(not is_background) as reported,
  sum(fatalities) as fatalities,
  min(date_start) as first_date,
  max(date_end) as last_date
from incidents
group by country, admin1, model
order by incidents desc, country, admin1
""",
        CORE,
    ),
    CannedQuery(
        "conflicting_casualty_claims",
        "Conflicting casualty claims",
        "Incidents where different sources give different figures for the same kind of "
        "casualty and the same victims.",
        """
with claims as (
  select
    incident_id,
    kind,
    coalesce(victims_actor_id, lower(victims), '') as victims_key,
    victims,
    coalesce(source, '(the article)') as source,
    count_text,
    count_min,
    count_max
  from casualties
)
select
  claims.incident_id,
  incidents.date_start,
  incidents.place,
  claims.kind,
  max(claims.victims) as victims,
  count(*) as claims,
  group_concat(claims.source || ': ' || claims.count_text, ' | ') as figures,
  min(claims.count_min) as lowest,
  max(coalesce(claims.count_max, claims.count_min)) as highest,
  incidents.evidence_status,
  incidents.summary,
  incidents.model
from claims
join incidents on incidents.id = claims.incident_id
where exists (
  select 1 from claims as other
  where other.incident_id = claims.incident_id
    and other.kind = claims.kind
    and other.victims_key = claims.victims_key
    and other.source != claims.source
    and (other.count_min is not claims.count_min or other.count_max is not claims.count_max)
)
group by claims.incident_id, claims.kind, claims.victims_key
order by incidents.date_start desc, claims.incident_id
""",
        CORE,
    ),
    CannedQuery(
        "unverified_evidence",
        "Incidents whose evidence did not align",
        "Incidents with evidence_status other than verified: some or all of their quotes were "
        "not found in the article (or they have none). Follow evidence_status to see which.",
        """
select
  incidents.id as incident_id,
  incidents.evidence_status,
  count(evidence.id) as quotes,
  coalesce(sum(evidence.alignment = 'unaligned'), 0) as not_found,
  coalesce(sum(evidence.alignment = 'fuzzy'), 0) as fuzzy,
  incidents.date_start,
  incidents.summary,
  articles.title as article_title,
  incidents.model
from incidents
left join evidence on evidence.incident_id = incidents.id
left join articles on articles.id = incidents.article_id
where coalesce(incidents.evidence_status, '') != 'verified'
group by incidents.id
order by not_found desc, incidents.date_start desc
""",
        CORE,
    ),
    CannedQuery(
        "failed_extractions",
        "Failed extractions",
        "Articles whose extraction failed, with the kind of error and its message.",
        """
select
  extractions.id as extraction_id,
  extractions.updated_at,
  extractions.model,
  extractions.error_kind,
  extractions.error,
  extractions.attempts,
  extractions.article_id,
  articles.title as article_title,
  articles.origin,
  extractions.run_id
from extractions
left join articles on articles.id = extractions.article_id
where extractions.status = 'failed'
order by extractions.updated_at desc
""",
        CORE,
    ),
    CannedQuery(
        "actors_not_in_registry",
        "Actors not in the registry",
        "Actors only seen in articles, with how many incidents name them: candidates for the "
        "actor registry (or for aliases of a registered actor).",
        """
select
  actors.id,
  actors.name,
  actors.actor_type,
  actors.aliases,
  count(distinct incident_actors.incident_id) as incidents
from actors
left join incident_actors on incident_actors.actor_id = actors.id
where actors.in_registry = 0
group by actors.id
order by incidents desc, actors.name
""",
        CORE,
    ),
    CannedQuery(
        "eval_runs_compared",
        "Two eval runs side by side",
        "Every field's score in eval run A and eval run B, and the change from A to B. Leave "
        "run_a and run_b empty for the latest two runs.",
        f"""
with {_RUN_PAIR.strip()},
fields as (
  select distinct field from eval_scores, picked
  where eval_scores.eval_run_id in (picked.a, picked.b)
)
select
  fields.field,
  picked.a as run_a,
  a.score as score_a,
  picked.b as run_b,
  b.score as score_b,
  round(b.score - a.score, 4) as change,
  case when a.field is not null then printf('%g / %g', a.numerator, a.denominator) end
    as counts_a,
  case when b.field is not null then printf('%g / %g', b.numerator, b.denominator) end
    as counts_b,
  (select model || ' ' || prompt_hash from eval_runs where id = picked.a) as model_prompt_a,
  (select model || ' ' || prompt_hash from eval_runs where id = picked.b) as model_prompt_b
from fields
join picked
left join eval_scores as a on a.eval_run_id = picked.a and a.field = fields.field
left join eval_scores as b on b.eval_run_id = picked.b and b.field = fields.field
order by fields.field
""",
        EVALS,
    ),
    CannedQuery(
        "eval_article_changes",
        "Articles whose scores changed between two eval runs",
        "Per gold article and field, the score in eval run A and in eval run B, largest drops "
        "first. Leave run_a and run_b empty for the latest two runs.",
        f"""
with {_RUN_PAIR.strip()}
select
  a.article_id,
  (select title from eval_articles
   where eval_articles.eval_run_id = picked.b and eval_articles.article_id = a.article_id)
    as title,
  a.field,
  a.score as score_a,
  b.score as score_b,
  round(coalesce(b.score, 0) - coalesce(a.score, 0), 4) as change,
  a.explanation as explanation_a,
  b.explanation as explanation_b
from picked
join eval_article_scores as a on a.eval_run_id = picked.a
join eval_article_scores as b
  on b.eval_run_id = picked.b and b.article_id = a.article_id and b.field = a.field
where a.score is not b.score
order by change, a.article_id, a.field
""",
        EVALS,
    ),
    CannedQuery(
        "eval_unpaired_incidents",
        "Missed and spurious incidents of an eval run",
        "Gold incidents no prediction matched (missed) and predictions matching no gold "
        "incident (spurious), with the reason. Leave run empty for the latest run.",
        """
select
  eval_pairs.status,
  eval_pairs.article_id,
  eval_pairs.gold_summary,
  eval_pairs.pred_summary,
  eval_pairs.similarity,
  eval_pairs.reason,
  eval_pairs.eval_run_id
from eval_pairs
where eval_pairs.eval_run_id = cast(coalesce(nullif(:run, ''),
                                             (select max(id) from eval_runs)) as integer)
  and eval_pairs.status != 'paired'
order by eval_pairs.status, eval_pairs.article_id
""",
        EVALS,
    ),
)


def available_queries(tables: set[str]) -> dict[str, dict[str, Any]]:
    """The canned queries whose tables all exist, as Datasette metadata."""
    return {
        query.name: query.as_metadata()
        for query in CANNED_QUERIES
        if set(query.requires) <= tables
    }


def build_metadata(db: Database, database_name: str) -> dict[str, Any]:
    """Datasette metadata for ``db`` served under ``database_name``."""
    tables = set(db.table_names())
    views = set(db.view_names())
    descriptions = _view_columns()
    table_metadata: dict[str, dict[str, Any]] = {}
    for name in sorted(tables | views):
        settings = dict(TABLE_SETTINGS.get(name, {}))
        if name in tables:
            columns = column_descriptions(name, list(db[name].columns_dict))
        else:
            view_columns = db[name].columns_dict
            columns = {c: d for c, d in descriptions.get(name, {}).items() if c in view_columns}
        if columns:
            settings["columns"] = columns
        if settings:
            table_metadata[name] = settings
    return {
        "title": TITLE,
        "description": DESCRIPTION,
        "databases": {
            database_name: {
                "description": DESCRIPTION,
                "tables": table_metadata,
                "queries": available_queries(tables),
            }
        },
    }
