"""The actor registry: canonical actors with their aliases, type, country and affiliation.

A CSV shipped with the project (``extractor/data/actors.csv``) that a user can extend or
replace (``--registry``). Columns: name, aliases (separated by ``|``), actor_type, country,
affiliation. It maps every name and alias to one canonical actor, across articles.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from extractor.names import name_key, slug
from extractor.schemas import ActorType

COLUMNS = ("name", "aliases", "actor_type", "country", "affiliation")


class RegistryError(Exception):
    """The registry file cannot be read; the message names the file and line."""


@dataclass(frozen=True)
class RegistryActor:
    name: str
    actor_type: ActorType
    country: str | None
    affiliation: str | None
    aliases: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return slug(self.name)


def default_path() -> Path:
    return Path(str(resources.files("extractor").joinpath("data/actors.csv")))


class ActorRegistry:
    """Resolve actor names and aliases to canonical actors; find them in text."""

    def __init__(self, actors: list[RegistryActor]):
        self.actors = actors
        self._by_key: dict[str, RegistryActor] = {}
        for actor in actors:
            for name in (actor.name, *actor.aliases):
                self._by_key.setdefault(name_key(name), actor)
        names = sorted(self._by_key, key=len, reverse=True)
        self._pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")\b") \
            if names else None

    @classmethod
    def load(cls, path: Path | None = None) -> ActorRegistry:
        path = path or default_path()
        try:
            with open(path, newline="", encoding="utf-8") as handle:
                rows = list(csv.DictReader(handle))
        except (OSError, UnicodeDecodeError) as error:
            raise RegistryError(f"{path}: cannot read actor registry: {error}") from error
        actors = []
        for line, row in enumerate(rows, start=2):
            where = f"{path}:{line}"
            missing = [c for c in COLUMNS if c not in row]
            if missing:
                raise RegistryError(f"{where}: missing column(s) {', '.join(missing)}")
            name = (row["name"] or "").strip()
            if not name:
                raise RegistryError(f"{where}: empty name")
            try:
                actor_type = ActorType((row["actor_type"] or "").strip())
            except ValueError:
                raise RegistryError(
                    f"{where}: actor_type '{row['actor_type']}' is not one of "
                    f"{', '.join(t.value for t in ActorType)}"
                ) from None
            actors.append(
                RegistryActor(
                    name=name,
                    actor_type=actor_type,
                    country=(row["country"] or "").strip() or None,
                    affiliation=(row["affiliation"] or "").strip() or None,
                    aliases=tuple(a.strip() for a in (row["aliases"] or "").split("|")
                                  if a.strip()),
                )
            )
        return cls(actors)

    def resolve(self, name: str | None) -> RegistryActor | None:
        if not name:
            return None
        return self._by_key.get(name_key(name))

    def find(self, text: str) -> Iterator[tuple[RegistryActor, str]]:
        """Registry actors named in ``text``, in order, with the words as matched (normalised)."""
        if self._pattern is None:
            return
        for match in self._pattern.finditer(name_key(text)):
            yield self._by_key[match.group(1)], match.group(1)
