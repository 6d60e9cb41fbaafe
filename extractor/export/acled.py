"""One export record as a row of ACLED's current columns (docs/acled-export.md).

Columns the data cannot fill (admin2, admin3, source_scale, tags) stay empty; nothing is
guessed. Labels are ACLED's own ("Explosions/Remote violence", "Air/drone strike").
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any

import pycountry

from extractor.export.records import ActorInfo
from extractor.export.regions import REGION_OF

COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
)

EVENT_TYPES = {
    "battles": "Battles",
    "explosions_remote_violence": "Explosions/Remote violence",
    "violence_against_civilians": "Violence against civilians",
    "protests": "Protests",
    "riots": "Riots",
}

SUB_EVENT_TYPES = {
    "armed_clash": "Armed clash",
    "government_regains_territory": "Government regains territory",
    "non_state_actor_overtakes_territory": "Non-state actor overtakes territory",
    "chemical_weapon": "Chemical weapon",
    "air_drone_strike": "Air/drone strike",
    "suicide_bomb": "Suicide bomb",
    "shelling_artillery_missile_attack": "Shelling/artillery/missile attack",
    "remote_explosive_landmine_ied": "Remote explosive/landmine/IED",
    "grenade": "Grenade",
    "sexual_violence": "Sexual violence",
    "attack": "Attack",
    "abduction_forced_disappearance": "Abduction/forced disappearance",
    "peaceful_protest": "Peaceful protest",
    "protest_with_intervention": "Protest with intervention",
    "excessive_force_against_protesters": "Excessive force against protesters",
    "violent_demonstration": "Violent demonstration",
    "mob_violence": "Mob violence",
}

# ACLED's disorder type follows the sub-event type.
DEMONSTRATIONS = {"peaceful_protest", "protest_with_intervention", "violent_demonstration"}
BOTH = {"excessive_force_against_protesters"}

# ACLED's inter codes of the actor types.
INTER = {
    "state_forces": 1, "rebel_group": 2, "political_militia": 3, "identity_militia": 4,
    "rioters": 5, "protesters": 6, "civilians": 7, "external_forces": 8,
}
# Actor types ACLED names after their country: "Civilians (Mali)".
GENERIC = {"civilians": "Civilians", "protesters": "Protesters", "rioters": "Rioters"}


@lru_cache(maxsize=512)
def country_codes(name: str | None) -> tuple[int | None, str | None]:
    """ISO 3166 numeric code and alpha-3 of a country name; (None, None) when unknown."""
    if not name:
        return None, None
    try:
        country = pycountry.countries.lookup(name)
    except LookupError:
        return None, None
    return int(country.numeric), str(country.alpha_3)


def disorder_type(sub_event_type: str) -> str:
    if sub_event_type in BOTH:
        return "Political violence; Demonstrations"
    return "Demonstrations" if sub_event_type in DEMONSTRATIONS else "Political violence"


def event_date(start: str | None, end: str | None) -> date | None:
    """The day ACLED codes: the day itself, or the middle of a week or month window."""
    if not start or not end:
        return None
    first, last = date.fromisoformat(start), date.fromisoformat(end)
    return first + timedelta(days=(last - first).days // 2)


def actor_name(actor: ActorInfo, country: str | None) -> str:
    generic = GENERIC.get(actor.actor_type or "")
    if generic:
        where = actor.country or country
        return f"{generic} ({where})" if where else generic
    return actor.name


def interaction(first: int | None, second: int | None) -> int | None:
    """ACLED's interaction: the two inter codes, lowest first; a sole actor's code and 0."""
    codes = sorted(code for code in (first, second) if code is not None)
    if not codes:
        return None
    return codes[0] * 10 if len(codes) == 1 else codes[0] * 10 + codes[1]


def _side(actors: list[ActorInfo], country: str | None) -> tuple[str, str, int | None]:
    if not actors:
        return "", "", None
    names = [actor_name(actor, country) for actor in actors]
    return names[0], "; ".join(dict.fromkeys(names[1:])), INTER.get(actors[0].actor_type or "")


def _timestamp(stamp: str | None) -> int | None:
    if not stamp:
        return None
    moment = datetime.fromisoformat(stamp)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


def acled_row(record: dict[str, Any]) -> dict[str, Any]:
    """ACLED's columns, in ACLED's order, for one event (or incident) record."""
    country = record["country"]
    iso, alpha3 = country_codes(country)
    when = event_date(record["date_start"], record["date_end"])
    actor1, assoc1, inter1 = _side(record["perpetrators"], country)
    actor2, assoc2, inter2 = _side(record["targets"], country)
    # Civilians are the main target: violence against civilians, or a strike or explosion
    # whose first target is civilians (civilians caught in a battle are not targeted).
    civilians = record["event_type"] == "violence_against_civilians" or (
        record["event_type"] != "battles" and bool(record["targets"])
        and record["targets"][0].actor_type == "civilians")
    number = record.get("number")
    sources = record["sources"] or record["cited_sources"]
    level = record["geo_precision"]
    location = record["place"] if level in ("place", "near_place") and record["place"] \
        else (record["admin1"] if level == "region" else None)
    return {
        "event_id_cnty": f"{alpha3}{number}" if alpha3 and number else record["id"],
        "event_date": when.isoformat() if when else "",
        "year": when.year if when else "",
        "time_precision": record["time_precision"] or "",
        "disorder_type": disorder_type(record["sub_event_type"]),
        "event_type": EVENT_TYPES[record["event_type"]],
        "sub_event_type": SUB_EVENT_TYPES[record["sub_event_type"]],
        "actor1": actor1, "assoc_actor_1": assoc1, "inter1": inter1 or "",
        "actor2": actor2, "assoc_actor_2": assoc2, "inter2": inter2 or "",
        "interaction": interaction(inter1, inter2) or "",
        "civilian_targeting": "Civilian targeting" if civilians else "",
        "iso": iso or "",
        "region": REGION_OF.get(alpha3 or "", ""),
        "country": country or "",
        "admin1": record["admin1"] or "",
        "admin2": "", "admin3": "",
        "location": location or "",
        "latitude": record["latitude"] if record["latitude"] is not None else "",
        "longitude": record["longitude"] if record["longitude"] is not None else "",
        "geo_precision": record["geo_precision_code"] or "",
        "source": "; ".join(sources),
        "source_scale": "",
        "notes": record["summary"] or "",
        "fatalities": record["fatalities"] if record["fatalities"] is not None else "",
        "tags": "",
        "timestamp": _timestamp(record["updated_at"]) or "",
    }
