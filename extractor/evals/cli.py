"""``extractor eval``: run the extraction pipeline over gold articles, score it, store it, gate.

Added to the command line by ``extractor/cli.py``; nothing below the command line imports it.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import click

from extractor.config import ModelConfig, RunConfig
from extractor.intake.articles import SourcedArticle
from extractor.options import (
    announce_model,
    model_options,
    resolve_configs,
    run_options,
    user_errors,
)
from extractor.pipeline import Resources, build_backend, run_pipeline
from extractor.progress import ConsoleReporter
from extractor.schemas import ExtractionResult
from extractor.store.database import Store

from .dataset import GoldError, GoldSet, load_gold
from .evaluate import Evaluation, evaluate
from .events import gold_event_keys
from .gate import check_gate, parse_rule
from .matching import THRESHOLD
from .metrics import Difference, paired_bootstrap
from .report import build_report, render_text
from .scorers import FIELDS
from .store import EvalStore

__all__ = ["eval_command"]


def _rules(values: tuple[str, ...], option: str) -> list[tuple[str, float]]:
    rules = []
    for value in values:
        try:
            rules.append(parse_rule(value))
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint=option) from None
    return rules


def _run_pipeline(goldset: GoldSet, model: ModelConfig, run: RunConfig, store: Store,
                  resources: Resources, quiet: bool) -> tuple[dict[str, Any], dict[str, str]]:
    """Extract the gold articles (cached extractions are reused); the eval run's row and keys."""
    backend = build_backend(model, run, resources)
    items = [SourcedArticle(record.article, goldset.origins[record.article.id])
             for record in goldset.records]
    with ConsoleReporter(enabled=not quiet) as reporter:
        summary = asyncio.run(run_pipeline(items, backend, store, resources, run,
                                           command="eval", settings=model.public_settings(),
                                           reporter=reporter))
    row = {"command": "eval", "extraction_run_id": summary.run_id, "model": backend.model,
           "prompt_name": backend.prompt_name, "prompt_hash": backend.prompt_hash,
           "schema_hash": backend.schema_hash, "settings": model.public_settings()}
    return row, summary.keys


def _rescore_source(evals: EvalStore, rescore: int) -> tuple[dict[str, Any], dict[str, str]]:
    """The row and keys of an earlier eval run whose stored predictions are scored again."""
    source = evals.run(rescore)
    if source is None:
        raise click.ClickException(f"no eval run #{rescore} in this database")
    row = {"command": "rescore", "rescored_eval_run_id": rescore,
           **{k: source[k] for k in ("extraction_run_id", "model", "prompt_name",
                                     "prompt_hash", "schema_hash")},
           "settings": json.loads(source["settings"] or "{}")}
    return row, evals.article_keys(rescore)


@click.command(name="eval")
@click.argument("gold", type=click.Path(path_type=Path, exists=True))
@model_options
@run_options
@click.option("json_", "--json", is_flag=True, help="Print the report as JSON on stdout.")
@click.option("--rescore", type=int, metavar="EVAL_RUN_ID", default=None,
              help="Score the stored predictions of an earlier eval run again (no model "
                   "calls, no backend).")
@click.option("--against", type=int, metavar="EVAL_RUN_ID", default=None,
              help="Eval run to compare with [default: the latest on the same gold set].")
@click.option("--fail-under", multiple=True, metavar="FIELD=VALUE",
              help="Exit 1 when FIELD's score is below VALUE (e.g. incidents.f1=0.5). "
                   "Repeatable.")
@click.option("--max-drop", multiple=True, metavar="FIELD=DELTA",
              help="Exit 1 when FIELD fell by more than DELTA since the comparison run. "
                   "Repeatable.")
