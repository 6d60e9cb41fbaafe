"""``serve --review``: who may write (login token, CSRF, loopback only), what a review stores
(the reviews table, and nothing else: the extracted rows keep their bytes), and the forms."""

from __future__ import annotations

import asyncio
import http.client
import json
import re
import shutil
import sqlite3
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from browse_sample import TINZAOUATEN, build_sample_db, incident_id
from browser_support import serve as serving
from click.testing import CliRunner
from review_client import REVIEWER, ReviewClient

from extractor.browse.command import serve
from extractor.review.table import Action
from extractor.review.writer import Review, ReviewWriter, connect

EXTRACTED_TABLES = ("incidents", "incident_actors", "casualties", "evidence", "actors",
                    "articles", "extractions")


@pytest.fixture
def sample_db(tmp_path: Path, sample_template: Path) -> Path:
    return Path(shutil.copy(sample_template, tmp_path / "incidents.db"))


@pytest.fixture(scope="module")
def sample_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample_db(tmp_path_factory.mktemp("review") / "incidents.db")


def run(db: Path, steps: Callable[[ReviewClient], Awaitable[Any]], review: bool = True) -> Any:
    async def main() -> Any:
        async with ReviewClient(db, review) as client:
            return await steps(client)

    return asyncio.run(main())


def reviews(db: Path) -> list[dict[str, Any]]:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(row) for row in conn.execute("select * from reviews order by id")]


def extracted_rows(db: Path) -> dict[str, list[Any]]:
    with sqlite3.connect(db) as conn:
        return {t: conn.execute(f"select * from {t} order by 1").fetchall()
                for t in EXTRACTED_TABLES}


def after_redirect(response: Any) -> str:
    """The incident page path (with its query) a review redirected to."""
    assert response.status_code == 302
    return str(response.headers["location"]).split("/-/incident/")[1].split("#")[0]


# -- where the reviews table comes from -------------------------------------------------------

def test_migrations_create_the_reviews_table(sample_db: Path) -> None:
    with sqlite3.connect(sample_db) as conn:
        columns = [row[1] for row in conn.execute("pragma table_info(reviews)")]
    assert columns == ["id", "incident_id", "extraction_id", "article_id", "action", "patch",
                       "before", "note", "reviewer", "reviewed_at"]


def test_serve_review_refuses_a_database_without_the_reviews_table(sample_db: Path) -> None:
    with sqlite3.connect(sample_db) as conn:
        conn.execute("drop table reviews")
    result = CliRunner().invoke(serve, ["--db", str(sample_db), "--review"])
    assert result.exit_code == 1
    assert "has no reviews table: run `extractor migrate --db" in result.output
    with sqlite3.connect(sample_db) as conn:  # serve did not create it
        assert not conn.execute("select 1 from sqlite_master where name = 'reviews'").fetchall()


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20"])
def test_serve_review_refuses_a_host_other_than_loopback(sample_db: Path, host: str) -> None:
    result = CliRunner().invoke(serve, ["--db", str(sample_db), "--review", "--host", host])
    assert result.exit_code == 1
    assert f"--review writes reviews and is only served on this machine: drop --host {host}" \
        in result.output


# -- who may write ----------------------------------------------------------------------------

def test_a_bad_login_token_is_refused(sample_db: Path) -> None:
    async def steps(client: ReviewClient) -> Any:
        return await client.login("not-a-token")

    response = run(sample_db, steps)
    assert response.status_code == 403
    assert "ds_actor" not in response.cookies


def test_a_token_from_another_server_is_refused(sample_db: Path) -> None:
    async def other(client: ReviewClient) -> str:
        from extractor.browse.review import login_token
        return login_token(client.datasette, REVIEWER)

    token = run(sample_db, other)  # another run of serve: another secret

    async def steps(client: ReviewClient) -> Any:
        return await client.login(token)

    assert run(sample_db, steps).status_code == 403


