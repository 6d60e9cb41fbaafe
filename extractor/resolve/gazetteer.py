"""The gazetteer: place names to region, country and coordinates, in two layers.

1. The curated layer: a CSV shipped with the project (``extractor/resolve/gazetteer.csv``)
   that a user can extend or replace (``--gazetteer``). Columns: name, aliases (separated by
   ``|``), kind (``place``, ``region`` or ``country``), admin1, country, latitude, longitude.
   It holds the places of the central Sahel checked by hand, spelled as the news spells them.
2. The world layer (:mod:`extractor.resolve.world`): GeoNames' populated places and countries.

A curated entry always wins. A name only the world layer knows may name several places
('Goma' is in Congo and in the Philippines): the one in the article's country wins, then the
most populous, and :class:`GeoRule` records which rule decided.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from pathlib import Path

from extractor.resolve.names import NameIndex, name_key, read_csv_rows, split_aliases
from extractor.resolve.world import WorldIndex, WorldPlace

COLUMNS = ("name", "aliases", "kind", "admin1", "country", "latitude", "longitude")
KINDS = ("place", "region", "country")


class GazetteerError(Exception):
    """The gazetteer file cannot be read; the message names the file and line."""


@dataclass(frozen=True)
class Place:
    name: str
    kind: str
    admin1: str | None
    country: str | None
    latitude: float | None
    longitude: float | None
    aliases: tuple[str, ...] = ()
    population: int | None = None  # world layer only


class GeoRule(StrEnum):
    """Which rule chose the place a name resolved to (``incidents.geo_rule``)."""

    CURATED = "curated"  # the curated gazetteer knows the name
    ONLY = "only candidate"  # one place in the world layer has the name
    ARTICLE_COUNTRY = "article country"  # several do; one is in the incident's country
    POPULATION = "population"  # several do, none in that country: the most populous
    REGION_ONLY = "region only"  # the place is unknown: its region's point, precision 3
    COUNTRY_ONLY = "country only"  # the place is unknown: the country's point, precision 3


@dataclass(frozen=True)
class Resolution:
    place: Place
    rule: GeoRule


def _from_world(place: WorldPlace) -> Place:
    return Place(name=place.name, kind=place.kind, admin1=place.admin1, country=place.country,
                 latitude=place.latitude, longitude=place.longitude,
                 population=place.population)


# Capitalised word runs that may name a place: 'El Fasher', 'Beni', 'Cabo Delgado'.
_PROPER = re.compile(
    r"\b[A-Z][\w'\u2019-]+(?:\s+(?:(?:el|al|de|du|des|la|le|es|en|di|do|da)\s+)?"
    r"[A-Z][\w'\u2019-]+){0,3}")


def _not_places() -> frozenset[str]:
    """Capitalised words that are not places however many towns bear them (not_places.txt)."""
    text = resources.files("extractor.resolve").joinpath("not_places.txt").read_text("utf-8")
    return frozenset(name_key(line) for line in text.splitlines()
                     if line.strip() and not line.startswith("#"))


_NOT_PLACES = _not_places()
# A one-word name in running text must be a town at least this big, unless a word of place
# comes just before it ('near Xarardheere').
WORLD_MIN_POPULATION = 5000
_LOCATIVE = re.compile(
    r"\b(?:in|near|at|outside|around|from|to|into|towards|of|between|and|à|près|de|dans)\s+$",
    re.IGNORECASE)


def default_path() -> Path:
    return Path(str(resources.files("extractor.resolve").joinpath("gazetteer.csv")))


def _optional_float(value: str, where: str) -> float | None:
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        raise GazetteerError(f"{where}: '{value}' is not a number") from None


class Gazetteer:
    """Look up places by name or alias; find place names in text."""

    def __init__(self, places: list[Place], world: WorldIndex | None = None):
        self.places = places
        self.world = world
        # First entry wins: a town named like its region resolves to the town.
        self._index = NameIndex((place, (place.name, *place.aliases)) for place in places)

    @classmethod
    def load(cls, path: Path | None = None, world: WorldIndex | None = None) -> Gazetteer:
        path = path or default_path()
        places = []
        for where, row in read_csv_rows(path, COLUMNS, GazetteerError, "gazetteer"):
            kind = row["kind"] or "place"
            if not row["name"]:
                raise GazetteerError(f"{where}: empty name")
            if kind not in KINDS:
                raise GazetteerError(f"{where}: kind '{kind}' is not one of {', '.join(KINDS)}")
            places.append(Place(
                name=row["name"], kind=kind, admin1=row["admin1"] or None,
                country=row["country"] or None,
                latitude=_optional_float(row["latitude"], where),
                longitude=_optional_float(row["longitude"], where),
                aliases=split_aliases(row["aliases"]),
            ))
        return cls(places, world)

    def lookup(self, name: str | None, country: str | None = None) -> Place | None:
        resolution = self.resolve(name, country)
        return resolution.place if resolution else None

    def resolve(self, name: str | None, country: str | None = None) -> Resolution | None:
        """The place ``name`` means, in an incident whose country is ``country`` if known."""
        curated = self._index.get(name)
        if curated is not None:
            return Resolution(curated, GeoRule.CURATED)
        if self.world is None or not name:
            return None
        candidates = self.world.candidates(name)
        if not candidates:
            return None
        code = self.world.country_code(country) if country else None
        if code:
            local = [c for c in candidates if c.country_code == code]
            if not local:
                # A namesake abroad is not the place: the caller falls back to the country.
                return None
            if len(local) < len(candidates):
                return Resolution(_from_world(local[0]), GeoRule.ARTICLE_COUNTRY)
        if len(candidates) == 1:
            return Resolution(_from_world(candidates[0]), GeoRule.ONLY)
        return Resolution(_from_world(candidates[0]), GeoRule.POPULATION)

    def find(self, text: str) -> Iterator[tuple[Place, str]]:
        """Curated places named in ``text``, in order, with the words as matched (normalised)."""
        return self._index.find(text)

    def find_world(self, text: str, country: str | None = None) -> Iterator[tuple[Place, str]]:
        """Places only the world layer knows, named in ``text`` by capitalised words.

        A run of capitalised words ('El Fasher') is looked up whole, then by its last words. A
        single word must name a town of at least WORLD_MIN_POPULATION people unless a word of
        place comes before it ('near Xarardheere'); words that are rarely places (days, titles,
        'Army': not_places.txt) are skipped. Curated names are left to :meth:`find`.
        """
        if self.world is None:
            return
        for match in _PROPER.finditer(text):
            words = match.group(0).split()
            for start in range(len(words)):
                phrase = " ".join(words[start:])
                key = name_key(phrase)
                if key in _NOT_PLACES or self._index.get(phrase) is not None:
                    continue
                resolution = self.resolve(phrase, country)
                if resolution is None:
                    continue
                place = resolution.place
                if (len(words) - start == 1 and place.kind == "place"
                        and (place.population or 0) < WORLD_MIN_POPULATION
                        and not (start == 0 and _LOCATIVE.search(text, 0, match.start()))):
                    continue
                yield place, key
                break
