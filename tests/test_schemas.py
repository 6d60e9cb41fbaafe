"""The codebook's records: consistency rules, stable ids, and the schema file kept fresh."""

import json
import os
from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError

from extractor import schemas
from extractor.schemas import (
    SCHEMA_FILE_NAME,
    SUB_EVENT_TYPES,
    Article,
    CasualtyClaim,
    EventType,
    ExtractionResult,
    Incident,
    article_id_for,
    extraction_json_schema,
    schema_hash,
)

# The data contract lives in shared/, beside the repository root (CI checks it out there).
CODEBOOK = Path(__file__).resolve().parents[1].parent / "shared" / "codebook.md"


def incident(**overrides):
    fields = {"summary": "s", "event_type": "battles", "sub_event_type": "armed_clash",
              "geo_precision": "place"}
    return Incident(**{**fields, **overrides})


def test_schema_file_is_current():
    written = Path(__file__).resolve().parents[1] / "schemas" / SCHEMA_FILE_NAME
    assert json.loads(written.read_text()) == extraction_json_schema(), (
        "schemas/extraction_result.schema.json is stale: run `make schema`"
    )


def test_schema_hash_is_stable_and_short():
    assert schema_hash() == schema_hash()
    assert len(schema_hash()) == 12


@pytest.mark.parametrize("event_type", list(EventType))
def test_every_sub_type_belongs_to_exactly_its_type(event_type):
    for sub in SUB_EVENT_TYPES[event_type]:
        incident(event_type=event_type, sub_event_type=sub)
    others = [s for t, subs in SUB_EVENT_TYPES.items() if t != event_type for s in subs]
    for sub in others:
        with pytest.raises(ValidationError, match="does not belong"):
            incident(event_type=event_type, sub_event_type=sub)


def test_dates_must_be_ordered():
    incident(date_start=date(2024, 7, 27), date_end=date(2024, 7, 27))
    with pytest.raises(ValidationError, match="after date_end"):
        incident(date_start=date(2024, 7, 28), date_end=date(2024, 7, 27))


def test_counts_must_be_ordered_and_open_ended_allowed():
    CasualtyClaim(kind="killed", count_text="at least 15", count_min=15, count_max=None)
    CasualtyClaim(kind="killed", count_text="up to 40", count_min=None, count_max=40)
    with pytest.raises(ValidationError, match="greater than count_max"):
        CasualtyClaim(kind="killed", count_text="x", count_min=5, count_max=4)
    with pytest.raises(ValidationError):
        CasualtyClaim(kind="killed", count_text="x", count_min=-1)


def test_unknown_fields_and_enum_values_are_rejected():
    with pytest.raises(ValidationError):
        incident(fatalities=3)  # derived, never asked of the model
    with pytest.raises(ValidationError):
        incident(geo_precision="city")


def test_article_id_ignores_whitespace_and_unicode_form():
    assert article_id_for("Four  killed\nnear Kidal. ") == article_id_for("Four killed near Kidal.")
    assert article_id_for("Gao\u0301") == article_id_for("Gaó")
    assert article_id_for("a") != article_id_for("b")
    with pytest.raises(ValidationError, match="empty"):
        Article(id="x", text="   ")


def test_every_field_carries_a_description_for_the_model():
    for model in (ExtractionResult, Incident, CasualtyClaim, schemas.Actor):
        for name, field in model.model_fields.items():
            assert field.description, f"{model.__name__}.{name} has no description"


def test_field_names_match_the_codebook():
    if not CODEBOOK.exists():
        # A fresh clone on its own has no shared/; CI has it beside the clone and must check it.
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but {CODEBOOK} is missing")
        pytest.skip(f"{CODEBOOK} is not beside the repository")
    text = CODEBOOK.read_text(encoding="utf-8")
    for model in (ExtractionResult, Incident, CasualtyClaim, schemas.Actor):
        for name in model.model_fields:
            assert f"| {name} |" in text, f"{model.__name__}.{name} is not in the codebook"


# --- bounds on what a model fills (docs/limits.md) -------------------------------------------


def test_dates_are_bounded_to_the_modern_record_and_a_few_years_ahead():
    latest = schemas.latest_date()
    assert latest.year == date.today().year + schemas.FUTURE_YEARS
    for ok in (schemas.MIN_DATE, latest, date(2024, 6, 30)):
        assert incident(date_start=ok, date_end=ok).date_start == ok
    for bad in (date(1899, 12, 31), date(1, 1, 1), date(latest.year + 1, 1, 1),
                date(9999, 12, 31)):
        with pytest.raises(ValidationError, match="outside 1900-01-01"):
            incident(date_start=bad if bad < schemas.MIN_DATE else None, date_end=bad)


def test_counts_strings_and_lists_stop_at_their_bounds_and_not_before():
    top = schemas.MAX_CASUALTY_COUNT
    assert CasualtyClaim(kind="killed", count_text="x", count_min=top, count_max=top)
    with pytest.raises(ValidationError, match="less than or equal to 1000000"):
        CasualtyClaim(kind="killed", count_text="x", count_min=top + 1)
    with pytest.raises(ValidationError):
        CasualtyClaim(kind="killed", count_text="x", count_max=10**20)
    assert incident(summary="s" * schemas.MAX_SUMMARY_CHARS)
    with pytest.raises(ValidationError, match="at most 1000 characters"):
        incident(summary="s" * (schemas.MAX_SUMMARY_CHARS + 1))
    assert incident(place="p" * schemas.MAX_NAME_CHARS, weapons=["w"] * schemas.MAX_ITEMS)
    with pytest.raises(ValidationError):
        incident(place="p" * (schemas.MAX_NAME_CHARS + 1))
    with pytest.raises(ValidationError, match="at most 30 items"):
        incident(weapons=["w"] * (schemas.MAX_ITEMS + 1))
    with pytest.raises(ValidationError, match="at most 2000 characters"):
        incident(evidence=["q" * (schemas.MAX_QUOTE_CHARS + 1)])
    many = [incident()] * schemas.MAX_INCIDENTS
    assert len(ExtractionResult(incidents=many).incidents) == schemas.MAX_INCIDENTS
    with pytest.raises(ValidationError, match="at most 100 items"):
        ExtractionResult(incidents=[*many, incident()])


@pytest.mark.parametrize("where", ["summary", "place", "perpetrators", "evidence"])
def test_a_lone_surrogate_in_anything_a_model_fills_is_refused(where):
    # No store could hold it: refused, and the model is re-asked with the reason.
    value = "Gao \ud800 attack"
    with pytest.raises(ValidationError, match="lone surrogate"):
        incident(**{where: [value] if where in ("perpetrators", "evidence") else value})
    assert incident(**{where: ["Gao \U0001f600"] if where in ("perpetrators", "evidence")
                       else "Gao \U0001f600"})  # a real astral character is fine


def test_an_article_keeps_a_lone_surrogate_as_a_replacement_character():
    text = "Gunmen \udc80 attacked Gao."
    item = Article(id=article_id_for(text), text=text, title="\ud800")
    assert item.text == "Gunmen \ufffd attacked Gao." and item.title == "\ufffd"
    assert article_id_for(text) == article_id_for(item.text)
