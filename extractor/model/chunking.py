"""Long articles: split past the model's context budget, extract chunk by chunk, merge.

An article longer than the budget is cut into overlapping chunks on paragraph boundaries
(failing that, sentence ends, then spaces; a hard cut only inside one over-long word). Every
chunk is an exact slice of the original text, and together the chunks cover all of it, so
nothing is cut off silently and a quote copied from a chunk is a quote from the article:
post-processing aligns evidence against the original text, with offsets into it.

The results are merged: an incident told in two chunks (the overlap, or a story picked up
again further down) is one incident, and an actor named in several chunks is one actor. If
any chunk fails, the article fails with that chunk's reason: nothing half-extracted is kept.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from extractor.backend import Backend, BackendResult, ModelCall, Usage
from extractor.model.prompting import Prompt
from extractor.resolve.grounding import fold_quote
from extractor.resolve.names import name_key
from extractor.schemas import Actor, Article, ExtractionResult, Incident
from extractor.vocabulary import CHARS_PER_TOKEN, ErrorKind

__all__ = [
    "Chunk",
    "ChunkingBackend",
    "article_budget",
    "chunked",
    "merge_results",
    "prompt_overhead_chars",
    "split_text",
]

OVERLAP_RATIO = 0.10
MIN_ARTICLE_CHARS = 2_000  # a budget below this leaves no room for an article: a config error

_PARAGRAPH = re.compile(r"\n[ \t]*\n\s*")
_SENTENCE = re.compile(r"[.!?\u3002\uff01\uff1f\u2026][\"'\u201d\u2019\u00bb)\]]*\s+")
_SPACE = re.compile(r"\s+")
@dataclass(frozen=True)
class Chunk:
    """One slice of an article: ``text == original[start:end]``."""

    index: int
    start: int
    end: int
    text: str


def prompt_overhead_chars(prompt: Prompt) -> int:
    """Characters a prompt adds around an article: system message, examples, user template."""
    probe = Article(id="probe", text="x")
    return len(prompt.system_message()) + len(prompt.user_message(probe)) - len(probe.text)


def article_budget(max_input_tokens: int, overhead_chars: int) -> int:
    """Characters of article text that fit in ``max_input_tokens`` beside the prompt's own
    ``overhead_chars`` (system message, examples, the user template around the text)."""
    budget = max_input_tokens * CHARS_PER_TOKEN - overhead_chars
    if budget < MIN_ARTICLE_CHARS:
        raise ValueError(
            f"max input tokens {max_input_tokens} leave {max(budget, 0)} characters for the "
            f"article once the prompt ({overhead_chars} characters) is in; at least "
            f"{MIN_ARTICLE_CHARS} are needed"
        )
    return budget


def _last_break(text: str, lo: int, hi: int) -> int | None:
    """The latest place in ``(lo, hi]`` where a new segment starts, best kind first."""
    for pattern in (_PARAGRAPH, _SENTENCE, _SPACE):
        found = None
        for match in pattern.finditer(text, lo, hi):
            found = match
        if found is not None and found.end() > lo:
            return found.end()
    return None


def _first_break(text: str, lo: int, hi: int) -> int | None:
    """The earliest place in ``[lo, hi)`` where a new segment starts, best kind first."""
    for pattern in (_PARAGRAPH, _SENTENCE, _SPACE):
        # Search from just before ``lo`` so a separator ending exactly at ``lo`` is seen.
        for match in pattern.finditer(text, max(lo - 8, 0), hi):
            if lo <= match.end() < hi:
                return match.end()
    return None


def split_text(text: str, max_chars: int, overlap_chars: int) -> list[Chunk]:
    """Overlapping chunks of at most ``max_chars`` covering all of ``text``.

    Each chunk but the last ends at the latest paragraph break (else sentence end, else space)
    past its first half; the next one starts at the earliest break within ``overlap_chars``
    before that end, so neighbours share up to ``overlap_chars`` of text.
    """
    if max_chars < 2:
        raise ValueError("max_chars must be at least 2")
    if not 0 <= overlap_chars < max_chars // 2:
        raise ValueError("overlap_chars must be at least 0 and under half of max_chars")
    length = len(text)
    chunks: list[Chunk] = []
    start = 0
    while True:
        limit = start + max_chars
        if limit >= length:
            chunks.append(Chunk(len(chunks), start, length, text[start:length]))
            return chunks
        end = _last_break(text, start + max_chars // 2, limit) or limit
        chunks.append(Chunk(len(chunks), start, end, text[start:end]))
        if overlap_chars == 0:
            start = end
            continue
        # end - overlap_chars > start, because end > start + max_chars // 2 > start + overlap.
        start = _first_break(text, end - overlap_chars, end) or end - overlap_chars


# --- merging --------------------------------------------------------------------------------


def _key(value: str | None) -> str | None:
    if value is None:
        return None
    return name_key(value) or None


def _fold(quote: str) -> str:
    """A quote as compared across chunks: typographic marks, case and spacing folded."""
    return fold_quote(quote).casefold()


def _union(*lists: Sequence[str]) -> list[str]:
    """Items of the lists in order, the first of each name key kept."""
    seen: set[str] = set()
    out: list[str] = []
    for items in lists:
        for item in items:
            key = name_key(item)
            if key not in seen:
                seen.add(key)
                out.append(item)
    return out


class _ActorIndex:
    """Actors merged across chunks by any shared name or alias key."""

    def __init__(self) -> None:
        self.actors: list[dict[str, Any]] = []
        self.by_key: dict[str, int] = {}

    def add(self, actor: Actor) -> None:
        keys = {name_key(n) for n in (actor.name, *actor.aliases)} - {""}
        found = next((self.by_key[k] for k in keys if k in self.by_key), None)
        if found is None:
            found = len(self.actors)
            self.actors.append(actor.model_dump())
        else:
            kept = self.actors[found]
            kept["aliases"] = [a for a in _union(kept["aliases"], [actor.name], actor.aliases)
                               if name_key(a) != name_key(kept["name"])]
            for field in ("country", "affiliation"):
                if kept[field] is None:
                    kept[field] = getattr(actor, field)
        for key in keys:
            self.by_key.setdefault(key, found)

    def ids(self, names: Sequence[str]) -> set[str]:
        """Identities named: the merged actor's index when known, else the name's key."""
        out = set()
        for name in names:
            key = name_key(name)
            if key:
                out.add(f"#{self.by_key[key]}" if key in self.by_key else key)
        return out

    def result(self) -> list[Actor]:
        return [Actor.model_validate(a) for a in self.actors]


@dataclass
class _Merged:
    """An incident being merged, with where its evidence stands in the original text."""

    data: dict[str, Any]
    spans: list[tuple[int, int]]
    folded: list[str]

    @property
    def event_type(self) -> str:
        return str(self.data["event_type"])


def _locate(quote: str, chunk: Chunk) -> tuple[int, int] | None:
    stripped = quote.strip()
    position = chunk.text.find(stripped) if stripped else -1
    if position < 0:
        return None
    return chunk.start + position, chunk.start + position + len(stripped)


def _dates(data: dict[str, Any]) -> tuple[date, date] | None:
    start, end = data["date_start"], data["date_end"]
    if start is None and end is None:
        return None
    return (start or end), (end or start)


def _evidence_overlap(a: _Merged, b: _Merged) -> bool:
    if any(s1 < e2 and s2 < e1 for s1, e1 in a.spans for s2, e2 in b.spans):
        return True
    return any(x and y and (x in y or y in x) for x in a.folded for y in b.folded)


def _same_incident(a: _Merged, b: _Merged, actors: _ActorIndex) -> bool:
    """Duplicates: same event type and place, overlapping dates, shared actors or evidence."""
    if a.event_type != b.event_type:
        return False
    if _key(a.data["place"]) != _key(b.data["place"]):
        return False
    evidence = _evidence_overlap(a, b)
    dates_a, dates_b = _dates(a.data), _dates(b.data)
    if dates_a is not None and dates_b is not None:
        if dates_a[0] > dates_b[1] or dates_b[0] > dates_a[1]:
            return False
    elif (dates_a is None) != (dates_b is None) and not evidence:
        # One side undated (its chunk lacked the date's context): only the same quoted text
        # shows it is the same incident.
        return False
    if evidence:
        return True
    names = ("perpetrators", "targets", "claimed_by")
    return bool(actors.ids([n for f in names for n in a.data[f]])
                & actors.ids([n for f in names for n in b.data[f]]))


def _claim_key(claim: dict[str, Any]) -> tuple[Any, ...]:
    return (claim["kind"], name_key(claim["count_text"]), claim["count_min"], claim["count_max"],
            _key(claim["victims"]), _key(claim["source"]))


def _dedupe_quotes(quotes: list[str]) -> list[str]:
    """Quotes with repeats dropped, and any quote contained in a longer one."""
    folded = [_fold(q) for q in quotes]
    kept: list[str] = []
    seen: set[str] = set()
    for index, quote in enumerate(quotes):
        key = folded[index]
        if not key or key in seen:
            continue
        if any(len(other) > len(key) and key in other for other in folded):
            continue
        seen.add(key)
        kept.append(quote)
    return kept


def _absorb(into: _Merged, other: _Merged) -> None:
    a, b = into.data, other.data
    for field in ("perpetrators", "targets", "claimed_by", "weapons", "sources"):
        a[field] = _union(a[field], b[field])
    claims: dict[tuple[Any, ...], dict[str, Any]] = {}
    for claim in (*a["casualties"], *b["casualties"]):
        claims.setdefault(_claim_key(claim), claim)
    a["casualties"] = list(claims.values())
    a["evidence"] = _dedupe_quotes([*a["evidence"], *b["evidence"]])
    if a["date_start"] is None and a["date_end"] is None:
        for field in ("date_text", "date_start", "date_end"):
            a[field] = b[field]
    for field in ("admin1", "country"):
        if a[field] is None:
            a[field] = b[field]
    # Told as news anywhere in the article, it is news.
    a["is_background"] = a["is_background"] and b["is_background"]
    into.spans += other.spans
    into.folded += other.folded


def merge_results(parts: Sequence[tuple[Chunk, ExtractionResult]]) -> ExtractionResult:
    """One result from the results of an article's chunks, in chunk order."""
    actors = _ActorIndex()
    for _, result in parts:
        for actor in result.actors:
            actors.add(actor)
    merged: list[_Merged] = []
    for chunk, result in parts:
        for incident in result.incidents:
            data = incident.model_dump()
            candidate = _Merged(
                data=data,
                spans=[s for q in incident.evidence if (s := _locate(q, chunk)) is not None],
                folded=[f for q in incident.evidence if (f := _fold(q))],
            )
            twin = next((m for m in merged if _same_incident(m, candidate, actors)), None)
            if twin is None:
                data["evidence"] = _dedupe_quotes(data["evidence"])
                merged.append(candidate)
            else:
                _absorb(twin, candidate)
    return ExtractionResult(incidents=[Incident.model_validate(m.data) for m in merged],
                            actors=actors.result())


