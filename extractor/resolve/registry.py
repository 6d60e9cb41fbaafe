"""The actor registry: canonical actors with their aliases, type, country and affiliation.

A CSV shipped with the project (``extractor/resolve/actors.csv``) that a user can extend or
replace (``--registry``). Columns: name, aliases (separated by ``|``), actor_type, country,
affiliation. It maps every name and alias to one canonical actor, across articles.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from extractor.resolve.names import NameIndex, read_csv_rows, slug, split_aliases
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
    return Path(str(resources.files("extractor.resolve").joinpath("actors.csv")))


class ActorRegistry:
    """Resolve actor names and aliases to canonical actors; find them in text."""

    def __init__(self, actors: list[RegistryActor]):
        self.actors = actors
        self._index = NameIndex((actor, (actor.name, *actor.aliases)) for actor in actors)

    @classmethod
    def load(cls, path: Path | None = None) -> ActorRegistry:
        path = path or default_path()
        actors = []
        for where, row in read_csv_rows(path, COLUMNS, RegistryError, "actor registry"):
            if not row["name"]:
                raise RegistryError(f"{where}: empty name")
            try:
                actor_type = ActorType(row["actor_type"])
            except ValueError:
                raise RegistryError(
                    f"{where}: actor_type '{row['actor_type']}' is not one of "
                    f"{', '.join(t.value for t in ActorType)}"
                ) from None
            actors.append(RegistryActor(
                name=row["name"], actor_type=actor_type, country=row["country"] or None,
                affiliation=row["affiliation"] or None, aliases=split_aliases(row["aliases"]),
            ))
        return cls(actors)

    def resolve(self, name: str | None) -> RegistryActor | None:
        return self._index.get(name)

    def find(self, text: str) -> Iterator[tuple[RegistryActor, str]]:
        """Registry actors named in ``text``, in order, with the words as matched (normalised)."""
        return self._index.find(text)
