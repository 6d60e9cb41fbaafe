"""``extract --batch``: build each article's request as the synchronous path would, submit.

Articles already extracted (the cache), already in a batch not yet collected, longer than one
request (they need chunks: extract them without ``--batch``) or over ``--max-article-chars``
are not sent. The batch is recorded in ``batches`` with the extraction key of every request
(its ``custom_id``) and the run that submitted it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from extractor.batch import rows
from extractor.config import ModelConfig, RunConfig
from extractor.intake.articles import InputProblem, SourcedArticle
from extractor.model.batch import BatchWire, request_line
from extractor.model.batch_backend import RequestBuilder
from extractor.model.chunking import ChunkingBackend, split_text
from extractor.model.client import NO_KEY
from extractor.model.llm import DEFAULT_BASE_URL, OpenAIBackend
from extractor.pipeline import Reporter, article_chars, build_model_backend
from extractor.store.database import Store, extraction_key, params_hash
from extractor.vocabulary import RunStatus

READ_BATCH = 256
MAX_REQUESTS = 50_000  # the Batch API's limits per batch: requests, and input file size
MAX_BYTES = 200 * 1024 * 1024


@dataclass
class Submitted:
    """What ``extract --batch`` did."""

    run_id: int = 0
    batch_id: str | None = None
    status: str | None = None
    sent: int = 0
    skipped: int = 0  # extracted already
    pending: int = 0  # in a batch not collected yet
    not_sent: int = 0  # too long for one request, or over --max-article-chars
    input_errors: int = 0
    duplicates: int = 0
    notes: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, object]:
        """The run's counts (``runs`` columns); what was sent is in :meth:`describe`."""
        return {"articles_seen": self.sent + self.skipped + self.pending + self.not_sent,
                "articles_extracted": 0, "articles_skipped": self.skipped + self.pending,
                "articles_failed": 0, "input_errors": self.input_errors}

    def describe(self) -> str:
        sent = (f"batch {self.batch_id} ({self.status}): {self.sent} request(s)"
                if self.batch_id else "no batch: nothing to send")
        return (f"{sent}; {self.skipped} already extracted, {self.pending} in a batch not "
                f"collected yet, {self.not_sent} not sent")


def backends(model: ModelConfig, run: RunConfig) -> tuple[ChunkingBackend, OpenAIBackend]:
    """The synchronous backend (its parameters key the cache) and the model backend inside."""
    sync = build_model_backend(model, run)
    if not isinstance(sync.inner, OpenAIBackend):
        raise TypeError("the batch path needs the OpenAI-compatible backend")
    return sync, sync.inner


def key_of(sync: ChunkingBackend, article_id: str) -> str:
    """The extraction key the synchronous path stores the article under."""
    return extraction_key(article_id, sync.model, sync.prompt_hash, sync.schema_hash,
                          sync.params())


