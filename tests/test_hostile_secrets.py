"""Credentials inside --base-url: redacted from settings stored, messages shown, errors kept."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from extractor.config import REDACTED, ModelConfig, redact_secrets, url_secrets

EXTRACTOR = str(Path(sys.executable).parent / "extractor")


@pytest.mark.parametrize(("url", "secret"), [
    ("https://host/v1?api-key=abc123XYZ", "abc123XYZ"),
    ("https://host/v1?API_KEY=abc123XYZ&x=1", "abc123XYZ"),
    ("https://host/v1?x=1&Api-Key=abc123XYZ", "abc123XYZ"),
    ("https://host/v1?key=abc123XYZ", "abc123XYZ"),
    ("https://host/api?code=abc123XYZ==", "abc123XYZ=="),  # Azure functions
    ("https://host/v1?sig=abc123XYZ&se=2030", "abc123XYZ"),  # a signed URL
    ("https://host/v1?access_token=abc123XYZ", "abc123XYZ"),
    ("https://user:abc123XYZ@host/v1", "abc123XYZ"),
    ("https://abc123XYZ@host/v1", "abc123XYZ"),
    ("https://host/v1?token=abc%2B123XYZ", "abc%2B123XYZ"),  # percent-encoded, as written
])
def test_a_key_in_the_base_url_is_redacted_from_its_settings_and_any_message(url, secret):
    model = ModelConfig(model="m", base_url=url, api_key="sk-the-real-key")
    public = str(model.public_settings())
    assert secret not in public and REDACTED in public
    assert "sk-the-real-key" not in public
    # The same secret in any message: an SDK error quoting the full URL, or the bare value.
    message = f"Error requesting {url}/chat/completions: refused; key was {secret}"
    redacted = redact_secrets(message, model.secrets())
    assert secret not in redacted and "host" in redacted
    assert "sk-the-real-key" not in redact_secrets("bad key sk-the-real-key", model.secrets())


def test_what_is_not_a_credential_is_left_alone():
    url = "https://host/openai/v1?api-version=2024-06-01&region=eu"
    assert url_secrets(url) == ()
    assert ModelConfig(model="m", base_url=url).public_settings()["base_url"] == url
    assert redact_secrets("keys and tokens are words", ["ab"]) == "keys and tokens are words"


def test_a_key_in_the_base_url_is_in_no_table_and_no_output(fake_openai, tmp_path):
    (tmp_path / "a.txt").write_text("Gunmen ambushed soldiers near Gao on Monday, killing "
                                    "three, officials said.", encoding="utf-8")
    db = tmp_path / "x.db"
    secret = "QUERY-SECRET-9f8e7d"
    url = f"{fake_openai.base_url}?api-key={secret}&api-version=2024"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    result = subprocess.run([EXTRACTOR, "extract", tmp_path / "a.txt", "-m", "fake-model",
                             "--base-url", url, "--api-key", "sk-KEY-5a4b3c2d", "--db", db,
                             "--max-retries", "0", "-q"],
                            capture_output=True, text=True, timeout=120, env=env)
    shown = result.stdout + result.stderr
    assert "api-key=***" in shown  # the URL is shown, without its key
    with sqlite3.connect(db) as conn:
        dump = "\n".join(conn.iterdump())
    assert "api-key=***" in dump  # runs.settings, and any message stored
    for text in (shown, dump):
        assert secret not in text and "sk-KEY-5a4b3c2d" not in text


def test_errors_the_backend_reports_are_stored_without_the_credentials(tmp_path):
    import asyncio

    from extractor.backend import BackendResult, ModelCall
    from extractor.config import RunConfig
    from extractor.intake.articles import SourcedArticle
    from extractor.pipeline import Resources, run_pipeline
    from extractor.schemas import Article, article_id_for
    from extractor.store.database import Store

    model = ModelConfig(model="m", base_url="https://u:PASS-1a2b3c@host/v1?key=Q-9z8y7x",
                        api_key="sk-ABCDEF-123")
    leak = f"POST {model.base_url}/chat/completions failed; key sk-ABCDEF-123 refused"

    class Leaky:
        model, prompt_name, prompt_hash, schema_hash = "m", "p", "p", "s"

        def params(self) -> dict[str, object]:
            return {}

        async def extract(self, article: Article) -> BackendResult:
            call = ModelCall(attempt=1, ask=1, request_messages=[], status="http_500",
                             error=leak)
            return BackendResult(result=None, error=leak, error_kind="transport", calls=[call])

        async def aclose(self) -> None:
            return None

    text = "Gunmen attacked Gao on Monday."
    item = SourcedArticle(Article(id=article_id_for(text), text=text), "a.txt")
    config = RunConfig(db_path=tmp_path / "x.db")
    store = Store.open(config.db_path)
    asyncio.run(run_pipeline([item], Leaky(), store, Resources.load(config), config,
                             settings=model.public_settings(), secrets=model.secrets()))
    dump = "\n".join(store.db.conn.iterdump())
    assert "key *** refused" in dump  # the error is kept, the key is not
    for secret in ("PASS-1a2b3c", "Q-9z8y7x", "sk-ABCDEF-123"):
        assert secret not in dump
