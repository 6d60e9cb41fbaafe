"""Gold labels for invented hard-case articles (source of evals/gold/hard_cases.jsonl).

Every article here is original, fictional wire-style text written for this project: the events
did not happen as told. Places and armed groups are real ones of the Sahel.
"""

from build import actor, cas, incident, record

RECORDS: list[dict] = []


def add(rec: dict) -> None:
    RECORDS.append(rec)


# H01 ------------------------------------------------------------------------------------------
H01 = """Jihadists kill soldiers in attack on central Mali army camp

BAMAKO, Oct 17 - Jihadists linked to al-Qaeda attacked a Malian army camp in Tenenkou, in the central Mopti region, on Tuesday, killing at least 15 soldiers, two security sources said.

The Support Group for Islam and Muslims, known by its Arabic acronym JNIM, claimed the assault in a statement released on Wednesday evening, saying its fighters had killed 40 soldiers and seized weapons, ammunition and three pick-up trucks.

A local elected official, who asked not to be named for his safety, said the attackers arrived on motorcycles shortly before dawn and fought the garrison for about three hours before withdrawing towards the Inner Niger Delta. "We buried 18 soldiers this morning," he said.

The Malian Armed Forces (FAMa) said in a communique that they had repelled "a complex terrorist attack" on Tenenkou and that "more than 30 terrorists were neutralised". The army acknowledged losses in its ranks without giving a figure.

GSIM, as the group is also known from its French initials, was formed in 2017 as an alliance of several Sahelian jihadist movements under the leadership of Iyad Ag Ghaly. It has stepped up attacks on army positions in central Mali since the departure of UN peacekeepers at the end of 2023, and has imposed blockades on several towns of the Mopti and Segou regions.

The ruling junta, which came to power in coups in 2020 and 2021, has made the recovery of national territory its priority and relies on Russian paramilitaries for support. Analysts say the army remains stretched across a vast territory."""

add(record(
    text=H01,
    title="Jihadists kill soldiers in attack on central Mali army camp",
    url="https://example.org/africa/2024/10/17/mali-tenenkou-camp-attack",
    published="2024-10-17", source="AFP-style wire",
    tests=[
        "aliases", "conflicting_tolls", "figure_at_least", "figure_more_than",
        "relative_dates", "defender_reports_attacker_losses", "mali",
        "JNIM, GSIM and 'Support Group for Islam and Muslims' are one actor; four sources give "
        "four figures (at least 15, 40 claimed, 18 buried, more than 30 attackers neutralised "
        "by the defender, which is not a claim); 'on Tuesday' resolves to 2024-10-15.",
    ],
    actors=[
        actor("Support Group for Islam and Muslims", "rebel_group", ["JNIM", "GSIM"],
              affiliation="al-Qaeda"),
        actor("Malian Armed Forces", "state_forces", ["FAMa", "Malian army"], country="Mali"),
    ],
    incidents=[incident(
        "On 15 October 2024, JNIM fighters attacked a Malian Armed Forces camp in Tenenkou "
        "(Mopti); security sources said at least 15 soldiers were killed, JNIM claimed 40, and "
        "FAMa said more than 30 attackers were killed.",
        "battles", "armed_clash",
        date_text="on Tuesday", date_start="2024-10-15",
        place="Tenenkou", admin1="Mopti", country="Mali", geo_precision="place",
        perpetrators=["Support Group for Islam and Muslims"],
        targets=["Malian Armed Forces"],
        claimed_by=["Support Group for Islam and Muslims"],
        casualties=[
            cas("killed", "at least 15", 15, None, "Malian Armed Forces", "security sources"),
            cas("killed", "40", 40, 40, "Malian Armed Forces", "JNIM"),
            cas("killed", "18", 18, 18, "Malian Armed Forces", "local elected official"),
            cas("killed", "more than 30", 31, None, "Support Group for Islam and Muslims",
                "Malian Armed Forces"),
        ],
        sources=["security sources", "JNIM", "local elected official", "Malian Armed Forces"],
        evidence=[
            "Jihadists linked to al-Qaeda attacked a Malian army camp in Tenenkou, in the "
            "central Mopti region, on Tuesday, killing at least 15 soldiers, two security "
            "sources said.",
            "saying its fighters had killed 40 soldiers",
            "\"We buried 18 soldiers this morning,\" he said.",
            "\"more than 30 terrorists were neutralised\"",
        ],
    )],
))

# H02 ------------------------------------------------------------------------------------------
H02 = """Coordinated jihadist raids hit three towns in eastern Burkina Faso

OUAGADOUGOU, March 4 - Fighters of the al-Qaeda-linked Group for the Support of Islam and Muslims (JNIM) carried out simultaneous attacks on army and militia positions in the eastern towns of Diapaga, Kantchari and Partiaga over the weekend, killing more than 30 soldiers and auxiliaries, two security sources said.

The attackers, who came on motorcycles and in pick-up trucks from the direction of the W National Park, struck an army detachment in Diapaga, a base of the Volunteers for the Defence of the Homeland (VDP) in Kantchari and an army checkpoint at the entrance to Partiaga, the sources said. They did not break down the toll by town.

JNIM claimed the three attacks in a message on Monday, saying it had overrun the positions and seized weapons, ammunition and two armoured vehicles. It gave no casualty figure.

The government of Captain Ibrahim Traore has not commented. The authorities rarely communicate on military losses, and the junta has suspended several foreign media outlets accused of relaying jihadist propaganda.

The Est region, which borders Niger, Benin and Togo, has become one of the most violent parts of the country since 2019, with the Burkinabe army and the VDP auxiliaries it recruited in 2020 fighting both JNIM and the Islamic State. More than two million people have been displaced across Burkina Faso by the conflict, according to United Nations figures."""

_h02_actors = ["Group for the Support of Islam and Muslims"]
add(record(
    text=H02,
    title="Coordinated jihadist raids hit three towns in eastern Burkina Faso",
    url="https://example.org/world/africa/2025/03/04/burkina-est-coordinated-attacks",
    published="2025-03-04", source="Reuters-style wire",
    tests=[
        "coordinated_attack", "burkina_faso", "figure_more_than", "relative_dates",
        "multi_incident", "aggregate_excluded",
        "One coordinated raid on three named towns is three incidents, the whole toll (more "
        "than 30) recorded once on the first (Diapaga); 'over the weekend' before Tuesday "
        "4 March 2025 is 1-2 March; two million displaced is an aggregate.",
    ],
    actors=[
        actor("Group for the Support of Islam and Muslims", "rebel_group", ["JNIM"],
              affiliation="al-Qaeda"),
        actor("Burkinabe army", "state_forces", ["army"], country="Burkina Faso"),
        actor("Volunteers for the Defence of the Homeland", "political_militia", ["VDP"],
              country="Burkina Faso"),
    ],
    incidents=[
        incident(
            "Over the weekend of 1-2 March 2025, JNIM fighters attacked an army detachment in "
            "Diapaga (Est) in simultaneous raids on three towns; more than 30 soldiers and VDP "
            "auxiliaries were killed across the three attacks; JNIM claimed them.",
            "battles", "armed_clash",
            date_text="over the weekend", date_start="2025-03-01", date_end="2025-03-02",
            place="Diapaga", admin1="Est", country="Burkina Faso", geo_precision="place",
            perpetrators=_h02_actors, targets=["Burkinabe army"], claimed_by=_h02_actors,
            casualties=[cas("killed", "more than 30", 31, None, None, "security sources")],
            sources=["security sources", "JNIM"],
            evidence=[
                "carried out simultaneous attacks on army and militia positions in the eastern "
                "towns of Diapaga, Kantchari and Partiaga over the weekend, killing more than "
                "30 soldiers and auxiliaries, two security sources said.",
                "struck an army detachment in Diapaga",
                "JNIM claimed the three attacks in a message on Monday",
            ],
        ),
        incident(
            "Over the weekend of 1-2 March 2025, JNIM fighters attacked a VDP base in Kantchari "
            "(Est) as part of the same coordinated raids; JNIM claimed it; toll given only for "
            "the three attacks together.",
            "battles", "armed_clash",
            date_text="over the weekend", date_start="2025-03-01", date_end="2025-03-02",
            place="Kantchari", admin1="Est", country="Burkina Faso", geo_precision="place",
            perpetrators=_h02_actors,
            targets=["Volunteers for the Defence of the Homeland"], claimed_by=_h02_actors,
            sources=["security sources", "JNIM"],
            evidence=[
                "a base of the Volunteers for the Defence of the Homeland (VDP) in Kantchari",
                "JNIM claimed the three attacks in a message on Monday",
            ],
        ),
        incident(
            "Over the weekend of 1-2 March 2025, JNIM fighters attacked an army checkpoint at "
            "the entrance to Partiaga (Est) as part of the same coordinated raids; JNIM "
            "claimed it; toll given only for the three attacks together.",
            "battles", "armed_clash",
            date_text="over the weekend", date_start="2025-03-01", date_end="2025-03-02",
            place="Partiaga", admin1="Est", country="Burkina Faso", geo_precision="place",
            perpetrators=_h02_actors, targets=["Burkinabe army"], claimed_by=_h02_actors,
            sources=["security sources", "JNIM"],
            evidence=[
                "an army checkpoint at the entrance to Partiaga",
                "JNIM claimed the three attacks in a message on Monday",
            ],
        ),
    ],
))

# H03 ------------------------------------------------------------------------------------------
H03 = """Niger army drone strike kills civilians at market, residents say

NIAMEY, Dec 9 - A drone strike carried out by Niger's armed forces on Saturday hit a weekly livestock market near the village of Tiawa, in the western Tillaberi region, killing between 20 and 35 civilians, according to local residents.

In a statement read on state television on Sunday, the Niger Armed Forces (FAN) said a drone had "neutralised around 40 terrorists" of the Islamic State who were gathering near the market, and that the operation had been conducted "in strict respect of international humanitarian law".

Two residents reached by telephone said the dead were herders and traders from surrounding villages. "There were no fighters at the market that day. They struck when the crowd was biggest," one of them said.

A regional civil society collective later published a list of 31 names of people it said were killed, including women and children, and said at least 15 other people were wounded and taken to hospitals in Tillaberi and Niamey.

Niger's military government, which took power in a coup in July 2023, has acquired Turkish-made armed drones and increasingly relies on air power against jihadist groups in the border area with Mali and Burkina Faso. Rights groups have documented several strikes that killed civilians over the past year and have called for independent investigations.

The defence ministry did not respond to a request for comment on the residents' accounts."""

