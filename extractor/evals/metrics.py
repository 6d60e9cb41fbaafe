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

__all__ = ["RESAMPLES", "SEED", "Difference", "micro", "paired_bootstrap"]

RESAMPLES = 1000
SEED = 20240727

Counts = tuple[float, float]  # numerator, denominator


def micro(per_article: Iterable[Mapping[str, Score]]) -> dict[str, Score]:
    """Each field's micro average over the articles, as a Score."""
    totals: dict[str, list[float]] = {}
    for scores in per_article:
        for name, score in scores.items():
            entry = totals.setdefault(name, [0, 0, 0, 0, 0])  # num, den, scored, articles, n
            entry[3] += 1
            if score.scored:
                entry[0] += score.numerator
                entry[1] += score.denominator
                entry[2] += 1
                entry[4] += score.n
    result = {}
    for name, (numerator, denominator, scored, articles, n) in totals.items():
        explanation = f"micro average over {int(scored)} of {int(articles)} articles"
        if not scored:
            explanation = f"unscored in all {int(articles)} articles"
        result[name] = Score(numerator, denominator, explanation, int(n))
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


def _whole(value: float) -> int:
    return round(value)


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

    ``before`` and ``after`` map article id -> field -> (numerator, denominator), whole
    counts. The same resampled article sets serve every field. Deterministic for a ``seed``.

    For speed, each article's counts (four per field) are packed into one integer, in slots
    wide enough that no sum can overflow into the next; a resample's totals for every field
    are then one weighted sum of those integers.
    """
    common = sorted(set(before) & set(after))
    n = len(common)
    names = list(fields)
    rows = [[(_whole(before[a].get(name, (0, 0))[0]), _whole(before[a].get(name, (0, 0))[1]),
              _whole(after[a].get(name, (0, 0))[0]), _whole(after[a].get(name, (0, 0))[1]))
             for name in names] for a in common]
    result: dict[str, Difference] = {}
    bootstrapped: list[int] = []  # field indexes with a point difference
    for index, name in enumerate(names):
        sums = [sum(row[index][k] for row in rows) for k in range(4)]
        value_before, value_after = _ratio(sums[0], sums[1]), _ratio(sums[2], sums[3])
        diff = None if value_before is None or value_after is None else value_after - value_before
        result[name] = Difference(name, value_before, value_after, diff, None, None, n)
        if diff is not None:
            bootstrapped.append(index)
    if not bootstrapped:
        return result
    largest = max((max(counts) for row in rows for counts in row), default=0)
    width = max(1, (n * largest).bit_length() + 1)
    mask = (1 << width) - 1
    packed = []
    for row in rows:
        value = 0
        for slot, index in enumerate(bootstrapped):
            for k in range(4):
                value |= row[index][k] << (width * (4 * slot + k))
        packed.append(value)
    rng = random.Random(seed)
    samples: list[list[float]] = [[] for _ in bootstrapped]
    indices = range(n)
    for _ in range(resamples):
        weights = [0] * n
        for drawn in rng.choices(indices, k=n):
            weights[drawn] += 1
        total = sum(map(mul, weights, packed))
        for slot in range(len(bootstrapped)):
            shift = width * 4 * slot
            num_b, den_b, num_a, den_a = ((total >> (shift + width * k)) & mask
                                          for k in range(4))
            if den_b and den_a:
                samples[slot].append(num_a / den_a - num_b / den_b)
    tail = (1 - confidence) / 2
    for slot, index in enumerate(bootstrapped):
        values = sorted(samples[slot])
        if values:
            point = result[names[index]]
            result[point.field] = Difference(point.field, point.before, point.after,
                                             point.diff, _percentile(values, tail),
                                             _percentile(values, 1 - tail), n)
    return result
