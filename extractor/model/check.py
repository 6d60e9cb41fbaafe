"""``extractor check``: can this endpoint extract, and how should it be asked?

Before a long run, one look at the endpoint with the run's own settings:

* **reachable** and **authentication**: ``GET /models`` (OpenAI's list of models), which also
  says whether the **model is listed**;
* **context**: the context length, when the server tells it (llama.cpp ``/props``: ``n_ctx``
  or ``default_generation_settings.n_ctx``; vLLM: ``max_model_len`` in ``/models``; Ollama:
  ``/api/show``), against the prompt's size counted by :mod:`extractor.model.tokens`;
* **modes**: one tiny extraction per mode (``tools``, ``json_schema``, ``json``, ``md_json``)
  through the extraction backend itself, with a small ``max_tokens``, no re-ask and no
  transport retry; each failure named as the backend classifies it (refused as malformed,
  truncated, validation, transport...);
* a recommended ``--mode``: the first that extracted, in the order above; else the first the
  server accepted but cut off at the check's small budget.

No database is touched. Settings come resolved from the CLI, as for ``extract``.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import httpx

from extractor.backend import FatalBackendError
from extractor.config import STRICT_MODES, ConfigError, ModelConfig, RunConfig
from extractor.model.llm import DEFAULT_BASE_URL, build_llm_backend
from extractor.model.prompting import PromptError, load_prompt
from extractor.model.tokens import TokenCounter, server_root
from extractor.schemas import Article
from extractor.schemas.sent import sent_schema
from extractor.vocabulary import MODES, ErrorKind

__all__ = ["CHECK_MAX_TOKENS", "TINY_ARTICLE", "CheckReport", "ModeResult", "check_endpoint"]

# The check's output budget when --max-tokens is not given: enough for the tiny article's one
# incident from a capable model; a small local model may be cut off (reported as such).
CHECK_MAX_TOKENS = 256
TINY_ARTICLE = Article(
    id="check", title="Soldiers killed in Menaka",
    text="Gunmen killed two soldiers at an army post in Menaka on Monday, the army said.")

# What became of one mode's tiny request.
OK = "ok"  # extracted
REFUSED = "refused"  # the server refused the request as malformed: the mode is unsupported
AUTH = "auth"  # 401/403: the key
NOT_FOUND = "not_found"  # 404: the model or the URL
FATAL = "fatal"  # quota, or an HTML page for an answer
USABLE = (OK, ErrorKind.TRUNCATED)  # the server takes the mode


@dataclass
class ModeResult:
    mode: str
    status: str  # OK, an ErrorKind, or REFUSED/AUTH/NOT_FOUND/FATAL
    detail: str = ""
    seconds: float = 0.0
    prompt_tokens: int = 0
    completion_tokens: int = 0


@dataclass
class CheckReport:
    base_url: str
    model: str
    reachable: bool = False
    reach_detail: str = ""
    authentication: str = "not checked"  # accepted / rejected / not checked
    model_listed: bool | None = None  # None: the server lists no models
    listed: list[str] = field(default_factory=list)
    context_length: int | None = None
    context_source: str = ""
    prompt_tokens: int = 0  # system message, schema and the tiny article's user message
    prompt_method: str = ""
    modes: list[ModeResult] = field(default_factory=list)
    recommended: str | None = None
    advice: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return any(result.status == OK for result in self.modes)

    def to_json(self) -> str:
        return json.dumps({**asdict(self), "ok": self.ok}, ensure_ascii=False, indent=2)


def _mode_status(error: FatalBackendError) -> str:
    cause = error.__cause__
    status = getattr(cause, "status_code", None)
    if status in (401, 403):
        return AUTH
    if status == 404:
        return NOT_FOUND
    if status == 429 or status is None:
        return FATAL
    return REFUSED


async def _try_mode(model: ModelConfig, run: RunConfig, mode: str) -> ModeResult:
    # --strict as given applies to the modes that send a schema; the others never use it.
    config = replace(model, mode=mode, validation_retries=0, max_retries=0,
                     strict=model.strict if mode in STRICT_MODES else None)
    backend = build_llm_backend(config, run)
    loop = asyncio.get_running_loop()
    started = loop.time()
    try:
        outcome = await backend.extract(TINY_ARTICLE)
    except FatalBackendError as error:
        return ModeResult(mode, _mode_status(error), str(error),
                          round(loop.time() - started, 2))
    finally:
        await backend.aclose()
    result = ModeResult(mode, OK if outcome.ok else str(outcome.error_kind),
                        "" if outcome.ok else (outcome.error or ""),
                        round(loop.time() - started, 2),
                        outcome.usage.prompt_tokens, outcome.usage.completion_tokens)
    if outcome.ok and outcome.result is not None:
        result.detail = f"{len(outcome.result.incidents)} incident(s)"
    return result


def _models(report: CheckReport, client: httpx.Client, base_url: str) -> list[dict[str, Any]]:
    """GET /models: reachability, authentication, and the listed models."""
    try:
        response = client.get(base_url.rstrip("/") + "/models")
    except httpx.HTTPError as error:
        report.reach_detail = f"{type(error).__name__}: {error}"
        return []
    report.reachable = True
    report.reach_detail = f"HTTP {response.status_code} from GET /models"
    if response.status_code in (401, 403):
        report.authentication = f"rejected (HTTP {response.status_code})"
        return []
    try:
        data = response.json().get("data") if response.status_code == 200 else None
    except (ValueError, AttributeError):
        data = None
    if not isinstance(data, list):
        return []
    report.authentication = "accepted"
    entries = [entry for entry in data if isinstance(entry, dict)]
    report.listed = [str(entry.get("id")) for entry in entries]
    report.model_listed = report.model in report.listed
    return entries


def _context(report: CheckReport, client: httpx.Client, root: str,
             entries: list[dict[str, Any]]) -> None:
    """The context length, from the first of vLLM, llama.cpp and Ollama that tells it."""
    for entry in entries:
        if entry.get("id") == report.model and isinstance(entry.get("max_model_len"), int):
            report.context_length = entry["max_model_len"]
            report.context_source = "max_model_len in /v1/models (vLLM)"
            return
    props = _get_json(client, "GET", root + "/props")
    if isinstance(props, dict):
        settings = props.get("default_generation_settings")
        n_ctx = props.get("n_ctx")
        if not isinstance(n_ctx, int) and isinstance(settings, dict):
            n_ctx = settings.get("n_ctx")
        if isinstance(n_ctx, int):
            report.context_length = n_ctx
            report.context_source = "n_ctx in /props (llama.cpp)"
            return
    show = _get_json(client, "POST", root + "/api/show", {"model": report.model})
    if isinstance(show, dict):
        parameters = str(show.get("parameters") or "")
        for line in parameters.splitlines():
            name, _, value = line.strip().partition(" ")
            if name == "num_ctx" and value.strip().isdigit():
                report.context_length = int(value.strip())
                report.context_source = "num_ctx in /api/show (Ollama)"
                return
        info = show.get("model_info")
        if isinstance(info, dict):
            for key, value in info.items():
                if key.endswith(".context_length") and isinstance(value, int):
                    report.context_length = value
                    report.context_source = ("the model's context_length in /api/show "
                                             "(Ollama runs it with its own num_ctx, often less)")
                    return


def _get_json(client: httpx.Client, method: str, url: str,
              body: dict[str, Any] | None = None) -> Any:
    try:
        response = client.request(method, url, json=body)
        return response.json() if response.status_code == 200 else None
    except (httpx.HTTPError, ValueError):
        return None


def _prompt_size(report: CheckReport, model: ModelConfig, base_url: str | None) -> None:
    """The system message, the schema in the form the prompt sends it, and the tiny article."""
    try:
        prompt = load_prompt(model.prompt)
    except PromptError as error:
        raise ConfigError(str(error)) from error
    messages = prompt.messages(TINY_ARTICLE)
    form = sent_schema(strict=model.uses_strict(), bare_form=prompt.bare_schema)
    schema = json.dumps(form, separators=(",", ":"))
    text = "\n".join([messages[0]["content"], schema, messages[1]["content"]])
    count = TokenCounter(base_url, model=model.model, api_key=model.api_key,
                         timeout=model.timeout).count(text)
    report.prompt_tokens, report.prompt_method = count.tokens, count.method


def _advise(report: CheckReport, model: ModelConfig) -> None:
    by_mode = {result.mode: result for result in report.modes}
    working = [mode for mode in MODES if by_mode[mode].status == OK]
    cut = [mode for mode in MODES if by_mode[mode].status == ErrorKind.TRUNCATED]
    report.recommended = next(iter(working or cut), None)
    if report.recommended and not working:
        report.advice.append(f"no mode extracted within {model.max_tokens} output tokens; "
                             f"--mode {report.recommended} was accepted: raise --max-tokens")
    if report.context_length:
        room = report.context_length - report.prompt_tokens - model.max_tokens
        if room <= 0:
            report.advice.append(
                f"the prompt ({report.prompt_tokens:,} tokens) and --max-tokens "
                f"({model.max_tokens:,}) do not fit in the context "
                f"({report.context_length:,}): raise the server's context or use a shorter "
                "--prompt")
        else:
            report.advice.append(
                f"about {room:,} tokens of the context are left for an article at "
                f"--max-tokens {model.max_tokens:,}; keep --max-input-tokens at or below "
                f"{report.context_length - model.max_tokens:,}")
    if any(by_mode[mode].status in (AUTH, NOT_FOUND) for mode in MODES):
        report.advice.append("check the API key, the model name and --base-url")


def check_endpoint(model: ModelConfig, run: RunConfig) -> CheckReport:
    """Every check of the module docstring against ``model``'s endpoint."""
    base_url = model.base_url or DEFAULT_BASE_URL
    report = CheckReport(base_url=model.public_base_url() or DEFAULT_BASE_URL,
                         model=model.model)
    headers = {"Authorization": f"Bearer {model.api_key}"} if model.api_key else {}
    with httpx.Client(timeout=model.timeout, headers=headers) as client:
        entries = _models(report, client, base_url)
        if report.reachable and model.base_url is not None:
            _context(report, client, server_root(base_url), entries)
    _prompt_size(report, model, model.base_url)
    if report.authentication.startswith("rejected"):
        report.advice.append("the key was rejected: check OPENAI_API_KEY or --api-key "
                             "(no mode was tried)")
    elif report.reachable:
        report.modes = asyncio.run(_all_modes(model, run))
        if report.authentication == "not checked":
            statuses = {result.status for result in report.modes}
            if AUTH in statuses:
                report.authentication = "rejected"
            elif statuses & {OK, REFUSED, ErrorKind.TRUNCATED, ErrorKind.VALIDATION}:
                report.authentication = "accepted"
        _advise(report, model)
    return report


async def _all_modes(model: ModelConfig, run: RunConfig) -> list[ModeResult]:
    return [await _try_mode(model, run, mode) for mode in MODES]
