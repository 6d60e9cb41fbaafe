"""The review loop in headless Chromium: ``serve --review`` prints a login URL; the analyst
opens it, accepts one incident, corrects a field of another, adds a missed incident by
selecting its quote in the article; ``gold export`` writes the reviewed article, ``gold check``
accepts it and ``eval`` scores against it.

Chromium is driven through Debian's ``chromedriver`` (W3C WebDriver, tests/webdriver.py), and
all its requests go through the recording proxy: nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser_support import (
    ARTIFACTS,
    CHROMIUM_FLAGS,
    CHROMIUM_OWN_HOSTS,
    RecordingProxy,
    chromedriver,
    find_chromium,
    free_port,
    recording_proxy,
    run_cli,
    serve,
)
from webdriver import Browser

pytestmark = pytest.mark.browser

# The example article on the Tinzaouaten battle; the baseline finds two incidents in it (the
# capture of Kidal and the ambush) and misses the killing of Wagner fighters in Mozambique.
ARTICLE_WORDS = "hoisted their flag over the city"
MISSED = "like it did in Mozambique following the killing of several fighters in that country"
# Select it in the article text, across whatever highlights it crosses.
SELECT_QUOTE = """
const [article, quote] = [document.querySelector(".article-text"), arguments[0]];
const start = article.textContent.indexOf(quote);
if (start < 0) return false;
const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
const range = document.createRange();
let seen = 0, node;
while ((node = walker.nextNode())) {
  const length = node.textContent.length;
  if (seen <= start && start < seen + length) range.setStart(node, start - seen);
  if (seen < start + quote.length && start + quote.length <= seen + length) {
    range.setEnd(node, start + quote.length - seen);
    break;
  }
  seen += length;
}
const selection = document.getSelection();
selection.removeAllRanges();
selection.addRange(range);
return true;
"""


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db_path = tmp_path_factory.mktemp("review") / "incidents.db"
    extracted = run_cli("extract", "examples/articles", "--db", str(db_path), "--model",
                        "baseline")
    assert extracted.returncode == 0, extracted.stderr[-2000:]
    return db_path


@pytest.fixture
def browser(database: Path) -> Iterator[tuple[Browser, str, RecordingProxy]]:
    """A Chromium session, the login URL serve printed, and the proxy all requests go through."""
    chromium, driver = find_chromium(), chromedriver()
    with serve(database, "--review", "--reviewer", "analyst") as server, \
            recording_proxy(urlsplit(server.base).netloc) as proxy:
        login = server.printed(r"http://\S+token=\S+")
        session = Browser(driver, chromium, [*CHROMIUM_FLAGS, *proxy.flags,
                                             "--window-size=1400,1000"], free_port())
        try:
            yield session, login[0], proxy
        finally:
            session.quit()


def reviewed(chromium: Browser, expected: str) -> str:
    """The page a review form led back to, once it shows ``expected`` (a click returns before
    the form's navigation ends); fails with the page's error message if it shows one."""
    deadline = time.monotonic() + 20
    while True:
        source = chromium.source
        error = re.search(r'class="message-error review-error">([^<]*)<', source)
        assert error is None, f"the review was refused: {error[1] if error else ''}"
        if expected in source:
            return source
        assert time.monotonic() < deadline, f"the page never showed {expected!r}"
        time.sleep(0.1)


def query(db: Path, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as conn:
        return list(conn.execute(sql, params))


def test_review_loop(browser: tuple[Browser, str, RecordingProxy], database: Path,
                     tmp_path: Path) -> None:
    chromium, login, proxy = browser
    rows = query(database, """
        select incidents.id, incidents.place, articles.text from incidents
        join articles on articles.id = incidents.article_id
        where articles.text like ? order by incidents.position""",
                 (f"%{ARTICLE_WORDS}%",))
    assert len(rows) == 2, rows
    (accepted, _, text), (corrected, place, _) = rows
    base = login.split("/-/")[0]

    chromium.get(login)  # the token sets the signed login cookie and leads to the front door
    assert urlsplit(chromium.url).path == "/"

    chromium.get(f"{base}/-/incident/{accepted}")
    assert "Reviewing as <strong>analyst</strong>" in chromium.source
    chromium.click("button.review-accept")
    reviewed(chromium, 'class="review-latest">accept</strong>')

    chromium.get(f"{base}/-/incident/{corrected}")
    chromium.click("details.review-correct-details summary")
    chromium.type(".review-form input[name=place]", "Tinzaouaten, near the Algerian border")
    chromium.click("button.review-correct")
    reviewed(chromium, 'class="review-latest">correct</strong>')

    # A missed incident: select its quote in the article, fill in the form, add it.
    quote = MISSED
    assert quote in str(text)
    chromium.get(f"{base}/-/incident/{accepted}")
    assert chromium.script(SELECT_QUOTE, quote)
    assert chromium.script("return document.querySelector('.review-quote').value") == quote
    chromium.type(".review-add-form textarea[name=summary]",
                  "Several Wagner fighters were killed in Mozambique.")
    chromium.type(".review-add-form input[name=country]", "Mozambique")
    chromium.click(".review-add-form input[name=is_background]")
    chromium.script("""const form = document.querySelector('.review-add-form');
        form.elements.event_type.value = 'battles';
        form.elements.sub_event_type.value = 'armed_clash';
        form.elements.geo_precision.value = 'country';""")
    chromium.click("button.review-add")
    reviewed(chromium, "Added by review (1)")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    chromium.screenshot(ARTIFACTS / "review.png")
    server = urlsplit(base).netloc
    elsewhere = [(m, h, p) for m, h, p, _ in proxy.requests
                 if h != server and h not in CHROMIUM_OWN_HOSTS]
    assert elsewhere == [], f"the pages asked for more than 127.0.0.1: {elsewhere}"
    posts = [(p.split("/")[3], status) for m, h, p, status in proxy.requests
             if m == "POST" and h == server]
    assert posts == [("incident", 302), ("incident", 302), ("add", 302)]

    stored = query(database, "select incident_id, action, patch, before, reviewer from reviews "
                             "order by id")
    assert [(r[0], r[1], r[4]) for r in stored] == [
        (accepted, "accept", "analyst"), (corrected, "correct", "analyst"),
        (None, "add", "analyst")]
    assert json.loads(str(stored[1][2])) == {"place": "Tinzaouaten, near the Algerian border"}
    assert json.loads(str(stored[1][3])) == {"place": place}
    assert json.loads(str(stored[2][2]))["evidence"] == [quote]
    assert query(database, "select place from incidents where id = ?", (corrected,)) == \
        [(place,)]  # the extracted row is unchanged

    gold = tmp_path / "reviewed.jsonl"
    exported = run_cli("gold", "export", "--db", str(database), "-o", str(gold))
    assert exported.returncode == 0, exported.stdout + exported.stderr
    (record,) = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines()]
    assert [i["place"] for i in record["incidents"]] == [
        rows[0][1], "Tinzaouaten, near the Algerian border", None]
    checked = run_cli("gold", "check", str(gold))
    assert checked.returncode == 0, checked.stdout
    assert "1 articles, 3 incidents" in checked.stdout
    evaluated = run_cli("eval", str(gold), "--db", str(tmp_path / "eval.db"), "--model",
                        "baseline", "--json", "-q")
    assert evaluated.returncode == 0, evaluated.stderr[-2000:]
    report = json.loads(evaluated.stdout)
    assert [a["gold_incidents"] for a in report["articles"]] == [3]
    assert 0 < report["incidents"]["recall"] < 1  # the added incident is one the baseline missed
