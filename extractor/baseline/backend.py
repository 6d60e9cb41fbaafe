"""The offline baseline: keyword and pattern rules that read an article like a careful skimmer.

No model, no network. It finds sentences that report an act of violence, groups them into
incidents, and fills the codebook's fields with rules: the event type from trigger words, the
date from ``extractor.baseline.dates``, the figures from ``extractor.baseline.numbers``, places from the gazetteer
and actors from the actor registry. Its output is a plain ExtractionResult, post-processed like
any model's. It is a floor to measure models against, not a rival to them.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from extractor.backend import BackendResult
from extractor.baseline import dates as dates_module
from extractor.baseline import numbers as numbers_module
from extractor.baseline.dates import DateMatch, find_dates, text_anchor
from extractor.baseline.numbers import find_figures
from extractor.resolve.gazetteer import Gazetteer, Place
from extractor.resolve.names import name_key
from extractor.resolve.registry import ActorRegistry, RegistryActor
from extractor.schemas import (
    Actor,
    ActorType,
    Article,
    CasualtyClaim,
    CasualtyKind,
    EventType,
    ExtractionResult,
    GeoPrecision,
    Incident,
    SubEventType,
)

I = re.IGNORECASE
# A sentence reports violence when it has one of these (and is not analysis or an aggregate).
VERB = re.compile(
    r"\b(ambush(?:ed|ing)|attack(?:ed|ing)|kill(?:ed|ing)|clash(?:ed|ing)|abduct(?:ed|ing)|"
    r"kidnapp?(?:ed|ing)|shell(?:ed|ing)|raid(?:ed|ing)|massacr(?:ed|ing)|storm(?:ed|ing)|"
    r"execut(?:ed|ing)|detonat(?:ed|ing)|explod(?:ed|ing)|bomb(?:ed|ing)|overr[au]n|"
    r"opened fire|shot dead|gunned down|struck|died|slaughtered|beheaded|torched|"
    r"wound(?:ed|ing)|injur(?:ed|ing)|captur(?:ed|ing)|seiz(?:ed|ing)|took control|retook|"
    r"recaptur(?:ed|ing)|protest(?:ed|ing)|rioted|demonstrat(?:ed|ing)|"
    r"(?<=to )(?:ambush|attack|kill|abduct|kidnap|seize|capture))\b", I)
NOUN = re.compile(
    r"\b(ambush(?:es)?|attacks?|clash(?:es)?|fighting|strikes?|airstrikes?|explosions?|blasts?|"
    r"raids?|massacres?|assaults?|battles?|kidnappings?|abductions?|combat|deaths?|bodies|"
    r"casualties|confrontation|toll|protests?|protesters|demonstrations?|demonstrators|riots?|"
    r"rioters)\b", I)
ROLE_VERB = re.compile(
    r"\b(ambushed|attacked|killed|clashed|abducted|kidnapp?ed|shelled|raided|massacred|stormed|"
    r"executed|bombed|overr[au]n|struck|hit|(?<!the )targeted|captured|seized|took control|retook|"
    r"recaptured|(?<=to )(?:ambush|attack|kill|abduct|kidnap|seize|capture))\b", I)
EVENT_PREDICATE = re.compile(r"\b(took place|occurred|happened|was carried out|erupted|"
                             r"broke out)\b", I)
AGGREGATE = re.compile(
    r"\b(series of|increasingly|since (?:19|20)\d\d|from (?:19|20)\d\d to|\w+-year\b|stint|"
    r"in (?:the )?(?:past|last) (?:\w+ )?(?:years|months|decades?)|over the (?:past|last)|"
    r"so far this year|sporadic|continues? to|each year|every year|in total|number of)", I)
NON_EVENT = re.compile(
    r"\b(withdr[ae]w\w*|pull(?:ed|ing|s)? (?:\w+ ){0,4}out\b|deploy\w*|stationed|agreements?|"
    r"truce|peace deal|ceasefire|deliver\w*|sanctions)", I)
MODAL = re.compile(r"\b(if|may|might|could|would|should|will|unlikely)\b", I)
PAST = re.compile(r"\b\w+(?:ed|ew|ook|uck|an)\b")
SKIP_LINE = re.compile(r"^\s*(see also|read next|read more|related|photo|image)\b", I)
ANAPHORA = re.compile(
    r"\b(?:the|this|that|the same|their)\s+(?:\w+\s+)?(attack|ambush|assault|raid|fighting|"
    r"confrontation|clash(?:es)?|strike|explosion|blast|incident|operation|battle|rout|"
    r"killings?|massacre|news|targeted|convoy|toll|deaths?|mission)\b|^\s*(?:the group|they|it)\b",
    I)
NEW_CUE = re.compile(r"\b(another|a separate|separately|in a different|elsewhere)\b", I)
BACKGROUND_CUE = re.compile(
    r"^\W*(?:in another|a separate|previously|earlier,|in the past|shortly after|months after|"
    r"years after|weeks after|last (?:january|february|march|april|may|june|july|august|"
    r"september|october|november|december|year)\b|in (?:19|20)\d\d\b)|\b(?:in another|"
    r"a separate)\b", I)
NEAR = re.compile(
    r"\b(near|outside|close to|on the (?:road|route|axis)\s+(?:to|from|between)|"
    r"(?:north|south|east|west|northeast|northwest|southeast|southwest|north-east|north-west|"
    r"south-east|south-west)\w*\s+of|km\s+(?:from|of)|kilomet\w+\s+(?:from|of)|miles\s+"
    r"(?:from|of)|in the vicinity of|on the outskirts of|around)\s+(?:the\s+)?(?:[\w-]+\s+)?"
    r"(?:(?:town|village|city|commune|locality|area)\s+of\s+)?$", I)
NOT_A_SITE = re.compile(r"^\W{0,2}(hospital|university)\b", I)  # 'passed through Mopti hospital'
KIND_BEFORE = re.compile(
    r"(?P<kind>kill(?:ed|ing)|wound(?:ed|ing)|injur(?:ed|ing)|abduct(?:ed|ing)|"
    r"kidnapp?(?:ed|ing)|captur(?:ed|ing)|deaths? of|lives of|toll (?:has |had )?(?:rose|risen|"
    r"climbed|increased|reached|stood at|stands at)(?: to)?|toll of)\s+[\"\u201c]?$", I)
KIND_AFTER = re.compile(
    r"^(?P<victims>(?:[\w'\u2019\-\"\u201c\u201d*]+\s+){0,10}?)(?:(?:were|was|have been|had been|"
    r"are|being|got)\s+)?(?:(?:reportedly|also|confirmed|allegedly)\s+)?[\"\u201c]?(?P<kind>"
    r"killed (?:and|or) wounded|killed|dead|died|deaths|bodies|kills|massacred|slain|executed|"
    r"wounded|injured|hurt|abducted|kidnapped|captured|taken hostage|taken prisoner|"
    r"held hostage|missing|casualties)\b", I)
KIND_WORDS = {
    "kill": "killed", "dead": "killed", "die": "killed", "deat": "killed", "bodi": "killed",
    "mass": "killed", "slai": "killed", "exec": "killed", "live": "killed", "woun": "wounded",
    "inju": "wounded", "hurt": "wounded", "abdu": "captured", "kidn": "captured",
    "capt": "captured", "take": "captured", "held": "captured", "miss": "missing",
    "casu": "casualties", "died": "killed", "toll": "killed",
}
NOT_PEOPLE = re.compile(r"^\s*(?:mm|km|kg|%|per\s?cent|years?|months?|weeks?|days?|hours?|"
                        r"minutes?|am|pm|:|\.\d|times|vehicles?|trucks?|rifles?|guns?|"
                        r"[\u2013-]year)\b", I)
ATTRIBUTION = re.compile(r"\b(said|says|told|reported|confirmed|claimed|stated|added|announced|"
                         r"according to|report)\b", I)
CLAIM = re.compile(r"\bclaim(?:ed|s|ing)?\b(?!\s+return)|\bresponsibility\b", I)
ACCORDING = re.compile(r"\baccording to\s+(?P<src>[^,.;:\u2014]+)", I)
CAPTION_SOURCE = re.compile(r"\(Source:\s*(?P<src>[^)/]+)", I)
SAID = re.compile(r"(?P<subj>[^,.;:\"\u201c\u201d]{2,80}?)\s+(?:also\s+|reportedly\s+)?"
                  r"(?:said|reported|claimed|stated|announced|confirmed|added)\b", I)
OUTLETS = ("AFP", "Reuters", "Associated Press", "RFE/RL", "RFI", "Al Jazeera", "BBC",
           "France 24", "Le Monde", "Jeune Afrique", "ACLED", "Human Rights Watch",
           "Amnesty International", "MINUSMA", "LSI AFRICA")
GENERIC_SOURCES = re.compile(
    r"\b(local officials|security sources?|local sources|military sources|hospital sources|"
    r"medical sources|local authorities|witnesses|residents|(?:a )?local official|"
    r"humanitarian sources|the army|the military)\b", I)
CIVILIAN_WORDS = re.compile(r"\b(civilians?|villagers|residents|worshippers|passengers|"
                            r"farmers|herders|traders|women|children|girls|boys|students|"
                            r"pupils|teachers)\b", I)
ARMED_WORDS = re.compile(r"\b(soldiers|troops|forces|fighters|militants|army|convoy|patrol|"
                         r"base|post|camp|checkpoint|mercenar\w+|gendarm\w+|military)\b", I)
UNNAMED = re.compile(r"\b(jihadists|militants|gunmen|assailants|terrorists|armed men|"
                     r"insurgents|attackers|fighters)\b", I)
IED = re.compile(r"(?<!gold )\b(mines|landmines?|anti-\w+ mines?|IEDs?|improvised explosive|"
                 r"explosive devices?|roadside bombs?|remotely detonated)\b", I)
AIR = re.compile(r"\b(drones?|air ?strikes?|airstrikes?|air raids?|aerial|helicopters?|"
                 r"warplanes?|fighter jets?)\b", I)
SHELL = re.compile(r"\b(shell(?:ing|ed|s)|artillery|mortars?|rockets?|missiles?)\b", I)
SUICIDE = re.compile(r"\b(suicide|explosives-laden|car bombs?|VBIEDs?|kamikaze)\b", I)
GRENADE = re.compile(r"\bgrenades?\b", I)
GROUND = re.compile(r"\b(gunfire|gunmen|opened fire|stormed|assault|ground attack|fighting|"
                    r"clash\w*|firefight)\b", I)
ABDUCT = re.compile(r"\b(abduct\w*|kidnap\w*|taken hostage|hostages?)\b", I)
SEXUAL = re.compile(r"\b(raped?|rapes|raping|sexual violence|sexually)\b", I)
PROTEST = re.compile(r"\b(protest\w*|demonstrat(?:ed|ion|ions|ors)|marched|rall(?:y|ies))\b", I)
RIOT = re.compile(r"\b(riot\w*|mob|lynch\w*)\b", I)
TERRITORY = re.compile(r"\b(captured|seized|took control of|took over|overran|overrun|retook|"
                       r"recaptured|regained control of|fell to)\b", I)
WEAPON = re.compile(
    r"\b(explosives-laden vehicles?|anti-(?:tank|personnel) mines?|landmines?|mines|IEDs?|"
    r"improvised explosive devices?|explosive devices?|roadside bombs?|car bombs?|"
    r"suicide vests?|drones?|artillery(?: shells)?|mortar (?:rounds|shells|bombs)|mortars?|"
    r"rockets?|missiles?|grenades?|explosives(?!-)|"
    r"air ?strikes?|helicopters?|warplanes?)\b", I)
# A modifier has a letter in it: 'PRB-M3-A1', 'Belgian-made', 'remotely'; never '3' or '-'.
WEAPON_MODIFIER = re.compile(r"^(?:(?=[\w.-]*[A-Za-z])[\w.]*[\d-][\w.-]*|[A-Z][\w-]*|remotely|"
                             r"detonated|improvised|"
                             r"explosive|homemade|armed|suicide|kamikaze|heavy|anti-tank)$")
STOP_CAPS = {"The", "A", "An", "On", "In", "At", "And", "With", "Using", "By", "Of", "Their",
             "Several", "Some", "Many", "Few", "Two", "Three", "Four", "Five", "Dozens", "Other"}
# A dateline opens a wire story ('BAMAKO, Oct 3 (AFP) -'): it names where the story was filed,
# not where the incident happened.
DATELINE_AFTER = re.compile(
    r"\s*(?:,\s*[A-Z][a-z]{2,9}\.?\s+\d{1,2}(?:,?\s*\d{4})?)?\s*(?:\([A-Za-z ]+\))?\s*"
    r"[-\u2013\u2014:]\s")
DATELINE = re.compile(r"^\s*[A-Z][A-Z.'\u2019 -]{1,40}?" + DATELINE_AFTER.pattern)


SPACES = {ord(c): " " for c in "\u00a0\u2007\u2009\u200a\u202f\u205f\u3000\t"}


@dataclass
class Sentence:
    text: str  # verbatim, for evidence
    start: int
    index: int

    @property
    def norm(self) -> str:
        """The same text with odd spaces made plain (same length), for the rules to read."""
        return self.text.translate(SPACES)


@dataclass
class Mention:
    obj: Any  # Place or RegistryActor
    surface: str
    start: int
    end: int


@dataclass
class Draft:
    """An incident being assembled from its sentences."""

    sentences: list[Sentence] = field(default_factory=list)
    places: list[tuple[Place, str, bool]] = field(default_factory=list)  # place, as written, near
    perpetrators: list[RegistryActor] = field(default_factory=list)
    targets: list[RegistryActor] = field(default_factory=list)
    claimed_by: list[RegistryActor] = field(default_factory=list)
    claims: list[tuple[CasualtyClaim, str, str | None]] = field(default_factory=list)
    weapons: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    dates: list[DateMatch] = field(default_factory=list)
    surfaces: dict[str, list[str]] = field(default_factory=dict)  # actor name -> as written
    cue_background: bool = False

    @property
    def text(self) -> str:
        return " ".join(s.norm for s in self.sentences)

    @property
    def last_index(self) -> int:
        return self.sentences[-1].index


def _add(items: list, item: Any) -> None:
    if item not in items:
        items.append(item)


def _clean(surface: str) -> str:
    """A name as written, without the quotation marks around or inside it."""
    return re.sub(r"\s+", " ", re.sub(r"[\"\u201c\u201d\u2018*]|(?<!\w)\u2019", "", surface)).strip()


def _fold(text: str) -> str:
    """Lower-case, accent-free text of exactly the same length (offsets stay valid)."""
    out = []
    for char in text:
        base = "".join(c for c in unicodedata.normalize("NFKD", char)
                       if not unicodedata.combining(c)) or " "
        base = base[0].lower()
        out.append("'" if base in "\u2019\u2018`\u02bc" else base)
    return "".join(out)


def _locate(folded: str, key: str, start: int) -> tuple[int, int] | None:
    tokens = ["'?".join(re.escape(c) for c in token) for token in key.split()]
    pattern = r"(?<![\w'])" + r"[\W_]+".join(tokens) + r"(?![\w])"
    match = re.compile(pattern).search(folded, start)
    return (match.start(), match.end()) if match else None


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with their offsets: lines first, then sentence ends inside a line."""
    sentences: list[Sentence] = []
    for line in re.finditer(r"[^\n]+", text):
        cuts = [line.start()]
        for end in re.finditer(r"[.!?][\"\u201d\u2019)\]*]*\s+(?=[\"\u201c\u2018(\[]?[A-Z0-9])",
                               line.group(0)):
            before = line.group(0)[:end.start() + 1].split()
            last = before[-1] if before else ""
            if re.fullmatch(r"(?:[A-Z]\.)+|Mr\.|Mrs\.|Dr\.|Col\.|Gen\.|Lt\.|Capt\.|Sgt\.|St\.|"
                            r"No\.|Jan\.|Feb\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.", last):
                continue
            cuts.append(line.start() + end.end())
        cuts.append(line.end())
        for begin, finish in itertools.pairwise(cuts):
            chunk = text[begin:finish]
            stripped = chunk.strip()
            if stripped:
                offset = begin + chunk.index(stripped)
                sentences.append(Sentence(stripped, offset, len(sentences)))
    return sentences