add(record(
    text=H03,
    title="Niger army drone strike kills civilians at market, residents say",
    url="https://example.org/news/2024/12/09/niger-tiawa-drone-strike-market",
    published="2024-12-09", source="AFP-style wire",
    tests=[
        "drone_strike", "drone_civilian_casualties", "niger", "figure_between",
        "figure_about", "figure_at_least", "conflicting_tolls", "victims_named_differently",
        "relative_dates",
        "A drone strike is air_drone_strike whoever it kills; the army's 'around 40 "
        "terrorists' and the residents' 'between 20 and 35 civilians' count the same dead, so "
        "both claims take the non-party's victims value, civilians; the army's statement of "
        "the losses it inflicted makes it claimed_by; Saturday before Monday 9 December 2024 is "
        "the 7th.",
    ],
    actors=[
        actor("Niger Armed Forces", "state_forces", ["FAN", "Niger's armed forces"],
              country="Niger"),
        actor("civilians", "civilians"),
    ],
    incidents=[incident(
        "On 7 December 2024, a Niger Armed Forces drone strike hit a livestock market near "
        "Tiawa (Tillaberi), killing between 20 and 35 civilians according to residents (31 "
        "named by a civil society collective, at least 15 wounded); the army said it killed "
        "around 40 Islamic State fighters.",
        "explosions_remote_violence", "air_drone_strike",
        date_text="on Saturday", date_start="2024-12-07",
        place="Tiawa", admin1="Tillaberi", country="Niger", geo_precision="near_place",
        perpetrators=["Niger Armed Forces"],
        targets=["civilians"],
        claimed_by=["Niger Armed Forces"],
        casualties=[
            cas("killed", "between 20 and 35", 20, 35, "civilians", "local residents"),
            cas("killed", "around 40", 40, 40, "civilians", "Niger Armed Forces"),
            cas("killed", "31", 31, 31, "civilians", "civil society collective"),
            cas("wounded", "at least 15", 15, None, "civilians", "civil society collective"),
        ],
        weapons=["drone"],
        sources=["local residents", "Niger Armed Forces", "civil society collective"],
        evidence=[
            "A drone strike carried out by Niger's armed forces on Saturday hit a weekly "
            "livestock market near the village of Tiawa, in the western Tillaberi region, "
            "killing between 20 and 35 civilians, according to local residents.",
            "the Niger Armed Forces (FAN) said a drone had \"neutralised around 40 terrorists\" "
            "of the Islamic State who were gathering near the market",
            "A regional civil society collective later published a list of 31 names of people "
            "it said were killed, including women and children, and said at least 15 other "
            "people were wounded",
        ],
    )],
))

# H04 ------------------------------------------------------------------------------------------
H04 = """Toll from convoy attack in northern Burkina Faso rises to 42

OUAGADOUGOU, June 13 - The death toll from Tuesday's attack on a military supply convoy near Gorom-Gorom in northern Burkina Faso has risen to 42, a security source said on Thursday, after an initial count put it at 17.

Heavily armed gunmen on motorcycles opened fire on the convoy as it travelled from Dori towards Gorom-Gorom, the main town of Oudalan province, the source said. Most of the dead were soldiers of the Burkinabe army escorting the trucks, but at least six civilian drivers were also among those killed, a transport union official said.

"The toll rose to 42 after search teams found more bodies in the bush on Wednesday," the security source said, adding that around 20 people were still missing.

No group has claimed the attack. Both al-Qaeda and Islamic State affiliates operate in the area, which borders Mali and Niger, and supply convoys to besieged towns in the north have been targeted repeatedly since 2022.

The transport union called on the authorities to strengthen escorts, saying its members were paying "an ever heavier price" for keeping towns in the north supplied. The government has not commented on the attack."""

add(record(
    text=H04,
    title="Toll from convoy attack in northern Burkina Faso rises to 42",
    url="https://example.org/africa/2024/06/13/burkina-gorom-gorom-convoy-toll",
    published="2024-06-13", source="AFP-style wire",
    tests=[
        "revised_toll", "unnamed_perpetrators", "civilians_in_battle", "burkina_faso",
        "figure_at_least", "figure_about", "relative_dates", "admin_level_trap",
        "The toll rose from 17 to 42: recorded once, as revised (42); 'gunmen' are no actor; "
        "civilian drivers killed in the ambush stay casualties of the battle; Oudalan is a "
        "province, not the first-level region, so admin1 stays null; Tuesday = 2024-06-11.",
    ],
    actors=[
        actor("Burkinabe army", "state_forces", country="Burkina Faso"),
        actor("civilians", "civilians", ["civilian drivers"]),
    ],
    incidents=[incident(
        "On 11 June 2024, unidentified gunmen on motorcycles ambushed a Burkinabe army-escorted "
        "supply convoy on the Dori-Gorom-Gorom road near Gorom-Gorom; the toll rose to 42 "
        "killed, mostly soldiers and at least six civilian drivers, with around 20 missing.",
        "battles", "armed_clash",
        date_text="Tuesday's", date_start="2024-06-11",
        place="Gorom-Gorom", country="Burkina Faso", geo_precision="near_place",
        targets=["Burkinabe army"],
        casualties=[
            cas("killed", "42", 42, 42, None, "security source"),
            cas("killed", "at least six", 6, None, "civilians", "transport union official"),
            cas("missing", "around 20", 20, 20, None, "security source"),
        ],
        sources=["security source", "transport union official"],
        evidence=[
            "The death toll from Tuesday's attack on a military supply convoy near Gorom-Gorom "
            "in northern Burkina Faso has risen to 42",
            "Heavily armed gunmen on motorcycles opened fire on the convoy as it travelled from "
            "Dori towards Gorom-Gorom",
            "Most of the dead were soldiers of the Burkinabe army escorting the trucks, but at "
            "least six civilian drivers were also among those killed",
            "adding that around 20 people were still missing",
        ],
    )],
))

# H05 ------------------------------------------------------------------------------------------
H05 = """Gunmen abduct bus passengers in central Mali

MOPTI, Jan 20 - Armed men stopped a passenger bus on the road between Bandiagara and Bankass in central Mali on Friday and abducted up to 15 travellers, local officials and the bus company said.

The assailants, who were riding motorcycles, ordered everyone off the bus, checked identity papers and led the men away into the bush, a company employee said. The women and children were allowed to continue their journey to Bankass. "We still have no news of them," he said.

A local youth association put the number of people taken at a dozen. The regional authorities in the Mopti region did not respond to requests for comment.

Nobody has claimed the abduction. Kidnappings on the roads of the Mopti region have multiplied since 2022, with both jihadist groups and community self-defence militias accused of holding travellers for ransom or as suspected informants.

In a separate incident on the same road last month, three traders were kidnapped near Songho and have not been heard from since, according to the youth association.

Transport operators have reduced the number of buses serving the area, and several companies now require passengers to travel in convoys escorted by the army, a measure residents say has done little to stop the attacks."""

add(record(
    text=H05,
    title="Gunmen abduct bus passengers in central Mali",
    url="https://example.org/africa/2025/01/20/mali-bandiagara-bus-abduction",
    published="2025-01-20", source="AFP-style wire",
    tests=[
        "abduction", "unnamed_perpetrators", "figure_up_to", "conflicting_tolls",
        "relative_dates", "background", "multi_incident", "mali",
        "Two abductions by unnamed armed men (no actor): 'up to 15' (null..15) and the youth "
        "association's 'a dozen' for the same captives; 'on Friday' = 2025-01-17 and 'last "
        "month' = December 2024 for the recalled kidnapping near Songho.",
    ],
    actors=[actor("civilians", "civilians", ["travellers", "passengers", "traders"])],
    incidents=[
        incident(
            "On 17 January 2025, unidentified armed men stopped a bus on the Bandiagara-Bankass "
            "road (Mopti) and abducted up to 15 male passengers; a youth association put the "
            "number at a dozen.",
            "violence_against_civilians", "abduction_forced_disappearance",
            date_text="on Friday", date_start="2025-01-17",
            place="Bandiagara", admin1="Mopti", country="Mali", geo_precision="near_place",
            targets=["civilians"],
            casualties=[
                cas("captured", "up to 15", None, 15, "civilians",
                    "local officials and the bus company"),
                cas("captured", "a dozen", 12, 12, "civilians", "local youth association"),
            ],
            sources=["local officials", "bus company", "local youth association"],
            evidence=[
                "Armed men stopped a passenger bus on the road between Bandiagara and Bankass in "
                "central Mali on Friday and abducted up to 15 travellers, local officials and "
                "the bus company said.",
                "A local youth association put the number of people taken at a dozen.",
            ],
        ),
        incident(
            "In December 2024, unidentified perpetrators kidnapped three traders near Songho "
            "(Mopti) on the Bandiagara-Bankass road; they remain missing.",
            "violence_against_civilians", "abduction_forced_disappearance",
            date_text="last month", date_start="2024-12-01", date_end="2024-12-31",
            place="Songho", admin1="Mopti", country="Mali", geo_precision="near_place",
            targets=["civilians"],
            casualties=[cas("captured", "three", 3, 3, "civilians", "youth association")],
            sources=["youth association"],
            is_background=True,
            evidence=[
                "In a separate incident on the same road last month, three traders were "
                "kidnapped near Songho and have not been heard from since, according to the "
                "youth association.",
            ],
        ),
    ],
))

# H06 ------------------------------------------------------------------------------------------
H06 = """ANALYSIS - After Wagner's exit, Mali bets on Moscow's Africa Corps

BAMAKO, June 20 - The last Wagner Group instructors left Mali this month, ending a three-and-a-half-year deployment that the Russian paramilitary company says achieved its goals. Their place is being taken by the Africa Corps, a force placed under the direct control of the Russian defence ministry, which has flown in personnel and armoured vehicles through Bamako airport since the spring.

For the junta of General Assimi Goita, the change is mostly one of label, diplomats in Bamako say. Many of the men remain, now wearing Africa Corps insignia, and the bases in Timbuktu, Gao and Sevare are unchanged.

The security picture has not improved. The al-Qaeda-linked JNIM alliance has killed more than 1,000 Malian soldiers since 2022, according to a count by a Bamako-based researcher, and the Islamic State's Sahel branch controls large rural areas around Menaka. France, which withdrew its last troops in 2022, lost 58 soldiers in the Sahel over nine years.

"The Russians are no longer trying to win the war; they are trying to keep the regime standing," said a Western analyst who follows the region.

Mali, Burkina Faso and Niger signed a mutual defence pact in 2023 and announced a joint force of 5,000 troops this year. Officials say it will be deployed before the end of the rainy season. The three juntas have also left the ECOWAS regional bloc and threatened to expel any foreign force that does not respect their sovereignty.

JNIM, for its part, has warned in recent statements that it will treat the Africa Corps exactly as it treated Wagner."""

