"""The extraction pipeline: articles in, stored records out.

Streams its input (it never holds the corpus), skips work already done (an extraction key that
is stored as ``ok``), runs the backend with bounded concurrency, post-processes each result,
and hands it to a single writer that stores whole articles in batched transactions. A failed
article is stored as failed with its reason and retried by the next run; a fatal backend error
(bad credentials, exhausted quota) stops the run at once.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Protocol

from extractor.backend import Backend, BackendResult, FatalBackendError
from extractor.config import ConfigError, ModelConfig, RunConfig
from extractor.intake.articles import InputProblem, SourcedArticle
from extractor.resolve.gazetteer import Gazetteer
from extractor.resolve.postprocess import process
from extractor.resolve.registry import ActorRegistry
from extractor.schemas import Article, schema_hash
from extractor.store.database import ExtractionRecord, Store, extraction_key, params_hash

READ_BATCH = 256  # articles looked up in the store at once
WRITE_BATCH = 64  # articles written per transaction at most
WRITE_WAIT_S = 0.25  # longest a finished article waits for batch-mates


@dataclass
class Resources:
    """Data the post-processing needs, loaded once per run."""

    registry: ActorRegistry
    gazetteer: Gazetteer

    @classmethod
    def load(cls, config: RunConfig) -> Resources:
        return cls(ActorRegistry.load(config.registry_path), Gazetteer.load(config.gazetteer_path))


@dataclass
class RunSummary:
    run_id: int = 0
    status: str = "running"
    seen: int = 0
    extracted: int = 0
    skipped: int = 0
    failed: int = 0
    input_errors: int = 0
    duplicates: int = 0
    incidents: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    cost_usd: float | None = None
    message: str | None = None
    keys: dict[str, str] = field(default_factory=dict)  # article id -> extraction key

    def counts(self) -> dict[str, object]:
        return {
            "articles_seen": self.seen, "articles_extracted": self.extracted,
            "articles_skipped": self.skipped, "articles_failed": self.failed,
            "input_errors": self.input_errors, "incidents": self.incidents,
            "prompt_tokens": self.prompt_tokens, "completion_tokens": self.completion_tokens,
            "total_tokens": self.total_tokens, "cost_usd": self.cost_usd,
        }


class Reporter(Protocol):
    """Told what happens, as it happens (the CLI shows a progress bar)."""

    def problem(self, origin: str, message: str) -> None: ...

    def article(self, origin: str, status: str, detail: str | None = None) -> None: ...


def build_backend(model: ModelConfig, run: RunConfig, resources: Resources) -> Backend:
    """The offline baseline, or the OpenAI-compatible model backend."""
    if model.is_baseline:
        from extractor.baseline.backend import BaselineBackend, worker_count

        return BaselineBackend(resources.registry, resources.gazetteer,
                               workers=worker_count(run.concurrency))
    from extractor.model.chunking import chunked
    from extractor.model.llm import build_llm_backend

    llm = build_llm_backend(model, run)
    # Articles longer than the model's input budget go in overlapping chunks, then merge.
    try:
        return chunked(llm, llm.prompt, model.max_input_tokens, model.max_tokens,
                       model.validation_retries)
    except ValueError as error:
        raise ConfigError(f"--max-input-tokens: {error}") from error


def _batches(items: Iterable[SourcedArticle | InputProblem],
             size: int) -> Iterator[list[SourcedArticle | InputProblem]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


class _Run:
    """State of one pipeline run."""

    def __init__(self, backend: Backend, store: Store, resources: Resources, config: RunConfig,
                 summary: RunSummary, reporter: Reporter | None):
        self.backend = backend
        self.store = store
        self.resources = resources
        self.config = config
        self.summary = summary
        self.reporter = reporter
        self.schema_hash = schema_hash()
        self.params = backend.params()
        self.params_hash = params_hash(self.params)
        self.queue: asyncio.Queue[tuple[ExtractionRecord, str] | None] = asyncio.Queue()
        self.fatal: FatalBackendError | None = None
        self.seen_ids: set[str] = set()

    def key(self, article: Article) -> str:
        return extraction_key(article.id, self.backend.model, self.backend.prompt_hash,
                              self.schema_hash, self.params)

    async def extract_one(self, item: SourcedArticle, key: str) -> None:
        started = time.perf_counter()
        try:
            outcome = await self.backend.extract(item.article)
        except FatalBackendError as error:
            self.fatal = self.fatal or error
            return
        except Exception as error:  # a backend bug must not take the other articles down
            outcome = BackendResult(
                result=None, error=f"{type(error).__name__}: {error}", error_kind="internal",
                latency_ms=(time.perf_counter() - started) * 1000,
            )
        processed = None
        if outcome.result is not None:
            processed = process(item.article, outcome.result, self.resources.registry,
                                self.resources.gazetteer)
        record = ExtractionRecord(
            key=key, article=item.article, run_id=self.summary.run_id,
            model=self.backend.model, prompt_hash=self.backend.prompt_hash,
            schema_hash=self.schema_hash, params_hash=self.params_hash,
            outcome=outcome, processed=processed,
        )
        await self.queue.put((record, item.origin))

    async def writer(self) -> None:
        """The one task that writes: batches finished articles into transactions."""
        finished = False
        while not finished:
            first = await self.queue.get()
            if first is None:
                break
            batch = [first]
            deadline = time.monotonic() + WRITE_WAIT_S
            while len(batch) < WRITE_BATCH:
                timeout = deadline - time.monotonic()
                if timeout <= 0:
                    break
                try:
                    entry = await asyncio.wait_for(self.queue.get(), timeout)
                except TimeoutError:
                    break
                if entry is None:
                    finished = True
                    break
                batch.append(entry)
            self.store.save([record for record, _ in batch])
            for record, origin in batch:
                self._count(record, origin)

    def _count(self, record: ExtractionRecord, origin: str) -> None:
        summary = self.summary
        outcome = record.outcome
        summary.prompt_tokens += outcome.usage.prompt_tokens
        summary.completion_tokens += outcome.usage.completion_tokens
        summary.total_tokens += outcome.usage.total_tokens
        if outcome.cost_usd is not None:
            summary.cost_usd = (summary.cost_usd or 0.0) + outcome.cost_usd
        if record.processed is not None:
            summary.extracted += 1
            summary.incidents += len(record.processed.incidents)
            self._report_article(origin, "extracted",
                                 f"{len(record.processed.incidents)} incident(s)")
        else:
            summary.failed += 1
            self._report_article(origin, "failed", f"{outcome.error_kind}: {outcome.error}")

    def _report_article(self, origin: str, status: str, detail: str | None = None) -> None:
        if self.reporter:
            self.reporter.article(origin, status, detail)

    def admit(self, batch: list[SourcedArticle | InputProblem]) -> list[tuple[SourcedArticle,
                                                                            str]]:
        """Store the batch's articles; return those that still need extracting, with keys."""
        fresh: list[SourcedArticle] = []
        for item in batch:
            if isinstance(item, InputProblem):
                self.summary.input_errors += 1
                if self.reporter:
                    self.reporter.problem(item.origin, item.message)
                continue
            if item.article.id in self.seen_ids:
                self.summary.duplicates += 1
                self._report_article(item.origin, "duplicate", "same text as an earlier article")
                continue
            self.seen_ids.add(item.article.id)
            self.summary.seen += 1
            fresh.append(item)
        self.store.add_articles((item.article, item.origin) for item in fresh)
        keyed = [(item, self.key(item.article)) for item in fresh]
        for item, key in keyed:
            self.summary.keys[item.article.id] = key
        done = self.store.completed_keys([key for _, key in keyed])
        pending = []
        for item, key in keyed:
            if key in done:
                self.summary.skipped += 1
                self._report_article(item.origin, "skipped", "already extracted")
            else:
                pending.append((item, key))
        return pending


