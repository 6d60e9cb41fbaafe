"""Shared fixtures."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from browse_sample import build_sample_db
from fakeserver import FakeOpenAI, start_in_thread

from extractor.browse import create_datasette


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAI]:
    """A fake OpenAI-compatible server on 127.0.0.1; ``.base_url`` ends in ``/v1``."""
    running = start_in_thread()
    try:
        yield running.server
    finally:
        running.stop()


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The browsing tests' sample database (tests/browse_sample.py), made once per module;
    modules that change it define their own copy per test."""
    return build_sample_db(tmp_path_factory.mktemp("browse") / "incidents.db")


@pytest.fixture(scope="module")
def datasette(sample_db: Path) -> Any:
    """Datasette over the sample database, as ``extractor serve`` configures it."""
    return create_datasette(sample_db)
