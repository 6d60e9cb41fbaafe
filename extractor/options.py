"""What several commands share at the command line: the option sets, the one resolution of
settings (flag, then environment variable, then config file, then default), and how errors
written for users are shown. ``extract``, ``eval`` and ``check`` use them; so may a plugin.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from extractor.backend import FatalBackendError
from extractor.config import (
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
from extractor.progress import one_line
from extractor.resolve.gazetteer import GazetteerError
from extractor.resolve.registry import RegistryError
from extractor.resolve.world import WorldIndexError
from extractor.vocabulary import MODES

# Errors whose message is written for the user: shown as one line, without a traceback.
USER_ERRORS = (ConfigError, GazetteerError, RegistryError, WorldIndexError, FatalBackendError)


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
