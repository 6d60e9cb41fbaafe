"""Hand-built gold records for the evaluation tests (a small article, written for them)."""

from __future__ import annotations

from datetime import date

from extractor.schemas import Actor, Article, CasualtyClaim, GoldRecord, Incident, article_id_for

TEXT = (
    "Jihadists of JNIM ambushed Malian Armed Forces and Wagner Group soldiers near Tinzaouaten "
    "late last week, killing at least 15 soldiers, AFP reported. "
    "JNIM claimed responsibility for the attack, which used drones and explosives-laden "
    "vehicles. "
    "On July 20, a roadside bomb struck a bus near Bandiagara, killing four civilians, local "
    "officials said. "
    "In March 2023, JNIM fighters abducted villagers in Mopti."
)

Q_AMBUSH = ("Jihadists of JNIM ambushed Malian Armed Forces and Wagner Group soldiers near "
            "Tinzaouaten late last week, killing at least 15 soldiers, AFP reported.")
Q_CLAIM = "JNIM claimed responsibility for the attack"
Q_BOMB = "On July 20, a roadside bomb struck a bus near Bandiagara, killing four civilians"
Q_ABDUCTION = "In March 2023, JNIM fighters abducted villagers in Mopti."


def article(text: str = TEXT, title: str = "Ambush near Tinzaouaten") -> Article:
    return Article(id=article_id_for(text), title=title, published=date(2024, 7, 30),
                   text=text)


def ambush() -> Incident:
    return Incident(
        summary="JNIM ambushed Malian and Wagner soldiers near Tinzaouaten, killing 15.",
        event_type="battles", sub_event_type="armed_clash",
        date_text="late last week", date_start=date(2024, 7, 25), date_end=date(2024, 7, 27),
        place="Tinzaouaten", country="Mali", geo_precision="near_place",
        perpetrators=["JNIM"], targets=["Malian Armed Forces", "Wagner Group"],
        claimed_by=["JNIM"],
        casualties=[CasualtyClaim(kind="killed", count_text="at least 15", count_min=15,
                                  count_max=None, victims="Malian Armed Forces", source="AFP")],
        weapons=["drones", "explosives-laden vehicles"], sources=["AFP"],
        evidence=[Q_AMBUSH, Q_CLAIM],
    )


def bombing() -> Incident:
    return Incident(
        summary="A roadside bomb struck a bus near Bandiagara, killing four civilians.",
        event_type="explosions_remote_violence", sub_event_type="remote_explosive_landmine_ied",
        date_text="July 20", date_start=date(2024, 7, 20), date_end=date(2024, 7, 20),
        place="Bandiagara", country="Mali", geo_precision="near_place",
        targets=["civilians"],
        casualties=[CasualtyClaim(kind="killed", count_text="four", count_min=4, count_max=4,
                                  victims="civilians", source="local officials")],
        weapons=["roadside bomb"], sources=["local officials"], evidence=[Q_BOMB],
    )


def abduction() -> Incident:
    return Incident(
        summary="JNIM fighters abducted villagers in Mopti in March 2023.",
        event_type="violence_against_civilians",
        sub_event_type="abduction_forced_disappearance",
        date_text="March 2023", date_start=date(2023, 3, 1), date_end=date(2023, 3, 31),
        place="Mopti", country="Mali", geo_precision="place",
        perpetrators=["JNIM"], targets=["civilians"],
        is_background=True, evidence=[Q_ABDUCTION],
    )


def actors() -> list[Actor]:
    return [
        Actor(name="Jama'at Nasr al-Islam wal Muslimin", aliases=["JNIM"],
              actor_type="rebel_group", affiliation="al-Qaeda"),
        Actor(name="Malian Armed Forces", aliases=["FAMa"], actor_type="state_forces",
              country="Mali"),
        Actor(name="Wagner Group", aliases=["Wagner"], actor_type="external_forces",
              country="Russia"),
        Actor(name="civilians", actor_type="civilians"),
    ]


def gold_record() -> GoldRecord:
    return GoldRecord(article=article(), incidents=[ambush(), bombing(), abduction()],
                      actors=actors(), tests=["three incidents, one background"])


def quiet_record() -> GoldRecord:
    """An article with no incident at all."""
    text = "Mali's transitional government announced a new budget for the coming year."
    return GoldRecord(article=article(text, "Budget"), incidents=[], actors=[])
