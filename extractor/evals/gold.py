"""``extractor gold``: commands on gold data; ``gold check`` validates it as ``eval`` loads it.

Registered through the ``extractor.commands`` entry point group, like ``eval``; the core never
imports it.
"""

from __future__ import annotations

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
