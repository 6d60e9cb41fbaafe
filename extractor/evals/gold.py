"""``extractor gold``: commands on gold data; ``gold check`` validates it as ``eval`` loads it.

Added to the command line by ``extractor/cli.py``, like ``eval``; nothing below the command
line imports it.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from .dataset import check_gold

__all__ = ["gold_group"]


@click.group(name="gold")
def gold_group() -> None:
    """Gold data: the hand-labelled articles `extractor eval` scores against."""


@gold_group.command(name="check")
@click.argument("paths", nargs=-1, required=True, metavar="FILE_OR_DIR...",
                type=click.Path(path_type=Path))
@click.pass_context
def check_command(ctx: click.Context, paths: tuple[Path, ...]) -> None:
    """Check gold files the way `extractor eval` reads them.

    FILE_OR_DIR is a .json file (one record), a .jsonl file (one record per line) or a folder
    of them (searched at any depth). Checked: the record format (fields, enums, ISO dates),
    that every evidence quote is an exact substring of its article's text, that the sub-type
    belongs to the event type, that date and count ranges are ordered, that every actor an
    incident names is an actor of the article, that article ids are the hash of their text and
    unique, and that event keys are non-empty.

    Prints one line per problem (file:line: field: what) and exits 1, or one summary line and
    exits 0.

    \b
    Examples:
        extractor gold check evals/gold
        extractor gold check evals/gold/hard_cases/H01_tenenkou_camp_attack.json
    """
    goldset, problems = check_gold(paths)
    if problems:
        for problem in problems:
            click.echo(str(problem))
        files = len({problem.file for problem in problems})
        click.echo(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {files} "
                   f"file{'s' if files != 1 else ''}", err=True)
        ctx.exit(1)
    events = {i.event for record in goldset.records for i in record.incidents if i.event}
    click.echo(f"{goldset.label}: {len(goldset.records)} articles, {goldset.incident_count} "
               f"incidents, {len(events)} event keys, {len(goldset.files)} files: valid "
               f"(hash {goldset.sha256})")


@gold_group.command(name="export")
@click.option("--db", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              required=True, help="Database with reviews (`extractor serve --review`).")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              required=True, help="Gold JSONL file to write (one article per line).")
@click.pass_context
def export_command(ctx: click.Context, db: Path, output: Path) -> None:
    """Write the reviewed articles as gold JSONL, the reviews applied.

    An article is written when every incident of one of its extractions has a review: the
    accepted incidents as extracted, the corrected ones corrected, the added ones added, the
    rejected ones left out. Articles still partly reviewed are named and left out. Every
    record is checked as `extractor gold check` checks it; if one fails, its problems are
    printed (article, incident, field), nothing is written, and the exit code is 1. The file
    is ready for `extractor eval`.

    \b
    Example:
        extractor gold export --db data/incidents.db -o evals/reviewed.jsonl
        extractor gold check evals/reviewed.jsonl && extractor eval evals/reviewed.jsonl
    """
    from extractor.review.export import export_gold
    from extractor.review.table import has_reviews
    from extractor.store.readonly import (
        NotAnExtractorDatabase,
        check_extractor_database,
        open_read_only,
    )

    database = open_read_only(db)
    try:
        check_extractor_database(database, db)
        if not has_reviews(database):
            raise click.ClickException(f"{db} has no reviews: review incidents with "
                                       f"`extractor serve --db {db} --review` first.")
        export = export_gold(database)
    except NotAnExtractorDatabase as error:
        raise click.ClickException(str(error)) from error
    finally:
        database.close()
    for line in export.skipped:
        click.echo(f"left out, {line}", err=True)
    if export.problems:
        for line in export.problems:
            click.echo(line)
        raise click.ClickException(f"{len(export.problems)} problem(s): correct those incidents "
                                   f"in review and export again; {output} not written.")
    if not export.records:
        raise click.ClickException(f"No fully reviewed article in {db}: {output} not written.")
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    with partial.open("w", encoding="utf-8") as handle:
        for record in export.records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    partial.replace(output)
    incidents = sum(len(record["incidents"]) for record in export.records)
    click.echo(f"{output}: {_count(len(export.records), 'reviewed article')}, "
               f"{_count(incidents, 'incident')} ({_count(len(export.skipped), 'article')} "
               "left out, still being reviewed)")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
