"""Operations on a database: extract --from-db, runs, stats (extractor/operations)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from fakeserver import FakeOpenAI

from extractor.cli import cli

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "articles"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "incidents.db"
    result = CliRunner().invoke(cli, ["extract", str(EXAMPLES), "--db", str(path), "-q"])
    assert result.exit_code == 0, result.output
    return path


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), env={"EXTRACTOR_MODEL": None,
                                                      "OPENAI_API_KEY": None})
    return result.exit_code, result.stdout, result.stderr


def runs_json(db_path: Path) -> list[dict[str, object]]:
    code, out, _ = invoke("runs", "--db", str(db_path), "--json", "-n", "0")
    assert code == 0
    rows: list[dict[str, object]] = json.loads(out)
    return rows


def test_from_db_with_another_model_then_cached(db_path: Path, tmp_path: Path,
                                                fake_openai: FakeOpenAI) -> None:
    model = ["-m", "fake-model", "--base-url", fake_openai.base_url, "--api-key", "sk-test"]
    code, _, err = invoke("extract", "--from-db", "--db", str(db_path), "-q", *model)
    assert code == 0, err
    assert len(fake_openai.requests()) == 5  # the five example articles
    latest = runs_json(db_path)[0]
    assert (latest["model"], latest["articles_extracted"], latest["articles_skipped"]) == \
        ("fake-model", 5, 0)
    # The same configuration again: every article is cached, no request is made.
    code, _, err = invoke("extract", "--from-db", "--db", str(db_path), "-q", *model)
    assert code == 0, err
    assert len(fake_openai.requests()) == 5
    latest = runs_json(db_path)[0]
    assert (latest["articles_extracted"], latest["articles_skipped"]) == (0, 5)
    # Events of the two models are kept apart.
    code, out, _ = invoke("stats", "--db", str(db_path), "--json")
    figures = json.loads(out)
    assert {row["model"] for row in figures["events by model"]} == {"baseline", "fake-model"}


def test_from_db_selections(db_path: Path) -> None:
    code, out, _ = invoke("export", "--db", str(db_path), "--format", "jsonl", "--incidents")
    article = json.loads(out.splitlines()[0])["article_id"]
    code, _, err = invoke("extract", "--from-db", "--db", str(db_path), "-q",
                          "--article", article)
    assert code == 0, err
    assert runs_json(db_path)[0]["articles_seen"] == 1
    # Selections that take nothing: a run that reads no article (its exit status is the
    # extract command's for an empty input).
    invoke("extract", "--from-db", "--db", str(db_path), "-q", "--failed")
    assert runs_json(db_path)[0]["articles_seen"] == 0
    invoke("extract", "--from-db", "--db", str(db_path), "-q", "--since", "2100-01-01")
    latest = runs_json(db_path)[0]
    assert (latest["id"], latest["articles_seen"]) == (4, 0)


def test_from_db_errors(db_path: Path, tmp_path: Path) -> None:
    code, _, err = invoke("extract", "--from-db", "--db", str(db_path), "--article", "nope")
    assert code == 1 and f"No article nope in {db_path}" in err
    code, _, err = invoke("extract", "--db", str(db_path), "--failed", str(EXAMPLES))
    assert code == 2 and "use them with --from-db" in err
    code, _, err = invoke("extract", "--db", str(db_path))
    assert code == 2 and "Give PATHS to read, or --from-db" in err
    code, _, err = invoke("extract", "--from-db", str(EXAMPLES), "--db", str(db_path))
    assert code == 2 and "not both" in err
    code, _, err = invoke("extract", "--from-db", "--db", str(tmp_path / "none.db"))
    assert code == 1 and "No database at" in err


def test_runs_lists_latest_first(db_path: Path) -> None:
    invoke("extract", str(EXAMPLES), "--db", str(db_path), "-q")
    rows = runs_json(db_path)
    assert [row["id"] for row in rows] == [2, 1]
    assert rows[1]["articles_extracted"] == 5 and rows[1]["incidents"] == 11
    assert rows[0]["articles_skipped"] == 5 and rows[0]["status"] == "completed"
    assert all(row["prompt_hash"] and row["schema_hash"] for row in rows)
    code, out, _ = invoke("runs", "--db", str(db_path), "-n", "1", "--json")
    assert [row["id"] for row in json.loads(out)] == [2]
    code, out, _ = invoke("runs", "--db", str(db_path))
    assert code == 0 and "baseline" in out and "5 new, 0 cached, 0 failed" in out


def test_stats(db_path: Path) -> None:
    code, out, _ = invoke("stats", "--db", str(db_path), "--json")
    figures = json.loads(out)
    assert figures["tables"]["articles"] == 5 and figures["tables"]["incidents"] == 11
    assert figures["tables"]["events"] == 11
    assert figures["extractions by model and status"] == [
        {"model": "baseline", "status": "ok", "count": 5, "tokens": 0, "cost_usd": None}]
    assert figures["runs by status"] == [{"status": "completed", "count": 1}]
    code, out, _ = invoke("stats", "--db", str(db_path))
    assert code == 0 and "rows per table" in out and "events by model" in out


def test_extract_groups_what_it_stored(tmp_path: Path) -> None:
    path = tmp_path / "grouped.db"
    code, out, _ = invoke("extract", str(EXAMPLES), "--db", str(path), "-q")
    assert code == 0
    # After the run's summary, on standard output: what grouping did.
    assert out.rstrip().splitlines()[-1] == \
        "Events: 11 incident(s) in 11 event(s), 0 told by several articles; 11 new, 0 changed, " \
        "0 removed."
    code, out, _ = invoke("export", "--db", str(path), "--format", "jsonl", "--incidents")
    assert all(json.loads(line)["event_id"] for line in out.splitlines())
    code, out, _ = invoke("extract", str(EXAMPLES), "--db", str(path), "-q")
    assert "0 new, 0 changed, 0 removed" in out
