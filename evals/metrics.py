"""Metrics over articles: micro averages and a paired bootstrap of the difference of two runs.

A micro average adds numerators and denominators over articles (every incident, claim or actor
weighs the same); articles where a field is unscored add nothing. The paired bootstrap
resamples *articles* (with replacement, seeded, so the interval is the same on every run),
recomputes both runs' micro averages on each resample, and takes the percentile interval of
their difference.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from operator import mul

from .scorers import Score

__all__ = ["Difference", "micro", "paired_bootstrap", "RESAMPLES", "SEED"]

RESAMPLES = 1000
SEED = 20240727

Counts = tuple[float, float]  # numerator, denominator


def micro(per_article: Iterable[Mapping[str, Score]]) -> dict[str, Score]:
    """Each field's micro average over the articles, as a Score."""
    totals: dict[str, list[float]] = {}
    for scores in per_article:
        for name, score in scores.items():
            entry = totals.setdefault(name, [0, 0, 0, 0])  # num, den, scored, articles
            entry[3] += 1
            if score.scored:
                entry[0] += score.numerator
                entry[1] += score.denominator
                entry[2] += 1
    result = {}
    for name, (numerator, denominator, scored, articles) in totals.items():
        explanation = f"micro average over {int(scored)} of {int(articles)} articles"
        if not scored:
            explanation = f"unscored in all {int(articles)} articles"
        result[name] = Score(numerator, denominator, explanation)
    return result


@dataclass(frozen=True)
class Difference:
    """``after - before`` for one field on the articles both runs scored, with its interval."""

    field: str
    before: float | None
    after: float | None
    diff: float | None
    low: float | None
    high: float | None
    articles: int

    @property
    def significant(self) -> bool:
        """The interval excludes zero."""
        return self.low is not None and self.high is not None and (self.low > 0 or
                                                                   self.high < 0)


def _ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


def _percentile(ordered: Sequence[float], q: float) -> float:
    position = q * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def paired_bootstrap(
    before: Mapping[str, Mapping[str, Counts]],
    after: Mapping[str, Mapping[str, Counts]],
    fields: Iterable[str],
    *,
    resamples: int = RESAMPLES,
    seed: int = SEED,
    confidence: float = 0.95,
) -> dict[str, Difference]:
    """Differences per field between two runs over the articles both scored.

    ``before`` and ``after`` map article id -> field -> (numerator, denominator). The same
    resampled article sets serve every field. Deterministic for a given ``seed``.
    """
    common = sorted(set(before) & set(after))
    n = len(common)
    columns: dict[str, tuple[list[float], list[float], list[float], list[float]]] = {}
    result: dict[str, Difference] = {}
    for name in fields:
        arrays: tuple[list[float], list[float], list[float], list[float]] = ([], [], [], [])
        for article in common:
            b = before[article].get(name, (0, 0))
            a = after[article].get(name, (0, 0))
            arrays[0].append(b[0])
            arrays[1].append(b[1])
            arrays[2].append(a[0])
            arrays[3].append(a[1])
        value_before = _ratio(sum(arrays[0]), sum(arrays[1]))
        value_after = _ratio(sum(arrays[2]), sum(arrays[3]))
        diff = None if value_before is None or value_after is None else value_after - value_before
        result[name] = Difference(name, value_before, value_after, diff, None, None, n)
        if diff is not None:
            columns[name] = arrays
    if not columns or n == 0:
        return result
    rng = random.Random(seed)
    samples: dict[str, list[float]] = {name: [] for name in columns}
    indices = range(n)
    for _ in range(resamples):
        weights = [0] * n
        for index in rng.choices(indices, k=n):
            weights[index] += 1
        for name, (num_b, den_b, num_a, den_a) in columns.items():
            den_before = sum(map(mul, weights, den_b))
            den_after = sum(map(mul, weights, den_a))
            if den_before and den_after:
                samples[name].append(sum(map(mul, weights, num_a)) / den_after
                                     - sum(map(mul, weights, num_b)) / den_before)
    tail = (1 - confidence) / 2
    for name, values in samples.items():
        if values:
            values.sort()
            point = result[name]
            result[name] = Difference(name, point.before, point.after, point.diff,
                                      _percentile(values, tail), _percentile(values, 1 - tail),
                                      n)
    return result
