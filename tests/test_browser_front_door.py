"""The front door and the overview map with events, in headless Chromium: the home page leads
to the map, the events, the runs, the failed extractions and the review queue; with an
``events`` table (made here as the event-grouping layer makes it) the overview map shows the
events as a layer of their own beside the incidents pinned by precision."""

from __future__ import annotations

import shutil
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser_support import (
    CHROMIUM_FLAGS,
    Site,
    find_chromium,
    free_port,
    parse,
    recording_proxy,
    run_cli,
    serve,
)
from webdriver import Browser

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example articles extracted by the baseline, without events."""
    db_path = tmp_path_factory.mktemp("front-door") / "plain.db"
    result = run_cli("extract", "examples/articles", "--db", str(db_path), "--model",
                     "baseline")
    assert result.returncode == 0, result.stderr[-2000:]
    return db_path


@pytest.fixture(scope="module")
def site(extracted: Path) -> Iterator[Site]:
    chromium = find_chromium()
    work = extracted.parent
    db_path = Path(shutil.copy(extracted, work / "incidents.db"))
    with sqlite3.connect(db_path) as conn:
        # Two located incidents of two articles reported as one event, and one other event.
        first, second = conn.execute(
            "select min(id) from incidents where latitude is not null group by article_id "
            "order by 1 limit 2").fetchall()
        conn.execute("create table events (id text primary key, label text)")
        conn.executemany("insert into events values (?, ?)",
                         [("ev-1", "reported twice"), ("ev-2", "reported once")])
        conn.execute("alter table incidents add column event_id text references events(id)")
        conn.executemany("update incidents set event_id = ? where id = ?",
                         [("ev-1", first[0]), ("ev-1", second[0])])
        third = conn.execute("select id from incidents where latitude is not null and "
                             "event_id is null order by id limit 1").fetchone()
        conn.execute("update incidents set event_id = 'ev-2' where id = ?", third)
    with serve(db_path) as server, recording_proxy(urlsplit(server.base).netloc) as proxy:
        yield Site(db_path, server.base, "incidents", None, chromium, work, proxy)


def test_the_front_door(site: Site) -> None:
    html = site.dom("/")
    section = html.split('<section class="front-door"')[1].split("</section>")[0]
    links = [a["href"] for tag, a in parse(section, text_of="a").tags if tag == "a"]
    assert links == ["/incidents/incident_overview", "/incidents/events",
                     "/incidents/event_overview", "/incidents/runs",
                     "/incidents/failed_extractions", "/incidents/review_queue"]
    site.screenshot("/", "front-door.png")


def test_the_overview_shows_events_beside_incidents(site: Site) -> None:
    html = site.dom(f"/{site.database}/incident_overview")
    page = parse(html, text_of="span")
    events = page.with_class("event")
    assert len([e for e in events if "leaflet-marker-icon" in e["class"]]) == 2
    assert page.with_class("leaflet-control-layers")  # incidents and events toggle
    labels = parse(html, text_of="span").texts
    assert any(text.strip() == "Events" for _, text in labels)
    incidents = [m for m in page.with_class("incident") if "leaflet-marker-icon" in m["class"]]
    assert incidents, "no incident pin"
    site.screenshot(f"/{site.database}/incident_overview?_nofacet=1", "map-events.png")


# Where each pin is drawn, relative to the map, once the map has drawn its pins.
PIN_BOXES = """
const map = document.querySelector(".extractor-map");
if (!map || !document.querySelector(".extractor-map-legend")) return null;
const box = map.getBoundingClientRect();
return [...map.querySelectorAll(".extractor-pin")].map((pin) => {
  const r = pin.getBoundingClientRect();
  return {kind: pin.classList.contains("event") ? "event" : "incident",
          inside: r.left >= box.left && r.right <= box.right && r.top >= box.top &&
                  r.bottom <= box.bottom,
          // a pin turned by CSS is moved by its own rotation off where Leaflet placed it
          upright: Math.abs(r.width - pin.offsetWidth) < 0.5};
});
"""


def test_every_pin_is_drawn_inside_the_map(site: Site) -> None:
    from test_browser_review import chromedriver

    browser = Browser(chromedriver(), site.chromium, [*CHROMIUM_FLAGS, *site.proxy.flags,
                                                      "--window-size=1400,1000"], free_port())
    try:
        browser.get(f"{site.base}/{site.database}/incident_overview?_nofacet=1")
        deadline = time.monotonic() + 20
        while (pins := browser.script(PIN_BOXES)) is None:
            assert time.monotonic() < deadline, "the map drew no legend"
            time.sleep(0.2)
    finally:
        browser.quit()
    assert {pin["kind"] for pin in pins} == {"incident", "event"}
    assert all(pin["inside"] and pin["upright"] for pin in pins), pins


def test_the_front_door_without_events(site: Site, extracted: Path, tmp_path: Path) -> None:
    plain = extracted
    with serve(plain) as server, recording_proxy(urlsplit(server.base).netloc) as proxy:
        other = Site(plain, server.base, "plain", None, site.chromium, tmp_path, proxy)
        section = other.dom("/").split('<section class="front-door"')[1].split("</section>")[0]
        assert "/plain/incident_overview" in section
        assert "events" not in section.lower()
        html = other.dom("/plain/incident_overview")
        assert not parse(html).with_class("event")
