"""The model_calls log: each request can be rebuilt exactly from the tables, and the system
message is stored once, not in every row."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from sqlite_utils import Database

from extractor.backend import BackendResult
from extractor.config import ModelConfig
from extractor.model.llm import OpenAIBackend
from extractor.model.prompting import load_prompt
from extractor.schemas import Article, schema_hash
from extractor.store.database import Store, open_db
from extractor.store.rows import ExtractionRecord, system_hash

PROMPT = load_prompt("extract")


def sent_messages(db: Database, extraction_id: str) -> list[list[dict[str, Any]]]:
    """The messages of every request of an extraction, rebuilt from the tables alone.

    A request sends every ask's request_messages up to its own ask (a transport retry, with
    request_messages null, resends its ask's). A system message stored as a reference,
    ``{"role": "system", "prompt_text": id}``, is the text of that prompt_texts row.
    """
    texts = dict(db.execute("select id, text from prompt_texts").fetchall())
    conversation: list[dict[str, Any]] = []
    requests = []
    for (messages,) in db.execute(
            "select request_messages from model_calls where extraction_id = ? order by attempt",
            [extraction_id]).fetchall():
        for message in json.loads(messages) if messages is not None else []:
            if message.get("role") == "system" and set(message) == {"role", "prompt_text"}:
                message = {"role": "system", "content": texts[message["prompt_text"]]}
            conversation.append(message)
        requests.append(list(conversation))
    return requests


def extract_and_store(fake: Any, tmp_path: Any, mode: str,
                      scripts: dict[str, list[Any]]) -> tuple[Store, list[BackendResult]]:
    for marker, steps in scripts.items():
        fake.script(marker, steps)
    backend = OpenAIBackend(ModelConfig(model="gpt-4o-mini", base_url=fake.base_url,
                                        mode=mode, timeout=10.0, max_retries=2,
                                        validation_retries=2, max_tokens=1000),
                            PROMPT, backoff_base=0.01)
    items = [Article(id=marker, title=f"Attack {marker}", text=(
        "Gunmen attacked an army post in Menaka on Monday, killing four soldiers. "
        f"Officials said the attackers fled. Reference {marker}.")) for marker in scripts]
    store = Store(open_db(tmp_path / f"{mode}.db"))
    store.add_articles([(item, "test") for item in items])
    run_id = store.start_run(command="extract", model=backend.model, prompt_name="extract",
                             prompt_hash=PROMPT.hash, schema_hash=schema_hash(), settings={})

    async def go() -> list[BackendResult]:
        try:
            return list(await asyncio.gather(*(backend.extract(item) for item in items)))
        finally:
            await backend.aclose()

    outcomes = asyncio.run(go())
    store.save([ExtractionRecord(key=f"key-{item.id}", article=item, run_id=run_id,
                                 model=backend.model, prompt_hash=PROMPT.hash,
                                 schema_hash=schema_hash(), params_hash="p", outcome=outcome,
                                 processed=None)
                for item, outcome in zip(items, outcomes, strict=True)])
    return store, outcomes


@pytest.mark.parametrize("mode", ["tools", "json_schema", "json", "md_json"])
def test_every_request_is_rebuilt_exactly_from_the_tables(fake_openai, tmp_path, mode):
    scripts = {"RB1": ["ok"], "RB2": ["malformed", "ok"], "RB3": ["503", "invalid", "ok"],
               "RB4": ["ok"]}
    store, _outcomes = extract_and_store(fake_openai, tmp_path, mode, scripts)
    for marker in scripts:
        received = [entry["body"]["messages"] for entry in fake_openai.requests(marker)]
        assert len(received) == len(scripts[marker])
        assert sent_messages(store.db, f"key-{marker}") == received, marker
    # One system message for the whole run, stored once; no row repeats it.
    [stored] = list(store.db["prompt_texts"].rows)
    system = fake_openai.requests("RB1")[0]["body"]["messages"][0]
    assert system["role"] == "system" and stored["text"] == system["content"]
    assert stored["id"] == system_hash(system["content"]) and stored["chars"] > 5_000
    references = 0
    for row in store.db["model_calls"].rows:
        if row["request_messages"] is not None:
            assert stored["text"][:200] not in row["request_messages"]
            references += row["request_messages"].count(f'"prompt_text": "{stored["id"]}"')
    assert references == len(scripts)  # the first request of each article
    store.close()


def test_a_second_run_reuses_the_stored_system_message(fake_openai, tmp_path):
    store, _ = extract_and_store(fake_openai, tmp_path, "tools", {"RS1": ["ok"]})
    store.close()
    store, _ = extract_and_store(fake_openai, tmp_path, "tools", {"RS2": ["ok"]})
    assert store.db["prompt_texts"].count == 1
    assert sent_messages(store.db, "key-RS2") == [
        entry["body"]["messages"] for entry in fake_openai.requests("RS2")]
    store.close()


def test_rows_logged_before_the_migration_still_read_back(tmp_path):
    """A row with the system message inline (system_hash null) reads back unchanged."""
    db = open_db(tmp_path / "old.db")
    messages = [{"role": "system", "content": "rules"}, {"role": "user", "content": "article"}]
    db["articles"].insert({"id": "a"})
    db["runs"].insert({"id": 1})
    db["extractions"].insert({"id": "x", "article_id": "a", "run_id": 1})
    db["model_calls"].insert({"id": "x-1-1", "extraction_id": "x", "run_id": 1, "attempt": 1,
                              "ask": 1, "request_messages": json.dumps(messages)})
    assert sent_messages(db, "x") == [messages]
    db.close()
