"""The world layer of the gazetteer: GeoNames places under the curated Sahel entries."""

from __future__ import annotations

import pickle
from datetime import date
from pathlib import Path

import pytest

from extractor.evals.geocoding import distance_km, load_places, score_places, share_right
from extractor.resolve.gazetteer import Gazetteer, GeoRule
from extractor.resolve.postprocess import process
from extractor.resolve.registry import ActorRegistry
from extractor.resolve.world import WorldIndex, WorldIndexError, index_path
from extractor.schemas import Article, ExtractionResult, Incident


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> WorldIndex:
    index = WorldIndex(tmp_path_factory.mktemp("cache"))
    yield index
    index.close()


@pytest.fixture(scope="module")
def gazetteer(world: WorldIndex) -> Gazetteer:
    return Gazetteer.load(world=world)


def test_the_index_is_built_when_a_name_needs_it_not_before(tmp_path: Path,
                                                           world: WorldIndex) -> None:
    lazy = Gazetteer.load(world=WorldIndex(tmp_path))
    found = lazy.resolve("Kidal")  # the curated layer answers: the world is never opened
    assert found is not None and found.rule == GeoRule.CURATED
    assert list(tmp_path.iterdir()) == []
    world.candidates("Mogadishu")  # the module's index, built once for these tests
    assert index_path(world.cache_dir).exists()
    assert not list(world.cache_dir.glob("*.partial"))


def test_a_place_only_the_world_knows_resolves_with_its_region(gazetteer: Gazetteer) -> None:
    found = gazetteer.resolve("El Fasher")
    assert found is not None
    assert (found.place.country, found.place.admin1, found.rule) == (
        "Sudan", "Northern Darfur", GeoRule.ONLY)
    assert found.place.latitude == pytest.approx(13.63, abs=0.05)
    assert found.place.longitude == pytest.approx(25.35, abs=0.05)


def test_an_ambiguous_name_goes_by_the_article_country_then_by_population(
        gazetteer: Gazetteer) -> None:
    in_congo = gazetteer.resolve("Goma", "DRC")
    in_philippines = gazetteer.resolve("Goma", "Philippines")
    unknown_country = gazetteer.resolve("Goma")
    assert in_congo and in_philippines and unknown_country
    assert (in_congo.place.country, in_congo.rule) == (
        "Democratic Republic of the Congo", GeoRule.ARTICLE_COUNTRY)
    assert (in_philippines.place.country, in_philippines.rule) == (
        "Philippines", GeoRule.ARTICLE_COUNTRY)
    assert (unknown_country.place.country, unknown_country.rule) == (
        "Democratic Republic of the Congo", GeoRule.POPULATION)


def test_curated_entries_win_over_the_world(gazetteer: Gazetteer) -> None:
    found = gazetteer.resolve("Moura", "Mali")
    assert found is not None
    assert found.rule == GeoRule.CURATED
    assert (found.place.country, found.place.admin1) == ("Mali", "Mopti")
    # Without the curated entry, the only Mouras GeoNames lists are in Australia and Portugal.
    assert {p.country for p in gazetteer.world.candidates("Moura")} >= {"Australia", "Portugal"}


def test_regions_and_countries_by_their_usual_names(gazetteer: Gazetteer) -> None:
    north = gazetteer.resolve("North Darfur")
    assert north is not None and (north.place.kind, north.place.name) == (
        "region", "Northern Darfur")
    for name, country in [("DRC", "Democratic Republic of the Congo"), ("Burma", "Myanmar"),
                          ("Somalia", "Somalia")]:
        found = gazetteer.resolve(name)
        assert found is not None and found.place.kind == "country", name
        assert found.place.country == country


def test_places_found_in_text_skip_words_that_are_rarely_places(gazetteer: Gazetteer) -> None:
    text = ("On Monday the Rapid Support Forces attacked El Fasher and shelled Omdurman, "
            "Reuters said. Army officials in Kidal said nothing.")
    found = [place.name for place, _ in gazetteer.find_world(text)]
    assert found == ["El Fasher", "Omdurman"]  # Kidal is the curated layer's to find


