"""Cost estimates from the price table, and the per-minute token buckets."""

from __future__ import annotations

import asyncio

import pytest

from extractor.backend import Usage
from extractor.model.prices import PriceTable, PriceTableError
from extractor.model.ratelimit import RateLimiter, TokenBucket, estimate_tokens


def test_packaged_prices_and_dated_snapshots():
    table = PriceTable.load()
    usage = Usage(prompt_tokens=1_000_000, completion_tokens=500_000, total_tokens=1_500_000)
    assert table.cost("gpt-4o-mini", usage) == pytest.approx(0.15 + 0.30)
    assert table.cost("gpt-4o-2024-08-06", usage) == table.cost("gpt-4o", usage)
    assert table.price("gpt-4o-mini-2024-07-18") == table.price("gpt-4o-mini")
    assert table.cost("qwen2.5:7b", usage) is None
    assert table.price("gpt-4o-mini-custom") is None


def test_user_table_extends_and_overrides(tmp_path):
    path = tmp_path / "prices.csv"
    path.write_text("# local models cost nothing per token\n"
                    "model,input_per_million_usd,output_per_million_usd\n"
                    "qwen2.5:7b,0,0\ngpt-4o-mini,1,2\n")
    table = PriceTable.load(path)
    usage = Usage(prompt_tokens=2_000, completion_tokens=1_000, total_tokens=3_000)
    assert table.cost("qwen2.5:7b", usage) == 0.0
    assert table.cost("gpt-4o-mini", usage) == pytest.approx(0.004)
    assert table.cost("gpt-4o", usage) is not None


def test_bad_tables_say_where(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("model,input\nx,1\n")
    with pytest.raises(PriceTableError, match="missing column"):
        PriceTable.load(path)
    path.write_text("model,input_per_million_usd,output_per_million_usd\nx,cheap,1\n")
    with pytest.raises(PriceTableError, match="row 2"):
        PriceTable.load(path)
    with pytest.raises(PriceTableError, match=r"nope\.csv"):
        PriceTable.load(tmp_path / "nope.csv")


class FakeClock:
    """Time that passes only when the bucket sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_bucket_allows_a_minute_then_paces():
    clock = FakeClock()
    bucket = TokenBucket(60, clock=clock, sleep=clock.sleep)

    async def go() -> None:
        for _ in range(60):
            assert await bucket.take() == 0.0
        assert await bucket.take() == pytest.approx(1.0)
        assert await bucket.take(3) == pytest.approx(3.0)
        clock.now += 600  # a long pause banks no more than one minute's worth
        for _ in range(60):
            await bucket.take()
        assert await bucket.take() == pytest.approx(1.0)

    asyncio.run(go())


def test_oversized_request_waits_for_a_full_bucket_not_forever():
    clock = FakeClock()
    bucket = TokenBucket(1000, clock=clock, sleep=clock.sleep)

    async def go() -> None:
        await bucket.take(1000)
        assert await bucket.take(5000) == pytest.approx(60.0)

    asyncio.run(go())


def test_limiter_takes_requests_and_tokens():
    clock = FakeClock()
    limiter = RateLimiter(requests_per_minute=120, tokens_per_minute=6000,
                          clock=clock, sleep=clock.sleep)
    assert limiter.active and not RateLimiter().active
    estimate = estimate_tokens(prompt_chars=8000, max_tokens=1000)
    assert estimate == 3000

    async def go() -> None:
        assert await limiter.acquire(estimate) == 0.0
        assert await limiter.acquire(estimate) == 0.0
        assert await limiter.acquire(estimate) == pytest.approx(30.0)  # 3000 tokens at 100/s

    asyncio.run(go())
    assert RateLimiter().requests is None
