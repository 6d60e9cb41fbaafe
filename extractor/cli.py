"""The command line: a thin click layer over the pipeline.

Settings are resolved here, once (flag, then environment variable, then default), and passed
down as config objects. Known errors become one clear line on stderr, never a traceback.
"""

from __future__ import annotations

import asyncio
import functools
import json
import os
import sys
from collections.abc import Callable
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import click

from extractor import __version__
from extractor.backend import FatalBackendError
from extractor.config import (
    BASELINE_MODEL,
    DEFAULT_DB,
    ConfigError,
    ModelConfig,
    RunConfig,
    load_config_file,
    resolve_settings,
)
from extractor.events.command import events, group_after_run
from extractor.export.command import export
from extractor.intake.articles import read_articles
from extractor.operations.runs import runs
from extractor.operations.stats import stats
from extractor.operations.stored import (
    StoredSelection,
    open_stored,
    stored_articles,
    stored_options,
    stored_selection,
)
from extractor.pipeline import Resources, RunSummary, build_backend, run_pipeline
from extractor.progress import ConsoleReporter, print_summary
from extractor.resolve.gazetteer import GazetteerError
from extractor.resolve.registry import RegistryError
from extractor.schemas import SCHEMA_FILE_NAME, extraction_json_schema, schema_hash
from extractor.store.database import Store

MODES = ("tools", "json_schema", "json", "md_json")
# Errors whose message is written for the user: shown as one line, without a traceback.
USER_ERRORS = (ConfigError, GazetteerError, RegistryError, FatalBackendError)


