"""Pairing predicted incidents with gold incidents, one to one, within an article.

Both sides have been through :func:`extractor.resolve.postprocess.process`, so actor ids are
canonical and regions are gazetteer-filled before anything is compared.

Similarity of a predicted incident ``p`` to a gold incident ``g`` is a weighted sum of five
components, each in [0, 1]:

================  ======  ==========================================================
component         weight  value
================  ======  ==========================================================
date              0.25    1 when p's window lies inside g's (:func:`date_within`);
                          0.5 when the windows overlap, or exactly one side is undated;
                          0 when they are disjoint
place             0.25    1 same place (gazetteer entry, else ``name_key`` of the name);
                          0.5 same admin1 (after the gazetteer fill); 0.25 same
                          country only; 0 otherwise
event type        0.20    1 same type and sub-type; 0.75 same type only; 0 otherwise
actors            0.15    Jaccard of canonical actor ids over perpetrators + targets
                          (both empty: 1)
evidence          0.15    Jaccard of the article characters covered by the aligned
                          evidence spans; when a side has no aligned span, Jaccard of
                          the word tokens of its quotes (or, without quotes, summary)
================  ======  ==========================================================

Pairs are chosen by an optimal assignment (:func:`assign`, the Hungarian method) that
maximises the summed similarity; a pair whose similarity is below ``THRESHOLD`` (0.35) is not
made, and both incidents stay unpaired (a miss and a spurious prediction). An incident that
agrees on place and date alone (0.5) pairs; one that agrees on event type and actors alone
(0.35) just pairs; one that shares only its type (0.2) does not.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import date

from extractor.resolve.names import name_key as _name_key
from extractor.resolve.postprocess import ActorRef, ProcessedExtraction, ResolvedIncident

# Names repeat across incidents and articles: normalise each once.
name_key = functools.lru_cache(maxsize=1 << 16)(_name_key)

__all__ = [
    "THRESHOLD",
    "WEIGHTS",
    "ActorMap",
    "Matching",
    "Pair",
    "Similarity",
    "assign",
    "date_within",
    "match_incidents",
    "place_key",
    "similarity",
]

WEIGHTS = {"date": 0.25, "place": 0.25, "event_type": 0.20, "actors": 0.15, "evidence": 0.15}
THRESHOLD = 0.35

_TOKEN = re.compile(r"\w+")


class ActorMap:
    """Prediction actor ids translated to the gold article's ids.

    Gold ids come from post-processing (registry id, else slug of the gold name). A predicted
    actor whose id is not a gold id maps to the gold actor sharing any of its names or aliases
    (by ``name_key``): the gold lists every alias a correct answer may use.
    """

    def __init__(self, gold: ProcessedExtraction, pred: ProcessedExtraction | None = None):
        self._by_key: dict[str, str] = {}
        self.gold_ids: set[str] = set()
        for actor in gold.actors:
            self.gold_ids.add(actor.actor_id)
            for name in (actor.canonical_name, actor.actor.name, *actor.actor.aliases):
                self._by_key.setdefault(name_key(name), actor.actor_id)
        for incident in gold.incidents:
            for ref in (*incident.perpetrators, *incident.targets, *incident.claimed_by):
                self.gold_ids.add(ref.actor_id)
                self._by_key.setdefault(name_key(ref.name), ref.actor_id)
        self._pred: dict[str, str] = {}
        self._names: dict[tuple[str, str | None], str] = {}
        for actor in pred.actors if pred else ():
            self._pred[actor.actor_id] = self._translate(
                actor.actor_id, (actor.canonical_name, actor.actor.name, *actor.actor.aliases))

    def _translate(self, actor_id: str, names: tuple[str, ...]) -> str:
        if actor_id in self.gold_ids:
            return actor_id
        for name in names:
            found = self._by_key.get(name_key(name))
            if found:
                return found
        return actor_id

    def pred_id(self, actor_id: str, name: str | None = None) -> str:
        """The gold id a predicted actor stands for, or its own id when it matches none."""
        if actor_id in self._pred:
            return self._pred[actor_id]
        key = (actor_id, name)
        if key not in self._names:
            self._names[key] = self._translate(actor_id, (name,) if name else ())
        return self._names[key]

    def pred_refs(self, refs: list[ActorRef]) -> set[str]:
        return {self.pred_id(ref.actor_id, ref.name) for ref in refs}


@dataclass(frozen=True)
class Similarity:
    """A similarity in [0, 1] and the components it was weighed from."""

    value: float
    components: dict[str, float]

    def describe(self) -> str:
        parts = ", ".join(f"{name} {score:.2f}" for name, score in self.components.items())
        return f"{self.value:.2f} ({parts})"


@dataclass(frozen=True)
class Pair:
    """A gold incident and its prediction; either side None when unpaired."""

    gold: int | None  # position in the gold article
    pred: int | None  # position in the prediction
    similarity: float
    components: dict[str, float]
    reason: str

    @property
    def status(self) -> str:
        if self.gold is not None and self.pred is not None:
            return "paired"
        return "missed" if self.gold is not None else "spurious"


@dataclass
class Matching:
    pairs: list[Pair] = field(default_factory=list)

    @property
    def paired(self) -> list[Pair]:
        return [p for p in self.pairs if p.status == "paired"]

    def paired_positions(self) -> list[tuple[int, int]]:
        """(gold, prediction) positions of the paired incidents."""
        return [(p.gold, p.pred) for p in self.paired
                if p.gold is not None and p.pred is not None]


# --- components ----------------------------------------------------------------------------

Window = tuple[date | None, date | None]


def _inside(pred: Window, gold: Window) -> bool:
    if gold[0] is None and gold[1] is None:
        return pred[0] is None and pred[1] is None
    if gold[0] is not None and (pred[0] is None or pred[0] < gold[0]):
        return False
    return not (gold[1] is not None and (pred[1] is None or pred[1] > gold[1]))


def date_within(pred: ResolvedIncident, gold: ResolvedIncident) -> bool:
    """The date rule: the prediction's window lies inside the gold window.

    A gold incident with neither date (the year cannot be fixed) needs a prediction with
    neither. Otherwise a missing bound is open on its side: a gold window open at the end
    accepts any later end; a prediction open on a side the gold closes is not inside it.
    """
    return _inside((pred.incident.date_start, pred.incident.date_end),
                   (gold.incident.date_start, gold.incident.date_end))


def place_key(incident: ResolvedIncident) -> str | None:
    """The place compared: the gazetteer entry it resolved to, else its name's key."""
    if incident.gazetteer_name:
        return name_key(incident.gazetteer_name)
    if incident.incident.place:
        return name_key(incident.incident.place) or None
    return None


