"""The extraction pipeline: articles in, stored records out.

Streams its input (it never holds the corpus), skips work already done (an extraction key that
is stored as ``ok``), runs the backend with bounded concurrency, post-processes each result,
and hands it to a single writer that stores whole articles in batched transactions. A failed
article is stored as failed with its reason and retried by the next run; a fatal backend error
(bad credentials, exhausted quota) stops the run at once.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import TYPE_CHECKING, Protocol

from extractor.backend import Backend, BackendResult, FatalBackendError
from extractor.config import BASELINE_MODEL, ConfigError, ModelConfig, RunConfig, redact_secrets
from extractor.intake.articles import InputProblem, SourcedArticle
from extractor.resolve.gazetteer import Gazetteer
from extractor.resolve.postprocess import ProcessedExtraction, process
from extractor.resolve.registry import ActorRegistry
from extractor.resolve.world import WorldIndex
from extractor.schemas import Article
from extractor.store.claims import Claim
from extractor.store.database import Store, extraction_key, params_hash
from extractor.store.rows import ExtractionRecord
from extractor.vocabulary import ErrorKind, ExtractionStatus, RunStatus

if TYPE_CHECKING:
    from extractor.model.chunking import ChunkingBackend

READ_BATCH = 256  # articles looked up in the store at once
WRITE_BATCH = 64  # articles written per transaction at most
WRITE_WAIT_S = 0.25  # longest a finished article waits for batch-mates
CLAIM_POLL_S = 0.5  # how often an article another run is extracting is looked at again


@dataclass
class Resources:
    """Data the post-processing needs, loaded once per run."""

    registry: ActorRegistry
    gazetteer: Gazetteer

    @classmethod
    def load(cls, config: RunConfig) -> Resources:
        world = WorldIndex(config.cache_dir)
        return cls(ActorRegistry.load(config.registry_path),
                   Gazetteer.load(config.gazetteer_path, world=world))


@dataclass
class RunSummary:
    run_id: int = 0
    status: RunStatus = RunStatus.RUNNING
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

    def warning(self, origin: str, message: str) -> None: ...

    def article(self, origin: str, status: str, detail: str | None = None) -> None: ...


def build_backend(model: ModelConfig, run: RunConfig, resources: Resources) -> Backend:
    """The offline baseline, or the OpenAI-compatible model backend."""
    if model.is_baseline:
        from extractor.baseline.backend import BaselineBackend, worker_count

        return BaselineBackend(resources.registry, resources.gazetteer,
                               workers=worker_count(run.concurrency))
    return build_model_backend(model, run)


def build_model_backend(model: ModelConfig, run: RunConfig) -> ChunkingBackend:
    """The model backend of a run (what ``extract --batch`` builds its requests from)."""
    from extractor.model.chunking import chunked
    from extractor.model.llm import build_llm_backend

    llm = build_llm_backend(model, run)
    # Articles longer than the model's input budget go in overlapping chunks, then merge.
    try:
        return chunked(llm, llm.prompt, model.max_input_tokens, model.max_tokens,
                       model.validation_retries, model.max_chunks)
    except ValueError as error:
        raise ConfigError(f"--max-input-tokens: {error}") from error


def article_chars(article: Article) -> int:
    """An article's size for the cost guard: its text and every field sent beside it."""
    return len(article.text) + sum(len(value or "") for value in
                                   (article.title, article.source, article.url))