def _chunks(items: Iterable[SourcedArticle | InputProblem],
            size: int) -> Iterator[list[SourcedArticle | InputProblem]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


class _Submission:
    def __init__(self, model: ModelConfig, run: RunConfig, store: Store,
                 reporter: Reporter | None):
        self.sync, llm = backends(model, run)
        self.builder = RequestBuilder(llm.config, llm.prompt, prices=llm.prices)
        self.run = run
        self.store = store
        self.reporter = reporter
        self.done = Submitted()
        self.seen: set[str] = set()
        self.pending = rows.pending_keys(store.db)
        self.lines: list[str] = []
        self.bytes = 0
        self.keys: dict[str, str] = {}

    def _say(self, origin: str, status: str, detail: str) -> None:
        if self.reporter:
            self.reporter.article(origin, status, detail)

    def _fresh(self, chunk: list[SourcedArticle | InputProblem]) -> list[SourcedArticle]:
        fresh: list[SourcedArticle] = []
        for item in chunk:
            if isinstance(item, InputProblem):
                if not item.warning:
                    self.done.input_errors += 1
                if self.reporter:
                    report = self.reporter.warning if item.warning else self.reporter.problem
                    report(item.origin, item.message)
            elif item.article.id in self.seen:
                self.done.duplicates += 1
                self._say(item.origin, "duplicate", "same text as an earlier article")
            else:
                self.seen.add(item.article.id)
                fresh.append(item)
        return fresh

    async def add_all(self, items: Iterable[SourcedArticle | InputProblem]) -> None:
        try:
            for chunk in _chunks(items, READ_BATCH):
                await self.add(chunk)
        finally:
            await self.builder.aclose()

    async def add(self, chunk: list[SourcedArticle | InputProblem]) -> None:
        fresh = self._fresh(chunk)
        self.store.add_articles((item.article, item.origin) for item in fresh)
        keyed = [(item, key_of(self.sync, item.article.id)) for item in fresh]
        done = self.store.completed_keys([key for _, key in keyed])
        for item, key in keyed:
            if key in done:
                self.done.skipped += 1
                self._say(item.origin, "skipped", "already extracted")
            elif key in self.pending:
                self.done.pending += 1
                self._say(item.origin, "skipped", "in a batch not collected yet")
            elif reason := self._unsendable(item):
                self.done.not_sent += 1
                self.done.notes.append(f"{item.origin}: {reason}")
                self._say(item.origin, "not sent", reason)
            else:
                line = request_line(key, await self.builder.body(item.article))
                size = len(line.encode("utf-8")) + 1
                if len(self.lines) >= MAX_REQUESTS or self.bytes + size > MAX_BYTES:
                    self.done.not_sent += 1
                    self._say(item.origin, "not sent", f"the batch is full ({MAX_REQUESTS:,} "
                              f"requests or {MAX_BYTES // 2**20} MB): run again for the rest")
                    continue
                self.bytes += size
                self.lines.append(line)
                self.keys[key] = item.article.id
                self._say(item.origin, "batched", key)

    def _unsendable(self, item: SourcedArticle) -> str | None:
        size = article_chars(item.article)
        if size > self.run.max_article_chars:
            return (f"{size:,} characters, over --max-article-chars "
                    f"({self.run.max_article_chars:,})")
        chunks = split_text(item.article.text, self.sync.max_chars, self.sync.overlap_chars)
        if len(chunks) > 1:
            return (f"needs {len(chunks)} requests (chunks); extract it without --batch, or "
                    "raise --max-input-tokens")
        return None


def submit_batch(items: Iterable[SourcedArticle | InputProblem], model: ModelConfig,
                 run: RunConfig, store: Store, *, reporter: Reporter | None = None) -> Submitted:
    """Build, upload and create one batch of the articles of ``items`` not yet extracted."""
    submission = _Submission(model, run, store, reporter)
    sync = submission.sync
    done = submission.done
    done.run_id = store.start_run(
        command="extract --batch", model=sync.model, prompt_name=sync.prompt_name,
        prompt_hash=sync.prompt_hash, schema_hash=sync.schema_hash,
        settings={**model.public_settings(), "batch": True})
    status, message = RunStatus.CRASHED, None
    try:
        asyncio.run(submission.add_all(items))
        if submission.lines:
            wire = BatchWire(model.base_url or DEFAULT_BASE_URL, model.api_key or NO_KEY,
                             timeout=model.timeout, max_retries=model.max_retries)
            try:
                input_id, state = wire.submit(submission.lines, {
                    "extractor_run": str(done.run_id), "model": sync.model,
                    "prompt_hash": sync.prompt_hash})
            finally:
                wire.close()
            rows.record_submitted(store.db, state, run_id=done.run_id, input_file_id=input_id,
                                  keys=submission.keys, provenance={
                                      "model": sync.model, "prompt_hash": sync.prompt_hash,
                                      "schema_hash": sync.schema_hash,
                                      "params_hash": params_hash(sync.params()),
                                      "base_url": model.public_base_url() or DEFAULT_BASE_URL})
            done.batch_id, done.status, done.sent = state.id, state.status, len(submission.keys)
        status, message = RunStatus.COMPLETED, done.describe()
    except KeyboardInterrupt:
        status = RunStatus.INTERRUPTED
        raise
    except Exception as error:
        message = f"{type(error).__name__}: {error}"
        raise
    finally:
        store.finish_run(done.run_id, done.counts(), status, message)
    return done
