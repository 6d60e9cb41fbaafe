"""Generate wire-style conflict news articles as JSON Lines, deterministically.

    .venv/bin/python bench/generate.py --n 1000 --out bench/out/articles-1000.jsonl

Each article is 2,500 to 5,000 characters: a dateline lead, attributed figures, quotes,
background on earlier attacks and the wider conflict, and a wire slug, with places, actors,
weapons and figures drawn from fixed lists by a seeded generator. The same ``--n`` and
``--seed`` give the same bytes, so runs compare. Every text is distinct (the slug carries the
article's number), so every line is its own article.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

# (place, region, country, capital for the dateline)
PLACES = [
    ("Kidal", "Kidal", "Mali", "BAMAKO"), ("Tinzaouaten", "Kidal", "Mali", "BAMAKO"),
    ("Aguelhok", "Kidal", "Mali", "BAMAKO"), ("Tessalit", "Kidal", "Mali", "BAMAKO"),
    ("Anefis", "Kidal", "Mali", "BAMAKO"), ("Timbuktu", "Timbuktu", "Mali", "BAMAKO"),
    ("Léré", "Timbuktu", "Mali", "BAMAKO"), ("Goundam", "Timbuktu", "Mali", "BAMAKO"),
    ("Niafunké", "Timbuktu", "Mali", "BAMAKO"), ("Gossi", "Timbuktu", "Mali", "BAMAKO"),
    ("Gao", "Gao", "Mali", "BAMAKO"), ("Ansongo", "Gao", "Mali", "BAMAKO"),
    ("Bourem", "Gao", "Mali", "BAMAKO"), ("Tessit", "Gao", "Mali", "BAMAKO"),
    ("Ménaka", "Ménaka", "Mali", "BAMAKO"), ("Andéramboukane", "Ménaka", "Mali", "BAMAKO"),
    ("Hombori", "Mopti", "Mali", "BAMAKO"), ("Boni", "Mopti", "Mali", "BAMAKO"),
    ("Douentza", "Mopti", "Mali", "BAMAKO"), ("Bandiagara", "Mopti", "Mali", "BAMAKO"),
    ("Sévaré", "Mopti", "Mali", "BAMAKO"), ("Djenné", "Mopti", "Mali", "BAMAKO"),
    ("Moura", "Mopti", "Mali", "BAMAKO"), ("Bankass", "Mopti", "Mali", "BAMAKO"),
    ("Koro", "Mopti", "Mali", "BAMAKO"), ("Boulkessi", "Mopti", "Mali", "BAMAKO"),
    ("Diallassagou", "Mopti", "Mali", "BAMAKO"), ("Nara", "Koulikoro", "Mali", "BAMAKO"),
    ("Kati", "Koulikoro", "Mali", "BAMAKO"), ("Niono", "Ségou", "Mali", "BAMAKO"),
    ("Diabaly", "Ségou", "Mali", "BAMAKO"), ("Farabougou", "Ségou", "Mali", "BAMAKO"),
    ("Nioro du Sahel", "Kayes", "Mali", "BAMAKO"), ("Djibo", "Sahel", "Burkina Faso",
                                                      "OUAGADOUGOU"),
    ("Dori", "Sahel", "Burkina Faso", "OUAGADOUGOU"), ("Arbinda", "Sahel", "Burkina Faso",
                                                       "OUAGADOUGOU"),
    ("Barsalogho", "Centre-Nord", "Burkina Faso", "OUAGADOUGOU"),
    ("Tillabéri", "Tillabéri", "Niger", "NIAMEY"), ("Ouallam", "Tillabéri", "Niger", "NIAMEY"),
    ("Tahoua", "Tahoua", "Niger", "NIAMEY"),
]

# (name, alias used on second mention, kind: "state" / "armed" / "foreign")
ACTORS = [
    ("Malian Armed Forces", "FAMa", "state"),
    ("Burkinabe army", "the army", "state"),
    ("Nigerien army", "the army", "state"),
    ("Jama'at Nasr al-Islam wal Muslimin", "JNIM", "armed"),
    ("Islamic State Sahel Province", "ISSP", "armed"),
    ("Strategic Framework for the Defence of the People of Azawad", "CSP-DPA", "armed"),
    ("Front de Libération de l'Azawad", "FLA", "armed"),
    ("Wagner Group", "Wagner", "foreign"),
    ("Africa Corps", "the Russian unit", "foreign"),
    ("Dan Na Ambassagou", "the Dogon militia", "armed"),
]

EVENTS = [
    ("ambushed a convoy of", "on the road between {place} and a nearby village",
     "rifles and rocket-propelled grenades"),
    ("attacked a military post held by", "on the outskirts of {place}",
     "heavy machine guns mounted on pick-up trucks"),
    ("struck a patrol of", "about {km} kilometres from {place}",
     "a remotely detonated explosive device"),
    ("shelled positions of", "around {place}", "mortars and artillery"),
    ("carried out a drone strike on", "near {place}", "armed drones"),
    ("clashed with", "in and around {place}", "small arms and mortars"),
]

SOURCES = ["a local official", "a security source", "two residents", "a humanitarian worker",
           "a regional governor's office", "a hospital official", "a community leader"]
OUTLETS = ["Sahel Wire", "West Africa Desk", "Conflict Monitor", "Regional Dispatch"]
NUMBERS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
           "twelve", "fifteen", "twenty", "dozens of", "at least 14", "more than 30",
           "about 40", "between 20 and 50", "at least 7", "several"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

FILLER = [
    "The region has seen a sharp rise in violence since the withdrawal of United Nations "
    "peacekeepers, and aid groups say hundreds of thousands of people have been displaced.",
    "Access to the area is restricted, and independent verification of casualty figures is "
    "rarely possible; communications are often cut for days after an attack.",
    "Analysts say armed groups have shifted towards roadside bombs and drone attacks, which "
    "require fewer fighters and expose them less to air strikes.",
    "The government has declined to comment on operations in the area, citing security "
    "concerns, and journalists require military escorts to travel there.",
    "Residents described markets closed and roads empty, with farmers unable to reach their "
    "fields ahead of the planting season.",
    "Humanitarian organisations warned that food prices had doubled in several towns cut off by "
    "blockades imposed by armed groups.",
    "The defence ministry said in a separate statement that operations would continue \"until "
    "the territory is fully secured\", without giving details.",
    "A spokesman for the regional bloc called for an independent investigation and urged all "
    "parties to protect civilians.",
]


def _pick_actors(rng: random.Random, country: str) -> tuple[tuple[str, str, str], ...]:
    state = {"Mali": ACTORS[0], "Burkina Faso": ACTORS[1], "Niger": ACTORS[2]}[country]
    armed = rng.choice([a for a in ACTORS if a[2] == "armed"])
    foreign = rng.choice([a for a in ACTORS if a[2] == "foreign"])
    return state, armed, foreign


def _earlier_attack(rng: random.Random, when: date, region: str,
                    who: str | None = None) -> str:
    """A background paragraph: an earlier attack elsewhere in the region."""
    earlier = when - timedelta(days=rng.randrange(10, 200))
    who = who or rng.choice([a for a in ACTORS if a[2] == "armed"])[1]
    target = rng.choice(["a checkpoint", "a gendarmerie post", "a supply convoy", "a market",
                         "a village", "an army camp"])
    return (f"On {earlier:%B} {earlier.day}, {who} fighters attacked {target} near "
            f"{rng.choice(PLACES)[0]}, in the {region} region, killing {rng.choice(NUMBERS)} "
            f"people, according to security sources at the time.")


def article(index: int, rng: random.Random, start: date) -> dict[str, object]:
    """One article: a news incident, figures from several sources, and background."""
    place, region, country, capital = rng.choice(PLACES)
    state, armed, foreign = _pick_actors(rng, country)
    attacker, defender = (armed, state) if rng.random() < 0.7 else (state, armed)
    verb, where, weapons = rng.choice(EVENTS)
    published = start + timedelta(days=rng.randrange(0, 700))
    when = published - timedelta(days=rng.randrange(1, 6))
    weekday = WEEKDAYS[when.weekday()]
    killed, wounded = rng.choice(NUMBERS), rng.choice(NUMBERS)
    source_a, source_b = rng.sample(SOURCES, 2)
    outlet = rng.choice(OUTLETS)
    km = rng.randrange(5, 80)
    location = where.format(place=place, km=km)
    paragraphs = [
        f"{capital}, {published:%B} {published.day} ({outlet}) - Fighters from "
        f"{attacker[0]} ({attacker[1]}) {verb} {defender[0]} {location} on {weekday}, "
        f"killing {killed} people and wounding {wounded} others, according to {source_a} "
        f"and {source_b}.",
        f"The attack began shortly after dawn, {source_a} said, when {attacker[1]} fighters "
        f"used {weapons} against the {defender[1]} unit. \"The shooting lasted for more than "
        f"{rng.randrange(2, 7)} hours and we could not leave our homes,\" a resident of "
        f"{place} told {outlet} by telephone, asking not to be named for fear of reprisals.",
        f"{defender[0]} said in a statement on {WEEKDAYS[published.weekday()]} that its "
        f"troops had \"repelled a terrorist attack\" and killed {rng.choice(NUMBERS)} "
        f"assailants, but gave no figure for its own losses. {attacker[1]} claimed "
        f"responsibility in a message on its propaganda channels, saying it had seized "
        f"{rng.randrange(2, 12)} vehicles and a quantity of weapons.",
        f"{foreign[0]} personnel, who have fought alongside {state[1]} since "
        f"{rng.randrange(2021, 2024)}, were deployed to the area after the attack, "
        f"{source_b} said. {foreign[1][0].upper()}{foreign[1][1:]} did not respond to a "
        "request for comment.",
        _earlier_attack(rng, when, region, armed[1]),
    ]
    target = rng.randrange(2_500, 5_001)
    extras = [
        lambda: _earlier_attack(rng, when, region),
        lambda: (f"{rng.choice(SOURCES).capitalize()} said {rng.choice(NUMBERS)} of the wounded "
                 f"had been taken to the hospital in {rng.choice(PLACES)[0]}, where doctors "
                 f"were short of blood and medicines."),
        lambda: (f"\"We have buried {rng.choice(NUMBERS)} people since the start of the month,\" "
                 f"an imam in {place} said. \"Every family here has lost someone.\""),
        lambda: (f"According to figures compiled by aid agencies, more than "
                 f"{rng.randrange(2, 90) * 1000:,} people have fled the {region} region this "
                 f"year, many of them to camps around {rng.choice(PLACES)[0]}."),
    ]
    pool = rng.sample(FILLER, len(FILLER))
    text = "\n\n".join(paragraphs)
    while len(text) < target:
        paragraph = pool.pop() if pool and rng.random() < 0.6 else rng.choice(extras)()
        text += "\n\n" + paragraph
    text += (f"\n\n(Reporting by {outlet} staff in {capital.title()}; "
             f"ref {outlet.split()[0].upper()}-{index:06d})")
    return {
        "title": f"{attacker[1]} {verb.split()[0]} {defender[1]} near {place}, "
                 f"{killed} dead",
        "url": f"https://news.example.invalid/{published:%Y/%m/%d}/{index:06d}",
        "published": published.isoformat(),
        "source": outlet,
        "text": text,
    }


def articles(n: int, seed: int = 7) -> Iterator[dict[str, object]]:
    rng = random.Random(seed)
    start = date(2023, 1, 1)
    for index in range(n):
        yield article(index, rng, start)


def write(path: Path, n: int, seed: int = 7) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(path.suffix + ".part")
    with partial.open("w", encoding="utf-8") as handle:
        for record in articles(n, seed):
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    partial.replace(path)
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="articles [1000]")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=None,
                        help="JSONL file [bench/out/articles-N.jsonl]")
    args = parser.parse_args(argv)
    out = args.out or Path(__file__).resolve().parent / "out" / f"articles-{args.n}.jsonl"
    write(out, args.n, args.seed)
    print(out)


if __name__ == "__main__":
    main()
