"""Hostile inputs at the command line: huge articles, missing paths, names that break lines.

Cost guards fail an article as too_large before any request; exit codes say what happened;
every console message is one line.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from extractor.cli import EXIT_NOTHING, EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, cli
from extractor.progress import DETAIL_CHARS

CLEAN_ENV = {name: None for name in ("EXTRACTOR_MODEL", "OPENAI_API_KEY", "OPENAI_BASE_URL",
                                     "EXTRACTOR_DB", "EXTRACTOR_MODE", "EXTRACTOR_CONFIG",
                                     "EXTRACTOR_PRICES")}
GOOD = ("Title: Ambush\n\nGunmen ambushed Malian soldiers near Gao on Monday, killing three of "
        "them, officials said.\n")


def run(*args: Any) -> Any:
    return CliRunner(env=CLEAN_ENV).invoke(cli, ["extract", *map(str, args)],
                                           catch_exceptions=False)


def query(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def paragraphs(chars: int) -> str:
    unit = ("Fighters attacked a convoy on the road to Gao, officials said, and the army sent "
            "reinforcements the next morning.\n\n")
    return (unit * (chars // len(unit) + 1))[:chars]


# --- cost guards ---------------------------------------------------------------------------------


def test_an_article_over_the_size_cap_fails_as_too_large_naming_the_flag(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "huge.txt").write_text(paragraphs(50_000), encoding="utf-8")
    db = tmp_path / "x.db"

    result = run(tmp_path, "--db", db, "--max-article-chars", 20_000)

    assert result.exit_code == EXIT_PARTIAL, result.output
    assert "--max-article-chars" in result.stderr and "huge.txt" in result.stderr
    (kind, error), = query(db, "select error_kind, error from extractions where status = "
                               "'failed'")
    assert kind == "too_large" and "50,000 characters" in error and "20,000" in error
    assert query(db, "select count(*) from extractions where status = 'ok'") == [(1,)]
    # Raised, the same article goes through.
    again = run(tmp_path / "huge.txt", "--db", db, "--max-article-chars", 60_000)
    assert again.exit_code == EXIT_OK, again.output


def test_a_huge_title_counts_toward_the_size_cap(tmp_path):
    line = json.dumps({"title": "Gao " * 10_000, "text": "Gunmen killed two people in Gao."})
    (tmp_path / "feed.jsonl").write_text(line + "\n", encoding="utf-8")
    db = tmp_path / "x.db"

    result = run(tmp_path / "feed.jsonl", "--db", db, "--max-article-chars", 1_000)

    assert result.exit_code == EXIT_NOTHING
    assert query(db, "select error_kind from extractions") == [("too_large",)]


def test_an_article_needing_more_chunks_than_the_cap_is_never_sent(fake_openai, tmp_path):
    (tmp_path / "long.txt").write_text(paragraphs(60_000), encoding="utf-8")
    (tmp_path / "short.txt").write_text(GOOD, encoding="utf-8")
    db = tmp_path / "x.db"
    model = ["--model", "fake-model", "--base-url", fake_openai.base_url, "--api-key", "sk-t",
             "--db", db, "--max-input-tokens", 5_000, "--max-tokens", 500, "-q"]

    result = run(tmp_path, *model, "--max-chunks", 3)

    assert result.exit_code == EXIT_PARTIAL, result.output
    assert fake_openai.calls("Fighters attacked a convoy") == 0  # not one chunk was sent
    assert fake_openai.calls("Gunmen ambushed") == 1
    (error,), = query(db, "select error from extractions where error_kind = 'too_large'")
    assert "--max-chunks (3)" in error and "60,000 characters" in error
    # Within the cap, the article goes in chunks and the run succeeds.
    again = run(tmp_path / "long.txt", *model, "--max-chunks", 100)
    assert again.exit_code == EXIT_OK, again.output
    assert fake_openai.calls("Fighters attacked a convoy") > 3


# --- exit codes ----------------------------------------------------------------------------------


def test_a_missing_path_exits_with_a_usage_error_and_creates_no_database(tmp_path):
    db = tmp_path / "sub" / "x.db"
    result = run(tmp_path / "nope.txt", tmp_path / "neither", "--db", db)
    assert result.exit_code == EXIT_USAGE
    assert "nope.txt: no such file or folder" in result.stderr
    assert "neither: no such file or folder" in result.stderr
    assert not db.exists() and not db.parent.exists()


def test_nothing_to_extract_exits_with_its_own_code(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run(empty, "--db", tmp_path / "a.db").exit_code == EXIT_NOTHING
    (tmp_path / "blank.txt").write_text("", encoding="utf-8")
    assert run(tmp_path / "blank.txt", "--db", tmp_path / "b.db").exit_code == EXIT_NOTHING


def test_every_article_failing_is_nothing_extracted_and_some_failing_is_partial(fake_openai,
                                                                               tmp_path):
    for n in range(3):
        (tmp_path / f"a{n}.txt").write_text(GOOD.replace("three", f"{n + 3} of"), "utf-8")
    fake_openai.script("Gunmen ambushed", ["invalid"] * 10)
    model = ["--model", "fake-model", "--base-url", fake_openai.base_url, "--api-key", "sk-t",
             "--validation-retries", 0, "--db", tmp_path / "x.db", "-q"]
    assert run(tmp_path, *model).exit_code == EXIT_NOTHING
    fake_openai.reset()
    fake_openai.script("5 of", ["invalid"])
    assert run(tmp_path, *model).exit_code == EXIT_PARTIAL
    fake_openai.reset()
    assert run(tmp_path, *model).exit_code == EXIT_OK
    assert run(tmp_path, *model).exit_code == EXIT_OK  # all skipped: already extracted


# --- one line per message ------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "shown"), [
    ("bad\nname.txt", "bad\\nname.txt"),
    ("cr\rreturn.txt", "cr\\rreturn.txt"),
    ("tab\tand\x1b[31mred.txt", "tab\\tand\\x1b[31mred.txt"),
    ("line\u2028sep.txt", "line\\u2028sep.txt"),
    ("[red]markup[bold].txt", "[red]markup[bold].txt"),  # shown as written, not as markup
])
def test_a_file_name_that_would_break_the_line_is_escaped(tmp_path, name, shown):
    (tmp_path / name).write_bytes(b"")  # empty: reported as a problem with its name
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")

    result = run(tmp_path, "--db", tmp_path / "x.db", "-q")

    problem = [line for line in result.stderr.splitlines() if "file is empty" in line]
    assert len(problem) == 1, result.stderr
    assert problem[0].endswith(f"/{shown}: file is empty")
    assert all(c.isprintable() for c in problem[0])
    assert result.exit_code == EXIT_PARTIAL


def test_a_validation_error_is_one_short_line_on_the_console_and_whole_in_the_database(
        fake_openai, tmp_path):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    fake_openai.script("Gunmen ambushed", ["invalid"] * 3)
    db = tmp_path / "x.db"

    result = run(tmp_path, "--model", "fake-model", "--base-url", fake_openai.base_url,
                 "--api-key", "sk-t", "--validation-retries", 1, "--db", db, "-q")

    (error,), = query(db, "select error from extractions")
    assert "\n" in error and len(error) > DETAIL_CHARS  # pydantic's report, whole
    failed = [line for line in result.stderr.splitlines() if line.startswith("failed ")]
    assert len(failed) == 1
    assert len(failed[0]) < DETAIL_CHARS + 200 and "whole in the database" in failed[0]


def test_a_file_name_that_is_not_utf8_is_stored_and_shown_escaped(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    with open(os.fsencode(folder) + b"/bad\xff name.txt", "wb") as handle:
        handle.write(GOOD.encode())
    with open(os.fsencode(folder) + b"/empty\xfe.txt", "wb") as handle:
        handle.write(b"")
    db = tmp_path / "x.db"

    result = run(folder, "--db", db, "-q")

    assert result.exit_code == EXIT_PARTIAL, result.output  # the empty file; the other stored
    (origin,), = query(db, "select origin from articles")
    assert origin.endswith("/bad\\xff name.txt")
    (problem,) = [line for line in result.stderr.splitlines() if "file is empty" in line]
    assert "empty\\xfe.txt" in problem and problem.isprintable()  # as the origin is stored


def test_an_unexpected_error_is_exit_1_with_one_line_and_no_traceback(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "file").write_text("not a folder", encoding="utf-8")
    result = run(tmp_path / "a.txt", "--db", tmp_path / "file" / "x.db")
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "Traceback" not in result.stderr
