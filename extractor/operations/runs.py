"""``extractor runs``: the runs of a database, latest first (as ``llm logs`` lists responses)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from extractor.events.command import DB_OPTION, open_existing

COLUMNS = ("id", "started_at", "finished_at", "command", "model", "prompt_name",
           "prompt_hash", "schema_hash", "status", "articles_seen", "articles_extracted",
           "articles_skipped", "articles_failed", "input_errors", "incidents",
           "prompt_tokens", "completion_tokens", "total_tokens", "cost_usd", "message")


def _cost(value: float | None) -> str:
    return "n/a" if value is None else f"${value:.4f}"


@click.command()
@click.option("-n", "--count", "count", type=click.IntRange(min=0), default=10,
              show_default=True, help="How many runs, latest first (0: all).")
@click.option("--json", "as_json", is_flag=True, help="A JSON array of the runs.")
@DB_OPTION
def runs(count: int, as_json: bool, db: Path | None) -> None:
    """List runs: id, start, model, prompt and schema hashes, counts, tokens, cost, status.

    \b
    Examples:
        extractor runs
        extractor runs -n 0 --json
    """
    database = open_existing(db)
    sql = f"select {', '.join(COLUMNS)} from runs order by id desc"
    rows: list[dict[str, Any]] = list(database.query(sql + (" limit ?" if count else ""),
                                                     [count] if count else []))
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not rows:
        click.echo("No runs yet.")
        return
    table = Table("id", "started", "model", "prompt", "schema", "articles", "incidents",
                  "tokens", "cost", "status")
    for row in rows:
        articles = (f"{row['articles_extracted'] or 0} new, {row['articles_skipped'] or 0} "
                    f"cached, {row['articles_failed'] or 0} failed")
        table.add_row(str(row["id"]), (row["started_at"] or "")[:19].replace("T", " "),
                      row["model"] or "", f"{row['prompt_name'] or ''} {row['prompt_hash'] or ''}",
                      row["schema_hash"] or "", articles, str(row["incidents"] or 0),
                      f"{row['prompt_tokens'] or 0} / {row['completion_tokens'] or 0}",
                      _cost(row["cost_usd"]), row["status"] or "")
    Console(width=160).print(table)