add(record(
    text=H06,
    title="ANALYSIS - After Wagner's exit, Mali bets on Moscow's Africa Corps",
    url="https://example.org/analysis/2025/06/20/mali-wagner-exit-africa-corps",
    published="2025-06-20", source="Reuters-style wire",
    tests=[
        "no_incident", "withdrawal", "aggregate_excluded", "threat_excluded", "mali",
        "An analysis piece: a withdrawal, deployments, a defence pact, threats and aggregates "
        "(more than 1,000 soldiers since 2022; France's 58 over nine years) are not incidents; "
        "the gold incident list is empty.",
    ],
))

# H07 ------------------------------------------------------------------------------------------
H07 = """Two killed as Niger forces fire on protest over insecurity in Tera

NIAMEY, Aug 26 - Nigerien security forces fired tear gas and live ammunition on Saturday to disperse hundreds of people protesting against insecurity in the western town of Tera, killing two demonstrators and wounding several others, a local councillor said.

The protesters, organised by the Tera Youth Collective, had gathered in front of the prefecture after a series of jihadist attacks on surrounding villages, chanting slogans calling on the authorities to send reinforcements. The councillor said the march was peaceful until police and National Guard officers moved in.

The interior ministry said in a statement that "a few" officers had been injured by stones thrown by "agitators" and that an investigation had been opened into the deaths.

In Niamey, the capital, a few hundred members of the M62 civil society movement held a sit-in on the same day outside the national assembly to call for the departure of the remaining foreign troops from the country. That gathering ended without incident, witnesses said.

Protests have been rare since the army seized power in July 2023 and suspended the activities of political parties. The Tera region, close to the borders with Burkina Faso and Mali, has been hit by repeated attacks by groups linked to the Islamic State."""

add(record(
    text=H07,
    title="Two killed as Niger forces fire on protest over insecurity in Tera",
    url="https://example.org/africa/2024/08/26/niger-tera-protest-shooting",
    published="2024-08-26", source="AFP-style wire",
    tests=[
        "protest_force", "peaceful_protest", "niger", "vague_figures", "multi_incident",
        "relative_dates",
        "A peaceful march met with live fire that killed protesters is "
        "excessive_force_against_protesters, the security forces its perpetrator; 'several' "
        "wounded and 'a few' officers injured take 3 (open-ended); the Niamey sit-in the same "
        "day is a separate peaceful_protest; Saturday = 2024-08-24.",
    ],
    actors=[
        actor("Nigerien security forces", "state_forces",
              ["police", "National Guard", "security forces"], country="Niger"),
        actor("Tera Youth Collective", "protesters", ["protesters", "demonstrators"],
              country="Niger"),
        actor("M62 civil society movement", "protesters", ["M62"], country="Niger"),
    ],
    incidents=[
        incident(
            "On 24 August 2024, Nigerien security forces fired tear gas and live ammunition on "
            "a peaceful protest against insecurity organised by the Tera Youth Collective in "
            "Tera, killing two protesters and wounding several; the interior ministry said a "
            "few officers were injured by stones.",
            "protests", "excessive_force_against_protesters",
            date_text="on Saturday", date_start="2024-08-24",
            place="Tera", country="Niger", geo_precision="place",
            perpetrators=["Nigerien security forces"],
            targets=["Tera Youth Collective"],
            casualties=[
                cas("killed", "two", 2, 2, "Tera Youth Collective", "local councillor"),
                cas("wounded", "several", 3, None, "Tera Youth Collective", "local councillor"),
                cas("wounded", "a few", 3, None, "Nigerien security forces", "interior ministry"),
            ],
            weapons=["tear gas", "live ammunition"],
            sources=["local councillor", "interior ministry"],
            evidence=[
                "Nigerien security forces fired tear gas and live ammunition on Saturday to "
                "disperse hundreds of people protesting against insecurity in the western town "
                "of Tera, killing two demonstrators and wounding several others, a local "
                "councillor said.",
                "The councillor said the march was peaceful until police and National Guard "
                "officers moved in.",
                "\"a few\" officers had been injured by stones",
            ],
        ),
        incident(
            "On 24 August 2024, a few hundred members of the M62 civil society movement held a "
            "peaceful sit-in outside the national assembly in Niamey calling for the departure "
            "of foreign troops.",
            "protests", "peaceful_protest",
            date_text="on the same day", date_start="2024-08-24",
            place="Niamey", country="Niger", geo_precision="place",
            perpetrators=["M62 civil society movement"],
            sources=["witnesses"],
            evidence=[
                "In Niamey, the capital, a few hundred members of the M62 civil society movement "
                "held a sit-in on the same day outside the national assembly",
                "That gathering ended without incident, witnesses said.",
            ],
        ),
    ],
))

# H08 ------------------------------------------------------------------------------------------
H08 = """Tuareg-led rebels say they have seized Malian town of Ber

BAMAKO, Feb 5 - Tuareg-led rebels of the Azawad Liberation Front (FLA) said on Tuesday they had taken control of the town of Ber, about 50 km east of Timbuktu, after clashes with the Malian army on Monday.

In a statement, the FLA said its fighters had "liberated" Ber after several hours of fighting, killing about a dozen soldiers and capturing four others along with vehicles and weapons. Images shared by the group showed fighters posing in front of the town's former army camp.

The Malian Armed Forces (FAMa) spoke of a "tactical repositioning" of their units in the area and said the rebels had suffered "heavy losses", without giving figures. A resident reached by phone said the soldiers had left the town on Monday evening and that the fighting had stopped.

The FLA was formed in November 2024 by the merger of several Tuareg-led armed movements of northern Mali, including the Coordination of Azawad Movements (CMA). It has vowed to reverse the army's gains of the past two years.

Malian forces and Russian paramilitaries captured the rebel stronghold of Kidal in November 2023, a victory celebrated by the junta as the restoration of state authority over the whole of the north. The 2015 peace agreement between Bamako and the Tuareg-led groups was formally ended by the government in January 2024."""

add(record(
    text=H08,
    title="Tuareg-led rebels say they have seized Malian town of Ber",
    url="https://example.org/africa/2025/02/05/mali-fla-ber-capture",
    published="2025-02-05", source="Reuters-style wire",
    tests=[
        "territory_capture", "non_state_overtakes", "government_regains", "background",
        "figure_about", "captured_fighters", "relative_dates", "mali", "multi_incident",
        "The FLA taking Ber after fighting is one non_state_actor_overtakes_territory "
        "incident (fighting folded in; 'about a dozen' = 12..12; four soldiers captured); the "
        "2023 recapture of Kidal is background government_regains_territory; the army's "
        "'repositioning' and the end of the peace deal are not incidents; Monday = 2025-02-03.",
    ],
    actors=[
        actor("Azawad Liberation Front", "rebel_group", ["FLA", "Tuareg-led rebels"],
              country="Mali"),
        actor("Malian Armed Forces", "state_forces",
              ["FAMa", "Malian army", "Malian forces"], country="Mali"),
        actor("Russian paramilitaries", "external_forces", country="Russia"),
    ],
    incidents=[
        incident(
            "On 3 February 2025, the Azawad Liberation Front (FLA) seized Ber, east of "
            "Timbuktu, after hours of fighting with the Malian army; the FLA said it killed "
            "about a dozen soldiers and captured four.",
            "battles", "non_state_actor_overtakes_territory",
            date_text="on Monday", date_start="2025-02-03",
            place="Ber", country="Mali", geo_precision="place",
            perpetrators=["Azawad Liberation Front"],
            targets=["Malian Armed Forces"],
            claimed_by=["Azawad Liberation Front"],
            casualties=[
                cas("killed", "about a dozen", 12, 12, "Malian Armed Forces",
                    "Azawad Liberation Front"),
                cas("captured", "four", 4, 4, "Malian Armed Forces", "Azawad Liberation Front"),
            ],
            sources=["Azawad Liberation Front", "Malian Armed Forces", "resident"],
            evidence=[
                "they had taken control of the town of Ber, about 50 km east of Timbuktu, after "
                "clashes with the Malian army on Monday.",
                "killing about a dozen soldiers and capturing four others",
            ],
        ),
        incident(
            "In November 2023, Malian forces and Russian paramilitaries captured the rebel "
            "stronghold of Kidal from unnamed rebels.",
            "battles", "government_regains_territory",
            date_text="in November 2023", date_start="2023-11-01", date_end="2023-11-30",
            place="Kidal", country="Mali", geo_precision="place",
            perpetrators=["Malian Armed Forces", "Russian paramilitaries"],
            is_background=True,
            evidence=[
                "Malian forces and Russian paramilitaries captured the rebel stronghold of Kidal "
                "in November 2023",
            ],
        ),
    ],
))

# H09 ------------------------------------------------------------------------------------------
H09 = """Roadside bomb kills Malian soldiers, landmine hits minibus near Hombori

BAMAKO, Sept 19 - Five Malian soldiers were killed on Tuesday when their vehicle struck an improvised explosive device on the road between Boni and Hombori in central Mali, military sources said.

The vehicle was part of a patrol of the Malian Armed Forces (FAMa) escorting trucks towards Gao. "The lead vehicle hit the device and caught fire. Five of our men died on the spot and two were wounded," an officer told reporters in Sevare.

The al-Qaeda-affiliated Jama'at Nasr al-Islam wal Muslimin (JNIM) claimed responsibility for the explosion in a message on Wednesday, but did not say how many soldiers it had killed.

The following day, a civilian minibus ran over a landmine on a track about 10 km outside Hombori, killing several passengers, residents said. The local health centre said it had received seven wounded. No group claimed the blast, which residents blamed on mines laid on rural tracks to target army patrols.

The road linking Mopti to Gao is one of the most dangerous in the country. Armed groups have planted explosive devices along it and attacked convoys repeatedly since 2015, and the army has largely abandoned its positions in the Gourma area between Douentza and Gossi."""