def model_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Options choosing the extractor and its endpoint (shared by extract and eval)."""
    options = [
        click.option("--model", "-m", default=None,
                     help="Model name, or 'baseline' for the offline extractor "
                          "[env EXTRACTOR_MODEL; default: baseline]."),
        click.option("--base-url", default=None,
                     help="OpenAI-compatible endpoint [env OPENAI_BASE_URL]."),
        click.option("--api-key", default=None,
                     help="API key for the endpoint [env OPENAI_API_KEY]."),
        click.option("--mode", type=click.Choice(MODES), default=None,
                     help="How structured output is asked for [env EXTRACTOR_MODE; "
                          "default: tools]."),
        click.option("--temperature", type=float, default=None,
                     help="Sampling temperature [default: 0]."),
        click.option("--max-tokens", type=click.IntRange(min=1), default=None,
                     help="Output token budget per request [default: 4096]."),
        click.option("--timeout", type=click.FloatRange(min=0.1), default=None,
                     help="Seconds before a request is abandoned [default: 60]."),
        click.option("--max-retries", type=click.IntRange(min=0), default=None,
                     help="Retries of 429, 5xx, timeouts and dropped connections [default: 4]."),
        click.option("--validation-retries", type=click.IntRange(min=0), default=None,
                     help="Re-asks when the output breaks the schema [default: 2]."),
        click.option("--prompt", default=None,
                     help="Prompt name under prompts/ [default: extract]."),
        click.option("--max-input-tokens", type=click.IntRange(min=1000), default=None,
                     help="Input tokens the model takes per request; longer articles are "
                          "extracted in overlapping chunks and merged [default: 32000]."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def run_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Options on where results go and how much runs at once."""
    options = [
        click.option("--db", type=click.Path(path_type=Path, dir_okay=False), default=None,
                     help=f"SQLite database [env EXTRACTOR_DB; default: {DEFAULT_DB}]."),
        click.option("--concurrency", "-c", type=click.IntRange(min=1), default=None,
                     help="Articles extracted at once [default: 8]."),
        click.option("--rpm", type=click.IntRange(min=1), default=None,
                     help="Limit on requests per minute."),
        click.option("--tpm", type=click.IntRange(min=1), default=None,
                     help="Limit on tokens per minute."),
        click.option("--gazetteer", type=click.Path(path_type=Path, exists=True, dir_okay=False),
                     default=None, help="Gazetteer CSV replacing the shipped one."),
        click.option("--registry", type=click.Path(path_type=Path, exists=True, dir_okay=False),
                     default=None, help="Actor registry CSV replacing the shipped one."),
        click.option("--config", type=click.Path(path_type=Path, dir_okay=False), default=None,
                     help="TOML file of settings named like these options (max_tokens = 2048); "
                          "flags and environment variables win over it [env EXTRACTOR_CONFIG]."),
        click.option("--prices", type=click.Path(path_type=Path, dir_okay=False), default=None,
                     help="Model prices CSV (model,input_per_million_usd,"
                          "output_per_million_usd) added to the shipped table "
                          "[env EXTRACTOR_PRICES]."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def resolve_configs(flags: dict[str, Any],
                    env: dict[str, str] | None = None) -> tuple[ModelConfig, RunConfig]:
    """Model and run configuration: flags, then environment, then config file, then defaults."""
    env = dict(os.environ) if env is None else env
    config_path = flags.get("config") or env.get("EXTRACTOR_CONFIG")
    file_values = load_config_file(Path(config_path)) if config_path else {}
    return resolve_settings(flags, env, file_values)


def announce_model(model: ModelConfig) -> None:
    """Say on stderr which extractor runs, and why when it is the baseline."""
    if model.is_baseline:
        click.echo(
            "No model configured (--model or EXTRACTOR_MODEL): using the offline baseline "
            "extractor. Its output is a rule-based floor, not model quality.",
            err=True,
        )
    else:
        where = model.base_url or "the OpenAI API"
        click.echo(f"Model {model.model} at {where} (mode {model.mode}).", err=True)


def user_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the errors written for users into a clean click error."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except USER_ERRORS as error:
            raise click.ClickException(str(error)) from error

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="extractor")
def cli() -> None:
    """Turn news about armed conflict into structured, evidence-grounded incident data.

    Read articles (text, Markdown, HTML or JSONL), extract incidents and actors with a
    language model on any OpenAI-compatible endpoint (or the offline baseline), and store
    them in SQLite for browsing with Datasette.

    \b
    Quick start:
        extractor extract examples/articles --db data/incidents.db
        extractor serve --db data/incidents.db
    """


@cli.command()
@click.argument("paths", nargs=-1, required=False, type=click.Path(path_type=Path))
@model_options
@run_options
@click.option("--quiet", "-q", is_flag=True, help="No progress bar; the summary only.")
@stored_options
@user_errors
def extract(paths: tuple[Path, ...], quiet: bool, **flags: Any) -> None:
    """Extract incidents and actors from the articles in PATHS into the database.

    PATHS are files or folders: .txt and .md (optional 'Title:', 'URL:', 'Published:' and
    'Source:' header lines before the first blank line), .html, and .jsonl (one article per
    line with id, title, url, published, source, text). Articles already extracted with the
    same model, prompt, schema and parameters are skipped; failed ones are tried again.
    Bad input is reported with its file and line, and the rest goes on.

    \b
    Examples:
        extractor extract examples/articles
        extractor extract feed.jsonl --model gpt-4o-mini --concurrency 32
        extractor extract --from-db --failed -m gpt-4o-mini
        OPENAI_BASE_URL=http://localhost:8000/v1 \
            extractor extract news/ -m qwen2.5 --mode json_schema
    """
    stored = stored_selection(paths, flags)
    model, run = resolve_configs(flags)
    announce_model(model)
    summary = execute(paths, model, run, quiet=quiet, stored=stored)
    print_summary(summary, run.db_path)
    click.echo(group_after_run(run.db_path, summary.run_id))
    if summary.failed:
        click.echo(f"{summary.failed} article(s) failed; run the same command again to retry "
                   "them.", err=True)


def execute(paths: tuple[Path, ...], model: ModelConfig, run: RunConfig, *, quiet: bool,
            command: str = "extract", stored: StoredSelection | None = None) -> RunSummary:
    """Run the pipeline over ``paths`` (or the stored articles ``stored`` selects) with a
    console reporter; the store is closed after."""
    source = open_stored(run.db_path, stored) if stored is not None else None
    try:
        resources = Resources.load(run)
        backend = build_backend(model, run, resources)
        store = Store.open(run.db_path)
        reporter = ConsoleReporter(enabled=not quiet)
        items = read_articles(paths) if source is None or stored is None else \
            stored_articles(source, stored)
        try:
            with reporter:
                return asyncio.run(run_pipeline(
                    items, backend, store, resources, run, command=command,
                    settings=model.public_settings(), reporter=reporter,
                ))
        finally:
            store.close()
    finally:
        if source is not None:
            source.close()


@cli.command()
@click.option("--write", is_flag=True, help=f"Write schemas/{SCHEMA_FILE_NAME}.")
@click.option("--path", type=click.Path(path_type=Path), default=None,
              help="Where to write (default: schemas/ under the current folder, the checkout).")
def schema(write: bool, path: Path | None) -> None:
    """Print the JSON Schema of an extraction (what a model is asked to fill) and its hash."""
    text = json.dumps(extraction_json_schema(), indent=2, ensure_ascii=False) + "\n"
    if write:
        target = path or Path("schemas") / SCHEMA_FILE_NAME
        target.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {target} (schema hash {schema_hash()}).", err=True)
    else:
        click.echo(text, nl=False)


cli.add_command(events)
cli.add_command(export)
cli.add_command(runs)
cli.add_command(stats)


def _load_layer_commands() -> None:
    """Commands contributed by layers above the core (the evaluation harness)."""
    for entry in entry_points(group="extractor.commands"):
        try:
            command = entry.load()
        except ImportError as error:
            click.echo(f"warning: command '{entry.name}' could not be loaded: {error}", err=True)
            continue
        cli.add_command(command, entry.name)


_load_layer_commands()


def main() -> None:
    """Console entry point: the CLI, with unexpected errors shown as one line."""
    try:
        cli(prog_name="extractor")
    except Exception as error:  # the edge: anything unexpected gets one line, not a traceback
        if os.environ.get("EXTRACTOR_DEBUG"):
            raise
        click.echo(f"Error: {type(error).__name__}: {error}", err=True)
        click.echo("Set EXTRACTOR_DEBUG=1 to see the traceback.", err=True)
        sys.exit(1)


__all__ = ["BASELINE_MODEL", "cli", "main", "model_options", "resolve_configs", "run_options"]