def test_the_login_token_sets_the_signed_actor_cookie(sample_db: Path) -> None:
    async def steps(client: ReviewClient) -> tuple[Any, Any]:
        login = await client.login()
        actor = await client.http.get("/-/actor.json")
        return login, actor.json()

    login, actor = run(sample_db, steps)
    assert login.status_code == 302 and "ds_actor" in login.cookies
    assert actor == {"actor": {"id": REVIEWER}}


def test_reviewing_needs_the_login(sample_db: Path) -> None:
    target = incident_id(sample_db, "Kidal")

    async def steps(client: ReviewClient) -> tuple[str, Any]:
        await client.login()
        token = await client.csrf_token(target)
        client.http.cookies.delete("ds_actor")  # the CSRF token stays good; the login is gone
        page = await client.page(target)
        response = await client.http.post(f"/-/review/incident/{target}",
                                          data={"csrftoken": token, "action": "accept"})
        return page, response

    page, response = run(sample_db, steps)
    assert "Log in with the token URL" in page and "review-accept" not in page
    assert response.status_code == 403
    assert reviews(sample_db) == []


def test_reviewing_needs_the_csrf_token(sample_db: Path) -> None:
    target = incident_id(sample_db, "Kidal")

    async def steps(client: ReviewClient) -> Any:
        await client.login()
        await client.page(target)  # sets the CSRF cookie, but the form's token is left out
        return await client.http.post(f"/-/review/incident/{target}", data={"action": "accept"})

    assert run(sample_db, steps).status_code == 403
    assert reviews(sample_db) == []


def test_without_review_mode_review_posts_get_405(sample_db: Path) -> None:
    target = incident_id(sample_db, "Kidal")

    async def steps(client: ReviewClient) -> tuple[str, Any]:
        page = await client.page(target)
        response = await client.http.post(f"/-/review/incident/{target}",
                                          data={"action": "accept"})
        return page, response

    page, response = run(sample_db, steps, review=False)
    assert 'id="review"' not in page
    assert response.status_code == 405
    assert reviews(sample_db) == []


def test_other_writes_are_still_refused_in_review_mode(sample_db: Path) -> None:
    async def steps(client: ReviewClient) -> Any:
        await client.login()
        return await client.http.post("/incidents/incidents", data={"summary": "x"})

    assert run(sample_db, steps).status_code == 405


def test_the_review_writer_cannot_write_any_other_table(sample_db: Path) -> None:
    before = extracted_rows(sample_db)
    conn = connect(sample_db)
    try:
        for statement in ("update incidents set summary = 'changed'",
                          "delete from evidence",
                          "insert into actors (id, name) values ('x', 'x')",
                          "drop table reviews",
                          "create table other (x)"):
            with pytest.raises(sqlite3.DatabaseError, match="not authorized"):
                conn.execute(statement)
    finally:
        conn.close()
    writer = ReviewWriter(sample_db)
    try:
        writer.add(Review(Action.accept, "a", "me", "i", "e"))
    finally:
        writer.close()
    assert [r["incident_id"] for r in reviews(sample_db)] == ["i"]
    assert extracted_rows(sample_db) == before


# -- what a review stores ---------------------------------------------------------------------

CLASH_FORM = {
    "summary": "Adrar Youth Front rebels fought Malian soldiers and Wagner Group fighters near "
               "Tinzaouaten.",
    "event_type": "battles", "sub_event_type": "armed_clash",
    "date_text": "three days of fighting", "date_start": "2024-07-25", "date_end": "2024-07-27",
    "place": "Tinzaouaten", "country": "Mali", "geo_precision": "near_place",
    "perpetrators": "Adrar Youth Front", "targets": "Malian Armed Forces\nWagner Group",
    "claimed_by": "Adrar Youth Front", "weapons": "",
    "sources": "Adrar Youth Front\nthe Malian army",
    "casualty-0-kind": "killed", "casualty-0-count_text": "47", "casualty-0-count_min": "47",
    "casualty-0-count_max": "47", "casualty-0-victims": "Malian Armed Forces",
    "casualty-0-source": "Adrar Youth Front",
    "casualty-1-kind": "killed", "casualty-1-count_text": "two", "casualty-1-count_min": "2",
    "casualty-1-count_max": "2", "casualty-1-victims": "Malian Armed Forces",
    "casualty-1-source": "the Malian army",
    "casualty-2-kind": "killed", "casualty-2-count_text": "dozens",
    "casualty-2-count_min": "12", "casualty-2-count_max": "",
    "casualty-2-victims": "Wagner Group", "casualty-2-source": "Adrar Youth Front",
    "casualty-3-kind": "killed", "casualty-3-count_text": "",
}


