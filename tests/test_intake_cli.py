"""Intake through the command line: standard input, the intake options, and what the console
and the store show of bad input (one line each; every good article stored)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from click.testing import CliRunner

from extractor.cli import EXIT_PARTIAL, cli
from extractor.store.database import open_db

INPUTS = Path(__file__).parent / "intake_inputs"
CLEAN_ENV = {"EXTRACTOR_MODEL": None, "OPENAI_API_KEY": None, "OPENAI_BASE_URL": None,
             "EXTRACTOR_DB": None, "EXTRACTOR_MODE": None, "EXTRACTOR_CONFIG": None,
             "EXTRACTOR_PRICES": None}
GOOD = "Rebels ambushed a convoy near Kidal on Saturday, killing at least 15 soldiers."


def run(*args: str, stdin: bytes | None = None):
    return CliRunner(env=CLEAN_ENV).invoke(cli, list(args), input=stdin,
                                           catch_exceptions=False)


def stored(db: Path, sql: str) -> list[tuple]:
    conn = open_db(db)
    try:
        return [tuple(row.values()) for row in conn.query(sql)]
    finally:
        conn.close()


def test_a_batch_with_a_lone_surrogate_stores_every_other_article(tmp_path):
    # The reported case: one "\ud800" escape in a 256-line read batch cost all its articles.
    lines = [json.dumps({"text": f"Article {n}: {GOOD}"}) for n in range(300)]
    lines[10] = '{"text": "broken \\ud800 escape"}'
    db = tmp_path / "x.db"
    result = run("extract", "-", "--db", str(db), stdin=("\n".join(lines) + "\n").encode())
    assert result.exit_code == EXIT_PARTIAL, result.output  # bad input was skipped
    assert stored(db, "select count(*) from articles") == [(299,)]
    assert stored(db, "select input_errors, articles_extracted from runs") == [(1, 299)]
    [line] = [x for x in result.stderr.splitlines() if x.startswith("skipped")]
    assert line.startswith("skipped <stdin>:11: \"text\" holds a lone surrogate")
    assert stored(db, "select origin from articles order by origin limit 1") == [("<stdin>:1",)]


def test_a_file_name_with_a_newline_and_a_bad_byte_is_one_escaped_line(tmp_path):
    root = tmp_path / "in"
    root.mkdir()
    name = os.fsencode(root) + b"/two\nlines\xff.jsonl"
    with open(name, "wb") as handle:
        handle.write(json.dumps({"text": GOOD}).encode() + b"\n{oops\n")
    db = tmp_path / "x.db"
    result = run("extract", str(root), "--db", str(db))
    assert result.exit_code == EXIT_PARTIAL, result.output  # bad input was skipped
    last = result.stderr.splitlines()[-1]
    assert last.startswith(f"skipped {root}/two\\nlines\\xff.jsonl:2: invalid JSON")
    assert stored(db, "select origin from articles") == [(f"{root}/two\\nlines\\xff.jsonl:1",)]


def test_a_date_not_understood_is_a_warning_and_the_article_is_extracted(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(f"Published: last Tuesday\n\n{GOOD}\n")
    db = tmp_path / "x.db"
    result = run("extract", str(path), "--db", str(db))
    assert result.exit_code == 0, result.output
    assert f"warning {path}: publication date 'last Tuesday' not understood" in result.stderr
    assert "skipped" not in result.stderr
    assert stored(db, "select input_errors, articles_extracted from runs") == [(0, 1)]


def test_feed_on_stdin_and_csv_with_field_mapping(tmp_path):
    db = tmp_path / "x.db"
    feed = (INPUTS / "sahel.rss").read_bytes()
    result = run("extract", "-", str(INPUTS / "export.csv"), "--db", str(db),
                 "--field", "text=body", "--field", "title=headline",
                 "--field", "published=date", "--field", "url=link", stdin=feed)
    assert result.exit_code == EXIT_PARTIAL, result.output  # bad input was skipped
    rows = stored(db, "select origin, title, published from articles order by origin")
    assert sorted(rows) == sorted([
        ("<stdin>:19", "Drone strike on a market in Mopti", None),
        ("<stdin>:7", "Ambush near Kidal kills soldiers", "2025-03-18"),
        (f"{INPUTS}/export.csv:2", "Ambush near Gao", "2025-03-18"),
        (f"{INPUTS}/export.csv:6", "Strike", None),
    ])
    assert stored(db, "select input_errors from runs") == [(3,)]


def test_format_option_reads_plain_text_from_stdin(tmp_path):
    db = tmp_path / "x.db"
    result = run("extract", "-", "--format", "text", "--db", str(db),
                 stdin=f"Title: From a pipe\n\n{GOOD}\n".encode())
    assert result.exit_code == 0, result.output
    assert stored(db, "select origin, title from articles") == [("<stdin>", "From a pipe")]


def test_bad_field_option_is_a_usage_error(tmp_path):
    result = run("extract", str(INPUTS), "--field", "body", "--db", str(tmp_path / "x.db"))
    assert result.exit_code == 2
    assert "--field" in result.output and "is not FIELD=NAME" in result.output


def test_max_item_mb_bounds_what_one_line_may_be(tmp_path):
    path = tmp_path / "big.jsonl"
    path.write_text(json.dumps({"text": "x " * 400_000}) + "\n" + json.dumps({"text": GOOD}))
    db = tmp_path / "x.db"
    result = run("extract", str(path), "--max-item-mb", "0.5", "--db", str(db))
    assert result.exit_code == EXIT_PARTIAL, result.output  # bad input was skipped
    assert f"skipped {path}:1: line is 781.3 KB, over the 512.0 KB limit" in result.stderr
    assert stored(db, "select origin from articles") == [(f"{path}:2",)]
