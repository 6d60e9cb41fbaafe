"""Gold labels for the three seed articles (source of evals/gold/seeds.jsonl; see README.md)."""

from build import actor, cas, incident, record, seed_text, verbatim

# ---------------------------------------------------------------------------------------------
# Seed 000: Africa Corps mine ambush near Kidal (news) + three recalled attacks.
# ---------------------------------------------------------------------------------------------
T000 = seed_text("000_5f031c566b01b8dd.txt")



def q(*quotes):
    return [verbatim(T000, quote) for quote in quotes]


SEED_000 = record(
    text=T000,
    # The headline as the text gives it, with its no-break spaces made plain.
    title=verbatim(
        T000, "Russia’s Shadow Army Bleeds in Mali’s Desert Warzone. Here’s What We Know"
    ).replace("\u00a0", " "),
    tests=[
        "seed", "ied_ambush", "background", "multi_incident", "unnamed_perpetrators",
        "year_from_caption", "yearless_date", "no_toll", "non_incidents_excluded",
        "Seed 000: a mine ambush near Kidal dated only by the photo caption (June 13, 2025); "
        "three recalled attacks (a yearless Feb 6 IED strike by unnamed militants, a JNIM claim "
        "for late November 2024, a July 2024 ambush with deaths but no figure); the Wagner "
        "withdrawal, the 2021 coup, the CMA truce and the arms shipments are not incidents.",
    ],
    actors=[
        actor("Tuareg rebels", "rebel_group", country="Mali"),
        actor("Africa Corps", "external_forces", ["African Corps"], country="Russia",
              affiliation="Russian Ministry of Defense"),
        actor("Malian Armed Forces", "state_forces",
              ["Mali’s junta", "Mali's junta", "Mali’s military regime"], country="Mali"),
        actor("Jama’at Nasr al-Islam wal Muslimin", "rebel_group",
              ["JNIM", "Jama'at Nasr al-Islam wal Muslimin"], affiliation="al-Qaeda"),
        actor("Wagner Group", "external_forces", ["Wagner"], country="Russia"),
        actor("Russian mercenaries", "external_forces", country="Russia"),
    ],
    incidents=[
        incident(
            "On 13 June 2025, Tuareg rebels ambushed an Africa Corps and Malian Armed Forces "
            "convoy with anti-tank mines near Kidal; LSI AFRICA reported four Russian fighters "
            "killed and three wounded.",
            "explosions_remote_violence", "remote_explosive_landmine_ied",
            date_text="June 13", date_start="2025-06-13",
            place="Kidal", country="Mali", geo_precision="near_place",
            perpetrators=["Tuareg rebels"],
            targets=["Africa Corps", "Malian Armed Forces"],
            casualties=[
                cas("killed", "four", 4, 4, "Africa Corps", "LSI AFRICA"),
                cas("wounded", "three", 3, 3, "Africa Corps", "LSI AFRICA"),
            ],
            weapons=["Belgian-made PRB-M3-A1 anti-tank mines"],
            sources=["war_noir", "LSI AFRICA"],
            evidence=q(
                "a rebel strike on an “Africa Corps” column in Mali, June 13, 2025",
                "were ambushed by Tuareg rebels in northern Mali, according to the open-source "
                "intelligence project (OSINT) war_noir on X on June 13.",
                "The ambush took place near the town of Kidal and was reportedly carried out "
                "using Belgian-made PRB-M3-A1 anti-tank mines.",
                "The targeted convoy included both Malian Armed Forces personnel and Russian "
                "mercenaries affiliated with the Africa Corps",
                "According to LSI AFRICA, four Russian fighters were killed in the attack, and "
                "three others were wounded.",
            ),
        ),
        incident(
            "On 6 February (year not given), unidentified militants struck a Russian Africa "
            "Corps convoy in Mali with a remotely detonated explosive device, damaging a "
            "VPK-Ural armoured vehicle; no casualties reported.",
            "explosions_remote_violence", "remote_explosive_landmine_ied",
            date_text="February 6",
            country="Mali", geo_precision="country",
            targets=["Africa Corps"],
            weapons=["remotely detonated explosive device"],
            is_background=True,
            evidence=q(
                "On February 6, militants ambushed a Russian “Africa Corps” convoy using a "
                "remotely detonated explosive device, damaging a VPK-Ural armored vehicle.",
            ),
        ),
        incident(
            "In late November 2024, JNIM fighters ambushed a Wagner Group convoy in southern "
            "Mali, killing six Russian mercenaries and seizing weapons; JNIM claimed the attack.",
            "battles", "armed_clash",
            date_text="late November 2024", date_start="2024-11-20", date_end="2024-11-30",
            place="southern Mali", country="Mali", geo_precision="region",
            perpetrators=["Jama’at Nasr al-Islam wal Muslimin"],
            targets=["Wagner Group"],
            claimed_by=["Jama’at Nasr al-Islam wal Muslimin"],
            casualties=[cas("killed", "six", 6, 6, "Wagner Group", None)],
            is_background=True,
            evidence=q(
                "In another notable incident in late November 2024, fighters from Jama’at Nasr "
                "al-Islam wal Muslimin (JNIM)—a jihadist group linked to al-Qaeda—ambushed a "
                "Wagner convoy in southern Mali.",
                "The group claimed responsibility for the attack, which killed six Russian "
                "mercenaries",
            ),
        ),
        incident(
            "In July 2024, unidentified attackers carried out a large ambush in Mali on a "
            "convoy of Russian mercenaries and Malian junta forces, destroying it; deaths on "
            "both sides were reported without a figure.",
            "battles", "armed_clash",
            date_text="July 2024", date_start="2024-07-01", date_end="2024-07-31",
            country="Mali", geo_precision="country",
            targets=["Russian mercenaries", "Malian Armed Forces"],
            is_background=True,
            evidence=q(
                "A separate large-scale ambush occurred in July 2024, resulting in the deaths of "
                "both Russian mercenaries and members of Mali’s junta.",
                "Their convoy, which included a Chinese-made armored vehicle, was destroyed.",
            ),
        ),
    ],
)