def _merged_spans(incident: ResolvedIncident) -> tuple[tuple[int, int], ...]:
    spans = sorted((q.start, q.end) for q in incident.evidence
                   if q.aligned and q.start is not None and q.end is not None)
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)


@dataclass(frozen=True)
class _Features:
    """What the similarity compares, computed once per incident."""

    window: Window
    place: str | None
    admin1: str | None
    country: str | None
    event_type: str
    sub_event_type: str
    actors: frozenset[str]
    spans: tuple[tuple[int, int], ...]
    tokens: frozenset[str]

    @classmethod
    def of(cls, incident: ResolvedIncident, actor_ids: set[str]) -> _Features:
        i = incident.incident
        text = " ".join(i.evidence) or i.summary
        return cls(
            window=(i.date_start, i.date_end), place=place_key(incident),
            admin1=name_key(incident.admin1) or None if incident.admin1 else None,
            country=name_key(incident.country) or None if incident.country else None,
            event_type=i.event_type.value, sub_event_type=i.sub_event_type.value,
            actors=frozenset(actor_ids), spans=_merged_spans(incident),
            tokens=frozenset(_TOKEN.findall(name_key(text))),
        )


def _pred_features(incident: ResolvedIncident, actors: ActorMap) -> _Features:
    return _Features.of(incident, actors.pred_refs(incident.perpetrators + incident.targets))


def _gold_features(incident: ResolvedIncident) -> _Features:
    return _Features.of(incident, {r.actor_id for r in incident.perpetrators + incident.targets})


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def _date_component(pred: Window, gold: Window) -> float:
    if _inside(pred, gold):
        return 1.0
    if pred == (None, None) or gold == (None, None):
        return 0.5
    lows = [d for d in (pred[0], gold[0]) if d is not None]
    highs = [d for d in (pred[1], gold[1]) if d is not None]
    if lows and highs and max(lows) > min(highs):
        return 0.0
    return 0.5


def _place_component(pred: _Features, gold: _Features) -> float:
    if pred.place and pred.place == gold.place:
        return 1.0
    if pred.admin1 and pred.admin1 == gold.admin1:
        return 0.5
    if pred.country and pred.country == gold.country:
        return 0.25
    return 0.0


def _covered_overlap(a: tuple[tuple[int, int], ...], b: tuple[tuple[int, int], ...]) -> int:
    total, i, j = 0, 0, 0
    while i < len(a) and j < len(b):
        total += max(0, min(a[i][1], b[j][1]) - max(a[i][0], b[j][0]))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return total


def _evidence_component(pred: _Features, gold: _Features) -> float:
    if pred.spans and gold.spans:
        overlap = _covered_overlap(pred.spans, gold.spans)
        covered = sum(e - s for s, e in pred.spans) + sum(e - s for s, e in gold.spans)
        return overlap / (covered - overlap) if covered > overlap else 1.0
    return _jaccard(pred.tokens, gold.tokens)