def test_a_one_word_village_needs_a_word_of_place_before_it(gazetteer: Gazetteer) -> None:
    village = gazetteer.world.candidates("Xarardheere")
    assert village and village[0].population < 5000  # a Somali village GeoNames lists
    assert [p.name for p, _ in gazetteer.find_world("Xarardheere residents fled.")] == []
    assert [p.name for p, _ in gazetteer.find_world(
        "Al-Shabaab fighters attacked a base near Xarardheere.")] == ["Xarardheere"]
    assert [p.name for p, _ in gazetteer.find_world("Fighting reached Goma and Bunia.")] == [
        "Goma", "Bunia"]


def _incident(**fields: object) -> Incident:
    base: dict[str, object] = {
        "summary": "Fighters attacked a town.", "event_type": "battles",
        "sub_event_type": "armed_clash", "date_text": "on Monday",
        "date_start": date(2025, 3, 17), "date_end": date(2025, 3, 17),
        "geo_precision": "place", "evidence": []}
    base.update(fields)
    return Incident.model_validate(base)


def _geocoded(gazetteer: Gazetteer, *incidents: Incident) -> list[tuple[object, ...]]:
    article = Article(id="a", text="text", published=date(2025, 3, 18))
    processed = process(article, ExtractionResult(incidents=list(incidents), actors=[]),
                        ActorRegistry.load(), gazetteer)
    return [(i.gazetteer_name, i.geo_rule, i.geo_precision_code, i.country, i.admin1)
            for i in processed.incidents]


def test_an_unknown_place_gets_its_country_point_at_precision_three(
        gazetteer: Gazetteer) -> None:
    rows = _geocoded(gazetteer, _incident(place="Nowhere-in-particular", country="Sudan"))
    assert rows == [(None, "country only", 3, "Sudan", None)]


def test_a_place_that_is_a_region_is_not_precision_one(gazetteer: Gazetteer) -> None:
    rows = _geocoded(gazetteer, _incident(place="North Darfur", country="Sudan"))
    assert rows == [("Northern Darfur", "only candidate", 3, "Sudan", "Northern Darfur")]


def test_the_article_country_settles_an_incident_without_one(gazetteer: Gazetteer) -> None:
    rows = _geocoded(gazetteer, _incident(place="Beni", country="DRC"),
                     _incident(place="Goma", country=None))
    assert rows[1][:3] == ("Goma", "article country", 1)
    assert rows[1][3] == "Democratic Republic of the Congo"


def test_the_index_travels_to_worker_processes_without_its_connection(
        world: WorldIndex) -> None:
    world.candidates("Goma")
    copy = pickle.loads(pickle.dumps(world))
    assert copy.candidates("Bunia")[0].country == "Democratic Republic of the Congo"
    copy.close()


def test_an_unusable_cache_folder_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    index = WorldIndex(blocker)
    with pytest.raises(WorldIndexError, match="--cache-dir"):
        index.candidates("Goma")


def test_a_namesake_abroad_is_not_the_place(gazetteer: Gazetteer) -> None:
    # GeoNames lists Palma de Mallorca, not the small Mozambican town: with the story's country
    # known, the Spanish city is refused and the country's point stands in, at precision 3.
    assert gazetteer.resolve("Palma", "Mozambique") is None
    rows = _geocoded(gazetteer, _incident(place="Palma", country="Mozambique"))
    assert rows == [(None, "country only", 3, "Mozambique", None)]


def test_the_reference_places_are_mostly_within_25_km(gazetteer: Gazetteer) -> None:
    places = load_places(Path(__file__).resolve().parents[1] / "evals" / "geocoding"
                         / "places.csv")
    assert len(places) >= 40 and len({p.continent for p in places}) >= 4
    scores = score_places(places, gazetteer)
    assert share_right(scores) >= 0.9
    assert distance_km(13.63, 25.35, 13.63, 25.35) == 0
    assert distance_km(0.0, 0.0, 0.0, 1.0) == pytest.approx(111.19, abs=0.01)
