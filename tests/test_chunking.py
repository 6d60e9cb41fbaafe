"""Long articles: split with overlap, extracted chunk by chunk against the fake server, merged.

The model backend is the real one (``OpenAIBackend``) talking HTTP to the fake server, so the
chunks below are what a model would receive; the server's log says what it was sent.
"""

from __future__ import annotations

import asyncio
import itertools
from datetime import date
from typing import Any

import pytest

from extractor.backend import BackendResult
from extractor.config import ConfigError, ModelConfig, RunConfig
from extractor.model.chunking import (
    Chunk,
    ChunkingBackend,
    article_budget,
    chunked,
    merge_results,
    prompt_overhead_chars,
    split_text,
)
from extractor.model.llm import OpenAIBackend
from extractor.model.prompting import load_prompt
from extractor.pipeline import Resources, build_backend, run_pipeline
from extractor.resolve.gazetteer import Gazetteer
from extractor.resolve.postprocess import process
from extractor.resolve.registry import ActorRegistry
from extractor.schemas import Actor, Article, ExtractionResult, Incident, article_id_for
from extractor.store.database import Store

PROMPT = load_prompt("extract")
MAX_CHARS = 1_200
OVERLAP = 300

# Paragraphs of about 250 characters; the ambush paragraph lands in the overlap of chunks 1 and
# 2 (asserted below, so a change in the splitting shows here first).
FILLER = ("Background note {n}: the region has seen a sharp rise in violence since the "
          "withdrawal of peacekeepers, and aid groups say many thousands of people have fled "
          "their villages to camps near the regional capital this year.")
LEAD = ("GAO, May 7 (Wire) - Fighters of the Jama'at Nasr al-Islam wal Muslimin (JNIM) "
        "attacked a gendarmerie post in Ansongo on Monday, killing three gendarmes, officials "
        "said, in the first attack there this year.")
AMBUSH = ("On Tuesday, JNIM fighters ambushed a convoy of the Malian army near Tessit, killing "
          "seven soldiers and wounding nine others, according to a local official who spoke "
          "by telephone.")
LAST = "Closing line: reporting by the wire staff in Bamako, reference CHUNK-END-0042."


def long_text() -> str:
    paragraphs = [LEAD] + [FILLER.format(n=n) for n in range(1, 4)] + [AMBUSH] + \
        [FILLER.format(n=n) for n in range(4, 10)] + [LAST]
    return "\n\n".join(paragraphs)


def long_article() -> Article:
    text = long_text()
    return Article(id=article_id_for(text), title="Attacks in Gao region",
                   published=date(2024, 5, 8), text=text)


def incident(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "summary": "x", "event_type": "battles", "sub_event_type": "armed_clash",
        "date_text": None, "date_start": None, "date_end": None, "place": None,
        "admin1": None, "country": "Mali", "geo_precision": "place", "perpetrators": [],
        "targets": [], "claimed_by": [], "casualties": [], "weapons": [], "sources": [],
        "is_background": False, "evidence": [],
    }
    base.update(fields)
    return base


