"""Client-side request and token budgets per minute (token buckets), shared by all tasks.

Bounded concurrency is the pipeline's semaphore; these limits are for endpoints with a
requests-per-minute or tokens-per-minute quota, so a run stays under it instead of bouncing off
429s. Tokens are estimated before the call (prompt characters / 4 + max_tokens), as the
OpenAI cookbook's parallel processor does, since the real count is known only afterwards.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from extractor.vocabulary import CHARS_PER_TOKEN


def estimate_tokens(prompt_chars: int, max_tokens: int) -> int:
    """Tokens a request may use: its prompt, estimated from characters, plus the output cap."""
    return prompt_chars // CHARS_PER_TOKEN + max_tokens


class TokenBucket:
    """``per_minute`` units refilled continuously, at most one minute's worth banked.

    Waiters are served in arrival order. A request larger than the whole bucket waits for a
    full bucket and takes it all, rather than waiting forever.
    """

    def __init__(self, per_minute: float, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep):
        if per_minute <= 0:
            raise ValueError("a per-minute limit must be positive")
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.level = self.capacity
        self._clock = clock
        self._sleep = sleep
        self._updated = clock()
        self._lock = asyncio.Lock()

    def _refill(self) -> None:
        now = self._clock()
        self.level = min(self.capacity, self.level + (now - self._updated) * self.rate)
        self._updated = now

    async def take(self, amount: float = 1.0) -> float:
        """Wait until ``amount`` is available, take it; returns the seconds waited."""
        amount = min(float(amount), self.capacity)
        waited = 0.0
        async with self._lock:
            self._refill()
            while self.level < amount:
                pause = (amount - self.level) / self.rate
                await self._sleep(pause)
                waited += pause
                self._refill()
            self.level -= amount
        return waited


class RateLimiter:
    """Optional requests-per-minute and tokens-per-minute budgets; no-ops when unset."""

    def __init__(self, requests_per_minute: int | None = None,
                 tokens_per_minute: int | None = None, *,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep):
        self.requests = TokenBucket(requests_per_minute, clock=clock, sleep=sleep) \
            if requests_per_minute else None
        self.tokens = TokenBucket(tokens_per_minute, clock=clock, sleep=sleep) \
            if tokens_per_minute else None

    @property
    def active(self) -> bool:
        return self.requests is not None or self.tokens is not None

    async def acquire(self, tokens: int) -> float:
        """Wait for one request and ``tokens`` tokens; returns the seconds waited."""
        waited = 0.0
        if self.requests is not None:
            waited += await self.requests.take(1)
        if self.tokens is not None:
            waited += await self.tokens.take(tokens)
        return waited
