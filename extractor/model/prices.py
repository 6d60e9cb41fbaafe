"""Cost estimates from a per-model price table (USD per million input and output tokens).

The packaged table ``extractor/model/prices.csv`` lists a few OpenAI models at list prices; a
user table (same columns, ``--prices`` path) adds models or overrides them. Models served
locally (vLLM, Ollama, llama.cpp) cost nothing per token: add them with 0 and 0 to get a cost
of 0 instead of "unknown". A model in no table has no cost estimate (None), never a guess.
Dated snapshots ("gpt-4o-2024-08-06") take the price of their base name.

Requests sent through the Batch API (``extract --batch``) cost :data:`BATCH_DISCOUNT` of the
listed price, input and output alike (OpenAI's batch pricing): the table keeps list prices, and
:meth:`PriceTable.batch_cost` applies the discount.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from extractor.backend import Usage

BATCH_DISCOUNT = 0.5  # the Batch API's price as a share of the listed price
COLUMNS = ("model", "input_per_million_usd", "output_per_million_usd")


class PriceTableError(Exception):
    """A price table cannot be read; the message names the file and line."""


@dataclass(frozen=True)
class Price:
    input_per_million_usd: float
    output_per_million_usd: float


def _parse(text: str, where: str) -> dict[str, Price]:
    rows = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(rows)))
    missing = set(COLUMNS) - set(reader.fieldnames or ())
    if missing:
        raise PriceTableError(f"{where}: missing column(s) {', '.join(sorted(missing))}; "
                              f"expected {','.join(COLUMNS)}")
    prices: dict[str, Price] = {}
    for number, row in enumerate(reader, start=2):
        try:
            price = Price(float(row["input_per_million_usd"]),
                          float(row["output_per_million_usd"]))
        except (TypeError, ValueError) as exc:
            raise PriceTableError(f"{where} row {number}: {exc}") from exc
        if price.input_per_million_usd < 0 or price.output_per_million_usd < 0:
            raise PriceTableError(f"{where} row {number}: a price cannot be negative")
        prices[row["model"].strip()] = price
    return prices


class PriceTable:
    """Prices by model name; :meth:`cost` turns token usage into dollars."""

    def __init__(self, prices: dict[str, Price]):
        self.prices = dict(prices)

    @classmethod
    def load(cls, extra: Path | str | None = None) -> PriceTable:
        """The packaged table, extended (and overridden) by the CSV at ``extra``."""
        packaged = resources.files("extractor.model") / "prices.csv"
        prices = _parse(packaged.read_text(encoding="utf-8"), "extractor/model/prices.csv")
        if extra is not None:
            path = Path(extra)
            try:
                text = path.read_text(encoding="utf-8")
            except OSError as exc:
                raise PriceTableError(f"{path}: {exc.strerror or exc}") from exc
            prices.update(_parse(text, str(path)))
        return cls(prices)

    def price(self, model: str) -> Price | None:
        if model in self.prices:
            return self.prices[model]
        # A dated snapshot or variant ("gpt-4o-2024-08-06") of a listed model: longest match.
        for name in sorted(self.prices, key=len, reverse=True):
            if model.startswith(name + "-") and model[len(name) + 1:][:1].isdigit():
                return self.prices[name]
        return None

    def cost(self, model: str, usage: Usage) -> float | None:
        """Estimated USD for ``usage`` on ``model``; None when the model has no price."""
        price = self.price(model)
        if price is None:
            return None
        return round((usage.prompt_tokens * price.input_per_million_usd
                      + usage.completion_tokens * price.output_per_million_usd) / 1_000_000, 8)

    def batch_cost(self, model: str, usage: Usage) -> float | None:
        """Estimated USD for ``usage`` sent through the Batch API: the discounted price."""
        cost = self.cost(model, usage)
        return None if cost is None else round(cost * BATCH_DISCOUNT, 8)