def _batches(items: Iterable[SourcedArticle | InputProblem],
             size: int) -> Iterator[list[SourcedArticle | InputProblem]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


class _Run:
    """State of one pipeline run."""

    def __init__(self, backend: Backend, store: Store, resources: Resources, config: RunConfig,
                 summary: RunSummary, reporter: Reporter | None, secrets: Sequence[str] = ()):
        self.backend = backend
        self.store = store
        self.resources = resources
        self.config = config
        self.summary = summary
        self.reporter = reporter
        self.schema_hash = backend.schema_hash
        self.params = backend.params()
        self.params_hash = params_hash(self.params)
        self.queue: asyncio.Queue[tuple[ExtractionRecord, str] | None] = asyncio.Queue()
        self.fatal: FatalBackendError | None = None
        self.seen_ids: set[str] = set()
        # Articles another live run is extracting: looked at again when the rest is done.
        self.deferred: list[tuple[SourcedArticle, str]] = []
        # The offline baseline costs nothing to run twice: only model runs claim articles.
        self.claims = backend.model != BASELINE_MODEL
        self.secrets = tuple(secrets)  # redacted from every error stored

    def key(self, article: Article) -> str:
        return extraction_key(article.id, self.backend.model, self.backend.prompt_hash,
                              self.schema_hash, self.params)

    async def extract_one(self, item: SourcedArticle, key: str) -> None:
        """Extract one article and queue it for the writer; anything that goes wrong with
        this article ends this article alone, as failed with its reason."""
        started = time.perf_counter()
        size, cap = article_chars(item.article), self.config.max_article_chars
        if size > cap:
            outcome = BackendResult(
                result=None, error_kind=ErrorKind.TOO_LARGE, attempts=0,
                error=(f"the article has {size:,} characters (text and metadata), more than "
                       f"--max-article-chars ({cap:,}); raise that limit to extract it"))
            await self.queue.put((self._record(item, key, outcome, None), item.origin))
            return
        if self.claims:
            claim = self.store.claim(key, self.summary.run_id)
            if claim is Claim.TAKEN:
                self.deferred.append((item, key))
                return
            if claim is Claim.DONE:
                self.summary.skipped += 1
                self._report_article(item.origin, "skipped", "extracted by another run")
                return
        try:
            outcome = await self.backend.extract(item.article)
        except FatalBackendError as error:
            self.fatal = self.fatal or error
            return
        except Exception as error:  # a backend bug must not take the other articles down
            outcome = _internal_failure("extracting", error, started)
        processed = None
        if outcome.result is not None:
            try:
                processed = process(item.article, outcome.result, self.resources.registry,
                                    self.resources.gazetteer)
            except Exception as error:  # a post-processing bug: this article fails, alone
                failure = _internal_failure("post-processing", error, started)
                outcome = dataclasses.replace(outcome, result=None, error=failure.error,
                                              error_kind=failure.error_kind)
        await self.queue.put((self._record(item, key, outcome, processed), item.origin))

    def _record(self, item: SourcedArticle, key: str, outcome: BackendResult,
                processed: ProcessedExtraction | None) -> ExtractionRecord:
        if self.secrets:  # an SDK error may quote the URL, key and all
            outcome = dataclasses.replace(
                outcome, error=_redacted(outcome.error, self.secrets),
                calls=[dataclasses.replace(call, error=_redacted(call.error, self.secrets))
                       for call in outcome.calls])
        return ExtractionRecord(
            key=key, article=item.article, run_id=self.summary.run_id,
            model=self.backend.model, prompt_hash=self.backend.prompt_hash,
            schema_hash=self.schema_hash, params_hash=self.params_hash,
            outcome=outcome, processed=processed,
        )

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
            stored = self.store.save([record for record, _ in batch])
            for record, (_, origin) in zip(stored, batch, strict=True):
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
            self._report_article(origin, ExtractionStatus.FAILED,
                                 f"{outcome.error_kind}: {outcome.error}")

    def _report_article(self, origin: str, status: str, detail: str | None = None) -> None:
        if self.reporter:
            self.reporter.article(origin, status, detail)

    def admit(self, batch: list[SourcedArticle | InputProblem]) -> list[tuple[SourcedArticle,
                                                                            str]]:
        """Store the batch's articles; return those that still need extracting, with keys."""
        fresh: list[SourcedArticle] = []
        for item in batch:
            if isinstance(item, InputProblem):
                if item.warning:  # about the article that follows, which is read
                    if self.reporter:
                        self.reporter.warning(item.origin, item.message)
                    continue
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
    secrets: Sequence[str] = (),
) -> RunSummary:
    """Extract every article of ``items`` that is not extracted yet; return the run's summary.

    ``secrets`` (the API key, a key inside the base URL) are redacted from every error
    stored. Raises FatalBackendError (after recording the run as aborted) when the backend
    says the run cannot go on; any other exception that ends the run is re-raised after the
    run is recorded as crashed.
    """
    summary = RunSummary()
    summary.run_id = store.start_run(
        command=command, model=backend.model, prompt_name=backend.prompt_name,
        prompt_hash=backend.prompt_hash, schema_hash=backend.schema_hash,
        settings={**(settings or {}), "concurrency": config.concurrency},
    )
    run = _Run(backend, store, resources, config, summary, reporter, secrets)
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

    async def start(item: SourcedArticle, key: str) -> bool:
        """Start extracting one article; False when the run must stop."""
        await semaphore.acquire()
        if run.fatal or errors or writer.done():
            semaphore.release()
            return False
        task = asyncio.create_task(bounded(item, key))
        tasks.add(task)
        task.add_done_callback(finished)
        return True

    status = RunStatus.COMPLETED
    raising = False  # an exception is on its way out: a writer's failure must not replace it
    try:
        stopped = False
        for batch in _batches(items, READ_BATCH):
            for item, key in run.admit(batch):
                if not await start(item, key):
                    stopped = True
                    break
            if stopped:
                break
        await asyncio.gather(*tasks, return_exceptions=True)
        # Articles another live run was extracting: wait for it, then skip them if it
        # succeeded, or extract them if it failed or died.
        while run.deferred and not (run.fatal or errors or writer.done()):
            waiting, run.deferred = run.deferred, []
            await asyncio.sleep(CLAIM_POLL_S)
            for item, key in waiting:
                if not await start(item, key):
                    break
            await asyncio.gather(*tasks, return_exceptions=True)
        if errors:  # a bug past the backend (the queue, the claims): surface it
            raise errors[0]
    except (asyncio.CancelledError, KeyboardInterrupt):
        status, raising = RunStatus.INTERRUPTED, True
        await _cancel(tasks)
        raise
    except Exception as error:
        status, raising = RunStatus.CRASHED, True
        summary.message = f"{type(error).__name__}: {error}"
        await _cancel(tasks)
        raise
    finally:
        await run.queue.put(None)
        try:
            await writer
        except Exception as error:
            if status is RunStatus.COMPLETED or not summary.message:
                status = RunStatus.CRASHED
                summary.message = f"storing results failed: {type(error).__name__}: {error}"
            if not raising:
                raise
        finally:
            if run.fatal:
                status = RunStatus.ABORTED
                summary.message = str(run.fatal)
            summary.status = status
            if summary.message and run.secrets:
                summary.message = _redacted(summary.message, run.secrets)
            store.finish_run(summary.run_id, summary.counts(), status, summary.message)
            await backend.aclose()
    if run.fatal:
        raise run.fatal
    return summary


async def _cancel(tasks: set[asyncio.Task[None]]) -> None:
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


def _internal_failure(stage: str, error: Exception, started: float) -> BackendResult:
    """The outcome of an article whose extraction hit a bug of ours while ``stage``."""
    return BackendResult(
        result=None, error=f"{stage} failed: {type(error).__name__}: {error}",
        error_kind=ErrorKind.INTERNAL, latency_ms=(time.perf_counter() - started) * 1000,
    )


def _redacted(text: str | None, secrets: Sequence[str]) -> str | None:
    return redact_secrets(text, secrets) if text is not None else None
