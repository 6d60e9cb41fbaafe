"""The command-line options on how input is read, and their resolution into ``IntakeConfig``."""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from typing import Any

import click

from extractor.intake.items import DEFAULT_MAX_ITEM_BYTES, InputFormat, IntakeConfig
from extractor.intake.records import parse_field_mapping

_MB = 1024 * 1024


def _fields(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> dict[str, str]:
    try:
        return parse_field_mapping(value)
    except ValueError as error:
        raise click.BadParameter(str(error), ctx=ctx, param=param) from error


def intake_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Options on how the input files and standard input are read."""
    options = [
        click.option("--format", "input_format", type=click.Choice([f.value for f in InputFormat]),
                     default=None,
                     help="Read standard input and the files named as this format, whatever "
                          "their suffix [default: by suffix; standard input sniffed]."),
        click.option("--field", "fields", multiple=True, metavar="FIELD=NAME",
                     callback=_fields,
                     help="Take an article field (text, title, url, published, source) from "
                          "this JSONL key or CSV column, e.g. --field text=body. Repeatable."),
        click.option("--max-item-mb", type=click.FloatRange(min=0, min_open=True),
                     default=None,
                     help="Largest item read, in MB: one JSONL line or CSV row, or one whole "
                          f"file of another format [default: {DEFAULT_MAX_ITEM_BYTES // _MB}]."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def intake_config(flags: MutableMapping[str, Any]) -> IntakeConfig:
    """The intake settings, taken out of the command's flags."""
    fmt = flags.pop("input_format", None)
    fields = flags.pop("fields", None) or {}
    max_mb = flags.pop("max_item_mb", None)
    return IntakeConfig(
        format=InputFormat(fmt) if fmt else None,
        fields=dict(fields),
        max_item_bytes=int(max_mb * _MB) if max_mb else DEFAULT_MAX_ITEM_BYTES,
    )
