"""The baseline as a pipeline backend: a crash in its rules fails the article (and is retried by
the next run), and worker processes give the same results as one process and leave nothing
behind."""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest

from extractor.backend import BackendResult
from extractor.baseline.backend import BaselineBackend
from extractor.config import ModelConfig, RunConfig
from extractor.intake.articles import SourcedArticle
from extractor.pipeline import Resources, build_backend, run_pipeline
from extractor.resolve.gazetteer import Gazetteer, Place
from extractor.resolve.registry import ActorRegistry
from extractor.schemas import Article, article_id_for
from extractor.store.database import Store
from extractor.vocabulary import ErrorKind, RunStatus

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((REPO / "examples" / "articles").glob("*.txt"))
KIDAL = "Gunmen attacked an army post in Kidal on Monday, killing four soldiers, officials said."


def article(text: str, published: date | None = date(2024, 7, 3)) -> Article:
    return Article(id=article_id_for(text), text=text, published=published)


@pytest.fixture(scope="module")
def registry() -> ActorRegistry:
    return ActorRegistry.load()


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


@pytest.fixture(scope="module")
def broken_gazetteer() -> Gazetteer:
    """A gazetteer built in code with a kind of place the rules do not know: they crash on it."""
    return Gazetteer([Place(name="Kidal", kind="district", admin1="Kidal", country="Mali",
                            latitude=None, longitude=None)])


def corpus() -> list[Article]:
    """The example articles, each whole and cut into paragraphs, with and without a date."""
    texts = [path.read_text(encoding="utf-8") for path in EXAMPLES]
    paragraphs = [p for text in texts for p in text.split("\n\n") if len(p) > 80]
    return [article(text) for text in texts] + [article(p, None) for p in paragraphs]


def test_a_crash_in_the_rules_fails_the_article_with_its_reason(registry, broken_gazetteer):
    backend = BaselineBackend(registry, broken_gazetteer)
    outcome = asyncio.run(backend.extract(article(KIDAL)))
    assert outcome.result is None and not outcome.ok and outcome.raw_response is None
    assert outcome.error_kind == ErrorKind.INTERNAL
    assert outcome.error is not None and outcome.error.startswith("baseline rules failed: ")
    assert "ValueError" in outcome.error and "not in tuple" in outcome.error
    assert "incidents.py:" in outcome.error  # where in the rules


def test_a_crashed_article_is_stored_failed_and_extracted_again(registry, broken_gazetteer,
                                                                tmp_path):
    resources = Resources(registry, broken_gazetteer)
    config = RunConfig(db_path=tmp_path / "t.db", concurrency=1)
    items = [SourcedArticle(article(KIDAL), "kidal.txt"),
             SourcedArticle(article("Markets reopened in Gao on Monday."), "gao.txt")]
    store = Store.open(config.db_path)
    counts = []
    for _ in range(2):  # the failure is not cached: the second run tries it again
        backend = build_backend(ModelConfig(), config, resources)
        summary = asyncio.run(run_pipeline(items, backend, store, resources, config))
        counts.append((summary.failed, summary.extracted, summary.skipped))
    assert counts == [(1, 1, 0), (1, 0, 1)]
    rows = store.db.execute("select status, error_kind, error, result_json from extractions "
                            "order by status").fetchall()
    assert [row[:2] for row in rows] == [("failed", "internal"), ("ok", None)]
    assert "ValueError" in rows[0][2] and rows[0][3] is None
    assert store.db["incidents"].count == 0
    store.close()


def test_workers_give_the_results_of_one_process(registry, gazetteer):
    articles = corpus()
    single = BaselineBackend(registry, gazetteer)
    pooled = BaselineBackend(registry, gazetteer, workers=2)

    async def run_all(backend: BaselineBackend) -> list[str | None]:
        try:
            outcomes = await asyncio.gather(*(backend.extract(a) for a in articles))
        finally:
            await backend.aclose()
        return [o.raw_response for o in outcomes]

    expected = asyncio.run(run_all(single))
    assert all(expected) and any('"incidents":[{' in raw for raw in expected if raw)
    assert asyncio.run(run_all(pooled)) == expected


def test_a_crash_in_a_worker_fails_the_article_and_the_others_go_on(registry, broken_gazetteer):
    backend = BaselineBackend(registry, broken_gazetteer, workers=2)

    async def run_both() -> list[BackendResult]:
        try:
            return list(await asyncio.gather(backend.extract(article(KIDAL)),
                                             backend.extract(article("Calm in Gao today."))))
        finally:
            await backend.aclose()

    crashed, calm = asyncio.run(run_both())
    assert crashed.result is None and crashed.error_kind == ErrorKind.INTERNAL
    assert crashed.error is not None
    assert "ValueError" in crashed.error and "incidents.py:" in crashed.error
    assert calm.ok and calm.error is None


def test_a_dead_worker_fails_its_article_and_a_new_pool_takes_over(registry, gazetteer):
    backend = BaselineBackend(registry, gazetteer, workers=2)
    text = article(KIDAL)

    async def scenario() -> tuple[BackendResult, BackendResult, BackendResult]:
        try:
            first = await backend.extract(text)
            for worker in multiprocessing.active_children():
                worker.kill()
                worker.join()
            died = await backend.extract(text)
            after = await backend.extract(text)
            return first, died, after
        finally:
            await backend.aclose()

    first, died, after = asyncio.run(scenario())
    assert first.ok and after.ok and after.raw_response == first.raw_response
    assert died.result is None and died.error_kind == ErrorKind.INTERNAL
    assert "worker process died" in (died.error or "")


def test_closing_stops_the_workers(registry, gazetteer):
    backend = BaselineBackend(registry, gazetteer, workers=2)

    async def scenario() -> int:
        await backend.extract(article(KIDAL))
        running = len(multiprocessing.active_children())
        await backend.aclose()
        return running

    assert asyncio.run(scenario()) == 2
    assert multiprocessing.active_children() == []


def test_ctrl_c_leaves_no_worker_behind(tmp_path):
    texts = [path.read_text(encoding="utf-8") for path in EXAMPLES]
    feed = tmp_path / "feed.jsonl"
    with feed.open("w", encoding="utf-8") as out:
        for number in range(5_000):  # far more than is read before Ctrl-C
            text = f"{texts[number % len(texts)]}\n\nStory {number}."
            out.write(json.dumps({"text": text, "published": "2024-07-03"}) + "\n")
    db = tmp_path / "t.db"
    child = subprocess.Popen(
        [str(Path(sys.executable).parent / "extractor"), "extract", str(feed), "--model",
         "baseline", "--db", str(db), "--concurrency", "2", "-q"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
        # Ctrl-C as at a terminal: a suite started in the background by a non-interactive
        # shell inherits SIGINT ignored, and so would the run, which Ctrl-C then cannot stop.
        preexec_fn=_default_sigint)
    try:
        # Ctrl-C a few seconds into the run: 5,000 articles take half a minute or more, so the
        # workers are busy then.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not db.exists():
            time.sleep(0.1)
        assert db.exists(), "the run never opened its database"
        time.sleep(3)
        os.killpg(child.pid, signal.SIGINT)
        _, stderr = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
    assert child.returncode != 0
    assert b"Traceback" not in stderr
    with pytest.raises(ProcessLookupError):  # nothing is left in the run's process group
        os.killpg(child.pid, 0)
    with closing(sqlite3.connect(db)) as connection:
        status = connection.execute("select status from runs").fetchone()[0]
    assert status == RunStatus.INTERRUPTED


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)
