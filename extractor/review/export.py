"""Reviewed articles as gold records: the extracted incidents with the reviews applied.

An article is exported when every incident of one of its extractions has a review (an
extraction whose incidents are only partly reviewed is reported and left out). Its record holds
the accepted incidents as extracted, the corrected ones with their corrections, and the
incidents the analyst added (unless withdrawn); rejected ones are left out. Evidence quotes
are the article's own text at the offsets alignment found (a fuzzy quote becomes the passage
it matched; a quote not found in the article is dropped), so every quote is a substring of
the text, as gold requires.
Actors are those the kept incidents name. Each record is checked with the rules ``extractor
gold check`` applies; a record that breaks one is reported and nothing is written.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlite_utils import Database

from extractor.evals.gold_rules import LabelledRecord, payload_findings, record_findings
from extractor.evals.jsonpaths import Loc
from extractor.schemas import Actor, ExtractionResult

from .table import TABLE, Action, added_id

__all__ = ["Export", "export_gold"]

REVIEWED_TAG = "reviewed"


@dataclass
class Export:
    """What :func:`export_gold` found: the records, and why other articles are not there."""

    records: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # partly reviewed extractions
    problems: list[str] = field(default_factory=list)  # records that would not be valid gold


def _rows(db: Database, sql: str, params: list[Any] | None = None) -> Iterator[dict[str, Any]]:
    cursor = db.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    for row in cursor.fetchall():
        yield dict(zip(names, row, strict=True))


def _latest_reviews(db: Database) -> dict[str, dict[str, Any]]:
    """Incident id -> its latest review (accept, reject or correct)."""
    return {row["incident_id"]: row for row in _rows(db, f"""
        select * from {TABLE} where id in (
          select max(id) from {TABLE} where incident_id is not null group by incident_id)""")}


def _aligned_quotes(db: Database, incident_id: str, text: str) -> list[str]:
    """The incident's evidence as the article's text at the aligned offsets."""
    quotes = []
    for row in _rows(db, "select start, end, alignment from evidence where incident_id = ? "
                         "order by position", [incident_id]):
        start, end = row["start"], row["end"]
        if (row["alignment"] != "unaligned" and isinstance(start, int) and isinstance(end, int)
                and 0 <= start < end <= len(text)):
            quotes.append(text[start:end])
    return quotes


def _names(incident: dict[str, Any]) -> list[str]:
    named = [*incident["perpetrators"], *incident["targets"], *incident["claimed_by"]]
    named += [c["victims"] for c in incident["casualties"] if c.get("victims")]
    return list(dict.fromkeys(named))


def _known_actors(db: Database) -> dict[str, dict[str, Any]]:
    """Folded name or alias -> an actor of the actors table (for names a reviewer typed)."""
    known: dict[str, dict[str, Any]] = {}
    for row in _rows(db, "select name, aliases, actor_type, country, affiliation from actors"):
        aliases = json.loads(row["aliases"] or "[]")
        for name in (row["name"], *aliases):
            known.setdefault(name.casefold(), row)
    return known


def _record_actors(incidents: list[dict[str, Any]], extracted: list[Actor],
                   known: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The actors the incidents name: the extraction's own, then the actors table's; an alias
    another actor already uses is left out (gold never lets one name stand for two)."""
    used = {name for incident in incidents for name in _names(incident)}
    actors: list[dict[str, Any]] = []
    for actor in extracted:
        if {actor.name, *actor.aliases} & used:
            actors.append(actor.model_dump(mode="json"))
    covered = {n for a in actors for n in (a["name"], *a["aliases"])}
    for name in sorted(used - covered):
        row = known.get(name.casefold())
        actors.append({"name": name, "aliases": [],
                       "actor_type": row["actor_type"] if row else None,
                       "country": row["country"] if row else None,
                       "affiliation": row["affiliation"] if row else None})
    owner = {entry["name"].casefold() for entry in actors}
    for entry in actors:
        kept = []
        for alias in entry["aliases"]:
            if alias.casefold() not in owner:
                owner.add(alias.casefold())
                kept.append(alias)
        entry["aliases"] = kept
    return actors


def _closed_window(incident: dict[str, Any]) -> dict[str, Any]:
    """A known day is a window of one day: gold windows have both ends or neither."""
    start, end = incident.get("date_start"), incident.get("date_end")
    return {**incident, "date_start": start or end, "date_end": end or start}


