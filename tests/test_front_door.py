"""The front door (Datasette's home page for an extractor database), the review queue, and
events: an event is written here into the ``events`` table as the event-grouping layer
stores one (its reconciled fields), and linked from its incidents."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from browse_sample import build_sample_db, get, get_json, incident_id

from extractor.browse import PLUGINS_DIR, TEMPLATES_DIR, create_datasette
from extractor.review.table import Action
from extractor.review.writer import Review, ReviewWriter


@pytest.fixture(scope="module")
def sample_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample_db(tmp_path_factory.mktemp("front") / "incidents.db")


@pytest.fixture
def sample_db(tmp_path: Path, sample_template: Path) -> Path:
    return Path(shutil.copy(sample_template, tmp_path / "incidents.db"))


def add_events(db_path: Path) -> None:
    """One event reported by two incidents of different articles (the Kidal drone strike and
    the Kidal ambush stand in for two reports of one event), with the fields the events layer
    reconciles: the widest dates of its reports here, and the point of its most precise one."""
    with sqlite3.connect(db_path) as conn:
        conn.row_factory = sqlite3.Row
        reports = conn.execute("select * from incidents where place = 'Kidal' "
                               "order by geo_precision_code, id").fetchall()
        best = reports[0]
        conn.execute(
            "insert into events (id, number, event_type, sub_event_type, date_start, date_end,"
            " place, admin1, country, geo_precision_code, latitude, longitude, fatalities,"
            " reports, articles) values (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ("ev-kidal", best["event_type"], best["sub_event_type"],
             min(r["date_start"] for r in reports), max(r["date_end"] for r in reports),
             best["place"], best["admin1"], best["country"], best["geo_precision_code"],
             best["latitude"], best["longitude"], min(r["fatalities"] for r in reports),
             len(reports), len({r["article_id"] for r in reports})))
        conn.execute("update incidents set event_id = 'ev-kidal' where place = 'Kidal'")


def doors(html: str) -> list[tuple[str, str, int]]:
    """The front door's links: (title, href, count)."""
    section = html.split('<section class="front-door"')[1].split("</section>")[0]
    return [(title, href, int(count.replace(",", ""))) for href, title, count in re.findall(
        r'<a href="([^"]+)">([^<]+)</a> <span class="front-door-count">\(([\d,]+)\)</span>',
        section)]


def test_the_home_page_leads_to_the_overview_runs_failures_and_review_queue(
        sample_db: Path) -> None:
    html = get(create_datasette(sample_db), "/").text
    assert doors(html) == [
        ("Overview map", "/incidents/incident_overview", 3),
        ("Events", "/incidents/events", 0),  # nothing grouped in this sample yet
        ("Events on the map", "/incidents/event_overview", 0),
        ("Runs", "/incidents/runs", 1),
        ("Failed extractions", "/incidents/failed_extractions", 1),
        ("Review queue", "/incidents/review_queue", 3),
    ]


def test_every_door_opens(sample_db: Path) -> None:
    add_events(sample_db)
    datasette = create_datasette(sample_db)
    for title, href, _ in doors(get(datasette, "/").text):
        assert get(datasette, href).status_code == 200, title


def test_the_review_queue_lists_incidents_not_yet_reviewed(sample_db: Path) -> None:
    reviewed = incident_id(sample_db, "Kidal")
    writer = ReviewWriter(sample_db)
    writer.add(Review(Action.reject, "a", "analyst", reviewed, "e"))
    writer.close()
    datasette = create_datasette(sample_db)
    rows = get_json(datasette, "/incidents/review_queue.json?_shape=array")
    assert len(rows) == 2 and reviewed not in {row["incident_id"] for row in rows}
    assert ("Review queue", "/incidents/review_queue", 2) in doors(get(datasette, "/").text)
    # each row leads to the incident's page, where it is reviewed
    page = get(datasette, "/incidents/review_queue").text
    assert f'href="/-/incident/{rows[0]["incident_id"]}"' in page


def test_with_events_the_front_door_and_the_map_show_them(sample_db: Path) -> None:
    add_events(sample_db)
    datasette = create_datasette(sample_db)
    found = doors(get(datasette, "/").text)
    assert ("Events", "/incidents/events", 1) in found
    assert ("Events on the map", "/incidents/event_overview", 1) in found
    assert [title for title, _, _ in found].index("Events") == 1  # right after the map
    html = get(datasette, "/incidents/incident_overview").text
    assert '"events": "/incidents/event_overview.json?_shape=objects"' in html
    (event,) = get_json(datasette, "/incidents/event_overview.json?_shape=array")
    assert (event["event_id"], event["incidents"], event["articles"]) == ("ev-kidal", 2, 2)
    assert (event["first_date"], event["last_date"]) == ("2023-11-01", "2024-06-13")
    # placed at its most precise incident: the drone strike on Kidal itself (code 1)
    kidal = get_json(datasette, "/incidents/incidents.json?_shape=array&place=Kidal"
                                "&geo_precision_code=1")[0]
    assert (event["latitude"], event["longitude"], event["geo_precision_code"]) == (
        kidal["latitude"], kidal["longitude"], 1)


def test_a_database_without_incidents_gets_no_front_door(tmp_path: Path) -> None:
    other = tmp_path / "notes.db"
    with sqlite3.connect(other) as conn:
        conn.execute("create table notes (text)")
    from datasette.app import Datasette

    datasette: Any = Datasette([str(other)], plugins_dir=str(PLUGINS_DIR),
                               template_dir=str(TEMPLATES_DIR))
    html = get(datasette, "/").text
    assert "notes" in html and 'class="front-door"' not in html