add(record(
    text=H09,
    title="Roadside bomb kills Malian soldiers, landmine hits minibus near Hombori",
    url="https://example.org/africa/2024/09/19/mali-boni-hombori-ied-landmine",
    published="2024-09-19", source="AFP-style wire",
    tests=[
        "ied_ambush", "claim_no_toll", "unnamed_perpetrators", "vague_figures",
        "relative_dates", "multi_incident", "mali",
        "Two remote_explosive_landmine_ied incidents: an IED on an army patrol between Boni and "
        "Hombori (Tuesday = 2024-09-17; JNIM claimed without a figure, the army gave 5 killed "
        "and 2 wounded) and a landmine that killed 'several' (3, open-ended) minibus "
        "passengers the following day (2024-09-18) with no perpetrator.",
    ],
    actors=[
        actor("Malian Armed Forces", "state_forces", ["FAMa"], country="Mali"),
        actor("Jama'at Nasr al-Islam wal Muslimin", "rebel_group", ["JNIM"],
              affiliation="al-Qaeda"),
        actor("civilians", "civilians", ["passengers"]),
    ],
    incidents=[
        incident(
            "On 17 September 2024, a Malian Armed Forces patrol vehicle struck an IED between "
            "Boni and Hombori, killing five soldiers and wounding two; JNIM claimed the "
            "explosion without giving a toll.",
            "explosions_remote_violence", "remote_explosive_landmine_ied",
            date_text="on Tuesday", date_start="2024-09-17",
            place="Boni", country="Mali", geo_precision="near_place",
            perpetrators=["Jama'at Nasr al-Islam wal Muslimin"],
            targets=["Malian Armed Forces"],
            claimed_by=["Jama'at Nasr al-Islam wal Muslimin"],
            casualties=[
                cas("killed", "Five", 5, 5, "Malian Armed Forces", "military sources"),
                cas("wounded", "two", 2, 2, "Malian Armed Forces", "an officer"),
            ],
            weapons=["improvised explosive device"],
            sources=["military sources", "an officer", "JNIM"],
            evidence=[
                "Five Malian soldiers were killed on Tuesday when their vehicle struck an "
                "improvised explosive device on the road between Boni and Hombori in central "
                "Mali, military sources said.",
                "Five of our men died on the spot and two were wounded",
                "claimed responsibility for the explosion in a message on Wednesday, but did not "
                "say how many soldiers it had killed.",
            ],
        ),
        incident(
            "On 18 September 2024, a civilian minibus struck a landmine on a track about 10 km "
            "outside Hombori, killing several passengers and wounding seven; no perpetrator "
            "identified.",
            "explosions_remote_violence", "remote_explosive_landmine_ied",
            date_text="The following day", date_start="2024-09-18",
            place="Hombori", country="Mali", geo_precision="near_place",
            targets=["civilians"],
            casualties=[
                cas("killed", "several", 3, None, "civilians", "residents"),
                cas("wounded", "seven", 7, 7, "civilians", "local health centre"),
            ],
            weapons=["landmine"],
            sources=["residents", "local health centre"],
            evidence=[
                "The following day, a civilian minibus ran over a landmine on a track about 10 "
                "km outside Hombori, killing several passengers, residents said.",
                "The local health centre said it had received seven wounded.",
            ],
        ),
    ],
))

# H10 ------------------------------------------------------------------------------------------
H10 = """Suicide car bomb and assault kill Nigerien soldiers at Banibangou post

NIAMEY, March 22 - Jihadists attacked a post of the Niger Armed Forces (FAN) in Banibangou, in the western Tillaberi region, on Thursday, first ramming its gate with an explosives-laden vehicle driven by a suicide bomber and then storming it with dozens of fighters on motorcycles, the defence ministry said.

Ten soldiers were killed and 14 wounded, the ministry said in a statement read on state television on Friday evening, adding that "dozens of terrorists" had been neutralised by the garrison.

The Islamic State Sahel Province claimed the attack through its Amaq news agency, saying its fighters had killed 30 soldiers and set the post on fire. The group, formerly known as the Islamic State in the Greater Sahara, is the dominant jihadist force in the area bordering Mali.

The ministry said air force aircraft had struck a column of the attackers as they fled towards the Malian border on Friday morning, killing "more than 50 terrorists" near the village of Chinagodrar.

A local elected official in Banibangou said the bodies of 12 soldiers had been brought to the town's health centre.

Niger's army has lost hundreds of soldiers in attacks in the Tillaberi region since 2019. The military government that took power in July 2023 ended cooperation with French and US forces and has turned to Russia and Turkey for equipment."""

_issp = ["Islamic State Sahel Province"]
add(record(
    text=H10,
    title="Suicide car bomb and assault kill Nigerien soldiers at Banibangou post",
    url="https://example.org/africa/2025/03/22/niger-banibangou-complex-attack",
    published="2025-03-22", source="AFP-style wire",
    tests=[
        "complex_attack", "conflicting_tolls", "vague_figures", "figure_more_than",
        "air_strike", "aliases", "defender_reports_attacker_losses", "niger",
        "multi_incident", "relative_dates", "aggregate_excluded",
        "A suicide car bomb followed by a ground assault is battles/armed_clash with the "
        "vehicle in weapons; three sources, three soldier tolls (10, 30 claimed, 12 bodies); the "
        "next day's air strike on the fleeing attackers is a separate air_drone_strike; IS "
        "Sahel Province and its former name ISGS are one actor; Thursday = 2025-03-20.",
    ],
    actors=[
        actor("Islamic State Sahel Province", "rebel_group",
              ["Islamic State in the Greater Sahara", "ISGS", "IS Sahel Province"],
              affiliation="Islamic State"),
        actor("Niger Armed Forces", "state_forces", ["FAN", "Niger's army"], country="Niger"),
    ],
    incidents=[
        incident(
            "On 20 March 2025, Islamic State Sahel Province fighters attacked a Niger Armed "
            "Forces post in Banibangou (Tillaberi) with a suicide-driven explosives-laden "
            "vehicle and a ground assault; the ministry reported 10 soldiers killed and 14 "
            "wounded, IS Sahel claimed 30 killed.",
            "battles", "armed_clash",
            date_text="on Thursday", date_start="2025-03-20",
            place="Banibangou", admin1="Tillaberi", country="Niger", geo_precision="place",
            perpetrators=_issp, targets=["Niger Armed Forces"], claimed_by=_issp,
            casualties=[
                cas("killed", "Ten", 10, 10, "Niger Armed Forces", "defence ministry"),
                cas("wounded", "14", 14, 14, "Niger Armed Forces", "defence ministry"),
                cas("killed", "dozens", 12, None, "Islamic State Sahel Province",
                    "defence ministry"),
                cas("killed", "30", 30, 30, "Niger Armed Forces",
                    "Islamic State Sahel Province"),
                cas("killed", "12", 12, 12, "Niger Armed Forces", "local elected official"),
            ],
            weapons=["explosives-laden vehicle", "suicide bomber"],
            sources=["defence ministry", "Islamic State Sahel Province", "Amaq",
                     "local elected official"],
            evidence=[
                "Jihadists attacked a post of the Niger Armed Forces (FAN) in Banibangou, in the "
                "western Tillaberi region, on Thursday, first ramming its gate with an "
                "explosives-laden vehicle driven by a suicide bomber and then storming it",
                "Ten soldiers were killed and 14 wounded",
                "\"dozens of terrorists\" had been neutralised by the garrison",
                "The Islamic State Sahel Province claimed the attack through its Amaq news "
                "agency, saying its fighters had killed 30 soldiers",
                "the bodies of 12 soldiers had been brought to the town's health centre",
            ],
        ),
        incident(
            "On 21 March 2025, Niger Armed Forces aircraft struck a column of Islamic State "
            "Sahel Province fighters fleeing after the Banibangou attack near Chinagodrar; the "
            "ministry said more than 50 were killed.",
            "explosions_remote_violence", "air_drone_strike",
            date_text="on Friday morning", date_start="2025-03-21",
            place="Chinagodrar", admin1="Tillaberi", country="Niger",
            geo_precision="near_place",
            perpetrators=["Niger Armed Forces"], targets=_issp,
            claimed_by=["Niger Armed Forces"],
            casualties=[cas("killed", "more than 50", 51, None, "Islamic State Sahel Province",
                            "defence ministry")],
            weapons=["air force aircraft"],
            sources=["defence ministry"],
            evidence=[
                "The ministry said air force aircraft had struck a column of the attackers as "
                "they fled towards the Malian border on Friday morning, killing \"more than 50 "
                "terrorists\" near the village of Chinagodrar.",
            ],
        ),
    ],
))

# H11 ------------------------------------------------------------------------------------------
H11 = """Civilians caught in crossfire as armed groups clash near Menaka

BAMAKO, April 11 - At least nine civilians were killed in crossfire earlier this week when fighters of the Movement for the Salvation of Azawad (MSA) clashed with jihadists of the Islamic State in the Greater Sahara near the village of Inekar, in northeastern Mali's Menaka region, local sources said.

The MSA, a Tuareg-led armed movement that fights the jihadists alongside the Malian army, said Islamic State fighters had attacked its positions around Inekar and that its men had killed 15 of the assailants. It said it had lost "several" of its own fighters.

An Islamic State propaganda outlet published photographs purporting to show the bodies of MSA fighters and said "dozens" of them had been killed. The group, known by its acronym ISGS and now calling itself the Sahel Province of the Islamic State, has been fighting the MSA for control of the Menaka region since 2022.

The civilians, among them two children, were killed when stray bullets and rocket fire hit their homes, a humanitarian worker in Menaka said. Around 300 families fled Inekar towards Menaka town after the fighting.

The region has seen some of the worst violence in Mali in recent years, with hundreds of civilians killed and tens of thousands displaced since the Islamic State launched an offensive there in March 2022."""

