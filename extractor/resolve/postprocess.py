"""Post-processing in code, not in the prompt: what is derived from an extraction.

The same function serves model output, baseline output and gold data (the evaluation compares
them after it), so a canonical actor name or a gazetteer-filled region never counts as a miss.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extractor.resolve.derive import date_precision, fatalities
from extractor.resolve.gazetteer import Gazetteer, GeoRule, Place, Resolution
from extractor.resolve.grounding import AlignedQuote, align, evidence_status
from extractor.resolve.names import name_key, slug
from extractor.resolve.registry import ActorRegistry
from extractor.schemas import Actor, ActorType, Article, ExtractionResult, Incident

ACLED_GEO_PRECISION = {"place": 1, "near_place": 2, "region": 3, "country": 3}


@dataclass(frozen=True)
class ActorRef:
    """A name as written in an incident, resolved to a canonical actor id."""

    name: str
    actor_id: str


@dataclass
class ResolvedActor:
    """An actor of the article with its canonical identity."""

    actor: Actor  # as extracted
    actor_id: str
    canonical_name: str
    actor_type: ActorType
    country: str | None
    affiliation: str | None
    in_registry: bool


@dataclass
class ResolvedIncident:
    incident: Incident  # as extracted, untouched
    position: int
    perpetrators: list[ActorRef]
    targets: list[ActorRef]
    claimed_by: list[ActorRef]
    casualty_victim_ids: list[str | None]
    admin1: str | None
    country: str | None
    latitude: float | None
    longitude: float | None
    gazetteer_name: str | None
    geo_rule: str | None  # GeoRule: which rule chose the gazetteer entry
    geo_precision_code: int
    fatalities: int
    date_precision: str
    evidence: list[AlignedQuote]
    evidence_status: str


@dataclass
class ProcessedExtraction:
    article: Article
    result: ExtractionResult
    incidents: list[ResolvedIncident] = field(default_factory=list)
    actors: list[ResolvedActor] = field(default_factory=list)


class _ActorResolver:
    """Names to canonical ids for one article: its own actor list first, then the registry."""

    def __init__(self, registry: ActorRegistry, actors: list[Actor]):
        self.registry = registry
        self.by_key: dict[str, ResolvedActor] = {}
        self.resolved: list[ResolvedActor] = []
        for actor in actors:
            self._add(actor)

    def _add(self, actor: Actor) -> ResolvedActor:
        known = None
        for name in (actor.name, *actor.aliases):
            known = self.registry.resolve(name)
            if known:
                break
        if known:
            resolved = ResolvedActor(
                actor=actor, actor_id=known.id, canonical_name=known.name,
                actor_type=known.actor_type, country=known.country or actor.country,
                affiliation=known.affiliation or actor.affiliation, in_registry=True,
            )
        else:
            resolved = ResolvedActor(
                actor=actor, actor_id=slug(actor.name), canonical_name=actor.name,
                actor_type=actor.actor_type, country=actor.country,
                affiliation=actor.affiliation, in_registry=False,
            )
        existing = next((r for r in self.resolved if r.actor_id == resolved.actor_id), None)
        if existing is None:
            self.resolved.append(resolved)
        for name in (actor.name, *actor.aliases):
            self.by_key.setdefault(name_key(name), existing or resolved)
        return existing or resolved

    def actor_id(self, name: str) -> str:
        key = name_key(name)
        found = self.by_key.get(key)
        if found:
            return found.actor_id
        known = self.registry.resolve(name)
        if known:
            return known.id
        # A phrase naming exactly one known actor ('Wagner mercenaries') is that actor.
        inside = {r.actor_id for k, r in self.by_key.items() if f" {k} " in f" {key} "}
        inside |= {actor.id for actor, _ in self.registry.find(name)}
        if len(inside) == 1:
            return inside.pop()
        return slug(name)

    def refs(self, names: list[str]) -> list[ActorRef]:
        refs: list[ActorRef] = []
        for name in names:
            ref = ActorRef(name=name, actor_id=self.actor_id(name))
            if all(r.actor_id != ref.actor_id for r in refs):
                refs.append(ref)
        return refs


@dataclass(frozen=True)
class _Geocoded:
    place: Place | None  # the gazetteer entry whose point the incident gets
    named: bool  # the entry is what the incident names (not a stand-in for an unknown place)
    rule: GeoRule | None
    admin1: str | None
    country: str | None
    precision_code: int


def _geocode(incident: Incident, gazetteer: Gazetteer, article_country: str | None) -> _Geocoded:
    """The incident's place, region and country, and the ACLED precision its point deserves.

    The precision is honest about the point: a place the gazetteer does not know gets its
    region's or its country's point as a stand-in, and then it is precision 3 whatever the
    extraction said; so is a 'place' that is a region or a country.
    """
    country_hint = incident.country or article_country
    found = gazetteer.resolve(incident.place, country_hint)
    named = found is not None
    if found is None:
        fallback = (gazetteer.resolve(incident.admin1, country_hint)
                    or gazetteer.resolve(incident.country or article_country))
        if fallback is not None:
            named = incident.geo_precision in ("region", "country") or not incident.place
            found = Resolution(fallback.place, fallback.rule if named else (
                GeoRule.COUNTRY_ONLY if fallback.place.kind == "country"
                else GeoRule.REGION_ONLY))
    place = found.place if found else None
    code = ACLED_GEO_PRECISION[incident.geo_precision.value]
    if place is not None and place.kind != "place":
        code = 3
    admin1 = incident.admin1 or (place.admin1 if place else None)
    country = incident.country or (place.country if place else None)
    return _Geocoded(place, named, found.rule if found else None, admin1, country, code)


def _article_country(result: ExtractionResult) -> str | None:
    """The country the article's incidents name first: the hint for ambiguous place names."""
    return next((incident.country for incident in result.incidents if incident.country), None)


