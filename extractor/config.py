"""Settings, resolved once at the edge (flag, then environment variable, then default).

Library code never reads the environment: the CLI calls :func:`resolve_model_config` with the
flags it was given and ``os.environ``, and passes the frozen result down.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

BASELINE_MODEL = "baseline"

# Environment variables read at the edge, with what they set. The README lists the same.
ENV_VARS = {
    "EXTRACTOR_MODEL": "model name (default: the offline baseline)",
    "OPENAI_BASE_URL": "base URL of any OpenAI-compatible endpoint",
    "OPENAI_API_KEY": "API key for that endpoint",
    "EXTRACTOR_MODE": "instructor mode: tools, json_schema, json or md_json",
    "EXTRACTOR_DB": "SQLite database path (default data/incidents.db)",
    "EXTRACTOR_PRICES": "CSV of model prices adding to (or overriding) the shipped price table",
}

DEFAULT_DB = Path("data/incidents.db")


class ConfigError(Exception):
    """A setting is missing or has a value that cannot work; shown to the user as is."""


@dataclass(frozen=True)
class ModelConfig:
    """Which extractor runs, and how it talks to its endpoint."""

    model: str = BASELINE_MODEL
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    mode: str = "tools"
    temperature: float = 0.0
    max_tokens: int = 4096
    timeout: float = 60.0
    max_retries: int = 4
    validation_retries: int = 2
    prompt: str = "extract"
    # Input the model takes per request; longer articles are extracted in chunks (chunking.py).
    max_input_tokens: int = 32_000

    @property
    def is_baseline(self) -> bool:
        return self.model == BASELINE_MODEL

    def public_settings(self) -> dict[str, object]:
        """Settings safe to store and show: never the API key."""
        return {
            "model": self.model,
            "base_url": self.base_url,
            "mode": self.mode,
            "temperature": self.temperature,
            "max_tokens": self.max_tokens,
            "timeout": self.timeout,
            "max_retries": self.max_retries,
            "validation_retries": self.validation_retries,
            "prompt": self.prompt,
            "max_input_tokens": self.max_input_tokens,
        }


@dataclass(frozen=True)
class RunConfig:
    """How a run reads and writes: everything but the model."""

    db_path: Path = DEFAULT_DB
    concurrency: int = 8
    gazetteer_path: Path | None = None
    registry_path: Path | None = None
    requests_per_minute: int | None = None
    tokens_per_minute: int | None = None
    prices_path: Path | None = None  # model prices beyond extractor/data/prices.csv


def first_set(*values: object) -> object | None:
    """The first value that is not None or an empty string."""
    for value in values:
        if value is not None and value != "":
            return value
    return None


def resolve_model_config(flags: Mapping[str, object], env: Mapping[str, str]) -> ModelConfig:
    """Build the model configuration from CLI flags, then environment, then defaults.

    ``flags`` holds the CLI options by name, ``None`` where the user gave none.
    """
    defaults = ModelConfig()
    model = first_set(flags.get("model"), env.get("EXTRACTOR_MODEL"), defaults.model)
    values: dict[str, object] = {
        "model": str(model),
        "base_url": first_set(flags.get("base_url"), env.get("OPENAI_BASE_URL")),
        "api_key": first_set(flags.get("api_key"), env.get("OPENAI_API_KEY")),
        "mode": str(first_set(flags.get("mode"), env.get("EXTRACTOR_MODE"), defaults.mode)),
    }
    for name in ("temperature", "max_tokens", "timeout", "max_retries", "validation_retries",
                 "prompt", "max_input_tokens"):
        value = flags.get(name)
        if value is not None:
            values[name] = value
    return ModelConfig(**values)  # type: ignore[arg-type]
