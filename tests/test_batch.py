"""The Batch API path end to end against the fake server: submit, collect, resume, failures,
and results identical to the synchronous path's."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from extractor.cli import cli
from extractor.store.database import open_db

CLEAN_ENV = {"EXTRACTOR_MODEL": None, "OPENAI_API_KEY": None, "OPENAI_BASE_URL": None,
             "EXTRACTOR_DB": None, "EXTRACTOR_MODE": None, "EXTRACTOR_CONFIG": None,
             "EXTRACTOR_PRICES": None}
ARTICLES = {
    "ambush": "Gunmen ambushed Malian soldiers near Gao on Monday, killing three of them, "
              "officials said.",
    "raid": "JNIM fighters attacked an army post in Boni on Tuesday, killing five soldiers, "
            "a local official said.",
    "shelling": "Shelling hit a market in Kharkiv on Wednesday, killing two civilians, the "
                "regional governor said.",
}
PRICES = "model,input_per_million_usd,output_per_million_usd\ngpt-4o-mini,0.15,0.60\n"


def invoke(*args: str) -> Result:
    return CliRunner(env=CLEAN_ENV).invoke(cli, list(args), catch_exceptions=False)


def write_articles(folder: Path, names: tuple[str, ...] = tuple(ARTICLES)) -> Path:
    folder.mkdir(exist_ok=True)
    for name in names:
        (folder / f"{name}.txt").write_text(f"Title: {name}\n\n{ARTICLES[name]}\n")
    return folder


def model_args(fake: Any, db: Path, prices: Path) -> list[str]:
    return ["--db", str(db), "--model", "gpt-4o-mini", "--base-url", fake.base_url,
            "--api-key", "sk-test", "--prices", str(prices)]


def submit(fake: Any, folder: Path, db: Path, prices: Path) -> str:
    result = invoke("extract", str(folder), "--batch", "-q", *model_args(fake, db, prices))
    assert result.exit_code == 0, result.output
    return result.stdout.strip().splitlines()[-1]


def collect(fake: Any, db: Path, *extra: str) -> Result:
    return invoke("batch", "collect", *extra, "--db", str(db), "--base-url", fake.base_url,
                  "--api-key", "sk-test", "-q", "--wait", "--poll-interval", "0.01",
                  "--prices", str(db.parent / "prices.csv"))


def rows(db_path: Path, sql: str) -> list[dict[str, Any]]:
    db = open_db(db_path)
    try:
        return list(db.execute_returning_dicts(sql))
    finally:
        db.close()


def test_submit_sends_the_synchronous_request_body_and_records_the_batch(
        fake_openai: Any, tmp_path: Path) -> None:
    prices = tmp_path / "prices.csv"
    prices.write_text(PRICES)
    folder = write_articles(tmp_path / "in", ("ambush",))
    batch_id = submit(fake_openai, folder, tmp_path / "b.db", prices)
    api = fake_openai.batch_api
    assert batch_id in api.batches
    assert api.counts["POST /v1/files"] == 1 and api.counts["POST /v1/batches"] == 1
    assert fake_openai.calls() == 0  # nothing went the synchronous way
    (line,) = api.contents[api.batches[batch_id]["input_file_id"]].decode().splitlines()
    sent = json.loads(line)
    assert sent["method"] == "POST" and sent["url"] == "/v1/chat/completions"
    # The synchronous path on the same article sends the same body.
    sync = invoke("extract", str(folder), "-q",
                  *model_args(fake_openai, tmp_path / "sync.db", prices))
    assert sync.exit_code == 0, sync.output
    assert fake_openai.requests()[0]["body"] == sent["body"]
    (row,) = rows(tmp_path / "b.db", "select * from batches")
    assert row["id"] == batch_id and row["status"] == "validating"
    assert json.loads(row["keys"]) == {sent["custom_id"]: json.loads(row["keys"])[
        sent["custom_id"]]}
    assert row["collected_at"] is None


VOLATILE = {"run_id", "created_at", "updated_at", "latency_ms", "cost_usd", "request_id",
            "first_run_id", "added_at", "origin"}
COMPARED = ("extractions", "incidents", "actors", "actor_mentions", "incident_actors",
            "casualties", "evidence")


def stable_tables(db_path: Path) -> dict[str, list[dict[str, Any]]]:
    tables = {}
    for table in COMPARED:
        found = rows(db_path, f"select * from [{table}]")
        tables[table] = sorted(
            json.dumps({k: v for k, v in row.items() if k not in VOLATILE}, sort_keys=True)
             for row in found)
    calls = rows(db_path, "select * from model_calls")
    tables["model_calls"] = sorted(
        json.dumps({k: v for k, v in row.items() if k not in VOLATILE | {"id"}},
                   sort_keys=True) for row in calls)
    return tables


def setup(tmp_path: Path) -> tuple[Path, Path]:
    prices = tmp_path / "prices.csv"
    prices.write_text(PRICES)
    return write_articles(tmp_path / "in"), prices


def test_collected_rows_equal_the_synchronous_paths_at_half_the_price(
        fake_openai: Any, tmp_path: Path) -> None:
    folder, prices = setup(tmp_path)
    fake_openai.script("Boni", ["extra_keys"])  # dropped and counted, in both paths
    batch_db, sync_db = tmp_path / "batch.db", tmp_path / "sync.db"
    batch_id = submit(fake_openai, folder, batch_db, prices)
    result = collect(fake_openai, batch_db, batch_id)
    assert result.exit_code == 0, result.output
    assert f"{batch_id}: completed; 3 extracted, 0 failed" in result.stdout
    fake_openai.reset()
    fake_openai.script("Boni", ["extra_keys"])
    sync = invoke("extract", str(folder), "-q", *model_args(fake_openai, sync_db, prices))
    assert sync.exit_code == 0, sync.output
    assert stable_tables(batch_db) == stable_tables(sync_db)
    batch_rows = {r["id"]: r for r in rows(batch_db, "select * from extractions")}
    sync_rows = {r["id"]: r for r in rows(sync_db, "select * from extractions")}
    for key, row in batch_rows.items():
        assert row["status"] == "ok" and row["prompt_tokens"] > 0
        listed = (row["prompt_tokens"] * 0.15 + row["completion_tokens"] * 0.60) / 1e6
        # half the listed price, to the 8 decimals prices are stored with
        assert row["cost_usd"] == pytest.approx(listed * 0.5, abs=1.01e-8)
        assert sync_rows[key]["cost_usd"] == round(listed, 8)
    (batch,) = rows(batch_db, "select * from batches")
    assert batch["status"] == "completed" and batch["collected_at"]
    assert batch["request_total"] == batch["request_completed"] == 3
    assert sorted(json.loads(batch["stored_keys"])) == sorted(batch_rows)


def test_a_submitted_batch_is_collected_later_once_and_not_sent_again(
        fake_openai: Any, tmp_path: Path) -> None:
    folder, prices = setup(tmp_path)
    db = tmp_path / "b.db"
    batch_id = submit(fake_openai, folder, db, prices)  # the process "dies" after submitting
    api = fake_openai.batch_api
    # While it is pending, the same articles are not sent again.
    again = invoke("extract", str(folder), "--batch", "-q", *model_args(fake_openai, db, prices))
    assert again.exit_code == 0 and "no batch: nothing to send" in again.stderr
    assert "3 in a batch not collected yet" in again.stderr
    assert api.counts["POST /v1/batches"] == 1
    # Not finished yet, without --wait: nothing stored, exit 5.
    early = invoke("batch", "collect", batch_id, "--db", str(db), "--base-url",
                   fake_openai.base_url, "-q")
    assert early.exit_code == 5 and "not finished" in early.stdout
    assert rows(db, "select count(*) n from extractions")[0]["n"] == 0
    first = collect(fake_openai, db)
    assert first.exit_code == 0, first.output
    downloads = api.counts.copy()
    stored = rows(db, "select * from extractions order by id")
    # Collecting again: no request at all, no duplicate.
    second = collect(fake_openai, db, batch_id)
    assert second.exit_code == 0 and "collected already" in second.stdout
    assert api.counts == downloads
    assert rows(db, "select * from extractions order by id") == stored
    assert rows(db, "select count(*) n from incidents")[0]["n"] == 3
    # Now extracted: neither path sends them again.
    third = invoke("extract", str(folder), "--batch", "-q", *model_args(fake_openai, db, prices))
    assert "3 already extracted" in third.stderr and api.counts["POST /v1/batches"] == 1
    assert fake_openai.calls() == 0


def test_a_collect_stopped_half_way_resumes_without_duplicates(
        fake_openai: Any, tmp_path: Path) -> None:
    folder, prices = setup(tmp_path)
    db = tmp_path / "b.db"
    fake_openai.script("Gao", ["invalid"])
    batch_id = submit(fake_openai, folder, db, prices)
    assert collect(fake_openai, db, batch_id).exit_code == 0
    failed = rows(db, "select * from extractions where status = 'failed'")
    assert len(failed) == 1
    # Undo the end of that collect, as if it had been killed after storing the failed one.
    handle = open_db(db)
    keys = [failed[0]["id"]]
    for table in ("evidence", "casualties", "incident_actors", "incidents", "actor_mentions",
                  "model_calls"):
        handle.execute(f"delete from [{table}] where extraction_id != ?", [keys[0]])
    handle.execute("delete from extractions where id != ?", [keys[0]])
    handle.execute("update batches set stored_keys = '[]', collected_at = null")
    handle.conn.commit()
    handle.close()
    again = collect(fake_openai, db, batch_id)
    assert again.exit_code == 0, again.output
    assert "2 extracted, 0 failed; 1 stored before" in again.stdout, again.output
    assert rows(db, "select count(*) n from extractions")[0]["n"] == 3
    assert rows(db, "select count(*) n from model_calls")[0]["n"] == 3
    assert rows(db, "select count(*) n from incidents")[0]["n"] == 2
    # The failed result was stored by that batch already: kept as it was, not stored again.
    assert rows(db, "select * from extractions where status = 'failed'") == failed


def test_line_errors_and_invalid_answers_fail_alone_and_go_to_the_next_run(
        fake_openai: Any, tmp_path: Path) -> None:
    folder, prices = setup(tmp_path)
    db = tmp_path / "b.db"
    fake_openai.script("Gao", ["500"])
    fake_openai.script("Boni", ["invalid"])
    batch_id = submit(fake_openai, folder, db, prices)
    result = collect(fake_openai, db, batch_id)
    assert result.exit_code == 0, result.output
    assert "1 extracted, 2 failed" in result.stdout
    found = {r["article_id"]: r for r in rows(
        db, "select e.*, a.text from extractions e join articles a on a.id = e.article_id")}
    by_text = {next(n for n, t in ARTICLES.items() if t in r["text"]): r
               for r in found.values()}
    assert by_text["ambush"]["status"] == "failed"
    assert by_text["ambush"]["error_kind"] == "transport"
    assert "HTTP 500" in by_text["ambush"]["error"]
    assert by_text["raid"]["status"] == "failed" and by_text["raid"]["error_kind"] == "validation"
    assert by_text["raid"]["attempts"] == 1  # no re-ask inside a batch
    assert by_text["shelling"]["status"] == "ok"
    (batch,) = rows(db, "select * from batches")
    assert batch["request_completed"] == 2 and batch["request_failed"] == 1
    assert batch["error_file_id"] and batch["output_file_id"]
    # The next synchronous run extracts only the two that failed.
    sync = invoke("extract", str(folder), "-q", *model_args(fake_openai, db, prices))
    assert sync.exit_code == 0, sync.output
    assert fake_openai.calls() == 2
    assert rows(db, "select count(*) n from extractions where status = 'ok'")[0]["n"] == 3


def test_failed_expired_and_cancelled_batches(fake_openai: Any, tmp_path: Path) -> None:
    folder, prices = setup(tmp_path)
    api = fake_openai.batch_api
    failed_db, expired_db = tmp_path / "failed.db", tmp_path / "expired.db"
    api.plan(["validating", "failed"])
    failed_id = submit(fake_openai, folder, failed_db, prices)
    # A failed batch holds nothing back: its articles may go in another batch at once.
    status = invoke("batch", "status", "--db", str(failed_db), "--base-url", fake_openai.base_url)
    assert f"{failed_id}: failed" in status.stdout and "invalid_request" in status.stdout
    result = collect(fake_openai, failed_db)
    assert "0 extracted, 3 failed" in result.stdout
    errors = [r["error"] for r in rows(failed_db, "select error from extractions")]
    assert all(f"batch {failed_id} ended failed" in e for e in errors)
    api.plan(["in_progress", "expired"], answered=1)
    expired_id = submit(fake_openai, folder, expired_db, prices)
    result = collect(fake_openai, expired_db, expired_id)
    assert f"{expired_id}: expired; 1 extracted, 2 failed" in result.stdout
    assert sorted(r["error_kind"] for r in rows(
        expired_db, "select error_kind from extractions where status = 'failed'")) \
        == ["transport", "transport"]
    # Cancelled: cancelling, then cancelled; what it answered before is stored.
    cancelled_db = tmp_path / "cancelled.db"
    api.plan(["in_progress", "in_progress", "in_progress"], answered=2)
    cancelled_id = submit(fake_openai, folder, cancelled_db, prices)
    cancel = invoke("batch", "cancel", cancelled_id, "--db", str(cancelled_db), "--base-url",
                    fake_openai.base_url)
    assert cancel.exit_code == 0 and "cancelling" in cancel.stdout
    result = collect(fake_openai, cancelled_db, cancelled_id)
    assert f"{cancelled_id}: cancelled; 2 extracted, 1 failed" in result.stdout
    assert "batch_cancelled" in rows(
        cancelled_db, "select error from extractions where status = 'failed'")[0]["error"]


def test_refused_requests_and_line_errors_are_told_apart(fake_openai: Any,
                                                          tmp_path: Path) -> None:
    folder, prices = setup(tmp_path)
    db = tmp_path / "b.db"
    fake_openai.script("Gao", ["400"])
    fake_openai.script("Boni", ["line_error"])
    fake_openai.script("Kharkiv", ["cutoff"])
    batch_id = submit(fake_openai, folder, db, prices)
    result = collect(fake_openai, db, batch_id)
    assert "0 extracted, 3 failed" in result.stdout, result.output
    kinds = {r["error_kind"]: r for r in rows(db, "select * from extractions")}
    assert set(kinds) == {"bad_request", "transport", "truncated"}
    assert "HTTP 400: fake 400" in kinds["bad_request"]["error"]
    assert "server_error" in kinds["transport"]["error"]
    calls = {r["status"] for r in rows(db, "select status from model_calls")}
    assert calls == {"http_400", "bad_response", "truncated"}


def test_batch_needs_a_model_and_an_unknown_batch_is_named(tmp_path: Path) -> None:
    folder = write_articles(tmp_path / "in", ("ambush",))
    result = invoke("extract", str(folder), "--batch", "--db", str(tmp_path / "b.db"))
    assert result.exit_code == 1 and "--batch needs a model" in result.output
    missing = invoke("batch", "collect", "batch_nope", "--db", str(tmp_path / "b.db"))
    assert missing.exit_code == 1 and "no batch batch_nope" in missing.output


def test_the_fake_batch_api_speaks_openais_wire_shapes(fake_openai: Any,
                                                       tmp_path: Path) -> None:
    from openai.types import Batch, FileObject

    folder, prices = setup(tmp_path)
    batch_id = submit(fake_openai, folder, tmp_path / "b.db", prices)
    api = fake_openai.batch_api
    assert collect(fake_openai, tmp_path / "b.db", batch_id).exit_code == 0
    batch = Batch.model_validate(api.batches[batch_id])
    assert batch.status == "completed" and batch.request_counts is not None
    assert batch.request_counts.total == 3 and batch.metadata is not None
    assert batch.metadata["extractor_run"] == "1"
    for meta in api.files.values():
        FileObject.model_validate(meta)
    # Created validating; each status request moves it on: in_progress, finalizing, completed.
    assert api.counts["GET /v1/batches/" + batch_id] == 3
    assert api.counts[f"GET /v1/files/{batch.output_file_id}/content"] == 1
