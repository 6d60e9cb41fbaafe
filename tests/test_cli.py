"""The command line end to end on the offline baseline: the main job of `make run`."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor.cli import EXIT_PARTIAL, cli, resolve_configs
from extractor.config import BASELINE_MODEL
from extractor.store.database import open_db

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "articles"
CLEAN_ENV = {"EXTRACTOR_MODEL": None, "OPENAI_API_KEY": None, "OPENAI_BASE_URL": None,
             "EXTRACTOR_DB": None, "EXTRACTOR_MODE": None, "EXTRACTOR_CONFIG": None,
             "EXTRACTOR_PRICES": None}


def run(*args, **kwargs):
    return CliRunner(env=CLEAN_ENV).invoke(cli, list(args), catch_exceptions=False, **kwargs)


def table_counts(db_path):
    db = open_db(db_path)
    try:
        return {t: db[t].count for t in ("articles", "extractions", "incidents", "actors",
                                          "casualties", "evidence", "incident_actors")}
    finally:
        db.close()


def test_extract_examples_with_the_baseline_and_say_so(tmp_path):
    db = tmp_path / "incidents.db"
    result = run("extract", str(EXAMPLES), "--db", str(db))
    assert result.exit_code == 0, result.output
    assert "offline baseline" in result.stderr
    assert "incidents stored" in result.stdout
    counts = table_counts(db)
    assert counts["articles"] == 5 and counts["extractions"] == 5
    assert counts["incidents"] >= 3 and counts["evidence"] >= counts["incidents"]
    conn = open_db(db)
    run_row = next(conn["runs"].rows)
    assert run_row["status"] == "completed" and run_row["model"] == BASELINE_MODEL
    assert run_row["articles_extracted"] == 5
    assert all(row["status"] == "ok" for row in conn["extractions"].rows)


def test_running_twice_stores_nothing_twice(tmp_path):
    db = tmp_path / "incidents.db"
    assert run("extract", str(EXAMPLES), "--db", str(db)).exit_code == 0
    first = table_counts(db)
    second = run("extract", str(EXAMPLES), str(EXAMPLES), "--db", str(db))
    assert second.exit_code == 0
    assert table_counts(db) == first
    runs = list(open_db(db).query("select * from runs order by id"))
    assert runs[1]["articles_skipped"] == 5 and runs[1]["articles_extracted"] == 0


def test_bad_inputs_are_reported_by_file_and_line_and_the_rest_goes_on(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "good.txt").write_text("Title: Ambush\n\nGunmen ambushed Malian soldiers near "
                                     "Gao on Monday, killing three of them, officials said.\n")
    (inputs / "empty.txt").write_text("")
    (inputs / "binary.txt").write_bytes(b"\x00\x01\x02binary")
    (inputs / "latin1.txt").write_bytes("Attaque près de Mopti".encode("latin-1"))
    (inputs / "feed.jsonl").write_text(
        json.dumps({"title": "A", "text": "JNIM fighters attacked an army post in Boni, "
                                          "killing five soldiers."}) + "\n"
        + "{not json\n"
        + json.dumps({"title": "no text"}) + "\n"
    )
    db = tmp_path / "x.db"
    result = run("extract", str(inputs), str(tmp_path / "missing.txt"), "--db", str(db))
    assert result.exit_code == EXIT_PARTIAL, result.output  # stored, but not all of it
    for name in ("empty.txt", "binary.txt", "feed.jsonl:2", "feed.jsonl:3", "missing.txt"):
        assert name in result.stderr, name
    # Not UTF-8, but its encoding is detected: read, with a warning that names the guess.
    assert f"warning {inputs / 'latin1.txt'}: not UTF-8" in result.stderr
    assert table_counts(db)["articles"] == 3
    run_row = next(open_db(db)["runs"].rows)
    assert run_row["input_errors"] == 5 and run_row["articles_extracted"] == 3


def test_settings_come_from_flags_then_environment_then_defaults(tmp_path):
    env = {"EXTRACTOR_MODEL": "gpt-x", "OPENAI_BASE_URL": "http://127.0.0.1:9/v1",
           "OPENAI_API_KEY": "sk-secret", "EXTRACTOR_DB": str(tmp_path / "env.db")}
    model, runcfg = resolve_configs({"model": None, "db": None}, env)
    assert (model.model, model.base_url, model.api_key) == ("gpt-x", "http://127.0.0.1:9/v1",
                                                            "sk-secret")
    assert runcfg.db_path == tmp_path / "env.db"
    assert "sk-secret" not in repr(model) and "sk-secret" not in json.dumps(
        model.public_settings())
    model, runcfg = resolve_configs({"model": "baseline", "db": tmp_path / "flag.db",
                                     "mode": "md_json"}, env)
    assert model.is_baseline and model.mode == "md_json"
    assert runcfg.db_path == tmp_path / "flag.db"
    model, runcfg = resolve_configs({}, {})
    assert model.is_baseline and str(runcfg.db_path) == "data/incidents.db"


def test_schema_command_prints_the_schema_file_contents():
    from extractor import schemas

    result = run("schema")
    written = (ROOT / "schemas" / schemas.SCHEMA_FILE_NAME).read_text()
    assert json.loads(result.stdout) == json.loads(written)


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_has_complete_help(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert len(cli.commands[command].help or "") > 40
    for param in cli.commands[command].params:
        if getattr(param, "help", None) is None and param.param_type_name == "option":
            pytest.fail(f"{command} --{param.name} has no help")


def test_a_config_file_sits_between_the_environment_and_the_defaults(tmp_path):
    config = tmp_path / "conf" / "extractor.toml"
    config.parent.mkdir()
    config.write_text('model = "file-model"\nmode = "json_schema"\ntemperature = 0.2\n'
                      'max_tokens = 2048\nconcurrency = 16\ndb = "runs/x.db"\n')
    model, runcfg = resolve_configs({"config": config}, {})
    assert (model.model, model.mode, model.temperature, model.max_tokens) == (
        "file-model", "json_schema", 0.2, 2048)
    assert runcfg.concurrency == 16
    assert runcfg.db_path == config.parent / "runs" / "x.db"  # relative to the file
    model, runcfg = resolve_configs({"config": config, "max_tokens": 512},
                                    {"EXTRACTOR_MODEL": "env-model"})
    assert (model.model, model.max_tokens, model.mode) == ("env-model", 512, "json_schema")
    model, _ = resolve_configs({}, {"EXTRACTOR_CONFIG": str(config)})
    assert model.model == "file-model"


@pytest.mark.parametrize("content,message", [
    ('api_key = "sk-x"\n', "does not belong in a config file"),
    ('modle = "x"\n', "unknown setting 'modle'"),
    ('max_tokens = "many"\n', "'max_tokens' must be a whole number"),
    ("model = \n", "not valid TOML"),
])
def test_a_bad_config_file_is_one_clear_error_naming_the_file(tmp_path, content, message):
    config = tmp_path / "bad.toml"
    config.write_text(content)
    result = CliRunner(env=CLEAN_ENV).invoke(
        cli, ["extract", str(EXAMPLES), "--config", str(config), "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 1
    assert str(config) in result.stderr and message in result.stderr
    assert "Traceback" not in result.output and "sk-x" not in result.output
    assert not (tmp_path / "x.db").exists()


def test_the_cost_guards_come_from_flags_or_a_config_file(tmp_path):
    config = tmp_path / "extractor.toml"
    config.write_text("max_chunks = 3\nmax_article_chars = 9000\n", encoding="utf-8")
    model, run_config = resolve_configs({"config": str(config)}, env={})
    assert (model.max_chunks, run_config.max_article_chars) == (3, 9000)
    model, run_config = resolve_configs({"config": str(config), "max_chunks": 5}, env={})
    assert model.max_chunks == 5
    model, run_config = resolve_configs({}, env={})
    assert (model.max_chunks, run_config.max_article_chars) == (12, 500_000)
