"""A small database as the pipeline writes it, and helpers to read it through Datasette:
shared by the browsing tests (test_browse, test_browse_columns, test_serve)."""

from __future__ import annotations

import asyncio
import hashlib
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

from extractor.backend import BackendResult
from extractor.resolve.gazetteer import Gazetteer
from extractor.resolve.postprocess import process
from extractor.resolve.registry import ActorRegistry
from extractor.schemas import (
    Actor,
    Article,
    CasualtyClaim,
    ExtractionResult,
    Incident,
    article_id_for,
)
from extractor.store.database import Store, open_db
from extractor.store.rows import ExtractionRecord

# Written for these tests. The second paragraph has markup in it, which must reach the page
# escaped.
TINZAOUATEN = (
    "BAMAKO, July 29 - Rebels of the Adrar Youth Front said on Monday that they killed 47 Malian "
    "soldiers and dozens of Wagner Group fighters in three days of fighting near Tinzaouaten, "
    "close to the Algerian border.\n\n"
    "The Malian army said two of its soldiers were killed. A spokesman called the rebel figures "
    "<script>alert('propaganda')</script> & \"lies\".\n\n"
    "In November last year, a drone strike by the Malian Armed Forces hit Kidal, killing "
    "four civilians."
)
KIDAL = (
    "GAO, June 14 - Fighters of JNIM ambushed an Africa Corps convoy near Kidal on Thursday, "
    "local officials said. Several soldiers were killed, according to the officials."
)
FAILED_TEXT = "A short dispatch that the model could not turn into records."

REPO = Path(__file__).resolve().parents[1]
FABRICATED = "The rebels captured the airport of Tinzaouaten after a long siege."


def _article(text: str, title: str, published: date) -> Article:
    return Article(id=article_id_for(text), title=title, published=published, source="Wire",
                   text=text)


def _results() -> list[tuple[Article, ExtractionResult | None]]:
    tinzaouaten = _article(TINZAOUATEN, "Rebels claim heavy losses near Tinzaouaten",
                           date(2024, 7, 29))
    kidal = _article(KIDAL, "Convoy ambushed near Kidal", date(2024, 6, 14))
    failed = _article(FAILED_TEXT, "Unreadable dispatch", date(2024, 8, 1))
    clash = Incident(
        summary="Adrar Youth Front rebels fought Malian soldiers and Wagner Group fighters near "
                "Tinzaouaten.",
        event_type="battles", sub_event_type="armed_clash",
        date_text="three days of fighting", date_start=date(2024, 7, 25),
        date_end=date(2024, 7, 27), place="Tinzaouaten", country="Mali",
        geo_precision="near_place",
        perpetrators=["Adrar Youth Front"], targets=["Malian Armed Forces", "Wagner Group"],
        claimed_by=["Adrar Youth Front"],
        casualties=[
            CasualtyClaim(kind="killed", count_text="47", count_min=47, count_max=47,
                          victims="Malian Armed Forces", source="Adrar Youth Front"),
            CasualtyClaim(kind="killed", count_text="two", count_min=2, count_max=2,
                          victims="Malian Armed Forces", source="the Malian army"),
            CasualtyClaim(kind="killed", count_text="dozens", count_min=12,
                          victims="Wagner Group", source="Adrar Youth Front"),
        ],
        sources=["Adrar Youth Front", "the Malian army"],
        evidence=[
            "they killed 47 Malian soldiers and dozens of Wagner Group fighters",
            "The Malian army said two of its soldiers were killed.",
            # Typed with a small slip: aligns fuzzily.
            "three days of fighting near Tinzaouaten, close to the Algerien border",
            FABRICATED,
        ],
    )
    background = Incident(
        summary="A Malian Armed Forces drone strike hit Kidal, killing four civilians.",
        event_type="explosions_remote_violence", sub_event_type="air_drone_strike",
        date_text="November last year", date_start=date(2023, 11, 1),
        date_end=date(2023, 11, 30), place="Kidal", country="Mali", geo_precision="place",
        perpetrators=["Malian Armed Forces"], targets=["civilians"],
        casualties=[CasualtyClaim(kind="killed", count_text="four", count_min=4, count_max=4,
                                  victims="civilians")],
        weapons=["drone"], is_background=True,
        evidence=["a drone strike by the Malian Armed Forces hit Kidal, killing four civilians"],
    )
    ambush = Incident(
        summary="JNIM fighters ambushed an Africa Corps convoy near Kidal.",
        event_type="battles", sub_event_type="armed_clash",
        date_text="Thursday", date_start=date(2024, 6, 13), date_end=date(2024, 6, 13),
        place="Kidal", country="Mali", geo_precision="near_place",
        perpetrators=["JNIM"], targets=["Africa Corps"],
        casualties=[CasualtyClaim(kind="killed", count_text="Several", count_min=3,
                                  victims="Africa Corps", source="local officials")],
        sources=["local officials"],
        evidence=["Fighters of JNIM ambushed an Africa Corps convoy near Kidal on Thursday"],
    )
    return [
        (tinzaouaten, ExtractionResult(
            incidents=[clash, background],
            actors=[Actor(name="Adrar Youth Front", actor_type="rebel_group", country="Mali"),
                    Actor(name="Malian Armed Forces", actor_type="state_forces"),
                    Actor(name="Wagner Group", actor_type="external_forces"),
                    Actor(name="civilians", actor_type="civilians")])),
        (kidal, ExtractionResult(
            incidents=[ambush],
            actors=[Actor(name="JNIM", actor_type="rebel_group"),
                    Actor(name="Africa Corps", actor_type="external_forces")])),
        (failed, None),
    ]


def build_sample_db(path: Path) -> Path:
    """A database as the pipeline writes it: three articles, three incidents, one failure."""
    store = Store(open_db(path))
    registry, gazetteer = ActorRegistry.load(), Gazetteer.load()
    run_id = store.start_run(command="test", model="test-model", prompt_name="extract",
                             prompt_hash="p", schema_hash="s", settings={})
    pairs = _results()
    store.add_articles((article, f"sample/{index}.txt")
                       for index, (article, _) in enumerate(pairs))
    records = []
    for article, result in pairs:
        if result is None:
            outcome = BackendResult(result=None, error="incidents.0.event_type: not a valid "
                                    "event type", error_kind="validation", attempts=3)
            processed = None
        else:
            outcome = BackendResult(result=result)
            processed = process(article, result, registry, gazetteer)
        records.append(ExtractionRecord(
            key=f"key{article.id[:8]}", article=article, run_id=run_id, model="test-model",
            prompt_hash="p", schema_hash="s", params_hash="h", outcome=outcome,
            processed=processed))
    store.save(records)
    store.finish_run(run_id, {"incidents": 3}, "completed")
    store.close()
    return path


def get(datasette: Any, path: str) -> Any:
    async def fetch() -> Any:
        return await datasette.client.get(path)

    return asyncio.run(fetch())


def get_json(datasette: Any, path: str) -> Any:
    response = get(datasette, path)
    assert response.status_code == 200, (path, response.text[:500])
    return response.json()


def incident_id(db_path: Path, place: str, background: bool = False) -> str:
    db = open_db(db_path)
    try:
        return db.execute("select id from incidents where place = ? and is_background = ?",
                          [place, int(background)]).fetchone()[0]
    finally:
        db.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def unrelated_sqlite(path: Path) -> Path:
    """Someone else's SQLite file: one table, rollback journal."""
    with sqlite3.connect(path) as conn:
        conn.execute("create table notes (id integer primary key, text text)")
        conn.execute("insert into notes (text) values ('mine')")
    conn.close()
    return path


