"""Casualty figures in a sentence: what happened to how many (killed, wounded, captured, ...),
and whose casualties they were."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass

from extractor.baseline import french
from extractor.baseline.dates import DateSpan, scan_dates
from extractor.baseline.drafts import ClaimEntry, Draft, add_once
from extractor.baseline.mentions import Mention, clean_surface
from extractor.baseline.numbers import Figure, find_figures
from extractor.baseline.vocabulary import CIVILIAN_WORDS, IGNORE
from extractor.resolve.registry import RegistryActor
from extractor.schemas import ActorType, CasualtyClaim, CasualtyKind

# The casualty word before the figure ('killed 12') or after it ('12 soldiers were killed').
KIND_BEFORE = re.compile(
    r"(?P<kind>kill(?:ed|ing)|wound(?:ed|ing)|injur(?:ed|ing)|abduct(?:ed|ing)|"
    r"kidnapp?(?:ed|ing)|captur(?:ed|ing)|deaths? of|lives of|toll (?:has |had )?(?:rose|risen|"
    r"climbed|increased|reached|stood at|stands at)(?: to)?|toll of)\s+[\"\u201c]?$", IGNORE)
KIND_AFTER = re.compile(
    r"^(?P<victims>(?:[\w'\u2019\-\"\u201c\u201d*]+\s+){0,10}?)(?:(?:were|was|have been|"
    r"had been|are|being|got)\s+)?(?:(?:reportedly|also|confirmed|allegedly)\s+)?[\"\u201c]?"
    r"(?P<kind>killed (?:and|or) wounded|killed|dead|died|deaths|bodies|kills|massacred|slain|"
    r"executed|wounded|injured|hurt|abducted|kidnapped|captured|taken hostage|taken prisoner|"
    r"held hostage|missing|casualties)\b", IGNORE)
# The casualty kind of a casualty word, by its first four letters.
KIND_WORDS = {
    "kill": "killed", "dead": "killed", "die": "killed", "deat": "killed", "bodi": "killed",
    "mass": "killed", "slai": "killed", "exec": "killed", "live": "killed", "woun": "wounded",
    "inju": "wounded", "hurt": "wounded", "abdu": "captured", "kidn": "captured",
    "capt": "captured", "take": "captured", "held": "captured", "miss": "missing",
    "casu": "casualties", "died": "killed", "toll": "killed",
}
# Matched right after a figure: a figure of something other than people.
NOT_PEOPLE = re.compile(
    r"\s*(?:mm|km|kg|%|per\s?cent|years?|months?|weeks?|days?|hours?|minutes?|am|pm|:|\.\d|"
    r"times|vehicles?|trucks?|rifles?|guns?|[\u2013-]year)\b", IGNORE)
# Where the words about a figure end: a punctuation mark, or 'and' before another clause.
_WINDOW_END = re.compile(r"[,.;:!?()\u2014]|\b(?:and|but|while)\s+(?=\w+\s+(?:were|was)\b)")
_VICTIMS_END = re.compile(r"\b(?:in|near|during|on|at|outside|by|when|as|after)\b")
_PASSIVE = re.compile(r"\b(?:were|was|been|are|being|got)\b")
_AGENT_NEXT = re.compile(r"\s+(?:\d|an? |the |several|dozens|some|at least|more than|about|"
                         r"around|[A-Z])")
_LISTED = re.compile(r"\b(?:along with|as well as|and|plus)\s+$")
_REVISED = re.compile(r"\btoll\b.{0,20}\b(?:rose|risen|climbed|increased|revised)\b|\brevised\b",
                      IGNORE)


@dataclass(frozen=True)
class RawClaim:
    kind: str  # a CasualtyKind value
    phrase: str  # the words that say whose casualties they were
    figure: Figure


def _in_spans(position: int, starts: list[int], ends: list[int]) -> bool:
    """``position`` falls inside one of the sorted, disjoint spans."""
    index = bisect.bisect_right(starts, position) - 1
    return index >= 0 and position < ends[index]


def _read_figure(sentence: str, figure: Figure, window: str,
                 earlier: list[RawClaim]) -> tuple[str | None, str, bool]:
    """The casualty kind of a figure, its victims phrase, and whether a word after it said so."""
    before = KIND_BEFORE.search(sentence[max(0, figure.start - 30):figure.start])
    later = KIND_AFTER.match(window.lstrip())
    if (later and not _PASSIVE.search(later.group(0))
            and _AGENT_NEXT.match(window.lstrip()[later.end():])):
        later = None  # 'the two forces killed several dozen': the figure is no victim
    if later and ("and" in later.group("kind") or "or" in later.group("kind")):
        return "casualties", later.group("victims"), True
    if before:
        return KIND_WORDS[before.group("kind")[:4].lower()], _VICTIMS_END.split(window)[0], \
            bool(later)
    if later:
        victims = later.group("victims")
        if later.group("kind").lower() in ("bodies", "deaths", "casualties", "kills"):
            victims += " " + window[later.end():]
        return KIND_WORDS[later.group("kind")[:4].lower()], victims, True
    if earlier and _LISTED.search(sentence[max(0, figure.start - 15):figure.start]):
        return earlier[-1].kind, window, False
    return None, "", False


def _read_french(sentence: str, figure: Figure, window: str,
                 earlier: list[RawClaim]) -> tuple[str | None, str, bool]:
    """``_read_figure`` in French: 'tuant 12 soldats', '12 civils ont été tués'."""
    before = french.KIND_BEFORE.search(sentence[max(0, figure.start - 30):figure.start])
    later = french.KIND_AFTER.match(window.lstrip())
    if before:
        return french.kind_of(before.group("kind")), french.VICTIMS_END.split(window)[0], \
            bool(later)
    if later:
        return french.kind_of(later.group("kind")), later.group("victims"), True
    if (earlier and re.search(r"\bet\s+$", sentence[max(0, figure.start - 15):figure.start])
            and not re.search(r"\w(?:é|ée|és|ées)\b", window)):  # '15 interpellées': arrests
        return earlier[-1].kind, window, False
    return None, "", False


def raw_claims(sentence: str, dates: list[DateSpan] | None = None,
               in_french: bool = False) -> list[RawClaim]:
    """Every casualty figure in the sentence with its kind and victims phrase; a figure inside
    a date ('July 2') is none. ``dates``: the sentence's ``scan_dates``, if at hand;
    ``in_french``: the sentence is French."""
    spans = sorted((d.offset, d.offset + len(d.text))
                   for d in (scan_dates(sentence, in_french) if dates is None else dates))
    starts, ends = [s for s, _ in spans], [e for _, e in spans]
    out: list[RawClaim] = []
    not_people = french.NOT_PEOPLE if in_french else NOT_PEOPLE
    for figure in find_figures(sentence, in_french):
        if _in_spans(figure.start, starts, ends):
            continue
        if (not_people.match(sentence, figure.end) or re.fullmatch(r"(?:19|20)\d\d", figure.text)
                or sentence[figure.start - 1:figure.start] in ("$", "\u20ac")):
            continue
        stop = _WINDOW_END.search(sentence, figure.end)
        window = sentence[figure.end:stop.start() if stop else len(sentence)]
        read = _read_french if in_french else _read_figure
        kind, victims, said_after = read(sentence, figure, window, out)
        if kind and (figure.text.lower() != "one" or said_after):
            out.append(RawClaim(kind, victims.strip(), figure))
    return out


def _pointed_to(phrase: str, draft: Draft) -> str | None:
    """The one target of the incident that a phrase without a name points to."""
    pools: list[list[RegistryActor]] = []
    if re.search(r"\bruss\w*|mercenar", phrase, IGNORE):
        pools.append([a for a in draft.targets if a.country == "Russia"])
    if re.search(r"\b(soldiers|troops|servicemen|gendarmes|army|soldats|militaires|troupes|"
                 r"armée)(?!\w)", phrase, IGNORE):
        pools.append([a for a in draft.targets if a.actor_type == ActorType.state_forces])
    if re.search(r"\b(them|fighters)\b", phrase, IGNORE):
        pools.append([a for a in draft.targets if a.actor_type != ActorType.civilians])
    for pool in pools:
        if len(pool) == 1:
            return pool[0].name
    return None


ActorsIn = Callable[[str], list[Mention[RegistryActor]]]


def victims(actors_in: ActorsIn, phrase: str, draft: Draft) -> str | None:
    """Whose casualties: an actor named in the phrase (``actors_in``: ``Names.actors``, or a
    cache of it), or one the phrase points to."""
    named: list[RegistryActor] = []
    for m in actors_in(phrase):
        add_once(named, m.obj)
        add_once(draft.surfaces.setdefault(m.obj.name, []), clean_surface(m.surface))
    if len(named) == 1:
        return named[0].name
    if named:
        return None
    if CIVILIAN_WORDS.search(phrase):
        return "civilians"
    return _pointed_to(phrase, draft)


def add_claims(actors_in: ActorsIn, draft: Draft, body: str, raw: list[RawClaim],
               source: str | None) -> None:
    """Record the sentence's casualty claims in the draft; a revised toll replaces the earlier
    figure for the same victims."""
    revised = _REVISED.search(body) is not None
    previous: str | None = None
    for found in raw:
        if re.fullmatch(r"(?:others?|more|d['\u2019]autres|autres)(?:\s.*)?", found.phrase,
                        IGNORE) and previous:
            whose: str | None = previous
        else:
            whose = victims(actors_in, found.phrase, draft)
        previous = whose or previous
        if found.kind == "killed" and revised:
            whose = _replace_toll(draft, whose)
        claim = CasualtyClaim(kind=CasualtyKind(found.kind), count_text=found.figure.text,
                              count_min=found.figure.count_min,
                              count_max=found.figure.count_max, victims=None, source=source)
        entry: ClaimEntry = (claim, whose, body)
        if all(c[0] != claim or c[1] != whose for c in draft.claims):
            draft.claims.append(entry)


def _replace_toll(draft: Draft, whose: str | None) -> str | None:
    """A revised toll is recorded once, as revised: drop the earlier killed figure."""
    earlier = [c for c in draft.claims if c[0].kind == CasualtyKind.killed]
    if whose is None and earlier:
        whose = earlier[-1][1]
    draft.claims = [c for c in draft.claims
                    if not (c[0].kind == CasualtyKind.killed and c[1] == whose)]
    return whose