def _similarity(pred: _Features, gold: _Features) -> Similarity:
    same_type = pred.event_type == gold.event_type
    components = {
        "date": _date_component(pred.window, gold.window),
        "place": _place_component(pred, gold),
        "event_type": (1.0 if pred.sub_event_type == gold.sub_event_type else 0.75)
        if same_type else 0.0,
        "actors": _jaccard(pred.actors, gold.actors),
        "evidence": _evidence_component(pred, gold),
    }
    value = sum(WEIGHTS[name] * score for name, score in components.items())
    return Similarity(round(value, 6), {k: round(v, 3) for k, v in components.items()})


def similarity(pred: ResolvedIncident, gold: ResolvedIncident, actors: ActorMap) -> Similarity:
    """How alike a predicted and a gold incident are, in [0, 1] (see the module docstring)."""
    return _similarity(_pred_features(pred, actors), _gold_features(gold))


# --- assignment ----------------------------------------------------------------------------

def assign(weights: list[list[float]]) -> list[tuple[int, int]]:
    """A one-to-one assignment of rows to columns with the largest total weight.

    The Hungarian method with potentials, O(n^3) for an n x n problem; a rectangular matrix is
    padded with zero weights. Returns (row, column) pairs for every row that got a real column
    with a positive weight, sorted by row.
    """
    rows = len(weights)
    cols = max((len(r) for r in weights), default=0)
    size = max(rows, cols)
    if size == 0:
        return []
    top = max((w for r in weights for w in r), default=0.0)
    # Minimise cost = top - weight; padding cells cost `top` (weight 0).
    cost = [[top - (weights[i][j] if i < rows and j < len(weights[i]) else 0.0)
             for j in range(size)] for i in range(size)]
    infinity = float("inf")
    row_potential = [0.0] * (size + 1)
    col_potential = [0.0] * (size + 1)
    owner = [0] * (size + 1)  # owner[j]: the row (1-based) holding column j; 0 = free
    for row in range(1, size + 1):
        owner[0] = row
        current_col = 0
        slack = [infinity] * (size + 1)
        previous = [0] * (size + 1)
        used = [False] * (size + 1)
        while True:
            used[current_col] = True
            current_row = owner[current_col]
            delta, next_col = infinity, 0
            for col in range(1, size + 1):
                if used[col]:
                    continue
                reduced = (cost[current_row - 1][col - 1] - row_potential[current_row]
                           - col_potential[col])
                if reduced < slack[col]:
                    slack[col], previous[col] = reduced, current_col
                if slack[col] < delta:
                    delta, next_col = slack[col], col
            for col in range(size + 1):
                if used[col]:
                    row_potential[owner[col]] += delta
                    col_potential[col] -= delta
                else:
                    slack[col] -= delta
            current_col = next_col
            if owner[current_col] == 0:
                break
        while current_col:
            before = previous[current_col]
            owner[current_col] = owner[before]
            current_col = before
    result = []
    for col in range(1, size + 1):
        row, column = owner[col] - 1, col - 1
        if row < rows and column < len(weights[row]) and weights[row][column] > 0:
            result.append((row, column))
    return sorted(result)


def match_incidents(
    pred: list[ResolvedIncident],
    gold: list[ResolvedIncident],
    actors: ActorMap,
    threshold: float = THRESHOLD,
) -> Matching:
    """Pair ``pred`` with ``gold`` one to one, maximising summed similarity above threshold."""
    gold_features = [_gold_features(g) for g in gold]
    table = [[_similarity(features, g) for g in gold_features]
             for features in (_pred_features(p, actors) for p in pred)]
    weights = [[s.value if s.value >= threshold else 0.0 for s in row] for row in table]
    chosen = assign(weights)
    pred_to_gold = dict(chosen)
    gold_to_pred = {g: p for p, g in chosen}
    matching = Matching()
    for g in range(len(gold)):
        p = gold_to_pred.get(g)
        if p is not None:
            s = table[p][g]
            matching.pairs.append(Pair(g, p, s.value, s.components,
                                       f"paired at similarity {s.describe()}"))
            continue
        matching.pairs.append(_unpaired(g, None, [table[i][g] for i in range(len(pred))],
                                        threshold, "prediction"))
    for p in range(len(pred)):
        if p not in pred_to_gold:
            matching.pairs.append(_unpaired(None, p, table[p], threshold, "gold incident"))
    return matching


def _unpaired(gold: int | None, pred: int | None, candidates: list[Similarity],
              threshold: float, noun: str) -> Pair:
    """An unpaired incident, with why: no candidate, all below threshold, or taken."""
    if not candidates:
        return Pair(gold, pred, 0.0, {}, f"no {noun} in the article")
    best = max(range(len(candidates)), key=lambda i: candidates[i].value)
    s = candidates[best]
    side = "pred" if noun == "prediction" else "gold"
    if s.value < threshold:
        reason = (f"best {noun} ({side} #{best}) below threshold {threshold:.2f}: "
                  f"{s.describe()}")
    else:
        reason = (f"best {noun} ({side} #{best}, {s.describe()}) went to a better overall "
                  f"assignment")
    return Pair(gold, pred, s.value, s.components, reason)
