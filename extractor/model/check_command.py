"""What ``extractor check`` prints: a table like the extract summary, or JSON for scripts."""

from __future__ import annotations

from dataclasses import replace

import click
from rich.console import Console
from rich.table import Table

from extractor.config import ModelConfig, RunConfig
from extractor.model.check import CHECK_MAX_TOKENS, OK, USABLE, CheckReport, check_endpoint
from extractor.progress import one_line

EXIT_WORKS = 0  # some mode extracted
EXIT_FAILS = 3  # no mode extracted (the same code as an extract run that extracted nothing)


def run_check(model: ModelConfig, run: RunConfig, *, as_json: bool, max_tokens_given: bool,
              console: Console | None = None) -> int:
    """Check ``model``'s endpoint, print the report, and return the exit status."""
    if not max_tokens_given:
        model = replace(model, max_tokens=CHECK_MAX_TOKENS)
    report = check_endpoint(model, run)
    if as_json:
        click.echo(report.to_json())
    else:
        print_report(report, console or Console())
    return EXIT_WORKS if report.ok else EXIT_FAILS


def _yes_no(value: bool | None, unknown: str) -> str:
    return unknown if value is None else ("yes" if value else "no")


def print_report(report: CheckReport, console: Console) -> None:
    endpoint = Table(title=f"Endpoint {one_line(report.base_url)}", show_header=False)
    endpoint.add_column("what", style="bold")
    endpoint.add_column("result")
    listed = _yes_no(report.model_listed, "unknown (the server lists no models)")
    if report.model_listed is False and report.listed:
        listed += f" (listed: {', '.join(report.listed[:5])})"
    context = (f"{report.context_length:,} tokens ({report.context_source})"
               if report.context_length else "not told by the server")
    for label, value in [
        ("reachable", f"{_yes_no(report.reachable, '')} ({report.reach_detail})"),
        ("authentication", report.authentication),
        (f"model {report.model} listed", listed),
        ("context length", context),
        ("prompt with a tiny article", f"{report.prompt_tokens:,} tokens "
                                       f"({report.prompt_method})"),
    ]:
        endpoint.add_row(label, one_line(value))
    console.print(endpoint)
    if report.modes:
        modes = Table(title="Modes (one tiny extraction each)")
        for column in ("mode", "result", "seconds", "tokens (prompt / completion)", "detail"):
            modes.add_column(column)
        for result in report.modes:
            style = "green" if result.status == OK else \
                "yellow" if result.status in USABLE else "red"
            modes.add_row(result.mode, f"[{style}]{result.status}[/{style}]",
                          f"{result.seconds:.1f}",
                          f"{result.prompt_tokens:,} / {result.completion_tokens:,}",
                          one_line(result.detail)[:160])
        console.print(modes)
    recommended = f"--mode {report.recommended}" if report.recommended else "none: no mode works"
    console.print(f"Recommended: {recommended}")
    for line in report.advice:
        console.print(f"- {one_line(line)}")
