"""Gold labels for events told by several articles (source of evals/gold/events/events.jsonl).

Every article here is original, fictional wire-style text written for this project: the events
did not happen as told. Incidents of different articles that report the same event share an
``event`` key. Near misses are labelled as other events: the same day and actors at another
place (Moura / Sofara), the same place a week apart (Boni), a coordinated attack on two places
(Boulkessi / Mondoro) and a report naming only their region.

    .venv/bin/python evals/gold/gold_events.py          # rewrite events/events.jsonl
    .venv/bin/python evals/gold/gold_events.py --check  # fail if the committed file differs
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from build import actor, cas, incident, record

from extractor.schemas import GoldRecord, article_id_for

HERE = Path(__file__).resolve().parent
TARGET = HERE / "events" / "events.jsonl"
RECORDS: list[dict] = []

FAMA = actor("Malian Armed Forces", "state_forces", ["Malian soldiers", "Malian army"],
             country="Mali")
CIVILIANS = actor("civilians", "civilians")


def add(rec: dict, events: list[str]) -> None:
    """A record whose incidents report the events named, in order."""
    assert len(events) == len(rec["incidents"])
    for item, event in zip(rec["incidents"], events, strict=True):
        item["event"] = event
    RECORDS.append(rec)


# Moura, 4 March 2025: three outlets, one event; the same day near Sofara is another --------
M1 = """Soldiers and Russian fighters kill civilians at Moura market

BAMAKO, March 6 - Malian soldiers and fighters of Russia's Africa Corps killed at least 20 civilians at the weekly market in Moura, in the central Mopti region, on Tuesday, two residents and a local official said.

"They surrounded the market in the morning and opened fire on the men," one resident said by telephone. The army did not respond to a request for comment."""

add(record(
    text=M1, title="Soldiers and Russian fighters kill civilians at Moura market",
    url="https://example.org/wire/2025/03/06/moura-market", published="2025-03-06",
    source="Wire A", tests=["events", "same event told by three outlets"],
    actors=[FAMA, actor("Africa Corps", "external_forces", ["Russia's Africa Corps"],
                        country="Russia"), CIVILIANS],
    incidents=[incident(
        "On 4 March 2025, Malian soldiers and Africa Corps fighters killed at least 20 "
        "civilians at the market in Moura (Mopti).",
        "violence_against_civilians", "attack", date_text="on Tuesday",
        date_start="2025-03-04", place="Moura", admin1="Mopti", country="Mali",
        perpetrators=["Malian Armed Forces", "Africa Corps"], targets=["civilians"],
        casualties=[cas("killed", "at least 20", 20, None, "civilians",
                        "two residents and a local official")],
        sources=["two residents", "a local official"],
        evidence=["Malian soldiers and fighters of Russia's Africa Corps killed at least 20 "
                  "civilians at the weekly market in Moura, in the central Mopti region, on "
                  "Tuesday"])],
), ["moura-market-2025-03-04"])

M2 = """Mali: rights group says 31 villagers were executed in Moura

DAKAR, March 12 - A human rights group said on Wednesday that Malian troops and foreign fighters executed 31 villagers in Moura on March 4, and called for an independent inquiry.

The group said it had interviewed 14 witnesses. On the same day, it said, Malian soldiers killed six herders near Sofara, about 30 kilometres to the east."""

add(record(
    text=M2, title="Mali: rights group says 31 villagers were executed in Moura",
    url="https://example.org/rights/2025/03/12/moura", published="2025-03-12",
    source="Rights Watch Sahel", tests=["events", "near miss: same day and actors, another place"],
    actors=[actor("Malian Armed Forces", "state_forces", ["Malian troops", "Malian soldiers"],
                  country="Mali"), CIVILIANS],
    incidents=[
        incident(
            "On 4 March 2025, Malian troops and foreign fighters executed 31 villagers in "
            "Moura (Mopti).",
            "violence_against_civilians", "attack", date_text="on March 4",
            date_start="2025-03-04", place="Moura", admin1="Mopti", country="Mali",
            perpetrators=["Malian Armed Forces"], targets=["civilians"],
            casualties=[cas("killed", "31", 31, 31, "civilians", "A human rights group")],
            sources=["A human rights group"],
            evidence=["Malian troops and foreign fighters executed 31 villagers in Moura on "
                      "March 4"]),
        incident(
            "On 4 March 2025, Malian soldiers killed six herders near Sofara (Mopti).",
            "violence_against_civilians", "attack", date_text="On the same day",
            date_start="2025-03-04", place="Sofara", admin1="Mopti", country="Mali",
            geo_precision="near_place", perpetrators=["Malian Armed Forces"],
            targets=["civilians"],
            casualties=[cas("killed", "six", 6, 6, "civilians", "A human rights group")],
            sources=["A human rights group"],
            evidence=["On the same day, it said, Malian soldiers killed six herders near "
                      "Sofara"]),
    ],
), ["moura-market-2025-03-04", "sofara-herders-2025-03-04"])

M3 = """Residents of Moura bury their dead

