"""One bad article never costs the others, whatever reaches the store or the pipeline.

Values SQLite cannot hold, strings UTF-8 cannot encode, bugs in post-processing and input
that breaks mid-run: the article at fault ends alone, as failed with its reason; a run that an
exception ends is recorded as crashed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from extractor.backend import BackendResult, ModelCall, Usage
from extractor.config import RunConfig
from extractor.intake.articles import InputProblem, SourcedArticle
from extractor.pipeline import Resources, run_pipeline
from extractor.resolve.gazetteer import Gazetteer
from extractor.resolve.postprocess import process
from extractor.resolve.registry import ActorRegistry
from extractor.schemas import (
    Article,
    CasualtyClaim,
    CasualtyKind,
    ExtractionResult,
    Incident,
    article_id_for,
    schema_hash,
)
from extractor.store.database import Store, extraction_key
from extractor.store.rows import ExtractionRecord
from extractor.vocabulary import ErrorKind, ExtractionStatus, RunStatus


def article(n: int, **extra: Any) -> Article:
    text = f"Gunmen killed {n + 2} soldiers near Gao on Monday, officials said. Item {n}."
    return Article(id=article_id_for(text), text=text, published=date(2024, 6, 30), **extra)


def result(count: int = 4, summary: str = "Gunmen killed soldiers near Gao.") -> ExtractionResult:
    # model_construct: what a buggy backend or post-processor could hand on, unvalidated.
    claim = CasualtyClaim.model_construct(kind=CasualtyKind.killed, count_text="many",
                                          count_min=count, count_max=count, victims=None,
                                          source=None)
    incident = Incident(summary="x", event_type="battles", sub_event_type="armed_clash",
                        geo_precision="country", evidence=["Gunmen killed"])
    incident = incident.model_copy(update={"summary": summary, "casualties": [claim]})
    return ExtractionResult(incidents=[incident])


def record(store: Store, item: Article, run_id: int, outcome: BackendResult) -> ExtractionRecord:
    processed = None
    if outcome.result is not None:
        processed = process(item, outcome.result, ActorRegistry.load(), Gazetteer.load())
    key = extraction_key(item.id, "m", "p", schema_hash(), {})
    return ExtractionRecord(key, item, run_id, "m", "p", schema_hash(), "pp", outcome, processed)


def new_run(store: Store) -> int:
    return store.start_run(command="extract", model="m", prompt_name="p", prompt_hash="p",
                           schema_hash=schema_hash(), settings={})


def statuses(store: Store) -> dict[str, tuple[str, str | None, str | None]]:
    return {row[0]: (row[1], row[2], row[3]) for row in store.db.execute(
        "select a.text, e.status, e.error_kind, e.error from extractions e "
        "join articles a on a.id = e.article_id")}


@pytest.mark.parametrize("spoil", [
    pytest.param(lambda: BackendResult(result=result(count=10**20)), id="count-beyond-int64"),
    pytest.param(lambda: BackendResult(result=result(), usage=Usage(2**70, 1, 2**70)),
                 id="usage-beyond-int64"),
    pytest.param(lambda: BackendResult(result=result(summary="boom \ud800 near Gao")),
                 id="lone-surrogate-in-summary"),
    pytest.param(lambda: BackendResult(result=None, error="bad \udc80 byte",
                                       error_kind=ErrorKind.VALIDATION,
                                       raw_response='{"x": "\udfff"}'),
                 id="lone-surrogate-in-error-and-raw"),
    pytest.param(lambda: BackendResult(result=result(), calls=[ModelCall(
        attempt=1, ask=1, request_messages=[{"role": "user", "content": "hi \ud834"}],
        status="ok", response="\udd1e")]), id="lone-surrogate-in-call-log"),
])
def test_one_article_the_database_cannot_hold_fails_alone_and_the_batch_is_stored(tmp_path,
                                                                                  spoil):
    store = Store.open(tmp_path / "x.db")
    items = [article(n) for n in range(5)]
    store.add_articles((item, f"in.jsonl:{n}") for n, item in enumerate(items))
    run_id = new_run(store)
    records = [record(store, item, run_id, BackendResult(result=result()))
               for item in items]
    records[2] = record(store, items[2], run_id, spoil())

    stored = store.save(records)

    assert [r.key for r in stored] == [r.key for r in records]
    outcome = statuses(store)
    assert len(outcome) == 5
    bad = outcome.pop(items[2].text)
    assert all(status == ExtractionStatus.OK for status, _, _ in outcome.values())
    assert bad[0] == ExtractionStatus.FAILED
    assert stored[2].processed is None
    # The others' derived rows are whole; none of the bad article's reached the tables.
    assert store.db.execute("select count(*) from incidents").fetchone()[0] == \
        4 + (bad[0] == ExtractionStatus.OK)
    assert store.db.execute(
        "select count(*) from incidents where article_id = ?", [items[2].id]).fetchone()[0] == 0
    # Saving again (the next run retries the failed one) still works on the same database.
    store.save([record(store, items[2], run_id, BackendResult(result=result()))])
    assert statuses(store)[items[2].text][0] == ExtractionStatus.OK


def test_an_unstorable_value_is_stored_as_an_internal_failure_with_its_reason(tmp_path):
    store = Store.open(tmp_path / "x.db")
    item = article(1)
    store.add_articles([(item, "a.txt")])
    bad = record(store, item, new_run(store), BackendResult(result=result(count=10**20)))

    (stored,) = store.save([bad])

    assert stored.outcome.error_kind == ErrorKind.INTERNAL
    status, kind, error = statuses(store)[item.text]
    assert (status, kind) == (ExtractionStatus.FAILED, ErrorKind.INTERNAL)
    assert error.startswith("the result could not be stored: OverflowError")


def test_lone_surrogates_in_article_metadata_and_text_are_stored_as_replacement_characters(
        tmp_path):
    text = "Gunmen killed three people in Gao \ud800 on Monday."
    item = Article(id=article_id_for(text), text=text, title="Gao \udc00 attack",
                   source="wire\udfff", url="https://example.org/\ud83d")
    store = Store.open(tmp_path / "x.db")
    assert store.add_articles([(item, "feed.jsonl:1")]) == 1
    row = store.db.execute("select title, text, source, url from articles").fetchone()
    assert row == ("Gao \ufffd attack", "Gunmen killed three people in Gao \ufffd on Monday.",
                   "wire\ufffd", "https://example.org/\ufffd")
    assert item.id == article_id_for(row[1])  # the id is the id of the text as stored


class _Backend:
    """A stand-in backend (the Backend protocol): returns what each article's text asks for."""

    model = "test-model"
    prompt_name = "p"
    prompt_hash = "p"
    schema_hash = "s"

    def __init__(self, answers: dict[str, BackendResult]):
        self.answers = answers

    def params(self) -> dict[str, Any]:
        return {}

    async def extract(self, item: Article) -> BackendResult:
        for marker, answer in self.answers.items():
            if marker in item.text:
                return answer
        return BackendResult(result=result())

    async def aclose(self) -> None:
        return None


