"""The baseline on French articles: the language test, French dates against the publication
date, French figures with ACLED's numbers for vague words, and a whole French story."""

from __future__ import annotations

from datetime import date

import pytest

from extractor.baseline.backend import BaselineBackend
from extractor.baseline.casualties import raw_claims
from extractor.baseline.dates import find_date
from extractor.baseline.french import is_french
from extractor.baseline.numbers import parse_figure
from extractor.resolve.gazetteer import Gazetteer
from extractor.resolve.registry import ActorRegistry
from extractor.schemas import Article, EventType, GeoPrecision, SubEventType

WEDNESDAY = date(2026, 3, 18)


def test_the_language_is_told_by_function_words() -> None:
    assert is_french("Des hommes armés ont attaqué le poste de Ménaka dans la nuit.")
    assert not is_french("Gunmen attacked the army post in Menaka on Monday night.")
    # A French name in an English story does not make it French.
    assert not is_french("The Forces armées maliennes said the convoy was attacked near Gao.")


@pytest.mark.parametrize("text,start,end", [
    ("samedi dernier", date(2026, 3, 14), date(2026, 3, 14)),
    ("ont attaqué samedi le camp", date(2026, 3, 14), date(2026, 3, 14)),
    ("le 12 mars", date(2026, 3, 12), date(2026, 3, 12)),
    ("le 1er avril", date(2025, 4, 1), date(2025, 4, 1)),  # news looks back: last year's
    ("le 3 février 2024", date(2024, 2, 3), date(2024, 2, 3)),
    ("dans la nuit de lundi à mardi", date(2026, 3, 16), date(2026, 3, 17)),
    ("dans la nuit de mardi à mercredi", date(2026, 3, 17), date(2026, 3, 18)),
    ("hier", date(2026, 3, 17), date(2026, 3, 17)),
    ("avant-hier", date(2026, 3, 16), date(2026, 3, 16)),
    ("la semaine dernière", date(2026, 3, 9), date(2026, 3, 15)),
    ("fin février", date(2026, 2, 20), date(2026, 2, 28)),
    ("mi-janvier", date(2026, 1, 10), date(2026, 1, 20)),
    ("en mars 2025", date(2025, 3, 1), date(2025, 3, 31)),
])
def test_french_dates_resolve_against_the_publication_date(text: str, start: date,
                                                           end: date) -> None:
    found = find_date(text, WEDNESDAY, in_french=True)
    assert found is not None and (found.start, found.end) == (start, end), found


def test_a_french_date_without_a_publication_date_keeps_its_words() -> None:
    found = find_date("samedi dernier", None, in_french=True)
    assert found is not None and found.text == "samedi dernier" and found.start is None


@pytest.mark.parametrize("text,low,high", [
    ("quinze", 15, 15), ("vingt et un", 21, 21), ("quatre-vingt-dix-sept", 97, 97),
    ("une dizaine", 10, 10), ("des dizaines", 12, None), ("plusieurs dizaines", 12, None),
    ("une centaine", 100, 100), ("au moins 20", 20, None), ("plus de 100", 101, None),
    ("près de 40", 40, 40), ("moins de 5", None, 4), ("entre 10 et 15", 10, 15),
    ("1 200", 1200, 1200), ("quelques", 3, None),
])
def test_french_figures_take_acled_numbers(text: str, low: int | None,
                                           high: int | None) -> None:
    figure = parse_figure(text, in_french=True)
    assert figure is not None and (figure.count_min, figure.count_max) == (low, high)


def test_un_is_no_figure() -> None:
    assert parse_figure("un poste de l'armée", in_french=True) is None


def test_french_casualty_words_before_and_after_the_figure() -> None:
    claims = raw_claims("Au moins quinze soldats ont été tués et une dizaine d'autres blessés, "
                        "tuant 3 civils.", in_french=True)
    assert [(c.kind, c.figure.text, c.figure.count_min) for c in claims] == [
        ("killed", "Au moins quinze", 15), ("wounded", "une dizaine", 10),
        ("killed", "3", 3)]
    assert raw_claims("Le convoi de 12 véhicules a été attaqué.", in_french=True) == []


def test_a_french_story_comes_out_in_english_fields() -> None:
    backend = BaselineBackend(ActorRegistry.load(), Gazetteer.load())
    text = ("Des hommes armés ont enlevé une vingtaine de villageois samedi dernier près de "
            "Djibo, dans le nord du Burkina Faso, selon des sources locales.")
    result = backend.extract_sync(Article(id="fr", title=None, text=text, published=WEDNESDAY))
    [incident] = result.incidents
    assert (incident.event_type, incident.sub_event_type) == (
        EventType.violence_against_civilians, SubEventType.abduction_forced_disappearance)
    assert (incident.place, incident.country, incident.geo_precision) == (
        "Djibo", "Burkina Faso", GeoPrecision.near_place)
    assert (incident.date_start, incident.date_end) == (date(2026, 3, 14), date(2026, 3, 14))
    assert [(c.kind.value, c.count_min, c.count_max, c.victims, c.source)
            for c in incident.casualties] == [
        ("captured", 20, 20, "civilians", "sources locales")]
    # English words in the summary: 'hommes armés' are armed men, 'une vingtaine' is 20.
    assert incident.summary == ("On 2026-03-14, Unidentified armed men abducted civilians near "
                                "Djibo (Burkina Faso): 20 captured (civilians) per local "
                                "sources.")
    assert incident.evidence == [text]


