"""How well the gazetteer places what the news names: the share resolved within 25 km.

The reference set (``evals/geocoding/places.csv``) gives each place as a story writes it, the
country the story gives (or none), and coordinates written by hand. A place counts as right
when the gazetteer resolves it (curated layer, then world layer, by the same rules as the
pipeline) to a point within :data:`TOLERANCE_KM` of the reference.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

from extractor.resolve.gazetteer import Gazetteer

TOLERANCE_KM = 25.0
EARTH_RADIUS_KM = 6371.0


class GeocodingSetError(Exception):
    """The reference file cannot be read; the message names the file and line."""


@dataclass(frozen=True)
class ReferencePlace:
    name: str
    country: str | None
    latitude: float
    longitude: float
    continent: str


@dataclass(frozen=True)
class PlaceScore:
    place: ReferencePlace
    resolved_to: str | None
    rule: str | None
    distance_km: float | None

    @property
    def right(self) -> bool:
        return self.distance_km is not None and self.distance_km <= TOLERANCE_KM


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = math.radians(lat2 - lat1), math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def load_places(path: Path) -> list[ReferencePlace]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise GeocodingSetError(f"{path}: cannot read: {error.strerror or error}") from error
    numbered = [(n, line) for n, line in enumerate(lines, start=1) if not line.startswith("#")]
    reader = csv.DictReader(line for _, line in numbered)
    places = []
    for (number, _), row in zip(numbered[1:], reader, strict=True):
        try:
            places.append(ReferencePlace(
                name=row["name"], country=row["country"] or None,
                latitude=float(row["latitude"]), longitude=float(row["longitude"]),
                continent=row["continent"]))
        except (KeyError, TypeError, ValueError) as error:
            raise GeocodingSetError(f"{path}:{number}: bad row: {error}") from error
    return places


def score_places(places: list[ReferencePlace], gazetteer: Gazetteer) -> list[PlaceScore]:
    scores = []
    for place in places:
        found = gazetteer.resolve(place.name, place.country)
        point = found.place if found else None
        if point is None or point.latitude is None or point.longitude is None:
            scores.append(PlaceScore(place, None, None, None))
            continue
        scores.append(PlaceScore(
            place, f"{point.name}, {point.country}", found.rule.value if found else None,
            distance_km(place.latitude, place.longitude, point.latitude, point.longitude)))
    return scores


def share_right(scores: list[PlaceScore]) -> float:
    return sum(score.right for score in scores) / len(scores) if scores else 0.0
