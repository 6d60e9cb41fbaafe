"""The front door and the overview map with events, in headless Chromium: the home page leads
to the map, the events, the runs, the failed extractions and the review queue; the overview
map shows the events (as `extract` grouped them, one merged by hand) as a layer of their own
beside the incidents pinned by precision."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
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
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The example articles extracted by the baseline and grouped into events, two of them
    merged by hand (the analyst's override) into one event told by two articles."""
    chromium = find_chromium()
    work = tmp_path_factory.mktemp("front-door")
    db_path = work / "incidents.db"
    result = run_cli("extract", "examples/articles", "--db", str(db_path), "--model",
                     "baseline")
    assert result.returncode == 0, result.stderr[-2000:]
    with sqlite3.connect(db_path) as conn:
        first, second = conn.execute(
            "select min(event_id) from incidents where latitude is not null "
            "group by article_id order by 1 limit 2").fetchall()
    merged = run_cli("events", "merge", first[0], second[0], "--db", str(db_path))
    assert merged.returncode == 0, merged.stderr[-2000:]
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
    assert [e for e in events if "leaflet-marker-icon" in e["class"]], "no event pin"
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