def test_a_french_summary_gives_open_figures_in_english() -> None:
    backend = BaselineBackend(ActorRegistry.load(), Gazetteer.load())
    text = ("Au moins quinze soldats maliens ont été tués et plus de 30 blessés dans une embuscade "
            "de jihadistes hier près de Boulkessi.")
    result = backend.extract_sync(Article(id="fr2", title=None, text=text, published=WEDNESDAY))
    [incident] = result.incidents
    assert incident.summary == (
        "On 2026-03-17, Unidentified jihadists attacked Malian Armed Forces near Boulkessi "
        "(Mali): at least 15 killed (Malian Armed Forces); at least 31 wounded.")
    # The claims keep the article's words as written.
    assert [c.count_text for c in incident.casualties] == ["Au moins quinze", "plus de 30"]


def test_a_french_claim_and_its_sources() -> None:
    """'revendiquée par' names the claimant, whose own figure is its claim; 'selon des sources
    sécuritaires' is the source of the others, named in English in the summary."""
    backend = BaselineBackend(ActorRegistry.load(), Gazetteer.load())
    text = ("Au moins quinze soldats maliens ont été tués hier près de Boulkessi, selon des "
            "sources sécuritaires. L'attaque a été revendiquée par le JNIM, qui affirme avoir "
            "tué plus de 30 militaires.")
    result = backend.extract_sync(Article(id="fr3", title=None, text=text, published=WEDNESDAY))
    [incident] = result.incidents
    assert incident.claimed_by == ["Jama'at Nasr al-Islam wal Muslimin"]
    assert incident.sources == ["sources sécuritaires"]
    assert [(c.count_text, c.source) for c in incident.casualties] == [
        ("Au moins quinze", "sources sécuritaires"), ("plus de 30", "JNIM")]
    # The summary names the claimant by its registry name, and the generic source in English.
    assert incident.summary.endswith(
        ": at least 15 killed (Malian Armed Forces) per security sources; at least 31 killed "
        "per Jama'at Nasr al-Islam wal Muslimin.")


def test_a_state_claim_of_enemies_neutralised() -> None:
    backend = BaselineBackend(ActorRegistry.load(), Gazetteer.load())
    text = ("Une frappe de drone a tué une vingtaine de civils samedi dernier près de Tillabéri. "
            "L'armée nigérienne a affirmé avoir « neutralisé des dizaines de terroristes ».")
    result = backend.extract_sync(Article(id="fr4", title=None, text=text, published=WEDNESDAY))
    [incident] = result.incidents
    assert incident.claimed_by == ["Niger Armed Forces"]
    assert [(c.count_min, c.count_max, c.source) for c in incident.casualties] == [
        (20, 20, None), (12, None, "armée nigérienne")]


@pytest.mark.parametrize("text", [
    "Plusieurs centaines de personnes ont manifesté hier à Kayes avant d'être dispersées par la "
    "police à coups de gaz lacrymogène ; au moins six personnes ont été blessées.",
    "Hundreds of people protested in Kayes yesterday before police dispersed them with tear "
    "gas; at least six people were injured.",
])
def test_people_hurt_while_a_protest_is_dispersed_keep_it_a_protest(text: str) -> None:
    backend = BaselineBackend(ActorRegistry.load(), Gazetteer.load())
    result = backend.extract_sync(Article(id="p", title=None, text=text, published=WEDNESDAY))
    [incident] = result.incidents
    assert (incident.event_type, incident.sub_event_type) == (
        EventType.protests, SubEventType.protest_with_intervention)
    assert [(c.kind.value, c.count_min) for c in incident.casualties] == [("wounded", 6)]
    assert incident.date_start == date(2026, 3, 17)


def test_victims_of_a_french_toll_pointed_to() -> None:
    """'d'autres' are the victims named just before; 'militaires' are the targeted army."""
    backend = BaselineBackend(ActorRegistry.load(), Gazetteer.load())
    text = ("Des jihadistes ont attaqué un convoi des FAMa hier près de Boulkessi. Au moins "
            "quinze soldats maliens ont été tués et une dizaine d'autres blessés. Le JNIM "
            "affirme avoir tué plus de 30 militaires.")
    result = backend.extract_sync(Article(id="v", title=None, text=text, published=WEDNESDAY))
    [incident] = result.incidents
    assert [(c.kind.value, c.count_text, c.victims) for c in incident.casualties] == [
        ("killed", "Au moins quinze", "Malian Armed Forces"),
        ("wounded", "une dizaine", "Malian Armed Forces"),
        ("killed", "plus de 30", "Malian Armed Forces")]