async def run_pipeline(
    items: Iterable[SourcedArticle | InputProblem],
    backend: Backend,
    store: Store,
    resources: Resources,
    config: RunConfig,
    *,
    command: str = "extract",
    settings: dict[str, object] | None = None,
    reporter: Reporter | None = None,
) -> RunSummary:
    """Extract every article of ``items`` that is not extracted yet; return the run's summary.

    Raises FatalBackendError (after recording the run as aborted) when the backend says the
    run cannot go on.
    """
    summary = RunSummary()
    summary.run_id = store.start_run(
        command=command, model=backend.model, prompt_name=backend.prompt_name,
        prompt_hash=backend.prompt_hash, schema_hash=schema_hash(),
        settings={**(settings or {}), "concurrency": config.concurrency},
    )
    run = _Run(backend, store, resources, config, summary, reporter)
    writer = asyncio.create_task(run.writer())
    semaphore = asyncio.Semaphore(max(1, config.concurrency))
    tasks: set[asyncio.Task[None]] = set()
    errors: list[BaseException] = []

    def finished(task: asyncio.Task[None]) -> None:
        tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            errors.append(task.exception())  # type: ignore[arg-type]

    async def bounded(item: SourcedArticle, key: str) -> None:
        try:
            await run.extract_one(item, key)
            if run.fatal:  # stop at once: the articles in flight are not stored, not failed
                current = asyncio.current_task()
                for other in list(tasks):
                    if other is not current:
                        other.cancel()
        finally:
            semaphore.release()

    status = "completed"
    try:
        for batch in _batches(items, READ_BATCH):
            for item, key in run.admit(batch):
                await semaphore.acquire()
                if run.fatal:
                    semaphore.release()
                    break
                task = asyncio.create_task(bounded(item, key))
                tasks.add(task)
                task.add_done_callback(finished)
            if run.fatal:
                break
        await asyncio.gather(*tasks, return_exceptions=True)
        if errors:  # a bug past the backend (post-processing, the queue): surface it
            raise errors[0]
    except (asyncio.CancelledError, KeyboardInterrupt):
        status = "interrupted"
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise
    finally:
        await run.queue.put(None)
        await writer
        if run.fatal:
            status = "aborted"
            summary.message = str(run.fatal)
        summary.status = status
        store.finish_run(summary.run_id, summary.counts(), status, summary.message)
        await backend.aclose()
    if run.fatal:
        raise run.fatal
    return summary
