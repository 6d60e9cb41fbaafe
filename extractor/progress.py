"""What a run shows on the console: a progress bar and problems on stderr, a summary after."""

from __future__ import annotations

import re
from pathlib import Path
from types import TracebackType

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from extractor.intake.items import one_line as escaped
from extractor.pipeline import RunSummary

STATUS_FIELDS = ("extracted", "skipped", "failed", "problems")
DETAIL_CHARS = 300  # a failure's reason on the console; the database keeps it whole
_DOCS_LINK = re.compile(r"For further information visit https://errors\.pydantic\.dev/\S+")


def one_line(text: str, limit: int | None = None) -> str:
    """``text`` as one console line: line breaks and other control characters (and lone
    surrogates) escaped as intake escapes file names, cut to ``limit`` characters with a note
    of how much was left out."""
    text = escaped(text)
    if limit is not None and len(text) > limit:
        text = f"{text[:limit]}… ({len(text) - limit:,} more characters, whole in the database)"
    return text


def summarise(text: str, limit: int = DETAIL_CHARS) -> str:
    """A message (a validation error runs over many lines) as one short console line: line
    breaks and indentation become single spaces, and the rest is cut at ``limit``."""
    return one_line(" ".join(_DOCS_LINK.sub("", text).split()), limit)


class ConsoleReporter:
    """Progress on stderr; every input problem and failure printed as it happens."""

    def __init__(self, enabled: bool = True, console: Console | None = None):
        self.console = console or Console(stderr=True)
        self.enabled = enabled and self.console.is_terminal
        self.counts = dict.fromkeys(STATUS_FIELDS, 0)
        self.progress = Progress(
            SpinnerColumn(), TextColumn("[bold]extracting"), BarColumn(),
            TextColumn("{task.completed} articles"), TextColumn("{task.description}"),
            TimeElapsedColumn(), console=self.console, transient=True,
        )
        self.task = self.progress.add_task("", total=None)

    def __enter__(self) -> ConsoleReporter:
        if self.enabled:
            self.progress.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self.enabled:
            self.progress.stop()

    def _advance(self) -> None:
        description = "  ".join(f"{name} {count}" for name, count in self.counts.items()
                                if count)
        self.progress.update(self.task, advance=1, description=description)

    def problem(self, origin: str, message: str) -> None:
        self.counts["problems"] += 1
        self.console.print(f"[yellow]skipped[/] {escape(one_line(origin))}: "
                           f"{escape(summarise(message))}", highlight=False,
                           markup=True, soft_wrap=True)

    def warning(self, origin: str, message: str) -> None:
        self.console.print(f"[yellow]warning[/] {escape(one_line(origin))}: "
                           f"{escape(summarise(message))}", highlight=False,
                           markup=True, soft_wrap=True)

    def article(self, origin: str, status: str, detail: str | None = None) -> None:
        if status in self.counts:
            self.counts[status] += 1
        if status == "failed":
            self.console.print(f"[red]failed[/] {escape(one_line(origin))}: "
                               f"{escape(summarise(detail or ''))}",
                               highlight=False, soft_wrap=True)
        elif status == "duplicate":
            self.console.print(f"[dim]duplicate[/] {escape(one_line(origin))}: "
                               f"{escape(summarise(detail or ''))}", highlight=False,
                               soft_wrap=True)
        self._advance()


def print_summary(summary: RunSummary, db_path: Path, console: Console | None = None) -> None:
    """The run's totals, on stdout."""
    console = console or Console()
    table = Table(title=f"Run {summary.run_id} ({summary.status})", show_header=False)
    table.add_column("what", style="bold")
    table.add_column("count", justify="right")
    cost = "n/a" if summary.cost_usd is None else f"${summary.cost_usd:.4f}"
    for label, value in [
        ("articles read", summary.seen),
        ("extracted now", summary.extracted),
        ("already extracted (skipped)", summary.skipped),
        ("failed", summary.failed),
        ("bad input (skipped)", summary.input_errors),
        ("duplicates in input", summary.duplicates),
        ("incidents stored", summary.incidents),
        ("tokens (prompt / completion)",
         f"{summary.prompt_tokens:,} / {summary.completion_tokens:,}"),
        ("estimated cost", cost),
        ("database", one_line(str(db_path))),
    ]:
        table.add_row(label, str(value))
    console.print(table)
