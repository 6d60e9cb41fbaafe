"""Drafts made into the codebook's incidents and actors: place and precision, date, roles,
casualties, a one-sentence summary, and background marked."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from extractor.baseline.classification import classify
from extractor.baseline.drafts import Draft, PlaceEntry, add_once
from extractor.baseline.french import source_in_english
from extractor.baseline.vocabulary import IGNORE
from extractor.resolve.names import name_key
from extractor.resolve.registry import ActorRegistry, RegistryActor
from extractor.schemas import (
    MAX_ITEMS,
    MAX_QUOTE_CHARS,
    Actor,
    CasualtyClaim,
    EventType,
    GeoPrecision,
    Incident,
    SubEventType,
)

UNNAMED = re.compile(r"\b(jihadists|militants|gunmen|assailants|terrorists|armed men|"
                     r"insurgents|attackers|fighters)\b", IGNORE)
# The same words in French, and what the (English) summary calls them.
UNNAMED_FRENCH = {"hommes armés": "armed men", "individus armés": "armed men",
                  "jihadistes": "jihadists", "djihadistes": "jihadists",
                  "assaillants": "assailants", "terroristes": "terrorists",
                  "insurgés": "insurgents", "combattants": "fighters"}
_UNNAMED_FRENCH = re.compile(r"\b(" + "|".join(UNNAMED_FRENCH) + r")(?!\w)", IGNORE)
PLACE_RANK = ("place", "region", "country")  # the most precise place named wins
RECALLED_BEFORE_MAIN = timedelta(days=14)  # this much before the article's main incident
RECALLED_BEFORE_PUBLISHED = timedelta(days=60)  # this much before publication


def mark_background(drafts: list[Draft], published: date | None) -> None:
    """Incidents well before the article's main one, or before its publication, are
    background."""
    main = next((best for best in (d.best_date() for d in drafts if not d.cue_background)
                 if best is not None and best.resolved), None)
    for draft in drafts:
        best = draft.best_date()
        if best is None or best.start is None or best.end is None:
            continue
        if main is not None and main.start and best.end < main.start - RECALLED_BEFORE_MAIN:
            draft.cue_background = True
        if published and best.end < published - RECALLED_BEFORE_PUBLISHED:
            draft.cue_background = True


FallbackCountry = Callable[[], str | None]


def _place_fields(place: PlaceEntry | None, fallback_country: FallbackCountry
                  ) -> tuple[GeoPrecision, str | None, str | None, str | None]:
    """(precision, place as written, country, admin1) of the incident."""
    if place is None:
        return GeoPrecision.country, None, fallback_country(), None
    entry, written, near = place
    precision = {"place": GeoPrecision.near_place if near else GeoPrecision.place,
                 "region": GeoPrecision.region, "country": GeoPrecision.country}[entry.kind]
    admin1 = entry.admin1 if (entry.kind == "region" and entry.admin1 and name_key(
        entry.name).startswith(name_key(entry.admin1))) else None
    return precision, written if entry.kind != "country" else None, \
        entry.country or fallback_country(), admin1


def build_incident(draft: Draft, registry: ActorRegistry,
                   fallback_country: FallbackCountry, in_french: bool = False) -> Incident:
    """The incident of a draft; ``fallback_country`` gives the article's country, asked only
    when the draft names no place with a country."""
    text = draft.text
    event, sub = classify(draft, text)
    place = min(draft.places, key=lambda p: PLACE_RANK.index(p[0].kind), default=None)
    precision, place_text, country, admin1 = _place_fields(place, fallback_country)
    best = draft.best_date()
    for _, victims, _ in draft.claims:
        actor = registry.resolve(victims) if victims else None
        if actor and actor not in draft.perpetrators:
            add_once(draft.targets, actor)
    perpetrators = [a.name for a in draft.perpetrators]
    # The schema's bounds hold for the rules as for a model: a draft that gathered more (a
    # long article telling one attack over and over) keeps the first MAX_ITEMS of each list.
    incident = Incident(
        summary="", event_type=event, sub_event_type=sub,
        date_text=best.text if best else None, date_start=best.start if best else None,
        date_end=best.end if best else None, place=place_text, admin1=admin1,
        country=country, geo_precision=precision, perpetrators=perpetrators[:MAX_ITEMS],
        targets=[a.name for a in draft.targets if a.name not in perpetrators][:MAX_ITEMS],
        claimed_by=[a.name for a in draft.claimed_by][:MAX_ITEMS],
        casualties=[c.model_copy(update={"victims": v})
                    for c, v, _ in draft.claims][:MAX_ITEMS],
        weapons=draft.weapons[:MAX_ITEMS], sources=draft.sources[:MAX_ITEMS],
        is_background=draft.cue_background,
        evidence=[s.text[:MAX_QUOTE_CHARS] for s in draft.sentences][:MAX_ITEMS])
    named = registry.resolve if in_french else None  # a French alias named in English
    return incident.model_copy(update={"summary": summary(incident, text, in_french, named)})


ACTIONS = {
    SubEventType.remote_explosive_landmine_ied: "hit {whom} with an explosive device",
    SubEventType.air_drone_strike: "carried out a drone or air strike on {whom}",
    SubEventType.shelling_artillery_missile_attack: "shelled {whom}",
    SubEventType.suicide_bomb: "carried out a suicide bombing against {whom}",
    SubEventType.grenade: "threw a grenade at {whom}",
    SubEventType.abduction_forced_disappearance: "abducted {whom}",
    SubEventType.sexual_violence: "committed sexual violence against {whom}",
    SubEventType.government_regains_territory: "took control of the area",
    SubEventType.non_state_actor_overtakes_territory: "took control of the area",
}


def _unnamed(text: str, in_french: bool) -> str:
    """What the text calls attackers it does not name, in English ('armed men' by default)."""
    if in_french:
        found = _UNNAMED_FRENCH.search(text)
        return UNNAMED_FRENCH[found.group(1).lower()] if found else "armed men"
    unnamed = UNNAMED.search(text)
    return unnamed.group(1).lower() if unnamed else "armed men"


def _who_did_what(incident: Incident, text: str, in_french: bool) -> tuple[str, str]:
    if incident.event_type == EventType.protests:
        return "Protesters", "demonstrated"
    if incident.event_type == EventType.riots:
        return "Rioters", "engaged in violence"
    who = " and ".join(incident.perpetrators) or f"Unidentified {_unnamed(text, in_french)}"
    whom = " and ".join(incident.targets) or "an unidentified target"
    return who, ACTIONS.get(incident.sub_event_type, "attacked {whom}").format(whom=whom)


def _where(incident: Incident) -> str:
    where = ""
    if incident.place:
        preposition = "near" if incident.geo_precision == GeoPrecision.near_place else "in"
        where = f" {preposition} {incident.place}"
    if incident.country and incident.country != incident.place:
        where += f" ({incident.country})" if where else f" in {incident.country}"
    return where


def _when(incident: Incident) -> str:
    start, end = incident.date_start, incident.date_end
    if start and start == end:
        return f"On {start.isoformat()}, "
    if start and end:
        return f"Between {start.isoformat()} and {end.isoformat()}, "
    if incident.date_text:
        return f"On a date given as '{incident.date_text}', "
    return ""


def _in_english(claim: CasualtyClaim) -> str:
    """A figure in English words from its bounds ('au moins quinze' -> 'at least 15')."""
    low, high = claim.count_min, claim.count_max
    if low is not None and high is not None:
        return str(low) if low == high else f"{low} to {high}"
    if low is not None:
        return f"at least {low}"
    return f"up to {high}" if high is not None else claim.count_text


def _source_words(source: str, in_french: bool,
                  named: Callable[[str], RegistryActor | None] | None) -> str:
    """A casualty claim's source for the summary: in a French article, an actor by its
    registry name and a generic source in English."""
    if not in_french:
        return source
    actor = named(source) if named else None
    return actor.name if actor else source_in_english(source)


def summary(incident: Incident, text: str, in_french: bool = False,
            named: Callable[[str], RegistryActor | None] | None = None) -> str:
    """'On 2024-07-27, JNIM attacked Wagner Group near Tinzaouaten (Mali): 47 killed ...'. The
    summary is English whatever the article's language: a French figure is given by its
    bounds."""
    who, action = _who_did_what(incident, text, in_french)
    result = "; ".join(
        f"{_in_english(c) if in_french else c.count_text} {c.kind.value}"
        + (f" ({c.victims})" if c.victims else "")
        + (f" per {_source_words(c.source, in_french, named)}" if c.source else "")
        for c in incident.casualties)
    sentence = f"{_when(incident)}{who} {action}{_where(incident)}"
    sentence = sentence[0].upper() + sentence[1:]
    return sentence + (f": {result}." if result else ".")


def actor_list(registry: ActorRegistry, drafts: list[Draft],
               incidents: list[Incident]) -> list[Actor]:
    """The registry's actors the incidents name, with the other ways the article wrote them."""
    names: list[str] = []
    for incident in incidents:
        for name in (*incident.perpetrators, *incident.targets, *incident.claimed_by,
                     *(c.victims for c in incident.casualties if c.victims)):
            add_once(names, name)
    surfaces: dict[str, list[str]] = {}
    for draft in drafts:
        for name, written in draft.surfaces.items():
            for surface in written:
                add_once(surfaces.setdefault(name, []), surface)
    actors = []
    for name in names:
        known = registry.resolve(name)
        if known is None:
            continue
        aliases: list[str] = []
        for surface in surfaces.get(known.name, []):
            key = name_key(surface)
            if key != name_key(known.name) and all(key != name_key(a) for a in aliases):
                aliases.append(surface)
        actors.append(Actor(name=known.name, aliases=aliases, actor_type=known.actor_type,
                            country=known.country, affiliation=known.affiliation))
    return actors
