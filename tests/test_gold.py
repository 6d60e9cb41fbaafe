"""The gold data in evals/gold/*.jsonl keeps to the codebook's contract.

Every line is a GoldRecord whose id is the hash of its text, whose evidence is verbatim, whose
actor names resolve to the record's own actors, and which says what it tests; the hard-case set
covers every kind of difficulty the project's evaluation relies on.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from extractor.schemas import CasualtyKind, GoldRecord, article_id_for

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "evals" / "gold"
SEEDS_DIR = Path("/work/shared/seeds")

# What the hard cases must exercise between them (tags in each record's `tests`).
REQUIRED_HARD_CASE_TAGS = {
    "multi_incident",
    "background",
    "conflicting_tolls",
    "vague_figures",
    "relative_dates",
    "aliases",
    "unnamed_perpetrators",
    "civilians_in_battle",
    "ied_ambush",
    "drone_strike",
    "drone_civilian_casualties",
    "abduction",
    "coordinated_attack",
    "no_incident",
    "withdrawal",
    "revised_toll",
    "claim_no_toll",
    "protest_force",
    "territory_capture",
    "figure_at_least",
    "figure_more_than",
    "figure_up_to",
    "figure_between",
    "burkina_faso",
    "niger",
}


def _load(path: Path) -> list[tuple[str, GoldRecord]]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            rows.append((f"{path.name}:{number}", GoldRecord.model_validate_json(line)))
    return rows


GOLD_FILES = sorted(GOLD.glob("*.jsonl"))
RECORDS = [row for path in GOLD_FILES for row in _load(path)]
IDS = [where for where, _ in RECORDS]


def _names(record: GoldRecord) -> set[str]:
    return {n for a in record.actors for n in (a.name, *a.aliases)}


def test_gold_files_exist():
    names = {p.name for p in GOLD_FILES}
    assert {"seeds.jsonl", "hard_cases.jsonl"} <= names


def test_every_line_is_valid_json_gold_record():
    for path in GOLD_FILES:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            assert line.strip(), f"{path.name}:{number}: blank line"
            GoldRecord.model_validate(json.loads(line))


def test_at_least_23_records():
    assert len(RECORDS) >= 23


def test_ids_unique_across_files():
    ids = [rec.article.id for _, rec in RECORDS]
    assert len(ids) == len(set(ids)), "duplicate article ids"


@pytest.mark.parametrize("where,record", RECORDS, ids=IDS)
def test_article_id_is_hash_of_text(where, record):
    assert record.article.id == article_id_for(record.article.text), where


@pytest.mark.parametrize("where,record", RECORDS, ids=IDS)
def test_evidence_is_verbatim(where, record):
    for number, incident in enumerate(record.incidents, start=1):
        assert incident.evidence, f"{where} incident {number}: no evidence"
        for quote in incident.evidence:
            assert quote in record.article.text, f"{where} incident {number}: {quote!r}"


@pytest.mark.parametrize("where,record", RECORDS, ids=IDS)
def test_actor_names_resolve_to_record_actors(where, record):
    names = _names(record)
    for number, incident in enumerate(record.incidents, start=1):
        used = [*incident.perpetrators, *incident.targets, *incident.claimed_by]
        used += [c.victims for c in incident.casualties if c.victims is not None]
        for name in used:
            assert name in names, f"{where} incident {number}: '{name}' is not a gold actor"
        # claimed_by is the perpetrators' side.
        assert set(incident.claimed_by) <= set(incident.perpetrators), (
            f"{where} incident {number}: claimed_by outside perpetrators")


@pytest.mark.parametrize("where,record", RECORDS, ids=IDS)
def test_actors_are_used_and_unambiguous(where, record):
    used = set()
    for incident in record.incidents:
        used |= {*incident.perpetrators, *incident.targets, *incident.claimed_by}
        used |= {c.victims for c in incident.casualties if c.victims}
    seen: dict[str, str] = {}
    for actor in record.actors:
        assert {actor.name, *actor.aliases} & used, f"{where}: actor {actor.name!r} unused"
        for name in (actor.name, *actor.aliases):
            key = name.casefold()
            assert key not in seen or seen[key] == actor.name, (
                f"{where}: '{name}' names both {seen.get(key)!r} and {actor.name!r}")
            seen[key] = actor.name
    # Unnamed civilian victims are the actor `civilians`.
    if any(c.victims == "civilians" for i in record.incidents for c in i.casualties):
        assert any(a.name == "civilians" and a.actor_type == "civilians" for a in record.actors)


@pytest.mark.parametrize("where,record", RECORDS, ids=IDS)
def test_every_record_says_what_it_tests(where, record):
    assert record.tests and all(t.strip() for t in record.tests), where


@pytest.mark.parametrize("where,record", RECORDS, ids=IDS)
def test_ranges_and_dates_are_coherent(where, record):
    for number, incident in enumerate(record.incidents, start=1):
        # Both dates or neither: a gold window is closed.
        assert (incident.date_start is None) == (incident.date_end is None), (where, number)
        if record.article.published and incident.date_end:
            assert incident.date_end <= record.article.published, (where, number)
        for claim in incident.casualties:
            assert claim.count_min is not None or claim.count_max is not None, (where, claim)
            assert claim.count_text.strip()
            assert claim.kind in CasualtyKind


def test_hard_cases_cover_required_tags():
    hard = _load(GOLD / "hard_cases.jsonl")
    assert len(hard) >= 20
    tags = {t for _, rec in hard for t in rec.tests}
    missing = REQUIRED_HARD_CASE_TAGS - tags
    assert not missing, f"hard cases do not cover: {sorted(missing)}"


def test_hard_cases_are_wire_length_and_dated():
    for where, rec in _load(GOLD / "hard_cases.jsonl"):
        words = len(rec.article.text.split())
        assert 150 <= words <= 450, f"{where}: {words} words"
        assert rec.article.published is not None, where
        assert rec.article.title and rec.article.url and rec.article.source, where


def test_no_incident_case_is_empty():
    hard = _load(GOLD / "hard_cases.jsonl")
    empty = [rec for _, rec in hard if "no_incident" in rec.tests]
    assert empty and all(not rec.incidents and not rec.actors for rec in empty)


def test_seed_texts_are_the_seed_files():
    if not SEEDS_DIR.is_dir():
        pytest.skip("shared seeds not available")
    texts = {rec.article.text for _, rec in _load(GOLD / "seeds.jsonl")}
    files = sorted(SEEDS_DIR.glob("*.txt"))
    assert len(texts) == len(files) == 3
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert (text[:-1] if text.endswith("\n") else text) in texts, path.name


def test_jsonl_is_reproducible_from_source():
    if not SEEDS_DIR.is_dir():
        pytest.skip("shared seeds not available")
    result = subprocess.run(
        [sys.executable, str(GOLD / "build.py"), "--check"],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
