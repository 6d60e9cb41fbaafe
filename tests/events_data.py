"""Stored incidents for the events and export tests, written through the real store.

Each helper article is processed by the project's own post-processing (actor registry,
gazetteer, derived fatalities) and saved by ``Store.save``, as an extraction would be.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from extractor.backend import BackendResult
from extractor.resolve.gazetteer import Gazetteer
from extractor.resolve.postprocess import process
from extractor.resolve.registry import ActorRegistry
from extractor.schemas import Article, ExtractionResult, article_id_for
from extractor.store.database import Store, extraction_key
from extractor.store.rows import ExtractionRecord

REGISTRY = ActorRegistry.load()
GAZETTEER = Gazetteer.load()


def incident(summary: str, *, event_type: str = "violence_against_civilians",
             sub_event_type: str = "attack", day: str | None = "2022-03-27",
             end: str | None = None, place: str | None = "Moura",
             geo_precision: str = "place", country: str | None = "Mali",
             admin1: str | None = None, perpetrators: tuple[str, ...] = (),
             targets: tuple[str, ...] = (), claimed_by: tuple[str, ...] = (),
             killed: tuple[tuple[int, str | None, str | None], ...] = (),
             sources: tuple[str, ...] = (), evidence: tuple[str, ...] = (),
             is_background: bool = False) -> dict[str, Any]:
    """An Incident as a dict; ``killed`` holds (count, victims, source) figures."""
    return {
        "summary": summary, "event_type": event_type, "sub_event_type": sub_event_type,
        "date_text": day, "date_start": day, "date_end": end or day, "place": place,
        "admin1": admin1, "country": country, "geo_precision": geo_precision,
        "perpetrators": list(perpetrators), "targets": list(targets),
        "claimed_by": list(claimed_by),
        "casualties": [{"kind": "killed", "count_text": str(count), "count_min": count,
                        "count_max": count, "victims": victims, "source": source}
                       for count, victims, source in killed],
        "weapons": [], "sources": list(sources), "is_background": is_background,
        "evidence": list(evidence),
    }


ACTORS = {
    "Malian Armed Forces": "state_forces", "Wagner Group": "external_forces",
    "civilians": "civilians", "Jama'at Nasr al-Islam wal Muslimin": "rebel_group",
    "Islamic State Sahel Province": "rebel_group", "Africa Corps": "external_forces",
}


def save_article(store: Store, text: str, incidents: list[dict[str, Any]], *,
                 source: str = "AFP", published: str = "2022-04-01",
                 model: str = "baseline", run_id: int | None = None) -> str:
    """Store one article and its extraction; returns the extraction key."""
    article = Article(id=article_id_for(text), title=text[:40], url=None,
                      published=date.fromisoformat(published), source=source, text=text)
    names = {name for item in incidents
             for name in (*item["perpetrators"], *item["targets"], *item["claimed_by"])}
    result = ExtractionResult.model_validate({
        "incidents": incidents,
        "actors": [{"name": name, "aliases": [], "actor_type": ACTORS.get(name, "rebel_group"),
                    "country": None, "affiliation": None} for name in sorted(names)],
    })
    if run_id is None:
        run_id = store.start_run(command="test", model=model, prompt_name="extract",
                                 prompt_hash="p1", schema_hash="s1", settings={})
    store.add_articles([(article, "test")])
    key = extraction_key(article.id, model, "p1", "s1", {})
    store.save([ExtractionRecord(
        key=key, article=article, run_id=run_id, model=model, prompt_hash="p1",
        schema_hash="s1", params_hash="h1", outcome=BackendResult(result=result),
        processed=process(article, result, REGISTRY, GAZETTEER))])
    return key