def process(
    article: Article,
    result: ExtractionResult,
    registry: ActorRegistry,
    gazetteer: Gazetteer,
) -> ProcessedExtraction:
    """Resolve actors, geocode places, derive fatalities and dates, align evidence."""
    actors = _ActorResolver(registry, result.actors)
    processed = ProcessedExtraction(article=article, result=result)
    article_country = _article_country(result)
    for position, incident in enumerate(result.incidents):
        geo = _geocode(incident, gazetteer, article_country)
        place = geo.place
        victim_ids = [actors.actor_id(c.victims) if c.victims else None
                      for c in incident.casualties]
        quotes = [align(quote, article.text) for quote in incident.evidence]
        processed.incidents.append(
            ResolvedIncident(
                incident=incident,
                position=position,
                perpetrators=actors.refs(incident.perpetrators),
                targets=actors.refs(incident.targets),
                claimed_by=actors.refs(incident.claimed_by),
                casualty_victim_ids=victim_ids,
                admin1=geo.admin1,
                country=geo.country,
                latitude=place.latitude if place else None,
                longitude=place.longitude if place else None,
                gazetteer_name=place.name if place and geo.named else None,
                geo_rule=geo.rule.value if geo.rule else None,
                geo_precision_code=geo.precision_code,
                fatalities=fatalities(incident.casualties, group_of=actors.actor_id),
                date_precision=date_precision(incident.date_start, incident.date_end),
                evidence=quotes,
                evidence_status=evidence_status(quotes),
            )
        )
    # Actors named in incidents but missing from the actor list still get a record.
    for resolved in processed.incidents:
        for ref in (*resolved.perpetrators, *resolved.targets, *resolved.claimed_by):
            if all(r.actor_id != ref.actor_id for r in actors.resolved):
                known = registry.resolve(ref.name)
                if known:
                    actors._add(Actor(name=ref.name, actor_type=known.actor_type,
                                      country=known.country, affiliation=known.affiliation))
    processed.actors = actors.resolved
    return processed
