"""Scorers: one function per field, each ``(ArticleCase) -> Score`` for one article.

A score is a ratio kept as numerator and denominator, so scores add up over articles into
micro averages (:mod:`extractor.evals.metrics`). An F1 is kept as ``2·tp / (|pred| + |gold|)``.
A scorer never raises: a case it cannot score (nothing to compare, or an error) comes back as
an unscored ``Score`` (denominator 0) with an explanation, and metrics skip it.

Per-field scores are taken over the *paired* incidents only (see :mod:`.matching`); missed and
spurious incidents count once, in ``incidents.*``. Both sides have been post-processed by the
same code, so "resolved" fields compare canonical actor ids and gazetteer-filled regions,
while the ``.raw`` fields compare what the model and the annotator wrote.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from extractor.resolve.derive import fatalities
from extractor.resolve.postprocess import ProcessedExtraction, ResolvedActor, ResolvedIncident
from extractor.schemas import CasualtyClaim, CasualtyKind

from .matching import ActorMap, Matching, assign, date_within, name_key, place_key

__all__ = ["FIELDS", "SCORERS", "ArticleCase", "Score", "fatality_range", "score_case"]

_TOKEN = re.compile(r"\w+")
_SHOW = 3  # mismatches named in an explanation


@dataclass(frozen=True)
class Score:
    """A ratio with its parts: ``value = numerator / denominator``, None when unscored.

    ``n`` is how many items the score is over: paired incidents for the per-field scores,
    incidents for detection, actors, quotes.
    """

    numerator: float
    denominator: float
    explanation: str = ""
    n: int = 0

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    @property
    def scored(self) -> bool:
        return self.denominator > 0

    @classmethod
    def unscored(cls, explanation: str) -> Score:
        return cls(0, 0, explanation)


@dataclass
class ArticleCase:
    """One article's gold and prediction, post-processed, with their incident pairing."""

    gold: ProcessedExtraction
    pred: ProcessedExtraction
    actors: ActorMap
    matching: Matching
    _pairs: list[tuple[str, ResolvedIncident, ResolvedIncident]] | None = field(
        default=None, init=False, repr=False)

    def pairs(self) -> list[tuple[str, ResolvedIncident, ResolvedIncident]]:
        """(label, prediction, gold) for each paired incident."""
        if self._pairs is None:
            self._pairs = [(f"gold #{gold}/pred #{pred}", self.pred.incidents[pred],
                            self.gold.incidents[gold])
                           for gold, pred in self.matching.paired_positions()]
        return self._pairs


Scorer = Callable[[ArticleCase], Score]


def _listing(items: list[str]) -> str:
    shown = "; ".join(items[:_SHOW])
    return shown + (f"; and {len(items) - _SHOW} more" if len(items) > _SHOW else "")


def _accuracy(what: str, check: Callable[[ResolvedIncident, ResolvedIncident], bool],
              show: Callable[[ResolvedIncident], object]) -> Scorer:
    def scorer(case: ArticleCase) -> Score:
        pairs = case.pairs()
        if not pairs:
            return Score.unscored("no paired incidents")
        wrong = [f"{label}: {show(p)!s} vs gold {show(g)!s}"
                 for label, p, g in pairs if not check(p, g)]
        right = len(pairs) - len(wrong)
        text = f"{right}/{len(pairs)} {what} correct" + (f" ({_listing(wrong)})" if wrong else "")
        return Score(right, len(pairs), text, len(pairs))
    return scorer


def _f1(what: str, pred: set[Any], gold: set[Any], label: str = "") -> tuple[int, int, str]:
    """Numerator 2·tp, denominator |pred|+|gold|, and what differed."""
    tp = len(pred & gold)
    notes = []
    if pred - gold:
        notes.append(f"{label}extra {what} {sorted(map(str, pred - gold))}")
    if gold - pred:
        notes.append(f"{label}missing {what} {sorted(map(str, gold - pred))}")
    return 2 * tp, len(pred) + len(gold), "; ".join(notes)


def _set_f1(what: str, pred_set: Callable[[ArticleCase, ResolvedIncident], set[Any]],
            gold_set: Callable[[ResolvedIncident], set[Any]]) -> Scorer:
    def scorer(case: ArticleCase) -> Score:
        pairs = case.pairs()
        if not pairs:
            return Score.unscored("no paired incidents")
        numerator = denominator = 0
        notes = []
        for label, p, g in pairs:
            num, den, note = _f1(what, pred_set(case, p), gold_set(g), f"{label}: ")
            numerator, denominator = numerator + num, denominator + den
            if note:
                notes.append(note)
        if not denominator:
            return Score.unscored(f"no {what} in gold or prediction of the paired incidents")
        text = f"F1 over {len(pairs)} paired incidents" + (f" ({_listing(notes)})"
                                                           if notes else "")
        return Score(numerator, denominator, text, len(pairs))
    return scorer


# --- incident detection ----------------------------------------------------------------------

