"""The gazetteer: named places of the Sahel with region, country and coordinates.

A CSV shipped with the project (``extractor/resolve/gazetteer.csv``) that a user can extend or
replace (``--gazetteer``). Columns: name, aliases (separated by ``|``), kind (``place``,
``region`` or ``country``), admin1, country, latitude, longitude.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from extractor.resolve.names import NameIndex, read_csv_rows, split_aliases

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

    def __init__(self, places: list[Place]):
        self.places = places
        # First entry wins: a town named like its region resolves to the town.
        self._index = NameIndex((place, (place.name, *place.aliases)) for place in places)

    @classmethod
    def load(cls, path: Path | None = None) -> Gazetteer:
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
        return cls(places)

    def lookup(self, name: str | None) -> Place | None:
        return self._index.get(name)

    def find(self, text: str) -> Iterator[tuple[Place, str]]:
        """Places named in ``text``, in order, with the words as matched (normalised)."""
        return self._index.find(text)
