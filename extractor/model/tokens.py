"""Counting prompt tokens: with the server's own tokenizer where it has one, else an estimate.

OpenAI-compatible servers that run a model themselves expose its tokenizer beside the API:

* llama-cpp-python: ``POST /extras/tokenize/count`` ``{"input": text}`` -> ``{"count": n}``;
* llama.cpp's ``llama-server``: ``POST /tokenize`` ``{"content": text}`` -> ``{"tokens": [...]}``;
* vLLM: ``POST /tokenize`` ``{"model", "prompt": text}`` -> ``{"count": n, "tokens": [...]}``.

These sit at the server's root, not under ``/v1``. :class:`TokenCounter` finds which one a
server speaks on its first count and keeps to it. A server with none of them (OpenAI's own API
among them) gets a labelled estimate of ``len(text) / CHARS_PER_TOKEN``; so does a count the
server does not answer in time (llama-cpp-python answers only between two generations), without
giving up on its tokenizer. Counts are of the raw text: the chat template a server wraps
messages in adds a few tokens per message.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import httpx

from extractor.vocabulary import CHARS_PER_TOKEN

__all__ = ["ESTIMATE", "TokenCount", "TokenCounter", "estimate_tokens"]

ESTIMATE = f"estimate (characters / {CHARS_PER_TOKEN})"


@dataclass(frozen=True)
class TokenCount:
    """A number of tokens and how it was obtained."""

    tokens: int
    method: str  # the endpoint that counted, or ESTIMATE
    note: str = ""  # why an estimate was used

    @property
    def exact(self) -> bool:
        return self.method != ESTIMATE

    def __str__(self) -> str:
        label = f"{self.tokens:,} tokens ({self.method})"
        return f"{label}: {self.note}" if self.note else label


def estimate_tokens(text: str, note: str = "") -> TokenCount:
    """The estimate used where no tokenizer is at hand."""
    return TokenCount(math.ceil(len(text) / CHARS_PER_TOKEN), ESTIMATE, note)


@dataclass(frozen=True)
class _Protocol:
    name: str
    path: str

    def body(self, text: str, model: str | None) -> dict[str, Any]:
        if self.name == "llama-cpp-python":
            return {"input": text, **({"model": model} if model else {})}
        # llama.cpp reads "content", vLLM reads "prompt" and "model"; each ignores the other.
        return {"content": text, "prompt": text, **({"model": model} if model else {})}

    @staticmethod
    def read(data: Any) -> int | None:
        if not isinstance(data, dict):
            return None
        if isinstance(data.get("count"), int):
            return int(data["count"])
        if isinstance(data.get("tokens"), list):
            return len(data["tokens"])
        return None


_PROTOCOLS = (
    _Protocol("llama-cpp-python", "/extras/tokenize/count"),
    _Protocol("llama.cpp or vLLM", "/tokenize"),
)


def server_root(base_url: str) -> str:
    """``http://host:port/v1`` -> ``http://host:port``: where the tokenize endpoints are."""
    root = base_url.rstrip("/")
    return root.removesuffix("/v1")


@dataclass
class TokenCounter:
    """Counts tokens against one server; ``base_url`` None means OpenAI's API (no tokenizer)."""

    base_url: str | None
    model: str | None = None
    api_key: str | None = None
    timeout: float = 10.0
    _found: _Protocol | None = field(default=None, init=False)
    _missing: str = field(default="", init=False)

    def count(self, text: str) -> TokenCount:
        """Tokens in ``text`` by the server's tokenizer, or a labelled estimate."""
        if self.base_url is None:
            return estimate_tokens(text, "the OpenAI API has no tokenize endpoint")
        if self._missing:
            return estimate_tokens(text, self._missing)
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        root = server_root(self.base_url)
        candidates = (self._found,) if self._found else _PROTOCOLS
        tried: list[str] = []
        transient = False  # a timeout or a 5xx says nothing about whether the endpoint exists
        with httpx.Client(timeout=self.timeout, headers=headers) as client:
            for protocol in candidates:
                try:
                    response = client.post(root + protocol.path,
                                           json=protocol.body(text, self.model))
                except httpx.HTTPError as error:
                    tried.append(f"{protocol.path}: {type(error).__name__}")
                    transient = True
                    continue
                if response.status_code != 200:
                    tried.append(f"{protocol.path}: HTTP {response.status_code}")
                    transient = transient or response.status_code >= 500 \
                        or response.status_code == 429
                    continue
                try:
                    tokens = protocol.read(response.json())
                except ValueError:
                    tokens = None
                if tokens is None:
                    tried.append(f"{protocol.path}: unexpected answer")
                    continue
                self._found = protocol
                return TokenCount(tokens, f"{protocol.name} {protocol.path}")
        note = f"no tokenizer at {root} ({'; '.join(tried)})"
        if self._found is None and not transient:
            self._missing = note  # not asked again: every later count is the estimate
        return estimate_tokens(text, note)