# --- the backend wrapper --------------------------------------------------------------------


def chunk_article(article: Article, chunk: Chunk, total: int) -> Article:
    """The article as the model sees one chunk of it: same title and date, the chunk's text."""
    return article.model_copy(update={"id": f"{article.id}-c{chunk.index + 1}of{total}",
                                      "text": chunk.text})


class ChunkingBackend:
    """A backend that extracts long articles chunk by chunk through ``inner``, then merges.

    Articles within ``max_chars`` go to ``inner`` untouched. Chunks run one after another, so
    an article holds one slot of the pipeline's concurrency, and the first failed chunk ends
    the article (no tokens spent on the rest).
    """

    def __init__(self, inner: Backend, max_chars: int, overlap_chars: int | None = None,
                 max_chunks: int | None = None):
        if overlap_chars is None:
            overlap_chars = int(max_chars * OVERLAP_RATIO)
        split_text("", max_chars, overlap_chars)  # checks the settings now, not per article
        self.inner = inner
        self.max_chars = max_chars
        self.overlap_chars = overlap_chars
        self.max_chunks = max_chunks  # cost guard: more chunks fail the article, unsent
        self.model = inner.model
        self.prompt_name = inner.prompt_name
        self.prompt_hash = inner.prompt_hash
        self.schema_hash = inner.schema_hash

    def params(self) -> dict[str, Any]:
        return {**self.inner.params(),
                "chunking": {"max_chars": self.max_chars, "overlap_chars": self.overlap_chars}}

    async def extract(self, article: Article) -> BackendResult:
        chunks = split_text(article.text, self.max_chars, self.overlap_chars)
        if len(chunks) == 1:
            return await self.inner.extract(article)
        if self.max_chunks is not None and len(chunks) > self.max_chunks:
            return BackendResult(
                result=None, attempts=0, error_kind=ErrorKind.TOO_LARGE,
                error=(f"the article ({len(article.text):,} characters) needs {len(chunks)} "
                       f"requests of {self.max_chars:,} characters, more than --max-chunks "
                       f"({self.max_chunks}); raise --max-chunks or --max-input-tokens to "
                       "extract it"))
        usage = Usage()
        attempts = 0
        latency_ms = 0.0
        cost: float | None = None
        raws: list[dict[str, Any]] = []
        calls: list[ModelCall] = []
        parts: list[tuple[Chunk, ExtractionResult]] = []
        for chunk in chunks:
            part = await self.inner.extract(chunk_article(article, chunk, len(chunks)))
            # Call numbers run on across the chunks: one extraction, one sequence of requests.
            calls += [dataclasses.replace(call, attempt=len(calls) + number)
                      for number, call in enumerate(part.calls, start=1)]
            usage.add(part.usage)
            attempts += part.attempts
            latency_ms += part.latency_ms
            if part.cost_usd is not None:
                cost = (cost or 0.0) + part.cost_usd
            raws.append({"chunk": chunk.index + 1, "start": chunk.start, "end": chunk.end,
                         "raw": part.raw_response})
            if part.result is None:
                return BackendResult(
                    result=None, raw_response=json.dumps(raws, ensure_ascii=False),
                    usage=usage, attempts=attempts, latency_ms=latency_ms, cost_usd=cost,
                    error=(f"chunk {chunk.index + 1} of {len(chunks)} (characters "
                           f"{chunk.start}-{chunk.end}) failed: {part.error}"),
                    error_kind=part.error_kind, calls=calls,
                )
            parts.append((chunk, part.result))
        try:
            merged = merge_results(parts)
        except ValueError as error:  # a merged incident broke a schema rule: say so, keep none
            return BackendResult(
                result=None, raw_response=json.dumps(raws, ensure_ascii=False), usage=usage,
                attempts=attempts, latency_ms=latency_ms, cost_usd=cost,
                error=f"merging {len(chunks)} chunks failed: {error}",
                error_kind=ErrorKind.VALIDATION, calls=calls,
            )
        return BackendResult(result=merged, raw_response=json.dumps(raws, ensure_ascii=False),
                             usage=usage, attempts=attempts, latency_ms=latency_ms,
                             cost_usd=cost, calls=calls)

    async def aclose(self) -> None:
        await self.inner.aclose()


def chunked(inner: Backend, prompt: Prompt, max_input_tokens: int, max_tokens: int,
            validation_retries: int, max_chunks: int | None = None) -> ChunkingBackend:
    """``inner`` wrapped so that no request exceeds ``max_input_tokens``.

    The article budget leaves room for the prompt around the article and, when re-asks are
    allowed, for the model's previous output (up to ``max_tokens``), which a re-ask sends back.
    """
    reserve = max_tokens if validation_retries > 0 else 0
    budget = article_budget(max_input_tokens - reserve, prompt_overhead_chars(prompt))
    return ChunkingBackend(inner, budget, int(budget * OVERLAP_RATIO), max_chunks)