MOPTI, March 5 - Residents of Moura said on Wednesday that they had buried 23 people killed when Malian soldiers opened fire at the market the day before. The army said in a statement that it had "neutralised terrorists" in the area, without giving a figure."""

add(record(
    text=M3, title="Residents of Moura bury their dead",
    url="https://example.org/radio/2025/03/05/moura", published="2025-03-05",
    source="Radio Mopti", tests=["events", "relative date resolved to the same day"],
    actors=[FAMA, CIVILIANS],
    incidents=[incident(
        "On 4 March 2025, Malian soldiers opened fire at the market in Moura (Mopti), killing "
        "23 people, residents said.",
        "violence_against_civilians", "attack", date_text="the day before",
        date_start="2025-03-04", place="Moura", admin1="Mopti", country="Mali",
        perpetrators=["Malian Armed Forces"], targets=["civilians"],
        casualties=[cas("killed", "23", 23, 23, "civilians", "Residents of Moura")],
        sources=["Residents of Moura", "The army"],
        evidence=["they had buried 23 people killed when Malian soldiers opened fire at the "
                  "market the day before"])],
), ["moura-market-2025-03-04"])


# Boni: a mine on 12 March told twice; another mine on the same road a week later ----------
B1 = """Mine kills four soldiers near Boni

BAMAKO, March 13 - Four Malian soldiers were killed on Wednesday when their vehicle hit an improvised explosive device near Boni, on the road to Hombori, security sources said. No group claimed responsibility."""

add(record(
    text=B1, title="Mine kills four soldiers near Boni",
    url="https://example.org/wire/2025/03/13/boni-mine", published="2025-03-13",
    source="Wire A", tests=["events", "same event, one side names the perpetrator"],
    actors=[FAMA],
    incidents=[incident(
        "On 12 March 2025, an improvised explosive device hit a Malian army vehicle near Boni "
        "(Mopti), killing four soldiers.",
        "explosions_remote_violence", "remote_explosive_landmine_ied", date_text="on Wednesday",
        date_start="2025-03-12", place="Boni", admin1="Mopti", country="Mali",
        geo_precision="near_place", targets=["Malian Armed Forces"],
        casualties=[cas("killed", "Four", 4, 4, "Malian Armed Forces", "security sources")],
        weapons=["improvised explosive device"], sources=["security sources"],
        evidence=["Four Malian soldiers were killed on Wednesday when their vehicle hit an "
                  "improvised explosive device near Boni"])],
), ["boni-mine-2025-03-12"])

B2 = """JNIM claims roadside bomb attack on army convoy in central Mali

BAMAKO, March 14 - The al-Qaeda-linked JNIM said on Thursday that its fighters had blown up a Malian army vehicle near Boni on Wednesday, killing six soldiers. The Malian army confirmed an attack on a convoy in the area but gave no toll."""

add(record(
    text=B2, title="JNIM claims roadside bomb attack on army convoy in central Mali",
    url="https://example.org/wire/2025/03/14/jnim-boni", published="2025-03-14",
    source="Wire B", tests=["events", "claimed toll against a lower report"],
    actors=[actor("JNIM", "rebel_group", affiliation="al-Qaeda"), FAMA],
    incidents=[incident(
        "On 12 March 2025, JNIM blew up a Malian army vehicle near Boni (Mopti), killing six "
        "soldiers according to the group.",
        "explosions_remote_violence", "remote_explosive_landmine_ied", date_text="on Wednesday",
        date_start="2025-03-12", place="Boni", admin1="Mopti", country="Mali",
        geo_precision="near_place", perpetrators=["JNIM"], targets=["Malian Armed Forces"],
        claimed_by=["JNIM"],
        casualties=[cas("killed", "six", 6, 6, "Malian Armed Forces", "JNIM")],
        sources=["JNIM", "The Malian army"],
        evidence=["JNIM said on Thursday that its fighters had blown up a Malian army vehicle "
                  "near Boni on Wednesday, killing six soldiers"])],
), ["boni-mine-2025-03-12"])

B3 = """Second mine blast on Boni road kills two soldiers

