"""``extractor batch status`` and ``extractor batch collect``, and ``extract --batch``'s output."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from extractor.batch import rows
from extractor.config import ConfigError, ModelConfig, RunConfig
from extractor.events.command import group_after_run
from extractor.intake.articles import InputProblem, SourcedArticle
from extractor.options import resolve_configs
from extractor.pipeline import Resources
from extractor.progress import ConsoleReporter, one_line
from extractor.store.database import Store

if TYPE_CHECKING:
    from extractor.batch.collect import Collected
    from extractor.batch.submit import Submitted
    from extractor.model.batch import BatchState

# The batch modules import openai and instructor: loaded when a batch command runs, so that
# importing the CLI (and a cached `extract`) stays fast.
DEFAULT_WAIT_S = 3600.0
DEFAULT_POLL_S = 30.0


def run_submit(items: Iterable[SourcedArticle | InputProblem], model: ModelConfig,
               run: RunConfig, quiet: bool) -> Submitted:
    """``extract --batch``: submit one batch and say its id."""
    if model.is_baseline:
        raise ConfigError("--batch needs a model (--model): the baseline runs offline")
    from extractor.batch.submit import submit_batch
    from extractor.model.batch import BatchWireError

    store = Store.open(run.db_path)
    try:
        with ConsoleReporter(enabled=not quiet) as reporter:
            done = submit_batch(items, model, run, store, reporter=reporter)
    except BatchWireError as error:
        raise ConfigError(str(error)) from error
    finally:
        store.close()
    for note in done.notes[:20]:
        click.echo(one_line(f"not sent: {note}"), err=True)
    click.echo(done.describe(), err=True)
    if done.batch_id:
        click.echo(done.batch_id)
        click.echo(f"Collect it with: extractor batch collect {done.batch_id} --db "
                   f"{run.db_path} --wait", err=True)
    return done


def _options(func: Any) -> Any:
    options = [
        click.argument("batch_id", required=False),
        click.option("--db", type=click.Path(path_type=Path, dir_okay=False), default=None,
                     help="SQLite database [env EXTRACTOR_DB]."),
        click.option("--base-url", default=None,
                     help="OpenAI-compatible endpoint [env OPENAI_BASE_URL]."),
        click.option("--api-key", default=None, help="API key [env OPENAI_API_KEY]."),
        click.option("--config", type=click.Path(path_type=Path, dir_okay=False), default=None,
                     help="TOML file of settings [env EXTRACTOR_CONFIG]."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _configs(flags: dict[str, Any]) -> tuple[ModelConfig, RunConfig]:
    return resolve_configs(flags)


def _describe(state: BatchState, row: rows.BatchRow) -> str:
    stored = "collected" if row.collected else f"{len(row.stored_keys)}/{len(row.keys)} stored"
    line = (f"{state.id}: {state.status}, {state.completed} completed, {state.failed} failed "
            f"of {state.total or len(row.keys)}; {stored}")
    return line + (f"; {'; '.join(state.errors)}" if state.errors else "")


@click.group()
def batch() -> None:
    """Follow and collect batches sent with `extract --batch` (the OpenAI Batch API).

    \b
    Examples:
        extractor extract news/ -m gpt-4o-mini --batch
        extractor batch status
        extractor batch collect --wait --timeout 7200
    """


@batch.command()
@_options
def status(batch_id: str | None, **flags: Any) -> None:
    """Ask the provider how BATCH_ID (or every batch not collected yet) is going."""
    from extractor.batch.collect import batch_model, refresh, wire_for
    from extractor.model.batch import BatchWireError

    model, run = _configs(flags)
    store = Store.open(run.db_path)
    try:
        found = rows.load(store.db, batch_id)
        if batch_id is not None and not found:
            raise click.ClickException(f"no batch {batch_id} in {run.db_path}")
        if not found:
            click.echo("No batch waiting to be collected.")
        for row in found:
            wire = wire_for(batch_model(row, store, model))
            try:
                state = refresh(wire, store, row)
            except BatchWireError as error:
                raise click.ClickException(one_line(str(error))) from error
            finally:
                wire.close()
            click.echo(_describe(state, row))
    finally:
        store.close()


@batch.command()
@_options
def cancel(batch_id: str | None, **flags: Any) -> None:
    """Cancel BATCH_ID at the provider; what it answered before is still collected."""
    if batch_id is None:
        raise click.UsageError("name the batch to cancel")
    from extractor.batch.collect import batch_model, wire_for
    from extractor.model.batch import BatchWireError

    model, run = _configs(flags)
    store = Store.open(run.db_path)
    try:
        found = rows.load(store.db, batch_id)
        if not found:
            raise click.ClickException(f"no batch {batch_id} in {run.db_path}")
        wire = wire_for(batch_model(found[0], store, model))
        try:
            state = wire.cancel(batch_id)
        except BatchWireError as error:
            raise click.ClickException(one_line(str(error))) from error
        finally:
            wire.close()
        rows.record_state(store.db, state)
        click.echo(_describe(state, found[0]))
    finally:
        store.close()


@batch.command()
@_options
@click.option("--wait", is_flag=True, help="Poll until each batch is done (see --timeout).")
@click.option("--timeout", "wait_timeout", type=click.FloatRange(min=0), default=DEFAULT_WAIT_S,
              show_default=True, help="With --wait: seconds to wait for a batch in all.")
@click.option("--poll-interval", type=click.FloatRange(min=0.01), default=DEFAULT_POLL_S,
              show_default=True, help="With --wait: seconds between two status requests.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar; the summary only.")
@click.option("--gazetteer", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              default=None, help="Gazetteer CSV replacing the shipped one.")
@click.option("--registry", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              default=None, help="Actor registry CSV replacing the shipped one.")
@click.option("--cache-dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Folder for data derived once [env EXTRACTOR_CACHE_DIR].")
@click.option("--prices", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Model prices CSV added to the shipped table [env EXTRACTOR_PRICES].")
def collect(batch_id: str | None, wait: bool, wait_timeout: float, poll_interval: float,
            quiet: bool, **flags: Any) -> None:
    """Store the results of BATCH_ID (or of every finished batch not collected yet).

    Each result is stored as `extract` stores it; answers that errored or fail validation
    are stored as failed and sent again by the next run. Collecting again skips what is
    stored, and a collected batch is not downloaded again.
    """
    from extractor.model.batch import BatchWireError

    model, run = _configs(flags)
    store = Store.open(run.db_path)
    waiting = 0
    try:
        found = rows.load(store.db, batch_id)
        if batch_id is not None and not found:
            raise click.ClickException(f"no batch {batch_id} in {run.db_path}")
        resources = Resources.load(run) if any(not row.collected for row in found) else None
        for row in found:
            if row.collected or resources is None:
                click.echo(f"{row.id}: collected already ({len(row.keys)} result(s) stored).")
                continue
            done = _collect(row, store, model, run, resources, wait=wait,
                            timeout=wait_timeout, poll=poll_interval, quiet=quiet)
            waiting += done is None
    except (ConfigError, BatchWireError) as error:
        raise click.ClickException(one_line(str(error))) from error
    finally:
        store.close()
    if waiting:
        sys.exit(EXIT_WAITING)


EXIT_WAITING = 5  # some batch is not finished yet: collect again later


def _collect(row: rows.BatchRow, store: Store, model: ModelConfig, run: RunConfig,
             resources: Resources, *, wait: bool, timeout: float, poll: float,
             quiet: bool) -> Collected | None:
    from extractor.batch.collect import batch_model, collect_one, wait_until_done, wire_for

    settings = batch_model(row, store, model)
    wire = wire_for(settings)
    try:
        state = wait_until_done(wire, store, row, timeout=timeout if wait else 0.0, poll=poll)
        if not state.finished:
            click.echo(f"{_describe(state, row)}; not finished: collect again later.")
            return None
        with ConsoleReporter(enabled=not quiet) as reporter:
            done = collect_one(row, state, wire, store, settings, run, resources, reporter)
    finally:
        wire.close()
    summary = done.summary
    stored = (f"{summary.extracted} extracted, {summary.failed} failed"
              if summary else "nothing new")
    click.echo(f"{row.id}: {state.status}; {stored}; {done.already} stored before.")
    if summary:  # as after `extract`: the new incidents join their events
        click.echo(group_after_run(run.db_path, summary.run_id), err=True)
    return done
