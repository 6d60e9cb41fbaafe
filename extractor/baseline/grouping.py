"""Sentences grouped into incidents: a violent sentence continues the incident it refers to
(same place, compatible dates, 'the attack') or opens a new one; a sentence right after that
points back to it ('the group later claimed it') adds to it."""

from __future__ import annotations

import functools
import re

from extractor.baseline.casualties import add_claims
from extractor.baseline.dates import DateMatch
from extractor.baseline.drafts import Draft, add_once
from extractor.baseline.mentions import Mention, clean_surface
from extractor.baseline.reading import Reading
from extractor.baseline.roles import assign_claimant, assign_roles
from extractor.baseline.sentences import Sentence, split_sentences
from extractor.baseline.sources import find_sources
from extractor.baseline.violence import is_violent, opens_incident
from extractor.baseline.vocabulary import ANAPHORA, BACKGROUND_CUE, IGNORE, MODAL, NEW_CUE
from extractor.baseline.weapons import find_weapons
from extractor.resolve.gazetteer import Place
from extractor.resolve.registry import RegistryActor

# Just before a place: the incident happened near it, not in it.
NEAR = re.compile(
    r"\b(near|outside|close to|on the (?:road|route|axis)\s+(?:to|from|between)|"
    r"(?:north|south|east|west|northeast|northwest|southeast|southwest|north-east|north-west|"
    r"south-east|south-west)\w*\s+of|km\s+(?:from|of)|kilomet\w+\s+(?:from|of)|miles\s+"
    r"(?:from|of)|in the vicinity of|on the outskirts of|around|près de|aux environs de|"
    r"non loin de|à la sortie de)\s+(?:the\s+)?(?:[\w-]+\s+)?"
    r"(?:(?:town|village|city|commune|locality|area)\s+of\s+)?$"
    r"|\b(?:près|non loin|aux environs|à la sortie) d['\u2019]$", IGNORE)
# A speaker whose name holds an actor's ('the Telegram channel Wagner Orchestra').
MEDIA_SPEAKER = re.compile(r"channel|orchestra|report|newspaper|media|outlet", IGNORE)
FOLLOWS_WITHIN = 2  # sentences after the current incident that may still continue it
POINTS_BACK_WITHIN = 1  # sentences after it that may add to it by pointing back


def _compatible(draft: Draft, specific: list[Place], places: list[Mention[Place]],
                found_dates: list[DateMatch]) -> bool:
    """Same town (if both name one), same countries, overlapping dates."""
    if specific and draft.first_town and specific[0].name != draft.first_town.name:
        return False
    countries = {m.obj.country for m in places if m.obj.country}
    if countries and any(p.country and p.country not in countries for p, _, _ in draft.places):
        return False
    mine = draft.first_resolved
    new = next((d for d in found_dates if d.resolved), None)
    if mine is None or new is None:
        return True
    if mine.start is None or mine.end is None or new.start is None or new.end is None:
        return True
    return not (new.end < mine.start or new.start > mine.end)


def _continued(reading: Reading, body: str, index: int, current: Draft | None) -> Draft | None:
    """The incident this violent sentence continues, or None to start a new one."""
    places = reading.places(body)
    specific = [m.obj for m in places if m.obj.kind == "place"]
    if NEW_CUE.search(body[:80]):
        return None
    if BACKGROUND_CUE.search(body[:40]) and not ANAPHORA.search(body):
        # A recalled event joins only an earlier recalled event at the same place.
        return reading.drafts.latest_background_at(specific[0].name) if specific else None
    if current is not None and ANAPHORA.search(body):
        return current
    found_dates = reading.dates(body)
    if (current is not None and index - current.last_index <= FOLLOWS_WITHIN
            and _compatible(current, specific, places, found_dates)):
        return current
    if not specific:
        return None
    return reading.drafts.latest_at_town(
        specific[0].name, next((d for d in found_dates if d.resolved), None),
        lambda draft: _compatible(draft, specific, places, found_dates))


def _actors(reading: Reading, draft: Draft, body: str, subject: str | None
            ) -> tuple[list[Mention[RegistryActor]], RegistryActor | None]:
    """The sentence's actors outside the speaker, and the actor that is the speaker."""
    every = reading.actors(body)
    position = body.find(subject) if subject else -1
    end = position + len(subject) if subject else -1
    in_subject = [m for m in every if 0 <= position <= m.start < end]
    speaker = None
    if subject and MEDIA_SPEAKER.search(subject):
        # An actor named inside a source's name is not in the incident.
        every = [m for m in every if m not in in_subject]
    elif in_subject:
        speaker = in_subject[0].obj
    for m in every:
        add_once(draft.surfaces.setdefault(m.obj.name, []), clean_surface(m.surface))
    return [m for m in every if m not in in_subject], speaker


def _absorb(reading: Reading, draft: Draft, sentence: Sentence, violent: bool) -> None:
    body = sentence.norm
    draft.sentences.append(sentence)
    sources, subject = reading.once(find_sources, body)
    for cited in sources:
        add_once(draft.sources, cited)
    mentions, speaker = _actors(reading, draft, body, subject)
    for m in reading.places(body):
        near = NEAR.search(body[max(0, m.start - 70):m.start]) is not None
        reading.drafts.add_place(draft, (m.obj, m.surface, near))
    found_dates = reading.dates(body)
    if found_dates:
        reading.drafts.add_date(draft, found_dates[0])
    for weapon in reading.once(find_weapons, body):
        add_once(draft.weapons, weapon)
    # The speaker is weighed as a claimant, not by the verb.
    assign_roles(draft, body, mentions, violent)
    raw = reading.claims(body)
    claimant = assign_claimant(draft, body, speaker, raw)
    source: str | None
    if claimant:
        source = min(draft.surfaces.get(claimant.name, [claimant.name]), key=len)
    else:
        source = sources[0] if sources else None
    add_claims(reading.actors, draft, body, raw, source)


def _points_back(body: str, sentence: Sentence, current: Draft | None) -> bool:
    return (current is not None and sentence.index - current.last_index <= POINTS_BACK_WITHIN
            and ANAPHORA.search(body) is not None and not MODAL.search(body))


def read_drafts(reading: Reading, text: str) -> list[Draft]:
    """The article's incidents as drafts, in the order they were opened."""
    current: Draft | None = None
    violent = functools.partial(is_violent, reading)
    for sentence in split_sentences(text):
        body = sentence.norm
        if reading.once(violent, body):
            target = _continued(reading, body, sentence.index, current)
            if target is None:
                if not opens_incident(reading, body):
                    continue
                target = reading.drafts.open(bool(BACKGROUND_CUE.search(body)))
            _absorb(reading, target, sentence, violent=True)
            current = target
        elif current is not None and _points_back(body, sentence, current):
            _absorb(reading, current, sentence, violent=False)
    return reading.drafts.all
