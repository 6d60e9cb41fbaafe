"""The codebook's enumerations: event types and their sub-types, precision, casualty and
actor kinds (ACLED's)."""

from __future__ import annotations

from enum import StrEnum


class EventType(StrEnum):
    battles = "battles"
    explosions_remote_violence = "explosions_remote_violence"
    violence_against_civilians = "violence_against_civilians"
    protests = "protests"
    riots = "riots"


class SubEventType(StrEnum):
    armed_clash = "armed_clash"
    government_regains_territory = "government_regains_territory"
    non_state_actor_overtakes_territory = "non_state_actor_overtakes_territory"
    chemical_weapon = "chemical_weapon"
    air_drone_strike = "air_drone_strike"
    suicide_bomb = "suicide_bomb"
    shelling_artillery_missile_attack = "shelling_artillery_missile_attack"
    remote_explosive_landmine_ied = "remote_explosive_landmine_ied"
    grenade = "grenade"
    sexual_violence = "sexual_violence"
    attack = "attack"
    abduction_forced_disappearance = "abduction_forced_disappearance"
    peaceful_protest = "peaceful_protest"
    protest_with_intervention = "protest_with_intervention"
    excessive_force_against_protesters = "excessive_force_against_protesters"
    violent_demonstration = "violent_demonstration"
    mob_violence = "mob_violence"


SUB_EVENT_TYPES: dict[EventType, tuple[SubEventType, ...]] = {
    EventType.battles: (
        SubEventType.armed_clash,
        SubEventType.government_regains_territory,
        SubEventType.non_state_actor_overtakes_territory,
    ),
    EventType.explosions_remote_violence: (
        SubEventType.chemical_weapon,
        SubEventType.air_drone_strike,
        SubEventType.suicide_bomb,
        SubEventType.shelling_artillery_missile_attack,
        SubEventType.remote_explosive_landmine_ied,
        SubEventType.grenade,
    ),
    EventType.violence_against_civilians: (
        SubEventType.sexual_violence,
        SubEventType.attack,
        SubEventType.abduction_forced_disappearance,
    ),
    EventType.protests: (
        SubEventType.peaceful_protest,
        SubEventType.protest_with_intervention,
        SubEventType.excessive_force_against_protesters,
    ),
    EventType.riots: (SubEventType.violent_demonstration, SubEventType.mob_violence),
}


class GeoPrecision(StrEnum):
    place = "place"
    near_place = "near_place"
    region = "region"
    country = "country"


class CasualtyKind(StrEnum):
    killed = "killed"
    wounded = "wounded"
    casualties = "casualties"
    captured = "captured"
    missing = "missing"


class ActorType(StrEnum):
    state_forces = "state_forces"
    rebel_group = "rebel_group"
    political_militia = "political_militia"
    identity_militia = "identity_militia"
    rioters = "rioters"
    protesters = "protesters"
    civilians = "civilians"
    external_forces = "external_forces"
