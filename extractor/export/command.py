"""``extractor export``: events or incidents as ACLED CSV, GeoJSON, JSON Lines or CSV."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import TextIO

import click

from extractor.events.command import DB_OPTION, open_existing
from extractor.export.formats import FORMATS, write
from extractor.export.records import Filters, Reader


@contextlib.contextmanager
def opened(path: Path | None) -> Iterator[TextIO]:
    """stdout, or a file written whole or not at all (a temporary file renamed at the end)."""
    if path is None:
        yield sys.stdout
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            yield stream
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _day(value: datetime | None) -> date | None:
    return value.date() if value else None


@click.command()
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True,
              help="acled: ACLED's columns (CSV); geojson: points for QGIS; jsonl: full "
                   "records; csv: flat rows.")
@click.option("--events/--incidents", "events", default=True, show_default=True,
              help="One row per event (incidents of several articles grouped) or per "
                   "incident.")
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False),
              default=None, help="File to write [default: standard output].")
@click.option("--country", default=None, help="Only this country (its English name).")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Only records whose dates reach this day (YYYY-MM-DD) or later.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Only records whose dates begin on this day (YYYY-MM-DD) or earlier.")
@click.option("--model", "-m", default=None, help="Only what this model extracted.")
@click.option("--run", type=click.IntRange(min=1), default=None,
              help="Only what this run extracted (an event: any of its incidents).")
def export(db: Path | None, fmt: str, events: bool, output: Path | None,
           country: str | None, since: datetime | None, until: datetime | None,
           model: str | None, run: int | None) -> None:
    """Write events (or incidents) as ACLED CSV, GeoJSON, JSON Lines or CSV, streaming.

    \b
    Examples:
        extractor export --format acled -o mali.csv --country Mali --since 2024-01-01
        extractor export --format geojson -o events.geojson
        extractor export --format jsonl --incidents --run 3
    """
    filters = Filters(country=country, since=_day(since), until=_day(until), model=model,
                      run=run)
    database = open_existing(db)
    reader = Reader(database, full=fmt == "jsonl")
    if events:
        ungrouped = reader.count_ungrouped(filters)
        if ungrouped:
            click.echo(f"{ungrouped} incident(s) are in no event yet: run `extractor events "
                       "group` to include them.", err=True)
        scopes = reader.scopes(filters)
        if len(scopes) > 1:
            click.echo(f"Events of {len(scopes)} extraction configurations ({'; '.join(scopes)})"
                       " are exported together: each event belongs to one; pass --model (or "
                       "--run) to export one.", err=True)
    records = reader.events(filters) if events else reader.incidents(filters)
    with opened(output) as stream:
        count = write(records, fmt, stream)
    what = "event(s)" if events else "incident(s)"
    click.echo(f"Wrote {count} {what} as {fmt}" + (f" to {output}." if output else "."),
               err=True)