@dataclass
class _Article:
    extraction_id: str
    article: dict[str, Any]
    incidents: list[dict[str, Any]]  # gold incidents, JSON-ready
    origins: list[str]  # per incident: where it came from, for messages
    last_review: int


def _build(db: Database, extraction_id: str, reviews: dict[str, dict[str, Any]],
           added: list[dict[str, Any]]) -> _Article | str:
    incident_rows = list(_rows(db, "select id, position from incidents where extraction_id = ? "
                                   "order by position", [extraction_id]))
    pending = [row["id"] for row in incident_rows if row["id"] not in reviews]
    extraction = next(_rows(db, "select article_id, result_json from extractions where id = ?",
                            [extraction_id]))
    article = next(_rows(db, "select id, title, url, published, source, text from articles "
                             "where id = ?", [extraction["article_id"]]))
    if pending:
        return (f"article {article['id']} ({article['title'] or 'untitled'}): "
                f"{len(pending)} of {len(incident_rows)} incidents not reviewed yet")
    result = ExtractionResult.model_validate_json(extraction["result_json"])
    incidents, origins, last = [], [], 0
    for row in incident_rows:
        review = reviews[row["id"]]
        last = max(last, review["id"])
        if review["action"] == Action.reject:
            continue
        incident = result.incidents[row["position"]].model_dump(mode="json")
        if review["action"] == Action.correct:
            incident.update(json.loads(review["patch"]))
        incident["evidence"] = _aligned_quotes(db, row["id"], article["text"])
        incidents.append(_closed_window(incident))
        origins.append(f"incident {row['id']} ({review['action']}ed)")
    for review in added:
        last = max(last, review["id"])
        incidents.append(_closed_window(json.loads(review["patch"])))
        origins.append(f"the incident added by review {review['id']}")
    return _Article(extraction_id, article, incidents, origins, last)


def _payload(item: _Article, db: Database, known: dict[str, dict[str, Any]]) -> dict[str, Any]:
    result = ExtractionResult.model_validate_json(next(_rows(
        db, "select result_json from extractions where id = ?",
        [item.extraction_id]))["result_json"])
    return {"article": item.article, "tests": [REVIEWED_TAG],
            "actors": _record_actors(item.incidents, result.actors, known),
            "incidents": item.incidents}


def _where(item: _Article, loc: Loc) -> str:
    path = ".".join(str(part) for part in loc)
    if len(loc) >= 2 and loc[0] == "incidents" and isinstance(loc[1], int):
        return f"{item.origins[loc[1]]}: {'.'.join(str(p) for p in loc[2:]) or 'incident'}"
    return path or "record"


def _findings(payload: dict[str, Any]) -> list[tuple[Loc, str]]:
    findings = payload_findings(payload)
    try:
        record = LabelledRecord.model_validate(payload)
    except ValidationError as error:
        return findings + [(tuple(e["loc"]), e["msg"]) for e in error.errors()]
    return findings + record_findings(record)


def export_gold(db: Database) -> Export:
    """The reviewed articles of ``db`` as gold payloads (reads only)."""
    export = Export()
    reviews = _latest_reviews(db)
    added: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in _rows(db, f"select * from {TABLE} where action = ? order by id", [Action.add]):
        withdrawn = reviews.get(added_id(row["id"]), {}).get("action") == Action.reject
        if not withdrawn:
            added[row["extraction_id"]].append(row)
    extraction_ids = {r["extraction_id"] for r in reviews.values()} | set(added)
    chosen: dict[str, _Article] = {}
    for extraction_id in sorted(e for e in extraction_ids if e):
        built = _build(db, extraction_id, reviews, added.get(extraction_id, []))
        if isinstance(built, str):
            export.skipped.append(built)
            continue
        article_id = built.article["id"]
        if article_id not in chosen or chosen[article_id].last_review < built.last_review:
            chosen[article_id] = built  # the latest reviewed extraction of the article
    known = _known_actors(db)
    for article_id in sorted(chosen):
        item = chosen[article_id]
        payload = _payload(item, db, known)
        problems = _findings(payload)
        export.problems += [f"article {article_id}: {_where(item, loc)}: {message}"
                            for loc, message in problems]
        if not problems:
            export.records.append(payload)
    return export
