"""What the model-client tests share: a backend against the fake server, a short article, and a
way to run one extraction."""

from __future__ import annotations

import asyncio
from typing import Any

from extractor.backend import BackendResult
from extractor.config import ModelConfig
from extractor.model.llm import OpenAIBackend
from extractor.model.prompting import load_prompt
from extractor.schemas import Article

PROMPT = load_prompt("extract")


def make_backend(fake: Any, **overrides: Any) -> OpenAIBackend:
    """A backend on the fake server: tools mode, 2 retries and 2 re-asks, fast backoff."""
    options: dict[str, Any] = dict(model="gpt-4o-mini", base_url=fake.base_url, api_key="k",
                                   mode="tools", timeout=10.0, max_retries=2,
                                   validation_retries=2, max_tokens=1000)
    options.update(overrides)
    return OpenAIBackend(ModelConfig(**options), PROMPT, backoff_base=0.05)


def article(marker: str) -> Article:
    """A short article whose marker tells the fake server which script to answer with."""
    return Article(id=marker, title=f"Attack {marker}", text=(
        f"Gunmen attacked an army post in Menaka on Monday, killing four soldiers. "
        f"Officials said the attackers fled. Reference {marker}."))


def run(backend: OpenAIBackend, item: Article) -> BackendResult:
    """One extraction, the backend closed after it."""
    async def go() -> BackendResult:
        try:
            return await backend.extract(item)
        finally:
            await backend.aclose()
    return asyncio.run(go())
