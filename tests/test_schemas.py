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
