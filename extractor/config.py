"""Settings, resolved once at the edge: flag, then environment variable, then config file,
then default.

Library code never reads the environment or the config file: the CLI calls
:func:`resolve_settings` with the flags it was given, ``os.environ`` and the file's values, and
passes the frozen result down.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus, urlsplit

from extractor.vocabulary import Mode

BASELINE_MODEL = "baseline"
# The endpoint --strict is on for by default (docs/model-endpoints.md, "Strict schema").
OPENAI_HOST = "api.openai.com"
STRICT_MODES = frozenset({Mode.TOOLS, Mode.JSON_SCHEMA})  # the modes that send a schema

# Environment variables read at the edge, with what they set. The README lists the same.
ENV_VARS = {
    "EXTRACTOR_MODEL": "model name (default: the offline baseline)",
    "OPENAI_BASE_URL": "base URL of any OpenAI-compatible endpoint",
    "OPENAI_API_KEY": "API key for that endpoint",
    "EXTRACTOR_MODE": "instructor mode: tools, json_schema, json or md_json",
    "EXTRACTOR_DB": "SQLite database path (default data/incidents.db)",
    "EXTRACTOR_PRICES": "CSV of model prices adding to (or overriding) the shipped price table",
    "EXTRACTOR_CONFIG": "TOML file of settings (the same names as the flags, with _)",
}

DEFAULT_DB = Path("data/incidents.db")
DEFAULT_CACHE_DIR = Path.home() / ".cache" / "extractor"  # under $XDG_CACHE_HOME when set
# Cost guards (README, "Limits"): about 100,000 words, several times a long-form feature;
# a longer "article" is a book, a feed dump or a mistake, and costs ~125,000 prompt tokens.
DEFAULT_MAX_ARTICLE_CHARS = 500_000
# At the default --max-input-tokens an article of the size above needs ~6 chunks.
DEFAULT_MAX_CHUNKS = 12


REDACTED = "***"
# Query parameters that carry credentials in endpoint URLs (?key=, ?api-key=, Azure ?code=,
# signed URLs' ?sig=...): their values are redacted wherever a URL is shown or stored.
_SECRET_PARAM = re.compile(
    r"(?i)(?:^|[-_.])(?:key|apikey|token|secret|sig|signature|password|passwd|pass|pwd|auth|"
    r"authorization|code|credential|credentials|session)$")
_URL_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/?#@\s]*@")
_QUERY_PAIR = re.compile(r"([?&;])([^=&;#\s]+)=([^&;#\s'\"]*)")


def redact_secrets(text: str, secrets: Iterable[str | None] = ()) -> str:
    """``text`` with credentials replaced by ``***``: every known secret in ``secrets`` (the
    API key, a key found in the base URL), the user info of any URL (``https://user:key@``)
    and the values of credential-like query parameters (``?api_key=...``, ``&sig=...``).

    The one redaction of the project: settings stored, console messages and errors stored all
    pass through it, and so may the model client's own messages.
    """
    for secret in sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    text = _URL_USERINFO.sub(lambda m: f"{m.group(1)}{REDACTED}@", text)
    return _QUERY_PAIR.sub(
        lambda m: (f"{m.group(1)}{m.group(2)}={REDACTED}"
                   if _SECRET_PARAM.search(m.group(2)) and m.group(3) else m.group(0)), text)


def url_secrets(url: str | None) -> tuple[str, ...]:
    """The credentials inside a URL: the user info's name and password, and the values of
    credential-like query parameters."""
    if not url:
        return ()
    try:
        parts = urlsplit(url)
        found = [parts.username, parts.password]
    except ValueError:  # a malformed URL: redact_secrets' patterns still apply
        return ()
    for pair in re.split(r"[&;]", parts.query):
        name, _, value = pair.partition("=")
        if value and _SECRET_PARAM.search(unquote_plus(name)):
            found += [value, unquote_plus(value)]  # as written, and as a server reads it
    return tuple(dict.fromkeys(value for value in found if value))


def _host(url: str) -> str | None:
    try:
        return urlsplit(url).hostname
    except ValueError:
        return None


class ConfigError(Exception):
    """A setting is missing or has a value that cannot work; shown to the user as is."""


@dataclass(frozen=True)
class ModelConfig:
    """Which extractor runs, and how it talks to its endpoint."""

    model: str = BASELINE_MODEL
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    mode: str = Mode.TOOLS
    temperature: float = 0.0
    max_tokens: int = 4096
    timeout: float = 60.0  # the whole request: connect, headers and body
    max_response_bytes: int = 4 * 1024 * 1024
    max_retries: int = 4
    validation_retries: int = 2
    prompt: str = "extract"
    # Input the model takes per request; longer articles are extracted in chunks (chunking.py).
    max_input_tokens: int = 32_000
    # Cost guard: an article needing more chunks than this fails as too_large, unsent.
    max_chunks: int = DEFAULT_MAX_CHUNKS
    # Send the strict schema (``strict: true``): None is the default, on for OpenAI's own
    # endpoint only (:meth:`uses_strict`).
    strict: bool | None = None

    @property
    def is_baseline(self) -> bool:
        return self.model == BASELINE_MODEL

    def uses_strict(self, mode: str | None = None) -> bool:
        """Whether requests in ``mode`` (default: the configured one) send the strict schema.

        Only ``tools`` and ``json_schema`` send a schema to the server; there ``--strict`` or
        ``--no-strict`` decides, and without either strict mode is on for OpenAI's endpoint
        (the default base URL) and off elsewhere: other servers ignore the flag or refuse it.
        """
        if (mode or self.mode) not in STRICT_MODES:
            return False
        if self.strict is not None:
            return self.strict
        return self.base_url is None or _host(self.base_url) == OPENAI_HOST

    def secrets(self) -> tuple[str, ...]:
        """Every credential these settings hold: the API key and any key in the base URL."""
        return tuple(s for s in (self.api_key, *url_secrets(self.base_url)) if s)

    def public_base_url(self) -> str | None:
        """The base URL as it may be shown and stored: credentials in it redacted."""
        return redact_secrets(self.base_url, self.secrets()) if self.base_url else None

    def public_settings(self) -> dict[str, object]:
        """Settings safe to store and show: never the API key, nor a key in the base URL."""
        return {
            "model": self.model,
            "base_url": self.public_base_url(),
            "mode": self.mode,
            "temperature": self.temperature,
            "max_tokens": self.max_tokens,
            "timeout": self.timeout,
            "max_response_bytes": self.max_response_bytes,
            "max_retries": self.max_retries,
            "validation_retries": self.validation_retries,
            "prompt": self.prompt,
            "max_input_tokens": self.max_input_tokens,
            "max_chunks": self.max_chunks,
            "strict": self.uses_strict(),
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
    prices_path: Path | None = None  # model prices beyond extractor/model/prices.csv
    cache_dir: Path = DEFAULT_CACHE_DIR  # derived data kept between runs (the world gazetteer)
    # Cost guard: a longer article fails as too_large without reaching any extractor.
    max_article_chars: int = DEFAULT_MAX_ARTICLE_CHARS


def first_set(*values: object) -> object | None:
    """The first value that is not None or an empty string."""
    for value in values:
        if value is not None and value != "":
            return value
    return None


@dataclass(frozen=True)
class Setting:
    """One setting: where it goes, its environment variable, the type a config file gives."""

    name: str
    target: str  # "model" or "run"
    field: str  # the ModelConfig / RunConfig field it sets
    kind: type | tuple[type, ...]
    env: str | None = None


SETTINGS = (
    Setting("model", "model", "model", str, "EXTRACTOR_MODEL"),
    Setting("base_url", "model", "base_url", str, "OPENAI_BASE_URL"),
    Setting("api_key", "model", "api_key", str, "OPENAI_API_KEY"),
    Setting("mode", "model", "mode", str, "EXTRACTOR_MODE"),
    Setting("temperature", "model", "temperature", (int, float)),
    Setting("max_tokens", "model", "max_tokens", int),
    Setting("timeout", "model", "timeout", (int, float)),
    Setting("max_response_bytes", "model", "max_response_bytes", int),
    Setting("max_retries", "model", "max_retries", int),
    Setting("validation_retries", "model", "validation_retries", int),
    Setting("prompt", "model", "prompt", str),
    Setting("max_input_tokens", "model", "max_input_tokens", int),
    Setting("max_chunks", "model", "max_chunks", int),
    Setting("strict", "model", "strict", bool),
    Setting("db", "run", "db_path", str, "EXTRACTOR_DB"),
    Setting("concurrency", "run", "concurrency", int),
    Setting("rpm", "run", "requests_per_minute", int),
    Setting("tpm", "run", "tokens_per_minute", int),
    Setting("gazetteer", "run", "gazetteer_path", str),
    Setting("registry", "run", "registry_path", str),
    Setting("prices", "run", "prices_path", str, "EXTRACTOR_PRICES"),
    Setting("cache_dir", "run", "cache_dir", str, "EXTRACTOR_CACHE_DIR"),
    Setting("max_article_chars", "run", "max_article_chars", int),
)
PATH_FIELDS = {"db_path", "gazetteer_path", "registry_path", "prices_path", "cache_dir"}
# Secrets stay in the environment: a config file is easily committed or shared.
NOT_IN_FILES = {"api_key"}


def load_config_file(path: Path) -> dict[str, Any]:
    """Settings from a TOML file, checked against the known names and types."""
    try:
        with open(path, "rb") as handle:
            values = tomllib.load(handle)
    except OSError as error:
        raise ConfigError(f"{path}: cannot read config file: {error.strerror or error}") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from error
    known = {s.name: s for s in SETTINGS}
    for name, value in values.items():
        if name in NOT_IN_FILES:
            raise ConfigError(f"{path}: '{name}' does not belong in a config file; set "
                              f"{known[name].env} in the environment")
        if name not in known:
            raise ConfigError(f"{path}: unknown setting '{name}'; known: "
                              f"{', '.join(sorted(set(known) - NOT_IN_FILES))}")
        kind = known[name].kind
        if isinstance(value, bool) is not (kind is bool) or not isinstance(value, kind):
            raise ConfigError(f"{path}: '{name}' must be a {_kind_name(kind)}, "
                              f"not {value!r}")
    # Paths in a config file are relative to the file, not to where the command runs.
    for name in ("db", "gazetteer", "registry", "prices", "cache_dir"):
        if name in values and not Path(values[name]).is_absolute():
            values[name] = str((path.parent / values[name]).resolve())
    return values


def _kind_name(kind: type | tuple[type, ...]) -> str:
    names = {str: "string", int: "whole number", bool: "true or false"}
    return "number" if kind == (int, float) else names[kind]  # type: ignore[index]


def resolve_settings(flags: Mapping[str, object], env: Mapping[str, str],
                     file_values: Mapping[str, object] | None = None,
                     ) -> tuple[ModelConfig, RunConfig]:
    """Model and run configuration: each setting from its flag, then its environment variable,
    then the config file, then the default.

    ``flags`` holds the CLI options by name, ``None`` where the user gave none.
    """
    file_values = file_values or {}
    chosen: dict[str, dict[str, object]] = {"model": {}, "run": {}}
    for setting in SETTINGS:
        value = first_set(flags.get(setting.name),
                          env.get(setting.env) if setting.env else None,
                          file_values.get(setting.name))
        if value is None:
            continue
        if setting.field in PATH_FIELDS:
            value = Path(str(value))
        chosen[setting.target][setting.field] = value
    if "cache_dir" not in chosen["run"] and env.get("XDG_CACHE_HOME"):
        chosen["run"]["cache_dir"] = Path(env["XDG_CACHE_HOME"]) / "extractor"
    return ModelConfig(**chosen["model"]), RunConfig(**chosen["run"])  # type: ignore[arg-type]
