"""French: whether an article is written in it, and the words the rules read in French text.

A data table, like ``vocabulary``: ``dates``, ``numbers`` and ``casualties`` take their French
patterns from here when ``is_french`` says the article is French. Vague words take ACLED's
conservative numbers, as in English: "une dizaine" = 10, "des dizaines" / "plusieurs dizaines"
= 12 or more, "quelques" / "plusieurs" = 3 or more, "des centaines" = 100 or more.
"""

from __future__ import annotations

import re

from text_to_num import text2num

IGNORE = re.IGNORECASE

# Short function words of each language: an article is French when its French ones outnumber
# its English ones. Counted over the first words only, so the test costs little on any length.
_FRENCH_WORDS = frozenset({
    "le", "la", "les", "des", "du", "un", "une", "et", "est", "sont", "ont", "dans", "pour",
    "par", "sur", "avec", "selon", "ce", "cette", "qui", "que", "au", "aux", "été", "leur",
    "ils", "elle"})
_ENGLISH_WORDS = frozenset({
    "the", "of", "and", "to", "in", "is", "are", "was", "were", "a", "an", "on", "for", "by",
    "with", "that", "this", "from", "at", "has", "have", "said", "they", "it"})
# Words that are never a place in running text, whatever GeoNames holds under the name.
FUNCTION_WORDS = _FRENCH_WORDS | _ENGLISH_WORDS | frozenset({
    "il", "elle", "on", "nous", "vous", "ces", "ses", "son", "sa", "mais", "ou", "donc", "or",
    "ni", "car", "si", "lors", "après", "avant", "depuis", "plus", "tous", "toutes"})
_WORD = re.compile(r"[^\W\d_]+")
SAMPLE_WORDS = 400


def is_french(text: str) -> bool:
    """More French function words than English ones among the text's first words."""
    french = english = 0
    for index, match in enumerate(_WORD.finditer(text)):
        if index >= SAMPLE_WORDS:
            break
        word = match.group(0).lower()
        french += word in _FRENCH_WORDS
        english += word in _ENGLISH_WORDS
    return french > english


_ELISION = re.compile(r"(?<![\w'\u2019])(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu)(['\u2019])(?=\w)",
                      IGNORE)


def unelide(text: str) -> str:
    """The text with the apostrophe of an elision made a space ("d'Arbinda", "l'armée" read as
    "d Arbinda", "l armée"), so that names are found after it; same length, offsets hold."""
    return _ELISION.sub(lambda m: m.group(0)[:-1] + " ", text)


MONTHS = {"janvier": 1, "fevrier": 2, "février": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
          "juillet": 7, "aout": 8, "août": 8, "septembre": 9, "octobre": 10, "novembre": 11,
          "decembre": 12, "décembre": 12}
WEEKDAYS = {"lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5,
            "dimanche": 6}
# Parts of a month, as the English rules name them.
PARTS = {"début": "early", "debut": "early", "mi": "mid", "fin": "late"}

# Number words (un/une are left out of figures: 'un poste' is no toll).
UNITS = {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
         "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14,
         "quinze": 15, "seize": 16}
TENS = {"vingt": 20, "vingts": 20, "trente": 30, "quarante": 40, "cinquante": 50,
        "soixante": 60}
VAGUE = {
    "plusieurs dizaines": (12, None), "des dizaines": (12, None), "dizaines": (12, None),
    "plusieurs centaines": (100, None), "des centaines": (100, None),
    "des milliers": (1000, None), "plusieurs": (3, None), "quelques": (3, None),
    "une dizaine": (10, 10), "une douzaine": (12, 12), "une quinzaine": (15, 15),
    "une vingtaine": (20, 20), "une trentaine": (30, 30), "une quarantaine": (40, 40),
    "une cinquantaine": (50, 50), "une soixantaine": (60, 60), "une centaine": (100, 100),
    "un millier": (1000, 1000),
}
APPROX = ("environ", "près de", "pres de", "quelque", "autour de", "presque")
AT_LEAST = ("au moins", "au minimum", "pas moins de")
MORE_THAN = ("plus de", "plus d'une", "au-delà de")
UP_TO = ("jusqu'à", "jusqu\u2019à", "au plus")
FEWER_THAN = ("moins de",)

_NUMBER_WORDS = sorted([*(k for k in UNITS if k not in ("un", "une")), *TENS, "cent", "cents",
                        "mille", "dix-sept", "dix-huit", "dix-neuf"], key=len, reverse=True)
_WORD_NUMBER = (r"(?:(?:" + "|".join(_NUMBER_WORDS) + r")(?:[\s-](?:et[\s-])?(?:"
                + "|".join(sorted(UNITS.keys() | TENS.keys() | {"cent", "cents", "mille"},
                                  key=len, reverse=True)) + r")){0,4})")