# ---------------------------------------------------------------------------------------------
# Seed 001: the Tinzaouaten ambush (news) and the Kidal capture (background).
# ---------------------------------------------------------------------------------------------
T001 = seed_text("001_593efed210ec8761.txt")

SEED_001 = record(
    text=T001,
    tests=[
        "seed", "conflicting_tolls", "vague_figures", "figure_about", "territory_capture",
        "background", "yearless_date", "unnamed_group_identity", "captured_fighters",
        "aggregate_excluded", "multi_incident",
        "Seed 001: the July 27 Tinzaouaten ambush with five sources giving different tolls "
        "(various reports, social-media videos, Wagner Orchestra, the Tuareg separatists, the "
        "unnamed al-Qaeda offshoot); the November capture of Kidal as background; no year can "
        "be fixed; France's 59 dead over nine years is an aggregate, not an incident.",
    ],
    actors=[
        actor("Mali Armed Forces", "state_forces",
              ["Malian forces", "Malian troops", "Malian Army", "government troops",
               "Malian Armed Forces"], country="Mali"),
        actor("Wagner Group", "external_forces",
              ["Wagner", "Russia's Wagner Group", "Wagner forces", "Russian mercenaries"],
              country="Russia"),
        actor("Tuareg separatists", "rebel_group",
              ["Tuaregs", "the Tuaregs", "Tuareg rebels", "Tuareg rebel", "separatists"],
              country="Mali"),
        actor("Al-Qaeda offshoot", "rebel_group",
              ["The Al-Qaeda offshoot", "Islamic extremist groups", "Islamic extremists"],
              affiliation="al-Qaeda"),
    ],
    incidents=[
        incident(
            "In November (year not given), Malian forces backed by Wagner Group mercenaries "
            "attacked and captured the Tuareg separatists' stronghold of Kidal.",
            "battles", "government_regains_territory",
            date_text="in November",
            place="Kidal", country="Mali", geo_precision="place",
            perpetrators=["Mali Armed Forces", "Wagner Group"],
            targets=["Tuareg separatists"],
            is_background=True,
            evidence=[
                "Shortly after Malian forces captured the Tuareg rebel stronghold of Kidal in "
                "November, mercenaries from Russia's Wagner Group, who backed the government "
                "troops, briefly hoisted their flag over the city for a photo op.",
                "Months after they departed, Mali and Wagner forces attacked Kidal, spreading "
                "instability.",
            ],
        ),
        incident(
            "On 27 July (year not given), Tuareg separatists supported by an al-Qaeda offshoot "
            "ambushed Wagner Group mercenaries and Malian troops near Tinzaouaten on the "
            "Algerian border; tolls range from about two dozen bodies seen on video to 50 "
            "Wagner and 10 Malian soldiers claimed killed, and Wagner Orchestra reported five "
            "captured.",
            "battles", "armed_clash",
            date_text="July 27",
            place="Tinzaouaten", country="Mali", geo_precision="near_place",
            perpetrators=["Tuareg separatists", "Al-Qaeda offshoot"],
            targets=["Wagner Group", "Mali Armed Forces"],
            claimed_by=["Tuareg separatists", "Al-Qaeda offshoot"],
            casualties=[
                cas("killed", "several dozen", 12, None, None, "various reports"),
                cas("killed", "about two dozen", 24, 24, "Wagner Group",
                    "videos posted on social media"),
                cas("killed", "several dozen", 12, None, "Wagner Group", "Wagner Orchestra"),
                cas("captured", "five", 5, 5, "Wagner Group", "Wagner Orchestra"),
                cas("casualties", "dozens", 12, None, None, "Tuareg separatists"),
                cas("killed", "50", 50, 50, "Wagner Group", "Al-Qaeda offshoot"),
                cas("killed", "10", 10, 10, "Mali Armed Forces", "Al-Qaeda offshoot"),
            ],
            sources=["various reports", "videos posted on social media", "Wagner Orchestra",
                     "Tuareg separatists", "Al-Qaeda offshoot"],
            evidence=[
                "In what was likely a coordinated ambush, the two forces killed several dozen "
                "Wagner fighters and Malian troops outside the northeastern town of Tinzaouaten "
                "late last week, according to various reports.",
                "Malian and Wagner forces were engaged in combat near Tinzaouaten, on the "
                "Algerian border, when they were ambushed on July 27.",
                "Videos posted on social media showed about two dozen bodies purported to be "
                "Wagner fighters",
                "The Telegram channel Wagner Orchestra reported that several dozen mercenaries "
                "were killed in the fighting near Tinzaouaten and five more were captured.",
                "the Tuareg separatists said in a statement that \"dozens\" of what they "
                "referred to as enemy fighters were killed and wounded.",
                "The Al-Qaeda offshoot said 50 mercenaries were killed along with 10 fighters "
                "from the Mali Armed Forces.",
            ],
        ),
    ],
)

