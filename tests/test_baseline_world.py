"""The baseline outside the Sahel: an article that names no curated place reads the world layer
of the gazetteer (GeoNames), with an honest precision; a Sahel article never does."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from extractor.baseline.backend import BaselineBackend
from extractor.resolve.gazetteer import Gazetteer
from extractor.resolve.registry import ActorRegistry
from extractor.resolve.world import WorldIndex
from extractor.schemas import Article, GeoPrecision


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BaselineBackend]:
    world = WorldIndex(tmp_path_factory.mktemp("cache"))
    yield BaselineBackend(ActorRegistry.load(), Gazetteer.load(world=world))
    world.close()


def extract(backend: BaselineBackend, text: str) -> list[tuple[str | None, str | None,
                                                                 GeoPrecision]]:
    article = Article(id="w", title=None, text=text, published=date(2026, 6, 15))
    return [(i.place, i.country, i.geo_precision)
            for i in backend.extract_sync(article).incidents]


def test_a_sudan_town_is_found_in_the_world_layer(backend: BaselineBackend) -> None:
    found = extract(backend, "The RSF shelled El Fasher in North Darfur on Saturday, killing "
                             "at least 14 civilians.")
    assert found == [("El Fasher", "Sudan", GeoPrecision.place)]


def test_a_region_or_a_country_alone_is_that_precise(backend: BaselineBackend) -> None:
    assert extract(backend, "Gunmen killed nine villagers in Cabo Delgado on Monday.") == [
        ("Cabo Delgado", "Mozambique", GeoPrecision.region)]
    assert extract(backend, "Gunmen killed nine villagers in Somalia on Monday.") == [
        (None, "Somalia", GeoPrecision.country)]


def test_words_of_an_actor_name_are_no_place(backend: BaselineBackend) -> None:
    found = extract(backend, "Islamic State Sahel Province fighters killed 12 soldiers on "
                             "Monday.")
    assert [place for place, _, _ in found] == [None]


def test_a_sahel_article_keeps_to_the_curated_places(backend: BaselineBackend) -> None:
    # 'Paris' is a world place; with Menaka named, the curated layer alone is read.
    found = extract(backend, "Gunmen attacked an army post in Menaka on Monday, killing four "
                             "soldiers. Officials in Paris condemned the attack.")
    assert found == [("Menaka", "Mali", GeoPrecision.place)]


def test_a_function_word_opening_a_sentence_is_no_place(backend: BaselineBackend) -> None:
    # GeoNames has towns named 'Les' (Albania) and 'Une' (Turkey).
    found = extract(backend, "Des rebelles ont tué 40 civils près de Beni. Les assaillants ont "
                             "incendié des maisons. Une dizaine de personnes ont été enlevées.")
    assert found == [("Beni", "Democratic Republic of the Congo", GeoPrecision.near_place)]
