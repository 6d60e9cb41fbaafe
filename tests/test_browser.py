"""End to end in a real browser: extract the example articles, evaluate the gold set, start
``extractor serve`` and look at the pages in headless Chromium (DOM after JavaScript, and
screenshots saved under tests/artifacts/).

Needs Debian's ``chromium`` (``scripts/ensure-chromium`` installs it). Without it these tests
skip, except under ``CI``, where they fail.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from browser_support import (
    CHROMIUM_OWN_HOSTS,
    INVENTED,
    Site,
    find_chromium,
    parse,
    recording_proxy,
    run_cli,
    serve,
)

from extractor.browse import SETTINGS

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    chromium = find_chromium()
    work = tmp_path_factory.mktemp("browser")
    db_path = work / "incidents.db"
    extracted = run_cli("extract", "examples/articles", "--db", str(db_path), "--model",
                        "baseline")
    assert extracted.returncode == 0, extracted.stderr[-2000:]
    eval_problem = None
    for _ in range(2):  # two eval runs to compare (the second reuses the cached extractions)
        evaluated = run_cli("eval", "evals/gold", "--db", str(db_path), "--model", "baseline")
        if evaluated.returncode != 0:
            eval_problem = f"`extractor eval` failed: {evaluated.stderr.strip()[-500:]}"
            break
    with serve(db_path) as server, recording_proxy(urlsplit(server.base).netloc) as proxy:
        yield Site(db_path, server.base, "incidents", eval_problem, chromium, work, proxy)


def test_incidents_page(site: Site) -> None:
    count = site.query("select count(*) from incidents")[0][0]
    assert count > 0
    html = site.dom(f"/{site.database}/incidents")
    page = parse(html)
    assert len(page.with_class("evidence-link")) == min(count, SETTINGS["default_page_size"])
    # The plugin's script folded the column descriptions away.
    assert page.with_class("column-descriptions-toggle")
    summary = site.query("select summary from incidents order by date_start desc limit 1")[0][0]
    assert str(summary).split(" ")[-1].rstrip(".") in html
    site.screenshot(f"/{site.database}/incidents", "incidents.png")


def test_incident_evidence_is_highlighted_in_its_article(site: Site) -> None:
    rows = site.query(
        """select incidents.id, articles.text from incidents
           join articles on articles.id = incidents.article_id
           where exists (select 1 from evidence where evidence.incident_id = incidents.id
                         and alignment != 'unaligned')
           order by incidents.date_start desc limit 1""")
    assert rows, "the example articles gave no incident with aligned evidence"
    incident_id, text = rows[0]
    # As a model would: a quote the article does not contain (the baseline never makes one).
    with sqlite3.connect(site.db_path) as conn:
        conn.execute(
            """insert into evidence (id, incident_id, article_id, extraction_id, run_id, model,
                 prompt_hash, schema_hash, position, quote, start, end, alignment, score)
               select incident_id || '-invented', incident_id, article_id, extraction_id,
                 run_id, model, prompt_hash, schema_hash, max(position) + 1, ?, null, null,
                 'unaligned', 12.5
               from evidence where incident_id = ?""", (INVENTED, incident_id))
        conn.execute("update incidents set evidence_status = 'partial' where id = ?",
                     (incident_id,))
    evidence = site.query(
        "select position, start, end, alignment from evidence where incident_id = ? "
        "order by position", (incident_id,))
    html = site.dom(f"/-/incident/{incident_id}")
    page = parse(html)
    marked: dict[str, str] = {}
    for attributes, inner in page.texts:
        for number in attributes.get("data-evidence", "").split():
            marked[number] = marked.get(number, "") + inner
    for position, start, end, alignment in evidence:
        number = str(int(position) + 1)  # type: ignore[call-overload]
        if alignment == "unaligned":
            assert number not in marked
        else:
            assert marked[number] == str(text)[int(start):int(end)]  # type: ignore
    assert marked, "no <mark> in the page"
    not_found = html.split('<section class="not-found">')[1].split("</section>")[0]
    assert "not found in the article" in not_found and INVENTED in not_found
    assert INVENTED not in "".join(marked.values())
    site.screenshot(f"/-/incident/{incident_id}", "incident-evidence.png")


def test_map_of_incidents(site: Site) -> None:
    located = site.query(
        "select count(*) from incident_overview where latitude is not null")[0][0]
    assert located > 0
    html = site.dom(f"/{site.database}/incident_overview")
    page = parse(html, text_of="span")
    markers = page.with_class("leaflet-marker-icon")
    assert markers, "no Leaflet marker in the page"
    # Clusters show how many incidents they hold; single markers hold one.
    cluster_counts = [int(text) for attributes, text in page.texts if text.strip().isdigit()
                      and attributes == {}]
    singles = [m for m in markers if "marker-cluster" not in m.get("class", "")]
    # The events layer (every incident's event, at its most precise report) is drawn too.
    events = site.query("select count(*) from events where latitude is not null")[0][0]
    assert len(singles) + sum(cluster_counts) == located + events
    singles = [m for m in singles if "incident" in m["class"].split()]
    # Each pin says how precisely its place is known; no pin stands for more incidents of a
    # precision than the database has.
    located_by_code = dict(site.query(
        "select geo_precision_code, count(*) from incident_overview "
        "where latitude is not null group by 1"))
    codes = [next(c.removeprefix("precision-") for c in m["class"].split()
                  if c.startswith("precision-")) for m in singles]
    assert all(f"extractor-pin incident precision-{code}" in m["class"]
               for code, m in zip(codes, singles, strict=True))
    for code in set(codes):
        assert codes.count(code) <= located_by_code[int(code)]
    assert page.with_class("extractor-map-legend")
    assert page.with_class("leaflet-control-layers")  # incidents and events, each a layer
    # Without facets the map is in the first screenful.
    site.screenshot(f"/{site.database}/incident_overview?_nofacet=1", "map.png")


def test_map_tiles_come_from_the_local_server_and_nothing_leaves(site: Site) -> None:
    server = urlsplit(site.base).netloc
    site.proxy.requests.clear()
    html = site.dom(f"/{site.database}/incident_overview")
    requests = list(site.proxy.requests)
    elsewhere = [(method, host, path) for method, host, path, _ in requests
                 if host != server and host not in CHROMIUM_OWN_HOSTS]
    assert elsewhere == [], f"the page asked for more than 127.0.0.1: {elsewhere}"
    tiles = [(path, status) for method, host, path, status in requests
             if host == server and path.startswith("/-/tiles/basemap/")]
    assert tiles, f"no tile was requested; requests: {requests}"
    assert all(status == 200 for _, status in tiles), tiles
    # The tiles are in the page, loaded (Leaflet marks a tile once its image arrived).
    page = parse(html, text_of="img")
    shown = page.with_class("leaflet-tile")
    assert shown and all(a["src"].startswith("/-/tiles/basemap/") for a in shown)
    assert all("leaflet-tile-loaded" in a["class"].split() for a in shown)


def test_eval_run_pages(site: Site) -> None:
    assert not site.eval_problem, site.eval_problem  # the fixture's eval runs must succeed
    runs = site.query("select id, incidents_f1 from eval_runs order by id desc")
    assert runs, "the eval tables hold no run"
    run_id, f1 = runs[0]
    html = site.dom(f"/{site.database}/eval_runs/{run_id}")
    assert "incidents_f1" in html and str(f1) in html
    html = site.dom(f"/{site.database}/eval_runs_compared")
    page = parse(html, text_of="td")
    def column(name: str) -> list[str]:
        return [text.strip() for attributes, text in page.texts
                if attributes.get("class", "").split()[:1] == [f"col-{name}"]]

    stored = [row[0] for row in site.query(
        "select field from eval_scores where eval_run_id = ? order by field", (run_id,))]
    assert column("field") == stored
    assert set(column("run_b")) == {str(run_id)}
    if len(runs) > 1:
        assert set(column("run_a")) == {str(runs[1][0])}
        in_a = {row[0] for row in site.query(  # a score can be undefined: no pair predicted
            "select field from eval_scores where eval_run_id = ? and score is not null",
            (runs[1][0],))}
        assert all(bool(score) == (field in in_a)
                   for field, score in zip(column("field"), column("score_a"), strict=True))
    site.screenshot(f"/{site.database}/eval_runs_compared", "eval-runs-compared.png")