def ambush(**fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = dict(
        summary="JNIM ambushed a Malian army convoy near Tessit, killing seven soldiers.",
        date_text="Tuesday", date_start="2024-05-07", date_end="2024-05-07", place="Tessit",
        geo_precision="near_place", perpetrators=["JNIM"], targets=["Malian army"],
        casualties=[{"kind": "killed", "count_text": "seven", "count_min": 7, "count_max": 7,
                     "victims": "Malian army", "source": "a local official"}],
        evidence=["JNIM fighters ambushed a convoy of the Malian army near Tessit, killing "
                  "seven soldiers"],
    )
    values.update(fields)
    return incident(**values)


def backend_for(fake: Any, **overrides: Any) -> OpenAIBackend:
    options: dict[str, Any] = dict(model="fake-model", base_url=fake.base_url,
                                   api_key="sk-test-chunking", timeout=5.0, max_retries=1,
                                   validation_retries=1, max_tokens=1000)
    options.update(overrides)
    return OpenAIBackend(ModelConfig(**options), PROMPT, backoff_base=0.01)


def extract(backend: Any, article: Article) -> BackendResult:
    async def go() -> BackendResult:
        try:
            return await backend.extract(article)
        finally:
            await backend.aclose()
    return asyncio.run(go())


# --- splitting -------------------------------------------------------------------------------


def assert_covering(text: str, chunks: list[Chunk], max_chars: int, overlap: int) -> None:
    assert chunks[0].start == 0 and chunks[-1].end == len(text)
    for chunk in chunks:
        assert chunk.text == text[chunk.start:chunk.end]
        assert 0 < len(chunk.text) <= max_chars
    for before, after in itertools.pairwise(chunks):
        assert before.start < after.start <= before.end  # no gap: nothing cut out
        assert before.end - after.start <= overlap


def test_chunks_cover_the_text_and_break_between_paragraphs():
    text = long_text()
    chunks = split_text(text, MAX_CHARS, OVERLAP)
    assert len(chunks) == 3
    assert_covering(text, chunks, MAX_CHARS, OVERLAP)
    for chunk in chunks[:-1]:
        assert text[chunk.end - 2:chunk.end] == "\n\n"  # ends on a paragraph break
    for chunk in chunks[1:]:
        assert text[chunk.start - 2:chunk.start] == "\n\n"  # starts a paragraph
    # The ambush paragraph is in the overlap: whole in chunks 1 and 2.
    assert AMBUSH in chunks[0].text and AMBUSH in chunks[1].text
    assert LAST in chunks[-1].text


@pytest.mark.parametrize("max_chars,overlap", [(400, 40), (1000, 0), (3000, 1400)])
def test_sentences_then_spaces_then_hard_cuts_when_paragraphs_run_long(max_chars, overlap):
    sentences = " ".join(f"Sentence number {n} says something about the attack." for n in
                         range(400))
    words = "x" * 5000  # one endless word: only a hard cut can split it
    text = f"{sentences}\n\n{words}\n\nTail paragraph after the long word."
    chunks = split_text(text, max_chars, overlap)
    assert_covering(text, chunks, max_chars, overlap)
    in_prose = [c for c in chunks if c.end < len(sentences)]
    assert in_prose and all(text[c.end - 2] == "." for c in in_prose)  # ended a sentence
    assert "Tail paragraph after the long word." in chunks[-1].text


def test_short_text_is_one_chunk_and_bad_settings_are_refused():
    assert split_text("short", 100, 10) == [Chunk(0, 0, 5, "short")]
    with pytest.raises(ValueError):
        split_text("text", 100, 50)  # overlap must be under half
    with pytest.raises(ValueError):
        article_budget(1_000, 3_000)  # a prompt bigger than the budget leaves no room


def test_budget_leaves_room_for_the_prompt():
    overhead = prompt_overhead_chars(PROMPT)
    assert overhead >= len(PROMPT.system_message())
    assert article_budget(32_000, overhead) == 32_000 * 4 - overhead


# --- merging ---------------------------------------------------------------------------------


def test_incidents_and_actors_repeated_across_chunks_merge_into_one():
    text = long_text()
    chunks = split_text(text, MAX_CHARS, OVERLAP)
    first = ExtractionResult.model_validate({
        "incidents": [incident(summary="JNIM attacked a gendarmerie post in Ansongo.",
                               place="Ansongo", perpetrators=["JNIM"],
                               evidence=["attacked a gendarmerie post in Ansongo on Monday"]),
                      ambush(weapons=["rifles"])],
        "actors": [{"name": "Jama'at Nasr al-Islam wal Muslimin", "aliases": ["JNIM"],
                    "actor_type": "rebel_group"},
                   {"name": "Malian army", "actor_type": "state_forces", "country": "Mali"}],
    })
    second = ExtractionResult.model_validate({
        "incidents": [ambush(weapons=["rockets"], date_text=None, sources=["local official"],
                             casualties=[*ambush()["casualties"],
                                         {"kind": "wounded", "count_text": "nine",
                                          "count_min": 9, "count_max": 9,
                                          "victims": "Malian army", "source": None}],
                             evidence=[AMBUSH.split(", according")[0],
                                       "killing seven soldiers"])],
        "actors": [{"name": "JNIM", "aliases": ["Nusrat al-Islam"], "actor_type": "rebel_group",
                    "affiliation": "al-Qaeda"},
                   {"name": "Malian Army", "actor_type": "state_forces"}],
    })
    merged = merge_results([(chunks[0], first), (chunks[1], second)])
    assert [i.place for i in merged.incidents] == ["Ansongo", "Tessit"]
    tessit = merged.incidents[1]
    assert tessit.weapons == ["rifles", "rockets"]
    assert tessit.sources == ["local official"]
    assert [(c.kind.value, c.count_min) for c in tessit.casualties] == [("killed", 7),
                                                                        ("wounded", 9)]
    # Evidence de-duplicated: the shorter quotes inside the longer one are gone.
    assert tessit.evidence == [AMBUSH.split(", according")[0]]
    assert tessit.date_text == "Tuesday"
    assert len(merged.actors) == 2
    jnim = merged.actors[0]
    assert jnim.name == "Jama'at Nasr al-Islam wal Muslimin"
    assert jnim.aliases == ["JNIM", "Nusrat al-Islam"] and jnim.affiliation == "al-Qaeda"


@pytest.mark.parametrize("change", [
    {"event_type": "explosions_remote_violence",
     "sub_event_type": "remote_explosive_landmine_ied"},
    {"place": "Ménaka"},
    {"date_start": "2024-04-01", "date_end": "2024-04-01"},
    {"perpetrators": ["ISSP"], "targets": ["civilians"], "evidence": ["another quote"],
     "casualties": []},
])
def test_different_incidents_are_kept_apart(change):
    text = long_text()
    chunks = split_text(text, MAX_CHARS, OVERLAP)
    one = ExtractionResult.model_validate({"incidents": [ambush()]})
    other = ExtractionResult.model_validate({"incidents": [ambush(**change)]})
    assert len(merge_results([(chunks[0], one), (chunks[1], other)]).incidents) == 2


def test_an_undated_twin_merges_only_on_shared_evidence():
    chunks = split_text(long_text(), MAX_CHARS, OVERLAP)
    dated = ExtractionResult.model_validate({"incidents": [ambush()]})
    undated_same_quote = ExtractionResult.model_validate({"incidents": [ambush(
        date_text=None, date_start=None, date_end=None)]})
    undated_other_quote = ExtractionResult.model_validate({"incidents": [ambush(
        date_text=None, date_start=None, date_end=None, evidence=["Background note 5"])]})
    assert len(merge_results([(chunks[0], dated), (chunks[1], undated_same_quote)]).incidents) \
        == 1
    assert len(merge_results([(chunks[0], dated),
                              (chunks[1], undated_other_quote)]).incidents) == 2


# --- through the model backend and the fake server ------------------------------------------


def script_chunks(fake: Any, results: list[dict[str, Any]]) -> list[Chunk]:
    """Answer each chunk's request with its result, matched on text only that chunk holds."""
    text = long_text()
    chunks = split_text(text, MAX_CHARS, OVERLAP)
    for chunk, result in zip(chunks, results, strict=True):
        others = [c.text for c in chunks if c is not chunk]
        marker = next(p for p in chunk.text.split("\n\n")
                      if len(p) > 40 and not any(p in o for o in others))
        fake.script(marker, [{"kind": "ok", "result": result}])
    return chunks


def test_long_article_is_sent_whole_in_chunks_and_merged(fake_openai):
    article = long_article()
    chunks = script_chunks(fake_openai, [
        {"incidents": [incident(summary="JNIM attacked the gendarmerie post in Ansongo.",
                                place="Ansongo", perpetrators=["JNIM"],
                                evidence=["attacked a gendarmerie post in Ansongo on Monday"]),
                       ambush(weapons=["rifles"])],
         "actors": [{"name": "Jama'at Nasr al-Islam wal Muslimin", "aliases": ["JNIM"],
                     "actor_type": "rebel_group"}]},
        {"incidents": [ambush(weapons=["rockets"])],
         "actors": [{"name": "JNIM", "actor_type": "rebel_group"}]},
        {"incidents": [], "actors": []},
    ])
    backend = ChunkingBackend(backend_for(fake_openai), MAX_CHARS, OVERLAP)
    outcome = extract(backend, article)
    assert outcome.ok, outcome.error
    sent = [entry["article"] for entry in fake_openai.requests()]
    # No silent cut: one request per chunk, exactly the chunk texts, together the whole text.
    assert sorted(sent) == sorted(c.text for c in chunks)
    assert any(LAST in s for s in sent) and any(LEAD in s for s in sent)
    # One chunk's ambush and the next chunk's duplicate are one incident.
    assert [i.place for i in outcome.result.incidents] == ["Ansongo", "Tessit"]
    assert outcome.result.incidents[1].weapons == ["rifles", "rockets"]
    assert [a.name for a in outcome.result.actors] == ["Jama'at Nasr al-Islam wal Muslimin"]
    # Accounting summed over the chunks; calls numbered on across them.
    assert outcome.attempts == 3 == len(outcome.calls)
    assert [c.attempt for c in outcome.calls] == [1, 2, 3]
    assert outcome.usage.prompt_tokens > 3 * len(PROMPT.system_message()) // 4
    assert backend.params()["chunking"] == {"max_chars": MAX_CHARS, "overlap_chars": OVERLAP}
    # Evidence offsets point into the original text, past the first chunk for a later quote.
    processed = process(article, outcome.result, ActorRegistry.load(), Gazetteer.load())
    for resolved in processed.incidents:
        for quote in resolved.evidence:
            assert quote.status == "exact"
            assert article.text[quote.start:quote.end] == quote.quote.strip()
    tessit = processed.incidents[1].evidence[0]
    assert tessit.start > chunks[1].start


def test_short_article_goes_to_the_model_untouched(fake_openai):
    text = "Gunmen attacked an army post in Ménaka on Monday, killing four soldiers."
    article = Article(id=article_id_for(text), text=text)
    outcome = extract(ChunkingBackend(backend_for(fake_openai), MAX_CHARS, OVERLAP), article)
    assert outcome.ok and [e["article"] for e in fake_openai.requests()] == [text]


def test_a_failed_chunk_fails_the_article_and_stores_none_of_it(fake_openai, tmp_path):
    article = long_article()
    chunks = split_text(article.text, MAX_CHARS, OVERLAP)
    second_only = next(p for p in chunks[1].text.split("\n\n")
                       if p not in chunks[0].text and p not in chunks[2].text)
    fake_openai.script(second_only, ["400"])  # context length exceeded: no retry
    backend = ChunkingBackend(backend_for(fake_openai), MAX_CHARS, OVERLAP)
    store = Store.open(tmp_path / "t.db")
    resources = Resources.load(RunConfig())
    from extractor.intake.articles import SourcedArticle

    summary = asyncio.run(run_pipeline([SourcedArticle(article, "long.txt")], backend, store,
                                       resources, RunConfig(db_path=tmp_path / "t.db")))
    assert summary.failed == 1 and summary.extracted == 0
    row = store.db.execute("select status, error_kind, error, attempts from extractions") \
        .fetchone()
    assert row[0] == "failed" and row[1] == "bad_request"
    assert "chunk 2 of 3" in row[2] and "context length" in row[2]
    assert row[3] == 2  # the third chunk was never sent
    assert fake_openai.calls() == 2
    for table in ("incidents", "evidence", "casualties", "actor_mentions"):
        assert store.db[table].count == 0
    assert [r[0] for r in store.db.execute("select attempt from model_calls order by attempt")] \
        == [1, 2]
    store.close()


def test_the_model_path_is_chunked_with_the_configured_budget(fake_openai):
    resources = Resources.load(RunConfig())
    model = ModelConfig(model="fake-model", base_url=fake_openai.base_url, api_key="sk-x",
                        max_input_tokens=20_000, max_tokens=2_000)
    backend = build_backend(model, RunConfig(), resources)
    assert isinstance(backend, ChunkingBackend)
    expected = (20_000 - 2_000) * 4 - prompt_overhead_chars(PROMPT)
    assert backend.max_chars == expected and backend.overlap_chars == expected // 10
    assert chunked(backend.inner, PROMPT, 20_000, 2_000, 0).max_chars == \
        20_000 * 4 - prompt_overhead_chars(PROMPT)
    with pytest.raises(ConfigError, match="max-input-tokens"):
        build_backend(ModelConfig(model="fake-model", base_url=fake_openai.base_url,
                                  max_input_tokens=3_000), RunConfig(), resources)
    asyncio.run(backend.aclose())


def test_actor_merge_keeps_the_first_name_and_gathers_aliases():
    chunks = split_text(long_text(), MAX_CHARS, OVERLAP)
    parts = [
        (chunks[0], ExtractionResult(actors=[Actor(name="Wagner Group",
                                                   actor_type="external_forces")])),
        (chunks[1], ExtractionResult(actors=[Actor(name="Wagner", aliases=["Wagner Group",
                                                                            "PMC Wagner"],
                                                   actor_type="external_forces",
                                                   country="Russia")])),
        (chunks[2], ExtractionResult(incidents=[Incident.model_validate(incident())])),
    ]
    merged = merge_results(parts)
    assert len(merged.actors) == 1
    assert merged.actors[0].aliases == ["Wagner", "PMC Wagner"]
    assert merged.actors[0].country == "Russia"
    assert len(merged.incidents) == 1