BAMAKO, March 20 - Another Malian army vehicle hit a mine near Boni on Wednesday, killing two soldiers, local sources said. It was the third such blast on the road this year."""

add(record(
    text=B3, title="Second mine blast on Boni road kills two soldiers",
    url="https://example.org/wire/2025/03/20/boni-mine", published="2025-03-20",
    source="Wire A", tests=["events", "near miss: same place a week later"],
    actors=[FAMA],
    incidents=[incident(
        "On 19 March 2025, a Malian army vehicle hit a mine near Boni (Mopti), killing two "
        "soldiers.",
        "explosions_remote_violence", "remote_explosive_landmine_ied", date_text="on Wednesday",
        date_start="2025-03-19", place="Boni", admin1="Mopti", country="Mali",
        geo_precision="near_place", targets=["Malian Armed Forces"],
        casualties=[cas("killed", "two", 2, 2, "Malian Armed Forces", "local sources")],
        weapons=["mine"], sources=["local sources"],
        evidence=["Another Malian army vehicle hit a mine near Boni on Wednesday, killing two "
                  "soldiers"])],
), ["boni-mine-2025-03-19"])


# Andéramboukane, 2 April: a battle told from each side ---------------------------------------
C1 = """Islamic State fighters attack army post in Menaka region

NIAMEY, April 3 - Fighters of the Islamic State Sahel Province attacked a Malian army post in Andéramboukane on Wednesday, killing seven soldiers, a local official said."""

add(record(
    text=C1, title="Islamic State fighters attack army post in Menaka region",
    url="https://example.org/wire/2025/04/03/anderamboukane", published="2025-04-03",
    source="Wire B", tests=["events", "battle told from each side"],
    actors=[actor("Islamic State Sahel Province", "rebel_group", affiliation="Islamic State"),
            FAMA],
    incidents=[incident(
        "On 2 April 2025, Islamic State Sahel Province fighters attacked a Malian army post in "
        "Andéramboukane (Ménaka), killing seven soldiers.",
        "battles", "armed_clash", date_text="on Wednesday", date_start="2025-04-02",
        place="Andéramboukane", admin1="Ménaka", country="Mali",
        perpetrators=["Islamic State Sahel Province"], targets=["Malian Armed Forces"],
        casualties=[cas("killed", "seven", 7, 7, "Malian Armed Forces", "a local official")],
        sources=["a local official"],
        evidence=["Fighters of the Islamic State Sahel Province attacked a Malian army post in "
                  "Andéramboukane on Wednesday, killing seven soldiers"])],
), ["anderamboukane-2025-04-02"])

C2 = """Malian army says it killed 15 jihadists near Menaka

BAMAKO, April 4 - The Malian army said on Thursday that its troops had launched an offensive against the Islamic State Sahel Province in Anderamboukane on Wednesday, killing 15 of its fighters, and that two soldiers had died."""

add(record(
    text=C2, title="Malian army says it killed 15 jihadists near Menaka",
    url="https://example.org/wire/2025/04/04/menaka-army", published="2025-04-04",
    source="Wire A", tests=["events", "battle told from each side"],
    actors=[FAMA, actor("Islamic State Sahel Province", "rebel_group",
                        affiliation="Islamic State")],
    incidents=[incident(
        "On 2 April 2025, Malian troops attacked the Islamic State Sahel Province in "
        "Andéramboukane (Ménaka), killing 15 fighters; two soldiers died, the army said.",
        "battles", "armed_clash", date_text="on Wednesday", date_start="2025-04-02",
        place="Anderamboukane", admin1="Ménaka", country="Mali",
        perpetrators=["Malian Armed Forces"], targets=["Islamic State Sahel Province"],
        claimed_by=["Malian Armed Forces"],
        casualties=[cas("killed", "15", 15, 15, "Islamic State Sahel Province",
                        "The Malian army"),
                    cas("killed", "two", 2, 2, "Malian Armed Forces", "The Malian army")],
        sources=["The Malian army"],
        evidence=["its troops had launched an offensive against the Islamic State Sahel "
                  "Province in Anderamboukane on Wednesday, killing 15 of its fighters"])],
), ["anderamboukane-2025-04-02"])


# 1 May: a coordinated attack on two camps (one incident per place), told again in part -------
D1 = """Jihadists attack two army camps in central Mali

