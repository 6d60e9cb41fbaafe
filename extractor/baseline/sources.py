"""Who a sentence says the information comes from: outlets, officials, witnesses, and the
speaker of 'X said' (who may turn out to be the claimant)."""

from __future__ import annotations

import re

from extractor.baseline.drafts import add_once
from extractor.baseline.vocabulary import IGNORE

ATTRIBUTION = re.compile(r"\b(said|says|told|reported|confirmed|claimed|stated|added|announced|"
                         r"according to|report|selon|a indiqué|ont indiqué|a déclaré|"
                         r"ont déclaré|a affirmé|ont rapporté|a rapporté|a annoncé)(?!\w)",
                         IGNORE)
ACCORDING = re.compile(r"\b(?:according to|selon)\s+(?P<src>[^,.;:\u2014]+)", IGNORE)
CAPTION_SOURCE = re.compile(r"\(Source:\s*(?P<src>[^)/]+)", IGNORE)
_SAID_VERB = (r"\s+(?:also\s+|reportedly\s+)?"
              r"(?:said|reported|claimed|stated|announced|confirmed|added|"
              r"(?:a|ont) (?:affirmé|indiqué|déclaré|annoncé|rapporté|confirmé))(?!\w)")
SAID_LONGEST = 80  # characters of a speaker's name
SAID = re.compile(rf"(?P<subj>[^,.;:\"\u201c\u201d]{{2,{SAID_LONGEST}}}?){_SAID_VERB}", IGNORE)
# Where the first 'said' can be: no speaker starts more than SAID_LONGEST characters before.
_SAID_AT = re.compile(_SAID_VERB, IGNORE)
OUTLETS = ("AFP", "Reuters", "Associated Press", "RFE/RL", "RFI", "Al Jazeera", "BBC",
           "France 24", "Le Monde", "Jeune Afrique", "ACLED", "Human Rights Watch",
           "Amnesty International", "MINUSMA", "LSI AFRICA")
_OUTLET_PATTERNS = [(outlet, re.compile(rf"(?<!\w){re.escape(outlet)}(?!\w)"))
                    for outlet in OUTLETS]
_ANY_OUTLET = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(o) for o in OUTLETS) + r")(?!\w)")
GENERIC_SOURCES = re.compile(
    r"\b(local officials|security sources?|local sources|military sources|hospital sources|"
    r"medical sources|local authorities|witnesses|residents|(?:a )?local official|"
    r"humanitarian sources|the army|the military|sources? sécuritaires?|sources? locales?|"
    r"sources? médicales?|habitants|témoins)(?!\w)", IGNORE)
# An article before a source's words: English, or French ('des sources locales').
_ARTICLE = re.compile(r"^(?:(?:the|a|an|des|les|le|la|un|une|plusieurs)\s+|[ld]['\u2019])",
                      IGNORE)
_ON_PLATFORM = re.compile(r"\s+on\s+(?:X|Twitter|Telegram|Facebook|social media)\b.*$")
_HANDLE = re.compile(r"@?\w*_\w+")
_ACRONYMS = re.compile(r"\b[A-Z][A-Z/]+(?:\s+[A-Z][A-Z/]+)*\b")
_SPEAKER_LEAD = re.compile(r"^(?:.*\b(?:meanwhile|however|but|and)\s+)?(?:the|a|an|two|three|"
                           r"one of the)\s+", IGNORE)
_SPEAKER_WORDS = re.compile(r"[A-Z]|officials|sources|residents|witnesses|army")


def _according_to(phrase: str) -> str:
    """The source in 'according to ...': a handle, else the longest acronym, else the words."""
    phrase = _ON_PLATFORM.sub("", phrase).strip()
    handle = _HANDLE.search(phrase)
    if handle:
        return handle.group(0)
    caps = _ACRONYMS.findall(phrase)
    if caps:
        return str(max(caps, key=len))
    return _ARTICLE.sub("", phrase)


def _speaker(sentence: str) -> str | None:
    """The subject of 'X said', as written, when it reads like a source."""
    verb = _SAID_AT.search(sentence)
    said = SAID.search(sentence, max(0, verb.start() - SAID_LONGEST)) if verb else None
    if not said:
        return None
    subject = _SPEAKER_LEAD.sub("", said.group("subj").strip())
    subject = re.sub(r"^(?:meanwhile|however)\s+", "", subject, flags=IGNORE).strip()
    if not _SPEAKER_WORDS.search(subject) or len(subject.split()) > 6:
        return None
    return subject


def find_sources(sentence: str) -> tuple[list[str], str | None]:
    """Sources cited in the sentence, speakers before outlets, and the attribution subject
    as written ('Four Russians were killed,' an official told AFP: the official first)."""
    sources: list[str] = []
    for m in CAPTION_SOURCE.finditer(sentence):
        add_once(sources, m.group("src").strip())
    if not ATTRIBUTION.search(sentence):
        return sources, None
    for m in ACCORDING.finditer(sentence):
        add_once(sources, _according_to(m.group("src")))
    subject = _speaker(sentence)
    if subject and not any(o in subject for o in OUTLETS):
        add_once(sources, subject)
    for m in GENERIC_SOURCES.finditer(sentence):
        if not subject or m.group(0).lower() not in subject.lower():
            add_once(sources, _ARTICLE.sub("", m.group(0)))
    if _ANY_OUTLET.search(sentence):  # most sentences name none: one search tells
        for outlet, pattern in _OUTLET_PATTERNS:
            if pattern.search(sentence):
                add_once(sources, outlet)
    return sources, subject
