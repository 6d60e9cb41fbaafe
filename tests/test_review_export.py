"""``extractor gold export``: the reviewed articles as gold, the reviews applied, checked as
``gold check`` checks gold, and ready for ``extractor eval``."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from browse_sample import KIDAL, TINZAOUATEN, build_sample_db, incident_id
from click.testing import CliRunner

from extractor.cli import cli
from extractor.review.table import Action, added_id
from extractor.review.writer import Review, ReviewWriter
from extractor.schemas import article_id_for

CLEAN_ENV = {"EXTRACTOR_MODEL": None, "OPENAI_API_KEY": None, "OPENAI_BASE_URL": None,
             "EXTRACTOR_DB": None, "EXTRACTOR_MODE": None}
DRONE = "a drone strike by the Malian Armed Forces hit Kidal, killing four civilians"
ADDED = {
    "summary": "The Malian army said two of its soldiers were killed near Tinzaouaten.",
    "event_type": "battles", "sub_event_type": "armed_clash", "date_text": None,
    "date_start": "2024-07-27", "date_end": None, "place": "Tinzaouaten", "admin1": None,
    "country": "Mali", "geo_precision": "near_place", "perpetrators": [],
    "targets": ["Malian Armed Forces"], "claimed_by": [],
    "casualties": [{"kind": "killed", "count_text": "two", "count_min": 2, "count_max": 2,
                    "victims": "Malian Armed Forces", "source": "the Malian army"}],
    "weapons": [], "sources": ["the Malian army"], "is_background": False,
    "evidence": ["The Malian army said two of its soldiers were killed."],
}


@pytest.fixture(scope="module")
def sample_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample_db(tmp_path_factory.mktemp("export") / "incidents.db")


@pytest.fixture
def sample_db(tmp_path: Path, sample_template: Path) -> Path:
    return Path(shutil.copy(sample_template, tmp_path / "incidents.db"))


def review(db: Path, action: Action, incident: str, *, patch: dict[str, Any] | None = None,
           before: dict[str, Any] | None = None) -> None:
    """Store a review of ``incident`` (for ``add``: an incident added beside it)."""
    article, extraction = incident_article(db, incident)
    reviewed = None if action == Action.add else incident
    writer = ReviewWriter(db)
    try:
        writer.add(Review(action, article, "analyst", reviewed, extraction, patch, before))
    finally:
        writer.close()


def incident_article(db: Path, incident: str) -> tuple[str, str]:
    with sqlite3.connect(db) as conn:
        article, extraction = conn.execute(
            "select article_id, extraction_id from incidents where id = ?", [incident]).fetchone()
    return article, extraction


def ids(db: Path) -> tuple[str, str, str]:
    """The clash and the background drone strike (one article), and the Kidal ambush."""
    return (incident_id(db, "Tinzaouaten"), incident_id(db, "Kidal", background=True),
            incident_id(db, "Kidal"))


def export(db: Path, out: Path) -> Any:
    return CliRunner().invoke(cli, ["gold", "export", "--db", str(db), "-o", str(out)])


def records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_the_reviews_are_applied(sample_db: Path, tmp_path: Path) -> None:
    clash, background, ambush = ids(sample_db)
    review(sample_db, Action.accept, background)
    review(sample_db, Action.reject, background)  # the latest review counts
    review(sample_db, Action.correct, clash, patch={"date_start": "2024-07-26"},
           before={"date_start": "2024-07-25"})
    review(sample_db, Action.add, clash, patch=ADDED)
    out = tmp_path / "reviewed.jsonl"
    result = export(sample_db, out)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""  # the Kidal article has no review: not an article in review
    (record,) = records(out)
    assert record["article"]["id"] == article_id_for(TINZAOUATEN)
    assert record["article"]["text"] == TINZAOUATEN
    assert record["tests"] == ["reviewed"]
    corrected, added = record["incidents"]
    assert (corrected["date_start"], corrected["date_end"]) == ("2024-07-26", "2024-07-27")
    assert corrected["claimed_by"] == ["Adrar Youth Front"]
    # evidence: the text at the aligned offsets; the fuzzy quote becomes the passage it
    # matched, the quote not found in the article is dropped
    assert all(quote in TINZAOUATEN for quote in corrected["evidence"])
    assert len(corrected["evidence"]) == 3
    assert "close to the Algerian border" in corrected["evidence"][2]
    assert not any("airport" in quote for quote in corrected["evidence"])
    assert added["evidence"] == ADDED["evidence"]
    assert (added["date_start"], added["date_end"]) == ("2024-07-27", "2024-07-27")
    assert DRONE not in json.dumps(record["incidents"])  # rejected
    assert {a["name"] for a in record["actors"]} == {"Adrar Youth Front",
                                                     "Malian Armed Forces", "Wagner Group"}
    checked = CliRunner().invoke(cli, ["gold", "check", str(out)])
    assert checked.exit_code == 0, checked.output
    assert "1 articles, 2 incidents" in checked.output
    assert ambush not in out.read_text(encoding="utf-8")


def test_the_export_is_ready_for_eval(sample_db: Path, tmp_path: Path) -> None:
    _, _, ambush = ids(sample_db)
    review(sample_db, Action.accept, ambush)
    out = tmp_path / "reviewed.jsonl"
    assert export(sample_db, out).exit_code == 0
    result = CliRunner(env=CLEAN_ENV).invoke(
        cli, ["eval", str(out), "--model", "baseline", "--db", str(tmp_path / "eval.db"),
              "--json", "-q"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["run"]["gold_articles"] == 1
    assert [a["gold_incidents"] for a in report["articles"]] == [1]
    assert report["incidents"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}


def test_a_partly_reviewed_article_is_left_out_and_named(sample_db: Path,
                                                          tmp_path: Path) -> None:
    clash, _, ambush = ids(sample_db)
    review(sample_db, Action.accept, clash)
    review(sample_db, Action.accept, ambush)
    out = tmp_path / "reviewed.jsonl"
    result = export(sample_db, out)
    assert result.exit_code == 0, result.output
    assert result.stderr == (f"left out, article {article_id_for(TINZAOUATEN)} (Rebels claim "
                             "heavy losses near Tinzaouaten): 1 of 2 incidents not reviewed "
                             "yet\n")
    assert [r["article"]["id"] for r in records(out)] == [article_id_for(KIDAL)]
    assert "1 reviewed article, 1 incident (1 article left out" in result.stdout


def test_a_record_that_is_not_valid_gold_is_reported_and_nothing_written(
        sample_db: Path, tmp_path: Path) -> None:
    clash, background, _ = ids(sample_db)
    review(sample_db, Action.accept, background)
    review(sample_db, Action.correct, clash, patch={"date_end": "2024-08-15"},
           before={"date_end": "2024-07-27"})
    out = tmp_path / "reviewed.jsonl"
    result = export(sample_db, out)
    assert result.exit_code == 1
    assert (f"article {article_id_for(TINZAOUATEN)}: incident {clash} (corrected): date_end: "
            "date_end (2024-08-15) is after the article's publication date (2024-07-29)"
            ) in result.stdout
    assert f"{out} not written" in result.output
    assert not out.exists() and not list(tmp_path.glob("*.partial"))


def test_nothing_reviewed_writes_nothing(sample_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "reviewed.jsonl"
    result = export(sample_db, out)
    assert result.exit_code == 1
    assert f"No fully reviewed article in {sample_db}" in result.output
    assert not out.exists()


def test_export_names_a_database_that_is_not_an_extractor_one(tmp_path: Path) -> None:
    other = tmp_path / "notes.db"
    other.write_bytes(b"plain text, not SQLite" * 10)
    result = export(other, tmp_path / "out.jsonl")
    assert result.exit_code == 1
    assert "is not an SQLite database" in result.output


def test_a_withdrawn_added_incident_is_not_exported(sample_db: Path, tmp_path: Path) -> None:
    clash, background, _ = ids(sample_db)
    review(sample_db, Action.accept, clash)
    review(sample_db, Action.reject, background)
    review(sample_db, Action.add, clash, patch=ADDED)
    with sqlite3.connect(sample_db) as conn:
        (added,) = conn.execute("select id from reviews where action = 'add'").fetchone()
    writer = ReviewWriter(sample_db)
    writer.add(Review(Action.reject, article_id_for(TINZAOUATEN), "analyst", added_id(added),
                      incident_article(sample_db, clash)[1], note="withdrawn"))
    writer.close()
    out = tmp_path / "reviewed.jsonl"
    assert export(sample_db, out).exit_code == 0
    (record,) = records(out)
    assert [i["summary"] for i in record["incidents"]] == [
        "Adrar Youth Front rebels fought Malian soldiers and Wagner Group fighters near "
        "Tinzaouaten."]