def _detection(kind: str) -> Scorer:
    empty = {"precision": "no predicted incidents", "recall": "no gold incidents",
             "f1": "no incidents in gold or prediction"}[kind]

    def scorer(case: ArticleCase) -> Score:
        tp = len(case.matching.paired)
        n_pred, n_gold = len(case.pred.incidents), len(case.gold.incidents)
        numerator, denominator, n = {"precision": (tp, n_pred, n_pred),
                                     "recall": (tp, n_gold, n_gold),
                                     "f1": (2 * tp, n_pred + n_gold, n_gold)}[kind]
        if not denominator:
            return Score.unscored(empty)
        return Score(numerator, denominator,
                     f"{tp} paired, {n_gold - tp} of {n_gold} gold missed, "
                     f"{n_pred - tp} of {n_pred} predicted spurious", n)
    return scorer


# --- places and dates ------------------------------------------------------------------------

def _key(value: str | None) -> str | None:
    return name_key(value) or None if value else None


def _date_text(incident: ResolvedIncident) -> str:
    i = incident.incident
    if i.date_start is None and i.date_end is None:
        return "undated"
    return f"{i.date_start or '…'}..{i.date_end or '…'}"


# --- casualties ------------------------------------------------------------------------------

def _figure(claim: CasualtyClaim) -> int | None:
    return claim.count_min if claim.count_min is not None else claim.count_max


def _within(figure: int | None, low: int | None, high: int | None) -> bool:
    """A figure inside a gold range; a gold range with neither bound needs no figure."""
    if low is None and high is None:
        return figure is None
    if figure is None:
        return False
    return (low or 0) <= figure <= (high if high is not None else math.inf)


def fatality_range(gold: ResolvedIncident) -> tuple[int, float]:
    """The gold range a derived fatality figure must fall in.

    Lower bound: the gold's derived figure (codebook rule, on count_min). Upper bound: the same
    rule applied to count_max, when every ``killed`` claim has a count_max; unbounded otherwise.
    """
    killed = [c for c in gold.incident.casualties if c.kind == CasualtyKind.killed]
    groups = {c.victims: vid for c, vid in zip(gold.incident.casualties,
                                               gold.casualty_victim_ids, strict=True)
              if c.victims and vid}
    if any(c.count_max is None for c in killed):
        return gold.fatalities, math.inf
    upper = fatalities([c.model_copy(update={"count_min": c.count_max}) for c in killed],
                       group_of=lambda victims: groups.get(victims, name_key(victims)))
    return gold.fatalities, max(upper, gold.fatalities)


def _fatalities(case: ArticleCase) -> Score:
    pairs = case.pairs()
    if not pairs:
        return Score.unscored("no paired incidents")
    wrong = []
    for label, p, g in pairs:
        low, high = fatality_range(g)
        if not low <= p.fatalities <= high:
            shown = "∞" if high == math.inf else int(high)
            wrong.append(f"{label}: {p.fatalities} outside gold {low}..{shown}")
    right = len(pairs) - len(wrong)
    return Score(right, len(pairs), f"{right}/{len(pairs)} fatality figures inside the gold "
                 f"range" + (f" ({_listing(wrong)})" if wrong else ""), len(pairs))


def _claim_keys(incident: ResolvedIncident, victim_id: Callable[[str, str], str]) \
        -> list[tuple[str, str | None]]:
    return [(c.kind.value, victim_id(vid, c.victims or "") if vid else None)
            for c, vid in zip(incident.incident.casualties, incident.casualty_victim_ids,
                              strict=True)]


def _casualties(case: ArticleCase) -> Score:
    """Claims pair by kind and victims; a pair counts when the figure is in the gold range."""
    pairs = case.pairs()
    if not pairs:
        return Score.unscored("no paired incidents")
    numerator = denominator = 0
    notes = []
    for label, p, g in pairs:
        pred_keys = _claim_keys(p, case.actors.pred_id)
        gold_keys = _claim_keys(g, lambda vid, _name: vid)
        pred_claims, gold_claims = p.incident.casualties, g.incident.casualties
        weights = [[1.0 if pk == gk and _within(_figure(pc), gc.count_min, gc.count_max)
                    else 0.0 for gk, gc in zip(gold_keys, gold_claims, strict=True)]
                   for pk, pc in zip(pred_keys, pred_claims, strict=True)]
        tp = len(assign(weights))
        numerator += 2 * tp
        denominator += len(pred_claims) + len(gold_claims)
        if tp < max(len(pred_claims), len(gold_claims)):
            notes.append(f"{label}: {tp} of {len(gold_claims)} gold claims matched, "
                         f"{len(pred_claims) - tp} predicted unmatched")
    if not denominator:
        return Score.unscored("no casualty claims in gold or prediction of the paired incidents")
    return Score(numerator, denominator, "claims F1 (kind + victims, figure in gold range)"
                 + (f" ({_listing(notes)})" if notes else ""), len(pairs))


# --- actors and evidence ---------------------------------------------------------------------

def _weapon_tokens(incident: ResolvedIncident) -> set[str]:
    return {t for w in incident.incident.weapons for t in _TOKEN.findall(name_key(w))}


