"""What the events tables' columns mean, for Datasette (extractor/browse adds them)."""

from __future__ import annotations

from typing import Any

INCIDENT_COLUMNS = {
    "event_id": "The event this incident reports (events.id): incidents of different articles "
                "that report the same event share it.",
}

EVENT_COLUMNS: dict[str, dict[str, str]] = {
    "events": {
        "id": "Event id: ev- and a hash of its scope and of the incident that founded it.",
        "number": "1, 2, ... in order of creation; ACLED's event_id_cnty is the country's "
                  "ISO alpha-3 code and this number.",
        "scope": "Hash of the extraction configuration (model, prompt, schema, parameters): "
                 "events never mix two.",
        "model": "Model that extracted its incidents.",
        "prompt_hash": "Prompt hash of its incidents' extractions.",
        "schema_hash": "Schema hash of its incidents' extractions.",
        "founder_incident_id": "The incident that founded the event.",
        "event_type": "ACLED event type, shared by every report.",
        "sub_event_type": "ACLED sub-event type most reports give.",
        "date_start": "Earliest day: the narrowest window consistent with every report.",
        "date_end": "Latest day of that window.",
        "time_precision": "ACLED time precision: 1 day, 2 week, 3 month or wider.",
        "place": "Place of the report with the most precise location.",
        "admin1": "First-level region.",
        "country": "Country.",
        "geo_precision": "place, near_place, region or country.",
        "geo_precision_code": "ACLED geo-precision code: 1 place, 2 near place, 3 region or "
                              "country.",
        "gazetteer_name": "The gazetteer entry the place resolved to.",
        "latitude": "Latitude of the gazetteer entry (WGS84).",
        "longitude": "Longitude of the gazetteer entry (WGS84).",
        "fatalities": "Lowest killed figure per victim group over every report, summed "
                      "(docs/events.md).",
        "perpetrators": "Actor ids of the perpetrators any report names, most reported first "
                        "(JSON).",
        "targets": "Actor ids of the targets (JSON).",
        "claimed_by": "Actor ids of those claiming it (JSON).",
        "summary": "Summary of the report with the most precise location.",
        "sources": "Outlets that published its articles (JSON).",
        "cited_sources": "Who those articles cite (JSON).",
        "article_ids": "Its articles (JSON).",
        "reports": "Incidents grouped under it.",
        "articles": "Distinct articles among them.",
        "is_background": "1 when every report only recalls it.",
        "first_run_id": "The run whose grouping created it.",
        "run_id": "The run whose grouping last changed it.",
        "created_at": "When it was created (UTC).",
        "updated_at": "When it last changed (UTC).",
    },
    "event_links": {
        "incident_id": "The incident.",
        "event_id": "The event it is in.",
        "rule": "founder, same_event, ambiguous (fits several places), merge_override or "
                "split_override.",
        "matched_incident_id": "The member it was compared with.",
        "score": "Similarity: 0.35 date + 0.35 place + 0.2 actors + 0.1 sub-event type.",
        "date_score": "Share of the two date windows in common.",
        "place_score": "1 same place; 0.7/0.5 same region; 0.5/0.3 same country.",
        "actor_score": "Jaccard similarity of the actor ids (0.5 when a side is unnamed).",
        "subtype_score": "1 when the sub-event types agree.",
        "place_relation": "same, coarser (the incident names a wider area) or finer.",
        "flipped": "1 for a battle reported with the sides the other way round.",
        "explanation": "Why, in a sentence.",
        "created_at": "When the link was made (UTC).",
    },
    "event_overrides": {
        "id": "Override number, in the order made (and replayed).",
        "action": "merge or split.",
        "incidents_a": "merge: one event's incidents; split: the incident split off (JSON).",
        "incidents_b": "merge: the other event's incidents; split: those it leaves (JSON).",
        "note": "Why, as the analyst gave it.",
        "created_at": "When it was made (UTC).",
    },
}

EVENT_TABLE_SETTINGS: dict[str, dict[str, Any]] = {
    "events": {
        "description": "One row per event: incidents of different articles that report the "
                       "same event, reconciled (docs/events.md).",
        "sort_desc": "date_start",
        "facets": ["event_type", "sub_event_type", "country", "admin1", "articles", "model"],
    },
    "event_links": {
        "description": "Why each incident is in its event: the rule, the member it matched, "
                       "the similarity.",
        "facets": ["rule", "place_relation"],
    },
    "event_overrides": {
        "description": "Analysts' merges and splits, replayed after every grouping.",
        "sort_desc": "id",
    },
}
