"""Shared fixtures."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fakeserver import FakeOpenAI, start_in_thread


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAI]:
    """A fake OpenAI-compatible server on 127.0.0.1; ``.base_url`` ends in ``/v1``."""
    running = start_in_thread()
    try:
        yield running.server
    finally:
        running.stop()