class BaselineBackend:
    """Backend protocol, offline: ``BaselineBackend(registry, gazetteer)``."""

    model = "baseline"
    prompt_name = "baseline-rules"

    def __init__(self, registry: ActorRegistry, gazetteer: Gazetteer):
        self.registry = registry
        self.gazetteer = gazetteer
        self._data_hash = hashlib.sha256(
            repr([(a.name, a.aliases, a.actor_type.value, a.country, a.affiliation)
                  for a in registry.actors]).encode()
            + repr([(p.name, p.aliases, p.kind, p.admin1, p.country, p.latitude, p.longitude)
                    for p in gazetteer.places]).encode()
        ).hexdigest()[:12]
        rules = hashlib.sha256()
        for module in (__file__, dates_module.__file__, numbers_module.__file__):
            rules.update(Path(module).read_bytes())
        rules.update(self._data_hash.encode())
        self.prompt_hash = rules.hexdigest()[:12]

    def params(self) -> dict[str, Any]:
        return {"data": self._data_hash}

    async def aclose(self) -> None:
        return None

    async def extract(self, article: Article) -> BackendResult:
        began = time.perf_counter()
        error = None
        try:
            result = self.extract_sync(article)
        except Exception as exc:  # the baseline never stops a run; it says what went wrong
            result, error = ExtractionResult(), f"baseline rules failed: {exc!r}"
        return BackendResult(result=result, raw_response=result.model_dump_json(), attempts=1,
                             latency_ms=(time.perf_counter() - began) * 1000, error=error,
                             error_kind="baseline" if error else None)

    # -- finding names -------------------------------------------------------------------

    def _mentions(self, text: str, finder, names_of) -> list[Mention]:
        folded, cursor, found = _fold(text), 0, []
        for obj, key in finder(text):
            span = _locate(folded, key, cursor)
            if span is None:
                continue
            cursor = span[1]
            surface = text[span[0]:span[1]]
            written = next((n for n in names_of(obj) if name_key(n) == key), surface)
            if written[:1].isupper() and not surface[:1].isupper():
                continue  # 'San', 'Ber', 'FAN': proper names only when written as names
            if written.isupper() and len(written) <= 5 and not surface.isupper():
                continue
            found.append(Mention(obj, surface, span[0], span[1]))
        return found

    def places(self, text: str) -> list[Mention]:
        return [m for m in self._mentions(text, self.gazetteer.find,
                                          lambda p: (p.name, *p.aliases))
                if not NOT_A_SITE.match(text[m.end:]) and not self._is_dateline(text, m)]

    @staticmethod
    def _is_dateline(text: str, mention: Mention) -> bool:
        return (not text[:mention.start].strip() and mention.surface.isupper()
                and DATELINE_AFTER.match(text[mention.end:]) is not None)

    def actors(self, text: str) -> list[Mention]:
        return self._mentions(text, self.registry.find, lambda a: (a.name, *a.aliases))

    # -- one sentence --------------------------------------------------------------------

    def _is_violent(self, sentence: str) -> bool:
        if SKIP_LINE.match(sentence) or not (VERB.search(sentence) or NOUN.search(sentence)):
            return False
        if AGGREGATE.search(sentence):
            return False
        has_figure = any(self._claims_raw(sentence))
        if NON_EVENT.search(sentence) and not (has_figure and self.places(sentence)):
            return False
        past_verb = any(PAST.fullmatch(m.group(0).split()[0]) or m.group(0).lower() in
                        ("struck", "shot dead", "overran", "took control")
                        for m in VERB.finditer(sentence))
        return not (MODAL.search(sentence) and not past_verb)

    def _claims_raw(self, sentence: str) -> list[tuple[str, str, Any]]:
        """(kind, victims phrase, figure) for every casualty figure in the sentence."""
        date_spans = [(d.offset, d.offset + len(d.text)) for d in find_dates(sentence)]
        out: list[tuple[str, str, Any]] = []
        for figure in find_figures(sentence):
            if any(s <= figure.start < e for s, e in date_spans):
                continue
            after = sentence[figure.end:]
            if NOT_PEOPLE.match(after) or re.fullmatch(r"(?:19|20)\d\d", figure.text) \
                    or sentence[:figure.start].endswith(("$", "\u20ac")):
                continue
            window = re.split(r"[,.;:!?()\u2014]|\b(?:and|but|while)\s+(?=\w+\s+(?:were|was)\b)",
                              after, maxsplit=1)[0]
            kind, victims = None, ""
            before = KIND_BEFORE.search(sentence[max(0, figure.start - 30):figure.start])
            later = KIND_AFTER.match(window.lstrip())
            if later and not re.search(r"\b(?:were|was|been|are|being|got)\b", later.group(0)) \
                    and re.match(r"\s+(?:\d|an? |the |several|dozens|some|at least|more than|"
                                 r"about|around|[A-Z])", window.lstrip()[later.end():]):
                later = None  # 'the two forces killed several dozen': the figure is no victim
            if (later and "and" in later.group("kind")) or (later and "or" in later.group("kind")):
                kind, victims = "casualties", later.group("victims")
            elif before:
                kind = KIND_WORDS[before.group("kind")[:4].lower()]
                victims = re.split(r"\b(?:in|near|during|on|at|outside|by|when|as|after)\b",
                                   window)[0]
            elif later:
                kind = KIND_WORDS[later.group("kind")[:4].lower()]
                victims = later.group("victims")
                if later.group("kind").lower() in ("bodies", "deaths", "casualties", "kills"):
                    victims += " " + window[later.end():]
            elif out and re.search(r"\b(?:along with|as well as|and|plus)\s+$",
                                   sentence[max(0, figure.start - 15):figure.start]):
                kind, victims = out[-1][0], window
            if (kind and figure.text.lower() != "one") or (kind and later):
                out.append((kind, victims.strip(), figure))
        return out

    def _sources(self, sentence: str) -> tuple[list[str], str | None]:
        """Sources cited in the sentence, speakers before outlets, and the attribution subject
        as written ('Four Russians were killed,' an official told AFP: the official first)."""
        sources: list[str] = []
        for m in CAPTION_SOURCE.finditer(sentence):
            _add(sources, m.group("src").strip())
        if not ATTRIBUTION.search(sentence):
            return sources, None
        for m in ACCORDING.finditer(sentence):
            phrase = re.sub(r"\s+on\s+(?:X|Twitter|Telegram|Facebook|social media)\b.*$", "",
                            m.group("src")).strip()
            handle = re.search(r"@?\w*_\w+", phrase)
            caps = re.findall(r"\b[A-Z][A-Z/]+(?:\s+[A-Z][A-Z/]+)*\b", phrase)
            _add(sources, handle.group(0) if handle else max(caps, key=len) if caps
                 else re.sub(r"^(?:the|a|an)\s+", "", phrase, flags=I))
        subject = None
        said = SAID.search(sentence)
        if said:
            subject = re.sub(r"^(?:.*\b(?:meanwhile|however|but|and)\s+)?(?:the|a|an|two|three|"
                             r"one of the)\s+", "", said.group("subj").strip(), flags=I)
            subject = re.sub(r"^(?:meanwhile|however)\s+", "", subject, flags=I).strip()
            if not re.search(r"[A-Z]|officials|sources|residents|witnesses|army", subject) \
                    or len(subject.split()) > 6:
                subject = None
        if subject and not any(o in subject for o in OUTLETS):
            _add(sources, subject)
        for m in GENERIC_SOURCES.finditer(sentence):
            if not subject or m.group(0).lower() not in subject.lower():
                _add(sources, re.sub(r"^(?:the|a)\s+", "", m.group(0), flags=I))
        for outlet in OUTLETS:
            if re.search(rf"(?<!\w){re.escape(outlet)}(?!\w)", sentence):
                _add(sources, outlet)
        return sources, subject

    def _weapons(self, sentence: str) -> list[str]:
        found = []
        for m in WEAPON.finditer(sentence):
            words = sentence[:m.start()].split()
            taken: list[str] = []
            while words and len(taken) < 3 and WEAPON_MODIFIER.match(words[-1]) \
                    and words[-1] not in STOP_CAPS:
                taken.insert(0, words.pop())
            found.append(" ".join([*taken, m.group(0)]))
        return found

    # -- the article ---------------------------------------------------------------------

    def extract_sync(self, article: Article) -> ExtractionResult:
        text = article.text.translate(SPACES)
        anchor = text_anchor(text)
        drafts: list[Draft] = []
        current: Draft | None = None
        for sentence in split_sentences(article.text):
            body = sentence.norm
            if self._is_violent(body):
                target = self._target_draft(body, sentence.index, drafts, current, article,
                                            anchor)
                if target is None:
                    if not self._opens(body, article, anchor):
                        continue
                    target = Draft(cue_background=bool(BACKGROUND_CUE.search(body)))
                    drafts.append(target)
                self._absorb(target, sentence, article, anchor, violent=True)
                current = target
            elif current is not None and sentence.index - current.last_index <= 1 and \
                    ANAPHORA.search(body) and not MODAL.search(body):
                self._absorb(current, sentence, article, anchor, violent=False)
        fallback_country = next((m.obj.country for m in self.places(text) if m.obj.country),
                                None)
        self._mark_background(drafts, article.published)
        incidents = []
        for draft in drafts:
            incident = self._incident(draft, fallback_country)
            if incident is not None:
                incidents.append(incident)
        return ExtractionResult(incidents=incidents, actors=self._actor_list(drafts, incidents))

    @staticmethod
    def _dates(body: str, article: Article, anchor: date | None) -> list[DateMatch]:
        """Dates of the incident in a sentence: a dateline's date is when the story was filed."""
        dateline = DATELINE.match(body)
        if dateline:
            body = " " * dateline.end() + body[dateline.end():]
        return find_dates(body, article.published, anchor)

    def _opens(self, body: str, article: Article, anchor: date | None) -> bool:
        if ROLE_VERB.search(body) or (VERB.search(body) and (self._claims_raw(body) or
                                                            self.places(body))):
            return True
        has_date = bool(self._dates(body, article, anchor))
        return bool(self._claims_raw(body)) or (has_date and bool(
            self.places(body) or EVENT_PREDICATE.search(body)))

    def _target_draft(self, body: str, index: int, drafts: list[Draft], current: Draft | None,
                      article: Article, anchor: date | None) -> Draft | None:
        """The incident this violent sentence continues, or None to start a new one."""
        places = self.places(body)
        specific = [m.obj for m in places if m.obj.kind == "place"]
        if NEW_CUE.search(body[:80]):
            return None
        if BACKGROUND_CUE.search(body[:40]) and not ANAPHORA.search(body):
            # A recalled event joins only an earlier recalled event at the same place.
            return next((d for d in reversed(drafts) if d.cue_background and specific and
                         specific[0].name in {p.name for p, _, _ in d.places}), None)
        if current is not None and ANAPHORA.search(body):
            return current
        found_dates = self._dates(body, article, anchor)
        if current is not None and index - current.last_index <= 2 and \
                self._compatible(current, specific, places, found_dates):
            return current
        for draft in reversed(drafts):
            mine = {p.name for p, _, _ in draft.places if p.kind == "place"}
            if specific and specific[0].name in mine and \
                    self._compatible(draft, specific, places, found_dates):
                return draft
        return None

    @staticmethod
    def _compatible(draft: Draft, specific: list[Place], places: list[Mention],
                    found_dates: list[DateMatch]) -> bool:
        theirs = [p for p, _, _ in draft.places if p.kind == "place"]
        if specific and theirs and specific[0].name != theirs[0].name:
            return False
        countries = {m.obj.country for m in places if m.obj.country}
        if countries and any(p.country and p.country not in countries for p, _, _ in
                             draft.places):
            return False
        mine = [d for d in draft.dates if d.resolved]
        new = [d for d in found_dates if d.resolved]
        return not (mine and new and (new[0].end < mine[0].start or new[0].start > mine[0].end))

    def _absorb(self, draft: Draft, sentence: Sentence, article: Article, anchor: date | None,
                violent: bool) -> None:
        body = sentence.norm
        draft.sentences.append(sentence)
        sources, subject = self._sources(body)
        for source in sources:
            _add(draft.sources, source)
        subject_span = None
        if subject:
            position = body.find(subject)
            subject_span = (position, position + len(subject)) if position >= 0 else None
        every = self.actors(body)
        in_subject = [m for m in every if subject_span and
                      subject_span[0] <= m.start < subject_span[1]]
        # An actor named inside a source's name ('the Telegram channel Wagner Orchestra') is not
        # in the incident; one that is the speaker is weighed as a claimant below, not by verb.
        if subject and re.search(r"channel|orchestra|report|newspaper|media|outlet", subject, I):
            every = [m for m in every if m not in in_subject]
            in_subject = []
        mentions = [m for m in every if m not in in_subject]
        for m in every:
            _add(draft.surfaces.setdefault(m.obj.name, []), _clean(m.surface))
        for m in self.places(body):
            prefix = body[max(0, m.start - 70):m.start]
            _add(draft.places, (m.obj, m.surface, bool(NEAR.search(prefix))))
        found_dates = self._dates(body, article, anchor)
        if found_dates:
            draft.dates.append(found_dates[0])
        for weapon in self._weapons(body):
            _add(draft.weapons, weapon)
        # Roles: subject before the violence verb, object after; passive voice swaps them.
        verb = ROLE_VERB.search(body) if violent else None
        if verb:
            passive = re.search(r"\b(?:was|were|been|being|is|are)\s+(?:\w+ly\s+)?$",
                                body[:verb.start()])
            clause_end = re.search(r"[,;.\u2014]|\baccording to\b", body[verb.end():])
            stop = verb.end() + (clause_end.start() if clause_end else len(body))
            before = [m.obj for m in mentions if m.end <= verb.start()]
            after = [m.obj for m in mentions if verb.end() <= m.start < stop]
            if passive:
                by = re.search(r"\bby\s+([^,;.]+)", body[verb.end():])
                perps = [m.obj for m in mentions if by and verb.end() + by.start(1) <= m.start
                         < verb.end() + by.end(1)]
                before, after = perps, before
            for actor in before:
                if actor not in draft.targets and actor.actor_type != ActorType.civilians:
                    _add(draft.perpetrators, actor)
            for actor in after:
                if actor not in draft.perpetrators:
                    _add(draft.targets, actor)
        elif re.search(r"\b(targeted|included|victims?)\b", body, I):
            clause = re.search(r"\b(targeted|included|victims?)\b[^,;.]*", body, I)
            for m in mentions:
                if clause and clause.start() <= m.start < clause.end() and \
                        m.obj not in draft.perpetrators:
                    _add(draft.targets, m.obj)
        # Who claims it: an actor that says it did it, or states the losses it inflicted.
        subject_actor = in_subject[0].obj if in_subject else None
        raw = self._claims_raw(body)
        claimant = None
        if CLAIM.search(body):
            claimant = subject_actor or (draft.perpetrators[0] if draft.perpetrators else None)
        elif subject_actor and raw and subject_actor not in draft.targets and \
                subject_actor.actor_type != ActorType.civilians:
            claimant = subject_actor
        if claimant and claimant not in draft.targets:
            _add(draft.claimed_by, claimant)
            _add(draft.perpetrators, claimant)
        claim_source = None
        if claimant:
            claim_source = min(draft.surfaces.get(claimant.name, [claimant.name]), key=len)
        elif sources:
            claim_source = sources[0]
        previous_victims: str | None = None
        for kind, phrase, figure in raw:
            if re.fullmatch(r"(?:others?|more)(?:\s.*)?", phrase, I) and previous_victims:
                victims: str | None = previous_victims
            else:
                victims = self._victims(phrase, draft)
            previous_victims = victims or previous_victims
            if kind == "killed" and re.search(r"\btoll\b.{0,20}\b(?:rose|risen|climbed|"
                                              r"increased|revised)\b|\brevised\b", body, I):
                # A revised toll is recorded once, as revised: it replaces the earlier figure.
                earlier = [c for c in draft.claims if c[0].kind == CasualtyKind.killed]
                if victims is None and earlier:
                    victims = earlier[-1][1]
                draft.claims = [c for c in draft.claims if not (
                    c[0].kind == CasualtyKind.killed and c[1] == victims)]
            claim = CasualtyClaim(kind=CasualtyKind(kind), count_text=figure.text,
                                  count_min=figure.count_min, count_max=figure.count_max,
                                  victims=None, source=claim_source)
            if all(c[0] != claim or c[1] != victims for c in draft.claims):
                draft.claims.append((claim, victims, body))

    def _victims(self, phrase: str, draft: Draft) -> str | None:
        """Whose casualties: an actor named in the phrase, or one the phrase points to."""
        named = []
        for m in self.actors(phrase):
            _add(named, m.obj)
            _add(draft.surfaces.setdefault(m.obj.name, []), _clean(m.surface))
        if len(named) == 1:
            return named[0].name
        if named:
            return None
        if CIVILIAN_WORDS.search(phrase):
            return "civilians"
        pools = []
        if re.search(r"\bruss\w*|mercenar", phrase, I):
            pools.append([a for a in draft.targets if a.country == "Russia"])
        if re.search(r"\b(soldiers|troops|servicemen|gendarmes|army)\b", phrase, I):
            pools.append([a for a in draft.targets if a.actor_type == ActorType.state_forces])
        if re.search(r"\b(them|fighters)\b", phrase, I):
            pools.append([a for a in draft.targets if a.actor_type != ActorType.civilians])
        for pool in pools:
            if len(pool) == 1:
                return pool[0].name
        return None

    @staticmethod
    def _best_date(draft: Draft) -> DateMatch | None:
        resolved = sorted((d for d in draft.dates if d.resolved), key=lambda d: d.span_days)
        if resolved:
            return resolved[0]
        explicit = [d for d in draft.dates if d.kind in ("month_day", "day_month", "part_month",
                                                         "in_month", "last_month_name")]
        return (explicit or draft.dates or [None])[0]

    def _mark_background(self, drafts: list[Draft], published: date | None) -> None:
        main = next((self._best_date(d) for d in drafts if not d.cue_background and
                     self._best_date(d) and self._best_date(d).resolved), None)
        for draft in drafts:
            best = self._best_date(draft)
            if best is None or not best.resolved:
                continue
            if main is not None and best.end < main.start - timedelta(days=14):
                draft.cue_background = True
            if published and best.end < published - timedelta(days=60):
                draft.cue_background = True

    def _incident(self, draft: Draft, fallback_country: str | None) -> Incident | None:
        text = draft.text
        event, sub = self._classify(draft, text)
        ranked = sorted(draft.places, key=lambda p: ("place", "region", "country")
                        .index(p[0].kind))
        place = ranked[0] if ranked else None
        if place is None:
            precision, place_text, country, admin1 = GeoPrecision.country, None, \
                fallback_country, None
        else:
            entry, place_text, near = place
            precision = {"place": GeoPrecision.near_place if near else GeoPrecision.place,
                         "region": GeoPrecision.region, "country": GeoPrecision.country}[
                entry.kind]
            country = entry.country or fallback_country
            admin1 = entry.admin1 if entry.kind == "region" and entry.admin1 and \
                name_key(entry.name).startswith(name_key(entry.admin1)) else None
        best = self._best_date(draft)
        for claim_entry in draft.claims:
            victims = claim_entry[1]
            actor = self.registry.resolve(victims) if victims else None
            if actor and actor not in draft.perpetrators:
                _add(draft.targets, actor)
        casualties = [c.model_copy(update={"victims": v}) for c, v, _ in draft.claims]
        perps = [a.name for a in draft.perpetrators]
        targets = [a.name for a in draft.targets if a.name not in perps]
        incident = Incident(
            summary="", event_type=event, sub_event_type=sub,
            date_text=best.text if best else None, date_start=best.start if best else None,
            date_end=best.end if best else None, place=place_text if place and
            place[0].kind != "country" else None, admin1=admin1, country=country,
            geo_precision=precision, perpetrators=perps, targets=targets,
            claimed_by=[a.name for a in draft.claimed_by], casualties=casualties,
            weapons=draft.weapons, sources=draft.sources, is_background=draft.cue_background,
            evidence=[s.text for s in draft.sentences])
        return incident.model_copy(update={"summary": self._summary(incident, text)})

    def _classify(self, draft: Draft, text: str) -> tuple[EventType, SubEventType]:
        armed_target = any(a.actor_type != ActorType.civilians for a in draft.targets) or \
            bool(ARMED_WORDS.search(text))
        if RIOT.search(text) and not armed_target:
            return EventType.riots, (SubEventType.mob_violence if re.search(
                r"\b(mob|lynch)", text, I) else SubEventType.violent_demonstration)
        if PROTEST.search(text) and not VERB.search(PROTEST.sub("", text)):
            if re.search(r"\b(protesters|demonstrators)\b.{0,40}\b(killed|shot)\b", text, I):
                return EventType.protests, SubEventType.excessive_force_against_protesters
            if re.search(r"tear ?gas|dispersed|arrested|fired", text, I):
                return EventType.protests, SubEventType.protest_with_intervention
            return EventType.protests, SubEventType.peaceful_protest
        for m in TERRITORY.finditer(text):
            window = text[m.end():m.end() + 60]
            if any(p.kind == "place" for p, _, _ in draft.places if p) and \
                    any(s in window for _, s, _ in draft.places) and \
                    not re.match(r"\s+(?:[\w-]+\s+)?(?:weapons|vehicles|\d)", window):
                state = any(a.actor_type in (ActorType.state_forces, ActorType.external_forces)
                            for a in draft.perpetrators)
                return EventType.battles, (SubEventType.government_regains_territory if state
                                           else SubEventType.non_state_actor_overtakes_territory)
        remote = [(IED, SubEventType.remote_explosive_landmine_ied),
                  (AIR, SubEventType.air_drone_strike),
                  (SHELL, SubEventType.shelling_artillery_missile_attack),
                  (SUICIDE, SubEventType.suicide_bomb), (GRENADE, SubEventType.grenade)]
        present = [sub for pattern, sub in remote if pattern.search(text)]
        if len(present) == 1:
            sub = present[0]
            if not (sub in (SubEventType.suicide_bomb, SubEventType.shelling_artillery_missile_attack)
                    and GROUND.search(text)):
                return EventType.explosions_remote_violence, sub
        elif len(present) > 1:
            return EventType.battles, SubEventType.armed_clash  # complex attack
        if SEXUAL.search(text):
            return EventType.violence_against_civilians, SubEventType.sexual_violence
        civilian_only = not armed_target and (CIVILIAN_WORDS.search(text) or any(
            a.actor_type == ActorType.civilians for a in draft.targets))
        if ABDUCT.search(text) and (civilian_only or not armed_target):
            return EventType.violence_against_civilians, SubEventType.abduction_forced_disappearance
        if civilian_only:
            return EventType.violence_against_civilians, SubEventType.attack
        return EventType.battles, SubEventType.armed_clash

    @staticmethod
    def _summary(incident: Incident, text: str) -> str:
        unnamed = UNNAMED.search(text)
        who = " and ".join(incident.perpetrators) or \
            f"Unidentified {unnamed.group(1).lower() if unnamed else 'armed men'}"
        whom = " and ".join(incident.targets) or "an unidentified target"
        sub = incident.sub_event_type
        action = {
            SubEventType.remote_explosive_landmine_ied: f"hit {whom} with an explosive device",
            SubEventType.air_drone_strike: f"carried out a drone or air strike on {whom}",
            SubEventType.shelling_artillery_missile_attack: f"shelled {whom}",
            SubEventType.suicide_bomb: f"carried out a suicide bombing against {whom}",
            SubEventType.grenade: f"threw a grenade at {whom}",
            SubEventType.abduction_forced_disappearance: f"abducted {whom}",
            SubEventType.sexual_violence: f"committed sexual violence against {whom}",
            SubEventType.government_regains_territory: "took control of the area",
            SubEventType.non_state_actor_overtakes_territory: "took control of the area",
        }.get(sub, f"attacked {whom}")
        if incident.event_type == EventType.protests:
            who, action = "Protesters", "demonstrated"
        elif incident.event_type == EventType.riots:
            who, action = "Rioters", "engaged in violence"
        where = ""
        if incident.place:
            where = f" {'near' if incident.geo_precision == GeoPrecision.near_place else 'in'} " \
                    f"{incident.place}"
        if incident.country and incident.country != incident.place:
            where += f" ({incident.country})" if where else f" in {incident.country}"
        when = ""
        if incident.date_start and incident.date_start == incident.date_end:
            when = f"On {incident.date_start.isoformat()}, "
        elif incident.date_start:
            when = f"Between {incident.date_start.isoformat()} and " \
                   f"{incident.date_end.isoformat()}, "
        elif incident.date_text:
            when = f"On a date given as '{incident.date_text}', "
        result = "; ".join(
            f"{c.count_text} {c.kind.value}" + (f" ({c.victims})" if c.victims else "")
            + (f" per {c.source}" if c.source else "") for c in incident.casualties)
        sentence = f"{when}{who} {action}{where}"
        sentence = sentence[0].upper() + sentence[1:]
        return sentence + (f": {result}." if result else ".")

    def _actor_list(self, drafts: list[Draft], incidents: list[Incident]) -> list[Actor]:
        names: list[str] = []
        for incident in incidents:
            for name in (*incident.perpetrators, *incident.targets, *incident.claimed_by,
                         *(c.victims for c in incident.casualties if c.victims)):
                _add(names, name)
        surfaces: dict[str, list[str]] = {}
        for draft in drafts:
            for name, written in draft.surfaces.items():
                for surface in written:
                    _add(surfaces.setdefault(name, []), surface)
        actors = []
        for name in names:
            known = self.registry.resolve(name)
            if known is None:
                continue
            aliases: list[str] = []
            for surface in surfaces.get(known.name, []):
                if name_key(surface) != name_key(known.name) and \
                        all(name_key(surface) != name_key(a) for a in aliases):
                    aliases.append(surface)
            actors.append(Actor(name=known.name, aliases=aliases, actor_type=known.actor_type,
                                country=known.country, affiliation=known.affiliation))
        return actors