_isgs = ["Islamic State in the Greater Sahara"]
add(record(
    text=H11,
    title="Civilians caught in crossfire as armed groups clash near Menaka",
    url="https://example.org/africa/2024/04/11/mali-inekar-msa-isgs-clash",
    published="2024-04-11", source="Reuters-style wire",
    tests=[
        "civilians_in_battle", "aliases", "vague_figures", "figure_at_least",
        "conflicting_tolls", "relative_dates", "defender_reports_attacker_losses",
        "aggregate_excluded", "mali",
        "Civilians killed in crossfire stay casualties of the MSA-ISGS battle (not a separate "
        "violence-against-civilians incident); ISGS / Islamic State / Sahel Province of the "
        "Islamic State are one actor; 'several' = 3 and 'dozens' = 12, open-ended; 'earlier "
        "this week' before Thursday 11 April 2024 is Monday 8 to Wednesday 10 April.",
    ],
    actors=[
        actor("Movement for the Salvation of Azawad", "political_militia", ["MSA"],
              country="Mali"),
        actor("Islamic State in the Greater Sahara", "rebel_group",
              ["ISGS", "Sahel Province of the Islamic State", "Islamic State",
               "Islamic State fighters"], affiliation="Islamic State"),
        actor("civilians", "civilians"),
    ],
    incidents=[incident(
        "Between 8 and 10 April 2024, Islamic State in the Greater Sahara fighters attacked "
        "Movement for the Salvation of Azawad positions near Inekar (Menaka); at least nine "
        "civilians were killed in crossfire; the MSA said it killed 15 attackers and lost "
        "several men, ISGS claimed dozens of MSA dead.",
        "battles", "armed_clash",
        date_text="earlier this week", date_start="2024-04-08", date_end="2024-04-10",
        place="Inekar", admin1="Menaka", country="Mali", geo_precision="near_place",
        perpetrators=_isgs, targets=["Movement for the Salvation of Azawad"],
        claimed_by=_isgs,
        casualties=[
            cas("killed", "At least nine", 9, None, "civilians", "local sources"),
            cas("killed", "15", 15, 15, "Islamic State in the Greater Sahara",
                "Movement for the Salvation of Azawad"),
            cas("killed", "several", 3, None, "Movement for the Salvation of Azawad",
                "Movement for the Salvation of Azawad"),
            cas("killed", "dozens", 12, None, "Movement for the Salvation of Azawad",
                "Islamic State in the Greater Sahara"),
        ],
        weapons=["rocket fire"],
        sources=["local sources", "Movement for the Salvation of Azawad",
                 "Islamic State propaganda outlet", "humanitarian worker"],
        evidence=[
            "At least nine civilians were killed in crossfire earlier this week when fighters "
            "of the Movement for the Salvation of Azawad (MSA) clashed with jihadists of the "
            "Islamic State in the Greater Sahara near the village of Inekar, in northeastern "
            "Mali's Menaka region, local sources said.",
            "said Islamic State fighters had attacked its positions around Inekar and that its "
            "men had killed 15 of the assailants. It said it had lost \"several\" of its own "
            "fighters.",
            "said \"dozens\" of them had been killed",
        ],
    )],
))

# H12 ------------------------------------------------------------------------------------------
H12 = """JNIM claims attack on gendarmerie in Burkina Faso's besieged Sebba

OUAGADOUGOU, Nov 5 - The al-Qaeda-affiliated group JNIM has claimed responsibility for an attack on a gendarmerie brigade in Sebba, in northeastern Burkina Faso, on Sunday, according to a statement seen on Tuesday.

The statement, published by the group's Az-Zallaqa media arm, said its fighters had "stormed" the brigade and seized weapons and a vehicle, but did not say whether anyone had been killed. It was accompanied by photographs showing armed men in front of a burning building.

Residents said heavy gunfire was heard in the town for about two hours on Sunday afternoon and that soldiers and gendarmes had later regained control of the area around the brigade. There was no comment from the Burkinabe Gendarmerie or the government, which rarely communicates on losses.

Sebba, the main town of Yagha province in the Sahel region near the border with Niger, has been under a jihadist blockade for more than two years and is supplied mostly by air and by escorted convoys. Aid groups say food prices in the town have tripled.

JNIM, which stands for Jama'at Nusrat al-Islam wal-Muslimin, is the most active armed group in Burkina Faso. The junta led by Captain Ibrahim Traore has vowed to recover the whole of the national territory and has armed tens of thousands of civilian auxiliaries."""

_jnim12 = ["Jama'at Nusrat al-Islam wal-Muslimin"]
add(record(
    text=H12,
    title="JNIM claims attack on gendarmerie in Burkina Faso's besieged Sebba",
    url="https://example.org/africa/2024/11/05/burkina-sebba-gendarmerie-claim",
    published="2024-11-05", source="AFP-style wire",
    tests=[
        "claim_no_toll", "burkina_faso", "relative_dates", "admin1_named", "aliases",
        "A claimed attack with no figure from anyone: claimed_by set, casualties empty; "
        "'Sahel region' is named, so admin1 is 'Sahel' (Yagha is only a province); "
        "Sunday = 2024-11-03; the blockade and aid figures are not incidents.",
    ],
    actors=[
        actor("Jama'at Nusrat al-Islam wal-Muslimin", "rebel_group", ["JNIM"],
              affiliation="al-Qaeda"),
        actor("Burkinabe Gendarmerie", "state_forces", ["gendarmerie", "gendarmes"],
              country="Burkina Faso"),
    ],
    incidents=[incident(
        "On 3 November 2024, JNIM fighters stormed a Burkinabe Gendarmerie brigade in Sebba "
        "(Sahel region) and seized weapons and a vehicle; JNIM claimed the attack but gave no "
        "toll.",
        "battles", "armed_clash",
        date_text="on Sunday", date_start="2024-11-03",
        place="Sebba", admin1="Sahel", country="Burkina Faso", geo_precision="place",
        perpetrators=_jnim12, targets=["Burkinabe Gendarmerie"], claimed_by=_jnim12,
        sources=["JNIM", "residents"],
        evidence=[
            "The al-Qaeda-affiliated group JNIM has claimed responsibility for an attack on a "
            "gendarmerie brigade in Sebba, in northeastern Burkina Faso, on Sunday",
            "but did not say whether anyone had been killed",
            "Residents said heavy gunfire was heard in the town for about two hours on Sunday "
            "afternoon",
        ],
    )],
))

# H13 ------------------------------------------------------------------------------------------
H13 = """Fulani association accuses Dozo militia of killing villagers in central Mali

BAMAKO, May 14 - Gunmen killed about 30 people in the village of Djiguibombo, in central Mali's Mopti region, on Sunday, a local official said.

Tabital Pulaaku, an association that represents the Fulani community, accused members of the Dan Na Ambassagou militia of Dogon hunters, known as Dozos, of carrying out the killings. It said the victims were all Fulani civilians, among them women and elderly people, and put the death toll at 37.

Dan Na Ambassagou rejected the accusation in a statement on Tuesday, saying its members had not been in the area and blaming "terrorists" who, it said, were trying to set communities against each other.

The local official, who asked not to be named, said the attackers had arrived at dawn, set fire to granaries and shot people as they tried to flee. Survivors have taken refuge in the town of Bandiagara.

The government said it had sent a team to the village and opened an investigation. Intercommunal violence between Fulani herders and Dogon farmers has killed thousands of people in central Mali since 2016, as jihadist groups recruit among the Fulani and self-defence militias form in Dogon villages. The authorities officially dissolved Dan Na Ambassagou in 2019, but the militia has continued to operate."""

add(record(
    text=H13,
    title="Fulani association accuses Dozo militia of killing villagers in central Mali",
    url="https://example.org/africa/2025/05/14/mali-djiguibombo-killings",
    published="2025-05-14", source="AFP-style wire",
    tests=[
        "contested_accusation", "unnamed_perpetrators", "violence_against_civilians",
        "figure_about", "conflicting_tolls", "relative_dates", "aggregate_excluded", "mali",
        "A massacre of villagers whose attribution is contested (Tabital Pulaaku accuses Dan "
        "Na Ambassagou, which denies and blames 'terrorists'): perpetrators stay empty and the "
        "militia is not an actor of the incident; 'about 30' = 30..30 vs 37; Sunday = "
        "2025-05-11.",
    ],
    actors=[actor("civilians", "civilians", ["Fulani civilians", "villagers"])],
    incidents=[incident(
        "On 11 May 2025, gunmen killed about 30 Fulani civilians in Djiguibombo (Mopti) "
        "(37 according to Tabital Pulaaku); Tabital Pulaaku blamed the Dan Na Ambassagou "
        "militia, which denied it.",
        "violence_against_civilians", "attack",
        date_text="on Sunday", date_start="2025-05-11",
        place="Djiguibombo", admin1="Mopti", country="Mali", geo_precision="place",
        targets=["civilians"],
        casualties=[
            cas("killed", "about 30", 30, 30, "civilians", "local official"),
            cas("killed", "37", 37, 37, "civilians", "Tabital Pulaaku"),
        ],
        sources=["local official", "Tabital Pulaaku"],
        evidence=[
            "Gunmen killed about 30 people in the village of Djiguibombo, in central Mali's "
            "Mopti region, on Sunday, a local official said.",
            "put the death toll at 37",
            "Dan Na Ambassagou rejected the accusation",
        ],
    )],
))

# H14 ------------------------------------------------------------------------------------------
H14 = """Niger: soldiers killed near Tillia, fishermen abducted near Bosso

NIAMEY, July 18 - Islamic State fighters ambushed a Nigerien army patrol near Tillia, in the Tahoua region, on Wednesday, killing up to 20 soldiers, a security source said. The army has not commented on the attack, which the source attributed to the Islamic State Sahel Province, the group's branch in the region.

In the southeastern Diffa region, fighters of the Islamic State West Africa Province (ISWAP) abducted several fishermen on Lake Chad near Bosso over the weekend, local officials said. ISWAP, which split from Boko Haram in 2016, frequently kidnaps fishermen and farmers it accuses of working with the army, or holds them for ransom.

The Nigerien army said on Tuesday that a drone strike on Monday had killed "tens of terrorists" gathered in a forest near Ouallam, in the Tillaberi region. It did not say which group they belonged to.

Security has deteriorated in Niger since the July 2023 coup. More than 200 soldiers have been killed in attacks since January, according to a tally by a Niamey-based security analyst, and the army has struggled to secure the vast border areas with Mali, Burkina Faso and Nigeria.

Niger's junta has strengthened military ties with Burkina Faso and Mali, with which it formed the Alliance of Sahel States, and has bought drones from Turkey."""