BAMAKO, May 2 - JNIM fighters attacked army camps in Boulkessi and Mondoro at dawn on Thursday in coordinated assaults, killing at least 12 soldiers in Boulkessi and five in Mondoro, security sources said."""

add(record(
    text=D1, title="Jihadists attack two army camps in central Mali",
    url="https://example.org/wire/2025/05/02/boulkessi-mondoro", published="2025-05-02",
    source="Wire A", tests=["events", "coordinated attack: one incident per place"],
    actors=[actor("JNIM", "rebel_group", affiliation="al-Qaeda"), FAMA],
    incidents=[
        incident(
            "On 1 May 2025, JNIM fighters attacked the army camp in Boulkessi (Mopti), killing "
            "at least 12 soldiers.",
            "battles", "armed_clash", date_text="on Thursday", date_start="2025-05-01",
            place="Boulkessi", admin1="Mopti", country="Mali", perpetrators=["JNIM"],
            targets=["Malian Armed Forces"],
            casualties=[cas("killed", "at least 12", 12, None, "Malian Armed Forces",
                            "security sources")],
            sources=["security sources"],
            evidence=["JNIM fighters attacked army camps in Boulkessi and Mondoro at dawn on "
                      "Thursday in coordinated assaults"]),
        incident(
            "On 1 May 2025, JNIM fighters attacked the army camp in Mondoro (Mopti), killing "
            "five soldiers.",
            "battles", "armed_clash", date_text="on Thursday", date_start="2025-05-01",
            place="Mondoro", admin1="Mopti", country="Mali", perpetrators=["JNIM"],
            targets=["Malian Armed Forces"],
            casualties=[cas("killed", "five", 5, 5, "Malian Armed Forces",
                            "security sources")],
            sources=["security sources"],
            evidence=["killing at least 12 soldiers in Boulkessi and five in Mondoro"]),
    ],
), ["boulkessi-2025-05-01", "mondoro-2025-05-01"])

D2 = """Army says it repelled attack on Boulkessi camp

BAMAKO, May 3 - The Malian army said on Friday that it had repelled an attack by JNIM on its camp in Boulkessi on Thursday, killing 20 of the attackers, and acknowledged ten dead in its ranks."""

add(record(
    text=D2, title="Army says it repelled attack on Boulkessi camp",
    url="https://example.org/wire/2025/05/03/boulkessi-army", published="2025-05-03",
    source="Wire B", tests=["events", "one place of a coordinated attack told again"],
    actors=[FAMA, actor("JNIM", "rebel_group", affiliation="al-Qaeda")],
    incidents=[incident(
        "On 1 May 2025, JNIM attacked the army camp in Boulkessi (Mopti); the army said it "
        "killed 20 attackers and lost ten soldiers.",
        "battles", "armed_clash", date_text="on Thursday", date_start="2025-05-01",
        place="Boulkessi", admin1="Mopti", country="Mali", perpetrators=["JNIM"],
        targets=["Malian Armed Forces"],
        casualties=[cas("killed", "20", 20, 20, "JNIM", "The Malian army"),
                    cas("killed", "ten", 10, 10, "Malian Armed Forces", "The Malian army")],
        sources=["The Malian army"],
        evidence=["it had repelled an attack by JNIM on its camp in Boulkessi on Thursday, "
                  "killing 20 of the attackers, and acknowledged ten dead in its ranks"])],
), ["boulkessi-2025-05-01"])

D3 = """Soldiers killed in attacks in central Mali

MOPTI, May 2 - Attacks on army positions in the Mopti region on Thursday killed several soldiers, a security source said, without giving details."""

add(record(
    text=D3, title="Soldiers killed in attacks in central Mali",
    url="https://example.org/radio/2025/05/02/mopti", published="2025-05-02",
    source="Radio Mopti", tests=["events", "a region-level report of a coordinated attack"],
    actors=[FAMA],
    incidents=[incident(
        "On 1 May 2025, attacks on army positions in the Mopti region killed several soldiers.",
        "battles", "armed_clash", date_text="on Thursday", date_start="2025-05-01",
        admin1="Mopti", country="Mali", geo_precision="region",
        targets=["Malian Armed Forces"],
        casualties=[cas("killed", "several", 3, None, "Malian Armed Forces",
                        "a security source")],
        sources=["a security source"],
        evidence=["Attacks on army positions in the Mopti region on Thursday killed several "
                  "soldiers"])],
), ["mopti-attacks-2025-05-01"])


def _checked(records: list[dict]) -> str:
    lines = []
    for rec in records:
        # The event key belongs to the gold layer, not to the Incident a model fills.
        plain = {**rec, "incidents": [{k: v for k, v in item.items() if k != "event"}
                                      for item in rec["incidents"]]}
        gold = GoldRecord.model_validate(plain)
        text = gold.article.text
        assert gold.article.id == article_id_for(text)
        for number, item in enumerate(gold.incidents, start=1):
            for quote in item.evidence:
                if quote not in text:
                    raise SystemExit(f"{gold.article.id} incident {number}: evidence not in "
                                     f"text: {quote!r}")
        dumped = gold.model_dump(mode="json")
        for item, source in zip(dumped["incidents"], rec["incidents"], strict=True):
            item["event"] = source["event"]
        lines.append(json.dumps(dumped, ensure_ascii=False))
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    content = _checked(RECORDS)
    if "--check" in argv:
        if not TARGET.exists() or TARGET.read_text(encoding="utf-8") != content:
            print(f"out of date: {TARGET} (run evals/gold/gold_events.py)")
            return 1
        return 0
    TARGET.parent.mkdir(exist_ok=True)
    TARGET.write_text(content, encoding="utf-8")
    print(f"wrote {TARGET} ({len(RECORDS)} records)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