@click.option("--threshold", type=click.FloatRange(0, 1), default=THRESHOLD, show_default=True,
              help="Similarity below which incidents stay unpaired.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.pass_context
@user_errors
def eval_command(ctx: click.Context, gold: Path, json_: bool, rescore: int | None,
                 against: int | None, fail_under: tuple[str, ...], max_drop: tuple[str, ...],
                 threshold: float, quiet: bool, **flags: Any) -> None:
    """Score extractions of the gold articles in GOLD (a gold file or a folder of them).

    A .json gold file holds one record, a .jsonl file one per line; a folder is searched at any
    depth. Gold that `extractor gold check` refuses is refused here, with the same messages.

    Runs the same pipeline and cache as `extract` (a second eval with the same configuration
    makes no model calls), post-processes gold and predictions alike, pairs incidents, scores
    every field, stores the evaluation in the database and compares it with the previous one
    on the same gold set. With --fail-under / --max-drop it exits 1 when a rule is breached.

    \b
    Examples:
        extractor eval evals/gold --model baseline
        extractor eval evals/gold -m gpt-4o-mini --fail-under incidents.f1=0.6
        extractor eval evals/gold -m gpt-4o-mini --max-drop incidents.f1=0.05
        extractor eval evals/gold --rescore 3 --json
    """
    floors = _rules(fail_under, "--fail-under")
    drops = _rules(max_drop, "--max-drop")
    try:
        goldset = load_gold(gold)
    except GoldError as error:
        raise click.ClickException(str(error)) from error
    model, run = resolve_configs(flags)
    resources = Resources.load(run)
    store = Store.open(run.db_path)
    try:
        evals = EvalStore(store)
        comparison_row = _comparison_row(evals, against, goldset.sha256)
        if rescore is not None:
            row, keys = _rescore_source(evals, rescore)
        else:
            announce_model(model)
            row, keys = _run_pipeline(goldset, model, run, store, resources, quiet)
        predictions: dict[str, ExtractionResult | None] = evals.load_predictions(keys)
        evaluation = evaluate(goldset.records, predictions, resources.registry,
                              resources.gazetteer, threshold=threshold,
                              event_keys=gold_event_keys(goldset.records, goldset.files))
        differences = _compare(evals, comparison_row, evaluation)
        gate = check_gate(evaluation.totals, floors, drops, differences)
        row.update({"gold_path": goldset.label, "gold_hash": goldset.sha256,
                    "against_eval_run_id": comparison_row["id"] if comparison_row else None,
                    "gate": None if gate.passed is None else
                    ("passed" if gate.passed else "failed")})
        eval_run_id = evals.save(row, evaluation, keys)
    finally:
        store.close()
    run_info = {"eval_run_id": eval_run_id, **{k: v for k, v in row.items() if k != "gate"},
                "gold_articles": len(goldset.records), "threshold": threshold,
                "db": str(run.db_path)}
    report = build_report(evaluation, run_info, comparison_row, differences, gate)
    _emit(report, json_)
    if gate.passed is False:
        click.echo("Gate failed: " + "; ".join(gate.failures), err=True)
        ctx.exit(1)


def _compare(evals: EvalStore, comparison_row: dict[str, Any] | None,
             evaluation: Evaluation) -> dict[str, Difference] | None:
    """Each field's difference from the comparison run, over the articles both scored."""
    if comparison_row is None:
        return None
    current = {a.article_id: {name: (score.numerator, score.denominator)
                              for name, score in a.scores.items()}
               for a in evaluation.articles}
    return paired_bootstrap(evals.article_counts(comparison_row["id"]), current, FIELDS)


def _comparison_row(evals: EvalStore, against: int | None,
                    gold_hash: str) -> dict[str, Any] | None:
    if against is None:
        return evals.previous_run(gold_hash)
    row = evals.run(against)
    if row is None:
        raise click.ClickException(f"--against: no eval run #{against} in this database")
    return row


def _emit(report: dict[str, Any], json_: bool) -> None:
    if json_:
        click.echo(json.dumps(report, indent=2, ensure_ascii=False, default=str))
    else:
        click.echo(render_text(report).rstrip("\n"))
