"""Who did what to whom in a sentence: perpetrators before the violence verb, targets after it
(passive voice swaps them), and the actor that claims the act."""

from __future__ import annotations

import re

from extractor.baseline.casualties import RawClaim
from extractor.baseline.drafts import Draft, add_once
from extractor.baseline.mentions import Mention
from extractor.baseline.vocabulary import IGNORE, ROLE_VERB
from extractor.resolve.registry import RegistryActor
from extractor.schemas import ActorType

CLAIM = re.compile(r"\bclaim(?:ed|s|ing)?\b(?!\s+return)|\bresponsibility\b|"
                   r"\brevendiqu\w*", IGNORE)
_PASSIVE_BEFORE = re.compile(r"\b(?:was|were|been|being|is|are|été)\s+(?:\w+ly\s+)?$")
_CLAUSE_END = re.compile(r"[,;.\u2014]|\baccording to\b")
_AGENT = re.compile(r"\b(?:by|par)\s+([^,;.]+)")
_VICTIM_CLAUSE = re.compile(r"\b(targeted|included|victims?)\b[^,;.]*", IGNORE)

Mentions = list[Mention[RegistryActor]]


def _by_verb(body: str, verb: re.Match[str],
             mentions: Mentions) -> tuple[list[RegistryActor], list[RegistryActor]]:
    """(acting, acted upon) around the verb: subject before it, object up to the clause end."""
    clause_end = _CLAUSE_END.search(body, verb.end())
    stop = clause_end.start() if clause_end else len(body)
    before = [m.obj for m in mentions if m.end <= verb.start()]
    after = [m.obj for m in mentions if verb.end() <= m.start < stop]
    if not _PASSIVE_BEFORE.search(body[:verb.start()]):
        return before, after
    agent = _AGENT.search(body, verb.end())
    perpetrators = [m.obj for m in mentions
                    if agent and agent.start(1) <= m.start < agent.end(1)]
    return perpetrators, before


def assign_roles(draft: Draft, body: str, mentions: Mentions, violent: bool) -> None:
    """Add the sentence's actors to the draft's perpetrators and targets."""
    verb = ROLE_VERB.search(body) if violent else None
    if verb:
        acting, acted_upon = _by_verb(body, verb, mentions)
        for actor in acting:
            if actor not in draft.targets and actor.actor_type != ActorType.civilians:
                add_once(draft.perpetrators, actor)
        for actor in acted_upon:
            if actor not in draft.perpetrators:
                add_once(draft.targets, actor)
        return
    clause = _VICTIM_CLAUSE.search(body)
    for m in mentions:
        if (clause and clause.start() <= m.start < clause.end()
                and m.obj not in draft.perpetrators):
            add_once(draft.targets, m.obj)


def assign_claimant(draft: Draft, body: str, speaker: RegistryActor | None,
                    raw: list[RawClaim]) -> RegistryActor | None:
    """The actor that says it did it, or states the losses it inflicted; it is a perpetrator."""
    claimant = None
    if CLAIM.search(body):
        claimant = speaker or (draft.perpetrators[0] if draft.perpetrators else None)
    elif (speaker and raw and speaker not in draft.targets
          and speaker.actor_type != ActorType.civilians):
        claimant = speaker
    if claimant and claimant not in draft.targets:
        add_once(draft.claimed_by, claimant)
        add_once(draft.perpetrators, claimant)
    return claimant