add(record(
    text=H14,
    title="Niger: soldiers killed near Tillia, fishermen abducted near Bosso",
    url="https://example.org/africa/2024/07/18/niger-tillia-bosso-roundup",
    published="2024-07-18", source="Reuters-style wire",
    tests=[
        "multi_incident", "figure_up_to", "vague_figures", "abduction", "drone_strike",
        "relative_dates", "niger", "aggregate_excluded",
        "A round-up of three incidents in three regions, each with its own relative date "
        "(Wednesday = 2024-07-17; the weekend = 13-14 July; Monday = 2024-07-15); 'up to 20' "
        "(null..20), 'several' fishermen abducted (3, open-ended), 'tens of terrorists' (10, "
        "open-ended, victims unnamed); 200 soldiers since January is an aggregate.",
    ],
    actors=[
        actor("Islamic State Sahel Province", "rebel_group", ["Islamic State"],
              affiliation="Islamic State"),
        actor("Nigerien army", "state_forces", ["army"], country="Niger"),
        actor("Islamic State West Africa Province", "rebel_group", ["ISWAP"],
              affiliation="Islamic State"),
        actor("civilians", "civilians", ["fishermen"]),
    ],
    incidents=[
        incident(
            "On 17 July 2024, Islamic State Sahel Province fighters ambushed a Nigerien army "
            "patrol near Tillia (Tahoua), killing up to 20 soldiers according to a security "
            "source.",
            "battles", "armed_clash",
            date_text="on Wednesday", date_start="2024-07-17",
            place="Tillia", admin1="Tahoua", country="Niger", geo_precision="near_place",
            perpetrators=["Islamic State Sahel Province"], targets=["Nigerien army"],
            casualties=[cas("killed", "up to 20", None, 20, "Nigerien army",
                            "security source")],
            sources=["security source"],
            evidence=[
                "Islamic State fighters ambushed a Nigerien army patrol near Tillia, in the "
                "Tahoua region, on Wednesday, killing up to 20 soldiers, a security source said.",
                "which the source attributed to the Islamic State Sahel Province",
            ],
        ),
        incident(
            "Over the weekend of 13-14 July 2024, ISWAP fighters abducted several fishermen on "
            "Lake Chad near Bosso (Diffa).",
            "violence_against_civilians", "abduction_forced_disappearance",
            date_text="over the weekend", date_start="2024-07-13", date_end="2024-07-14",
            place="Bosso", admin1="Diffa", country="Niger", geo_precision="near_place",
            perpetrators=["Islamic State West Africa Province"], targets=["civilians"],
            casualties=[cas("captured", "several", 3, None, "civilians", "local officials")],
            sources=["local officials"],
            evidence=[
                "fighters of the Islamic State West Africa Province (ISWAP) abducted several "
                "fishermen on Lake Chad near Bosso over the weekend, local officials said.",
            ],
        ),
        incident(
            "On 15 July 2024, a Nigerien army drone strike on a forest near Ouallam (Tillaberi) "
            "killed tens of unidentified militants, according to the army.",
            "explosions_remote_violence", "air_drone_strike",
            date_text="on Monday", date_start="2024-07-15",
            place="Ouallam", admin1="Tillaberi", country="Niger", geo_precision="near_place",
            perpetrators=["Nigerien army"], claimed_by=["Nigerien army"],
            casualties=[cas("killed", "tens", 10, None, None, "Nigerien army")],
            weapons=["drone"],
            sources=["Nigerien army"],
            evidence=[
                "The Nigerien army said on Tuesday that a drone strike on Monday had killed "
                "\"tens of terrorists\" gathered in a forest near Ouallam, in the Tillaberi "
                "region.",
            ],
        ),
    ],
))

# H15 ------------------------------------------------------------------------------------------
H15 = """JNIM video shows Russian Africa Corps fighters held captive in Mali

BAMAKO, Aug 28 - The al-Qaeda-linked group Jama'at Nasr al-Islam wal Muslimin (JNIM) released a video on Wednesday showing three men it presented as Russian fighters of the Africa Corps captured during an ambush in central Mali last month.

In the 11-minute video, the men, in camouflage and appearing unharmed, give their names and say they were taken prisoner near Dioura in late July. One of them asks the Russian authorities to negotiate their release. Their identities could not be independently verified.

JNIM said at the time that its fighters had ambushed a joint column of the Malian Armed Forces and the Africa Corps on the road between Dioura and Diabaly, killing "more than 20" soldiers and Russian fighters. The Malian army said it had repelled the attack and that a few of its soldiers had been killed. Russian military bloggers acknowledged that several men were missing after the fighting.

The Africa Corps, placed under the Russian defence ministry, took over from the Wagner Group in Mali earlier this year. Moscow has not commented on the video.

JNIM has released several videos of captured Malian soldiers in the past, and in some cases has exchanged prisoners for its own detained members. Analysts say the capture of Russian personnel gives the group new leverage."""

_jnim15 = ["Jama'at Nasr al-Islam wal Muslimin"]
add(record(
    text=H15,
    title="JNIM video shows Russian Africa Corps fighters held captive in Mali",
    url="https://example.org/africa/2025/08/28/mali-jnim-video-africa-corps-captives",
    published="2025-08-28", source="AFP-style wire",
    tests=[
        "background", "captured_fighters", "figure_more_than", "vague_figures",
        "conflicting_tolls", "relative_dates", "mali",
        "The news (a hostage video) is not an incident; the ambush behind it is, as "
        "background, with the three prisoners as a captured claim; 'late July' = 20-31 July "
        "2025; 'more than 20' soldiers and Russians (victims null: two groups), 'a few' "
        "Malian soldiers, 'several' Russians missing.",
    ],
    actors=[
        actor("Jama'at Nasr al-Islam wal Muslimin", "rebel_group", ["JNIM"],
              affiliation="al-Qaeda"),
        actor("Malian Armed Forces", "state_forces", ["Malian army"], country="Mali"),
        actor("Africa Corps", "external_forces", ["Russian fighters"], country="Russia",
              affiliation="Russian defence ministry"),
    ],
    incidents=[incident(
        "In late July 2025, JNIM fighters ambushed a joint Malian Armed Forces and Africa Corps "
        "column on the Dioura-Diabaly road near Dioura, capturing three Russian fighters; JNIM "
        "claimed more than 20 killed, the Malian army a few of its soldiers killed.",
        "battles", "armed_clash",
        date_text="late July", date_start="2025-07-20", date_end="2025-07-31",
        place="Dioura", country="Mali", geo_precision="near_place",
        perpetrators=_jnim15, targets=["Malian Armed Forces", "Africa Corps"],
        claimed_by=_jnim15,
        casualties=[
            cas("captured", "three", 3, 3, "Africa Corps", "JNIM"),
            cas("killed", "more than 20", 21, None, None, "JNIM"),
            cas("killed", "a few", 3, None, "Malian Armed Forces", "Malian army"),
            cas("missing", "several", 3, None, "Africa Corps", "Russian military bloggers"),
        ],
        sources=["JNIM", "Malian army", "Russian military bloggers"],
        is_background=True,
        evidence=[
            "showing three men it presented as Russian fighters of the Africa Corps captured "
            "during an ambush in central Mali last month.",
            "say they were taken prisoner near Dioura in late July",
            "JNIM said at the time that its fighters had ambushed a joint column of the Malian "
            "Armed Forces and the Africa Corps on the road between Dioura and Diabaly, killing "
            "\"more than 20\" soldiers and Russian fighters.",
            "The Malian army said it had repelled the attack and that a few of its soldiers had "
            "been killed.",
            "Russian military bloggers acknowledged that several men were missing after the "
            "fighting.",
        ],
    )],
))

# H16 ------------------------------------------------------------------------------------------
H16 = """Junta supporters ransack radio station in Ouagadougou

OUAGADOUGOU, Feb 15 - Several hundred supporters of Burkina Faso's ruling junta stormed and set fire to the offices of the private radio station Radio Horizon in the Gounghin district of Ouagadougou on Tuesday, accusing it of relaying "propaganda" from jihadist groups, witnesses said.

The crowd, which had gathered at the Place de la Nation for a rally in support of Captain Ibrahim Traore, marched on the station in the early afternoon, throwing stones at its windows and looting equipment before setting the building alight. Three journalists were injured, one of them seriously, the station's director said.

Police officers arrived about an hour later and fired tear gas to disperse the crowd. Tens of people were treated for injuries, according to the fire brigade, which did not say whether they were rioters, journalists or bystanders.

The rally itself, organised by a coalition of pro-junta associations, had been authorised and passed off without violence until part of the crowd broke away towards the station.

Press freedom groups condemned the attack and called on the authorities to find those responsible. The government said it "deplored" the violence but accused some media outlets of "complicity with the enemy". Several foreign broadcasters have been suspended in Burkina Faso since the military took power in 2022."""

add(record(
    text=H16,
    title="Junta supporters ransack radio station in Ouagadougou",
    url="https://example.org/africa/2024/02/15/burkina-ouagadougou-radio-station-attack",
    published="2024-02-15", source="AFP-style wire",
    tests=[
        "riot", "vague_figures", "burkina_faso", "relative_dates", "multi_incident",
        "A crowd storming and burning a radio station is riots/violent_demonstration (journalists "
        "injured are civilians); 'tens of people' injured = 10, open-ended, victims unknown; "
        "the authorised, non-violent rally before it is a separate peaceful_protest; "
        "Tuesday = 2024-02-13.",
    ],
    actors=[
        actor("supporters of Burkina Faso's ruling junta", "rioters",
              ["junta supporters", "pro-junta supporters", "crowd"], country="Burkina Faso"),
        actor("civilians", "civilians", ["journalists"]),
        actor("coalition of pro-junta associations", "protesters",
              ["pro-junta associations", "pro-junta protesters"], country="Burkina Faso"),
    ],
    incidents=[
        incident(
            "On 13 February 2024, several hundred supporters of Burkina Faso's junta stormed, "
            "looted and set fire to the Radio Horizon offices in Gounghin, Ouagadougou, "
            "injuring three journalists; police dispersed them with tear gas and tens of "
            "people were treated for injuries.",
            "riots", "violent_demonstration",
            date_text="on Tuesday", date_start="2024-02-13",
            place="Ouagadougou", country="Burkina Faso", geo_precision="place",
            perpetrators=["supporters of Burkina Faso's ruling junta"],
            targets=["civilians"],
            casualties=[
                cas("wounded", "Three", 3, 3, "civilians", "station's director"),
                cas("wounded", "Tens", 10, None, None, "fire brigade"),
            ],
            weapons=["stones"],
            sources=["witnesses", "station's director", "fire brigade"],
            evidence=[
                "Several hundred supporters of Burkina Faso's ruling junta stormed and set fire "
                "to the offices of the private radio station Radio Horizon in the Gounghin "
                "district of Ouagadougou on Tuesday",
                "Three journalists were injured, one of them seriously, the station's director "
                "said.",
                "Tens of people were treated for injuries, according to the fire brigade",
            ],
        ),
        incident(
            "On 13 February 2024, a coalition of pro-junta associations held an authorised, "
            "peaceful rally in support of Captain Ibrahim Traore at the Place de la Nation in "
            "Ouagadougou.",
            "protests", "peaceful_protest",
            date_text="on Tuesday", date_start="2024-02-13",
            place="Ouagadougou", country="Burkina Faso", geo_precision="place",
            perpetrators=["coalition of pro-junta associations"],
            sources=["witnesses"],
            evidence=[
                "The crowd, which had gathered at the Place de la Nation for a rally in support "
                "of Captain Ibrahim Traore",
                "The rally itself, organised by a coalition of pro-junta associations, had been "
                "authorised and passed off without violence",
            ],
        ),
    ],
))