def test_accept_reject_and_correct_are_stored_and_the_extraction_is_not_changed(
        sample_db: Path) -> None:
    clash, background = (incident_id(sample_db, "Tinzaouaten"),
                         incident_id(sample_db, "Kidal", background=True))
    before = extracted_rows(sample_db)
    form = {**CLASH_FORM, "action": "correct", "date_start": "2024-07-26",
            "casualty-2-drop": "1", "note": "the army's day"}

    async def steps(client: ReviewClient) -> tuple[list[Any], str]:
        await client.login()
        responses = [
            await client.post(f"/-/review/incident/{background}", background,
                              {"action": "reject"}),
            await client.post(f"/-/review/incident/{clash}", clash, form),
        ]
        return responses, await client.page(clash)

    responses, page = run(sample_db, steps)
    assert [r.status_code for r in responses] == [302, 302]
    assert responses[1].headers["location"] == f"/-/incident/{clash}#review"
    stored = reviews(sample_db)
    assert [(r["incident_id"], r["action"], r["reviewer"]) for r in stored] == [
        (background, "reject", REVIEWER), (clash, "correct", REVIEWER)]
    patch, old = json.loads(stored[1]["patch"]), json.loads(stored[1]["before"])
    assert set(patch) == {"date_start", "casualties"} == set(old)
    assert (patch["date_start"], old["date_start"]) == ("2024-07-26", "2024-07-25")
    assert [c["count_text"] for c in patch["casualties"]] == ["47", "two"]
    assert stored[1]["note"] == "the army's day"
    assert extracted_rows(sample_db) == before  # the extracted rows stay as they were
    assert 'class="review-latest">correct</strong>' in page
    assert 'date_start: "2024-07-25" &rarr; "2024-07-26"' in page


def test_a_correction_that_changes_nothing_is_an_accept(sample_db: Path) -> None:
    clash = incident_id(sample_db, "Tinzaouaten")

    async def steps(client: ReviewClient) -> None:
        await client.login()
        await client.post(f"/-/review/incident/{clash}", clash,
                          {**CLASH_FORM, "action": "correct"})

    run(sample_db, steps)
    assert [(r["action"], r["patch"]) for r in reviews(sample_db)] == [("accept", None)]


@pytest.mark.parametrize(("change", "message"), [
    ({"sub_event_type": "peaceful_protest"}, "sub_event_type"),
    ({"date_start": "2024-02-30"}, "date_start"),
    ({"perpetrators": "Nobody Known"}, "unknown actor &#39;Nobody Known&#39;"),
    ({"casualty-0-count_min": "many"}, "casualties.0.count_min"),
])
def test_an_invalid_correction_is_refused_with_its_field(sample_db: Path, change: dict[str, str],
                                                         message: str) -> None:
    clash = incident_id(sample_db, "Tinzaouaten")

    async def steps(client: ReviewClient) -> str:
        await client.login()
        response = await client.post(f"/-/review/incident/{clash}", clash,
                                     {**CLASH_FORM, "action": "correct", **change})
        return await client.page(after_redirect(response))

    page = run(sample_db, steps)
    assert 'class="message-error review-error"' in page and message in page
    assert reviews(sample_db) == []


ADDED_QUOTE = "The Malian army said two of its soldiers were killed."


def added_form(quote: str = ADDED_QUOTE, start: int | None = None) -> dict[str, str]:
    begin = TINZAOUATEN.index(quote) if start is None else start
    return {"quote": quote, "start": str(begin), "end": str(begin + len(quote)),
            "summary": "The Malian army reported two soldiers killed near Tinzaouaten.",
            "event_type": "battles", "sub_event_type": "armed_clash",
            "date_start": "2024-07-27", "date_end": "2024-07-27", "place": "Tinzaouaten",
            "country": "Mali", "geo_precision": "near_place",
            "targets": "Malian Armed Forces",
            "casualty-0-kind": "killed", "casualty-0-count_text": "two",
            "casualty-0-count_min": "2", "casualty-0-count_max": "2",
            "casualty-0-victims": "Malian Armed Forces"}


