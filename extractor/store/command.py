"""``extractor migrate``: bring a database up to date without extracting anything."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import click

from extractor.config import DEFAULT_DB
from extractor.store.database import open_db
from extractor.store.readonly import open_read_only
from extractor.store.upgrade import contributions


@click.command()
@click.option("--db", type=click.Path(path_type=Path, dir_okay=False), default=None,
              envvar="EXTRACTOR_DB", show_envvar=True,
              help=f"SQLite database written by `extractor extract` [default: {DEFAULT_DB}].")
def migrate(db: Path | None) -> None:
    """Bring a database written by an older extractor up to date: the core's migrations and
    every installed layer's additions (the browsing views). `extract` and `eval` do this
    themselves; `serve` never changes a database, and asks for this when it is needed.

    \b
    Example:
        extractor migrate --db data/incidents.db
    """
    path = Path(db) if db else Path(DEFAULT_DB)
    if not path.is_file():
        raise click.ClickException(f"No database at {path}.")
    reader = open_read_only(path)
    try:
        tables = set(reader.table_names())
        is_ours = "_sqlite_migrations" in tables and bool(reader.execute(
            "select 1 from _sqlite_migrations where migration_set = 'extractor'").fetchone())
    except sqlite3.DatabaseError as error:
        raise click.ClickException(f"{path} is not an SQLite database ({error}).") from error
    finally:
        reader.close()
    if tables and not is_ours:
        raise click.ClickException(
            f"{path} is not an extractor database (it has tables of its own and no extractor "
            "migrations): left unchanged.")
    store = open_db(path)
    store.close()
    steps = ", ".join(name for name, _ in contributions()) or "none installed"
    click.echo(f"{path} is up to date (core migrations; layers: {steps}).", err=True)
