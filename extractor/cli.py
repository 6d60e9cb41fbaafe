"""The command line: a thin click layer over the pipeline.

Settings are resolved here, once (flag, then environment variable, then default), and passed
down as config objects. Known errors become one clear line on stderr, never a traceback.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import click

from extractor import __version__
from extractor.batch.command import batch, run_submit
from extractor.browse.command import serve
from extractor.config import (
    BASELINE_MODEL,
    ModelConfig,
    RunConfig,
    redact_secrets,
)
from extractor.evals.cli import eval_command
from extractor.evals.gold import gold_group
from extractor.events.command import events, group_after_run
from extractor.export.command import export
from extractor.intake.articles import STDIN, IntakeConfig, read_articles
from extractor.intake.options import intake_config, intake_options
from extractor.operations.runs import runs
from extractor.operations.stats import stats
from extractor.operations.stored import (
    StoredSelection,
    open_stored,
    stored_articles,
    stored_options,
    stored_selection,
)
from extractor.options import (
    USER_ERRORS,
    announce_model,
    model_options,
    resolve_configs,
    run_options,
    user_errors,
)
from extractor.pipeline import Resources, RunSummary, build_backend, run_pipeline
from extractor.progress import ConsoleReporter, one_line, print_summary
from extractor.schemas import SCHEMA_FILE_NAME, extraction_json_schema, schema_hash
from extractor.schemas.strict import STRICT_SCHEMA_FILE_NAME, strict_json_schema, strict_schema_hash
from extractor.store.command import migrate
from extractor.store.database import Store

# Exit codes of `extract` (README, "Exit codes"). 1 and 2 are click's: an error that stopped
# the run (configuration, credentials, a crash), and a usage error (a bad option, a missing
# path; nothing is created then).
EXIT_OK = 0  # every article read is extracted (now, or by an earlier run)
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_NOTHING = 3  # nothing could be extracted: no article read, or every one failed
EXIT_PARTIAL = 4  # some articles failed or some input was unreadable; the rest is stored


def exit_code(summary: RunSummary) -> int:
    """What a finished run tells a script (see the EXIT_ constants)."""
    if summary.extracted + summary.skipped == 0:
        return EXIT_NOTHING
    if summary.failed or summary.input_errors:
        return EXIT_PARTIAL
    return EXIT_OK


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="extractor")
def cli() -> None:
    """Turn news about armed conflict into structured, evidence-grounded incident data.

    Read articles (text, Markdown, HTML, JSONL, CSV, RSS or Atom feeds), extract incidents
    and actors with a language model on any OpenAI-compatible endpoint (or the offline
    baseline), and store them in SQLite for browsing with Datasette.

    \b
    Quick start:
        extractor extract examples/articles --db data/incidents.db
        extractor serve --db data/incidents.db
    """


@cli.command()
@click.argument("paths", nargs=-1, required=False, type=click.Path(path_type=Path))
@model_options
@run_options
@intake_options
@click.option("--quiet", "-q", is_flag=True, help="No progress bar; the summary only.")
@click.option("--batch", "batch_mode", is_flag=True,
              help="Send the articles as one OpenAI Batch API job (half the price, done "
                   "within 24 h) and print its id; store the results with "
                   "`extractor batch collect`.")
@stored_options
@user_errors
def extract(paths: tuple[Path, ...], quiet: bool, batch_mode: bool, **flags: Any) -> None:
    """Extract incidents and actors from the articles in PATHS into the database.

    PATHS are files or folders, or - for standard input: .txt and .md (optional 'Title:',
    'URL:', 'Published:' and 'Source:' header lines before the first blank line), .html,
    .jsonl and .csv (one article per line or row with title, url, published, source, text),
    and RSS or Atom feeds (.rss, .atom, .xml). Articles already extracted with the
    same model, prompt, schema and parameters are skipped; failed ones are tried again.
    Bad input is reported with its file and line, and the rest goes on.

    Exit status: 0 when every article read is extracted (now or before), 3 when nothing
    could be extracted, 4 when some articles failed or some input was unreadable, 2 when no
    path exists, 1 when an error stopped the run.

    \b
    Examples:
        extractor extract examples/articles
        extractor extract feed.jsonl --model gpt-4o-mini --concurrency 32
        extractor extract --from-db --failed -m gpt-4o-mini
        OPENAI_BASE_URL=http://localhost:8000/v1 \
            extractor extract news/ -m qwen2.5 --mode json_schema
    """
    stored = stored_selection(paths, flags)
    intake = intake_config(flags)
    missing = [path for path in paths
               if str(path) != STDIN and not os.path.lexists(path)]
    if stored is None and len(missing) == len(paths):  # before anything is opened
        raise click.UsageError(
            "; ".join(f"{one_line(str(path))}: no such file or folder" for path in missing))
    model, run = resolve_configs(flags)
    announce_model(model)
    if batch_mode:
        source = open_stored(run.db_path, stored) if stored is not None else None
        try:
            items = (stored_articles(source, stored) if source is not None and stored
                     else read_articles(paths, intake, sys.stdin.buffer))
            run_submit(items, model, run, quiet)
        finally:
            if source is not None:
                source.close()
        return
    try:
        summary = execute(paths, model, run, quiet=quiet, intake=intake, stored=stored)
    except USER_ERRORS as error:
        raise click.ClickException(one_line(redact_secrets(str(error), model.secrets()))) \
            from error
    except Exception as error:  # a run it ended is recorded as crashed; keys are known here
        if os.environ.get("EXTRACTOR_DEBUG"):
            raise
        raise click.ClickException(one_line(redact_secrets(
            f"{type(error).__name__}: {error} (set EXTRACTOR_DEBUG=1 to see the traceback)",
            model.secrets()))) from error
    print_summary(summary, run.db_path)
    click.echo(group_after_run(run.db_path, summary.run_id))
    if summary.failed:
        click.echo(f"{summary.failed} article(s) failed; run the same command again to retry "
                   "them.", err=True)
    sys.exit(exit_code(summary))


def execute(paths: tuple[Path, ...], model: ModelConfig, run: RunConfig, *, quiet: bool,
            command: str = "extract", intake: IntakeConfig | None = None,
            stored: StoredSelection | None = None) -> RunSummary:
    """Run the pipeline over ``paths`` (or the stored articles ``stored`` selects) with a
    console reporter; the store is closed after."""
    source = open_stored(run.db_path, stored) if stored is not None else None
    try:
        resources = Resources.load(run)
        backend = build_backend(model, run, resources)
        store = Store.open(run.db_path)
        reporter = ConsoleReporter(enabled=not quiet)
        items = (read_articles(paths, intake, sys.stdin.buffer) if source is None
                 or stored is None else stored_articles(source, stored))
        try:
            with reporter:
                return asyncio.run(run_pipeline(
                    items, backend, store, resources, run, command=command,
                    settings=model.public_settings(), reporter=reporter,
                    secrets=model.secrets(),
                ))
        finally:
            store.close()
    finally:
        if source is not None:
            source.close()


@cli.command()
@click.option("--write", is_flag=True,
              help=f"Write schemas/{SCHEMA_FILE_NAME} (with --strict: "
                   f"schemas/{STRICT_SCHEMA_FILE_NAME}).")
@click.option("--path", type=click.Path(path_type=Path), default=None,
              help="Where to write (default: schemas/ under the current folder, the checkout).")
@click.option("--strict", is_flag=True,
              help="The form OpenAI's strict structured outputs accept: every property "
                   "required (optional ones nullable), no additional properties, no defaults.")
def schema(write: bool, path: Path | None, strict: bool) -> None:
    """Print the JSON Schema of an extraction (what a model is asked to fill) and its hash."""
    document = strict_json_schema() if strict else extraction_json_schema()
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if write:
        name = STRICT_SCHEMA_FILE_NAME if strict else SCHEMA_FILE_NAME
        target = path or Path("schemas") / name
        target.write_text(text, encoding="utf-8")
        digest = strict_schema_hash() if strict else schema_hash()
        click.echo(f"Wrote {target} (schema hash {digest}).", err=True)
    else:
        click.echo(text, nl=False)


@cli.command()
@model_options
@click.option("--config", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="TOML file of settings, as for extract [env EXTRACTOR_CONFIG].")
@click.option("--json", "as_json", is_flag=True, help="The report as JSON, for scripts.")
@user_errors
def check(as_json: bool, **flags: Any) -> None:
    """Check the model endpoint with extract's settings: reachable, key accepted, model
    listed, context length against the prompt, and a tiny extraction in each mode; then
    recommend a --mode. Exit status 0 when some mode extracted, 3 when none did.

    \b
    Example:
        extractor check -m qwen2.5 --base-url http://localhost:8080/v1
    """
    from extractor.model.check_command import run_check

    model, run = resolve_configs(flags)
    if model.is_baseline:
        raise click.UsageError("name a model to check (--model or EXTRACTOR_MODEL)")
    sys.exit(run_check(model, run, as_json=as_json,
                       max_tokens_given=flags.get("max_tokens") is not None))


# The project's own commands, each from the layer that owns it.
for command in (batch, events, export, runs, stats, eval_command, gold_group, serve, migrate):
    cli.add_command(command)


def _load_plugin_commands() -> None:
    """Commands of outside plugins (the ``extractor.commands`` entry point group); a name the
    project already uses stays the project's."""
    for entry in entry_points(group="extractor.commands"):
        if entry.name in cli.commands:
            continue
        try:
            command = entry.load()
        except ImportError as error:
            click.echo(f"warning: command '{entry.name}' could not be loaded: {error}", err=True)
            continue
        cli.add_command(command, entry.name)


_load_plugin_commands()


def main() -> None:
    """Console entry point: the CLI, with unexpected errors shown as one line."""
    try:
        cli(prog_name="extractor")
    except Exception as error:  # the edge: anything unexpected gets one line, not a traceback
        if os.environ.get("EXTRACTOR_DEBUG"):
            raise
        click.echo(one_line(redact_secrets(f"Error: {type(error).__name__}: {error}")),
                   err=True)
        click.echo("Set EXTRACTOR_DEBUG=1 to see the traceback.", err=True)
        sys.exit(1)


__all__ = ["BASELINE_MODEL", "cli", "main", "model_options", "resolve_configs", "run_options"]
