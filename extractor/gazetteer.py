"""The gazetteer: named places of the Sahel with region, country and coordinates.

A CSV shipped with the project (``extractor/data/gazetteer.csv``) that a user can extend or
replace (``--gazetteer``). Columns: name, aliases (separated by ``|``), kind (``place``,
``region`` or ``country``), admin1, country, latitude, longitude.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from extractor.names import name_key

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
    return Path(str(resources.files("extractor").joinpath("data/gazetteer.csv")))


def _optional_float(value: str, where: str) -> float | None:
    value = value.strip()
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
        self._by_key: dict[str, Place] = {}
        for place in places:
            for name in (place.name, *place.aliases):
                # First entry wins: a town named like its region resolves to the town.
                self._by_key.setdefault(name_key(name), place)
        names = sorted(self._by_key, key=len, reverse=True)
        self._pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")\b") \
            if names else None

    @classmethod
    def load(cls, path: Path | None = None) -> Gazetteer:
        path = path or default_path()
        try:
            with open(path, newline="", encoding="utf-8") as handle:
                rows = list(csv.DictReader(handle))
        except (OSError, UnicodeDecodeError) as error:
            raise GazetteerError(f"{path}: cannot read gazetteer: {error}") from error
        places = []
        for line, row in enumerate(rows, start=2):
            where = f"{path}:{line}"
            missing = [c for c in COLUMNS if c not in row]
            if missing:
                raise GazetteerError(f"{where}: missing column(s) {', '.join(missing)}")
            name = (row["name"] or "").strip()
            kind = (row["kind"] or "place").strip()
            if not name:
                raise GazetteerError(f"{where}: empty name")
            if kind not in KINDS:
                raise GazetteerError(f"{where}: kind '{kind}' is not one of {', '.join(KINDS)}")
            places.append(
                Place(
                    name=name,
                    kind=kind,
                    admin1=(row["admin1"] or "").strip() or None,
                    country=(row["country"] or "").strip() or None,
                    latitude=_optional_float(row["latitude"] or "", where),
                    longitude=_optional_float(row["longitude"] or "", where),
                    aliases=tuple(a.strip() for a in (row["aliases"] or "").split("|")
                                  if a.strip()),
                )
            )
        return cls(places)

    def lookup(self, name: str | None) -> Place | None:
        if not name:
            return None
        return self._by_key.get(name_key(name))

    def find(self, text: str) -> Iterator[tuple[Place, str]]:
        """Places named in ``text``, in order, with the words as matched (normalised)."""
        if self._pattern is None:
            return
        for match in self._pattern.finditer(name_key(text)):
            yield self._by_key[match.group(1)], match.group(1)
