"""``extractor events``: group incidents into events, list and explain them, override."""

from __future__ import annotations

import json
from pathlib import Path

import click
from sqlite_utils import Database

from extractor.config import DEFAULT_DB
from extractor.events.overrides import OverrideError, merge_events, split_incident
from extractor.events.store import GroupingSummary, group_events
from extractor.store.database import open_db

DB_OPTION = click.option(
    "--db", type=click.Path(path_type=Path, dir_okay=False), default=None,
    envvar="EXTRACTOR_DB", show_envvar=True,
    help=f"SQLite database written by `extractor extract` [default: {DEFAULT_DB}].")


def open_existing(db: Path | None) -> Database:
    """Open (and migrate) a database that must exist already."""
    path = Path(db) if db else Path(DEFAULT_DB)
    if not path.is_file():
        raise click.ClickException(
            f"No database at {path}: run `extractor extract PATHS --db {path}` first.")
    return open_db(path)


def describe(summary: GroupingSummary) -> str:
    """One line saying what a grouping did."""
    return (f"{summary.incidents} incident(s) in {summary.events} event(s), "
            f"{summary.multi_report} told by several articles; {summary.created} new, "
            f"{summary.changed} changed, {summary.deleted} removed.")


@click.group()
def events() -> None:
    """Group incidents that different articles report into events, and inspect them.

    \b
    Examples:
        extractor events group --db data/incidents.db
        extractor events list --min-articles 2
        extractor events show ev-0123456789abcdef
        extractor events merge ev-0123456789abcdef ev-fedcba9876543210
        extractor events split ev-0123456789abcdef 1a2b3c4d5e6f7a8b9c0d1e2f-0
    """


@events.command()
@DB_OPTION
def group(db: Path | None) -> None:
    """Put every incident not yet in an event into one (what `extract` does at its end)."""
    database = open_existing(db)
    click.echo(describe(group_events(database)))


@events.command()
@DB_OPTION
def rebuild(db: Path | None) -> None:
    """Forget the grouping and group every incident again (overrides are kept)."""
    database = open_existing(db)
    click.echo(describe(group_events(database, rebuild=True)))


@events.command()
@click.argument("first")
@click.argument("second")
@click.option("--note", default=None, help="Why, kept with the override.")
@DB_OPTION
def merge(first: str, second: str, note: str | None, db: Path | None) -> None:
    """Merge event SECOND into FIRST; later groupings keep them together."""
    database = open_existing(db)
    try:
        click.echo(describe(merge_events(database, first, second, note)))
    except OverrideError as error:
        raise click.ClickException(str(error)) from error


@events.command()
@click.argument("event")
@click.argument("incident")
@click.option("--note", default=None, help="Why, kept with the override.")
@DB_OPTION
def split(event: str, incident: str, note: str | None, db: Path | None) -> None:
    """Take INCIDENT out of EVENT into an event of its own; later groupings keep it apart."""
    database = open_existing(db)
    try:
        click.echo(describe(split_incident(database, event, incident, note)))
    except OverrideError as error:
        raise click.ClickException(str(error)) from error


@events.command(name="list")
@click.option("--min-articles", type=click.IntRange(min=1), default=1, show_default=True,
              help="Only events told by at least this many articles.")
@click.option("-n", "limit", type=click.IntRange(min=0), default=50, show_default=True,
              help="How many events (0: all), latest first.")
@click.option("--country", default=None, help="Only events in this country.")
@click.option("--model", "-m", default=None, help="Only events of this model's incidents.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@DB_OPTION
def list_events(min_articles: int, limit: int, country: str | None, model: str | None,
                as_json: bool, db: Path | None) -> None:
    """List events: id, dates, place, type, fatalities, reports and sources."""
    database = open_existing(db)
    sql = ("select id, date_start, date_end, place, admin1, country, event_type, "
           "sub_event_type, fatalities, reports, articles, sources, model from events "
           "where articles >= ? and (? is null or country = ? collate nocase) "
           "and (? is null or model = ?) order by date_start desc, number desc")
    params: list[object] = [min_articles, country, country, model, model]
    if limit:
        sql += " limit ?"
        params.append(limit)
    for row in database.query(sql, params):
        if as_json:
            click.echo(json.dumps({**row, "sources": json.loads(row["sources"] or "[]")},
                                  ensure_ascii=False))
            continue
        when = row["date_start"] or "undated"
        if row["date_end"] != row["date_start"]:
            when += f"..{row['date_end']}"
        where = row["place"] or row["admin1"] or row["country"] or "?"
        sources = ", ".join(json.loads(row["sources"] or "[]"))
        click.echo(f"{row['id']}  {when}  {where}  {row['sub_event_type']}  "
                   f"fatalities {row['fatalities']}  {row['reports']} report(s) from "
                   f"{row['articles']} article(s)  [{sources}]")


@events.command()
@click.argument("event")
@DB_OPTION
def show(event: str, db: Path | None) -> None:
    """Explain an event: its fields, and why each incident is in it."""
    database = open_existing(db)
    rows = list(database.query("select * from events where id = ?", [event]))
    if not rows:
        raise click.ClickException(f"no event {event} (see `extractor events list`)")
    row = rows[0]
    names = {actor_id: name for actor_id, name in database.execute(
        "select id, name from actors")}

    def actors(column: str) -> str:
        return ", ".join(names.get(i, i) for i in json.loads(row[column] or "[]")) or "unnamed"

    where = ", ".join(part for part in (row["place"], row["admin1"], row["country"]) if part)
    click.echo(f"{event}: {row['summary']}")
    click.echo(f"  {row['event_type']} / {row['sub_event_type']}, {row['date_start']}.."
               f"{row['date_end']} (time precision {row['time_precision']}), {where or '?'} "
               f"({row['geo_precision']})")
    click.echo(f"  {actors('perpetrators')} against {actors('targets')}; fatalities "
               f"{row['fatalities']}; {row['reports']} report(s) from {row['articles']} "
               f"article(s): {', '.join(json.loads(row['sources'] or '[]')) or '?'}")
    for link in database.query(
            "select l.incident_id, l.rule, l.explanation, a.source, a.title "
            "from event_links l join incidents i on i.id = l.incident_id "
            "join articles a on a.id = i.article_id where l.event_id = ? "
            "order by i.date_start, l.incident_id", [event]):
        click.echo(f"  {link['incident_id']} ({link['source'] or '?'}: {link['title'] or ''})")
        click.echo(f"      {link['rule']}: {link['explanation']}")


def group_after_run(db: Path, run_id: int) -> str:
    """Group what a run stored (the end of `extract`); one line saying what changed."""
    database = open_db(db)
    try:
        return "Events: " + describe(group_events(database, run_id=run_id))
    finally:
        database.close()