def _actors(kind: str) -> Scorer:
    def scorer(case: ArticleCase) -> Score:
        gold = {a.actor_id: a for a in case.gold.actors}
        pred: dict[str, ResolvedActor] = {}
        for actor in case.pred.actors:
            pred.setdefault(case.actors.pred_id(actor.actor_id), actor)
        matched = sorted(set(gold) & set(pred))
        if kind == "actor_type":
            if not matched:
                return Score.unscored("no matched actors")
            wrong = [f"{i}: {pred[i].actor.actor_type.value} vs gold "
                     f"{gold[i].actor.actor_type.value}" for i in matched
                     if pred[i].actor.actor_type != gold[i].actor.actor_type]
            right = len(matched) - len(wrong)
            return Score(right, len(matched), f"{right}/{len(matched)} actor types correct"
                         + (f" ({_listing(wrong)})" if wrong else ""), len(matched))
        num, den, n = {"precision": (len(matched), len(pred), len(pred)),
                       "recall": (len(matched), len(gold), len(gold)),
                       "f1": (2 * len(matched), len(pred) + len(gold), len(gold))}[kind]
        if not den:
            return Score.unscored("no actors in " + {"precision": "prediction",
                                                     "recall": "gold"}.get(kind, "either"))
        _, _, note = _f1("actors", set(pred), set(gold))
        return Score(num, den, f"{len(matched)} of {len(gold)} gold actors found, "
                     f"{len(pred) - len(matched)} extra" + (f" ({note})" if note else ""), n)
    return scorer


def _evidence_aligned(case: ArticleCase) -> Score:
    quotes = [q for incident in case.pred.incidents for q in incident.evidence]
    if not quotes:
        return Score.unscored("no evidence quotes in the prediction")
    aligned = sum(1 for q in quotes if q.aligned)
    unaligned = [q.quote[:60] for q in quotes if not q.aligned]
    return Score(aligned, len(quotes), f"{aligned}/{len(quotes)} quotes found in the article"
                 + (f" (not found: {_listing(unaligned)})" if unaligned else ""), len(quotes))


def _equal_keys(a: str | None, b: str | None) -> bool:
    return _key(a) == _key(b)


SCORERS: dict[str, Scorer] = {
    "incidents.precision": _detection("precision"),
    "incidents.recall": _detection("recall"),
    "incidents.f1": _detection("f1"),
    "event_type": _accuracy("event types", lambda p, g: p.incident.event_type ==
                            g.incident.event_type, lambda i: i.incident.event_type.value),
    "sub_event_type": _accuracy("sub-event types", lambda p, g: p.incident.sub_event_type ==
                                g.incident.sub_event_type,
                                lambda i: i.incident.sub_event_type.value),
    "date": _accuracy("dates inside the gold window", date_within, _date_text),
    "place": _accuracy("places (gazetteer-normalised)",
                       lambda p, g: place_key(p) == place_key(g), place_key),
    "place.raw": _accuracy("places as written", lambda p, g: _equal_keys(p.incident.place,
                                                                         g.incident.place),
                           lambda i: i.incident.place),
    "admin1": _accuracy("admin1 after the gazetteer fill",
                        lambda p, g: _equal_keys(p.admin1, g.admin1), lambda i: i.admin1),
    "admin1.raw": _accuracy("admin1 as written", lambda p, g: _equal_keys(p.incident.admin1,
                                                                          g.incident.admin1),
                            lambda i: i.incident.admin1),
    "country": _accuracy("countries after the gazetteer fill",
                         lambda p, g: _equal_keys(p.country, g.country), lambda i: i.country),
    "country.raw": _accuracy("countries as written",
                             lambda p, g: _equal_keys(p.incident.country, g.incident.country),
                             lambda i: i.incident.country),
    "perpetrators": _set_f1("perpetrators", lambda c, p: c.actors.pred_refs(p.perpetrators),
                            lambda g: {r.actor_id for r in g.perpetrators}),
    "targets": _set_f1("targets", lambda c, p: c.actors.pred_refs(p.targets),
                       lambda g: {r.actor_id for r in g.targets}),
    "claimed_by": _set_f1("claimed_by", lambda c, p: c.actors.pred_refs(p.claimed_by),
                          lambda g: {r.actor_id for r in g.claimed_by}),
    "fatalities": _fatalities,
    "casualties": _casualties,
    "weapons": _set_f1("weapon tokens", lambda _c, p: _weapon_tokens(p), _weapon_tokens),
    "is_background": _accuracy("background flags", lambda p, g: p.incident.is_background ==
                               g.incident.is_background, lambda i: i.incident.is_background),
    "actors.precision": _actors("precision"),
    "actors.recall": _actors("recall"),
    "actors.f1": _actors("f1"),
    "actors.actor_type": _actors("actor_type"),
    "evidence.aligned": _evidence_aligned,
}

FIELDS: tuple[str, ...] = tuple(SCORERS)


def score_case(case: ArticleCase) -> dict[str, Score]:
    """Every field's score for one article. Never raises: a failing scorer is unscored."""
    scores = {}
    for name, scorer in SCORERS.items():
        try:
            scores[name] = scorer(case)
        except Exception as error:
            scores[name] = Score.unscored(f"scorer error: {type(error).__name__}: {error}")
    return scores
