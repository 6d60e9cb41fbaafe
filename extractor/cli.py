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
from extractor.batch.command import batch, run_submit
from extractor.config import (
    BASELINE_MODEL,
    DEFAULT_DB,
    DEFAULT_MAX_ARTICLE_CHARS,
    DEFAULT_MAX_CHUNKS,
    ConfigError,
    ModelConfig,
    RunConfig,
    load_config_file,
    redact_secrets,
    resolve_settings,
)
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
from extractor.pipeline import Resources, RunSummary, build_backend, run_pipeline
from extractor.progress import ConsoleReporter, one_line, print_summary
from extractor.resolve.gazetteer import GazetteerError
from extractor.resolve.registry import RegistryError
from extractor.resolve.world import WorldIndexError
from extractor.schemas import SCHEMA_FILE_NAME, extraction_json_schema, schema_hash
from extractor.schemas.strict import STRICT_SCHEMA_FILE_NAME, strict_json_schema, strict_schema_hash
from extractor.store.database import Store
from extractor.vocabulary import MODES

# Errors whose message is written for the user: shown as one line, without a traceback.
USER_ERRORS = (ConfigError, GazetteerError, RegistryError, WorldIndexError, FatalBackendError)

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
        click.option("--strict/--no-strict", default=None,
                     help="Send the strict schema (strict: true) in tools and json_schema "
                          "modes [default: on for OpenAI's endpoint, off elsewhere]."),
        click.option("--temperature", type=float, default=None,
                     help="Sampling temperature [default: 0]."),
        click.option("--max-tokens", type=click.IntRange(min=1), default=None,
                     help="Output token budget per request [default: 4096]."),
        click.option("--timeout", type=click.FloatRange(min=0.1), default=None,
                     help="Seconds a request may take in all (connecting, waiting, reading "
                          "the answer) before it is abandoned and retried [default: 60]."),
        click.option("--max-response-bytes", type=click.IntRange(min=1024), default=None,
                     help="Largest response body read from the endpoint; a larger one is "
                          "abandoned and retried [default: 4194304 (4 MiB)]."),
        click.option("--max-retries", type=click.IntRange(min=0), default=None,
                     help="Retries of 429, 5xx, timeouts and dropped connections [default: 4]."),
        click.option("--validation-retries", type=click.IntRange(min=0), default=None,
                     help="Re-asks when the output breaks the schema [default: 2]."),
        click.option("--prompt", default=None,
                     help="Prompt name under prompts/ [default: extract]."),
        click.option("--max-input-tokens", type=click.IntRange(min=1000), default=None,
                     help="Input tokens the model takes per request; longer articles are "
                          "extracted in overlapping chunks and merged [default: 32000]."),
        click.option("--max-chunks", type=click.IntRange(min=1), default=None,
                     help="Cost guard: an article needing more requests (chunks) than this "
                          f"fails as too_large, unsent [default: {DEFAULT_MAX_CHUNKS}]."),
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
        click.option("--cache-dir", type=click.Path(path_type=Path, file_okay=False),
                     default=None,
                     help="Folder for data derived once and kept between runs (the world "
                          "gazetteer's index) [env EXTRACTOR_CACHE_DIR; default: "
                          "~/.cache/extractor]."),
        click.option("--max-article-chars", type=click.IntRange(min=1), default=None,
                     help="Cost guard: a longer article fails as too_large without reaching "
                          f"the model or the baseline [default: {DEFAULT_MAX_ARTICLE_CHARS}]."),
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
        where = model.public_base_url() or "the OpenAI API"
        strict = ", strict schema" if model.uses_strict() else ""
        click.echo(one_line(f"Model {model.model} at {where} (mode {model.mode}{strict})."),
                   err=True)


def user_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the errors written for users into a clean click error."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except USER_ERRORS as error:
            raise click.ClickException(one_line(redact_secrets(str(error)))) from error

    return wrapper


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


cli.add_command(batch)


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
        click.echo(one_line(redact_secrets(f"Error: {type(error).__name__}: {error}")),
                   err=True)
        click.echo("Set EXTRACTOR_DEBUG=1 to see the traceback.", err=True)
        sys.exit(1)


__all__ = ["BASELINE_MODEL", "cli", "main", "model_options", "resolve_configs", "run_options"]