def run(store: Store, items: Any, backend: Any, tmp_path: Any, **config: Any) -> Any:
    run_config = RunConfig(db_path=tmp_path / "x.db", **config)
    return asyncio.run(run_pipeline(items, backend, store, Resources.load(run_config),
                                    run_config))


def sourced(n: int) -> SourcedArticle:
    return SourcedArticle(article(n), f"in.jsonl:{n}")


def test_a_post_processing_bug_fails_that_article_alone(tmp_path):
    store = Store.open(tmp_path / "x.db")
    # An incident whose geo precision is not a GeoPrecision: post-processing trips over it.
    broken = result().model_copy(update={"incidents": [
        result().incidents[0].model_copy(update={"geo_precision": "nowhere"})]})
    backend = _Backend({"Item 3.": BackendResult(result=broken)})

    summary = run(store, [sourced(n) for n in range(6)], backend, tmp_path)

    assert summary.status == RunStatus.COMPLETED
    assert (summary.extracted, summary.failed) == (5, 1)
    status, kind, error = statuses(store)[article(3).text]
    assert (status, kind) == (ExtractionStatus.FAILED, ErrorKind.INTERNAL)
    assert error.startswith("post-processing failed: AttributeError")


def test_a_run_an_exception_ends_is_recorded_as_crashed_with_what_was_stored(tmp_path):
    store = Store.open(tmp_path / "x.db")

    def items() -> Iterator[SourcedArticle | InputProblem]:
        yield sourced(0)
        yield sourced(1)
        raise RuntimeError("the input vanished mid-read")

    with pytest.raises(RuntimeError, match="vanished"):
        run(store, items(), _Backend({}), tmp_path)

    (status, message), = store.db.execute("select status, message from runs").fetchall()
    assert status == RunStatus.CRASHED
    assert message == "RuntimeError: the input vanished mid-read"
    # A crashed run holds no claims, and a later run over the same input completes.
    assert store.db.execute("select count(*) from claims").fetchone()[0] == 0
    summary = run(store, [sourced(0), sourced(1), sourced(2)], _Backend({}), tmp_path)
    assert summary.status == RunStatus.COMPLETED and summary.extracted + summary.skipped == 3


def test_a_backend_that_raises_fails_its_article_and_the_run_completes(tmp_path):
    class Raising(_Backend):
        async def extract(self, item: Article) -> BackendResult:
            if "Item 1." in item.text:
                raise ValueError("bug \ud800 in the backend\nsecond line")
            return await super().extract(item)

    store = Store.open(tmp_path / "x.db")
    summary = run(store, [sourced(n) for n in range(3)], Raising({}), tmp_path)

    assert summary.status == RunStatus.COMPLETED and summary.failed == 1
    status, kind, error = statuses(store)[article(1).text]
    assert (status, kind) == (ExtractionStatus.FAILED, ErrorKind.INTERNAL)
    assert error.startswith("extracting failed: ValueError: bug \ufffd in the backend")
