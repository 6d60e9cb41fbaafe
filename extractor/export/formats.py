"""The export formats, each writing records to a text stream one at a time.

- ``acled``: ACLED's columns as CSV (:mod:`extractor.export.acled`).
- ``csv``: one flat row per record; lists are joined with "; ".
- ``jsonl``: the full record per line: actors with their types, casualty claims, evidence
  with its character offsets, provenance.
- ``geojson``: a FeatureCollection of points (longitude, latitude) with the flat row as
  properties; a record without coordinates has a null geometry.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import Any, TextIO

from extractor.export.acled import COLUMNS as ACLED_COLUMNS
from extractor.export.acled import acled_row
from extractor.export.records import ActorInfo

FORMATS = ("acled", "geojson", "jsonl", "csv")

FLAT_COLUMNS = (
    "kind", "id", "event_id", "model", "prompt_hash", "schema_hash", "run_id", "summary",
    "event_type", "sub_event_type", "date_start", "date_end", "time_precision", "place",
    "admin1", "country", "geo_precision", "geo_precision_code", "latitude", "longitude",
    "fatalities", "perpetrators", "targets", "claimed_by", "sources", "cited_sources",
    "reports", "articles", "article_ids", "is_background",
)


def _names(actors: list[ActorInfo]) -> str:
    return "; ".join(actor.name for actor in actors)


def flat_row(record: dict[str, Any]) -> dict[str, Any]:
    """A record as scalar columns (:data:`FLAT_COLUMNS`)."""
    row = {column: record.get(column) for column in FLAT_COLUMNS}
    for role in ("perpetrators", "targets", "claimed_by"):
        row[role] = _names(record[role])
    for column in ("sources", "cited_sources", "article_ids"):
        row[column] = "; ".join(record[column])
    row["event_id"] = record["id"] if record["kind"] == "event" else record.get("event_id")
    row["is_background"] = bool(record["is_background"])
    return row


def full_record(record: dict[str, Any]) -> dict[str, Any]:
    """A record as JSON: actors as objects, everything else as stored."""
    result = dict(record)
    for role in ("perpetrators", "targets", "claimed_by"):
        result[role] = [{"id": a.id, "name": a.name, "actor_type": a.actor_type,
                         "country": a.country} for a in record[role]]
    result["is_background"] = bool(record["is_background"])
    if "incidents" in record:
        result["incidents"] = [full_record(member) for member in record["incidents"]]
    return result


def write(records: Iterable[dict[str, Any]], fmt: str, out: TextIO) -> int:
    """Write every record in ``fmt``; returns how many."""
    count = 0
    if fmt in ("acled", "csv"):
        columns = ACLED_COLUMNS if fmt == "acled" else FLAT_COLUMNS
        writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        convert = acled_row if fmt == "acled" else flat_row
        for record in records:
            writer.writerow(convert(record))
            count += 1
    elif fmt == "jsonl":
        for record in records:
            out.write(json.dumps(full_record(record), ensure_ascii=False) + "\n")
            count += 1
    elif fmt == "geojson":
        out.write('{"type": "FeatureCollection", "features": [\n')
        for record in records:
            if count:
                out.write(",\n")
            out.write(json.dumps(_feature(record), ensure_ascii=False))
            count += 1
        out.write("\n]}\n")
    else:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    return count


def _feature(record: dict[str, Any]) -> dict[str, Any]:
    latitude, longitude = record["latitude"], record["longitude"]
    geometry = None
    if latitude is not None and longitude is not None:
        geometry = {"type": "Point", "coordinates": [longitude, latitude]}
    return {"type": "Feature", "id": record["id"], "geometry": geometry,
            "properties": flat_row(record)}
