"""``extractor stats``: how much a database holds, per table, model and status."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table
from sqlite_utils import Database

from extractor.events.command import DB_OPTION, open_existing

TABLES = ("articles", "runs", "extractions", "model_calls", "incidents", "actors",
          "actor_mentions", "incident_actors", "casualties", "evidence", "events",
          "event_links", "event_overrides")

BREAKDOWNS = {
    "extractions by model and status": (
        "select model, status, count(*) as count, sum(total_tokens) as tokens, "
        "round(sum(cost_usd), 4) as cost_usd from extractions group by model, status "
        "order by model, status"),
    "incidents by model": (
        "select model, count(*) as count, count(distinct article_id) as articles, "
        "sum(fatalities) as fatalities from incidents group by model order by model"),
    "events by model": (
        "select model, count(*) as count, sum(articles > 1) as told_by_several_articles, "
        "sum(reports) as reports from events group by model order by model"),
    "runs by status": (
        "select status, count(*) as count from runs group by status order by status"),
}


def gather(db: Database) -> dict[str, Any]:
    """Row counts per table and the breakdowns, as plain data."""
    counts = {table: int(db.execute(f"select count(*) from [{table}]").fetchone()[0])
              for table in TABLES if db[table].exists()}
    return {"tables": counts,
            **{name: list(db.query(sql)) for name, sql in BREAKDOWNS.items()}}


@click.command()
@click.option("--json", "as_json", is_flag=True, help="The figures as one JSON object.")
@DB_OPTION
def stats(as_json: bool, db: Path | None) -> None:
    """Count what the database holds: rows per table; extractions, incidents and events per
    model and status; runs per status."""
    figures = gather(open_existing(db))
    if as_json:
        click.echo(json.dumps(figures, indent=2, ensure_ascii=False))
        return
    console = Console(width=120)
    tables = Table("table", "rows", title="rows per table")
    for name, count in figures["tables"].items():
        tables.add_row(name, str(count))
    console.print(tables)
    for name in BREAKDOWNS:
        rows = figures[name]
        if not rows:
            continue
        table = Table(*rows[0].keys(), title=name)
        for row in rows:
            table.add_row(*("" if value is None else str(value) for value in row.values()))
        console.print(table)
