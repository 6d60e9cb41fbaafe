"""Scoring a gold set against predictions: post-process both sides alike, match, score.

No model is called here and nothing is read from a database: predictions come in as
``ExtractionResult`` objects (from a fresh run or from the store), so the same function scores
a new run and re-scores an old one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from extractor.resolve.gazetteer import Gazetteer
from extractor.resolve.postprocess import ProcessedExtraction, process
from extractor.resolve.registry import ActorRegistry
from extractor.schemas import ExtractionResult, GoldRecord

from .events import gold_event_keys, score_events
from .matching import THRESHOLD, ActorMap, Matching, match_incidents
from .metrics import micro
from .scorers import ArticleCase, Score, score_case

__all__ = ["ArticleEval", "Evaluation", "evaluate", "evaluate_article"]


@dataclass
class ArticleEval:
    """One article's scores, its incident pairing, and both sides as post-processed."""

    article_id: str
    title: str | None
    status: str  # ok; failed (the extraction failed); missing (no prediction stored)
    scores: dict[str, Score]
    matching: Matching
    gold: ProcessedExtraction
    pred: ProcessedExtraction


@dataclass
class Evaluation:
    articles: list[ArticleEval]
    totals: dict[str, Score]  # micro averages over the articles
    threshold: float


def evaluate_article(record: GoldRecord, prediction: ExtractionResult | None,
                     registry: ActorRegistry, gazetteer: Gazetteer, *,
                     status: str | None = None, threshold: float = THRESHOLD) -> ArticleEval:
    """Score one article; no prediction is scored as one with no incidents.

    ``status`` defaults to ok with a prediction and failed without one.
    """
    gold = process(record.article, ExtractionResult(incidents=record.incidents,
                                                    actors=record.actors), registry, gazetteer)
    pred = process(record.article, prediction or ExtractionResult(), registry, gazetteer)
    actors = ActorMap(gold, pred)
    matching = match_incidents(pred.incidents, gold.incidents, actors, threshold)
    scores = score_case(ArticleCase(gold=gold, pred=pred, actors=actors, matching=matching))
    if status is None:
        status = "ok" if prediction is not None else "failed"
    return ArticleEval(record.article.id, record.article.title, status, scores, matching,
                       gold, pred)


def evaluate(records: Sequence[GoldRecord], predictions: Mapping[str, ExtractionResult | None],
             registry: ActorRegistry, gazetteer: Gazetteer, *,
             threshold: float = THRESHOLD,
             event_keys: Mapping[str, str] | None = None) -> Evaluation:
    """Score every gold record against ``predictions`` (article id -> result).

    An id mapped to None is a failed extraction; an id absent from the mapping has no stored
    prediction. Both are scored as empty predictions, and reported by status. ``event_keys``
    (incident key -> gold event) defaults to the ``event`` keys of the records' incidents.
    """
    articles = []
    for record in records:
        article_id = record.article.id
        status = "ok" if predictions.get(article_id) is not None else (
            "failed" if article_id in predictions else "missing")
        articles.append(evaluate_article(record, predictions.get(article_id), registry,
                                         gazetteer, status=status, threshold=threshold))
    totals = micro([a.scores for a in articles])
    # Grouping into events is scored across articles (extractor/evals/events.py).
    keys = gold_event_keys(records) if event_keys is None else event_keys
    if keys:  # only gold sets that say which incidents are one event
        totals.update(score_events(articles, keys))
    return Evaluation(articles, totals, threshold)
