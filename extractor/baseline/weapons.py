"""Weapons named in a sentence, with the words that qualify them ('PRB-M3 anti-tank mines')."""

from __future__ import annotations

import re

from extractor.baseline.vocabulary import IGNORE

WEAPON = re.compile(
    r"\b(explosives-laden vehicles?|anti-(?:tank|personnel) mines?|landmines?|mines|IEDs?|"
    r"improvised explosive devices?|explosive devices?|roadside bombs?|car bombs?|"
    r"suicide vests?|drones?|artillery(?: shells)?|mortar (?:rounds|shells|bombs)|mortars?|"
    r"rockets?|missiles?|grenades?|explosives(?!-)|"
    r"air ?strikes?|helicopters?|warplanes?)\b", IGNORE)
# A modifier has a letter in it: 'PRB-M3-A1', 'Belgian-made', 'remotely'; never '3' or '-'.
WEAPON_MODIFIER = re.compile(r"^(?:(?=[\w.-]*[A-Za-z])[\w.]*[\d-][\w.-]*|[A-Z][\w-]*|remotely|"
                             r"detonated|improvised|"
                             r"explosive|homemade|armed|suicide|kamikaze|heavy|anti-tank)$")
# Capitalised words that open a sentence or a phrase, not a weapon's make.
STOP_CAPS = {"The", "A", "An", "On", "In", "At", "And", "With", "Using", "By", "Of", "Their",
             "Several", "Some", "Many", "Few", "Two", "Three", "Four", "Five", "Dozens", "Other"}
MAX_MODIFIERS = 3


def _words_before(text: str, end: int, count: int) -> list[str]:
    """The last ``count`` whitespace-separated words of ``text[:end]``, read backwards."""
    words: list[str] = []
    position = end
    while len(words) < count:
        while position > 0 and text[position - 1].isspace():
            position -= 1
        if position == 0:
            break
        start = position
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        words.insert(0, text[start:position])
        position = start
    return words


def _modifiers(sentence: str, end: int) -> list[str]:
    """Up to three qualifying words right before a weapon."""
    words = _words_before(sentence, end, MAX_MODIFIERS)
    taken: list[str] = []
    while (words and len(taken) < MAX_MODIFIERS and WEAPON_MODIFIER.match(words[-1])
           and words[-1] not in STOP_CAPS):
        taken.insert(0, words.pop())
    return taken


def find_weapons(sentence: str) -> list[str]:
    return [" ".join([*_modifiers(sentence, m.start()), m.group(0)])
            for m in WEAPON.finditer(sentence)]