# ---------------------------------------------------------------------------------------------
# Seed 003: GSIM ambush near Bandiagara, ISGS attack at Tessit (news), the March ambush (bg).
# ---------------------------------------------------------------------------------------------
T003 = seed_text("003_57279efc4526ab71.txt")

SEED_003 = record(
    text=T003,
    tests=[
        "seed", "multi_incident", "complex_attack", "civilians_in_battle", "background",
        "yearless_date", "relative_dates_unresolvable", "text_grounded_affiliation",
        "non_incidents_excluded",
        "Seed 003: a GSIM-claimed ambush of Wagner near Bandiagara confirmed by local officials "
        "and hospital sources; an ISGS complex attack at Tessit (drones, artillery, "
        "explosives-laden vehicle: armed_clash) with civilians killed; a recalled March ambush "
        "with ISGS's claimed figures. No publication date: 'earlier this week', 'over the "
        "weekend' and 'last March' stay undated. ISGS's affiliation is what the text says.",
    ],
    actors=[
        actor("Support Group for Islam and Muslims", "rebel_group", ["GSIM"],
              affiliation="Al-Qaeda"),
        actor("Wagner Group", "external_forces",
              ["Wagner", "Wagner mercenaries", "Wagner soldiers", "Russians"], country="Russia"),
        actor("Islamic State in the Greater Sahara", "rebel_group", ["ISGS"],
              affiliation="Al-Qaeda"),
        actor("Malian military soldiers", "state_forces",
              ["Malian soldiers", "Malian military"], country="Mali"),
        actor("civilians", "civilians"),
    ],
    incidents=[
        incident(
            "Over a weekend (date not fixed), GSIM fighters ambushed Wagner Group mercenaries "
            "riding motorcycles near Bandiagara, killing four; GSIM claimed it, and local "
            "officials and hospital sources confirmed four Russians dead.",
            "battles", "armed_clash",
            date_text="over the weekend",
            place="Bandiagara", country="Mali", geo_precision="near_place",
            perpetrators=["Support Group for Islam and Muslims"],
            targets=["Wagner Group"],
            claimed_by=["Support Group for Islam and Muslims"],
            casualties=[
                cas("killed", "four", 4, 4, "Wagner Group", "GSIM"),
                cas("killed", "Four", 4, 4, "Wagner Group", "local officials"),
                cas("killed", "four", 4, 4, "Wagner Group", "hospital sources"),
            ],
            sources=["GSIM", "AFP", "local officials", "hospital sources"],
            evidence=[
                "Earlier this week, the Support Group for Islam and Muslims (GSIM), the main "
                "jihadist alliance in the region, claimed they killed four Wagner mercenaries "
                "during an ambush in central Mali.",
                "GSIM reportedly ambushed Wagner soldiers as they rode motorcycles in the "
                "Bandiagara region towards the mountains.",
                "“Four Russians were killed over the weekend by jihadists near Bandiagara,”",
                "sources from the hospital also confirmed the death of “four Russians”",
            ],
        ),
        incident(
            "Earlier in the week (date not fixed), ISGS attacked Malian soldiers in Tessit with "
            "drones, artillery, explosives and an explosives-laden vehicle, killing 42 soldiers; "
            "four civilians also died, according to AFP; ISGS claimed the attack.",
            "battles", "armed_clash",
            date_text="Earlier this week",
            place="Tessit", country="Mali", geo_precision="place",
            perpetrators=["Islamic State in the Greater Sahara"],
            targets=["Malian military soldiers"],
            claimed_by=["Islamic State in the Greater Sahara"],
            casualties=[
                cas("killed", "42", 42, 42, "Malian military soldiers", "AFP"),
                cas("killed", "four", 4, 4, "civilians", "AFP"),
            ],
            weapons=["drone", "artillery", "explosives", "explosives-laden vehicle"],
            sources=["AFP", "ISGS"],
            evidence=[
                "Earlier this week, another network called Islamic State in the Greater Sahara "
                "(ISGS), a known Al-Qaeda affiliate, attacked Malian military soldiers and "
                "killed 42 of them.",
                "The *AFP* report also added that four civilians died during the confrontation.",
                "This attack occurred in the town of Tessit, a three-border region.",
                "The ISGS claimed their mission was successful because they were able to deploy "
                "“drone and artillery suppport and [used] explosives and an explosives-laden "
                "vehicle.”",
            ],
        ),
        incident(
            "In March (year not given), ISGS ambushed Malian soldiers; ISGS claimed 33 soldiers "
            "killed and 40 civilians massacred.",
            "battles", "armed_clash",
            date_text="Last March",
            country="Mali", geo_precision="country",
            perpetrators=["Islamic State in the Greater Sahara"],
            targets=["Malian military soldiers"],
            claimed_by=["Islamic State in the Greater Sahara"],
            casualties=[
                cas("killed", "33", 33, 33, "Malian military soldiers", "ISGS"),
                cas("killed", "40", 40, 40, "civilians", "ISGS"),
            ],
            sources=["ISGS"],
            is_background=True,
            evidence=[
                "Last March, ISGS also claimed they were able to ambush Malian soldiers yet "
                "again, and they reported 33 confirmed kills, with 40 civilians “massacred.”",
            ],
        ),
    ],
)

RECORDS = [SEED_000, SEED_001, SEED_003]