# H17 ------------------------------------------------------------------------------------------
H17 = """Shells hit Gao neighbourhoods, governor blames JNIM

BAMAKO, Oct 3 - Several mortar rounds fired by jihadists struck residential neighbourhoods of the northern Malian city of Gao on Wednesday, killing at least three civilians and wounding several others, the regional governor said.

The shells landed in the Chateau and Sosso Koira districts in the evening, destroying two houses, the governor said in a statement read on regional radio. He blamed the attack on the Jama'at Nasr al-Islam wal Muslimin (JNIM), which he said had fired from positions on the other bank of the Niger River. The group has not commented.

Residents said the shooting lasted about 20 minutes. A doctor at Gao hospital said it had received eight wounded, including four children.

On Thursday morning, gunmen on a motorcycle shot dead a village chief in Kadji, about 10 km south of Gao, local sources said. The killing was not claimed.

Gao, the largest city in northern Mali, hosts an important military base of the Malian Armed Forces and the Africa Corps. It was last hit by indirect fire in the spring, when rockets fell near the airport without causing casualties.

JNIM has imposed a blockade on several towns in the north and centre of the country since 2023, and in recent months has extended its operations to the west of the country near the borders with Senegal and Mauritania."""

add(record(
    text=H17,
    title="Shells hit Gao neighbourhoods, governor blames JNIM",
    url="https://example.org/africa/2025/10/03/mali-gao-mortar-fire",
    published="2025-10-03", source="AFP-style wire",
    tests=[
        "shelling", "accused_uncontested", "figure_at_least", "vague_figures",
        "conflicting_tolls", "unnamed_perpetrators", "multi_incident", "relative_dates",
        "background", "vague_date_window", "mali",
        "Mortar fire on a city is shelling_artillery_missile_attack; the governor's accusation "
        "of JNIM stands uncontested, so JNIM is the perpetrator but not claimed_by; 'several' "
        "wounded (governor) vs eight (hospital); a village chief shot by unnamed gunmen the next "
        "day is a separate attack; the spring rockets near the airport are a background shelling "
        "with no casualties and a season-wide window (March-June 2025).",
    ],
    actors=[
        actor("Jama'at Nasr al-Islam wal Muslimin", "rebel_group", ["JNIM"]),
        actor("civilians", "civilians", ["village chief"]),
    ],
    incidents=[
        incident(
            "On 1 October 2025, mortar rounds fired by JNIM, according to the governor, hit "
            "residential districts of Gao, killing at least three civilians and wounding "
            "several (eight according to the hospital).",
            "explosions_remote_violence", "shelling_artillery_missile_attack",
            date_text="on Wednesday", date_start="2025-10-01",
            place="Gao", country="Mali", geo_precision="place",
            perpetrators=["Jama'at Nasr al-Islam wal Muslimin"], targets=["civilians"],
            casualties=[
                cas("killed", "at least three", 3, None, "civilians", "regional governor"),
                cas("wounded", "several", 3, None, "civilians", "regional governor"),
                cas("wounded", "eight", 8, 8, "civilians", "doctor at Gao hospital"),
            ],
            weapons=["mortar rounds"],
            sources=["regional governor", "residents", "doctor at Gao hospital"],
            evidence=[
                "Several mortar rounds fired by jihadists struck residential neighbourhoods of "
                "the northern Malian city of Gao on Wednesday, killing at least three civilians "
                "and wounding several others, the regional governor said.",
                "He blamed the attack on the Jama'at Nasr al-Islam wal Muslimin (JNIM)",
                "A doctor at Gao hospital said it had received eight wounded",
            ],
        ),
        incident(
            "On 2 October 2025, unidentified gunmen on a motorcycle shot dead a village chief "
            "in Kadji, south of Gao.",
            "violence_against_civilians", "attack",
            date_text="On Thursday morning", date_start="2025-10-02",
            place="Kadji", country="Mali", geo_precision="place",
            targets=["civilians"],
            casualties=[cas("killed", "a village chief", 1, 1, "civilians", "local sources")],
            sources=["local sources"],
            evidence=[
                "On Thursday morning, gunmen on a motorcycle shot dead a village chief in Kadji, "
                "about 10 km south of Gao, local sources said.",
            ],
        ),
        incident(
            "In spring 2025, unidentified attackers fired rockets that fell near Gao airport "
            "without causing casualties.",
            "explosions_remote_violence", "shelling_artillery_missile_attack",
            date_text="in the spring", date_start="2025-03-01", date_end="2025-06-30",
            place="Gao", country="Mali", geo_precision="near_place",
            weapons=["rockets"],
            is_background=True,
            evidence=[
                "It was last hit by indirect fire in the spring, when rockets fell near the "
                "airport without causing casualties.",
            ],
        ),
    ],
))

# H18 ------------------------------------------------------------------------------------------
H18 = """Witnesses say soldiers and Russian mercenaries executed villagers in central Mali

BAMAKO, April 10 - Malian soldiers accompanied by Russian mercenaries rounded up and shot nearly 25 men in the village of Ndiabougou, in the Segou region, on Monday, according to witnesses.

Three witnesses reached by telephone said the troops arrived in helicopters and pick-up trucks in the morning, separated the men from the women and children, accused them of feeding jihadists and executed them on the outskirts of the village. "The white soldiers were giving the orders," one of them said. "They spoke a language we did not understand."

The Malian Association for Human Rights (AMDH) put the toll at 26 and called for an independent inquiry into what it called summary executions.

The Malian Armed Forces did not respond to requests for comment on the allegations. The army regularly announces the "neutralisation" of terrorists in the Segou region, where the al-Qaeda-linked JNIM is active, but rarely comments on accusations of abuses.

Rights groups have documented several similar killings by Malian troops and their Russian allies since 2022, and the United Nations has called for those responsible to be prosecuted. The junta denies that Russian fighters in Mali are mercenaries, describing them as instructors deployed under a state-to-state agreement."""

_perps18 = ["Malian Armed Forces", "Russian mercenaries"]
add(record(
    text=H18,
    title="Witnesses say soldiers and Russian mercenaries executed villagers in central Mali",
    url="https://example.org/africa/2025/04/10/mali-ndiabougou-executions",
    published="2025-04-10", source="Reuters-style wire",
    tests=[
        "violence_against_civilians", "unnamed_group_identity", "accused_uncontested",
        "figure_about", "conflicting_tolls", "relative_dates", "admin1_named",
        "aggregate_excluded", "mali",
        "Executions of unarmed villagers by soldiers and 'Russian mercenaries' (an identity, no "
        "group named: an actor of its own, not Wagner or Africa Corps); the witnesses' account "
        "is not contested (the army did not respond), so both are perpetrators; 'nearly 25' = "
        "25..25 vs AMDH's 26; Monday = 2025-04-07.",
    ],
    actors=[
        actor("Malian Armed Forces", "state_forces", ["Malian soldiers", "Malian troops"],
              country="Mali"),
        actor("Russian mercenaries", "external_forces",
              ["Russian fighters", "white soldiers"], country="Russia"),
        actor("civilians", "civilians", ["villagers", "men"]),
    ],
    incidents=[incident(
        "On 7 April 2025, Malian soldiers and Russian mercenaries rounded up and executed nearly "
        "25 men in Ndiabougou (Segou), accusing them of supporting jihadists; AMDH put the toll "
        "at 26.",
        "violence_against_civilians", "attack",
        date_text="on Monday", date_start="2025-04-07",
        place="Ndiabougou", admin1="Segou", country="Mali", geo_precision="place",
        perpetrators=_perps18, targets=["civilians"],
        casualties=[
            cas("killed", "nearly 25", 25, 25, "civilians", "witnesses"),
            cas("killed", "26", 26, 26, "civilians", "Malian Association for Human Rights"),
        ],
        weapons=["helicopters"],
        sources=["witnesses", "Malian Association for Human Rights"],
        evidence=[
            "Malian soldiers accompanied by Russian mercenaries rounded up and shot nearly 25 "
            "men in the village of Ndiabougou, in the Segou region, on Monday, according to "
            "witnesses.",
            "The Malian Association for Human Rights (AMDH) put the toll at 26",
            "The Malian Armed Forces did not respond to requests for comment on the allegations.",
        ],
    )],
))

# H19 ------------------------------------------------------------------------------------------
H19 = """Burkina army says it repelled attack on Djibo as year-end violence flares

OUAGADOUGOU, Jan 3 - Burkina Faso's army said on Thursday it had repelled an attack by hundreds of jihadists on the northern town of Djibo on Dec. 28, killing "more than a hundred terrorists" of the Group for the Support of Islam and Muslims (JNIM).

Four soldiers and seven members of the Volunteers for the Defence of the Homeland (VDP) were killed in the fighting, the army said in a statement. JNIM, in a message released on Monday, said it had killed "dozens" of soldiers and militiamen in Djibo and had withdrawn after seizing weapons.

On Christmas Eve, an army drone struck a JNIM logistics base near Diguel, north of Djibo, killing "several dozen terrorists", according to state television.

Separately, gunmen killed at least eight civilians at a water point near Arbinda last week, residents said. They said the victims, all men, had gone to fetch water outside the town's defensive trench when they were shot.

Djibo, the main town of Soum province, has been under a JNIM blockade since 2022 and is supplied by convoys and air drops. Thousands of civilians and soldiers have been killed in the Sahel region of Burkina Faso since 2015, and almost half of the country's territory is outside state control, according to estimates by researchers."""

