"""Places and actors named in a text, found with the gazetteer and the actor registry.

The registry and the gazetteer find names in a normalised copy of the text; each name is then
located in the text as written (accents and case folded, same length), so that a mention keeps
its offsets and its surface form ('FAMa', 'Tin-Zaouatene') for roles, evidence and aliases.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

from extractor.baseline.french import FUNCTION_WORDS
from extractor.baseline.vocabulary import DATELINE_AFTER, IGNORE
from extractor.resolve.gazetteer import Gazetteer, Place
from extractor.resolve.names import name_key
from extractor.resolve.registry import ActorRegistry, RegistryActor

T = TypeVar("T")

# Matched right after a place name: 'passed through Mopti hospital' names no incident site.
NOT_A_SITE = re.compile(r"\W{0,2}(hospital|university)\b", IGNORE)
_QUOTES = re.compile(r"[\"\u201c\u201d\u2018*]|(?<!\w)\u2019")
_APOSTROPHES = "\u2019\u2018`\u02bc"


@dataclass
class Mention(Generic[T]):
    obj: T
    surface: str  # as written
    start: int
    end: int


def clean_surface(surface: str) -> str:
    """A name as written, without the quotation marks around or inside it."""
    return re.sub(r"\s+", " ", _QUOTES.sub("", surface)).strip()


class _FoldTable(dict[int, str]):
    """A ``str.translate`` table that folds each character the first time it is met."""

    def __missing__(self, code: int) -> str:
        base = "".join(c for c in unicodedata.normalize("NFKD", chr(code))
                       if not unicodedata.combining(c)) or " "
        base = base[0].lower()
        folded = "'" if base in _APOSTROPHES else base
        self[code] = folded
        return folded


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """Lower-case, accent-free text of exactly the same length (offsets stay valid)."""
    return text.translate(_FOLD)


@functools.lru_cache(maxsize=4096)
def _key_pattern(key: str) -> re.Pattern[str]:
    """A name key as it may be written: any separators between words, apostrophes inside."""
    tokens = ["'?".join(re.escape(c) for c in token) for token in key.split()]
    return re.compile(r"(?<![\w'])" + r"[\W_]+".join(tokens) + r"(?![\w])")


def _locate(folded: str, key: str, start: int) -> tuple[int, int] | None:
    match = _key_pattern(key).search(folded, start)
    return (match.start(), match.end()) if match else None


def _written_as_name(written: str, surface: str) -> bool:
    """'San', 'Ber', 'FAN' are names only when written as names (capitals, acronyms)."""
    if written[:1].isupper() and not surface[:1].isupper():
        return False
    return not (written.isupper() and len(written) <= 5 and not surface.isupper())


def _mentions(text: str, found: Iterable[tuple[T, str]],
              names_of: Callable[[T], tuple[str, ...]]) -> Iterator[Mention[T]]:
    folded, cursor = "", 0
    for obj, key in found:
        folded = folded or fold(text)  # only for texts that name something
        span = _locate(folded, key, cursor)
        if span is None:
            continue
        cursor = span[1]
        surface = text[span[0]:span[1]]
        written = next((n for n in names_of(obj) if name_key(n) == key), surface)
        if _written_as_name(written, surface):
            yield Mention(obj, surface, span[0], span[1])


def _place_names(place: Place) -> tuple[str, ...]:
    return (place.name, *place.aliases)


def _actor_names(actor: RegistryActor) -> tuple[str, ...]:
    return (actor.name, *actor.aliases)


class Names:
    """Finds the gazetteer's places and the registry's actors in sentences and articles."""

    def __init__(self, registry: ActorRegistry, gazetteer: Gazetteer):
        self.registry = registry
        self.gazetteer = gazetteer

    def names_curated_place(self, text: str) -> bool:
        """``text`` names a place of the curated gazetteer (one pass over the text)."""
        return any(True for _ in self._sites(text, self.gazetteer.find(text)))

    def _places(self, text: str, world: bool) -> Iterator[Mention[Place]]:
        if not world:
            yield from self._sites(text, self.gazetteer.find(text))
            return
        # An article that names no curated place is about somewhere else: the world layer's
        # (GeoNames) towns, regions and countries named by capitalised words ('El Fasher',
        # 'North Darfur'), except words inside an actor's name ('Islamic State Sahel
        # Province'), possessives, and a function word opening a sentence ('Les', 'Une': towns
        # in Albania and Turkey).
        actors = [(m.start, m.end) for m in self.actors(text)]
        for mention in self._sites(text, self.gazetteer.find_world(text)):
            if (mention.surface.endswith(("'s", "\u2019s"))
                    or mention.surface.lower() in FUNCTION_WORDS) or any(
                    start < mention.end and mention.start < end for start, end in actors):
                continue
            yield mention

    def _sites(self, text: str, found: Iterable[tuple[Place, str]]) -> Iterator[Mention[Place]]:
        leading_space = len(text) - len(text.lstrip())
        for mention in _mentions(text, found, _place_names):
            if NOT_A_SITE.match(text, mention.end):
                continue
            # A dateline ('BAMAKO, Oct 3 (AFP) -') names where the story was filed.
            if (mention.start <= leading_space and mention.surface.isupper()
                    and DATELINE_AFTER.match(text, mention.end) is not None):
                continue
            yield mention

    def places(self, text: str, world: bool = False) -> list[Mention[Place]]:
        """Curated places named in ``text``; with ``world``, the world layer's instead (for
        an article that names no curated place)."""
        return list(self._places(text, world))

    def first_country(self, text: str, world: bool = False) -> str | None:
        """The country of the first place named in ``text`` that has one."""
        return next((m.obj.country for m in self._places(text, world) if m.obj.country), None)

    def actors(self, text: str) -> list[Mention[RegistryActor]]:
        return list(_mentions(text, self.registry.find(text), _actor_names))
