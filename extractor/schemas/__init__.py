"""The codebook as Pydantic models: the records a model fills and the gold data is written in.

Pure data: no I/O, no imports from the rest of the project. The bounds (``bounds``), the enums
(``enums``) and the text helpers (``text``) have modules of their own; this module holds the
records and is the package's face: every name is imported from ``extractor.schemas``. Field
names and enums follow ``shared/codebook.md`` exactly; field descriptions carry the codebook's
meaning, because they are what a language model reads in the JSON Schema.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from extractor.schemas.bounds import (
    FUTURE_YEARS,
    MAX_ACTORS,
    MAX_CASUALTY_COUNT,
    MAX_INCIDENTS,
    MAX_ITEMS,
    MAX_NAME_CHARS,
    MAX_QUOTE_CHARS,
    MAX_SUMMARY_CHARS,
    MIN_DATE,
    Count,
    Name,
    Quote,
    Summary,
    latest_date,
)
from extractor.schemas.enums import (
    SUB_EVENT_TYPES,
    ActorType,
    CasualtyKind,
    EventType,
    GeoPrecision,
    SubEventType,
)
from extractor.schemas.text import article_id_for, normalise_text, scrub_json, scrub_text

__all__ = [
    "FUTURE_YEARS",
    "MAX_ACTORS",
    "MAX_CASUALTY_COUNT",
    "MAX_INCIDENTS",
    "MAX_ITEMS",
    "MAX_NAME_CHARS",
    "MAX_QUOTE_CHARS",
    "MAX_SUMMARY_CHARS",
    "MIN_DATE",
    "SCHEMA_FILE_NAME",
    "SUB_EVENT_TYPES",
    "Actor",
    "ActorType",
    "Article",
    "CasualtyClaim",
    "CasualtyKind",
    "EventType",
    "ExtractionResult",
    "GeoPrecision",
    "GoldRecord",
    "Incident",
    "SubEventType",
    "article_id_for",
    "extraction_json_schema",
    "normalise_text",
    "schema_hash",
    "scrub_json",
    "scrub_text",
]

SCHEMA_FILE_NAME = "extraction_result.schema.json"

class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=False)


class CasualtyClaim(_Record):
    """One figure the article gives for one victim group, from one source."""

    kind: CasualtyKind = Field(
        description=(
            "killed; wounded; casualties (killed and wounded together, or 'casualties' not told "
            "apart); captured (taken prisoner, abducted, kidnapped); missing"
        )
    )
    count_text: Name = Field(
        description="The figure as written in the article: 'four', 'several dozen', 'at least 15'."
    )
    count_min: Count | None = Field(
        default=None,
        description=(
            "Lowest number the wording allows. Vague words take ACLED's conservative numbers: "
            "'a few'/'several' = 3, 'tens' = 10, 'dozens'/'several dozen' = 12, 'hundreds' = 100 "
            "(count_max null). 'about/around/nearly 60' = 60; 'at least 15' = 15; "
            "'more than 100' = 101; 'up to 40' = null; 'between 20 and 50' = 20."
        ),
    )
    count_max: Count | None = Field(
        default=None,
        description=(
            "Highest number the wording allows; null when open-ended ('at least 15', 'dozens'). "
            "'about 60' = 60; 'up to 40' = 40; 'between 20 and 50' = 50; an exact figure repeats "
            "count_min."
        ),
    )
    victims: Name | None = Field(
        default=None,
        description=(
            "Whose casualties: an actor name used in this incident, or 'civilians'; null when the "
            "article does not say whose. Where a party to the fighting and a non-party name the "
            "same dead differently, use the non-party's description for both claims."
        ),
    )
    source: Name | None = Field(
        default=None,
        description=(
            "Who gives the figure ('LSI AFRICA', 'JNIM', 'the Malian army'); null when the article "
            "states it itself."
        ),
    )

    @model_validator(mode="after")
    def _min_not_above_max(self) -> CasualtyClaim:
        if (self.count_min is not None and self.count_max is not None
                and self.count_min > self.count_max):
            raise ValueError(
                f"count_min ({self.count_min}) is greater than count_max ({self.count_max})")
        return self


class Incident(_Record):
    """One act of political violence or demonstration: one place, one continuous stretch of time,
    the same actors, one event type."""

    summary: Summary = Field(
        description=(
            "One sentence in the style of ACLED notes: who did what to whom, where, when, with "
            "what result. Unnamed attackers ('gunmen', 'militants') are said here, not listed as "
            "actors."
        )
    )
    event_type: EventType = Field(
        description=(
            "ACLED event type. battles: armed groups fighting each other (an ambush of soldiers by "
            "gunfire included). explosions_remote_violence: harm from mines, IEDs, drones, air "
            "strikes, shelling, suicide bombs, grenades. violence_against_civilians: armed actors "
            "killing, abducting or assaulting unarmed civilians. protests; riots."
        )
    )
    sub_event_type: SubEventType = Field(
        description=(
            "ACLED sub-event type belonging to event_type. battles: armed_clash, "
            "government_regains_territory, non_state_actor_overtakes_territory. "
            "explosions_remote_violence: chemical_weapon, air_drone_strike, suicide_bomb, "
            "shelling_artillery_missile_attack, remote_explosive_landmine_ied, grenade. "
            "violence_against_civilians: sexual_violence, attack, abduction_forced_disappearance. "
            "protests: peaceful_protest, protest_with_intervention, "
            "excessive_force_against_protesters. riots: violent_demonstration, mob_violence. "
            "A mine or IED ambush is remote_explosive_landmine_ied; a complex attack (explosives "
            "then a ground assault) is armed_clash."
        )
    )
    date_text: Name | None = Field(
        default=None,
        description="The date as written: 'June 13', 'late November 2024', 'over the weekend'.",
    )
    date_start: date | None = Field(
        default=None,
        description=(
            "Earliest day the incident may have happened (ISO date). Relative dates are resolved "
            "against the publication date; 'late November 2024' starts on the 20th; 'July 2024' "
            "on the 1st. Null when no year can be fixed from the text or publication date. "
            "From 1900-01-01 to five years after today."
        ),
    )
    date_end: date | None = Field(
        default=None,
        description=(
            "Latest day the incident may have happened (ISO date); equals date_start when the day "
            "is known. 'late November 2024' ends on the 30th; 'July 2024' on the 31st."
        ),
    )
    place: Name | None = Field(
        default=None,
        description="Most specific named place, as written: 'Kidal', 'Tinzaouaten'.",
    )
    admin1: Name | None = Field(
        default=None,
        description=(
            "First-level region ('Kidal', 'Mopti', 'Gao'), only where the article names it; the "
            "gazetteer fills it in after extraction."
        ),
    )
    country: Name | None = Field(default=None,
                                 description="Country name in English: 'Mali'.")
    geo_precision: GeoPrecision = Field(
        description=(
            "place: at the named place. near_place: near, outside, or on the road to it. region: "
            "only a region or area is given ('central Mali', 'the Bandiagara region'). country: "
            "only the country."
        )
    )
    perpetrators: list[Name] = Field(
        default_factory=list,
        max_length=MAX_ITEMS,
        description=(
            "Actor names of the side that initiated the violence (ambushers, attackers, the side "
            "that struck); for one-sided violence, the perpetrator. Empty when unnamed. An accused "
            "actor counts only when the accusation stands uncontested or the actor acknowledges "
            "the act; with competing accusations, leave it empty."
        ),
    )
    targets: list[Name] = Field(
        default_factory=list,
        max_length=MAX_ITEMS,
        description="Actor names of the other side: attacked forces, victims ('civilians').",
    )
    claimed_by: list[Name] = Field(
        default_factory=list,
        max_length=MAX_ITEMS,
        description=(
            "Actors of the perpetrators' side that say they carried out the act: a claim of "
            "responsibility, or a statement of the losses their attack inflicted. A defender "
            "reporting its attackers' losses is not a claim."
        ),
    )
    casualties: list[CasualtyClaim] = Field(
        default_factory=list,
        max_length=MAX_ITEMS,
        description=(
            "Every figure the article gives for this incident, one per victim group and per "
            "source. A revised toll is recorded once, as revised. Figures for a whole campaign, "
            "period or wider region are aggregates and are not recorded here."
        ),
    )
    weapons: list[Name] = Field(
        default_factory=list,
        max_length=MAX_ITEMS,
        description=(
            "Weapons and means as written: 'PRB-M3-A1 anti-tank mines', 'drones', "
            "'explosives-laden vehicle'."
        ),
    )
    sources: list[Name] = Field(
        default_factory=list,
        max_length=MAX_ITEMS,
        description=(
            "Who the article cites for this incident: 'AFP', 'LSI AFRICA', 'local officials', "
            "'war_noir'."
        ),
    )
    is_background: bool = Field(
        default=False,
        description=(
            "True when the incident is recalled as context for the article's news (an earlier "
            "attack); false for the incidents the article reports as news."
        ),
    )
    evidence: list[Quote] = Field(
        default_factory=list,
        max_length=MAX_ITEMS,
        description=(
            "Verbatim quotes, copied character for character from the article, that support this "
            "record: the sentence(s) giving the act, the place, the date and the figures."
        ),
    )

    @model_validator(mode="after")
    def _consistent(self) -> Incident:
        allowed = SUB_EVENT_TYPES[self.event_type]
        if self.sub_event_type not in allowed:
            raise ValueError(
                f"sub_event_type '{self.sub_event_type.value}' does not belong to event_type "
                f"'{self.event_type.value}'; allowed: {', '.join(s.value for s in allowed)}"
            )
        latest = latest_date()
        for name, value in (("date_start", self.date_start), ("date_end", self.date_end)):
            if value is not None and not MIN_DATE <= value <= latest:
                raise ValueError(f"{name} ({value}) is outside {MIN_DATE} .. {latest}; use "
                                 "null when the year cannot be fixed from the article")
        if self.date_start and self.date_end and self.date_start > self.date_end:
            raise ValueError(
                f"date_start ({self.date_start}) is after date_end ({self.date_end})"
            )
        return self


class Actor(_Record):
    """A named group or group identity taking part in an incident."""

    name: Name = Field(
        description=(
            "The fullest name the article uses: 'Jama'at Nasr al-Islam wal Muslimin', "
            "'Wagner Group', 'Malian Armed Forces'. Bare words with no identity ('militants', "
            "'gunmen', 'terrorists') are not actors. Unnamed civilian victims are 'civilians'."
        )
    )
    aliases: list[Name] = Field(
        default_factory=list,
        max_length=MAX_ITEMS,
        description="Other names and acronyms the article uses for it: 'JNIM', 'FAMa', 'Wagner'.",
    )
    actor_type: ActorType = Field(
        description=(
            "ACLED actor type. external_forces: foreign state forces and foreign private military "
            "companies (Wagner Group, Africa Corps, French forces in Mali)."
        )
    )
    country: Name | None = Field(
        default=None,
        description="State the actor belongs to or comes from: 'Russia' for the Wagner Group.",
    )
    affiliation: Name | None = Field(
        default=None,
        description=(
            "Parent organisation the article names: 'al-Qaeda', 'Islamic State', "
            "'Russian Ministry of Defence'."
        ),
    )


class ExtractionResult(_Record):
    """Everything extracted from one article."""

    incidents: list[Incident] = Field(
        default_factory=list,
        max_length=MAX_INCIDENTS,
        description=(
            "Every incident in the article, in order of first mention; empty when there is none "
            "(analysis, deployments, withdrawals, aggregates are not incidents). Coordinated "
            "attacks on several named places are one incident per place."
        ),
    )
    actors: list[Actor] = Field(
        default_factory=list,
        max_length=MAX_ACTORS,
        description=(
            "Every actor named in any incident's perpetrators, targets, claimed_by or casualty "
            "victims; one record per actor, other names as aliases."
        ),
    )


class Article(_Record):
    """One news article as the extractor reads it."""

    id: str = Field(description="Stable id derived from the normalised text.")
    title: str | None = None
    url: str | None = None
    published: date | None = Field(
        default=None, description="Publication date, used to resolve relative dates."
    )
    source: str | None = Field(default=None, description="Outlet or feed the article came from.")
    text: str = Field(description="The exact text the model sees.")

    @field_validator("title", "url", "source", "text", mode="before")
    @classmethod
    def _storable(cls, value: Any) -> Any:
        """A lone surrogate (from a bad escape in a JSONL line) becomes U+FFFD: an article's
        text is never refused for one character, and every store can hold it."""
        return scrub_text(value) if isinstance(value, str) else value

    @field_validator("text")
    @classmethod
    def _text_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("article text is empty")
        return value


class GoldRecord(_Record):
    """One line of a gold file: an article and its hand-labelled records."""

    article: Article
    incidents: list[Incident] = Field(default_factory=list)
    actors: list[Actor] = Field(default_factory=list)
    tests: list[str] = Field(
        default_factory=list,
        description="What this article is meant to test (hard cases it exercises).",
    )


def extraction_json_schema() -> dict[str, Any]:
    """The JSON Schema of ExtractionResult, as written to schemas/ and shown to models."""
    return ExtractionResult.model_json_schema()


def schema_hash() -> str:
    """Version of the extraction schema: a hash of its canonical JSON Schema."""
    canonical = json.dumps(extraction_json_schema(), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]