_jnim19 = ["Group for the Support of Islam and Muslims"]
add(record(
    text=H19,
    title="Burkina army says it repelled attack on Djibo as year-end violence flares",
    url="https://example.org/africa/2025/01/03/burkina-djibo-attack-year-end",
    published="2025-01-03", source="AFP-style wire",
    tests=[
        "year_boundary_dates", "relative_dates", "figure_more_than", "figure_at_least",
        "vague_figures", "drone_strike", "unnamed_perpetrators", "conflicting_tolls",
        "defender_reports_attacker_losses", "burkina_faso", "multi_incident",
        "An early-January article whose dates fall in the previous year: 'Dec. 28' = "
        "2024-12-28, 'Christmas Eve' = 2024-12-24, 'last week' = 23-29 December 2024; 'more "
        "than a hundred' = 101 (attackers, given by the defender: not a claim); JNIM's "
        "'dozens' of soldiers and militiamen has no single victim group.",
    ],
    actors=[
        actor("Group for the Support of Islam and Muslims", "rebel_group", ["JNIM"]),
        actor("Burkina Faso's army", "state_forces", ["army"], country="Burkina Faso"),
        actor("Volunteers for the Defence of the Homeland", "political_militia", ["VDP"],
              country="Burkina Faso"),
        actor("civilians", "civilians", ["men"]),
    ],
    incidents=[
        incident(
            "On 28 December 2024, JNIM fighters attacked Djibo and were repelled by the army "
            "and VDP; the army said more than 100 attackers, four soldiers and seven VDP were "
            "killed; JNIM claimed dozens of soldiers and militiamen killed.",
            "battles", "armed_clash",
            date_text="on Dec. 28", date_start="2024-12-28",
            place="Djibo", country="Burkina Faso", geo_precision="place",
            perpetrators=_jnim19,
            targets=["Burkina Faso's army", "Volunteers for the Defence of the Homeland"],
            claimed_by=_jnim19,
            casualties=[
                cas("killed", "more than a hundred", 101, None,
                    "Group for the Support of Islam and Muslims", "Burkina Faso's army"),
                cas("killed", "Four", 4, 4, "Burkina Faso's army", "Burkina Faso's army"),
                cas("killed", "seven", 7, 7, "Volunteers for the Defence of the Homeland",
                    "Burkina Faso's army"),
                cas("killed", "dozens", 12, None, None, "JNIM"),
            ],
            sources=["Burkina Faso's army", "JNIM"],
            evidence=[
                "Burkina Faso's army said on Thursday it had repelled an attack by hundreds of "
                "jihadists on the northern town of Djibo on Dec. 28, killing \"more than a "
                "hundred terrorists\" of the Group for the Support of Islam and Muslims (JNIM).",
                "Four soldiers and seven members of the Volunteers for the Defence of the "
                "Homeland (VDP) were killed in the fighting",
                "said it had killed \"dozens\" of soldiers and militiamen in Djibo",
            ],
        ),
        incident(
            "On 24 December 2024, a Burkinabe army drone struck a JNIM logistics base near "
            "Diguel, north of Djibo, killing several dozen fighters according to state "
            "television.",
            "explosions_remote_violence", "air_drone_strike",
            date_text="On Christmas Eve", date_start="2024-12-24",
            place="Diguel", country="Burkina Faso", geo_precision="near_place",
            perpetrators=["Burkina Faso's army"], targets=_jnim19,
            claimed_by=["Burkina Faso's army"],
            casualties=[cas("killed", "several dozen", 12, None,
                            "Group for the Support of Islam and Muslims", "state television")],
            weapons=["drone"],
            sources=["state television"],
            evidence=[
                "On Christmas Eve, an army drone struck a JNIM logistics base near Diguel, north "
                "of Djibo, killing \"several dozen terrorists\", according to state television.",
            ],
        ),
        incident(
            "Between 23 and 29 December 2024, unidentified gunmen shot dead at least eight "
            "civilian men at a water point near Arbinda.",
            "violence_against_civilians", "attack",
            date_text="last week", date_start="2024-12-23", date_end="2024-12-29",
            place="Arbinda", country="Burkina Faso", geo_precision="near_place",
            targets=["civilians"],
            casualties=[cas("killed", "at least eight", 8, None, "civilians", "residents")],
            sources=["residents"],
            evidence=[
                "Separately, gunmen killed at least eight civilians at a water point near "
                "Arbinda last week, residents said.",
            ],
        ),
    ],
))

# H20 ------------------------------------------------------------------------------------------
H20 = """Jihadists torch fuel convoy in western Mali, drivers missing

BAMAKO, Sept 18 - Fighters of the al-Qaeda-affiliated Jama'at Nusrat al-Islam wal-Muslimin (JNIM) attacked a fuel convoy escorted by the Malian army near Diboli, on the border with Senegal, on the night of Sunday to Monday, setting dozens of tanker trucks on fire, security and transport sources said.

The Malian Armed Forces said in a statement that a few soldiers had been killed and that the escort had "inflicted heavy losses on the assailants". A drivers' union said several drivers were missing and that around 40 tankers had been destroyed.

JNIM, also known by its French acronym GSIM, claimed the attack in a statement on Tuesday, saying its fighters had killed "dozens" of soldiers and captured two army vehicles.

The Kayes region, which borders Senegal and Mauritania, handles most of Mali's fuel imports. JNIM announced in early September a blockade on fuel imports from Senegal and has since attacked several convoys on the Dakar-Bamako corridor, causing shortages in the capital.

The junta has promised to escort every convoy, but transport unions say the army lacks the vehicles and air cover to protect the hundreds of trucks that use the road each week. Some drivers have refused to travel without guarantees of compensation."""

_jnim20 = ["Jama'at Nusrat al-Islam wal-Muslimin"]
add(record(
    text=H20,
    title="Jihadists torch fuel convoy in western Mali, drivers missing",
    url="https://example.org/africa/2025/09/18/mali-diboli-fuel-convoy-attack",
    published="2025-09-18", source="Reuters-style wire",
    tests=[
        "vague_figures", "conflicting_tolls", "civilians_in_battle", "aliases",
        "relative_dates", "threat_excluded", "mali", "admin1_named",
        "'a few' soldiers killed (army) vs 'dozens' (JNIM's claim), 'several' civilian drivers "
        "missing in the same battle; trucks destroyed are not casualties; JNIM / GSIM / "
        "Jama'at Nusrat al-Islam wal-Muslimin (a spelling variant) are one actor; 'the night of "
        "Sunday to Monday' spans 14-15 September 2025; the announced blockade is not an "
        "incident.",
    ],
    actors=[
        actor("Jama'at Nusrat al-Islam wal-Muslimin", "rebel_group", ["JNIM", "GSIM"],
              affiliation="al-Qaeda"),
        actor("Malian Armed Forces", "state_forces", ["Malian army", "army"], country="Mali"),
        actor("civilians", "civilians", ["drivers"]),
    ],
    incidents=[incident(
        "On the night of 14-15 September 2025, JNIM fighters attacked a Malian army-escorted "
        "fuel convoy near Diboli (Kayes), burning around 40 tankers; the army said a few "
        "soldiers were killed, JNIM claimed dozens, and several drivers are missing.",
        "battles", "armed_clash",
        date_text="on the night of Sunday to Monday", date_start="2025-09-14",
        date_end="2025-09-15",
        place="Diboli", admin1="Kayes", country="Mali", geo_precision="near_place",
        perpetrators=_jnim20, targets=["Malian Armed Forces"], claimed_by=_jnim20,
        casualties=[
            cas("killed", "a few", 3, None, "Malian Armed Forces", "Malian Armed Forces"),
            cas("missing", "several", 3, None, "civilians", "drivers' union"),
            cas("killed", "dozens", 12, None, "Malian Armed Forces", "JNIM"),
        ],
        sources=["security sources", "transport sources", "Malian Armed Forces",
                 "drivers' union", "JNIM"],
        evidence=[
            "attacked a fuel convoy escorted by the Malian army near Diboli, on the border with "
            "Senegal, on the night of Sunday to Monday, setting dozens of tanker trucks on fire",
            "The Malian Armed Forces said in a statement that a few soldiers had been killed",
            "A drivers' union said several drivers were missing",
            "saying its fighters had killed \"dozens\" of soldiers",
        ],
    )],
))

# H21 ------------------------------------------------------------------------------------------
H21 = """Niger governor revises down toll of Boko Haram raid on Diffa camp

NIAMEY, Nov 23 - Fighters of Boko Haram killed seven people in a night raid on a camp for displaced people near Diffa, in southeastern Niger, on Tuesday, the regional governor said on Thursday, revising down initial reports of 15 dead.

"After verification, the toll is seven dead and 11 wounded, all civilians. The first figures counted people who were missing and have since been found," the governor told state radio.

The attackers, whom the governor identified as members of Jama'atu Ahlis Sunna Lidda'awati wal-Jihad, the faction better known as Boko Haram, looted food stocks and burned dozens of shelters before fleeing towards the Komadougou Yobe river, which marks the border with Nigeria. The group did not comment.

Local humanitarian workers said between 200 and 300 families had fled the camp after the attack. The camp shelters people displaced by years of violence in the Lake Chad basin.

Boko Haram and its rival, the Islamic State West Africa Province, have carried out hundreds of attacks in the Diffa region since 2015, killing soldiers and civilians on both sides of the border. The Nigerien army said it had sent reinforcements to the camp on Wednesday."""

add(record(
    text=H21,
    title="Niger governor revises down toll of Boko Haram raid on Diffa camp",
    url="https://example.org/africa/2023/11/23/niger-diffa-camp-raid-toll",
    published="2023-11-23", source="AFP-style wire",
    tests=[
        "revised_toll", "aliases", "violence_against_civilians", "relative_dates", "niger",
        "figure_not_casualty", "aggregate_excluded",
        "A toll revised downwards (15 to seven) is recorded once, as revised; Boko Haram and "
        "Jama'atu Ahlis Sunna Lidda'awati wal-Jihad are one actor; families fleeing 'between 200 "
        "and 300' are displacement, not casualties; Tuesday = 2023-11-21.",
    ],
    actors=[
        actor("Jama'atu Ahlis Sunna Lidda'awati wal-Jihad", "rebel_group", ["Boko Haram"]),
        actor("civilians", "civilians", ["displaced people"]),
    ],
    incidents=[incident(
        "On 21 November 2023, Boko Haram (JAS) fighters raided a displaced people's camp near "
        "Diffa, killing seven civilians and wounding 11 (revised down from 15 dead), and "
        "looting and burning shelters.",
        "violence_against_civilians", "attack",
        date_text="on Tuesday", date_start="2023-11-21",
        place="Diffa", country="Niger", geo_precision="near_place",
        perpetrators=["Jama'atu Ahlis Sunna Lidda'awati wal-Jihad"], targets=["civilians"],
        casualties=[
            cas("killed", "seven", 7, 7, "civilians", "regional governor"),
            cas("wounded", "11", 11, 11, "civilians", "regional governor"),
        ],
        sources=["regional governor"],
        evidence=[
            "Fighters of Boko Haram killed seven people in a night raid on a camp for displaced "
            "people near Diffa, in southeastern Niger, on Tuesday, the regional governor said on "
            "Thursday, revising down initial reports of 15 dead.",
            "\"After verification, the toll is seven dead and 11 wounded, all civilians.",
        ],
    )],
))
