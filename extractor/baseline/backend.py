"""The baseline as a pipeline backend: the cache key, one article, and worker processes.

``BaselineBackend(registry, gazetteer, workers=N)`` reads articles in this process when
``workers`` is 1, else in a pool of N worker processes, each given the registry and the
gazetteer once. Both paths give the same results. A crash inside the rules ends the article as
failed (``ErrorKind.INTERNAL``) with its reason, in either path; a run goes on.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import multiprocessing
import os
import signal
import time
import traceback
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from extractor.backend import BackendResult
from extractor.baseline.dates import text_anchor
from extractor.baseline.french import is_french, unelide
from extractor.baseline.grouping import read_drafts
from extractor.baseline.incidents import actor_list, build_incident, mark_background
from extractor.baseline.mentions import Names
from extractor.baseline.reading import Reading
from extractor.baseline.sentences import SPACES
from extractor.resolve.gazetteer import Gazetteer
from extractor.resolve.registry import ActorRegistry
from extractor.schemas import MAX_ACTORS, MAX_INCIDENTS, Article, ExtractionResult, schema_hash
from extractor.vocabulary import ErrorKind

# The version of the rules: bump it with every change that may change any article's output
# (see the package docstring). With the data hash it makes the cache key.
RULES_VERSION = "2026-11-27.9"

WORKER_GRACE_S = 10.0  # how long a closing run waits for a worker's article in hand


def data_hash(registry: ActorRegistry, gazetteer: Gazetteer) -> str:
    """A hash of every registry and gazetteer field the rules read."""
    return hashlib.sha256(
        repr([(a.name, a.aliases, a.actor_type.value, a.country, a.affiliation)
              for a in registry.actors]).encode()
        + repr([(p.name, p.aliases, p.kind, p.admin1, p.country, p.latitude, p.longitude)
                for p in gazetteer.places]).encode()
    ).hexdigest()[:12]


def worker_count(concurrency: int) -> int:
    """Worker processes for a run at this concurrency: one per core it may use, at most."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(concurrency, cores))


def _failure(exc: BaseException) -> str:
    """'baseline rules failed: ValueError: ... (classification.py:42)'."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" ({os.path.basename(frames[-1].filename)}:{frames[-1].lineno})" if frames else ""
    return f"baseline rules failed: {type(exc).__name__}: {exc}{where}"


class BaselineBackend:
    """Backend protocol, offline: ``BaselineBackend(registry, gazetteer, workers=1)``."""

    model = "baseline"
    prompt_name = "baseline-rules"

    def __init__(self, registry: ActorRegistry, gazetteer: Gazetteer, workers: int = 1):
        self.registry = registry
        self.gazetteer = gazetteer
        self.names = Names(registry, gazetteer)
        self.workers = max(1, workers)
        self._data_hash = data_hash(registry, gazetteer)
        self.prompt_hash = hashlib.sha256(
            f"{RULES_VERSION}\n{self._data_hash}".encode()).hexdigest()[:12]
        self.schema_hash = schema_hash()
        self._pool: ProcessPoolExecutor | None = None

    def params(self) -> dict[str, Any]:
        return {"data": self._data_hash}

    def extract_sync(self, article: Article) -> ExtractionResult:
        """The rules on one article, in this process; exceptions propagate."""
        text = article.text.translate(SPACES)
        in_french = is_french(text)
        names_text = unelide(text) if in_french else text
        world = (self.gazetteer.world is not None
                 and not self.names.names_curated_place(names_text))
        reading = Reading(self.names, article.published, text_anchor(text, in_french), world,
                          in_french)
        drafts = read_drafts(reading, article.text)
        # The article's country (its first place that has one) costs a pass over the whole
        # text: it is looked up only for an incident that names no place with a country.
        fallback_country = functools.cache(
            lambda: self.names.first_country(names_text, world))
        mark_background(drafts, article.published)
        incidents = [build_incident(draft, self.registry, fallback_country, in_french)
                     for draft in drafts][:MAX_INCIDENTS]  # the schema's bound, as for a model
        return ExtractionResult(incidents=incidents,
                                actors=actor_list(self.registry, drafts, incidents)[:MAX_ACTORS])

    def extract_json(self, article: Article) -> tuple[str | None, str | None]:
        """(the result as JSON, None), or (None, why the rules failed)."""
        try:
            return self.extract_sync(article).model_dump_json(), None
        except Exception as exc:  # a crash in the rules fails this article, not the run
            return None, _failure(exc)

    async def extract(self, article: Article) -> BackendResult:
        began = time.perf_counter()
        result: ExtractionResult | None = None
        if self.workers > 1:
            raw, error = await self._in_worker(article)
            result = ExtractionResult.model_validate_json(raw) if raw is not None else None
        else:
            try:
                result = self.extract_sync(article)
                raw, error = result.model_dump_json(), None
            except Exception as exc:  # a crash in the rules fails this article, not the run
                raw, error = None, _failure(exc)
        return BackendResult(result=result, raw_response=raw, attempts=1,
                             latency_ms=(time.perf_counter() - began) * 1000, error=error,
                             error_kind=ErrorKind.INTERNAL if error else None)

    async def _in_worker(self, article: Article) -> tuple[str | None, str | None]:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.workers, initializer=_start_worker,
                                             initargs=(self.registry, self.gazetteer))
        pool = self._pool
        # Workers are forked when a task is submitted. With Ctrl-C blocked across the submit,
        # a new worker starts with it blocked and ignores it (_start_worker) before it can
        # arrive: a worker interrupted between fork and set-up could leave the pool's queues
        # locked and the shutdown waiting. The parent gets a Ctrl-C pressed meanwhile as soon as
        # the submit returns.
        try:
            blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
            try:
                future = asyncio.get_running_loop().run_in_executor(pool, _extract_in_worker,
                                                                    article)
            finally:
                signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
            return await future
        except BrokenProcessPool:
            # A worker died (killed, out of memory): this article fails, the next gets a pool.
            if self._pool is pool:
                self._pool = None
                pool.shutdown(wait=False, cancel_futures=True)
            return None, "baseline worker process died while reading the article"

    async def aclose(self) -> None:
        """Stop the worker processes, if any: the articles in hand get WORKER_GRACE_S to
        finish, the rest are dropped, and a worker still alive after that is terminated.

        ``shutdown(wait=True)`` alone can wait for ever on a worker that never answers (a run
        interrupted by Ctrl-C once hung there), and no run may leave processes behind."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        pool.shutdown(wait=False, cancel_futures=True)
        deadline = time.monotonic() + WORKER_GRACE_S
        for child in multiprocessing.active_children():
            child.join(max(0.0, deadline - time.monotonic()))
            if child.is_alive():
                child.terminate()
                child.join(1.0)
            if child.is_alive():
                child.kill()
                child.join()


_WORKER: BaselineBackend | None = None


def _start_worker(registry: ActorRegistry, gazetteer: Gazetteer) -> None:
    """Set up a worker process once: its own backend; Ctrl-C is the parent's to handle."""
    global _WORKER
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # blocked across the fork
    _WORKER = BaselineBackend(registry, gazetteer)


def _extract_in_worker(article: Article) -> tuple[str | None, str | None]:
    if _WORKER is None:
        return None, "baseline worker process was not initialised"
    return _WORKER.extract_json(article)
