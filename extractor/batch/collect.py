"""``extractor batch status`` and ``collect``: follow batches, store their results.

Results are stored by the synchronous pipeline itself (:func:`extractor.pipeline.run_pipeline`)
with a backend that answers each article from its batch line (:class:`BatchAnswers`): the same
extraction keys, validation, post-processing, store and run record. A line that errored, or
whose answer fails validation, is stored as failed with its reason, and the next run (with or
without ``--batch``) sends the article again; a batch cannot re-ask.

Collecting can be resumed: results already stored are skipped (the cache, and the batch row's
``stored_keys``), and a batch whose every result is stored (``collected_at``) is not downloaded
again.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from extractor.backend import BackendResult
from extractor.batch import rows
from extractor.batch.rows import BatchRow
from extractor.batch.submit import backends, key_of
from extractor.config import ConfigError, ModelConfig, RunConfig
from extractor.model.batch import WITH_RESULTS, BatchState, BatchWire, LineResult
from extractor.model.batch_backend import AnswerReplay
from extractor.model.chunking import ChunkingBackend
from extractor.model.client import NO_KEY
from extractor.model.llm import DEFAULT_BASE_URL
from extractor.operations.stored import StoredSelection, stored_articles
from extractor.pipeline import Reporter, Resources, RunSummary, run_pipeline
from extractor.schemas import Article
from extractor.store.database import Store, params_hash
from extractor.vocabulary import ErrorKind

MODEL_FIELDS = ("model", "mode", "temperature", "max_tokens", "timeout", "max_response_bytes",
                "max_retries", "validation_retries", "prompt", "max_input_tokens", "max_chunks")


@dataclass
class Collected:
    """What became of one batch."""

    batch_id: str
    status: str
    stored: int = 0  # results stored now
    already: int = 0  # stored before
    summary: RunSummary | None = None
    message: str | None = None


class BatchAnswers:
    """A Backend answering each article from its batch line; implements the Backend protocol."""

    def __init__(self, sync: ChunkingBackend, replay: AnswerReplay,
                 lines: dict[str, LineResult], missing: str):
        self.sync = sync
        self.replay = replay
        self.lines = lines  # by extraction key
        self.missing = missing  # why an article without a line has none
        self.model = sync.model
        self.prompt_name = sync.prompt_name
        self.prompt_hash = sync.prompt_hash
        self.schema_hash = sync.schema_hash  # the schema the batch's requests were sent with

    def params(self) -> dict[str, Any]:
        return self.sync.params()

    async def extract(self, article: Article) -> BackendResult:
        line = self.lines.get(key_of(self.sync, article.id))
        if line is None:
            return BackendResult(result=None, attempts=0, error_kind=ErrorKind.TRANSPORT,
                                 error=self.missing)
        return await self.replay.replay(article, line)

    async def aclose(self) -> None:
        await self.replay.aclose()
        await self.sync.aclose()


def batch_model(row: BatchRow, store: Store, model: ModelConfig) -> ModelConfig:
    """The settings the batch was built with (its run's), with this command's endpoint."""
    found = store.db.execute("select settings from runs where id = ?", [row.run_id]).fetchone()
    settings = json.loads(found[0]) if found and found[0] else {}
    chosen = {name: settings[name] for name in MODEL_FIELDS if name in settings}
    return replace(model, **chosen)


def wire_for(model: ModelConfig) -> BatchWire:
    return BatchWire(model.base_url or DEFAULT_BASE_URL, model.api_key or NO_KEY,
                     timeout=model.timeout, max_retries=model.max_retries)


def refresh(wire: BatchWire, store: Store, row: BatchRow) -> BatchState:
    state = wire.retrieve(row.id)
    rows.record_state(store.db, state)
    return state


def wait_until_done(wire: BatchWire, store: Store, row: BatchRow, *, timeout: float,
                    poll: float, sleep: Callable[[float], None] = time.sleep) -> BatchState:
    """Poll the batch until it is finished or ``timeout`` seconds have passed."""
    deadline = time.monotonic() + timeout
    state = refresh(wire, store, row)
    while not state.finished and time.monotonic() + poll <= deadline:
        sleep(poll)
        state = refresh(wire, store, row)
    return state


def _missing_reason(state: BatchState) -> str:
    why = f"; {'; '.join(state.errors)}" if state.errors else ""
    return (f"batch {state.id} ended {state.status} without an answer for this article{why}; "
            "the next run sends it again")


def collect_one(row: BatchRow, state: BatchState, wire: BatchWire, store: Store,
                model: ModelConfig, run: RunConfig, resources: Resources,
                reporter: Reporter | None) -> Collected:
    """Store the results of a finished batch (those not stored yet)."""
    done = Collected(row.id, state.status)
    sync, llm = backends(model, run)
    if params_hash(sync.params()) != row.data["params_hash"] \
            or sync.prompt_hash != row.data["prompt_hash"]:
        raise ConfigError(f"batch {row.id}: the prompt or parameters changed since it was "
                          "submitted; its results would not match the requests")
    lines = {line.custom_id: line for line in wire.results(state)} \
        if state.status in WITH_RESULTS else {}
    stored = set(row.stored_keys) | store.completed_keys(list(row.keys)) \
        | rows.stored_by_collect(store.db, row.id, list(row.keys))
    todo = [article for key, article in row.keys.items() if key not in stored]
    done.already = len(row.keys) - len(todo)
    replay = AnswerReplay(llm.config, llm.prompt, prices=llm.prices)
    answers = BatchAnswers(sync, replay, lines, _missing_reason(state))
    if not todo:
        rows.record_stored(store.db, row.id, sorted(row.keys),
                           run_id=row.data["collect_run_id"] or row.run_id, complete=True)
        return done
    try:
        summary = asyncio.run(run_pipeline(
            stored_articles(store.db, StoredSelection(article_ids=tuple(todo))), answers,
            store, resources, run, command=rows.collect_command(row.id),
            settings={**model.public_settings(), "batch": row.id}, reporter=reporter,
            secrets=model.secrets()))
    except BaseException:  # interrupted or crashed: the row says how far it got
        keys = list(row.keys)
        progress = store.completed_keys(keys) | rows.stored_by_collect(store.db, row.id, keys)
        rows.record_stored(store.db, row.id, sorted(progress | set(row.stored_keys)),
                           run_id=row.data["collect_run_id"] or row.run_id, complete=False)
        raise
    rows.record_stored(store.db, row.id, sorted(row.keys), run_id=summary.run_id,
                       complete=True)
    done.stored, done.summary = summary.extracted + summary.failed, summary
    return done


__all__ = ["BatchAnswers", "Collected", "batch_model", "collect_one", "refresh",
           "wait_until_done", "wire_for"]