_DIGITS = r"\d{1,3}(?:[\s.\u202f]\d{3})+(?!\d)|\d+"
_BASE = rf"(?:{_DIGITS}|{_WORD_NUMBER})"
_MODIFIER = "|".join(re.escape(m) for m in sorted(
    (*APPROX, *AT_LEAST, *MORE_THAN, *UP_TO, *FEWER_THAN), key=len, reverse=True))
_VAGUE = "|".join(re.escape(v) for v in sorted(VAGUE, key=len, reverse=True))

FIGURE = re.compile(
    rf"\bentre\s+(?P<low>{_BASE})\s+et\s+(?P<high>{_BASE})\b"
    rf"|\b(?P<range_low>\d+)\s*(?:-|\u2013|à)\s*(?P<range_high>\d+)\b"
    rf"|(?<![\w'])(?:(?P<modifier>{_MODIFIER})\s+)?(?P<base>{_BASE})\b"
    rf"|\b(?P<vague>{_VAGUE})(?=\W|$)",
    IGNORE,
)


def word_value(text: str) -> int | None:
    """The value of French digits or number words: 'quinze' 15, 'quatre-vingt-dix' 90,
    '1 200' 1200 (number words by text2num)."""
    words = re.sub(r"\s+", " ", text.strip().lower())
    if re.fullmatch(r"\d{1,3}(?:[ .\u202f]\d{3})+|\d+", words):
        return int(re.sub(r"\D", "", words))
    try:
        value = text2num(words, "fr")
    except ValueError:  # words text2num does not read as one number
        return None
    return value or None


# Casualty words before a figure ('tuant 12', 'coûté la vie à 12') and after it
# ('12 soldats ont été tués').
KIND_BEFORE = re.compile(
    r"(?P<kind>tuant|tué|neutralis(?:ant|é)|bless(?:ant|é)|enlev(?:ant|é)|kidnapp(?:ant|é)|"
    r"la vie à|la mort de|"
    r"bilan (?:(?:est|s'élève|s'est alourdi|s\u2019élève|s\u2019est alourdi|provisoire|"
    r"officiel) )*(?:à |de )?)\s*[\"\u201c\u00ab]?\s*$", IGNORE)
KIND_AFTER = re.compile(
    r"^(?P<victims>(?:[\w'\u2019\-\"\u00ab\u00bb]+\s+){0,10}?)(?:(?:ont été|a été|sont|ont|"
    r"étaient|auraient été|avaient été|sont morts|ont péri)\s+)?(?:(?:également|aussi)\s+)?"
    r"(?P<kind>tu(?:é|e)s?|mort(?:e|s|es)?|décédé(?:e|s|es)?|péri|exécuté(?:e|s|es)?|"
    r"massacré(?:e|s|es)?|neutralisé(?:e|s|es)?|bless(?:é|e)(?:e|s|es)?|enlev(?:é|e)(?:e|s|es)?|"
    r"kidnapp(?:é|e)(?:e|s|es)?|captur(?:é|e)(?:e|s|es)?|pris en otage|otages|"
    r"faits? prisonniers?|portés? disparus?|disparus?|victimes)(?!\w)", IGNORE)


def kind_of(word: str) -> str:
    """The casualty kind of a French casualty word."""
    word = word.lower()
    for prefixes, kind in (
            (("bless",), "wounded"),
            (("enlev", "kidnap", "captur", "pris en", "otage", "fait"), "captured"),
            (("port", "disp"), "missing"), (("victim",), "casualties")):
        if word.startswith(prefixes):
            return kind
    return "killed"


# After a figure: a figure of something other than people.
NOT_PEOPLE = re.compile(
    r"\s*(?:km|kilomètres?|kg|%|pour\s?cent|ans|années?|mois|semaines?|jours?|heures?|h\b|"
    r"minutes?|fois|véhicules?|camions?|motos?|armes?|fusils?)\b", IGNORE)
# Where the words about whose casualties a figure counts end.
VICTIMS_END = re.compile(r"\b(?:à|près|dans|lors|pendant|par|au|en|sur|selon|quand|après)\b",
                         IGNORE)
PASSIVE = re.compile(r"\b(?:été|sont|étaient)\b", IGNORE)


# Sources the summary names in English ('20 killed per local sources').
SOURCES_IN_ENGLISH = {
    "sources sécuritaires": "security sources", "source sécuritaire": "a security source",
    "sources locales": "local sources", "source locale": "a local source",
    "sources médicales": "medical sources", "source médicale": "a medical source",
    "habitants": "residents", "témoins": "witnesses",
}


def source_in_english(source: str) -> str:
    """A source for the English summary: a generic French one in English, a name as it is."""
    return SOURCES_IN_ENGLISH.get(source.lower(), source)
