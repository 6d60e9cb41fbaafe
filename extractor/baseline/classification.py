"""The codebook's event type and sub-event type of an incident, from the words of its sentences
and the kinds of its actors."""

from __future__ import annotations

import re

from extractor.baseline.drafts import Draft
from extractor.baseline.vocabulary import CIVILIAN_WORDS, IGNORE, VERB
from extractor.schemas import ActorType, EventType, SubEventType

ARMED_WORDS = re.compile(r"\b(soldiers|troops|forces|fighters|militants|army|convoy|patrol|"
                         r"base|post|camp|checkpoint|mercenar\w+|gendarm\w+|military|soldats|"
                         r"militaires|armée|combattants|jihadistes|poste|convoi|patrouille)(?!\w)",
                         IGNORE)
IED = re.compile(r"(?<!gold )\b(mines|landmines?|anti-\w+ mines?|IEDs?|improvised explosive|"
                 r"explosive devices?|roadside bombs?|remotely detonated|engins? explosifs?|"
                 r"mines? artisanales?)(?!\w)", IGNORE)
AIR = re.compile(r"\b(drones?|air ?strikes?|airstrikes?|air raids?|aerial|helicopters?|"
                 r"warplanes?|fighter jets?|frappes? aériennes?|avions?|hélicoptères?)(?!\w)",
                 IGNORE)
SHELL = re.compile(r"\b(shell(?:ing|ed|s)|artillery|mortars?|rockets?|missiles?|obus|"
                   r"bombard\w*|artillerie|roquettes?)(?!\w)", IGNORE)
SUICIDE = re.compile(r"\b(suicide|explosives-laden|car bombs?|VBIEDs?|kamikaze)\b", IGNORE)
GRENADE = re.compile(r"\bgrenades?\b", IGNORE)
GROUND = re.compile(r"\b(gunfire|gunmen|opened fire|stormed|assault|ground attack|fighting|"
                    r"clash\w*|firefight|hommes armés|assaillants|affrontements?|combats?|"
                    r"pris d'assaut)(?!\w)",
                   IGNORE)
ABDUCT = re.compile(r"\b(abduct\w*|kidnap\w*|taken hostage|hostages?|enlev\w*|enlèvements?|"
                    r"otages?|pris en otage)(?!\w)", IGNORE)
SEXUAL = re.compile(r"\b(raped?|rapes|raping|sexual violence|sexually)\b", IGNORE)
PROTEST = re.compile(r"\b(protest\w*|demonstrat(?:ed|ion|ions|ors)|marched|rall(?:y|ies)|"
                     r"manifest\w*|marche)(?!\w)", IGNORE)
RIOT = re.compile(r"\b(riot\w*|mob|lynch\w*)\b", IGNORE)
TERRITORY = re.compile(r"\b(captured|seized|took control of|took over|overran|overrun|retook|"
                       r"recaptured|regained control of|fell to)\b", IGNORE)
# Remote violence by its means; more than one at once is a complex attack (an armed clash).
REMOTE = [(IED, SubEventType.remote_explosive_landmine_ied),
          (AIR, SubEventType.air_drone_strike),
          (SHELL, SubEventType.shelling_artillery_missile_attack),
          (SUICIDE, SubEventType.suicide_bomb), (GRENADE, SubEventType.grenade)]
# Means that come with a ground assault often: with one, the incident is a battle.
WITH_GROUND_ASSAULT = (SubEventType.suicide_bomb, SubEventType.shelling_artillery_missile_attack,
                       SubEventType.air_drone_strike)
_NOT_TERRITORY = re.compile(r"\s+(?:[\w-]+\s+)?(?:weapons|vehicles|\d)")

Kind = tuple[EventType, SubEventType]
_HURT = re.compile(r"wound(?:ed|ing)|injur(?:ed|ing)|bless(?:é|ée|és|ées|ant)", IGNORE)


def _protest_or_riot(text: str, armed_target: bool) -> Kind | None:
    if RIOT.search(text) and not armed_target:
        mob = re.search(r"\b(mob|lynch)", text, IGNORE)
        return EventType.riots, (SubEventType.mob_violence if mob
                                 else SubEventType.violent_demonstration)
    # Any other act of violence makes it more than a protest; people hurt while a protest is
    # dispersed do not.
    if not PROTEST.search(text) or any(not _HURT.fullmatch(m.group(0))
                                       for m in VERB.finditer(PROTEST.sub("", text))):
        return None
    if re.search(r"\b(protesters|demonstrators)\b.{0,40}\b(killed|shot)\b", text, IGNORE):
        return EventType.protests, SubEventType.excessive_force_against_protesters
    if re.search(r"tear ?gas|dispersed|arrested|fired|gaz lacrymogène|dispersé|interpellé",
                 text, IGNORE):
        return EventType.protests, SubEventType.protest_with_intervention
    return EventType.protests, SubEventType.peaceful_protest


def _territory(draft: Draft, text: str) -> Kind | None:
    """A place taken: by the state, regained; by anyone else, overtaken."""
    names_a_town = any(p.kind == "place" for p, _, _ in draft.places)
    for m in TERRITORY.finditer(text):
        window = text[m.end():m.end() + 60]
        if (names_a_town and any(s in window for _, s, _ in draft.places)
                and not _NOT_TERRITORY.match(window)):
            state = any(a.actor_type in (ActorType.state_forces, ActorType.external_forces)
                        for a in draft.perpetrators)
            return EventType.battles, (SubEventType.government_regains_territory if state
                                       else SubEventType.non_state_actor_overtakes_territory)
    return None


def _remote(text: str) -> Kind | None:
    present = [sub for pattern, sub in REMOTE if pattern.search(text)]
    if len(present) > 1:
        return EventType.battles, SubEventType.armed_clash  # a complex attack
    if len(present) == 1 and not (present[0] in WITH_GROUND_ASSAULT and GROUND.search(text)):
        return EventType.explosions_remote_violence, present[0]
    return None


def _against_civilians(draft: Draft, text: str, armed_target: bool) -> Kind | None:
    if SEXUAL.search(text):
        return EventType.violence_against_civilians, SubEventType.sexual_violence
    civilian_only = not armed_target and (
        bool(CIVILIAN_WORDS.search(text))
        or any(a.actor_type == ActorType.civilians for a in draft.targets))
    if ABDUCT.search(text) and (civilian_only or not armed_target):
        return EventType.violence_against_civilians, SubEventType.abduction_forced_disappearance
    if civilian_only:
        return EventType.violence_against_civilians, SubEventType.attack
    return None


def classify(draft: Draft, text: str) -> Kind:
    """Protests and riots first, then territory, remote violence, violence against civilians;
    an armed clash otherwise."""
    armed_target = (any(a.actor_type != ActorType.civilians for a in draft.targets)
                    or bool(ARMED_WORDS.search(text)))
    return (_protest_or_riot(text, armed_target) or _territory(draft, text) or _remote(text)
            or _against_civilians(draft, text, armed_target)
            or (EventType.battles, SubEventType.armed_clash))
