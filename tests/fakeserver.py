"""A fake OpenAI-compatible server for tests and benchmarks: real HTTP on 127.0.0.1.

It speaks the wire format of ``POST /v1/chat/completions`` and ``GET /v1/models`` as the
openai SDK and instructor expect it (tool calls in TOOLS mode, JSON content for json and
json_schema, a fenced block for md_json), and injects faults on demand:

* per article: ``server.script(match, [step, ...])`` where ``match`` is a substring of the
  article text; the n-th request for that article gets the n-th step, later ones get ``ok``.
  Requests are tied to an article by the first user message holding ``<article>``, so re-asks
  (which append messages) count for the same article.
* globally: ``fault_mix={"500": 0.05, "429": 0.02}`` with a ``seed`` for articles without a
  script.

A step is a kind name or a dict ``{"kind": ..., **options}``. Kinds: ``ok`` (optionally with a
``result``), ``429`` (``retry_after`` seconds, ``retry_after_ms``), ``500``, ``503``,
``slow`` (answers after ``seconds``), ``drop`` (closes the socket mid-body), ``malformed``,
``invalid`` (valid JSON, not an ExtractionResult), ``ungrounded`` (valid, evidence not in the
article), ``length`` (``finish_reason=length`` with truncated output), ``no_usage``, ``401``,
``403``, ``404`` (model_not_found), ``quota`` (429 insufficient_quota), ``400``
(context_length_exceeded). Any step may add ``delay`` seconds.

Requests that say ``strict: true`` (a function tool's ``strict``, or ``json_schema``'s) have
their schema checked against OpenAI's strict-mode rules first (``tests/strictrules.py``); a
violation gets OpenAI's 400 ``invalid_request_error`` naming the rule, before any step is used.

The Batch API (``/v1/files``, ``/v1/batches``) is ``server.batch_api``: see tests/fakebatch.py.

``POST /tokenize`` counts tokens with a toy tokenizer (words and punctuation marks), speaking
llama.cpp's protocol (``{"content"}`` -> ``{"tokens"}``) or vLLM's (``{"prompt"}`` ->
``{"count", "max_model_len", "tokens"}``); ``tokenize_delays`` holds it back, one delay a call.

Faults of real servers and broken endpoints: ``drip`` (a valid answer sent one byte every
``interval`` seconds), ``huge`` (a body of ``mb`` megabytes, with a Content-Length unless
``chunked``), ``html`` (a web page with status 200), ``empty`` (``{}`` with status 200),
``refuse_schema`` (HTTP 500 whose body is a pydantic validation error of the request, as
llama-cpp-python answers ``json_schema``), ``422`` (FastAPI's request-validation body),
``cutoff`` (JSON cut off mid-way with ``finish_reason`` ``tool_calls`` (or ``finish_reason``),
the completion tokens at the request's ``max_tokens``, or prompt and completion adding up to
``context``), ``extra_keys`` (a valid result plus keys the schema lacks), ``repeat`` (the
incident ``times`` times).

Without a script the answer is a valid ExtractionResult derived deterministically from the
article (its first sentence as the evidence), so benchmarks can run on any input.

Run in-process with :func:`start_in_thread` (the pytest fixture does), or as a separate process
so it does not share the client's CPU: ``python tests/fakeserver.py --port 0 --latency 0.5``
prints ``READY <base_url>`` when it listens. In a subprocess, ``POST /_fake/script``,
``GET /_fake/log`` and ``POST /_fake/reset`` drive it over HTTP.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import json
import random
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from fakebatch import BatchAPI
from strictrules import strict_request_violation

ARTICLE_RE = re.compile(r"<article>\n(.*)\n</article>", re.DOTALL)
SENTENCE_RE = re.compile(r"[^.!?\n]{8,200}[.!?]")
TOKEN_RE = re.compile(r"\w+|[^\w\s]")
FAKE_CONTEXT = 128000

Step = str | dict[str, Any]


def _kind(step: Step) -> tuple[str, dict[str, Any]]:
    if isinstance(step, str):
        return step, {}
    options = dict(step)
    return str(options.pop("kind")), options


# The fault mix of the reliability issue: the share of requests that get each fault; the rest
# (40%) get a valid answer.
ISSUE_FAULT_MIX = (("429", 0.20), ("500", 0.10), ("timeout", 0.05), ("drop", 0.05),
                   ("malformed", 0.10), ("invalid", 0.05), ("length", 0.05))


def seeded_faults(rng: random.Random, steps: int, *, retry_after: float, stall_seconds: float,
                  mix: tuple[tuple[str, float], ...] = ISSUE_FAULT_MIX) -> list[Step]:
    """A script of ``steps`` replies drawn from ``mix``: what one article's requests get.

    A "timeout" is a reply stalled ``stall_seconds``, which must exceed the client's timeout.
    """
    script: list[Step] = []
    for _ in range(steps):
        roll, cumulative, step = rng.random(), 0.0, "ok"
        for kind, rate in mix:
            cumulative += rate
            if roll < cumulative:
                step = {"kind": "429", "retry_after": retry_after} if kind == "429" else \
                    {"kind": "slow", "seconds": stall_seconds} if kind == "timeout" else kind
                break
        script.append(step)
    return script


def article_text(body: dict[str, Any]) -> str:
    """The article of a request: from the first user message holding ``<article>``."""
    for message in body.get("messages", []):
        content = message.get("content")
        if message.get("role") == "user" and isinstance(content, str) and "<article>" in content:
            found = ARTICLE_RE.search(content)
            return found.group(1) if found else content
    for message in body.get("messages", []):
        if message.get("role") == "user" and isinstance(message.get("content"), str):
            return message["content"]
    return ""


def default_result(text: str) -> dict[str, Any]:
    """A valid ExtractionResult for any article: one incident quoting its first sentence."""
    found = SENTENCE_RE.search(text)
    quote = found.group(0).strip() if found else text.strip()[:120]
    return {
        "incidents": [{
            "summary": quote[:200],
            "event_type": "battles",
            "sub_event_type": "armed_clash",
            "date_text": None, "date_start": None, "date_end": None,
            "place": None, "admin1": None, "country": None,
            "geo_precision": "country",
            "perpetrators": [], "targets": [], "claimed_by": [], "casualties": [],
            "weapons": [], "sources": [], "is_background": False,
            "evidence": [quote],
        }],
        "actors": [],
    }


def error_body(message: str, type_: str, code: str | None, param: str | None = None) -> bytes:
    return json.dumps(
        {"error": {"message": message, "type": type_, "param": param, "code": code}}
    ).encode()


def _masked_key(headers: Any) -> str:
    key = headers.get("Authorization", "").removeprefix("Bearer ")
    return f"{key[:3]}{'*' * max(len(key) - 7, 0)}{key[-4:]}" if len(key) > 8 else "***"


@dataclass
class FakeOpenAI:
    """State and behaviour of the fake server; safe to drive from another thread."""

    latency: float = 0.0
    jitter: float = 0.0
    fault_mix: dict[str, float] = field(default_factory=dict)
    seed: int = 0
    keep_bodies: bool = True
    base_url: str = ""
    scripts: list[tuple[str, list[Step]]] = field(default_factory=list)
    log: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    tokenize_delays: list[float] = field(default_factory=list)  # seconds, one per /tokenize
    # extractor check: the models GET /v1/models lists; the key /v1/models takes (None: any);
    # the context /props tells, as llama.cpp's server does (None: no /props, a 404)
    model_ids: tuple[str, ...] = ("fake-model",)
    api_key: str | None = None
    context_length: int | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    # /v1/files and /v1/batches (tests/fakebatch.py)
    batch_api: BatchAPI = field(init=False)
    _random: random.Random = field(init=False)
    _next_id: int = 0

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)
        self.batch_api = BatchAPI(self)

    # driving it -------------------------------------------------------------------------
    def script(self, match: str, steps: list[Step]) -> None:
        """Answer requests for the article containing ``match`` with ``steps``, in order."""
        with self._lock:
            self.scripts.append((match, list(steps)))

    def reset(self) -> None:
        with self._lock:
            self.scripts.clear()
            self.log.clear()
            self.counts.clear()
            self._random = random.Random(self.seed)

    def calls(self, match: str | None = None) -> int:
        """Chat requests received, in all or for the article containing ``match``."""
        with self._lock:
            return sum(1 for entry in self.log if entry["path"] == "/v1/chat/completions"
                       and (match is None or match in entry["article"]))

    def requests(self, match: str | None = None) -> list[dict[str, Any]]:
        with self._lock:
            return [entry for entry in self.log if entry["path"] == "/v1/chat/completions"
                    and (match is None or match in entry["article"])]

    # serving ----------------------------------------------------------------------------
    def _choose(self, text: str) -> tuple[Step, int]:
        key = hashlib.sha256(text.encode("utf-8")).hexdigest()
        with self._lock:
            index = self.counts.get(key, 0)
            self.counts[key] = index + 1
            self._next_id += 1
            for match, steps in self.scripts:
                if match in text:
                    return (steps[index] if index < len(steps) else "ok"), index
            roll = self._random.random()
        cumulative = 0.0
        for kind, rate in sorted(self.fault_mix.items()):
            cumulative += rate
            if roll < cumulative:
                return kind, index
        return "ok", index

    def _request_id(self) -> str:
        return f"req_fake_{self._next_id:06d}"

    async def chat(self, request: web.Request) -> web.StreamResponse:
        received = time.monotonic()
        body = await request.json()
        text = article_text(body)
        violation = strict_request_violation(body)
        if violation:
            return self._strict_refusal(request, body, text, violation)
        step, index = self._choose(text)
        kind, options = _kind(step)
        entry = {
            "path": request.path, "time": received, "article": text, "index": index,
            "kind": kind, "retry_count": request.headers.get("x-stainless-retry-count"),
            "body": body if self.keep_bodies else None,
            "authorization": request.headers.get("Authorization"),
        }
        with self._lock:
            self.log.append(entry)
        delay = self.latency + (self._random.uniform(0, self.jitter) if self.jitter else 0.0)
        delay += float(options.get("delay", 0.0))
        if delay:
            await asyncio.sleep(delay)
        headers = {"x-request-id": self._request_id()}
        if kind == "429":
            return self._rate_limited(headers, options)
        if kind in ("500", "503"):
            return web.Response(status=int(kind), headers=headers, content_type="application/json",
                                body=error_body("The server had an error while processing your "
                                                "request. Sorry about that!", "server_error", None))
        if kind == "401":
            message = (f"Incorrect API key provided: {_masked_key(request.headers)}. You can find "
                       "your API key at https://platform.openai.com/account/api-keys.")
            return web.Response(status=401, headers=headers, content_type="application/json",
                                body=error_body(message, "invalid_request_error",
                                                "invalid_api_key"))
        if kind == "403":
            return web.Response(status=403, headers=headers, content_type="application/json",
                                body=error_body("You are not allowed to sample from this model",
                                                "invalid_request_error", "model_not_found"))
        if kind == "404":
            message = (f"The model `{body.get('model')}` does not exist or you do not have "
                       "access to it.")
            return web.Response(status=404, headers=headers, content_type="application/json",
                                body=error_body(message, "invalid_request_error",
                                                "model_not_found"))
        if kind == "quota":
            return web.Response(status=429, headers=headers, content_type="application/json",
                                body=error_body("You exceeded your current quota, please check "
                                                "your plan and billing details.",
                                                "insufficient_quota", "insufficient_quota"))
        if kind == "400":
            message = ("This model's maximum context length is 128000 tokens. However, your "
                       "messages resulted in 131072 tokens. Please reduce the length of the "
                       "messages.")
            return web.Response(status=400, headers=headers, content_type="application/json",
                                body=error_body(message, "invalid_request_error",
                                                "context_length_exceeded", "messages"))
        if kind in SERVER_FAULTS:
            return await SERVER_FAULTS[kind](self, request, body, text, options, headers)
        if kind == "slow":
            await asyncio.sleep(float(options.get("seconds", 5.0)))
        if kind == "drop":
            return await self._drop(request)
        return self._completion(body, text, kind, options, headers)

    def _strict_refusal(self, request: web.Request, body: dict[str, Any], text: str,
                        violation: tuple[str, str, str]) -> web.Response:
        """OpenAI's answer to a ``strict: true`` schema that breaks a strict-mode rule."""
        message, param, code = violation
        with self._lock:
            self._next_id += 1
            self.log.append({
                "path": request.path, "time": time.monotonic(), "article": text, "index": None,
                "kind": "invalid_schema", "retry_count": None,
                "body": body if self.keep_bodies else None,
                "authorization": request.headers.get("Authorization"),
            })
        return web.Response(status=400, headers={"x-request-id": self._request_id()},
                            content_type="application/json",
                            body=error_body(message, "invalid_request_error", code, param))

    async def tokenize(self, request: web.Request) -> web.Response:
        """Token ids of a text, in llama.cpp's shape or (given ``prompt``) vLLM's."""
        body = await request.json()
        with self._lock:
            self.log.append({"path": request.path, "time": time.monotonic(), "article": "",
                             "kind": "tokenize"})
        with self._lock:
            delay = self.tokenize_delays.pop(0) if self.tokenize_delays else 0.0
        if delay:
            await asyncio.sleep(delay)
        text = body.get("prompt", body.get("content"))
        if not isinstance(text, str):
            return web.Response(status=400, content_type="application/json",
                                body=error_body("'content' (or 'prompt') must be a string",
                                                "invalid_request_error", None, "content"))
        tokens = [int(hashlib.sha256(piece.encode()).hexdigest()[:6], 16)
                  for piece in TOKEN_RE.findall(text)]
        if "prompt" in body:
            return web.json_response({"count": len(tokens), "max_model_len": FAKE_CONTEXT,
                                      "tokens": tokens})
        return web.json_response({"tokens": tokens})

    def _rate_limited(self, headers: dict[str, str], options: dict[str, Any]) -> web.Response:
        headers = {
            **headers,
            "x-ratelimit-limit-requests": "60", "x-ratelimit-remaining-requests": "0",
            "x-ratelimit-reset-requests": "1s", "x-ratelimit-limit-tokens": "150000",
            "x-ratelimit-remaining-tokens": "148800", "x-ratelimit-reset-tokens": "480ms",
        }
        if "retry_after" in options:
            headers["retry-after"] = str(options["retry_after"])
        if "retry_after_ms" in options:
            headers["retry-after-ms"] = str(options["retry_after_ms"])
        message = ("Rate limit reached for fake-model on requests per min (RPM): Limit 60, Used "
                   "60, Requested 1. Please try again in 1s.")
        return web.Response(status=429, headers=headers, content_type="application/json",
                            body=error_body(message, "requests", "rate_limit_exceeded"))

    async def _drop(self, request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(status=200, headers={"content-type": "application/json"})
        response.content_length = 4096
        await response.prepare(request)
        await response.write(b'{"id": "chatcmpl-fake", "object": "chat.comp')
        transport = request.transport
        if transport is not None:
            transport.close()
        return response

    def _completion(self, body: dict[str, Any], text: str, kind: str, options: dict[str, Any],
                    headers: dict[str, str]) -> web.Response:
        finish_reason = "stop"
        if kind == "malformed":
            payload = '{"incidents": [{"summary": "Gunmen attacked", "event_type": '
        elif kind == "invalid":
            payload = json.dumps({"incidents": [{"summary": "x", "event_type": "picnic"}],
                                  "actors": "none"})
        elif kind == "ungrounded":
            result = default_result(text)
            result["incidents"][0]["evidence"] = ["A sentence the article never contained."]
            payload = json.dumps(result)
        elif kind == "length":
            full = json.dumps(options.get("result") or default_result(text))
            payload = full[: max(len(full) // 2, 1)]
            finish_reason = "length"
        elif kind == "cutoff":
            full = json.dumps(options.get("result") or default_result(text))
            payload = full[: max(len(full) // 2, 1)]
            finish_reason = str(options.get("finish_reason", "tool_calls"))
        elif kind == "extra_keys":
            result = default_result(text)
            result["title"] = "Attack"
            result["incidents"][0]["confidence"] = "high"
            payload = json.dumps(result)
        elif kind == "repeat":
            result = default_result(text)
            result["incidents"] = result["incidents"] * int(options.get("times", 3))
            payload = json.dumps(result)
        else:
            payload = json.dumps(options.get("result") or default_result(text))
        message: dict[str, Any] = {"role": "assistant", "content": None, "refusal": None}
        tools = body.get("tools")
        response_format = body.get("response_format")
        if tools:
            message["tool_calls"] = [{
                "id": f"call_{self._next_id:06d}", "type": "function",
                "function": {"name": tools[0]["function"]["name"], "arguments": payload},
            }]
        elif response_format and response_format.get("type") in ("json_schema", "json_object"):
            message["content"] = payload
        else:
            message["content"] = f"Here is the result:\n```json\n{payload}\n```"
        prompt_chars = sum(len(m.get("content") or "") for m in body.get("messages", [])
                           if isinstance(m.get("content"), str))
        completion: dict[str, Any] = {
            "id": f"chatcmpl-fake-{self._next_id}", "object": "chat.completion",
            "created": int(time.time()), "model": body.get("model", "fake-model"),
            "choices": [{"index": 0, "message": message, "logprobs": None,
                         "finish_reason": finish_reason}],
        }
        if kind != "no_usage":
            prompt_tokens = prompt_chars // 4 + 1
            completion_tokens = len(payload) // 4 + 1
            if kind == "cutoff":
                completion_tokens = int(options["context"]) - prompt_tokens \
                    if "context" in options else int(body.get("max_tokens") or 4096)
            completion["usage"] = {"prompt_tokens": prompt_tokens,
                                   "completion_tokens": completion_tokens,
                                   "total_tokens": prompt_tokens + completion_tokens}
        return web.Response(status=200, headers=headers, content_type="application/json",
                            text=json.dumps(completion))

    # faults of real servers and broken endpoints -------------------------------------------
    async def _drip(self, request: web.Request, body: dict[str, Any], text: str,
                    options: dict[str, Any], headers: dict[str, str]) -> web.StreamResponse:
        answer = self._completion(body, text, "ok", {}, headers)
        assert isinstance(answer.body, bytes)
        response = web.StreamResponse(status=200, headers={
            **headers, "content-type": "application/json"})
        response.content_length = len(answer.body)
        await response.prepare(request)
        interval = float(options.get("interval", 0.1))
        with contextlib.suppress(ConnectionError):
            for index in range(len(answer.body)):
                await response.write(answer.body[index:index + 1])
                await asyncio.sleep(interval)
        return response

    async def _huge(self, request: web.Request, body: dict[str, Any], text: str,
                    options: dict[str, Any], headers: dict[str, str]) -> web.StreamResponse:
        size = int(float(options.get("mb", 400)) * 2**20)
        response = web.StreamResponse(status=200, headers={
            **headers, "content-type": "application/json"})
        if not options.get("chunked"):
            response.content_length = size
        await response.prepare(request)
        block = b'{"pad": "' + b"x" * (2**16 - 9)
        sent = 0
        with contextlib.suppress(ConnectionError):
            while sent < size:
                chunk = block[: size - sent]
                await response.write(chunk)
                sent += len(chunk)
                block = b"x" * len(block)
        return response

    async def _html(self, request: web.Request, body: dict[str, Any], text: str,
                    options: dict[str, Any], headers: dict[str, str]) -> web.Response:
        page = ("<!DOCTYPE html><html><head><title>Welcome</title></head>"
                "<body><h1>It works!</h1></body></html>")
        return web.Response(status=200, headers=headers, content_type="text/html", text=page)

    async def _empty(self, request: web.Request, body: dict[str, Any], text: str,
                     options: dict[str, Any], headers: dict[str, str]) -> web.Response:
        return web.Response(status=200, headers=headers, content_type="application/json",
                            text="{}")

    async def _refuse_schema(self, request: web.Request, body: dict[str, Any], text: str,
                             options: dict[str, Any], headers: dict[str, str]) -> web.Response:
        kind = (body.get("response_format") or {}).get("type")
        message = ("1 validation error for CreateChatCompletionRequest\nresponse_format.type\n"
                   "  Input should be 'text' or 'json_object' [type=literal_error, "
                   f"input_value={kind!r}, input_type=str]")
        return web.Response(status=500, headers=headers, content_type="application/json",
                            body=error_body(message, "internal_server_error", None))

    async def _unprocessable(self, request: web.Request, body: dict[str, Any], text: str,
                             options: dict[str, Any], headers: dict[str, str]) -> web.Response:
        detail = [{"type": "extra_forbidden", "loc": ["body", "tool_choice"],
                   "msg": "Extra inputs are not permitted", "input": body.get("tool_choice")}]
        return web.Response(status=422, headers=headers, content_type="application/json",
                            text=json.dumps({"detail": detail}))

    async def models(self, request: web.Request) -> web.Response:
        with self._lock:
            self.log.append({"path": request.path, "time": time.monotonic(), "article": "",
                             "kind": "models"})
        if self.api_key is not None \
                and request.headers.get("Authorization") != f"Bearer {self.api_key}":
            message = (f"Incorrect API key provided: {_masked_key(request.headers)}. You can "
                       "find your API key at https://platform.openai.com/account/api-keys.")
            return web.Response(status=401, content_type="application/json",
                                body=error_body(message, "invalid_request_error",
                                                "invalid_api_key"))
        return web.json_response({"object": "list", "data": [
            {"id": model, "object": "model", "created": 1735689600, "owned_by": "fake"}
            for model in self.model_ids]})

    async def props(self, request: web.Request) -> web.Response:
        """llama.cpp's server properties: the context per slot, when one is set."""
        with self._lock:
            self.log.append({"path": request.path, "time": time.monotonic(), "article": "",
                             "kind": "props"})
        if self.context_length is None:
            return web.Response(status=404, text="Not Found")
        return web.json_response({"default_generation_settings": {
            "n_ctx": self.context_length}, "total_slots": 1})

    # control over HTTP, for a server in another process ---------------------------------------
    async def control_script(self, request: web.Request) -> web.Response:
        data = await request.json()
        self.script(data["match"], data["steps"])
        return web.json_response({"ok": True})

    async def control_log(self, request: web.Request) -> web.Response:
        with self._lock:
            entries = [{k: v for k, v in entry.items() if k != "body"} for entry in self.log]
        return web.json_response(entries)

    async def control_reset(self, request: web.Request) -> web.Response:
        self.reset()
        return web.json_response({"ok": True})

    def app(self) -> web.Application:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_post("/v1/chat/completions", self.chat)
        app.router.add_get("/v1/models", self.models)
        app.router.add_get("/props", self.props)
        app.router.add_post("/tokenize", self.tokenize)
        app.router.add_post("/_fake/script", self.control_script)
        app.router.add_get("/_fake/log", self.control_log)
        app.router.add_post("/_fake/reset", self.control_reset)
        self.batch_api.register(app)
        return app


SERVER_FAULTS = {
    "drip": FakeOpenAI._drip, "huge": FakeOpenAI._huge, "html": FakeOpenAI._html,
    "empty": FakeOpenAI._empty, "refuse_schema": FakeOpenAI._refuse_schema,
    "422": FakeOpenAI._unprocessable,
}


async def _serve(server: FakeOpenAI, port: int) -> tuple[web.AppRunner, int]:
    runner = web.AppRunner(server.app(), access_log=None, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port, backlog=1024)
    await site.start()
    sockets = site._server.sockets if site._server else []  # type: ignore[union-attr]
    bound = sockets[0].getsockname()[1] if sockets else port
    server.base_url = f"http://127.0.0.1:{bound}/v1"
    return runner, bound


class RunningServer:
    """A fake server serving from a background thread; ``stop()`` ends it."""

    def __init__(self, server: FakeOpenAI):
        self.server = server
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._runner: web.AppRunner | None = None
        self._thread = threading.Thread(target=self._run, name="fake-openai", daemon=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._runner, _ = self._loop.run_until_complete(_serve(self.server, 0))
        self._ready.set()
        self._loop.run_forever()
        self._loop.run_until_complete(self._runner.cleanup())
        self._loop.close()

    def start(self) -> RunningServer:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("fake server did not start")
        return self

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)


def start_in_thread(**options: Any) -> RunningServer:
    """Start a fake server on a free port in a background thread."""
    return RunningServer(FakeOpenAI(**options)).start()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds per request")
    parser.add_argument("--jitter", type=float, default=0.0, help="extra random seconds, 0..j")
    parser.add_argument("--fault-mix", default="{}",
                        help='JSON rates per kind for unscripted articles: {"500": 0.05}')
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep-bodies", action="store_true",
                        help="keep request bodies in the log (memory grows with requests)")
    args = parser.parse_args(argv)
    server = FakeOpenAI(latency=args.latency, jitter=args.jitter,
                        fault_mix=json.loads(args.fault_mix), seed=args.seed,
                        keep_bodies=args.keep_bodies)

    async def run() -> None:
        runner, _ = await _serve(server, args.port)
        print(f"READY {server.base_url}", flush=True)
        try:
            await asyncio.Event().wait()
        finally:
            await runner.cleanup()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run())


if __name__ == "__main__":
    main()