def test_a_missed_incident_is_added_from_a_quote(sample_db: Path) -> None:
    clash = incident_id(sample_db, "Tinzaouaten")

    async def steps(client: ReviewClient) -> str:
        await client.login()
        await client.post(f"/-/review/add/{clash}", clash, added_form())
        return await client.page(clash)

    page = run(sample_db, steps)
    (stored,) = reviews(sample_db)
    assert (stored["action"], stored["incident_id"]) == ("add", None)
    incident = json.loads(stored["patch"])
    assert incident["evidence"] == [ADDED_QUOTE]
    assert incident["casualties"][0]["count_min"] == 2
    assert "Added by review (1)" in page


def test_a_quote_at_wrong_offsets_is_found_in_the_text(sample_db: Path) -> None:
    clash = incident_id(sample_db, "Tinzaouaten")

    async def steps(client: ReviewClient) -> None:
        await client.login()
        await client.post(f"/-/review/add/{clash}", clash, added_form(start=3))

    run(sample_db, steps)
    assert json.loads(reviews(sample_db)[0]["patch"])["evidence"] == [ADDED_QUOTE]


@pytest.mark.parametrize(("form", "message"), [
    ({"quote": "", "start": "", "end": ""}, "select a quote in the article text first"),
    ({"quote": "words the article never had", "start": "0", "end": "27"},
     "the selected quote is not in the article text"),
])
def test_an_added_incident_needs_a_quote_of_the_article(sample_db: Path, form: dict[str, str],
                                                        message: str) -> None:
    clash = incident_id(sample_db, "Tinzaouaten")

    async def steps(client: ReviewClient) -> str:
        await client.login()
        response = await client.post(f"/-/review/add/{clash}", clash, {**added_form(), **form})
        return await client.page(after_redirect(response))

    page = run(sample_db, steps)
    assert f"missed incident not added: {message}" in page
    assert reviews(sample_db) == []


def test_an_added_incident_can_be_withdrawn(sample_db: Path) -> None:
    clash = incident_id(sample_db, "Tinzaouaten")

    async def steps(client: ReviewClient) -> tuple[str, Any, str]:
        await client.login()
        await client.post(f"/-/review/add/{clash}", clash, added_form())
        added = await client.page(clash)
        (review_id,) = re.findall(r'action="/-/review/withdraw/(\d+)"', added)
        token = await client.csrf_token(clash)
        response = await client.http.post(f"/-/review/withdraw/{review_id}",
                                          data={"csrftoken": token, "back": clash})
        return added, response, await client.page(clash)

    added, response, after = run(sample_db, steps)
    assert "Added by review (1)" in added
    assert response.status_code == 302
    assert "Added by review" not in after
    adding, withdrawal = reviews(sample_db)
    assert (withdrawal["action"], withdrawal["incident_id"], withdrawal["note"]) == (
        "reject", f"added:{adding['id']}", "withdrawn")


def test_serve_review_prints_a_login_url_that_logs_in(sample_db: Path) -> None:
    with serving(sample_db, "--review", "--reviewer", "dana") as server:
        url = urlsplit(server.printed(r"http://127\.0\.0\.1:\d+/-/review/login\?token=\S+")[0])
        connection = http.client.HTTPConnection(url.netloc, timeout=10)
        connection.request("GET", f"{url.path}?{url.query}")
        response = connection.getresponse()
        cookie = response.getheader("set-cookie") or ""
        connection.close()
        assert response.status == 302 and cookie.startswith("ds_actor=")
        connection = http.client.HTTPConnection(url.netloc, timeout=10)
        connection.request("GET", "/-/actor.json", headers={"Cookie": cookie.split(";")[0]})
        assert json.loads(connection.getresponse().read()) == {"actor": {"id": "dana"}}
        connection.close()
