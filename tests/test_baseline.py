"""The offline baseline: real content from the seed articles, no incident from analysis, and the
date and figure rules it is built on, case by case."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

import pytest

from extractor.backend import BackendResult
from extractor.baseline.backend import BaselineBackend
from extractor.baseline.dates import find_date, text_anchor
from extractor.baseline.numbers import find_figures, parse_figure, word_value
from extractor.baseline.sentences import split_sentences
from extractor.resolve.gazetteer import Gazetteer
from extractor.resolve.postprocess import process
from extractor.resolve.registry import ActorRegistry
from extractor.schemas import (
    Article,
    CasualtyKind,
    EventType,
    ExtractionResult,
    GeoPrecision,
    SubEventType,
    article_id_for,
)

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples" / "articles"


def seed_text(prefix: str) -> str:
    [found] = sorted(EXAMPLES.glob(f"{prefix}_*.txt"))  # the seeds are example articles
    return found.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def registry() -> ActorRegistry:
    return ActorRegistry.load()


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


@pytest.fixture(scope="module")
def backend(registry, gazetteer) -> BaselineBackend:
    return BaselineBackend(registry, gazetteer)


def article(text: str, published: date | None = None) -> Article:
    return Article(id=article_id_for(text), text=text, published=published)


def run(backend: BaselineBackend, text: str, published: date | None = None) -> ExtractionResult:
    outcome = asyncio.run(backend.extract(article(text, published)))
    assert isinstance(outcome, BackendResult) and outcome.error is None
    assert outcome.result is not None and outcome.attempts == 1
    assert ExtractionResult.model_validate_json(outcome.raw_response) == outcome.result
    return outcome.result


def killed(incident, minimum: int) -> list:
    return [c for c in incident.casualties if c.kind == CasualtyKind.killed
            and c.count_min == minimum]


# -- seeds ------------------------------------------------------------------------------------

def test_seed_000_kidal_mine_ambush_and_its_background(backend):
    text = seed_text("000")
    result = run(backend, text)
    news = [i for i in result.incidents if i.place == "Kidal"]
    assert len(news) == 1
    kidal = news[0]
    assert not kidal.is_background
    assert kidal.geo_precision == GeoPrecision.near_place
    assert (kidal.event_type, kidal.sub_event_type) in {
        (EventType.battles, SubEventType.armed_clash),
        (EventType.explosions_remote_violence, SubEventType.remote_explosive_landmine_ied)}
    assert "Africa Corps" in kidal.targets
    assert "Tuareg rebels" in kidal.perpetrators
    assert any("anti-tank mines" in w for w in kidal.weapons)
    four = killed(kidal, 4)
    assert four and four[0].count_max == 4 and four[0].source == "LSI AFRICA"
    wounded = [c for c in kidal.casualties if c.kind == CasualtyKind.wounded]
    assert [(c.count_min, c.source) for c in wounded] == [(3, "LSI AFRICA")]
    assert "LSI AFRICA" in kidal.sources and "war_noir" in kidal.sources
    # The year of 'June 13' comes from the caption's full date.
    assert kidal.date_start == kidal.date_end == date(2025, 6, 13)

    jnim = [i for i in result.incidents if "Jama'at Nasr al-Islam wal Muslimin"
            in i.perpetrators]
    assert len(jnim) == 1
    ambush = jnim[0]
    assert ambush.is_background
    assert ambush.date_text == "late November 2024"
    assert (ambush.date_start, ambush.date_end) == (date(2024, 11, 20), date(2024, 11, 30))
    assert "Wagner Group" in ambush.targets
    assert "Jama'at Nasr al-Islam wal Muslimin" in ambush.claimed_by
    assert killed(ambush, 6)
    assert ambush.geo_precision == GeoPrecision.region and ambush.place == "southern Mali"

    february = [i for i in result.incidents if i.date_start == date(2025, 2, 6)]
    assert len(february) == 1 and february[0].is_background
    assert february[0].sub_event_type == SubEventType.remote_explosive_landmine_ied
    # The Wagner withdrawal and the ship deliveries are not incidents.
    assert not any("withdrawal" in e or "cargo ships" in e
                   for i in result.incidents for e in i.evidence)
    names = {a.name: a for a in result.actors}
    assert {"Africa Corps", "Wagner Group", "Jama'at Nasr al-Islam wal Muslimin"} <= set(names)
    assert "JNIM" in names["Jama'at Nasr al-Islam wal Muslimin"].aliases


def test_seed_003_bandiagara_and_tessit(backend):
    result = run(backend, seed_text("003"))
    bandiagara = [i for i in result.incidents if i.place == "Bandiagara"]
    tessit = [i for i in result.incidents if i.place == "Tessit"]
    assert len(bandiagara) == 1 and len(tessit) == 1
    first, second = bandiagara[0], tessit[0]
    assert result.incidents.index(first) < result.incidents.index(second)
    assert first.geo_precision == GeoPrecision.near_place and not first.is_background
    assert killed(first, 4) and all(c.victims == "Wagner Group" for c in killed(first, 4))
    assert first.perpetrators == ["Jama'at Nasr al-Islam wal Muslimin"]
    assert first.claimed_by == ["Jama'at Nasr al-Islam wal Muslimin"]
    assert "AFP" in first.sources and "local officials" in first.sources
    assert first.date_text and first.date_start is None  # undated article: no year to fix
    assert killed(second, 42)
    assert [c.victims for c in killed(second, 4)] == ["civilians"]
    assert second.perpetrators == ["Islamic State Sahel Province"]
    assert "Malian Armed Forces" in second.targets
    assert (second.event_type, second.sub_event_type) == (EventType.battles,
                                                          SubEventType.armed_clash)
    assert "explosives-laden vehicle" in second.weapons
    march = [i for i in result.incidents if i.date_text == "Last March"]
    assert len(march) == 1 and march[0].is_background
    # The French withdrawal and the troop numbers are not incidents.
    assert not any(c.count_min in (300, 700) for i in result.incidents for c in i.casualties)


def test_seed_001_tinzaouaten_rout_without_the_aggregates(backend):
    result = run(backend, seed_text("001"))
    rout = [i for i in result.incidents if i.place == "Tinzaouaten"]
    assert len(rout) == 1
    assert rout[0].geo_precision == GeoPrecision.near_place and not rout[0].is_background
    assert "Wagner Group" in rout[0].targets
    assert any(c.count_text == "several dozen" and c.count_min == 12 and c.count_max is None
               for c in rout[0].casualties)
    assert any(c.kind == CasualtyKind.captured and c.count_min == 5 for c in rout[0].casualties)
    # 'France ... lost 59 of those soldiers during its nine-year stint' is an aggregate.
    assert not any(c.count_min == 59 for i in result.incidents for c in i.casualties)
    kidal = [i for i in result.incidents if i.place == "Kidal"]
    assert kidal and kidal[0].is_background
    assert kidal[0].sub_event_type == SubEventType.government_regains_territory


@pytest.mark.parametrize("prefix", ["000", "001", "003"])
def test_evidence_is_verbatim_and_output_deterministic(backend, prefix):
    text = seed_text(prefix)
    first = run(backend, text)
    assert first.incidents
    for incident in first.incidents:
        assert incident.evidence and incident.summary
        for quote in incident.evidence:
            assert quote in text
    assert run(backend, text).model_dump_json() == first.model_dump_json()


def test_postprocess_reads_the_baseline_output(backend, registry, gazetteer):
    text = seed_text("000")
    result = run(backend, text)
    processed = process(article(text), result, registry, gazetteer)
    kidal = next(p for p in processed.incidents if p.incident.place == "Kidal")
    assert kidal.admin1 == "Kidal" and kidal.fatalities == 4
    assert kidal.evidence_status == "verified"
    assert all(a.in_registry for a in processed.actors)


# -- what is not an incident --------------------------------------------------------------

ANALYSIS = """The junta's partnership with Russia has reshaped the security landscape.
France lost 59 soldiers during its nine-year stint in Mali, analysts say.
Since 2012, attacks by jihadist groups have killed thousands of people across the Sahel.
If the fighting spreads south, the army could struggle to hold the towns around Mopti.
The government announced the withdrawal of the last French troops from Gao on Monday.
Moscow has been delivering armoured vehicles and drones to Bamako despite sanctions."""


def test_analysis_only_article_has_no_incident(backend):
    assert run(backend, ANALYSIS, date(2024, 5, 2)).incidents == []


@pytest.mark.parametrize("text", ["", " ", "\x00\x01", "Killed.", "A. B. C. D.", "ñ" * 3000,
                                  "killed killed killed by by by near near",
                                  "99999999999999999999 soldiers were killed in Gao.",
                                  "On February 30, 2024, gunmen attacked Gao.",
                                  "“”‘’—\n\n\t(Source: )"])
def test_never_raises_on_odd_input(backend, text):
    if not text.strip():
        text = text + "."  # an Article needs some text
    outcome = asyncio.run(backend.extract(Article(id="odd", text=text)))
    assert outcome.error is None and outcome.result is not None
    for incident in outcome.result.incidents:
        assert all(quote in text for quote in incident.evidence)


# -- rules on short reports -----------------------------------------------------------------

@pytest.mark.parametrize("text, event, sub", [
    ("Gunmen abducted 12 civilians in Djibo on Monday.",
     EventType.violence_against_civilians, SubEventType.abduction_forced_disappearance),
    ("Jihadists killed 20 villagers in Ogossagou on Sunday, local officials said.",
     EventType.violence_against_civilians, SubEventType.attack),
    ("A drone strike killed eight people near Ménaka on June 3, 2024.",
     EventType.explosions_remote_violence, SubEventType.air_drone_strike),
    ("An improvised explosive device hit a FAMa convoy near Boni, killing three soldiers.",
     EventType.explosions_remote_violence, SubEventType.remote_explosive_landmine_ied),
    ("Mortar shells struck the Gao airport camp on Tuesday, wounding two peacekeepers.",
     EventType.explosions_remote_violence, SubEventType.shelling_artillery_missile_attack),
    ("A suicide bomber detonated an explosives-laden vehicle at the Ouallam base.",
     EventType.explosions_remote_violence, SubEventType.suicide_bomb),
    ("JNIM fighters seized the town of Boulkessi after heavy fighting with the Malian army.",
     EventType.battles, SubEventType.non_state_actor_overtakes_territory),
    ("The Malian army recaptured Kidal from the CSP-DPA on November 14, 2023.",
     EventType.battles, SubEventType.government_regains_territory),
    ("Nigerien forces clashed with ISGS fighters near Tillia, killing between 20 and 50 "
     "militants.", EventType.battles, SubEventType.armed_clash),
    ("Hundreds of protesters marched in Bamako on Friday; police fired tear gas.",
     EventType.protests, SubEventType.protest_with_intervention),
])
def test_event_type_rules(backend, text, event, sub):
    incidents = run(backend, text, date(2024, 7, 30)).incidents
    assert len(incidents) == 1
    assert (incidents[0].event_type, incidents[0].sub_event_type) == (event, sub)


def test_relative_date_figures_place_and_sources_of_a_short_report(backend):
    text = ("Rebels ambushed a convoy near Kidal on Saturday, killing at least 15 soldiers.\n\n"
            "Local officials confirmed the toll to AFP on Monday.")
    incidents = run(backend, text, date(2024, 7, 30)).incidents
    assert len(incidents) == 1
    incident = incidents[0]
    assert incident.date_text == "on Saturday"
    assert incident.date_start == incident.date_end == date(2024, 7, 27)
    assert (incident.place, incident.geo_precision) == ("Kidal", GeoPrecision.near_place)
    assert [(c.kind, c.count_text, c.count_min, c.count_max) for c in incident.casualties] == [
        (CasualtyKind.killed, "at least 15", 15, None)]
    assert "AFP" in incident.sources and "Local officials" in incident.sources
    assert incident.evidence == [
        "Rebels ambushed a convoy near Kidal on Saturday, killing at least 15 soldiers.",
        "Local officials confirmed the toll to AFP on Monday."]


def test_recalled_attack_is_background_against_the_publication_date(backend):
    text = ("Burkinabe soldiers repelled an attack on Djibo on Sunday, killing 30 militants, the "
            "army said. In late November 2024, JNIM fighters killed 12 VDP members in Arbinda.")
    incidents = run(backend, text, date(2025, 5, 13)).incidents
    assert [i.place for i in incidents] == ["Djibo", "Arbinda"]
    assert [i.is_background for i in incidents] == [False, True]
    assert incidents[0].date_start == date(2025, 5, 11)
    assert incidents[1].perpetrators == ["Jama'at Nasr al-Islam wal Muslimin"]
    assert incidents[1].targets == ["Volunteers for the Defence of the Homeland"]


def test_revised_toll_replaces_the_first_figure(backend):
    text = ("Gunmen killed 30 civilians in Solenzo on Tuesday. The toll rose to 42 on Wednesday, "
            "residents said.")
    incidents = run(backend, text, date(2024, 3, 14)).incidents
    assert len(incidents) == 1
    assert [(c.count_min, c.victims) for c in incidents[0].casualties] == [(42, "civilians")]


def test_backend_protocol_and_cache_key(registry, gazetteer, tmp_path):
    backend = BaselineBackend(registry, gazetteer)
    assert backend.model == "baseline" and backend.prompt_name == "baseline-rules"
    assert len(backend.prompt_hash) == 12 and int(backend.prompt_hash, 16) >= 0
    assert backend.params() == BaselineBackend(registry, gazetteer).params()
    other = tmp_path / "actors.csv"
    other.write_text("name,aliases,actor_type,country,affiliation\nWagner Group,Wagner,"
                     "external_forces,Russia,\n", encoding="utf-8")
    changed = BaselineBackend(ActorRegistry.load(other), gazetteer)
    assert changed.prompt_hash != backend.prompt_hash and changed.params() != backend.params()
    assert asyncio.run(backend.aclose()) is None


def test_sentences_keep_their_offsets():
    text = "Gunmen attacked Gao on Monday. Col. Diallo said 3 died!\n\n“Four were killed,” he said."
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "Gunmen attacked Gao on Monday.", "Col. Diallo said 3 died!",
        "“Four were killed,” he said."]
    assert all(text[s.start:s.start + len(s.text)] == s.text for s in sentences)


# -- dates, table-style -------------------------------------------------------------------------

PUBLISHED = date(2025, 6, 18)  # a Wednesday


@pytest.mark.parametrize("text, published, words, start, end", [
    ("on June 13, 2025", None, "June 13, 2025", date(2025, 6, 13), date(2025, 6, 13)),
    ("on 13 June 2025", None, "13 June 2025", date(2025, 6, 13), date(2025, 6, 13)),
    ("on June 13th, 2025", None, "June 13th, 2025", date(2025, 6, 13), date(2025, 6, 13)),
    ("in late November 2024", None, "late November 2024", date(2024, 11, 20),
     date(2024, 11, 30)),
    ("in early March 2024", None, "early March 2024", date(2024, 3, 1), date(2024, 3, 10)),
    ("in mid-November 2024", None, "mid-November 2024", date(2024, 11, 10), date(2024, 11, 20)),
    ("in late January 2025", None, "late January 2025", date(2025, 1, 20), date(2025, 1, 31)),
    ("in July 2024", None, "July 2024", date(2024, 7, 1), date(2024, 7, 31)),
    ("in February 2024", None, "February 2024", date(2024, 2, 1), date(2024, 2, 29)),
    ("on June 13", PUBLISHED, "June 13", date(2025, 6, 13), date(2025, 6, 13)),
    ("on February 6", PUBLISHED, "February 6", date(2025, 2, 6), date(2025, 2, 6)),
    ("on July 27", PUBLISHED, "July 27", date(2024, 7, 27), date(2024, 7, 27)),
    ("on July 27", None, "July 27", None, None),
    ("on 27 July", PUBLISHED, "27 July", date(2024, 7, 27), date(2024, 7, 27)),
    ("in late November", PUBLISHED, "late November", date(2024, 11, 20), date(2024, 11, 30)),
    ("last week", PUBLISHED, "last week", date(2025, 6, 9), date(2025, 6, 15)),
    ("late last week", PUBLISHED, "late last week", date(2025, 6, 12), date(2025, 6, 15)),
    ("earlier this week", PUBLISHED, "earlier this week", date(2025, 6, 16), date(2025, 6, 17)),
    ("Earlier this week", None, "Earlier this week", None, None),
    ("over the weekend", PUBLISHED, "over the weekend", date(2025, 6, 14), date(2025, 6, 15)),
    ("over the weekend", None, "over the weekend", None, None),
    ("on Monday", PUBLISHED, "on Monday", date(2025, 6, 16), date(2025, 6, 16)),
    ("on Wednesday", PUBLISHED, "on Wednesday", PUBLISHED, PUBLISHED),
    ("last Friday", PUBLISHED, "last Friday", date(2025, 6, 13), date(2025, 6, 13)),
    ("last March", PUBLISHED, "last March", date(2025, 3, 1), date(2025, 3, 31)),
    ("last September", PUBLISHED, "last September", date(2024, 9, 1), date(2024, 9, 30)),
    ("last March", None, "last March", None, None),
    ("yesterday", PUBLISHED, "yesterday", date(2025, 6, 17), date(2025, 6, 17)),
    ("three days ago", PUBLISHED, "three days ago", date(2025, 6, 15), date(2025, 6, 15)),
    ("last month", PUBLISHED, "last month", date(2025, 5, 1), date(2025, 5, 31)),
    ("earlier this year", PUBLISHED, "earlier this year", date(2025, 1, 1), PUBLISHED),
    ("in November", PUBLISHED, "in November", date(2024, 11, 1), date(2024, 11, 30)),
    ("in 2023", None, "in 2023", date(2023, 1, 1), date(2023, 12, 31)),
])
def test_date_resolution(text, published, words, start, end):
    found = find_date(f"Gunmen attacked the town {text}, officials said.", published)
    assert found is not None
    assert (found.text, found.start, found.end) == (words, start, end)


def test_dates_without_a_year_take_it_from_a_full_date_in_the_text():
    text = "A truck burned in Mali, June 13, 2025. On February 6, militants ambushed a convoy."
    anchor = text_anchor(text)
    assert anchor == date(2025, 6, 13)
    found = find_date("On February 6, militants ambushed a convoy.", None, anchor)
    assert (found.start, found.end) == (date(2025, 2, 6), date(2025, 2, 6))
    assert text_anchor("No dates here, only last week.") is None


def test_no_date_and_no_false_dates():
    assert find_date("Gunmen attacked the town, officials said.", PUBLISHED) is None
    assert find_date("The march 3 km north of Gao was peaceful.", PUBLISHED) is None


# -- figures, table-style ---------------------------------------------------------------------

@pytest.mark.parametrize("text, count_text, low, high", [
    ("four", "four", 4, 4),
    ("Four", "Four", 4, 4),
    ("42", "42", 42, 42),
    ("2,400", "2,400", 2400, 2400),
    ("fifty", "fifty", 50, 50),
    ("twenty-five", "twenty-five", 25, 25),
    ("two dozen", "two dozen", 24, 24),
    ("a dozen", "a dozen", 12, 12),
    ("a few", "a few", 3, None),
    ("several", "several", 3, None),
    ("tens of", "tens of", 10, None),
    ("dozens", "dozens", 12, None),
    ("several dozen", "several dozen", 12, None),
    ("hundreds of", "hundreds of", 100, None),
    ("at least 15", "at least 15", 15, None),
    ("at least fifteen", "at least fifteen", 15, None),
    ("more than 100", "more than 100", 101, None),
    ("over 20", "over 20", 21, None),
    ("about 60", "about 60", 60, 60),
    ("around 60", "around 60", 60, 60),
    ("nearly sixty", "nearly sixty", 60, 60),
    ("some 50", "some 50", 50, 50),
    ("up to 40", "up to 40", None, 40),
    ("as many as 40", "as many as 40", None, 40),
    ("between 20 and 50", "between 20 and 50", 20, 50),
    ("between twenty and fifty", "between twenty and fifty", 20, 50),
    ("300-400", "300-400", 300, 400),
    ("one hundred", "one hundred", 100, 100),
])
def test_figure_parsing(text, count_text, low, high):
    figure = parse_figure(text)
    assert figure is not None
    assert (figure.text, figure.count_min, figure.count_max) == (count_text, low, high)


def test_word_values_and_figures_in_a_sentence():
    assert word_value("two dozen") == 24 and word_value("ninety-nine") == 99
    assert word_value("three thousand") == 3000 and word_value("soldiers") is None
    figures = find_figures("killing at least 15 soldiers and wounding several dozen others")
    assert [(f.text, f.count_min, f.count_max) for f in figures] == [
        ("at least 15", 15, None), ("several dozen", 12, None)]


@pytest.mark.parametrize("sentence, expected", [
    ("According to LSI AFRICA, four Russian fighters were killed in the attack, and three "
     "others were wounded.", [("killed", "four", 4, None), ("wounded", "three", 3, None)]),
    ("The attack killed at least 15 soldiers.", [("killed", "at least 15", 15, None)]),
    ("Gunmen abducted more than 50 women near Arbinda.", [("captured", "more than 50", 51,
                                                           "civilians")]),
    ("Several dozen mercenaries were killed and five more were captured.",
     [("killed", "Several dozen", 12, None), ("captured", "five", 5, None)]),
    ("Dozens of fighters were killed and wounded.", [("casualties", "Dozens of", 12, None)]),
    ("The two forces killed several dozen fighters.", [("killed", "several dozen", 12, None)]),
    ("The army had about 2,400 troops and five AK rifles were seized.", []),
    ("Two local officials confirmed the news to AFP.", []),
    ("Four civilians died in the blast.", [("killed", "Four", 4, "civilians")]),
])
def test_casualty_figures_in_sentences(backend, sentence, expected):
    claims = run(backend, sentence + " It happened in Gao on Monday.", PUBLISHED).incidents
    found = [(c.kind.value, c.count_text, c.count_min, c.victims)
             for i in claims for c in i.casualties]
    assert [(k, t, m) for k, t, m, _ in found] == [(k, t, m) for k, t, m, _ in expected]
    for (_, _, _, victims), (_, _, _, wanted) in zip(found, expected, strict=False):
        if wanted is not None:
            assert victims == wanted


@pytest.mark.parametrize("dateline", [
    "BAMAKO, Oct 3 - ", "BAMAKO (AFP) - ", "BAMAKO, Oct. 3, 2025 (Reuters) - ", "BAMAKO: "])
def test_a_dateline_is_where_the_story_was_filed_not_where_it_happened(backend, dateline):
    text = (dateline + "Several mortar rounds fired by jihadists struck residential "
            "neighbourhoods of the northern city of Gao on Wednesday, killing at least three "
            "civilians, the regional governor said.")
    result = backend.extract_sync(Article(id=article_id_for(text), text=text,
                                          published=date(2025, 10, 3)))
    assert [i.place for i in result.incidents] == ["Gao"]
    assert result.incidents[0].weapons == ["mortar rounds"]


def test_a_town_named_in_capitals_inside_the_story_is_still_a_place(backend):
    text = ("Gunmen attacked a checkpoint outside KIDAL - the regional capital - on Monday, "
            "killing two soldiers, officials said.")
    result = backend.extract_sync(Article(id=article_id_for(text), text=text,
                                          published=date(2025, 10, 3)))
    assert [i.place for i in result.incidents] == ["KIDAL"]


@pytest.mark.parametrize("sentence,weapons", [
    ("The convoy hit Belgian-made PRB-M3-A1 anti-tank mines near Kidal, killing four soldiers.",
     ["Belgian-made PRB-M3-A1 anti-tank mines"]),
    ("Two drones struck a market in Tinzaouaten on Sunday, killing 21 civilians.", ["drones"]),
    ("On Oct 3 - Several artillery shells fell on Gao, killing three civilians.",
     ["artillery shells"]),
])
def test_weapons_keep_their_written_modifiers_and_nothing_else(backend, sentence, weapons):
    result = backend.extract_sync(Article(id=article_id_for(sentence), text=sentence,
                                          published=date(2025, 10, 6)))
    assert result.incidents and result.incidents[0].weapons == weapons


@pytest.mark.parametrize("dateline,published,expected", [
    ("OUAGADOUGOU, Feb 15 - ", date(2024, 2, 15), (date(2024, 2, 13), date(2024, 2, 13))),
    ("BAMAKO, April 11 (AFP) - ", date(2024, 4, 11), (date(2024, 4, 9), date(2024, 4, 9))),
])
def test_a_datelines_date_is_when_the_story_was_filed(backend, dateline, published, expected):
    text = (dateline + "Gunmen attacked a police post in Gao on Tuesday, killing two officers, "
            "officials said.")
    result = backend.extract_sync(Article(id=article_id_for(text), text=text, published=published))
    assert [(i.date_start, i.date_end) for i in result.incidents] == [expected]


@pytest.mark.parametrize("text, found", [
    # re.IGNORECASE matches the long s to 's', the dotless i to 'i' and the Kelvin sign to
    # 'k': the words that let a date pattern run must find them too.
    ("Gunmen struck on \u017feptember 3, 2024 near Gao.", ("\u017feptember 3, 2024",
                                                             "month_day_year")),
    ("The attack on Fr\u0131day killed four.", ("on Fr\u0131day", "on_weekday")),
    ("Clashes resumed last wee\u212a.", ("last wee\u212a", "last_week")),
    ("It happened on MONDAY evening.", ("on MONDAY", "on_weekday")),
    ("They marched to the market in Gao.", None),  # 'mar' starts no month here
])
def test_date_patterns_run_on_every_spelling_they_match(text, found):
    first = find_date(text, date(2024, 9, 10))
    assert (None if first is None else (first.text, first.kind)) == found


def test_a_long_line_splits_like_short_ones():
    line = " ".join(["Gunmen attacked Gao on Monday.", "Col. Diallo said 3 died!"] * 2000)
    sentences = split_sentences(line)
    assert len(sentences) == 4000
    assert [s.text for s in sentences[:2]] == ["Gunmen attacked Gao on Monday.",
                                               "Col. Diallo said 3 died!"]
    assert all(line[s.start:s.start + len(s.text)] == s.text for s in sentences)
